/*
 * ipcwatch.h - keeps ipc:// listeners alive despite nng 1.5.2's bug #1518:
 * a peer that hangs up during the SP handshake makes the ipc listener stop
 * accepting, for good.  Debian 12 ships that nng, so glossd probes each
 * ipc:// listener with a real handshake and starts it afresh when it no
 * longer answers.
 */
#ifndef GL_IPCWATCH_H
#define GL_IPCWATCH_H

#include <uv.h>

#include "daemon/rpc.h"

typedef struct gl_ipcwatch gl_ipcwatch;

/* Watches every ipc:// listener of rpc (none: *out stays NULL, returns 0). */
int gl_ipcwatch_new(uv_loop_t *loop, gl_rpc *rpc, unsigned interval_ms,
    gl_ipcwatch **out, gl_err *err);
/* Stops probing; waits for a probe in flight (at most its timeout). */
void gl_ipcwatch_free(gl_ipcwatch *w);

#endif /* GL_IPCWATCH_H */
