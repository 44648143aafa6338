/*
 * svc_users.c - /gloss.v1.Users, /gloss.v1.Tokens and /gloss.v1.Members.
 *
 * A user's global role is admin (everything everywhere), manager (may also
 * create projects) or one of curator, annotator, viewer; what a user may do
 * inside a project comes from membership, and the global role is the default
 * role a new member gets.  Tokens are shown once and stored hashed;
 * revocation takes effect on the next call because every call looks its
 * token up.
 */
#include "daemon/services.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "daemon/auth.h"
#include "daemon/events.h"
#include "daemon/pb.h"
#include "gloss/v1/users.pb-c.h"

static int
gl_users_is_admin(gl_call *call)
{
	const gl_user *u = gl_call_user(call);
	if (u != NULL && strcmp(u->role, "admin") == 0)
		return 1;
	char msg[160];
	snprintf(msg, sizeof(msg), "%s is for admins; user \"%s\" is %s",
	    gl_call_method(call), u ? u->name : "?", u ? u->role : "nobody");
	gl_call_fail(call, GL_PERMISSION_DENIED, msg);
	return 0;
}

static int
gl_users_check_name(const char *name, gl_err *err)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > 63)
		return gl_err_set(err, GL_INVALID_ARGUMENT,
		    "user name must be 1 to 63 characters");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (!isalnum(c) && c != '.' && c != '_' && c != '-')
			return gl_err_set(err, GL_INVALID_ARGUMENT,
			    "user name \"%s\" may only use letters, digits, '.', "
			    "'_' and '-'", name);
	}
	if (strncmp(name, "plugin", 6) == 0)
		return gl_err_set(err, GL_INVALID_ARGUMENT,
		    "user names starting with \"plugin\" are reserved");
	return 0;
}

/* Makes a token for user_id; the clear text goes to out[64]. */
static int
gl_users_new_token(gl_daemon *d, int64_t user_id, char out[64], int64_t *id,
    gl_err *err)
{
	char hex[65];
	int rc = gl_auth_token_new(out, err);
	if (rc != 0)
		return rc;
	gl_auth_token_hash(out, hex);
	return gl_store_token_add_id(d->store, user_id, hex, id, err);
}

