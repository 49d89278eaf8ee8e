/*
 * body_scan.c - the nesting pre-scan of a received body (body_scan.h).
 *
 * One pass, a counter and a flag: no recursion, no allocation, so it is
 * safe on any stack and costs about as much as a memchr over the body.
 * Closing brackets only lower the counter (never below zero): whether they
 * match is the parser's business.
 */
#include "config.h"

#include "workload/body_scan.h"

bool brc_body_nesting_within(const char *body, size_t len,
                             unsigned max_depth, size_t *at)
{
	unsigned depth = 0;
	bool in_string = false;

	for (size_t k = 0; k < len; k++) {
		char c = body[k];

		if (in_string) {
			if (c == '\\')
				k++; /* the escaped byte cannot end the string */
			else if (c == '"')
				in_string = false;
			continue;
		}
		switch (c) {
		case '"':
			in_string = true;
			break;
		case '[':
		case '{':
			if (++depth > max_depth) {
				if (at)
					*at = k;
				return false;
			}
			break;
		case ']':
		case '}':
			if (depth)
				depth--;
			break;
		default:
			break;
		}
	}
	return true;
}
