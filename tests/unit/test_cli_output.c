/*
 * test_cli_output.c - what `gloss` prints: JSON of protobuf messages and
 * text tables (clients/cli/cli.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cli/cli.h"
#include "common/json.h"
#include "gl_test.h"

static char *
to_json(const ProtobufCMessage *m)
{
	gl_buf b = GL_BUF_INIT;

	CHECK_INT(gl_cli_json_message(&b, m), 0);
	return gl_buf_steal(&b);
}

GL_TEST(test_json_scalars_and_embedded_objects)
{
	Gloss__V1__Annotation a = GLOSS__V1__ANNOTATION__INIT;
	char *s;

	a.id = 9007199254740993LL; /* above 2^53: still exact */
	a.document_id = 3;
	a.layer = "actor";
	a.label = "STATE";
	a.start = 0;
	a.end = 8;
	a.quote = "Pakistan \"PK\"\n";
	a.attributes = "{\"cameo\": \"PAK\", \"n\": [1, 2]}";
	a.score = 0.5;
	a.has_score = 1;
	a.author = "plugin:actors@1.0";
	a.status = "suggested";
	a.version = 2;
	a.deleted = 0;
	s = to_json(&a.base);
	CHECK_STR(s, "{\"id\":9007199254740993,\"document_id\":3,"
	    "\"layer\":\"actor\",\"label\":\"STATE\",\"start\":0,\"end\":8,"
	    "\"quote\":\"Pakistan \\\"PK\\\"\\n\",\"value\":\"\","
	    "\"attributes\":{\"cameo\":\"PAK\",\"n\":[1,2]},\"score\":0.5,"
	    "\"has_score\":true,\"author\":\"plugin:actors@1.0\","
	    "\"status\":\"suggested\",\"version\":2,\"created_at\":0,"
	    "\"updated_at\":0,\"deleted\":false}");
	free(s);

	/* A JSON-text field that holds no object stays a string. */
	a.attributes = "{not json";
	s = to_json(&a.base);
	CHECK(strstr(s, "\"attributes\":\"{not json\"") != NULL);
	free(s);
}

GL_TEST(test_json_repeated_nested_enum_bytes)
{
	Gloss__V1__WatchResponse w = GLOSS__V1__WATCH_RESPONSE__INIT;
	Gloss__V1__Event e1 = GLOSS__V1__EVENT__INIT, e2 = GLOSS__V1__EVENT__INIT;
	Gloss__V1__Event *evs[] = { &e1, &e2 };
	Gloss__V1__HealthCheckResponse h = GLOSS__V1__HEALTH_CHECK_RESPONSE__INIT;
	Gloss__V1__RpcRequest r = GLOSS__V1__RPC_REQUEST__INIT;
	Gloss__V1__RpcRequest__MetadataEntry me =
	    GLOSS__V1__RPC_REQUEST__METADATA_ENTRY__INIT;
	Gloss__V1__RpcRequest__MetadataEntry *pme = &me;
	Gloss__V1__ListAnalyzersResponse la =
	    GLOSS__V1__LIST_ANALYZERS_RESPONSE__INIT;
	Gloss__V1__Analyzer an = GLOSS__V1__ANALYZER__INIT;
	Gloss__V1__Analyzer *pan = &an;
	char *labels[] = { "POS", "NEG" };
	uint8_t payload[] = { 'h', 'i', '!', 0xff };
	gl_json *v = NULL;
	char err[100], *s;

	e1.seq = 5;
	e1.kind = "document.imported";
	e1.detail = "{\"title\":\"x\"}";
	e2.seq = 6;
	e2.kind = "annotation.created";
	w.n_events = 2;
	w.events = evs;
	w.last_seq = 6;
	s = to_json(&w.base);
	/* Valid JSON, events in order, annotation null when unset. */
	CHECK_INT(gl_json_parse(s, strlen(s), &v, err, sizeof(err)), 0);
	CHECK_INT(gl_json_get(v, "events")->len, 2);
	CHECK_INT(gl_json_int(gl_json_get(gl_json_get(v, "events")->items[1],
	    "seq"), 0), 6);
	CHECK(gl_json_get(gl_json_get(v, "events")->items[0], "annotation")
	    ->type == GL_JSON_NULL);
	CHECK_STR(gl_json_string(gl_json_get(gl_json_get(gl_json_get(v,
	    "events")->items[0], "detail"), "title"), NULL), "x");
	CHECK_INT(gl_json_int(gl_json_get(v, "last_seq"), 0), 6);
	gl_json_free(v);
	free(s);

	h.status = GLOSS__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__NOT_SERVING;
	h.version = "0.1.0";
	h.max_message = 16777216;
	h.last_seq = 18446744073709551615ULL;
	s = to_json(&h.base);
	CHECK_STR(s, "{\"status\":\"NOT_SERVING\",\"version\":\"0.1.0\","
	    "\"max_message\":16777216,\"last_seq\":18446744073709551615}");
	free(s);

	me.key = "authorization";
	me.value = "Bearer t";
	r.method = "/gloss.v1.Health/Check";
	r.n_metadata = 1;
	r.metadata = &pme;
	r.timeout_ms = 100;
	r.payload.data = payload;
	r.payload.len = sizeof(payload);
	s = to_json(&r.base);
	CHECK_STR(s, "{\"method\":\"/gloss.v1.Health/Check\",\"metadata\":"
	    "[{\"key\":\"authorization\",\"value\":\"Bearer t\"}],"
	    "\"timeout_ms\":100,\"request_id\":\"\",\"payload\":\"aGkh/w==\"}");
	free(s);

	an.name = "sentiment";
	an.n_labels = 2;
	an.labels = labels;
	la.n_analyzers = 1;
	la.analyzers = &pan;
	s = to_json(&la.base);
	CHECK(strstr(s, "\"labels\":[\"POS\",\"NEG\"]") != NULL);
	free(s);
}

