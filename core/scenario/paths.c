/*
 * paths.c - resolve paths written in a scenario against the scenario
 * file's directory, with the $datadir/ and $cwd/ prefixes (paths.h has the
 * rule and why there is only one).
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario/paths.h"
#include "util.h"

#ifndef BR_DATADIR
#define BR_DATADIR "/usr/local/share/benchrun"
#endif

#define DATADIR_PREFIX "$datadir/"
#define CWD_PREFIX "$cwd/"

const char *brc_datadir(void)
{
	const char *env = getenv("BENCHRUN_DATADIR");

	return env && *env ? env : BR_DATADIR;
}

char *brc_scenario_dir(const char *scenario_path)
{
	const char *slash = scenario_path ? strrchr(scenario_path, '/') : NULL;

	if (!slash)
		return brc_xstrdup(".");
	if (slash == scenario_path)
		return brc_xstrdup("/");
	return brc_xasprintf("%.*s", (int)(slash - scenario_path),
	                     scenario_path);
}

char *brc_scenario_dir_abs(const char *scenario_path)
{
	char *dir = brc_scenario_dir(scenario_path), *real;

	real = realpath(dir, NULL);
	if (real) {
		free(dir);
		return real;
	}
	return dir;
}

bool brc_path_has_prefix(const char *path)
{
	return path && (!strncmp(path, DATADIR_PREFIX, strlen(DATADIR_PREFIX)) ||
	                !strncmp(path, CWD_PREFIX, strlen(CWD_PREFIX)));
}

static char *cwd_join(const char *rest)
{
	char buf[PATH_MAX];

	if (!getcwd(buf, sizeof(buf)))
		return brc_xstrdup(rest);
	return brc_xasprintf("%s/%s", buf, rest);
}

char *brc_path_resolve(const char *dir, const char *path)
{
	if (!strncmp(path, DATADIR_PREFIX, strlen(DATADIR_PREFIX)))
		return brc_xasprintf("%s/%s", brc_datadir(),
		                     path + strlen(DATADIR_PREFIX));
	if (!strncmp(path, CWD_PREFIX, strlen(CWD_PREFIX)))
		return cwd_join(path + strlen(CWD_PREFIX));
	if (path[0] == '/' || !path[0] || !dir || !strcmp(dir, "."))
		return brc_xstrdup(path);
	return brc_xasprintf("%s/%s", dir, path);
}
