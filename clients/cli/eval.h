/*
 * eval.h - `gloss eval GOLD PRED --layer L`: scores analyzer output against
 * a gold JSONL file with exactly the figures of ../shared/eval/score.py.
 */
#ifndef GL_CLI_EVAL_H
#define GL_CLI_EVAL_H

/* argv[0] is the command word.  Returns 0, 1 (failure) or 2 (usage). */
int gl_cli_eval(int argc, char **argv);

#endif /* GL_CLI_EVAL_H */
