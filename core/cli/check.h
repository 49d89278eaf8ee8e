/*
 * check.h - `benchrun check-plugin`: the conformance cases any strategy
 * plugin must pass, runnable against an installed benchrun and any plugin
 * file (cmd_check_plugin.c drives them, check_cases.c implements them).
 */
#ifndef BR_CHECK_H
#define BR_CHECK_H

#include <stdbool.h>

/* The plugin under test, and where the cases work. */
struct brc_check {
	const char *name;        /* descriptor name                        */
	const char *path;        /* the plugin file, absolute              */
	const char *exe;         /* this benchrun binary                   */
	const char *tmpdir;      /* a private directory for scenarios       */
	const char *extra;       /* "k: v, k2: v2" from --set, or ""        */
	const char *server;      /* the same for --set server.K=V, or ""    */
	const char *concurrency; /* its concurrency parameter, or NULL      */
	bool keepalive, retries, timeout; /* parameters it declares        */
	bool no_fetch;           /* BR_PLUGIN_F_NO_FETCH                    */
};

struct brc_check_case {
	const char *name, *what;
	/* Why the case does not apply to this plugin, or NULL (may be NULL). */
	const char *(*skip)(const struct brc_check *c);
	/* NULL when the case passed, else why not (malloc'd). */
	char *(*run)(const struct brc_check *c);
};

/* The cases, ended by { NULL }. */
extern const struct brc_check_case brc_check_cases[];

#endif /* BR_CHECK_H */
