/*
 * analyze.h - `gloss analyze --local`: runs one analyzer plugin in the CLI
 * process, with no server, over .txt and .jsonl files, and prints JSONL
 * that `gloss eval` (and ../shared/eval/score.py) can score.
 */
#ifndef GL_CLI_ANALYZE_H
#define GL_CLI_ANALYZE_H

/* argv[0] is the command word.  Returns 0, 1 (failure) or 2 (usage). */
int gl_cli_analyze(int argc, char **argv);

#endif /* GL_CLI_ANALYZE_H */
