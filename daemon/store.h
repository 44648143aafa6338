/*
 * store.h - everything glossd keeps, behind one interface.
 *
 * All SQL lives in store.c; the rest of the daemon speaks in these calls
 * and in the protobuf-c message structs of proto/gloss/v1, which double as
 * the domain model.  A second backend (PostgreSQL) implements this header.
 *
 * Threading: a gl_store belongs to the loop thread.  Worker threads that
 * need to read (analysis jobs) open their own read-only handle with
 * gl_store_open_reader().
 *
 * Transactions: the loop groups every write of one loop turn into one
 * transaction (gl_store_begin ... gl_store_commit) so that concurrent
 * writers share one fsync; each call inside it runs in a savepoint
 * (gl_store_call_begin/_end) so that a failing call undoes only itself.
 *
 * Errors: functions return 0 or -GL_<CODE> (common/status.h) with a
 * sentence in err.  Results are allocated from the caller's arena.
 */
#ifndef GL_STORE_H
#define GL_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/status.h"
#include "gloss/v1/analyzers.pb-c.h"
#include "gloss/v1/annotations.pb-c.h"
#include "gloss/v1/documents.pb-c.h"
#include "gloss/v1/events.pb-c.h"
#include "gloss/v1/projects.pb-c.h"
#include "gloss/v1/users.pb-c.h"

typedef struct gl_store gl_store;

/*
 * Opens (creating if needed) the database at path, takes an exclusive lock
 * on path + ".lock" (a second daemon gets FAILED_PRECONDITION naming the pid
 * that holds it), sets WAL and synchronous=FULL and applies migrations.
 */
int gl_store_open(const char *path, gl_store **out, gl_err *err);
/* A read-only handle on the same file for a worker thread (no lock). */
int gl_store_open_reader(const char *path, gl_store **out, gl_err *err);
/* Checkpoints (for the writer handle) and closes. */
void gl_store_close(gl_store *s);
int gl_store_schema_version(gl_store *s);
/*
 * Resets every statement left on a row.  Statements are reset lazily at
 * their next use, and one left mid-result keeps a read snapshot open: a
 * pooled reader would then not see later commits, and the writer would
 * hold back checkpoints.  Call it whenever a handle goes idle.
 */
void gl_store_idle(gl_store *s);

/* Group commit and per-call savepoints. */
int gl_store_begin(gl_store *s, gl_err *err);
int gl_store_commit(gl_store *s, gl_err *err);
void gl_store_rollback(gl_store *s);
int gl_store_in_txn(const gl_store *s);
int gl_store_call_begin(gl_store *s, gl_err *err);
/* ok != 0 keeps the call's changes, ok == 0 undoes them. */
void gl_store_call_end(gl_store *s, int ok);

int64_t gl_store_now_ms(void);

/* ---- users and tokens ------------------------------------------------ */

typedef struct gl_user {
	int64_t id;
	char name[64];
	char role[16]; /* admin, manager, curator, annotator, viewer */
} gl_user;

int gl_store_user_count(gl_store *s, int64_t *n, gl_err *err);
int gl_store_user_create(gl_store *s, const char *name, const char *role,
    int64_t *id, gl_err *err);
/* token_hash is the hex SHA-256 of the token; tokens themselves are never stored. */
int gl_store_token_add(gl_store *s, int64_t user_id, const char *token_hash,
    gl_err *err);
/* NOT_FOUND when no live token has that hash. */
int gl_store_token_lookup(gl_store *s, const char *token_hash, gl_user *out,
    gl_err *err);

int gl_store_user_get(gl_store *s, const char *name, gl_user *out, gl_err *err);
/* Every user with the number of live tokens each has. */
int gl_store_user_list(gl_store *s, gl_arena *a, Gloss__V1__User ***out,
    size_t *n, gl_err *err);
/* Like gl_store_token_add, returning the token's id. */
int gl_store_token_add_id(gl_store *s, int64_t user_id, const char *token_hash,
    int64_t *token_id, gl_err *err);
/* Revokes one token (token_id > 0) or all of a user's; *n = how many. */
int gl_store_token_revoke(gl_store *s, int64_t user_id, int64_t token_id,
    int64_t *n, gl_err *err);
/* Adds a member or changes its role. */
int gl_store_member_set(gl_store *s, int64_t project_id, int64_t user_id,
    const char *role, gl_err *err);
int gl_store_member_remove(gl_store *s, int64_t project_id, int64_t user_id,
    gl_err *err);
int gl_store_member_list(gl_store *s, int64_t project_id, gl_arena *a,
    Gloss__V1__Member ***out, size_t *n, gl_err *err);

/* The member role of a user in a project; NOT_FOUND if not a member. */
int gl_store_member_role(gl_store *s, int64_t project_id, int64_t user_id,
    char role[16], gl_err *err);

/* ---- idempotent writes ---------------------------------------------- */

/* NOT_FOUND when unseen; else the first answer (code and payload). */
int gl_store_request_get(gl_store *s, const char *request_id,
    const char *method, gl_arena *a, int *code, uint8_t **resp,
    size_t *resp_len, gl_err *err);
int gl_store_request_put(gl_store *s, const char *request_id,
    const char *method, int code, const uint8_t *resp, size_t resp_len,
    gl_err *err);
int gl_store_request_prune(gl_store *s, int64_t older_than_ms, gl_err *err);

/* ---- projects ------------------------------------------------------- */

