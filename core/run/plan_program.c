/*
 * plan_program.c - `validate` and the plan check that a strategy's program
 * (a parameter flagged BR_PARAM_F_PROGRAM, e.g. exec's `command`) can be
 * started: the program exists and is executable, and a script it is given
 * exists.  Without this a missing script validates and the run then fails
 * with an exit status (127 from the shell, 2 from Python) that says little.
 *
 * Where the program is looked up follows the path rule (scenario/paths.h):
 * a name without '/' on $PATH, a relative path against the strategy's
 * working directory (the scenario's directory, or its `cwd` parameter
 * resolved against it).  Arguments after the program are checked only when
 * they look like a script (a name ending in .py, .sh, .pl, .rb, .js, .lua,
 * .php or .R): they must exist.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run/plan.h"
#include "scenario/paths.h"
#include "util.h"

static bool looks_like_script(const char *arg)
{
	static const char *const ext[] = { ".py", ".sh", ".pl", ".rb", ".js",
		                           ".lua", ".php", ".R" };
	size_t n = strlen(arg);

	if (arg[0] == '-')
		return false;
	for (size_t i = 0; i < BR_ARRAY_SIZE(ext); i++) {
		size_t e = strlen(ext[i]);

		if (n > e && !strcmp(arg + n - e, ext[i]))
			return true;
	}
	return false;
}

/* Why `path` cannot be executed, or NULL. */
static const char *exec_problem(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return strerror(errno);
	if (S_ISDIR(st.st_mode))
		return "is a directory";
	if (!S_ISREG(st.st_mode))
		return "is not a regular file";
	if (access(path, X_OK))
		return "is not executable (chmod +x, or name its interpreter "
		       "first)";
	return NULL;
}

/* Look `name` up on $PATH; the full path (malloc'd) or NULL. */
static char *search_path(const char *name)
{
	const char *env = getenv("PATH");
	char *copy = brc_xstrdup(env && *env ? env : "/usr/bin:/bin"), *save;
	char *found = NULL;

	save = NULL;
	for (char *d = strtok_r(copy, ":", &save); d && !found;
	     d = strtok_r(NULL, ":", &save)) {
		char *cand = brc_xasprintf("%s/%s", *d ? d : ".", name);

		if (!exec_problem(cand))
			found = cand;
		else
			free(cand);
	}
	free(copy);
	return found;
}

char *brc_program_problem(const char *const *argv, const char *dir)
{
	const char *why;
	char *path;

	if (!argv || !argv[0] || !argv[0][0])
		return NULL; /* the plugin says what it needs */
	if (!strchr(argv[0], '/')) {
		path = search_path(argv[0]);
		if (!path)
			return brc_xasprintf("cannot be started: '%s' is not "
			                     "found on PATH", argv[0]);
		free(path);
	} else {
		path = brc_path_resolve(dir, argv[0]);
		why = exec_problem(path);
		if (why) {
			char *msg = brc_xasprintf("cannot be started: %s: %s%s",
			                          path, why,
			                          argv[0][0] == '/' ? "" :
			                          " (relative paths are relative "
			                          "to the scenario's directory)");
			free(path);
			return msg;
		}
		free(path);
	}
	for (size_t i = 1; argv[i]; i++) {
		struct stat st;

		if (!looks_like_script(argv[i]))
			continue;
		path = brc_path_resolve(dir, argv[i]);
		if (stat(path, &st) || !S_ISREG(st.st_mode)) {
			char *msg = brc_xasprintf("cannot be started: its script "
			                          "%s is missing%s", path,
			                          argv[i][0] == '/' ? "" :
			                          " (relative paths are relative "
			                          "to the scenario's directory)");
			free(path);
			return msg;
		}
		free(path);
	}
	return NULL;
}
