/*
 * gloss/client.h - libgloss, the blocking C client of glossd.
 *
 * Every call is one nng REQ/REP exchange carrying a gloss.v1.RpcRequest and
 * answered by a gloss.v1.RpcResponse (see docs/protocol.md).  A client is an
 * opaque handle on one nng REQ socket that dials in the background and
 * reconnects by itself; each call runs on its own nng context, so one
 * client may be shared by several threads that call at the same time.
 *
 * Errors.  Functions return 0 on success or a negative code: -N where N is
 * the gRPC status code of the failure (GLOSS_EINVALID_ARGUMENT == -3, ...),
 * whether the server sent it or the client found it locally (a timeout is
 * -DEADLINE_EXCEEDED, an unreachable or lost server -UNAVAILABLE, a request
 * over the size limit -RESOURCE_EXHAUSTED).  The message of the last failure
 * on the calling thread is kept by gloss_last_error(); a gloss_status, when
 * the caller passes one, receives the code, the message and the details map.
 *
 * Messages are the protobuf-c types generated from proto/gloss/v1 (installed
 * next to this header as gloss/v1/NAME.pb-c.h).  A response handed back in
 * *resp belongs to the caller, who frees it with gloss_free().
 */
#ifndef GLOSS_CLIENT_H
#define GLOSS_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#include "gloss/v1/agreement.pb-c.h"
#include "gloss/v1/analyzers.pb-c.h"
#include "gloss/v1/annotations.pb-c.h"
#include "gloss/v1/curation.pb-c.h"
#include "gloss/v1/documents.pb-c.h"
#include "gloss/v1/events.pb-c.h"
#include "gloss/v1/health.pb-c.h"
#include "gloss/v1/projects.pb-c.h"
#include "gloss/v1/rpc.pb-c.h"
#include "gloss/v1/sessions.pb-c.h"
#include "gloss/v1/users.pb-c.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes: gRPC's numbers (gloss.v1.Code). */
enum {
	GLOSS_OK = 0,
	GLOSS_CANCELLED = 1,
	GLOSS_UNKNOWN = 2,
	GLOSS_INVALID_ARGUMENT = 3,
	GLOSS_DEADLINE_EXCEEDED = 4,
	GLOSS_NOT_FOUND = 5,
	GLOSS_ALREADY_EXISTS = 6,
	GLOSS_PERMISSION_DENIED = 7,
	GLOSS_RESOURCE_EXHAUSTED = 8,
	GLOSS_FAILED_PRECONDITION = 9,
	GLOSS_ABORTED = 10,
	GLOSS_OUT_OF_RANGE = 11,
	GLOSS_UNIMPLEMENTED = 12,
	GLOSS_INTERNAL = 13,
	GLOSS_UNAVAILABLE = 14,
	GLOSS_DATA_LOSS = 15,
	GLOSS_UNAUTHENTICATED = 16,
};

/* Return values: the negated status code. */
#define GLOSS_ECODE(code) (-(code))
enum {
	GLOSS_ECANCELLED = -1,
	GLOSS_EUNKNOWN = -2,
	GLOSS_EINVALID_ARGUMENT = -3,
	GLOSS_EDEADLINE_EXCEEDED = -4,
	GLOSS_ENOT_FOUND = -5,
	GLOSS_EALREADY_EXISTS = -6,
	GLOSS_EPERMISSION_DENIED = -7,
	GLOSS_ERESOURCE_EXHAUSTED = -8,
	GLOSS_EFAILED_PRECONDITION = -9,
	GLOSS_EABORTED = -10,
	GLOSS_EOUT_OF_RANGE = -11,
	GLOSS_EUNIMPLEMENTED = -12,
	GLOSS_EINTERNAL = -13,
	GLOSS_EUNAVAILABLE = -14,
	GLOSS_EDATA_LOSS = -15,
	GLOSS_EUNAUTHENTICATED = -16,
};

#define GLOSS_DEFAULT_TIMEOUT_MS 30000u
#define GLOSS_DEFAULT_MAX_MESSAGE ((size_t)16 << 20)

/* "INVALID_ARGUMENT" for 3 or -3; "UNKNOWN_CODE" outside 0..16. */
const char *gloss_code_name(int code);
/* The code for a name such as "ABORTED"; -1 if unknown. */
int gloss_code_from_name(const char *name);

/*
 * The message of the last failed gloss_* call on this thread ("" after a
 * success).  Valid until the next call on the same thread.
 */
const char *gloss_last_error(void);

