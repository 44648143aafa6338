/*
 * calls.c - libgloss typed wrappers, one per method of proto/gloss/v1, and
 * the Watch loop built on Events/Watch.
 */
#include "gloss/client.h"

#include <nng/nng.h>
#include <nng/supplemental/util/platform.h>

#include "clients/lib/internal.h"

#define GLOSS_DEFINE_CALL(fn, path, Req, Resp, resp_descriptor)            \
	int fn(gloss_client *c, const Req *req, Resp **resp, gloss_status *st) \
	{                                                                  \
		return gloss_call(c, path, (const ProtobufCMessage *)req,  \
		    &resp_descriptor, (ProtobufCMessage **)resp, st);      \
	}

GLOSS_DEFINE_CALL(gloss_health_check, "/gloss.v1.Health/Check",
    Gloss__V1__HealthCheckRequest, Gloss__V1__HealthCheckResponse,
    gloss__v1__health_check_response__descriptor)

GLOSS_DEFINE_CALL(gloss_projects_create, "/gloss.v1.Projects/Create",
    Gloss__V1__CreateProjectRequest, Gloss__V1__CreateProjectResponse,
    gloss__v1__create_project_response__descriptor)
GLOSS_DEFINE_CALL(gloss_projects_get, "/gloss.v1.Projects/Get",
    Gloss__V1__GetProjectRequest, Gloss__V1__GetProjectResponse,
    gloss__v1__get_project_response__descriptor)
GLOSS_DEFINE_CALL(gloss_projects_list, "/gloss.v1.Projects/List",
    Gloss__V1__ListProjectsRequest, Gloss__V1__ListProjectsResponse,
    gloss__v1__list_projects_response__descriptor)
GLOSS_DEFINE_CALL(gloss_projects_update, "/gloss.v1.Projects/Update",
    Gloss__V1__UpdateProjectRequest, Gloss__V1__UpdateProjectResponse,
    gloss__v1__update_project_response__descriptor)

GLOSS_DEFINE_CALL(gloss_documents_import, "/gloss.v1.Documents/Import",
    Gloss__V1__ImportRequest, Gloss__V1__ImportResponse,
    gloss__v1__import_response__descriptor)
GLOSS_DEFINE_CALL(gloss_documents_get, "/gloss.v1.Documents/Get",
    Gloss__V1__GetDocumentRequest, Gloss__V1__GetDocumentResponse,
    gloss__v1__get_document_response__descriptor)
GLOSS_DEFINE_CALL(gloss_documents_list, "/gloss.v1.Documents/List",
    Gloss__V1__ListDocumentsRequest, Gloss__V1__ListDocumentsResponse,
    gloss__v1__list_documents_response__descriptor)
GLOSS_DEFINE_CALL(gloss_documents_search, "/gloss.v1.Documents/Search",
    Gloss__V1__SearchRequest, Gloss__V1__SearchResponse,
    gloss__v1__search_response__descriptor)
GLOSS_DEFINE_CALL(gloss_documents_delete, "/gloss.v1.Documents/Delete",
    Gloss__V1__DeleteDocumentRequest, Gloss__V1__DeleteDocumentResponse,
    gloss__v1__delete_document_response__descriptor)

GLOSS_DEFINE_CALL(gloss_annotations_create, "/gloss.v1.Annotations/Create",
    Gloss__V1__CreateAnnotationsRequest, Gloss__V1__CreateAnnotationsResponse,
    gloss__v1__create_annotations_response__descriptor)
GLOSS_DEFINE_CALL(gloss_annotations_update, "/gloss.v1.Annotations/Update",
    Gloss__V1__UpdateAnnotationRequest, Gloss__V1__UpdateAnnotationResponse,
    gloss__v1__update_annotation_response__descriptor)
GLOSS_DEFINE_CALL(gloss_annotations_delete, "/gloss.v1.Annotations/Delete",
    Gloss__V1__DeleteAnnotationRequest, Gloss__V1__DeleteAnnotationResponse,
    gloss__v1__delete_annotation_response__descriptor)
GLOSS_DEFINE_CALL(gloss_annotations_list, "/gloss.v1.Annotations/List",
    Gloss__V1__ListAnnotationsRequest, Gloss__V1__ListAnnotationsResponse,
    gloss__v1__list_annotations_response__descriptor)
