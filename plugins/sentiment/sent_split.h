/*
 * sent_split.h - sentence units as GUIDELINES section 5 defines them: a line
 * break always ends a unit; ".", "!" and "?" end one unless an abbreviation,
 * an initial or a decimal explains the dot; glued footnote digits and
 * collapsed paragraph marks ("ties..Chinese") do end one.  Units exclude
 * surrounding whitespace and leading bullet glyphs.
 */
#ifndef SENT_SPLIT_H
#define SENT_SPLIT_H

#include <stddef.h>

#include "sent_lex.h"

/*
 * Find the next unit at or after *pos.  On success store its byte range in
 * *start and *end, advance *pos past it and return 1; return 0 at the end.
 * lx supplies the abbreviations (may be NULL: then only initials and dotted
 * forms such as "U.S." are recognised).
 */
int sent_split_next(const sent_lex *lx, const char *text, size_t len, size_t *pos,
    size_t *start, size_t *end);

#endif /* SENT_SPLIT_H */
