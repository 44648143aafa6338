/*
 * log.c - one record = one write(2) to stderr, so lines from several
 * threads never interleave.
 */
#include "common/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static atomic_int gl_log_min = GL_LOG_INFO;

static const char *const gl_log_names[] = { "DEBUG", "INFO", "WARN", "ERROR" };

void
gl_log_set_level(int level)
{
	if (level < GL_LOG_DEBUG)
		level = GL_LOG_DEBUG;
	if (level > GL_LOG_ERROR)
		level = GL_LOG_ERROR;
	atomic_store(&gl_log_min, level);
}

int
gl_log_level_from_name(const char *name)
{
	if (name == NULL)
		return -1;
	for (int i = 0; i < 4; i++)
		if (strcasecmp(name, gl_log_names[i]) == 0)
			return i;
	if (strcasecmp(name, "warning") == 0)
		return GL_LOG_WARN;
	return -1;
}

void
gl_log(int level, const char *module, const char *fmt, ...)
{
	if (level < atomic_load(&gl_log_min))
		return;
	if (level < GL_LOG_DEBUG)
		level = GL_LOG_DEBUG;
	if (level > GL_LOG_ERROR)
		level = GL_LOG_ERROR;

	char line[2048];
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	int n = snprintf(line, sizeof line,
	    "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s %s: ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    ts.tv_nsec / 1000000, gl_log_names[level],
	    module ? module : "gloss");
	if (n < 0)
		return;
	size_t used = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(line + used, sizeof line - used, fmt, ap);
	va_end(ap);
	if (m > 0)
		used += (size_t)m < sizeof line - used ? (size_t)m :
		    sizeof line - used - 1;
	/* A long record is cut, but it still ends with exactly one newline. */
	if (used >= sizeof line - 1)
		used = sizeof line - 2;
	line[used++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, used);
	(void)w;
}
