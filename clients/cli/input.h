/*
 * input.h - turns what a user hands to `gloss` (text files, JSONL lines,
 * label-schema JSON) into request messages.  Pure functions: no I/O, no
 * server, so they are unit-tested on their own.
 *
 * Messages built here are malloc'ed field by field and freed with
 * gloss_free() (protobuf_c_message_free_unpacked with the default
 * allocator).
 */
#ifndef GL_CLI_INPUT_H
#define GL_CLI_INPUT_H

#include <stddef.h>

#include "gloss/client.h"

/* Import batches: at most this many documents or bytes per Import call. */
#define GL_CLI_IMPORT_BATCH_DOCS 500
#define GL_CLI_IMPORT_BATCH_BYTES ((size_t)8 << 20)

/*
 * A .txt file: the title is its first non-empty line (trimmed, at most 300
 * bytes), the text is the whole file, metadata is {"file": basename}.
 * Fails (-GLOSS_INVALID_ARGUMENT, message in err) on a NUL byte, which a
 * protobuf string cannot carry.  Invalid UTF-8 is left for the server to
 * judge, so the answer is the same for every client.
 */
int gl_cli_input_txt(const char *path, const char *data, size_t len,
    Gloss__V1__DocumentInput **out, char *err, size_t errlen);

/*
 * One JSONL line: an object with "text" (required) and optional "title",
 * "source", "url", "published" (or "dct", as in the eval gold files),
 * "lang" strings and a "metadata" object.  Without metadata, an "id" is
 * kept as {"id": ...}.  Returns 0, 1 for a blank line (nothing in *out), or
 * -GLOSS_INVALID_ARGUMENT with the reason in err.
 */
int gl_cli_input_jsonl_line(const char *line, size_t len,
    Gloss__V1__DocumentInput **out, char *err, size_t errlen);

/*
 * A label schema file: {"layers": [{"name": "actor", "labels": ["STATE",
 * {"name": "PERSON", "color": "#aa3377", "description": "..."}],
 * "attributes": [{"name": "cameo", "type": "string", "values": []}]}]}.
 * Returns 0 or -GLOSS_INVALID_ARGUMENT with the reason in err.
 */
int gl_cli_input_schema(const char *text, size_t len,
    Gloss__V1__LabelSchema **out, char *err, size_t errlen);

/*
 * Splits n items of the given serialized sizes into consecutive batches of
 * at most max_docs items and max_bytes bytes (an item larger than
 * max_bytes goes alone).  Writes the end index (exclusive) of each batch to
 * ends and returns the number of batches (ends must hold n entries).
 */
size_t gl_cli_input_batches(const size_t *sizes, size_t n, size_t max_docs,
    size_t max_bytes, size_t *ends);

#endif /* GL_CLI_INPUT_H */