GLOSS_DEFINE_CALL(gloss_annotations_history, "/gloss.v1.Annotations/History",
    Gloss__V1__AnnotationHistoryRequest, Gloss__V1__AnnotationHistoryResponse,
    gloss__v1__annotation_history_response__descriptor)

GLOSS_DEFINE_CALL(gloss_relations_create, "/gloss.v1.Relations/Create",
    Gloss__V1__CreateRelationRequest, Gloss__V1__CreateRelationResponse,
    gloss__v1__create_relation_response__descriptor)
GLOSS_DEFINE_CALL(gloss_relations_delete, "/gloss.v1.Relations/Delete",
    Gloss__V1__DeleteRelationRequest, Gloss__V1__DeleteRelationResponse,
    gloss__v1__delete_relation_response__descriptor)
GLOSS_DEFINE_CALL(gloss_relations_list, "/gloss.v1.Relations/List",
    Gloss__V1__ListRelationsRequest, Gloss__V1__ListRelationsResponse,
    gloss__v1__list_relations_response__descriptor)

GLOSS_DEFINE_CALL(gloss_suggestions_accept, "/gloss.v1.Suggestions/Accept",
    Gloss__V1__AcceptSuggestionRequest, Gloss__V1__SuggestionResponse,
    gloss__v1__suggestion_response__descriptor)
GLOSS_DEFINE_CALL(gloss_suggestions_reject, "/gloss.v1.Suggestions/Reject",
    Gloss__V1__RejectSuggestionRequest, Gloss__V1__SuggestionResponse,
    gloss__v1__suggestion_response__descriptor)

GLOSS_DEFINE_CALL(gloss_events_watch, "/gloss.v1.Events/Watch",
    Gloss__V1__WatchRequest, Gloss__V1__WatchResponse,
    gloss__v1__watch_response__descriptor)

GLOSS_DEFINE_CALL(gloss_analyzers_list, "/gloss.v1.Analyzers/List",
    Gloss__V1__ListAnalyzersRequest, Gloss__V1__ListAnalyzersResponse,
    gloss__v1__list_analyzers_response__descriptor)
GLOSS_DEFINE_CALL(gloss_analyzers_run, "/gloss.v1.Analyzers/Run",
    Gloss__V1__RunAnalyzersRequest, Gloss__V1__RunAnalyzersResponse,
    gloss__v1__run_analyzers_response__descriptor)
GLOSS_DEFINE_CALL(gloss_analyzers_job, "/gloss.v1.Analyzers/Job",
    Gloss__V1__GetJobRequest, Gloss__V1__GetJobResponse,
    gloss__v1__get_job_response__descriptor)

GLOSS_DEFINE_CALL(gloss_users_create, "/gloss.v1.Users/Create",
    Gloss__V1__CreateUserRequest, Gloss__V1__CreateUserResponse,
    gloss__v1__create_user_response__descriptor)
GLOSS_DEFINE_CALL(gloss_users_list, "/gloss.v1.Users/List",
    Gloss__V1__ListUsersRequest, Gloss__V1__ListUsersResponse,
    gloss__v1__list_users_response__descriptor)
GLOSS_DEFINE_CALL(gloss_tokens_issue, "/gloss.v1.Tokens/Issue",
    Gloss__V1__IssueTokenRequest, Gloss__V1__IssueTokenResponse,
    gloss__v1__issue_token_response__descriptor)
GLOSS_DEFINE_CALL(gloss_tokens_revoke, "/gloss.v1.Tokens/Revoke",
    Gloss__V1__RevokeTokenRequest, Gloss__V1__RevokeTokenResponse,
    gloss__v1__revoke_token_response__descriptor)
GLOSS_DEFINE_CALL(gloss_members_add, "/gloss.v1.Members/Add",
    Gloss__V1__AddMemberRequest, Gloss__V1__AddMemberResponse,
    gloss__v1__add_member_response__descriptor)
GLOSS_DEFINE_CALL(gloss_members_remove, "/gloss.v1.Members/Remove",
    Gloss__V1__RemoveMemberRequest, Gloss__V1__RemoveMemberResponse,
    gloss__v1__remove_member_response__descriptor)
GLOSS_DEFINE_CALL(gloss_members_list, "/gloss.v1.Members/List",
    Gloss__V1__ListMembersRequest, Gloss__V1__ListMembersResponse,
    gloss__v1__list_members_response__descriptor)
