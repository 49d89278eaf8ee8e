/*
 * loader_path.c - where plugins live: the search path (--plugin-path,
 * BENCHRUN_PLUGIN_PATH, the build tree, the installed directory), the
 * plugins in a directory, and the name -> file lookup with its "not found;
 * searched: ...; did you mean" message.  Opening and checking a file is
 * loader.c's job.
 */
#include "config.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run/loader.h"
#include "util.h"

#ifndef BR_PLUGINDIR
#define BR_PLUGINDIR "/usr/local/lib/benchrun/plugins"
#endif

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void add_dir(char ***dirs, size_t *n, const char *dir)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*dirs)[i], dir))
			return;
	*dirs = brc_xrealloc(*dirs, (*n + 2) * sizeof(**dirs));
	(*dirs)[(*n)++] = brc_xstrdup(dir);
	(*dirs)[*n] = NULL;
}

static void add_path_list(char ***dirs, size_t *n, const char *list)
{
	char *copy, *save = NULL;

	if (!list)
		return;
	copy = brc_xstrdup(list);
	for (char *d = strtok_r(copy, ":", &save); d;
	     d = strtok_r(NULL, ":", &save))
		add_dir(dirs, n, d);
	free(copy);
}

/* A benchrun started from its build tree uses that tree's plugins, so a
 * developer never runs freshly built code against stale installed plugins.
 * "Build tree" means a directory with config.status, the binary's own or
 * its parent (the test runner lives in tests/, a libtool-wrapped binary
 * in .libs/).  Requiring config.status keeps an installed benchrun in
 * /usr/bin from picking up /usr/plugins/.libs, and keeps the test
 * fixtures in tests/plugins/.libs off the default path. */
static void add_build_tree(char ***dirs, size_t *n)
{
	static const char *const up[] = { "", "/.." };
	char exe[4096], real[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (len <= 0)
		return;
	exe[len] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return;
	*slash = '\0';
	for (size_t i = 0; i < BR_ARRAY_SIZE(up); i++) {
		char *stamp = brc_xasprintf("%s%s/config.status", exe, up[i]);
		char *dir = brc_xasprintf("%s%s/plugins/.libs", exe, up[i]);

		if (is_file(stamp) && is_dir(dir) && realpath(dir, real))
			add_dir(dirs, n, real);
		free(stamp);
		free(dir);
	}
}

char **brc_loader_dirs(const char *extra)
{
	char **dirs = brc_xcalloc(1, sizeof(*dirs));
	size_t n = 0;

	add_path_list(&dirs, &n, extra);
	add_path_list(&dirs, &n, getenv("BENCHRUN_PLUGIN_PATH"));
	add_build_tree(&dirs, &n);
	add_dir(&dirs, &n, BR_PLUGINDIR);
	return dirs;
}

void brc_loader_free_dirs(char **dirs)
{
	if (!dirs)
		return;
	for (char **d = dirs; *d; d++)
		free(*d);
	free(dirs);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t brc_loader_scan(const char *dir, char ***names)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	*names = brc_xcalloc(1, sizeof(**names));
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char *path;

		if (len <= 3 || strcmp(e->d_name + len - 3, ".so"))
			continue;
		path = brc_xasprintf("%s/%s", dir, e->d_name);
		if (is_file(path)) {
			*names = brc_xrealloc(*names, (n + 2) * sizeof(**names));
			(*names)[n] = brc_xstrdup(e->d_name);
			(*names)[n][len - 3] = '\0';
			(*names)[++n] = NULL;
		}
		free(path);
	}
	closedir(d);
	qsort(*names, n, sizeof(**names), cmp_str);
	return n;
}

void brc_loader_free_names(char **names)
{
	brc_loader_free_dirs(names);
}

/* "plugin 'x' not found; searched: a, b (...)", with a suggestion among
 * the plugins that do exist. */
static char *not_found(const char *name, char **dirs)
{
	struct brc_buf b = { 0 };
	char **all = NULL;
	size_t n_all = 0;
	const char *best;

	brc_buf_printf(&b, "plugin '%s' not found; searched: ", name);
	for (size_t i = 0; dirs[i]; i++) {
		char **names;
		size_t n = brc_loader_scan(dirs[i], &names);

		brc_buf_printf(&b, "%s%s%s", i ? ", " : "", dirs[i],
		              is_dir(dirs[i]) ? "" : " (missing)");
		all = brc_xrealloc(all, (n_all + n + 1) * sizeof(*all));
		for (size_t j = 0; j < n; j++)
			all[n_all++] = names[j];
		free(names);
	}
	brc_buf_printf(&b, " (add its directory with --plugin-path or "
	                  "BENCHRUN_PLUGIN_PATH)");
	best = brc_suggest(name, (const char *const *)all, n_all);
	if (best)
		brc_buf_printf(&b, "; did you mean '%s'?", best);
	for (size_t i = 0; i < n_all; i++)
		free(all[i]);
	free(all);
	return b.data;
}

char *brc_loader_find(const char *name, const char *extra, char **err)
{
	char **dirs = brc_loader_dirs(extra);
	char *found = NULL;

	*err = NULL;
	for (size_t i = 0; dirs[i] && !found; i++) {
		char *path = brc_xasprintf("%s/%s.so", dirs[i], name);

		if (is_file(path))
			found = path;
		else
			free(path);
	}
	if (!found)
		*err = not_found(name, dirs);
	brc_loader_free_dirs(dirs);
	return found;
}
