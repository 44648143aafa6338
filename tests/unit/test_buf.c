/* test_buf.c - growth, NUL termination, printf, steal. */
#include "common/buf.h"
#include "gl_test.h"

GL_TEST(test_append_grows)
{
	gl_buf b = GL_BUF_INIT;
	for (int i = 0; i < 1000; i++)
		CHECK_INT(gl_buf_putc(&b, (char)('0' + i % 10)), 0);
	CHECK_INT(b.len, 1000);
	CHECK(b.cap > b.len);
	CHECK(b.data[1000] == '\0');
	CHECK(b.data[999] == '9');
	CHECK_INT(gl_buf_append(&b, "xy\0z", 4), 0);
	CHECK_INT(b.len, 1004);
	CHECK(b.data[1002] == '\0' && b.data[1003] == 'z' && b.data[1004] == '\0');
	gl_buf_free(&b);
	CHECK(b.data == NULL && b.len == 0 && b.cap == 0);
}

GL_TEST(test_printf)
{
	gl_buf b = GL_BUF_INIT;
	CHECK_INT(gl_buf_puts(&b, "n="), 0);
	CHECK_INT(gl_buf_printf(&b, "%d %s", 42, "ok"), 0);
	CHECK_STR(b.data, "n=42 ok");
	/* Longer than any initial capacity. */
	CHECK_INT(gl_buf_printf(&b, "%0500d", 7), 0);
	CHECK_INT(b.len, 7 + 500);
	CHECK(b.data[b.len - 1] == '7' && b.data[7] == '0');
	gl_buf_reset(&b);
	CHECK_INT(b.len, 0);
	CHECK_STR(b.data, "");
	gl_buf_free(&b);
}

GL_TEST(test_steal)
{
	gl_buf b = GL_BUF_INIT;
	char *s = gl_buf_steal(&b);
	CHECK_STR(s, "");
	free(s);
	gl_buf_puts(&b, "abc");
	s = gl_buf_steal(&b);
	CHECK_STR(s, "abc");
	CHECK(b.data == NULL && b.len == 0);
	free(s);
}

GL_TEST_MAIN(GL_TEST_ENTRY(test_append_grows), GL_TEST_ENTRY(test_printf),
    GL_TEST_ENTRY(test_steal))
