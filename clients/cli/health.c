/*
 * health.c - `gloss health`: Health/Check, for people, scripts and
 * container health checks.
 */
#include <stdlib.h>

#include "clients/cli/cli.h"
#include "clients/cli/commands.h"

int
gl_cli_cmd_health(gl_cli *cli, int argc, char **argv)
{
	static gl_cli_opt opts[] = { { NULL, 0, NULL, NULL, NULL, 0 } };
	static const gl_cli_spec spec = { "health",
		"Checks that glossd answers and is serving; needs no token.",
		"Prints the serving status, the server's version, its max "
		"message size and the\nnewest event seq.  Exits 0 when SERVING, "
		"24 (UNAVAILABLE) when the server is\ndraining (NOT_SERVING) or "
		"cannot be reached within --timeout.",
		opts, 0, 0 };
	Gloss__V1__HealthCheckRequest req = GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
	Gloss__V1__HealthCheckResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	char **args;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	free(args);
	if ((rv = gl_cli_connect(cli)) != 0)
		return rv;
	if ((rv = gloss_health_check(cli->client, &req, &resp, &st)) != 0) {
		rv = gl_cli_fail_call(cli, rv, &st);
		gloss_status_clear(&st);
		return rv;
	}
	if (cli->json) {
		gl_cli_print_json(cli, &resp->base);
	} else {
		const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(
		    &gloss__v1__health_check_response__serving_status__descriptor,
		    resp->status);
		fprintf(cli->out, "%s  version %s  max_message %llu  last_seq "
		    "%llu  (%s)\n", ev ? ev->name : "UNKNOWN", resp->version,
		    (unsigned long long)resp->max_message,
		    (unsigned long long)resp->last_seq,
		    gloss_url(cli->client));
	}
	rv = 0;
	if (resp->status !=
	    GLOSS__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING)
		rv = gl_cli_fail_code(cli, GLOSS_UNAVAILABLE,
		    "%s is not serving (draining or starting)",
		    gloss_url(cli->client));
	gloss_status_clear(&st);
	gloss_free(resp);
	return rv;
}
