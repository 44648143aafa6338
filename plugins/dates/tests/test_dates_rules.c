#include "gl_test.h"
GL_TEST(stub) { CHECK(1); }
GL_TEST_MAIN(GL_TEST_ENTRY(stub))
