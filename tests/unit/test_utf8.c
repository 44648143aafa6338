/* test_utf8.c - validation, NFC + line ends, and the offset map. */
#include <errno.h>
#include <stdint.h>

#include "common/utf8.h"
#include "gl_test.h"

static int
valid(const char *s, size_t len, size_t *bad)
{
	return gl_utf8_validate(s, len, bad);
}

GL_TEST(test_validate_good)
{
	const char *s = "a\xc3\xa9\xd0\x96\xe4\xb8\xad\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf"
	    "\xef\xbf\xbf\xed\x9f\xbf\xee\x80\x80";
	CHECK_INT(valid(s, strlen(s), NULL), 0);
	CHECK_INT(valid("", 0, NULL), 0);
	/* NUL is a valid code point. */
	CHECK_INT(valid("a\0b", 3, NULL), 0);
}

GL_TEST(test_validate_bad)
{
	size_t bad = 99;
	/* overlong '/' (2, 3 and 4 bytes) */
	CHECK_INT(valid("ab\xc0\xaf", 4, &bad), -1);
	CHECK_INT(bad, 2);
	CHECK_INT(valid("\xe0\x80\xaf", 3, &bad), -1);
	CHECK_INT(bad, 0);
	CHECK_INT(valid("x\xf0\x80\x80\xaf", 5, &bad), -1);
	CHECK_INT(bad, 1);
	/* surrogates U+D800 and U+DFFF */
	CHECK_INT(valid("ok\xed\xa0\x80", 5, &bad), -1);
	CHECK_INT(bad, 2);
	CHECK_INT(valid("\xed\xbf\xbf", 3, &bad), -1);
	CHECK_INT(bad, 0);
	/* truncated sequences, at the end and in the middle */
	CHECK_INT(valid("abc\xe2\x82", 5, &bad), -1);
	CHECK_INT(bad, 3);
	CHECK_INT(valid("\xc3", 1, &bad), -1);
	CHECK_INT(bad, 0);
	CHECK_INT(valid("\xe2\x82x", 3, &bad), -1);
	CHECK_INT(bad, 0);
	/* above U+10FFFF */
	CHECK_INT(valid("\xf4\x90\x80\x80", 4, &bad), -1);
	CHECK_INT(bad, 0);
	CHECK_INT(valid("\xf5\x80\x80\x80", 4, &bad), -1);
	/* stray continuation byte, invalid bytes */
	CHECK_INT(valid("\xc3\xa9\x80", 3, &bad), -1);
	CHECK_INT(bad, 2);
	CHECK_INT(valid("\xff", 1, &bad), -1);
	CHECK_INT(valid("\xfe", 1, &bad), -1);
	/* the length bounds the check: a valid prefix of a longer string */
	CHECK_INT(valid("\xc3\xa9", 1, &bad), -1);
}

GL_TEST(test_count_and_boundary)
{
	const char *s = "h\xc3\xa9\xf0\x9f\x98\x80!"; /* hé😀! */
	size_t len = strlen(s);
	CHECK_INT(gl_utf8_count(s, len), 4);
	CHECK(gl_utf8_is_boundary(s, len, 0));
	CHECK(gl_utf8_is_boundary(s, len, 1));
	CHECK(!gl_utf8_is_boundary(s, len, 2));
	CHECK(gl_utf8_is_boundary(s, len, 3));
	CHECK(!gl_utf8_is_boundary(s, len, 4));
	CHECK(!gl_utf8_is_boundary(s, len, 6));
	CHECK(gl_utf8_is_boundary(s, len, 7));
	CHECK(gl_utf8_is_boundary(s, len, 8));
	CHECK(!gl_utf8_is_boundary(s, len, 9));
}

GL_TEST(test_normalize)
{
	char *out;
	size_t n, bad;
	/* e + combining acute -> é; A + ring -> Å; CRLF and CR -> LF */
	const char *in = "Cafe\xcc\x81\r\nA\xcc\x8a\rx\n";
	CHECK_INT(gl_utf8_normalize(in, strlen(in), &out, &n, &bad), 0);
	CHECK_STR(out, "Caf\xc3\xa9\n\xc3\x85\nx\n");
	CHECK_INT(n, strlen("Caf\xc3\xa9\n\xc3\x85\nx\n"));
	free(out);
	/* Hangul jamo compose; already-NFC text is unchanged. */
	in = "\xe1\x84\x80\xe1\x85\xa1 \xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0";
	CHECK_INT(gl_utf8_normalize(in, strlen(in), &out, &n, &bad), 0);
	CHECK_STR(out, "\xea\xb0\x80 \xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0");
	free(out);
	/* ASCII fast path, CR at the very end, empty input. */
	CHECK_INT(gl_utf8_normalize("a\r", 2, &out, &n, &bad), 0);
	CHECK_STR(out, "a\n");
	free(out);
	CHECK_INT(gl_utf8_normalize("", 0, &out, &n, &bad), 0);
	CHECK_STR(out, "");
	CHECK_INT(n, 0);
	free(out);
	/* NEL is text, not a line end. */
	CHECK_INT(gl_utf8_normalize("a\xc2\x85" "b", 4, &out, &n, &bad), 0);
	CHECK_STR(out, "a\xc2\x85" "b");
	free(out);
	/* Invalid input names the offset and gives no output. */
	out = (char *)1;
	CHECK_INT(gl_utf8_normalize("abc\xed\xa0\x80", 6, &out, &n, &bad), -EINVAL);
	CHECK_INT(bad, 3);
	CHECK(out == NULL);
}

