/*
 * paths.h - the one rule for paths written in a scenario file.
 *
 * A relative path in a scenario (plugin:, outputs, an exec program's
 * command and cwd, any string parameter) is relative to the directory of
 * the scenario file, so a scenario and the files next to it travel
 * together and run from any directory.  Two prefixes name other bases:
 *   $datadir/...  benchrun's installed data directory (share/benchrun:
 *                 configs/, examples/python/, examples/hello-plugin/)
 *   $cwd/...      the directory benchrun was started in
 * Paths given on the command line (-o, --set outputs.X=..., plot -o) are
 * relative to the current directory, like any command-line argument.
 * Strategies run with the scenario's directory as their working directory.
 */
#ifndef BR_PATHS_H
#define BR_PATHS_H

#include <stdbool.h>

/* The directory of a scenario file ("." for "s.yaml"), malloc'd. */
char *brc_scenario_dir(const char *scenario_path);

/* The same, absolute (for a process that changes directory), malloc'd. */
char *brc_scenario_dir_abs(const char *scenario_path);

/* True when `path` starts with $datadir/ or $cwd/. */
bool brc_path_has_prefix(const char *path);

/* `path` as written in a scenario whose directory is `dir`: absolute paths
 * stay, $datadir/ and $cwd/ are expanded (to absolute paths), relative
 * ones are joined to `dir` (unchanged when dir is ".").  malloc'd. */
char *brc_path_resolve(const char *dir, const char *path);

/* The data directory $datadir/ names: BENCHRUN_DATADIR when set (a
 * relocated copy, the tests), else the one configured at build time. */
const char *brc_datadir(void);

#endif /* BR_PATHS_H */
