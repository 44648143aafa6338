/*
 * test_config.c - glossd's settings (daemon/config.c): defaults, the INI
 * file, the command line winning over it, [plugin.NAME] sections turned
 * into JSON, and the messages for bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/config.h"
#include "gl_test.h"

static char gl_cfg_path[64];

/* Writes text to a temp file whose path stays in gl_cfg_path. */
static const char *
gl_cfg_file(const char *text)
{
	snprintf(gl_cfg_path, sizeof(gl_cfg_path), "/tmp/gl-test-config.XXXXXX");
	int fd = mkstemp(gl_cfg_path);
	if (fd < 0)
		return NULL;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return NULL;
	}
	close(fd);
	return gl_cfg_path;
}

static int
gl_cfg_parse(gl_config *c, gl_err *e, int argc, const char *const *argv)
{
	return gl_config_parse(c, argc, (char **)argv, e);
}

GL_TEST(defaults)
{
	gl_config c;
	gl_err e;
	const char *argv[] = { "glossd" };
	CHECK_INT(gl_cfg_parse(&c, &e, 1, argv), 0);
	CHECK_STR(c.data_dir, "gloss-data");
	CHECK_STR(c.db_path, "gloss-data/gloss.db");
	CHECK_INT(c.nlisten, 1);
	CHECK_STR(c.listen[0], "tcp://127.0.0.1:7411");
	CHECK_INT(c.max_message, 16u << 20);
	CHECK_INT(c.workers, 2);
	CHECK(gl_config_plugin(&c, "actors") == NULL);
	gl_config_free(&c);
}

GL_TEST(command_line)
{
	gl_config c;
	gl_err e;
	const char *argv[] = { "glossd", "--data", "/srv/g", "--listen", "ipc:///a",
		"--listen=tcp://0.0.0.0:1", "--max-message", "65536",
		"--workers=4", "--plugin-config", "dates={\"slash_order\":\"dmy\"}" };
	CHECK_INT(gl_cfg_parse(&c, &e, 11, argv), 0);
	CHECK_STR(c.db_path, "/srv/g/gloss.db");
	CHECK_INT(c.nlisten, 2);
	CHECK_STR(c.listen[1], "tcp://0.0.0.0:1");
	CHECK_INT(c.max_message, 65536);
	CHECK_INT(c.workers, 4);
	CHECK_STR(gl_config_plugin(&c, "dates"), "{\"slash_order\":\"dmy\"}");
	gl_config_free(&c);
}

GL_TEST(file_and_override)
{
	const char *path = gl_cfg_file(
	    "# a comment\n"
	    "[glossd]\n"
	    "data = /var/lib/gloss\n"
	    "listen = tcp://127.0.0.1:9\n"
	    "listen = ws://127.0.0.1:10/rpc\n"
	    "workers = 3\n"
	    "\n"
	    "[plugin.actors]\n"
	    "dictionary = /etc/gloss/extra.tsv\n"
	    "strict = true\n"
	    "limit = 12\n"
	    "[plugin.dates]\n"
	    "slash_order = \"dmy\"\n");
	CHECK(path != NULL);
	gl_config c;
	gl_err e;
	/* The command line's --listen replaces the file's list; workers stay. */
	const char *argv[] = { "glossd", "--config", path, "--listen", "ipc:///x" };
	CHECK_INT(gl_cfg_parse(&c, &e, 5, argv), 0);
	CHECK_STR(c.data_dir, "/var/lib/gloss");
	CHECK_INT(c.nlisten, 1);
	CHECK_STR(c.listen[0], "ipc:///x");
	CHECK_INT(c.workers, 3);
	/* Plain values become strings; JSON-looking ones keep their type. */
	CHECK_STR(gl_config_plugin(&c, "actors"),
	    "{\"dictionary\":\"/etc/gloss/extra.tsv\",\"strict\":true,\"limit\":12}");
	CHECK_STR(gl_config_plugin(&c, "dates"), "{\"slash_order\":\"dmy\"}");
	gl_config_free(&c);
	unlink(path);
}

GL_TEST(bad_input)
{
	gl_config c;
	gl_err e;
	const char *a1[] = { "glossd", "--workers", "0" };
	CHECK_INT(gl_cfg_parse(&c, &e, 3, a1), -GL_INVALID_ARGUMENT);
	CHECK(strstr(e.msg, "--workers") != NULL);
	gl_config_free(&c);

	const char *a2[] = { "glossd", "--frobnicate", "1" };
	CHECK_INT(gl_cfg_parse(&c, &e, 3, a2), -GL_INVALID_ARGUMENT);
	CHECK(strstr(e.msg, "frobnicate") != NULL);
	gl_config_free(&c);

	const char *a3[] = { "glossd", "--plugin-config", "dates=[1,2]" };
	CHECK_INT(gl_cfg_parse(&c, &e, 3, a3), -GL_INVALID_ARGUMENT);
	CHECK(strstr(e.msg, "not a JSON object") != NULL);
	gl_config_free(&c);

	const char *a4[] = { "glossd", "--data" };
	CHECK_INT(gl_cfg_parse(&c, &e, 2, a4), -GL_INVALID_ARGUMENT);
	CHECK(strstr(e.msg, "needs a value") != NULL);
	gl_config_free(&c);

	const char *path = gl_cfg_file("[glossd]\nworkers = 2\nlisten\n");
	const char *a5[] = { "glossd", "--config", path };
	CHECK_INT(gl_cfg_parse(&c, &e, 3, a5), -GL_INVALID_ARGUMENT);
	CHECK(strstr(e.msg, ":3:") != NULL);
	gl_config_free(&c);
	unlink(path);

	path = gl_cfg_file("[server]\n");
	const char *a6[] = { "glossd", "--config", path };
	CHECK_INT(gl_cfg_parse(&c, &e, 3, a6), -GL_INVALID_ARGUMENT);
	CHECK(strstr(e.msg, "unknown section") != NULL);
	gl_config_free(&c);
	unlink(path);

	const char *a7[] = { "glossd", "--config", "/nonexistent/glossd.ini" };
	CHECK_INT(gl_cfg_parse(&c, &e, 3, a7), -GL_INVALID_ARGUMENT);
	CHECK(strstr(e.msg, "/nonexistent/glossd.ini") != NULL);
	gl_config_free(&c);
}

GL_TEST_MAIN(GL_TEST_ENTRY(defaults), GL_TEST_ENTRY(command_line),
    GL_TEST_ENTRY(file_and_override), GL_TEST_ENTRY(bad_input))
