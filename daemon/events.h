/*
 * events.h - the append-only event log and Events/Watch.
 *
 * Every mutation appends its event inside the same savepoint as the change,
 * so an event exists exactly when its change does.  Watch is a long poll:
 * it answers at once when events after since_seq exist, else parks the call
 * until a commit brings some or wait_ms passes.  Because sequence numbers
 * are assigned in commit order on the one writer, a client that resumes
 * from its last seq misses nothing.
 */
#ifndef GL_EVENTS_H
#define GL_EVENTS_H

#include <stdint.h>

#include "daemon/daemon.h"

int gl_events_new(gl_daemon *d, gl_events **out, gl_err *err);
void gl_events_free(gl_events *ev);
/* Registers Events/Watch with the RPC layer. */
int gl_events_register(gl_events *ev, gl_err *err);
/* Wakes parked watchers; call after each commit. */
void gl_events_committed(gl_events *ev);
/* Answers every parked watcher now (shutdown). */
void gl_events_release_all(gl_events *ev);

/*
 * Appends one event in the current transaction.  ann (may be NULL) is
 * copied into the event.  detail_json may be NULL.
 */
int gl_events_append(gl_daemon *d, int64_t project_id, int64_t document_id,
    const char *kind, int64_t object_id, int64_t version, const char *author,
    const Gloss__V1__Annotation *ann, const char *detail_json, gl_err *err);

#endif /* GL_EVENTS_H */
