/*
 * gl_test.h - the minimal unit-test harness every C test in the tree uses.
 *
 * A test file defines its cases with GL_TEST(name) { ... } and ends with
 * GL_TEST_MAIN(case1, case2, ...).  CHECK* record a failure and go on so one
 * run shows every broken expectation; the process exits non-zero if any
 * check failed.  Each case prints "ok NAME" or "FAIL NAME", and the last
 * line is "N passed, N failed" for the case counts, which the suite runner
 * adds up.
 */
#ifndef GL_TEST_H
#define GL_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int gl_test_failed_checks;

#define GL_TEST(name) static void name(void)

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n",       \
			    __FILE__, __LINE__, #cond);                    \
			gl_test_failed_checks++;                           \
		}                                                          \
	} while (0)

#define CHECK_INT(a, b)                                                    \
	do {                                                               \
		long long gl__a = (long long)(a), gl__b = (long long)(b);  \
		if (gl__a != gl__b) {                                      \
			fprintf(stderr, "%s:%d: %s == %lld, want %lld\n",  \
			    __FILE__, __LINE__, #a, gl__a, gl__b);         \
			gl_test_failed_checks++;                           \
		}                                                          \
	} while (0)

#define CHECK_STR(a, b)                                                    \
	do {                                                               \
		const char *gl__a = (a), *gl__b = (b);                     \
		if (gl__a == NULL || gl__b == NULL ||                      \
		    strcmp(gl__a, gl__b) != 0) {                           \
			fprintf(stderr, "%s:%d: %s == \"%s\", want \"%s\"\n", \
			    __FILE__, __LINE__, #a, gl__a ? gl__a : "(null)", \
			    gl__b ? gl__b : "(null)");                     \
			gl_test_failed_checks++;                           \
		}                                                          \
	} while (0)

#define CHECK_NEAR(a, b, eps)                                              \
	do {                                                               \
		double gl__a = (a), gl__b = (b);                           \
		if (!(fabs(gl__a - gl__b) <= (eps))) {                     \
			fprintf(stderr, "%s:%d: %s == %.6f, want %.6f\n",  \
			    __FILE__, __LINE__, #a, gl__a, gl__b);         \
			gl_test_failed_checks++;                           \
		}                                                          \
	} while (0)

typedef struct {
	const char *name;
	void (*fn)(void);
} gl_test_case;

static int
gl_test_run(const gl_test_case *cases, size_t n)
{
	int passed = 0, failed = 0;
	for (size_t i = 0; i < n; i++) {
		int before = gl_test_failed_checks;
		cases[i].fn();
		if (gl_test_failed_checks == before) {
			printf("ok %s\n", cases[i].name);
			passed++;
		} else {
			printf("FAIL %s\n", cases[i].name);
			failed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

#define GL_TEST_ENTRY(fn) { #fn, fn }
#define GL_TEST_MAIN(...)                                                  \
	int main(void)                                                     \
	{                                                                  \
		static const gl_test_case gl__cases[] = { __VA_ARGS__ };   \
		return gl_test_run(gl__cases,                              \
		    sizeof(gl__cases) / sizeof(gl__cases[0]));             \
	}

#endif /* GL_TEST_H */
