/* svc_health.c - /gloss.v1.Health/Check: the one call that needs no token. */
#include "daemon/services.h"

#include "gloss/v1/health.pb-c.h"

static void
gl_health_check(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	(void)msg;
	Gloss__V1__HealthCheckResponse r = GLOSS__V1__HEALTH_CHECK_RESPONSE__INIT;
	r.status = gl_rpc_draining(d->rpc)
	    ? GLOSS__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__NOT_SERVING
	    : GLOSS__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING;
	r.version = (char *)GLOSS_VERSION;
	r.max_message = gl_rpc_max_message(d->rpc);
	r.last_seq = (uint64_t)gl_store_event_last_seq(d->store);
	gl_call_reply(call, &r.base);
}

static const gl_rpc_method gl_health_methods[] = {
	{ "Check", gl_health_check, GL_RPC_NOAUTH },
};

int
gl_svc_health_register(gl_daemon *d, gl_err *err)
{
	return gl_rpc_register(d->rpc, &gloss__v1__health__descriptor,
	    gl_health_methods, 1, d, err);
}
