#include "gl_test.h"
#include "actors_test_util.h"
GL_TEST(placeholder) { at_result *r = at_run("The United States and Pakistan."); CHECK_SPAN(r, "United States", 0, "state", "USA"); }
GL_TEST_MAIN(GL_TEST_ENTRY(placeholder))
