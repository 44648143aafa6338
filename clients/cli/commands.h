/*
 * commands.h - the entry points of the `gloss` commands that main.c's table
 * dispatches to.  Each takes argv[0] = its command word, parses the rest
 * with gl_cli_parse and returns the exit status.
 */
#ifndef GL_CLI_COMMANDS_H
#define GL_CLI_COMMANDS_H

#include "clients/cli/cli.h"

int gl_cli_cmd_health(gl_cli *cli, int argc, char **argv);
int gl_cli_cmd_project(gl_cli *cli, int argc, char **argv);
int gl_cli_cmd_import(gl_cli *cli, int argc, char **argv);
int gl_cli_cmd_docs(gl_cli *cli, int argc, char **argv);
int gl_cli_cmd_search(gl_cli *cli, int argc, char **argv);
int gl_cli_cmd_ann(gl_cli *cli, int argc, char **argv);
int gl_cli_cmd_rel(gl_cli *cli, int argc, char **argv);
int gl_cli_cmd_watch(gl_cli *cli, int argc, char **argv);
int gl_cli_cmd_analyzers(gl_cli *cli, int argc, char **argv);
/* The server-side `gloss analyze` (Analyzers/Run, then follow the job). */
int gl_cli_cmd_analyze_job(gl_cli *cli, int argc, char **argv);

/* team.c: users, tokens, members, presence, curation, history. */
int gl_cli_cmd_user(gl_cli *cli, int argc, char **argv);
int gl_cli_cmd_token(gl_cli *cli, int argc, char **argv);
int gl_cli_cmd_member_add(gl_cli *cli, int argc, char **argv);
int gl_cli_cmd_member_rm(gl_cli *cli, int argc, char **argv);
int gl_cli_cmd_members(gl_cli *cli, int argc, char **argv);
int gl_cli_cmd_who(gl_cli *cli, int argc, char **argv);
int gl_cli_cmd_heartbeat(gl_cli *cli, int argc, char **argv);
int gl_cli_cmd_curate(gl_cli *cli, int argc, char **argv);
int gl_cli_cmd_ann_history(gl_cli *cli, int argc, char **argv);

#endif /* GL_CLI_COMMANDS_H */
