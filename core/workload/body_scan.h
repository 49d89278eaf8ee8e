/*
 * body_scan.h - cheap checks on a received body before any JSON parser
 * sees it.  Parsers recurse once per level of nesting, and bodies are
 * parsed on whatever stack the strategy called done() from: a green
 * thread's 32 KiB, a thread at `stack_size: 16KiB`.  A ticket nests four
 * levels deep (object, trips array, trip object, price object), so a body
 * nesting deeper than BRC_BODY_MAX_DEPTH is not a ticket and is refused
 * here, by a loop that uses no stack per level, whichever parser follows.
 */
#ifndef BR_BODY_SCAN_H
#define BR_BODY_SCAN_H

#include <stdbool.h>
#include <stddef.h>

/* Deepest nesting of arrays and objects a ticket body may have. */
#define BRC_BODY_MAX_DEPTH 8

/*
 * True when no '[' or '{' outside a JSON string nests deeper than
 * max_depth in body[0..len).  Otherwise false, with the byte offset of the
 * first bracket too deep in *at (when at is non-NULL).  Strings are
 * skipped with their escapes; nothing else is validated (the parser does
 * that), so an unterminated string simply ends the scan.
 */
bool brc_body_nesting_within(const char *body, size_t len,
                             unsigned max_depth, size_t *at);

#endif /* BR_BODY_SCAN_H */