/*
 * The outcome of one call, filled by the calls that take one.  An OK answer
 * may carry details too (e.g. "job_id" from Documents/Import, "replayed"
 * on a de-duplicated retry).
 */
typedef struct gloss_status {
	int code;             /* 0 or a GLOSS_* status code */
	int local;            /* 1 when the client decided it (no server answer) */
	char *message;        /* "" when OK; owned, freed by gloss_status_clear */
	size_t n_details;
	char **detail_keys;   /* owned arrays of n_details strings */
	char **detail_values;
} gloss_status;

#define GLOSS_STATUS_INIT { 0, 0, NULL, 0, NULL, NULL }

/*
 * A call that takes a gloss_status clears it first, so one status (set up
 * with GLOSS_STATUS_INIT) may be reused across calls; clear it when done.
 * (An OK answer without details allocates nothing, but clearing is always
 * right.)
 */

/* Frees what a status holds and resets it to GLOSS_STATUS_INIT. */
void gloss_status_clear(gloss_status *st);
/* The value of details[key], or NULL. */
const char *gloss_status_detail(const gloss_status *st, const char *key);

typedef struct gloss_client gloss_client;

/* Connection options for gloss_connect_ex(); zero means "default". */
typedef struct gloss_connect_opts {
	uint32_t timeout_ms;    /* per call; default GLOSS_DEFAULT_TIMEOUT_MS */
	/*
	 * How long a call waits for the connection to come up before it fails
	 * with UNAVAILABLE (within its own timeout); default 5000 ms.
	 */
	uint32_t connect_timeout_ms;
	size_t max_message;     /* largest request sent; default 16 MiB */
	const char *tls_ca_file;     /* tls+tcp:// and wss://: PEM CA bundle */
	const char *tls_server_name; /* default: the host of the URL */
	int tls_insecure;            /* 1: do not verify the server certificate */
} gloss_connect_opts;

/*
 * Creates a client for url ("tcp://host:port", "ipc:///path", "ws://host:
 * port/rpc", "tls+tcp://...", "wss://...") that sends token as
 * "authorization: Bearer <token>" (token may be NULL or "" for Health).
 * Dialing starts in the background and retries for ever, so this succeeds
 * while the server is still down; a call made while there is no connection
 * waits for one up to connect_timeout_ms (and its own timeout) and then
 * fails with GLOSS_EUNAVAILABLE.
 * Fails with GLOSS_EINVALID_ARGUMENT on a malformed or unsupported URL.
 * *out is closed with gloss_close().
 */
int gloss_connect(const char *url, const char *token, gloss_client **out);
int gloss_connect_ex(const char *url, const char *token,
    const gloss_connect_opts *opts, gloss_client **out);
/* Closes the socket and frees c; NULL is fine.  No call may be running. */
void gloss_close(gloss_client *c);

/* Per-call timeout (0 restores the default); sent as timeout_ms too. */
void gloss_set_timeout(gloss_client *c, uint32_t timeout_ms);
uint32_t gloss_get_timeout(const gloss_client *c);
/* Largest serialized RpcRequest this client sends (0: default 16 MiB). */
void gloss_set_max_message(gloss_client *c, size_t bytes);
size_t gloss_get_max_message(const gloss_client *c);
/* Adds or replaces one metadata entry sent with every call (key lower-case). */
int gloss_set_metadata(gloss_client *c, const char *key, const char *value);
/* The URL given to gloss_connect. */
const char *gloss_url(const gloss_client *c);

/* Options of one call; zero-initialise and set what you need. */
typedef struct gloss_call_opts {
	uint32_t timeout_ms;    /* 0: the client's timeout */
	const char *request_id; /* NULL: a fresh random id (32 hex digits) */
	/*
	 * Extra attempts after an UNAVAILABLE outcome (server shutting down,
	 * connection refused or lost), each with the same request_id so the
	 * server applies a write once.  Backs off 100 ms, 200 ms, ... 2 s.
	 */
	int retries;
} gloss_call_opts;

/*
 * Calls method ("/gloss.v1.Documents/Import") with req and decodes the
 * answer's payload as resp_desc into *resp (caller frees with gloss_free).
 * When method is one of the gloss.v1 services, req and resp_desc must be its
 * input and output types (GLOSS_EINVALID_ARGUMENT otherwise); other method
 * names are sent as they are.  req may be NULL for an empty payload.  st
 * may be NULL.  Each call gets a fresh random request_id.
 */
int gloss_call(gloss_client *c, const char *method,
    const ProtobufCMessage *req, const ProtobufCMessageDescriptor *resp_desc,
    ProtobufCMessage **resp, gloss_status *st);
