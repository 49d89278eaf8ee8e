/*
 * strategies.c - the build tree's strategy plugins (strategies.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "run/loader.h"
#include "strategies.h"
#include "suites.h"
#include "util.h"

#define MAX_STRATEGIES 32

static struct brc_test_strategy list[MAX_STRATEGIES];
static size_t n_list;
static bool scanned;

/* multiplex speaks HTTP/2 only (h2c, prior knowledge): the hostile
 * servers speak HTTP/1.1, so it has nothing to talk to there. */
static bool excluded(const char *name)
{
	return !strcmp(name, "null") || !strncmp(name, "calib", 5) ||
	       !strcmp(name, "exec") || !strcmp(name, "multiplex");
}

size_t brc_test_strategies(const struct brc_test_strategy **out)
{
	char *dir = brc_test_builddir("plugins/.libs");
	char *real = realpath(dir, NULL);
	char **names = NULL;

	*out = list;
	if (scanned)
		goto done;
	scanned = true;
	brc_loader_scan(dir, &names);
	for (size_t k = 0; names && names[k] && n_list < MAX_STRATEGIES; k++) {
		struct brc_test_strategy *s = &list[n_list];
		struct brc_loaded l;
		char *err = NULL;

		if (excluded(names[k]))
			continue;
		s->name = brc_xstrdup(names[k]);
		s->path = brc_xasprintf("%s/%s.so", real ? real : dir, names[k]);
		/* A plugin that does not load still gets its cases: they
		 * fail with the loader's message. */
		if (!brc_plugin_open(s->path, NULL, NULL, &l, &err)) {
			s->stack_size = brc_plugin_param(l.desc, "stack_size") != NULL;
			brc_plugin_close(&l);
		}
		free(err);
		n_list++;
	}
	brc_loader_free_names(names);
done:
	free(real);
	free(dir);
	return n_list;
}
