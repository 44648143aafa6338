/*
 * test_cli_input.c - user files to request messages: .txt and .jsonl
 * documents, label schemas, import batches (clients/cli/input.c).
 */
#include <string.h>

#include "clients/cli/input.h"
#include "gl_test.h"

GL_TEST(test_txt)
{
	const char text[] = "\n  \t\r\n  Taliban talks resume in Doha \r\n"
	    "DOHA, 29 December 2023 - ...\n";
	Gloss__V1__DocumentInput *d = NULL;
	char err[200];

	CHECK_INT(gl_cli_input_txt("corpus/doha.txt", text, sizeof(text) - 1,
	    &d, err, sizeof(err)), 0);
	if (d == NULL)
		return;
	CHECK_STR(d->title, "Taliban talks resume in Doha");
	CHECK_STR(d->text, text); /* the whole file, as it is */
	CHECK_STR(d->metadata, "{\"file\":\"doha.txt\"}");
	CHECK_STR(d->published, "");
	gloss_free(d);

	/* Only blanks: no title, still a document. */
	CHECK_INT(gl_cli_input_txt("a", " \n\n", 3, &d, err, sizeof(err)), 0);
	if (d != NULL) {
		CHECK_STR(d->title, "");
		gloss_free(d);
	}
}

GL_TEST(test_txt_long_title_and_nul)
{
	char text[700];
	Gloss__V1__DocumentInput *d = NULL;
	char err[200];

	/* "x" and 349 two-byte characters: byte 300 is inside one, so the
	 * title is cut before it. */
	text[0] = 'x';
	for (int i = 0; i < 349; i++)
		memcpy(text + 1 + 2 * i, "\xc3\xa9", 2);
	CHECK_INT(gl_cli_input_txt("t", text, 699, &d, err, sizeof(err)), 0);
	if (d != NULL) {
		CHECK_INT(strlen(d->title), 299);
		CHECK_INT(strlen(d->text), 699);
		gloss_free(d);
	}

	CHECK_INT(gl_cli_input_txt("bin.txt", "ab\0cd", 5, &d, err,
	    sizeof(err)), GLOSS_EINVALID_ARGUMENT);
	CHECK(d == NULL);
	CHECK_STR(err, "bin.txt: NUL byte at offset 2; a text file cannot "
	    "hold one");
}

GL_TEST(test_jsonl_fields)
{
	const char *line = "{\"text\": \"Kabul \\u00e9\", \"title\": \"T\", "
	    "\"source\": \"wire\", \"url\": \"https://x/y\", \"published\": "
	    "\"2021-03-10\", \"lang\": \"en\", \"metadata\": {\"k\": [1, "
	    "true]}, \"extra\": 1}";
	Gloss__V1__DocumentInput *d = NULL;
	char err[200];

	CHECK_INT(gl_cli_input_jsonl_line(line, strlen(line), &d, err,
	    sizeof(err)), 0);
	if (d == NULL)
		return;
	CHECK_STR(d->text, "Kabul \xc3\xa9");
	CHECK_STR(d->title, "T");
	CHECK_STR(d->source, "wire");
	CHECK_STR(d->url, "https://x/y");
	CHECK_STR(d->published, "2021-03-10");
	CHECK_STR(d->lang, "en");
	CHECK_STR(d->metadata, "{\"k\":[1,true]}");
	gloss_free(d);
}

GL_TEST(test_jsonl_gold_format)
{
	/* The eval gold files: id, dct, text. */
	const char *line = "{\"id\": \"dev-17\", \"dct\": \"2024-02-19\", "
	    "\"text\": \"On 19.02.2024 ...\", \"annotations\": []}";
	Gloss__V1__DocumentInput *d = NULL;
	char err[200];

	CHECK_INT(gl_cli_input_jsonl_line(line, strlen(line), &d, err,
	    sizeof(err)), 0);
	if (d == NULL)
		return;
	CHECK_STR(d->published, "2024-02-19");
	CHECK_STR(d->metadata, "{\"id\":\"dev-17\"}");
	CHECK_STR(d->title, "");
	gloss_free(d);
}