GLOSS_DEFINE_CALL(gloss_sessions_heartbeat, "/gloss.v1.Sessions/Heartbeat",
    Gloss__V1__HeartbeatRequest, Gloss__V1__HeartbeatResponse,
    gloss__v1__heartbeat_response__descriptor)
GLOSS_DEFINE_CALL(gloss_sessions_list, "/gloss.v1.Sessions/List",
    Gloss__V1__ListSessionsRequest, Gloss__V1__ListSessionsResponse,
    gloss__v1__list_sessions_response__descriptor)
GLOSS_DEFINE_CALL(gloss_curation_diff, "/gloss.v1.Curation/Diff",
    Gloss__V1__DiffRequest, Gloss__V1__DiffResponse,
    gloss__v1__diff_response__descriptor)
GLOSS_DEFINE_CALL(gloss_curation_merge, "/gloss.v1.Curation/Merge",
    Gloss__V1__MergeRequest, Gloss__V1__MergeResponse,
    gloss__v1__merge_response__descriptor)
GLOSS_DEFINE_CALL(gloss_agreement_compute, "/gloss.v1.Agreement/Compute",
    Gloss__V1__ComputeAgreementRequest, Gloss__V1__ComputeAgreementResponse,
    gloss__v1__compute_agreement_response__descriptor)

#define WATCH_DEFAULT_WAIT_MS 25000u
#define WATCH_MAX_WAIT_MS 60000u

int
gloss_watch_ex(gloss_client *c, const gloss_watch_opts *opts,
    gloss_watch_cb cb, void *arg, int64_t *last_seq)
{
	static const gloss_watch_opts no_opts;
	Gloss__V1__WatchRequest req = GLOSS__V1__WATCH_REQUEST__INIT;
	gloss_call_opts co = { 0 };
	int64_t since;
	int failures = 0, backoff = 100, stop = 0;

	if (opts == NULL)
		opts = &no_opts;
	since = opts->since_seq;
	req.wait_ms = opts->wait_ms ? opts->wait_ms : WATCH_DEFAULT_WAIT_MS;
	if (req.wait_ms > WATCH_MAX_WAIT_MS)
		req.wait_ms = WATCH_MAX_WAIT_MS;
	req.project = (char *)(opts->project ? opts->project : "");
	req.limit = opts->limit;
	/* The call may legitimately be held for wait_ms before it answers. */
	co.timeout_ms = gloss_get_timeout(c) + req.wait_ms;

	while (!stop) {
		Gloss__V1__WatchResponse *resp = NULL;
		int rv;

		req.since_seq = since;
		rv = gloss_call_ex(c, "/gloss.v1.Events/Watch",
		    (const ProtobufCMessage *)&req,
		    &gloss__v1__watch_response__descriptor,
		    (ProtobufCMessage **)&resp, NULL, &co);
		if (rv == GLOSS_EUNAVAILABLE || rv == GLOSS_EDEADLINE_EXCEEDED) {
			if (opts->max_failures > 0 &&
			    ++failures >= opts->max_failures) {
				stop = rv;
				break;
			}
			if ((stop = cb(NULL, arg)) != 0)
				break;
			nng_msleep(backoff);
			backoff = backoff * 2 > 2000 ? 2000 : backoff * 2;
			continue;
		}
		if (rv != 0) {
			stop = rv;
			break;
		}
		failures = 0;
		backoff = 100;
		for (size_t i = 0; i < resp->n_events && !stop; i++) {
			const Gloss__V1__Event *ev = resp->events[i];
			if (ev->seq <= since)
				continue; /* never deliver one twice */
			since = ev->seq;
			stop = cb(ev, arg);
		}
		/* last_seq is the server's resume point (it may pass events
		 * of other projects); only take it when all were delivered. */
		if (!stop && resp->last_seq > since)
			since = resp->last_seq;
		if (!stop && resp->n_events == 0)
			stop = cb(NULL, arg);
		gloss_free(resp);
	}
	if (last_seq != NULL)
		*last_seq = since;
	return stop;
}

int
gloss_watch(gloss_client *c, const char *project, int64_t since_seq,
    gloss_watch_cb cb, void *arg)
{
	gloss_watch_opts o = { 0 };

	o.project = project;
	o.since_seq = since_seq;
	return gloss_watch_ex(c, &o, cb, arg, NULL);
}