static void
gl_users_create(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__CreateUserRequest *req = (const Gloss__V1__CreateUserRequest *)msg;
	gl_arena *a = gl_call_arena(call);
	gl_err err;
	int rc;
	if (!gl_users_is_admin(call))
		return;
	const char *role = req->role && req->role[0] ? req->role : "annotator";
	if (gl_role_from_name(role) == GL_ROLE_NONE) {
		gl_call_fail(call, GL_INVALID_ARGUMENT, "role must be one of admin, "
		    "manager, curator, annotator, viewer");
		return;
	}
	Gloss__V1__CreateUserResponse r = GLOSS__V1__CREATE_USER_RESPONSE__INIT;
	Gloss__V1__User *u = gl_pb_new(a, &gloss__v1__user__descriptor);
	char *token = gl_arena_alloc(a, 64);
	if (u == NULL || token == NULL) {
		gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	if ((rc = gl_users_check_name(req->name, &err)) != 0 ||
	    (rc = gl_store_user_create(d->store, req->name, role, &u->id, &err)) != 0 ||
	    (rc = gl_users_new_token(d, u->id, token, &r.token_id, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	u->name = req->name;
	u->role = (char *)role;
	u->created_at = gl_store_now_ms();
	u->tokens = 1;
	r.user = u;
	r.token = token;
	gl_call_reply(call, &r.base);
}

static void
gl_users_list(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	(void)msg;
	gl_err err;
	if (!gl_users_is_admin(call))
		return;
	Gloss__V1__ListUsersResponse r = GLOSS__V1__LIST_USERS_RESPONSE__INIT;
	int rc = gl_store_user_list(d->store, gl_call_arena(call), &r.users,
	    &r.n_users, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	gl_call_reply(call, &r.base);
}

static void
gl_tokens_issue(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__IssueTokenRequest *req = (const Gloss__V1__IssueTokenRequest *)msg;
	gl_err err;
	gl_user u;
	int rc;
	if (!gl_users_is_admin(call))
		return;
	Gloss__V1__IssueTokenResponse r = GLOSS__V1__ISSUE_TOKEN_RESPONSE__INIT;
	r.token = gl_arena_alloc(gl_call_arena(call), 64);
	if (r.token == NULL) {
		gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	if ((rc = gl_store_user_get(d->store, req->user, &u, &err)) != 0 ||
	    (rc = gl_users_new_token(d, u.id, r.token, &r.token_id, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	gl_call_reply(call, &r.base);
}

static void
gl_tokens_revoke(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__RevokeTokenRequest *req = (const Gloss__V1__RevokeTokenRequest *)msg;
	gl_err err;
	gl_user u;
	int rc;
	if (!gl_users_is_admin(call))
		return;
	Gloss__V1__RevokeTokenResponse r = GLOSS__V1__REVOKE_TOKEN_RESPONSE__INIT;
	if ((rc = gl_store_user_get(d->store, req->user, &u, &err)) != 0 ||
	    (rc = gl_store_token_revoke(d->store, u.id, req->token_id, &r.revoked, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	if (r.revoked == 0) {
		gl_call_fail(call, GL_NOT_FOUND, "no live token matched");
		return;
	}
	gl_call_reply(call, &r.base);
}

/* ---- members -------------------------------------------------------- */


static void
gl_members_add(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__AddMemberRequest *req = (const Gloss__V1__AddMemberRequest *)msg;
	Gloss__V1__Project *p;
	gl_err err;
	gl_user u;
	int rc;
	if (gl_svc_project(call, d, req->project, GL_ROLE_MANAGER, &p) != 0)
		return;
	if ((rc = gl_store_user_get(d->store, req->user, &u, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	const char *role = req->role && req->role[0] ? req->role
	    : (strcmp(u.role, "admin") == 0 ? "manager" : u.role);
	int r = gl_role_from_name(role);
	if (r < GL_ROLE_VIEWER || r > GL_ROLE_MANAGER) {
		gl_call_fail(call, GL_INVALID_ARGUMENT, "member role must be one "
		    "of manager, curator, annotator, viewer");
		return;
	}
	char detail[200];
	snprintf(detail, sizeof(detail), "{\"user\":\"%s\",\"role\":\"%s\"}", u.name, role);
	if ((rc = gl_store_member_set(d->store, p->id, u.id, role, &err)) != 0 ||
	    (rc = gl_events_append(d, p->id, 0, "member.added", u.id, 0,
	         gl_svc_author(call), NULL, detail, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	Gloss__V1__Member m = GLOSS__V1__MEMBER__INIT;
	m.user = u.name;
	m.role = (char *)role;
	Gloss__V1__AddMemberResponse resp = GLOSS__V1__ADD_MEMBER_RESPONSE__INIT;
	resp.member = &m;
	gl_call_reply(call, &resp.base);
}

static void
gl_members_remove(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__RemoveMemberRequest *req = (const Gloss__V1__RemoveMemberRequest *)msg;
	Gloss__V1__Project *p;
	gl_err err;
	gl_user u;
	int rc;
	if (gl_svc_project(call, d, req->project, GL_ROLE_MANAGER, &p) != 0)
		return;
	char detail[120];
	snprintf(detail, sizeof(detail), "{\"user\":\"%s\"}", req->user);
	if ((rc = gl_store_user_get(d->store, req->user, &u, &err)) != 0 ||
	    (rc = gl_store_member_remove(d->store, p->id, u.id, &err)) != 0 ||
	    (rc = gl_events_append(d, p->id, 0, "member.removed", u.id, 0,
	         gl_svc_author(call), NULL, detail, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	Gloss__V1__RemoveMemberResponse r = GLOSS__V1__REMOVE_MEMBER_RESPONSE__INIT;
	gl_call_reply(call, &r.base);
}

static void
gl_members_list(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__ListMembersRequest *req = (const Gloss__V1__ListMembersRequest *)msg;
	Gloss__V1__Project *p;
	gl_err err;
	if (gl_svc_project(call, d, req->project, GL_ROLE_VIEWER, &p) != 0)
		return;
	Gloss__V1__ListMembersResponse r = GLOSS__V1__LIST_MEMBERS_RESPONSE__INIT;
	int rc = gl_store_member_list(d->store, p->id, gl_call_arena(call),
	    &r.members, &r.n_members, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	gl_call_reply(call, &r.base);
}

static const gl_rpc_method gl_users_methods[] = {
	{ "Create", gl_users_create, GL_RPC_WRITE },
	{ "List", gl_users_list, GL_RPC_READ },
};
static const gl_rpc_method gl_tokens_methods[] = {
	{ "Issue", gl_tokens_issue, GL_RPC_WRITE },
	{ "Revoke", gl_tokens_revoke, GL_RPC_WRITE },
};
static const gl_rpc_method gl_members_methods[] = {
	{ "Add", gl_members_add, GL_RPC_WRITE },
	{ "Remove", gl_members_remove, GL_RPC_WRITE },
	{ "List", gl_members_list, GL_RPC_READ },
};

int
gl_svc_users_register(gl_daemon *d, gl_err *err)
{
	int rc;
	if ((rc = gl_rpc_register(d->rpc, &gloss__v1__users__descriptor,
	         gl_users_methods, 2, d, err)) != 0 ||
	    (rc = gl_rpc_register(d->rpc, &gloss__v1__tokens__descriptor,
	         gl_tokens_methods, 2, d, err)) != 0 ||
	    (rc = gl_rpc_register(d->rpc, &gloss__v1__members__descriptor,
	         gl_members_methods, 3, d, err)) != 0)
		return rc;
	return 0;
}