GL_TEST(test_jsonl_errors)
{
	struct {
		const char *line;
		int rv;
		const char *err;
	} cases[] = {
		{ "   \r", 1, NULL },
		{ "", 1, NULL },
		{ "[1]", GLOSS_EINVALID_ARGUMENT, "one JSON object" },
		{ "{\"title\": \"x\"}", GLOSS_EINVALID_ARGUMENT,
		    "\"text\" (a string) is required" },
		{ "{\"text\": 5}", GLOSS_EINVALID_ARGUMENT, "\"text\"" },
		{ "{\"text\": \"a\", \"title\": 5}", GLOSS_EINVALID_ARGUMENT,
		    "\"title\" must be a string" },
		{ "{\"text\": \"a\", \"metadata\": \"x\"}",
		    GLOSS_EINVALID_ARGUMENT, "\"metadata\" must be an object" },
		{ "{\"text\": \"a\\u0000b\"}", GLOSS_EINVALID_ARGUMENT,
		    "\\u0000" },
		{ "{\"text\": \"\xff\"}", GLOSS_EINVALID_ARGUMENT, "not JSON" },
		{ "{\"text\": \"a\"} x", GLOSS_EINVALID_ARGUMENT, "not JSON" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		Gloss__V1__DocumentInput *d = NULL;
		char err[200] = "";
		int rv = gl_cli_input_jsonl_line(cases[i].line,
		    strlen(cases[i].line), &d, err, sizeof(err));
		CHECK_INT(rv, cases[i].rv);
		CHECK(d == NULL);
		if (cases[i].err != NULL && strstr(err, cases[i].err) == NULL) {
			fprintf(stderr, "case %zu: \"%s\" lacks \"%s\"\n", i, err,
			    cases[i].err);
			CHECK(0);
		}
	}
}

GL_TEST(test_schema)
{
	const char *text = "{\"layers\": [{\"name\": \"actor\", \"labels\": "
	    "[\"STATE\", {\"name\": \"PERSON\", \"color\": \"#aa3377\", "
	    "\"description\": \"a person\"}], \"attributes\": [{\"name\": "
	    "\"kind\", \"type\": \"enum\", \"values\": [\"gov\", \"mil\"]}]}, "
	    "{\"name\": \"sentiment\"}]}";
	Gloss__V1__LabelSchema *s = NULL;
	char err[200];

	CHECK_INT(gl_cli_input_schema(text, strlen(text), &s, err,
	    sizeof(err)), 0);
	if (s == NULL)
		return;
	CHECK_INT(s->n_layers, 2);
	if (s->n_layers == 2) {
		const Gloss__V1__LayerDef *l = s->layers[0];
		CHECK_STR(l->name, "actor");
		CHECK_INT(l->n_labels, 2);
		if (l->n_labels == 2) {
			CHECK_STR(l->labels[0]->name, "STATE");
			CHECK_STR(l->labels[0]->color, "");
			CHECK_STR(l->labels[1]->name, "PERSON");
			CHECK_STR(l->labels[1]->color, "#aa3377");
			CHECK_STR(l->labels[1]->description, "a person");
		}
		CHECK_INT(l->n_attributes, 1);
		if (l->n_attributes == 1) {
			CHECK_STR(l->attributes[0]->name, "kind");
			CHECK_STR(l->attributes[0]->type, "enum");
			CHECK_INT(l->attributes[0]->n_values, 2);
		}
		CHECK_STR(s->layers[1]->name, "sentiment");
		CHECK_INT(s->layers[1]->n_labels, 0);
	}
	/* It serializes: the message is well formed for the wire. */
	CHECK(gloss__v1__label_schema__get_packed_size(s) > 40);
	gloss_free(s);
}

GL_TEST(test_schema_errors)
{
	struct {
		const char *text;
		const char *err;
	} cases[] = {
		{ "{", "not JSON" },
		{ "[]", "{\"layers\": [...]}" },
		{ "{\"layers\": {}}", "{\"layers\": [...]}" },
		{ "{\"layers\": [5]}", "layer 0 is not an object" },
		{ "{\"layers\": [{\"labels\": []}]}", "layer 0 needs a name" },
		{ "{\"layers\": [{\"name\": \"a\", \"labels\": [{}]}]}",
		    "a label needs a name" },
		{ "{\"layers\": [{\"name\": \"a\", \"labels\": [3]}]}",
		    "a label is a string or an object" },
		{ "{\"layers\": [{\"name\": \"a\", \"labels\": \"X\"}]}",
		    "are arrays" },
		{ "{\"layers\": [{\"name\": \"a\", \"attributes\": [{\"name\": "
		    "\"k\", \"values\": [1]}]}]}", "array of strings" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		Gloss__V1__LabelSchema *s = NULL;
		char err[200] = "";
		CHECK_INT(gl_cli_input_schema(cases[i].text,
		    strlen(cases[i].text), &s, err, sizeof(err)),
		    GLOSS_EINVALID_ARGUMENT);
		CHECK(s == NULL);
		if (strstr(err, cases[i].err) == NULL) {
			fprintf(stderr, "case %zu: \"%s\" lacks \"%s\"\n", i, err,
			    cases[i].err);
			CHECK(0);
		}
	}
}

GL_TEST(test_batches)
{
	size_t sizes[1200], ends[1200], n;

	for (size_t i = 0; i < 1200; i++)
		sizes[i] = 100;
	/* By count: 500 + 500 + 200. */
	n = gl_cli_input_batches(sizes, 1200, 500, 1 << 20, ends);
	CHECK_INT(n, 3);
	CHECK_INT(ends[0], 500);
	CHECK_INT(ends[1], 1000);
	CHECK_INT(ends[2], 1200);

	/* By bytes: 250 bytes fit two items of 100. */
	n = gl_cli_input_batches(sizes, 5, 500, 250, ends);
	CHECK_INT(n, 3);
	CHECK_INT(ends[0], 2);
	CHECK_INT(ends[1], 4);
	CHECK_INT(ends[2], 5);

	/* An item over the byte limit goes alone. */
	sizes[1] = 1000;
	n = gl_cli_input_batches(sizes, 3, 500, 250, ends);
	CHECK_INT(n, 3);
	CHECK_INT(ends[0], 1);
	CHECK_INT(ends[1], 2);
	CHECK_INT(ends[2], 3);

	CHECK_INT(gl_cli_input_batches(sizes, 0, 500, 250, ends), 0);
}

GL_TEST_MAIN(GL_TEST_ENTRY(test_txt), GL_TEST_ENTRY(test_txt_long_title_and_nul),
    GL_TEST_ENTRY(test_jsonl_fields), GL_TEST_ENTRY(test_jsonl_gold_format),
    GL_TEST_ENTRY(test_jsonl_errors), GL_TEST_ENTRY(test_schema),
    GL_TEST_ENTRY(test_schema_errors), GL_TEST_ENTRY(test_batches))
