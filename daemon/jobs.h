/*
 * jobs.h - analysis jobs: run plugins over documents on the libuv thread
 * pool and store their spans as suggestions.
 *
 * Workers read documents through their own read-only store handles and
 * run the plugins; the loop thread writes each finished chunk (old
 * suggestions of the same plugin version replaced, new ones inserted,
 * progress event) in the group transaction of its turn.
 */
#ifndef GL_JOBS_H
#define GL_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "daemon/daemon.h"

int gl_jobs_new(gl_daemon *d, gl_jobs **out, gl_err *err);
void gl_jobs_free(gl_jobs *j);

/*
 * Creates a job over doc_ids with the named plugins (all loaded plugins when
 * nplugins is 0) inside the current transaction.  It starts after that
 * transaction commits; if the transaction is rolled back it never starts.
 * An unknown plugin name is INVALID_ARGUMENT.
 */
int gl_jobs_create(gl_jobs *j, int64_t project_id, const int64_t *doc_ids,
    size_t ndocs, char *const *plugins, size_t nplugins, const char *author,
    int64_t *job_id, gl_err *err);
/* Starts jobs whose creation has committed. */
void gl_jobs_committed(gl_jobs *j);
/* Shutdown: running jobs stop after their current chunk. */
void gl_jobs_cancel_all(gl_jobs *j);
/* Number of chunks still on the thread pool. */
unsigned gl_jobs_active(const gl_jobs *j);

#endif /* GL_JOBS_H */