int gl_store_project_create(gl_store *s, const Gloss__V1__CreateProjectRequest *in,
    gl_arena *a, Gloss__V1__Project **out, gl_err *err);
int gl_store_project_get(gl_store *s, const char *name, gl_arena *a,
    Gloss__V1__Project **out, gl_err *err);
int gl_store_project_by_id(gl_store *s, int64_t id, gl_arena *a,
    Gloss__V1__Project **out, gl_err *err);
int gl_store_project_list(gl_store *s, gl_arena *a, Gloss__V1__Project ***out,
    size_t *n, gl_err *err);
/* Fills p->document_count (lookups leave it 0: it costs a scan). */
int gl_store_project_count(gl_store *s, Gloss__V1__Project *p, gl_err *err);
int gl_store_project_update(gl_store *s, const Gloss__V1__UpdateProjectRequest *in,
    gl_arena *a, Gloss__V1__Project **out, gl_err *err);

/* ---- documents ------------------------------------------------------ */

/*
 * Stores one normalised document.  text must already be NFC with "\n"
 * line ends; sha256 is its hex digest.  A live document of the project with
 * the same sha256 makes *duplicate = 1 and *id the existing id.
 */
int gl_store_document_add(gl_store *s, int64_t project_id,
    const Gloss__V1__DocumentInput *in, const char *text, size_t text_len,
    int64_t cp_len, const char *sha256, int64_t *id, int *duplicate,
    gl_err *err);
int gl_store_document_get(gl_store *s, int64_t id, int with_text, gl_arena *a,
    Gloss__V1__Document **out, gl_err *err);
/* Pages by id; after_id = 0 for the first page. */
int gl_store_document_list(gl_store *s, int64_t project_id, int64_t after_id,
    uint32_t limit, gl_arena *a, Gloss__V1__Document ***out, size_t *n,
    gl_err *err);
int gl_store_document_ids(gl_store *s, int64_t project_id, int64_t **ids,
    size_t *n, gl_err *err); /* *ids is malloc'd; caller frees */
int gl_store_document_search(gl_store *s, int64_t project_id, const char *query,
    uint32_t limit, gl_arena *a, Gloss__V1__SearchHit ***out, size_t *n,
    gl_err *err);
int gl_store_document_delete(gl_store *s, int64_t id, gl_err *err);
/* The project id of a live document (NOT_FOUND otherwise). */
int gl_store_document_project(gl_store *s, int64_t id, int64_t *project_id,
    gl_err *err);

/* ---- annotations and relations -------------------------------------- */

/* Inserts a (fully checked) annotation; fills id, version, times. */
int gl_store_annotation_add(gl_store *s, Gloss__V1__Annotation *ann, gl_err *err);
int gl_store_annotation_get(gl_store *s, int64_t id, gl_arena *a,
    Gloss__V1__Annotation **out, gl_err *err);
/* Writes ann (whose version must be the stored one + 1) back. */
int gl_store_annotation_put(gl_store *s, const Gloss__V1__Annotation *ann,
    gl_err *err);
int gl_store_annotation_list(gl_store *s, const Gloss__V1__ListAnnotationsRequest *f,
    gl_arena *a, Gloss__V1__Annotation ***out, size_t *n, gl_err *err);
/*
 * Soft-deletes the live suggestions of author on document (a re-run of the
 * same plugin version replaces them); the deleted rows are returned so
 * events can be written for them.
 */
int gl_store_annotation_drop_suggestions(gl_store *s, int64_t document_id,
    const char *author, gl_arena *a, Gloss__V1__Annotation ***out, size_t *n,
    gl_err *err);

int gl_store_relation_add(gl_store *s, Gloss__V1__Relation *rel, gl_err *err);
int gl_store_relation_get(gl_store *s, int64_t id, gl_arena *a,
    Gloss__V1__Relation **out, gl_err *err);
int gl_store_relation_delete(gl_store *s, int64_t id, int64_t *version, gl_err *err);
int gl_store_relation_list(gl_store *s, int64_t document_id, int include_deleted,
    gl_arena *a, Gloss__V1__Relation ***out, size_t *n, gl_err *err);

/* ---- events --------------------------------------------------------- */

/* Appends ev (seq and time are filled in).  ev->project is ignored. */
int gl_store_event_append(gl_store *s, int64_t project_id, Gloss__V1__Event *ev,
    gl_err *err);
/* Events with seq > since (of one project, or all when project_id is 0). */
int gl_store_event_list(gl_store *s, int64_t project_id, int64_t since,
    uint32_t limit, gl_arena *a, Gloss__V1__Event ***out, size_t *n,
    gl_err *err);
int64_t gl_store_event_last_seq(gl_store *s);
/* The annotation.* events of one annotation, oldest first. */
int gl_store_event_history(gl_store *s, int64_t annotation_id, gl_arena *a,
    Gloss__V1__Event ***out, size_t *n, gl_err *err);

/* ---- analysis jobs -------------------------------------------------- */

int gl_store_job_create(gl_store *s, int64_t project_id, const char *plugins_csv,
    int64_t total, int64_t *id, gl_err *err);
int gl_store_job_update(gl_store *s, const Gloss__V1__Job *job, gl_err *err);
int gl_store_job_get(gl_store *s, int64_t id, gl_arena *a, Gloss__V1__Job **out,
    gl_err *err);
/* Jobs left "running" by a crash become "failed" at start. */
int gl_store_job_fail_interrupted(gl_store *s, gl_err *err);

#endif /* GL_STORE_H */