/* Same with options; opts may be NULL. */
int gloss_call_ex(gloss_client *c, const char *method,
    const ProtobufCMessage *req, const ProtobufCMessageDescriptor *resp_desc,
    ProtobufCMessage **resp, gloss_status *st, const gloss_call_opts *opts);
/*
 * gloss_call() that retries up to `retries` times on UNAVAILABLE with the
 * same request_id: the safe way to send a write across a server restart.
 */
int gloss_call_retry(gloss_client *c, const char *method,
    const ProtobufCMessage *req, const ProtobufCMessageDescriptor *resp_desc,
    ProtobufCMessage **resp, gloss_status *st, int retries);

/*
 * The bytes-level call: sends payload as the RpcRequest payload and hands
 * back the RpcResponse payload in *out / *out_len (malloc'ed, caller frees
 * with free(); NULL and 0 when empty).  opts may be NULL.
 */
int gloss_call_raw(gloss_client *c, const char *method, const void *payload,
    size_t len, void **out, size_t *out_len, gloss_status *st,
    const gloss_call_opts *opts);

/* Frees a message returned by any call; NULL is fine. */
void gloss_free(void *msg);

/*
 * Typed wrappers, one per method of proto/gloss/v1.  Each is gloss_call()
 * with the method's name and types; *resp is freed with gloss_free().
 */
#define GLOSS_DECLARE_CALL(fn, Req, Resp)                                  \
	int fn(gloss_client *c, const Req *req, Resp **resp, gloss_status *st)

GLOSS_DECLARE_CALL(gloss_health_check, Gloss__V1__HealthCheckRequest,
    Gloss__V1__HealthCheckResponse);

GLOSS_DECLARE_CALL(gloss_projects_create, Gloss__V1__CreateProjectRequest,
    Gloss__V1__CreateProjectResponse);
GLOSS_DECLARE_CALL(gloss_projects_get, Gloss__V1__GetProjectRequest,
    Gloss__V1__GetProjectResponse);
GLOSS_DECLARE_CALL(gloss_projects_list, Gloss__V1__ListProjectsRequest,
    Gloss__V1__ListProjectsResponse);
GLOSS_DECLARE_CALL(gloss_projects_update, Gloss__V1__UpdateProjectRequest,
    Gloss__V1__UpdateProjectResponse);

GLOSS_DECLARE_CALL(gloss_documents_import, Gloss__V1__ImportRequest,
    Gloss__V1__ImportResponse);
GLOSS_DECLARE_CALL(gloss_documents_get, Gloss__V1__GetDocumentRequest,
    Gloss__V1__GetDocumentResponse);
GLOSS_DECLARE_CALL(gloss_documents_list, Gloss__V1__ListDocumentsRequest,
    Gloss__V1__ListDocumentsResponse);
GLOSS_DECLARE_CALL(gloss_documents_search, Gloss__V1__SearchRequest,
    Gloss__V1__SearchResponse);
GLOSS_DECLARE_CALL(gloss_documents_delete, Gloss__V1__DeleteDocumentRequest,
    Gloss__V1__DeleteDocumentResponse);

GLOSS_DECLARE_CALL(gloss_annotations_create,
    Gloss__V1__CreateAnnotationsRequest, Gloss__V1__CreateAnnotationsResponse);
GLOSS_DECLARE_CALL(gloss_annotations_update,
    Gloss__V1__UpdateAnnotationRequest, Gloss__V1__UpdateAnnotationResponse);
GLOSS_DECLARE_CALL(gloss_annotations_delete,
    Gloss__V1__DeleteAnnotationRequest, Gloss__V1__DeleteAnnotationResponse);
GLOSS_DECLARE_CALL(gloss_annotations_list, Gloss__V1__ListAnnotationsRequest,
    Gloss__V1__ListAnnotationsResponse);
GLOSS_DECLARE_CALL(gloss_annotations_history,
    Gloss__V1__AnnotationHistoryRequest, Gloss__V1__AnnotationHistoryResponse);

GLOSS_DECLARE_CALL(gloss_relations_create, Gloss__V1__CreateRelationRequest,
    Gloss__V1__CreateRelationResponse);
GLOSS_DECLARE_CALL(gloss_relations_delete, Gloss__V1__DeleteRelationRequest,
    Gloss__V1__DeleteRelationResponse);
GLOSS_DECLARE_CALL(gloss_relations_list, Gloss__V1__ListRelationsRequest,
    Gloss__V1__ListRelationsResponse);

