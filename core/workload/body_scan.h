/*
 * body_scan.h - where a refused body nests too deep.  The parser bounds
 * nesting itself (BRC_JSON_MAX_DEPTH in ticket_json.h, with no stack per
 * level) but only says "too deep"; for a body it refused, this scan finds
 * the byte, so the error says where ("nested deeper than 8 levels at byte
 * N").  It runs only on bodies already refused, never on good ones.  It
 * needs no stack either: a loop, a counter and a flag.
 */
#ifndef BR_BODY_SCAN_H
#define BR_BODY_SCAN_H

#include <stdbool.h>
#include <stddef.h>

/*
 * True when no '[' or '{' outside a JSON string nests deeper than
 * max_depth in body[0..len).  Otherwise false, with the byte offset of the
 * first bracket too deep in *at (when at is non-NULL).  Strings are
 * skipped with their escapes; nothing else is validated (the parser does
 * that), so an unterminated string simply ends the scan.  Unlike the
 * parser it counts empty [] and {} as a level too.
 */
bool brc_body_nesting_within(const char *body, size_t len,
                             unsigned max_depth, size_t *at);

#endif /* BR_BODY_SCAN_H */
