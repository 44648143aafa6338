/* test_arena.c - alignment, block growth, oversized requests, reset. */
#include <stdint.h>

#include "common/arena.h"
#include "gl_test.h"

GL_TEST(test_alignment_and_contents)
{
	gl_arena a;
	gl_arena_init(&a, 256);
	char *prev[100];
	for (int i = 0; i < 100; i++) {
		size_t n = (size_t)(i % 37) + 1;
		char *p = gl_arena_alloc(&a, n);
		CHECK(p != NULL);
		CHECK_INT((uintptr_t)p % 16, 0);
		memset(p, 'a' + i % 26, n);
		prev[i] = p;
	}
	/* Later allocations must not have overwritten earlier ones. */
	for (int i = 0; i < 100; i++) {
		size_t n = (size_t)(i % 37) + 1;
		for (size_t k = 0; k < n; k++)
			CHECK(prev[i][k] == 'a' + i % 26);
	}
	gl_arena_reset(&a);
	CHECK(a.head == NULL);
}

GL_TEST(test_oversized)
{
	gl_arena a;
	gl_arena_init(&a, 128);
	char *small = gl_arena_alloc(&a, 16);
	char *big = gl_arena_alloc(&a, 10000);
	char *small2 = gl_arena_alloc(&a, 16);
	CHECK(small != NULL && big != NULL && small2 != NULL);
	memset(big, 'x', 10000);
	/* The small block is still in use after the big one. */
	CHECK(small2 == small + 16);
	CHECK(big[9999] == 'x');
	gl_arena_reset(&a);
}

GL_TEST(test_strdup_calloc_default)
{
	gl_arena a;
	gl_arena_init(&a, 0);
	CHECK_INT(a.block_size, 16 * 1024);
	char *s = gl_arena_strdup(&a, "héllo");
	CHECK_STR(s, "héllo");
	char *t = gl_arena_strndup(&a, "abcdef", 3);
	CHECK_STR(t, "abc");
	unsigned char *z = gl_arena_calloc(&a, 300);
	int zero = 1;
	for (int i = 0; i < 300; i++)
		zero &= z[i] == 0;
	CHECK(zero);
	CHECK(gl_arena_alloc(&a, SIZE_MAX) == NULL);
	gl_arena_reset(&a);
	/* Usable again after a reset. */
	CHECK(gl_arena_alloc(&a, 8) != NULL);
	gl_arena_reset(&a);
}

GL_TEST_MAIN(GL_TEST_ENTRY(test_alignment_and_contents),
    GL_TEST_ENTRY(test_oversized), GL_TEST_ENTRY(test_strdup_calloc_default))