GL_TEST(test_table_alignment)
{
	static const char *const head[] = { "ID", "TITLE", "N" };
	gl_cli_table t;
	char *s;

	gl_cli_table_init(&t, 3, head);
	CHECK_INT(gl_cli_table_addf(&t, "%d\x1f%s\x1f%d", 7, "Kabul", 12), 0);
	CHECK_INT(gl_cli_table_addf(&t, "%d\x1f%s\x1f%s", 1234,
	    "Душанбе\tсегодня", ""), 0);
	s = gl_cli_table_render(&t);
	/* Widths count characters, not bytes; no trailing blanks. */
	CHECK_STR(s, "ID    TITLE            N\n"
	             "7     Kabul            12\n"
	             "1234  Душанбе сегодня\n");
	free(s);
	gl_cli_table_free(&t);
}

GL_TEST(test_table_cuts_long_cells)
{
	static const char *const head[] = { "A", "B" };
	const char *row[] = { "ééééééééé", "x\x1b[31mred" };
	gl_cli_table t;
	char *s;

	gl_cli_table_init(&t, 2, head);
	t.max_width = 5;
	CHECK_INT(gl_cli_table_add(&t, row), 0);
	s = gl_cli_table_render(&t);
	/* Four characters and an ellipsis; escape bytes become blanks. */
	CHECK_STR(s, "A      B\néééé…  x [3…\n");
	free(s);
	gl_cli_table_free(&t);
}

GL_TEST(test_format_time)
{
	char buf[32];

	CHECK_STR(gl_cli_format_time(0, buf, sizeof(buf)), "-");
	CHECK_STR(gl_cli_format_time(1615334400123LL, buf, sizeof(buf)),
	    "2021-03-10T00:00:00Z");
}

GL_TEST(test_print_json_array)
{
	Gloss__V1__Relation r1 = GLOSS__V1__RELATION__INIT;
	Gloss__V1__Relation r2 = GLOSS__V1__RELATION__INIT;
	const ProtobufCMessage *rs[] = { &r1.base, &r2.base };
	gl_cli cli;
	char *out = NULL;
	size_t len = 0;
	gl_json *v = NULL;
	char err[64];

	gl_cli_init(&cli);
	cli.out = open_memstream(&out, &len);
	r1.id = 1;
	r1.label = "stance";
	r2.id = 2;
	CHECK_INT(gl_cli_print_json_array(&cli, rs, 2), 0);
	CHECK_INT(gl_cli_print_json_array(&cli, NULL, 0), 0);
	fclose(cli.out);
	CHECK(out[len - 1] == '\n');
	CHECK(strstr(out, "\n[]\n") != NULL);
	*strchr(out, '\n') = '\0';
	CHECK_INT(gl_json_parse(out, strlen(out), &v, err, sizeof(err)), 0);
	CHECK(v != NULL && v->type == GL_JSON_ARRAY && v->len == 2);
	CHECK_STR(gl_json_string(gl_json_get(v->items[0], "label"), NULL),
	    "stance");
	gl_json_free(v);
	free(out);
}

GL_TEST_MAIN(GL_TEST_ENTRY(test_json_scalars_and_embedded_objects),
    GL_TEST_ENTRY(test_json_repeated_nested_enum_bytes),
    GL_TEST_ENTRY(test_table_alignment),
    GL_TEST_ENTRY(test_table_cuts_long_cells),
    GL_TEST_ENTRY(test_format_time), GL_TEST_ENTRY(test_print_json_array))
