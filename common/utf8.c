/*
 * utf8.c - strict UTF-8 validation, NFC via libutf8proc, and a compact
 * byte <-> code-point offset map (one checkpoint per 64 code points plus a
 * short scan), so a long document costs ~1/8 byte per code point.
 */
#include "common/utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* Length of the valid sequence starting at s[i], or 0 if it is invalid. */
static size_t
gl_utf8_seq(const unsigned char *s, size_t len, size_t i)
{
	unsigned char c = s[i];
	if (c < 0x80)
		return 1;
	size_t n;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		if (c == 0xE0)
			lo = 0xA0; /* overlong */
		else if (c == 0xED)
			hi = 0x9F; /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		if (c == 0xF0)
			lo = 0x90; /* overlong */
		else if (c == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
	} else {
		return 0; /* continuation byte, C0/C1 overlong lead, F5..FF */
	}
	if (len - i < n)
		return 0;
	if (s[i + 1] < lo || s[i + 1] > hi)
		return 0;
	for (size_t k = 2; k < n; k++)
		if ((s[i + k] & 0xC0) != 0x80)
			return 0;
	return n;
}

int
gl_utf8_validate(const char *str, size_t len, size_t *bad_at)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		/* ASCII runs are the common case: skip them 1 byte at a time
		 * without the function call. */
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = gl_utf8_seq(s, len, i);
		if (n == 0) {
			if (bad_at != NULL)
				*bad_at = i;
			return -1;
		}
		i += n;
	}
	return 0;
}

size_t
gl_utf8_count(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

int
gl_utf8_is_boundary(const char *s, size_t len, size_t off)
{
	if (off == 0 || off == len)
		return 1;
	if (off > len)
		return 0;
	return ((unsigned char)s[off] & 0xC0) != 0x80;
}

int
gl_utf8_normalize(const char *s, size_t len, char **out, size_t *out_len,
    size_t *bad_at)
{
	*out = NULL;
	*out_len = 0;
	if (gl_utf8_validate(s, len, bad_at) != 0)
		return -EINVAL;

	/* Line ends first, by hand: UTF8PROC_NLF2LF would also fold NEL and
	 * other separators, which are text, not line ends. */
	char *lf = malloc(len + 1);
	if (lf == NULL)
		return -ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\r') {
			lf[n++] = '\n';
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
		} else {
			lf[n++] = s[i];
		}
	}
	lf[n] = '\0';

	int ascii = 1;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)lf[i] >= 0x80) {
			ascii = 0;
			break;
		}
	if (ascii || n == 0) { /* ASCII is already NFC */
		*out = lf;
		*out_len = n;
		return 0;
	}

	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)lf,
	    (utf8proc_ssize_t)n, &nfc, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	free(lf);
	if (r < 0) {
		/* The input was validated, so only ENOMEM is expected here. */
		if (r == UTF8PROC_ERROR_NOMEM || r == UTF8PROC_ERROR_OVERFLOW)
			return -ENOMEM;
		if (bad_at != NULL)
			*bad_at = 0;
		return -EINVAL;
	}
	*out = (char *)nfc;
	*out_len = (size_t)r;
	return 0;
}

/* ---- offset map ---------------------------------------------------- */

#define GL_UTF8_STEP 64 /* code points between checkpoints */

struct gl_utf8_map {
	const char *s;
	size_t len;
	size_t ncp;
	int ascii;      /* byte offset == code point: no checkpoints */
	size_t nck;
	size_t *ck;     /* ck[k] = byte offset of code point k * GL_UTF8_STEP */
};

int
gl_utf8_map_new(const char *s, size_t len, gl_utf8_map **out)
{
	*out = NULL;
	gl_utf8_map *m = calloc(1, sizeof *m);
	if (m == NULL)
		return -ENOMEM;
	m->s = s;
	m->len = len;
	m->ncp = gl_utf8_count(s, len);
	m->ascii = m->ncp == len;
	if (!m->ascii) {
		m->nck = m->ncp / GL_UTF8_STEP + 1;
		m->ck = malloc(m->nck * sizeof *m->ck);
		if (m->ck == NULL) {
			free(m);
			return -ENOMEM;
		}
		size_t cp = 0, k = 0;
		for (size_t i = 0; i < len; i++) {
			if (((unsigned char)s[i] & 0xC0) == 0x80)
				continue;
			if (cp % GL_UTF8_STEP == 0)
				m->ck[k++] = i;
			cp++;
		}
		if (k < m->nck) /* ncp is a multiple of the step */
			m->ck[k++] = len;
		m->nck = k;
	}
	*out = m;
	return 0;
}

void
gl_utf8_map_free(gl_utf8_map *m)
{
	if (m == NULL)
		return;
	free(m->ck);
	free(m);
}

size_t
gl_utf8_map_cp_len(const gl_utf8_map *m)
{
	return m->ncp;
}

int64_t
gl_utf8_map_to_cp(const gl_utf8_map *m, size_t off)
{
	if (off > m->len)
		return -1;
	if (m->ascii)
		return (int64_t)off;
	if (off == m->len)
		return (int64_t)m->ncp;
	if (((unsigned char)m->s[off] & 0xC0) == 0x80)
		return -1;
	/* Last checkpoint at or before off. */
	size_t lo = 0, hi = m->nck;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->ck[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	size_t cp = lo * GL_UTF8_STEP;
	for (size_t i = m->ck[lo]; i < off; i++)
		if (((unsigned char)m->s[i] & 0xC0) != 0x80)
			cp++;
	return (int64_t)cp;
}

int64_t
gl_utf8_map_to_byte(const gl_utf8_map *m, int64_t cp)
{
	if (cp < 0 || (uint64_t)cp > m->ncp)
		return -1;
	if (m->ascii)
		return cp;
	if ((size_t)cp == m->ncp)
		return (int64_t)m->len;
	size_t k = (size_t)cp / GL_UTF8_STEP;
	size_t left = (size_t)cp % GL_UTF8_STEP;
	size_t i = m->ck[k];
	while (left > 0) {
		i++;
		while (i < m->len && ((unsigned char)m->s[i] & 0xC0) == 0x80)
			i++;
		left--;
	}
	return (int64_t)i;
}
