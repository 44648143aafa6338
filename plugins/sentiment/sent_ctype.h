/*
 * sent_ctype.h - locale-free ASCII character classes for the hot loops
 * (the libc ctype calls cost a function call and a locale lookup per byte).
 */
#ifndef SENT_CTYPE_H
#define SENT_CTYPE_H

#include <stdint.h>

enum { SC_UPPER = 1, SC_LOWER = 2, SC_DIGIT = 4 };

static inline unsigned
sc_class(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return SC_LOWER;
	if (c >= 'A' && c <= 'Z')
		return SC_UPPER;
	if (c >= '0' && c <= '9')
		return SC_DIGIT;
	return 0;
}

static inline int sc_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static inline int sc_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static inline int sc_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline int sc_alpha(unsigned char c) { return sc_upper(c) || sc_lower(c); }
static inline int sc_alnum(unsigned char c) { return sc_alpha(c) || sc_digit(c); }
static inline unsigned char sc_tolower(unsigned char c) { return sc_upper(c) ? (unsigned char)(c + 32) : c; }

#endif /* SENT_CTYPE_H */
