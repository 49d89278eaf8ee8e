/*
 * util_text.c - text from input made safe to show: the one sanitizer that
 * every message, report and picture uses for names, labels, plugin logs and
 * program output (see util.h), so an escape sequence in a scenario name or a
 * results file never reaches a terminal, a gnuplot script or an SVG raw.
 */
#include "config.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Length of the well-formed UTF-8 sequence at s (1 to 4), or 0 when the
 * bytes there are not one (overlong forms, surrogates and code points past
 * U+10FFFF included). */
static size_t utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	size_t n;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	/* C1 controls (U+0080..U+009F) act like ESC on many terminals. */
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	return n;
}

char *brc_sanitize(char *s, unsigned flags)
{
	unsigned char *p = (unsigned char *)s;

	while (p && *p) {
		size_t n = utf8_len(p);

		if (n == 1 && (*p < 0x20 || *p == 0x7f) &&
		    !((flags & BRC_TEXT_KEEP_NL) && *p == '\n') &&
		    !((flags & BRC_TEXT_KEEP_TAB) && *p == '\t'))
			*p = '?';
		if (n == 0) {
			*p++ = '?';
			continue;
		}
		p += n;
	}
	return s;
}

char *brc_xsanitized(const char *s, unsigned flags)
{
	return brc_sanitize(brc_xstrdup(s ? s : ""), flags);
}

bool brc_is_clean(const char *s, unsigned flags)
{
	char *c = brc_xsanitized(s, flags);
	bool same = !strcmp(c, s ? s : "");

	free(c);
	return same;
}
