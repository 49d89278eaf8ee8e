/*
 * cmd_plugins.c - `benchrun plugins`: every plugin on the search path, with
 * where it was found, its ABI, description and parameter table.  A broken
 * plugin is listed with the loader's message rather than stopping the
 * listing: this command is where users go to find out what is wrong.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "run/loader.h"
#include "util.h"

static void print_params(const struct br_plugin *d)
{
	int wn = 9, wd = 7, wr = 5; /* widths of the headings */
	char *range;

	if (!d->params || !d->params[0].name) {
		printf("  (no parameters)\n");
		return;
	}
	for (const struct br_param *p = d->params; p->name; p++) {
		int len = (int)strlen(p->def ? p->def : "-");

		range = brc_param_range_text(p);
		if ((int)strlen(p->name) > wn)
			wn = (int)strlen(p->name);
		if (len > wd)
			wd = len;
		if ((int)strlen(range) > wr)
			wr = (int)strlen(range);
		free(range);
	}
	printf("  %-*s  %-8s  %-*s  %-*s  %s\n", wn, "PARAMETER", "TYPE", wd,
	       "DEFAULT", wr, "RANGE", "HELP");
	for (const struct br_param *p = d->params; p->name; p++) {
		range = brc_param_range_text(p);
		printf("  %-*s  %-8s  %-*s  %-*s  %s\n", wn, p->name,
		       brc_param_type_name(p->type), wd, p->def ? p->def : "-",
		       wr, range, p->help ? p->help : "");
		free(range);
	}
}

/* Where a name was first seen, so later directories' copies are reported
 * as shadowed, as the loader would never pick them. */
struct seen {
	char **names, **paths;
	size_t n;
};

static const char *seen_at(const struct seen *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], name))
			return s->paths[i];
	return NULL;
}

static void remember(struct seen *s, const char *name, const char *path)
{
	s->names = brc_xrealloc(s->names, (s->n + 1) * sizeof(char *));
	s->paths = brc_xrealloc(s->paths, (s->n + 1) * sizeof(char *));
	s->names[s->n] = brc_xstrdup(name);
	s->paths[s->n++] = brc_xstrdup(path);
}

static void forget_all(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->names[i]);
		free(s->paths[i]);
	}
	free(s->names);
	free(s->paths);
}

/* One plugin file; returns 1 when it is broken. */
static int show(const char *name, const char *path, bool quiet)
{
	struct brc_loaded pl;
	char *err = NULL;

	if (brc_plugin_describe(path, NULL, NULL, BRC_DESCRIBE_TIMEOUT, &pl,
	                        &err)) {
		if (quiet)
			printf("%s (broken)\n", name);
		else
			printf("%s  BROKEN\n  %s\n\n", name, err);
		free(err);
		return 1;
	}
	if (quiet) {
		printf("%s\n", name);
	} else {
		printf("%s  (%s, ABI %u.%u)\n", name, pl.path,
		       pl.desc->abi_major, pl.desc->abi_minor);
		if (strcmp(pl.desc->name, name))
			printf("  descriptor name: %s\n", pl.desc->name);
		printf("  %s\n", pl.desc->description ? pl.desc->description
		                                      : "(no description)");
		print_params(pl.desc);
		printf("\n");
	}
	brc_plugin_close(&pl);
	return 0;
}

int brc_cmd_plugins(const struct brc_options *o)
{
	char **dirs = brc_loader_dirs(o->plugin_path);
	bool quiet = brc_verbosity < 0;
	struct seen seen = { 0 };
	size_t found = 0, broken = 0;

	for (size_t i = 0; dirs[i]; i++) {
		char **names;
		size_t n = brc_loader_scan(dirs[i], &names);

		for (size_t j = 0; j < n; j++) {
			char *path = brc_xasprintf("%s/%s.so", dirs[i], names[j]);
			const char *first = seen_at(&seen, names[j]);

			if (first) {
				if (!quiet)
					printf("%s  (%s: shadowed by %s)\n\n",
					       names[j], path, first);
			} else {
				broken += show(names[j], path, quiet);
				remember(&seen, names[j], path);
				found++;
			}
			free(path);
		}
		brc_loader_free_names(names);
	}
	if (!found) {
		struct brc_buf b = { 0 };

		for (size_t i = 0; dirs[i]; i++)
			brc_buf_printf(&b, "%s%s", i ? ", " : "", dirs[i]);
		brc_error("no plugins found; searched: %s (add a directory with "
		         "--plugin-path or BENCHRUN_PLUGIN_PATH)", b.data);
		brc_buf_free(&b);
	} else if (!quiet) {
		printf("%zu plugin%s", found, found == 1 ? "" : "s");
		if (broken)
			printf(", %zu broken", broken);
		printf("; searched:");
		for (size_t i = 0; dirs[i]; i++)
			printf(" %s", dirs[i]);
		printf("\n");
	}
	forget_all(&seen);
	brc_loader_free_dirs(dirs);
	return found ? BR_EXIT_OK : BR_EXIT_FAIL;
}
