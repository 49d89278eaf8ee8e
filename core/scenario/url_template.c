/*
 * url_template.c - the placeholders of a URL template (server.url_template
 * in a scenario): which exist, and whether a template uses only those.
 * The scenario checks templates with it; the workload expands them.
 */
#include "config.h"

#include <string.h>

#include "scenario/scenario.h"
#include "util.h"

/* In the order of enum brc_url_placeholder. */
static const char *const placeholders[] = { "{base}", "{route}", "{date}",
                                            "{i}" };

int brc_url_placeholder_at(const char *p, size_t *len)
{
	for (size_t k = 0; k < BR_ARRAY_SIZE(placeholders); k++) {
		size_t n = strlen(placeholders[k]);

		if (!strncmp(p, placeholders[k], n)) {
			*len = n;
			return (int)k;
		}
	}
	return -1;
}

int brc_url_template_check(const char *tmpl, const char **why)
{
	size_t len;

	for (const char *p = tmpl; (p = strchr(p, '{')); p++) {
		if (!strchr(p, '}')) {
			*why = "unclosed '{' (placeholders: {base} {route} {date} {i})";
			return -1;
		}
		if (brc_url_placeholder_at(p, &len) < 0) {
			*why = "unknown placeholder (known: {base} {route} {date} {i})";
			return -1;
		}
	}
	return 0;
}
