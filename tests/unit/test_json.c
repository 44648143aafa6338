/* test_json.c - the strict reader, its error messages, and the writers. */
#include <math.h>

#include "common/json.h"
#include "gl_test.h"

static gl_json *
parse_ok(const char *s)
{
	gl_json *v = NULL;
	char err[128];
	int rc = gl_json_parse(s, strlen(s), &v, err, sizeof err);
	if (rc != 0)
		fprintf(stderr, "unexpected parse error for %s: %s\n", s, err);
	CHECK_INT(rc, 0);
	return v;
}

/* Parses s expecting failure; returns the message in a static buffer. */
static const char *
parse_err(const char *s, size_t len)
{
	static char err[128];
	gl_json *v = (gl_json *)1;
	int rc = gl_json_parse(s, len, &v, err, sizeof err);
	CHECK_INT(rc, -1);
	CHECK(v == NULL);
	return err;
}

GL_TEST(test_values)
{
	gl_json *v = parse_ok(" {\"id\": \"d1\", \"n\": -12.5e1, \"t\": true,"
	    " \"f\": false, \"z\": null, \"a\": [1, 2, [3]], \"o\": {}} ");
	CHECK(v != NULL && v->type == GL_JSON_OBJECT);
	CHECK_INT(v->len, 7);
	CHECK_STR(gl_json_string(gl_json_get(v, "id"), NULL), "d1");
	CHECK_NEAR(gl_json_number(gl_json_get(v, "n"), 0), -125.0, 0);
	CHECK_INT(gl_json_bool(gl_json_get(v, "t"), -1), 1);
	CHECK_INT(gl_json_bool(gl_json_get(v, "f"), -1), 0);
	CHECK(gl_json_get(v, "z")->type == GL_JSON_NULL);
	const gl_json *a = gl_json_get(v, "a");
	CHECK(a->type == GL_JSON_ARRAY && a->len == 3);
	CHECK_INT(gl_json_int(a->items[1], 0), 2);
	CHECK(a->items[2]->type == GL_JSON_ARRAY);
	CHECK_INT(gl_json_get(v, "o")->len, 0);
	/* Integers and other numbers are told apart, as Python's json does. */
	CHECK_INT(a->items[0]->is_int, 1);
	CHECK_INT(gl_json_get(v, "n")->is_int, 0);
	/* Wrong types and missing keys give the defaults. */
	CHECK(gl_json_get(v, "missing") == NULL);
	CHECK_STR(gl_json_string(gl_json_get(v, "n"), "dflt"), "dflt");
	CHECK_INT(gl_json_int(gl_json_get(v, "id"), 9), 9);
	CHECK_INT(gl_json_int(NULL, 5), 5);
	CHECK(gl_json_get(a, "x") == NULL);
	gl_json_free(v);
}

