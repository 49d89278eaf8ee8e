/*
 * loader.h - find, dlopen and check strategy plugins; type their
 * parameters.
 *
 * Search order for a plugin named NAME (file NAME.so): a path given in the
 * scenario (contains '/': used as is, relative to the scenario's
 * directory), then --plugin-path, then BENCHRUN_PLUGIN_PATH (both
 * colon-separated), then the build tree's plugins when benchrun runs from
 * its build tree, then the installed plugin directory (BR_PLUGINDIR).
 */
#ifndef BR_LOADER_H
#define BR_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include "benchrun/plugin.h"
#include "scenario/params.h"
#include "scenario/scenario.h"

struct brc_loaded {
	void *dl;                       /* dlopen handle                  */
	const struct br_plugin *desc;   /* the checked descriptor         */
	char *path;                     /* the file that was loaded       */
	bool described;                 /* desc rebuilt by brc_plugin_describe:
	                                   no hooks, no dl, strings owned  */
};

/* The plugin directories, in search order, for `extra` (--plugin-path,
 * may be NULL).  Returns a NULL-terminated array (free with
 * brc_loader_free_dirs). */
char **brc_loader_dirs(const char *extra);
void brc_loader_free_dirs(char **dirs);

/* The plugin names ("x" for x.so) in one directory, sorted; *names is a
 * NULL-terminated array (free with brc_loader_free_names).  Returns how
 * many; 0 when the directory is missing. */
size_t brc_loader_scan(const char *dir, char ***names);
void brc_loader_free_names(char **names);

/* The file a bare plugin name resolves to along brc_loader_dirs(extra)
 * (malloc'd), or NULL with *err (malloc'd) saying where it looked and
 * which name was probably meant. */
char *brc_loader_find(const char *name, const char *extra, char **err);

/*
 * Resolve `name` (see above; `base_dir` is the scenario's directory for
 * relative paths, may be NULL), dlopen it RTLD_NOW|RTLD_LOCAL, and check
 * magic, ABI, size and required hooks.  On failure returns -1 and sets
 * *err (malloc'd) to a message that tells the user what to do, e.g.
 *   plugin 'x' not found; searched: a, b, c (set --plugin-path or
 *   BENCHRUN_PLUGIN_PATH)
 *   plugin 'x' (/p/x.so) was built for ABI 2.0; this benchrun speaks 1.x
 */
int brc_plugin_open(const char *name, const char *base_dir, const char *extra,
                   struct brc_loaded *out, char **err);
void brc_plugin_close(struct brc_loaded *p);

/*
 * brc_plugin_open in a child process (loader_probe.c), for everything
 * that only needs the descriptor: out->desc has the checked name,
 * description, ABI and parameter table, and no hooks; out->dl is NULL.
 * A plugin whose loading crashes, exits or takes longer than `timeout`
 * seconds gives -1 with *err saying so, and benchrun lives on.  Close
 * with brc_plugin_close.
 */
#define BRC_DESCRIBE_TIMEOUT 10.0
int brc_plugin_describe(const char *name, const char *base_dir,
                        const char *extra, double timeout,
                        struct brc_loaded *out, char **err);

/* Whether a plugin honours host->due() (ABI >= 1.1 and BR_PLUGIN_F_DUE),
 * so that it may run an open-model scenario. */
bool brc_plugin_honours_due(const struct br_plugin *d);

#endif /* BR_LOADER_H */
