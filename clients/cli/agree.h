/*
 * agree.h - `gloss agree`: inter-annotator agreement on a layer
 * (Agreement/Compute), as tables for people or JSON with --json.
 */
#ifndef GL_CLI_AGREE_H
#define GL_CLI_AGREE_H

#include <stdio.h>

#include "clients/cli/cli.h"
#include "gloss/v1/agreement.pb-c.h"

int gl_cli_cmd_agree(gl_cli *cli, int argc, char **argv);

/* Prints the tables of one answer to out (for the command and its tests). */
void gl_cli_agree_print(FILE *out, const Gloss__V1__ComputeAgreementResponse *r,
    const char *layer);

#endif /* GL_CLI_AGREE_H */