/* Checks the map against a brute-force scan at every byte offset. */
static void
check_map_exhaustive(const char *s)
{
	size_t len = strlen(s);
	gl_utf8_map *m;
	CHECK_INT(gl_utf8_map_new(s, len, &m), 0);
	CHECK_INT(gl_utf8_map_cp_len(m), gl_utf8_count(s, len));
	int64_t cp = 0;
	int mismatches = 0;
	for (size_t off = 0; off <= len + 2; off++) {
		int64_t want;
		if (off > len) {
			want = -1;
		} else if (gl_utf8_is_boundary(s, len, off)) {
			want = cp;
			if (gl_utf8_map_to_byte(m, cp) != (int64_t)off)
				mismatches++;
			cp++;
		} else {
			want = -1;
		}
		if (gl_utf8_map_to_cp(m, off) != want)
			mismatches++;
	}
	CHECK_INT(mismatches, 0);
	CHECK_INT(gl_utf8_map_to_byte(m, (int64_t)gl_utf8_map_cp_len(m) + 1), -1);
	CHECK_INT(gl_utf8_map_to_byte(m, -1), -1);
	gl_utf8_map_free(m);
}

GL_TEST(test_map_examples)
{
	/* "Le président a dit" */
	const char *fr = "Le pr\xc3\xa9sident a dit";
	gl_utf8_map *m;
	CHECK_INT(gl_utf8_map_new(fr, strlen(fr), &m), 0);
	CHECK_INT(gl_utf8_map_to_cp(m, 3), 3);  /* "président" starts */
	CHECK_INT(gl_utf8_map_to_cp(m, 13), 12); /* after "président" */
	CHECK_INT(gl_utf8_map_to_cp(m, 6), -1);  /* inside é */
	CHECK_INT(gl_utf8_map_to_byte(m, 12), 13);
	gl_utf8_map_free(m);

	/* "Путин сказал" : 2 bytes per letter */
	const char *ru = "\xd0\x9f\xd1\x83\xd1\x82\xd0\xb8\xd0\xbd \xd1\x81\xd0\xba"
	    "\xd0\xb0\xd0\xb7\xd0\xb0\xd0\xbb";
	CHECK_INT(gl_utf8_map_new(ru, strlen(ru), &m), 0);
	CHECK_INT(gl_utf8_map_cp_len(m), 12);
	CHECK_INT(gl_utf8_map_to_cp(m, 10), 5);
	CHECK_INT(gl_utf8_map_to_cp(m, 11), 6);
	CHECK_INT(gl_utf8_map_to_byte(m, 6), 11);
	CHECK_INT(gl_utf8_map_to_cp(m, strlen(ru)), 12);
	gl_utf8_map_free(m);

	/* "a😀b中文c" : 4-byte emoji, 3-byte CJK */
	const char *mix = "a\xf0\x9f\x98\x80" "b\xe4\xb8\xad\xe6\x96\x87" "c";
	CHECK_INT(gl_utf8_map_new(mix, strlen(mix), &m), 0);
	CHECK_INT(gl_utf8_map_cp_len(m), 6);
	CHECK_INT(gl_utf8_map_to_cp(m, 5), 2);  /* b */
	CHECK_INT(gl_utf8_map_to_cp(m, 6), 3);  /* 中 */
	CHECK_INT(gl_utf8_map_to_cp(m, 9), 4);  /* 文 */
	CHECK_INT(gl_utf8_map_to_cp(m, 12), 5); /* c */
	CHECK_INT(gl_utf8_map_to_cp(m, 2), -1);
	CHECK_INT(gl_utf8_map_to_cp(m, 7), -1);
	CHECK_INT(gl_utf8_map_to_byte(m, 4), 9);
	gl_utf8_map_free(m);

	/* ASCII: identity, still range-checked. */
	CHECK_INT(gl_utf8_map_new("hello", 5, &m), 0);
	CHECK_INT(gl_utf8_map_to_cp(m, 5), 5);
	CHECK_INT(gl_utf8_map_to_cp(m, 6), -1);
	CHECK_INT(gl_utf8_map_to_byte(m, 6), -1);
	gl_utf8_map_free(m);

	CHECK_INT(gl_utf8_map_new("", 0, &m), 0);
	CHECK_INT(gl_utf8_map_cp_len(m), 0);
	CHECK_INT(gl_utf8_map_to_cp(m, 0), 0);
	CHECK_INT(gl_utf8_map_to_byte(m, 0), 0);
	gl_utf8_map_free(m);
}

GL_TEST(test_map_long_texts)
{
	/* Long enough to cross many checkpoints, with every sequence length,
	 * and lengths that land exactly on a checkpoint. */
	static const char *pieces[] = { "a", "\xc3\xa9", "\xd0\x96", "\xe4\xb8\xad",
		"\xf0\x9f\x98\x80", " ", "\n" };
	char *s = malloc(20000);
	size_t len = 0;
	unsigned seed = 12345;
	for (int i = 0; i < 3000; i++) {
		seed = seed * 1103515245u + 12345u;
		const char *p = pieces[(seed >> 16) % 7];
		memcpy(s + len, p, strlen(p));
		len += strlen(p);
	}
	s[len] = '\0';
	check_map_exhaustive(s);
	/* Exactly 128 code points, all two bytes. */
	len = 0;
	for (int i = 0; i < 128; i++) {
		memcpy(s + len, "\xc3\xa9", 2);
		len += 2;
	}
	s[len] = '\0';
	check_map_exhaustive(s);
	s[len - 2] = '\0'; /* 127 */
	check_map_exhaustive(s);
	free(s);
}

GL_TEST_MAIN(GL_TEST_ENTRY(test_validate_good), GL_TEST_ENTRY(test_validate_bad),
    GL_TEST_ENTRY(test_count_and_boundary), GL_TEST_ENTRY(test_normalize),
    GL_TEST_ENTRY(test_map_examples), GL_TEST_ENTRY(test_map_long_texts))
