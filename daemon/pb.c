/* pb.c - protobuf-c glue (see pb.h). */
#include "daemon/pb.h"

#include <string.h>

static void *
gl_pb_alloc(void *data, size_t n)
{
	return gl_arena_alloc(data, n ? n : 1);
}

static void
gl_pb_free(void *data, void *p)
{
	(void)data;
	(void)p;
}

void
gl_pb_allocator(gl_arena *a, ProtobufCAllocator *out)
{
	out->alloc = gl_pb_alloc;
	out->free = gl_pb_free;
	out->allocator_data = a;
}

uint8_t *
gl_pb_pack(gl_arena *a, const ProtobufCMessage *msg, size_t *len)
{
	size_t n = protobuf_c_message_get_packed_size(msg);
	uint8_t *buf = gl_arena_alloc(a, n ? n : 1);
	if (buf == NULL)
		return NULL;
	*len = protobuf_c_message_pack(msg, buf);
	return buf;
}

char *
gl_pb_str(gl_arena *a, const char *s)
{
	return gl_arena_strdup(a, s != NULL ? s : "");
}

void *
gl_pb_new(gl_arena *a, const ProtobufCMessageDescriptor *desc)
{
	ProtobufCMessage *m = gl_arena_alloc(a, desc->sizeof_message);
	if (m != NULL)
		desc->message_init(m);
	return m;
}