GL_TEST(test_strings_and_escapes)
{
	gl_json *v = parse_ok("[\"a\\\"b\\\\c\\/d\\n\\t\\u00e9\\u20ac"
	    "\\ud83d\\ude00\", \"caf\xc3\xa9\", \"nul\\u0000x\"]");
	CHECK(v != NULL);
	CHECK_STR(v->items[0]->str, "a\"b\\c/d\n\t\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	CHECK_STR(v->items[1]->str, "caf\xc3\xa9");
	CHECK_INT(v->items[2]->len, 5);
	CHECK(memcmp(v->items[2]->str, "nul\0x", 5) == 0);
	gl_json_free(v);
}

GL_TEST(test_errors)
{
	CHECK_STR(parse_err("{\"a\" 1}", 7), "line 1, column 6: expected ':', got '1'");
	CHECK_STR(parse_err("{\n  \"a\": [1,\n   2,,]}", 19),
	    "line 3, column 6: expected a value, got ','");
	CHECK_STR(parse_err("[1] x", 5), "line 1, column 5: expected end of input, got 'x'");
	CHECK_STR(parse_err("", 0), "line 1, column 1: expected a value, got end of input");
	CHECK_STR(parse_err("[1, 2", 5), "line 1, column 1: unclosed array");
	CHECK(strstr(parse_err("\"\\ud800\"", 8), "lone high surrogate") != NULL);
	CHECK(strstr(parse_err("\"\\udc00\"", 8), "lone low surrogate") != NULL);
	CHECK(strstr(parse_err("\"\\ud800\\u0041\"", 14), "lone high surrogate") != NULL);
	CHECK(strstr(parse_err("\"a\xc3(\"", 5), "invalid UTF-8") != NULL);
	CHECK(strstr(parse_err("\"\xed\xa0\x80\"", 5), "invalid UTF-8") != NULL);
	CHECK(strstr(parse_err("\"a\nb\"", 5), "control character") != NULL);
	CHECK(strstr(parse_err("\"\\x\"", 4), "bad escape") != NULL);
	CHECK(strstr(parse_err("\"abc", 4), "unterminated") != NULL);
	/* Not JSON numbers. */
	parse_err("01", 2);
	parse_err("1.", 2);
	parse_err(".5", 2);
	parse_err("+1", 2);
	parse_err("1e", 2);
	parse_err("-", 1);
	parse_err("NaN", 3);
	parse_err("tru", 3);
	parse_err("{\"a\":1,}", 8);
	parse_err("{1:2}", 5);
	/* Length is honoured: the closing bracket is outside len. */
	parse_err("[1]", 2);
}

GL_TEST(test_depth)
{
	char deep[600];
	for (int i = 0; i < 300; i++) {
		deep[i] = '[';
		deep[599 - i] = ']';
	}
	CHECK(strstr(parse_err(deep, 600), "nesting deeper than 256") != NULL);
	/* 256 levels are fine. */
	char ok[512];
	for (int i = 0; i < 256; i++) {
		ok[i] = '[';
		ok[511 - i] = ']';
	}
	gl_json *v = NULL;
	CHECK_INT(gl_json_parse(ok, 512, &v, NULL, 0), 0);
	gl_json_free(v);
}

GL_TEST(test_duplicate_keys_last_wins)
{
	gl_json *v = parse_ok("{\"k\":1,\"k\":2}");
	CHECK_INT(gl_json_int(gl_json_get(v, "k"), 0), 2);
	gl_json_free(v);
}

GL_TEST(test_writers)
{
	gl_buf b = GL_BUF_INIT;
	gl_json_write_string(&b, "a\"\\\n\x01\xc3\xa9", 7);
	CHECK_STR(b.data, "\"a\\\"\\\\\\n\\u0001\xc3\xa9\"");
	gl_buf_reset(&b);
	gl_json_write_cstr(&b, NULL);
	gl_buf_putc(&b, ' ');
	gl_json_write_number(&b, 0.1);
	gl_buf_putc(&b, ' ');
	gl_json_write_number(&b, 3);
	gl_buf_putc(&b, ' ');
	gl_json_write_number(&b, -2.5e-300);
	gl_buf_putc(&b, ' ');
	gl_json_write_number(&b, NAN);
	gl_buf_putc(&b, ' ');
	gl_json_write_number(&b, 1.0 / 3);
	gl_buf_putc(&b, ' ');
	gl_json_write_int(&b, -9007199254740993LL);
	CHECK_STR(b.data, "null 0.1 3 -2.5e-300 null 0.3333333333333333 "
	    "-9007199254740993");
	gl_buf_free(&b);
}

GL_TEST(test_round_trip)
{
	const char *src = "{\"a\":[1,2.5,\"x\\ny\",true,false,null],\"b\":{\"c\":"
	    "\"\xe2\x82\xac\"},\"d\":[]}";
	gl_json *v = parse_ok(src);
	gl_buf b = GL_BUF_INIT;
	CHECK_INT(gl_json_write(&b, v), 0);
	CHECK_STR(b.data, src);
	gl_json_free(v);
	gl_buf_free(&b);
}

GL_TEST(test_is_object)
{
	char err[64];
	CHECK_INT(gl_json_is_object("{\"mod\":\"APPROX\"}", 16, err, sizeof err), 0);
	CHECK_INT(gl_json_is_object(" {} ", 4, err, sizeof err), 0);
	CHECK_INT(gl_json_is_object("[1]", 3, err, sizeof err), -1);
	CHECK_STR(err, "not a JSON object");
	CHECK_INT(gl_json_is_object("{\"a\":}", 6, err, sizeof err), -1);
	CHECK(strstr(err, "expected a value") != NULL);
}

GL_TEST_MAIN(GL_TEST_ENTRY(test_values), GL_TEST_ENTRY(test_strings_and_escapes),
    GL_TEST_ENTRY(test_errors), GL_TEST_ENTRY(test_depth),
    GL_TEST_ENTRY(test_duplicate_keys_last_wins), GL_TEST_ENTRY(test_writers),
    GL_TEST_ENTRY(test_round_trip), GL_TEST_ENTRY(test_is_object))
