/*
 * utf8.h - UTF-8 validation, NFC normalisation and the map between byte
 * offsets (what plugins and C code use) and code-point offsets (what the
 * wire, the store and every export use).
 */
#ifndef GL_UTF8_H
#define GL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Returns 0 if s[0..len) is valid UTF-8 (no overlongs, no surrogates, no
 * code points above U+10FFFF), else -1 and the byte offset of the first bad
 * byte in *bad_at (if not NULL).
 */
int gl_utf8_validate(const char *s, size_t len, size_t *bad_at);

/* Number of code points in valid UTF-8. */
size_t gl_utf8_count(const char *s, size_t len);

/* True when byte offset off is 0, len, or the start of a character. */
int gl_utf8_is_boundary(const char *s, size_t len, size_t off);

/*
 * Normalises valid UTF-8 to NFC and turns "\r\n" and lone "\r" into "\n".
 * On success *out is a new NUL-terminated string of *out_len bytes that the
 * caller frees with free().  Returns 0, -EINVAL for invalid UTF-8 (with the
 * byte offset in *bad_at), or -ENOMEM.
 */
int gl_utf8_normalize(const char *s, size_t len, char **out, size_t *out_len,
    size_t *bad_at);

/*
 * An offset map for one text: converts byte offsets to code points and
 * back in O(log n) after an O(n) build.  Build it once per document and
 * reuse it for every span.
 */
typedef struct gl_utf8_map gl_utf8_map;

int gl_utf8_map_new(const char *s, size_t len, gl_utf8_map **out); /* 0 or -ENOMEM */
void gl_utf8_map_free(gl_utf8_map *m);
size_t gl_utf8_map_cp_len(const gl_utf8_map *m);
/* Byte offset -> code point; -1 if off is past the end or not a boundary. */
int64_t gl_utf8_map_to_cp(const gl_utf8_map *m, size_t byte_off);
/* Code point -> byte offset; -1 if cp is past the end. */
int64_t gl_utf8_map_to_byte(const gl_utf8_map *m, int64_t cp);

#endif /* GL_UTF8_H */
