/* test_sha256.c - FIPS 180-4 / NIST CAVP example vectors. */
#include <stdint.h>

#include "common/sha256.h"
#include "gl_test.h"

static void
hex_of(gl_sha256 *c, char hex[65])
{
	uint8_t d[32];
	gl_sha256_final(c, d);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

GL_TEST(test_empty)
{
	char hex[65];
	gl_sha256_hex("", 0, hex);
	CHECK_STR(hex,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

GL_TEST(test_abc)
{
	char hex[65];
	gl_sha256_hex("abc", 3, hex);
	CHECK_STR(hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

GL_TEST(test_two_blocks)
{
	/* 448 bits: the padding needs a second block. */
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[65];
	gl_sha256_hex(m, strlen(m), hex);
	CHECK_STR(hex,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

GL_TEST(test_896_bits)
{
	const char *m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	char hex[65];
	gl_sha256_hex(m, strlen(m), hex);
	CHECK_STR(hex,
	    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

GL_TEST(test_million_a)
{
	/* Fed in uneven chunks so the partial-block path is exercised. */
	static char chunk[997];
	memset(chunk, 'a', sizeof chunk);
	gl_sha256 c;
	gl_sha256_init(&c);
	size_t left = 1000000;
	while (left > 0) {
		size_t n = left < sizeof chunk ? left : sizeof chunk;
		gl_sha256_update(&c, chunk, n);
		left -= n;
	}
	char hex[65];
	hex_of(&c, hex);
	CHECK_STR(hex,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

GL_TEST(test_byte_at_a_time)
{
	const char *m = "The quick brown fox jumps over the lazy dog";
	gl_sha256 c;
	gl_sha256_init(&c);
	for (size_t i = 0; m[i]; i++)
		gl_sha256_update(&c, m + i, 1);
	char hex[65];
	hex_of(&c, hex);
	CHECK_STR(hex,
	    "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592");
}

GL_TEST(test_block_edges)
{
	/* 55, 56 and 64 bytes: the lengths where padding changes shape.
	 * Values from `printf 'a%.0s' {1..N} | sha256sum`. */
	char m[64];
	memset(m, 'a', sizeof m);
	char hex[65];
	gl_sha256_hex(m, 55, hex);
	CHECK_STR(hex,
	    "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	gl_sha256_hex(m, 56, hex);
	CHECK_STR(hex,
	    "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
	gl_sha256_hex(m, 64, hex);
	CHECK_STR(hex,
	    "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

GL_TEST_MAIN(GL_TEST_ENTRY(test_empty), GL_TEST_ENTRY(test_abc),
    GL_TEST_ENTRY(test_two_blocks), GL_TEST_ENTRY(test_896_bits),
    GL_TEST_ENTRY(test_million_a), GL_TEST_ENTRY(test_byte_at_a_time),
    GL_TEST_ENTRY(test_block_edges))
