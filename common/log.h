/*
 * log.h - one-line log records on stderr: "2026-11-22T08:52:22.123Z WARN plugins: ...".
 * Thread-safe (each record is one write(2)).
 */
#ifndef GL_LOG_H
#define GL_LOG_H

enum { GL_LOG_DEBUG = 0, GL_LOG_INFO = 1, GL_LOG_WARN = 2, GL_LOG_ERROR = 3 };

void gl_log_set_level(int level); /* records below level are dropped; default INFO */
int gl_log_level_from_name(const char *name); /* "debug".."error"; -1 if unknown */
void gl_log(int level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* GL_LOG_H */
