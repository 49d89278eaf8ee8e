/*
 * body_scan.c - where a refused body nests too deep (body_scan.h).
 *
 * One pass, a counter and a flag: no recursion, no allocation, so it is
 * safe on any stack and costs about as much as a memchr over the body.
 * Closing brackets only lower the counter (never below zero): whether they
 * match is the parser's business.
 */
#include "config.h"

#include <string.h>

#include "workload/body_scan.h"

/*
 * The end of the string whose first content byte is at k: the index of its
 * closing quote, or len when unterminated.  Strings are most of a ticket's
 * bytes, so they are crossed with memchr (vectorised in glibc) rather than
 * byte by byte: a quote found is the closing one unless an odd number of
 * backslashes stands right before it (each escapes the next byte, as the
 * byte loop's k++ did).
 */
static size_t string_end(const char *body, size_t k, size_t len)
{
	for (;;) {
		const char *q = memchr(body + k, '"', len - k);
		size_t at, slashes = 0;

		if (!q)
			return len;
		at = (size_t)(q - body);
		while (at - slashes > k && body[at - slashes - 1] == '\\')
			slashes++;
		if (slashes % 2 == 0)
			return at;
		k = at + 1;
	}
}

/* The bytes the scan stops at outside strings. */
static const bool special[256] = {
	['"'] = true, ['['] = true, [']'] = true, ['{'] = true, ['}'] = true,
};

bool brc_body_nesting_within(const char *body, size_t len,
                             unsigned max_depth, size_t *at)
{
	unsigned depth = 0;

	for (size_t k = 0; k < len; k++) {
		/* Numbers, commas, colons, spaces: nothing to do. */
		while (!special[(unsigned char)body[k]] && ++k < len)
			;
		if (k == len)
			break;
		switch (body[k]) {
		case '"':
			k = string_end(body, k + 1, len);
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
