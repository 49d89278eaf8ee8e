/*
 * summary_text.c - the canonical one-line text form of a day's summary,
 * which programs in other languages print (exec plugin) and the core
 * parses back to check against the generator.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workload/tickets.h"

const char *brc_summary_format(const struct brc_summary *s, char *buf, size_t n)
{
	snprintf(buf, n,
	         "trips=%" PRId64 " cheapest=%" PRId64 " total=%" PRId64
	         " seats=%" PRId64 " first=%" PRId64 " digest=%016" PRIx64,
	         s->trips, s->cheapest_cents, s->total_cents, s->free_seats,
	         s->first_departure, s->digest);
	return buf;
}

int brc_summary_parse(const char *text, struct brc_summary *out, char *why,
                     size_t why_len)
{
	static const char *const keys[] = { "trips", "cheapest", "total",
	                                    "seats", "first", "digest" };
	int64_t *const ints[] = { &out->trips, &out->cheapest_cents,
	                          &out->total_cents, &out->free_seats,
	                          &out->first_departure };
	unsigned seen = 0;
	const char *p = text;

	memset(out, 0, sizeof(*out));
	while (*p) {
		const char *eq, *end;
		size_t klen, k;
		char *num_end;

		p += strspn(p, " \t");
		if (!*p || *p == '\n')
			break;
		eq = strchr(p, '=');
		end = p + strcspn(p, " \t\n");
		if (!eq || eq > end) {
			snprintf(why, why_len, "expected key=value at '%.20s'", p);
			return -1;
		}
		klen = (size_t)(eq - p);
		for (k = 0; k < 6; k++)
			if (strlen(keys[k]) == klen && !strncmp(p, keys[k], klen))
				break;
		if (k == 6) {
			snprintf(why, why_len, "unknown summary field '%.*s'",
			         (int)klen, p);
			return -1;
		}
		if (k == 5)
			out->digest = strtoull(eq + 1, &num_end, 16);
		else
			*ints[k] = strtoll(eq + 1, &num_end, 10);
		if (num_end != end || num_end == eq + 1) {
			snprintf(why, why_len, "bad value for '%s'", keys[k]);
			return -1;
		}
		seen |= 1u << k;
		p = end;
	}
	for (size_t k = 0; k < 6; k++) {
		if (!(seen & (1u << k))) {
			snprintf(why, why_len, "summary lacks '%s'", keys[k]);
			return -1;
		}
	}
	return 0;
}
