/*
 * pb.h - protobuf-c glue: message memory from a request's arena, packing
 * into arena buffers, and strings that protobuf-c wants non-const.
 */
#ifndef GL_PB_H
#define GL_PB_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"

/* An allocator whose free() is a no-op: the arena owns everything. */
void gl_pb_allocator(gl_arena *a, ProtobufCAllocator *out);
/* Packs msg into arena memory.  Returns NULL on ENOMEM. */
uint8_t *gl_pb_pack(gl_arena *a, const ProtobufCMessage *msg, size_t *len);
/* Arena copy of s ("" for NULL), for protobuf-c's char * fields. */
char *gl_pb_str(gl_arena *a, const char *s);
/* Allocates and inits one message of type desc in the arena. */
void *gl_pb_new(gl_arena *a, const ProtobufCMessageDescriptor *desc);

#endif /* GL_PB_H */