GLOSS_DECLARE_CALL(gloss_suggestions_accept,
    Gloss__V1__AcceptSuggestionRequest, Gloss__V1__SuggestionResponse);
GLOSS_DECLARE_CALL(gloss_suggestions_reject,
    Gloss__V1__RejectSuggestionRequest, Gloss__V1__SuggestionResponse);

GLOSS_DECLARE_CALL(gloss_events_watch, Gloss__V1__WatchRequest,
    Gloss__V1__WatchResponse);

GLOSS_DECLARE_CALL(gloss_analyzers_list, Gloss__V1__ListAnalyzersRequest,
    Gloss__V1__ListAnalyzersResponse);
GLOSS_DECLARE_CALL(gloss_analyzers_run, Gloss__V1__RunAnalyzersRequest,
    Gloss__V1__RunAnalyzersResponse);
GLOSS_DECLARE_CALL(gloss_analyzers_job, Gloss__V1__GetJobRequest,
    Gloss__V1__GetJobResponse);

/* Team services: users, tokens, members, sessions, curation, agreement. */
GLOSS_DECLARE_CALL(gloss_users_create, Gloss__V1__CreateUserRequest,
    Gloss__V1__CreateUserResponse);
GLOSS_DECLARE_CALL(gloss_users_list, Gloss__V1__ListUsersRequest,
    Gloss__V1__ListUsersResponse);
GLOSS_DECLARE_CALL(gloss_tokens_issue, Gloss__V1__IssueTokenRequest,
    Gloss__V1__IssueTokenResponse);
GLOSS_DECLARE_CALL(gloss_tokens_revoke, Gloss__V1__RevokeTokenRequest,
    Gloss__V1__RevokeTokenResponse);
GLOSS_DECLARE_CALL(gloss_members_add, Gloss__V1__AddMemberRequest,
    Gloss__V1__AddMemberResponse);
GLOSS_DECLARE_CALL(gloss_members_remove, Gloss__V1__RemoveMemberRequest,
    Gloss__V1__RemoveMemberResponse);
GLOSS_DECLARE_CALL(gloss_members_list, Gloss__V1__ListMembersRequest,
    Gloss__V1__ListMembersResponse);
GLOSS_DECLARE_CALL(gloss_sessions_heartbeat, Gloss__V1__HeartbeatRequest,
    Gloss__V1__HeartbeatResponse);
GLOSS_DECLARE_CALL(gloss_sessions_list, Gloss__V1__ListSessionsRequest,
    Gloss__V1__ListSessionsResponse);
GLOSS_DECLARE_CALL(gloss_curation_diff, Gloss__V1__DiffRequest,
    Gloss__V1__DiffResponse);
GLOSS_DECLARE_CALL(gloss_curation_merge, Gloss__V1__MergeRequest,
    Gloss__V1__MergeResponse);
GLOSS_DECLARE_CALL(gloss_agreement_compute, Gloss__V1__ComputeAgreementRequest,
    Gloss__V1__ComputeAgreementResponse);

/*
 * The Watch loop.  cb is called once per event, in seq order, and once with
 * ev == NULL after every poll that brought no event (the wait ran out, or a
 * transient failure is being retried), so a caller can stop on its own
 * schedule.  A non-zero return from cb stops the loop, which then returns
 * that value.  The event is only valid during the callback.
 */
typedef int (*gloss_watch_cb)(const Gloss__V1__Event *ev, void *arg);

typedef struct gloss_watch_opts {
	const char *project;  /* NULL or "": every project the token may read */
	int64_t since_seq;    /* deliver events with seq > since_seq */
	uint32_t wait_ms;     /* long-poll hold per call; 0: 25000 */
	uint32_t limit;       /* events per call; 0: the server's default */
	/*
	 * Consecutive UNAVAILABLE / DEADLINE_EXCEEDED outcomes tolerated before
	 * giving up; 0 retries for ever.  Each retry resumes from the last seq
	 * delivered, so nothing is missed across a reconnect.
	 */
	int max_failures;
} gloss_watch_opts;

/*
 * Long-polls /gloss.v1.Events/Watch from since_seq until cb returns
 * non-zero (returned), or a non-transient error (returned as negative
 * code).  *last_seq (if not NULL) receives the seq to resume from.
 */
int gloss_watch_ex(gloss_client *c, const gloss_watch_opts *opts,
    gloss_watch_cb cb, void *arg, int64_t *last_seq);
int gloss_watch(gloss_client *c, const char *project, int64_t since_seq,
    gloss_watch_cb cb, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* GLOSS_CLIENT_H */
