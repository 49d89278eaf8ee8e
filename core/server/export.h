/*
 * export.h - the workload as static files (benchrun export): every day's
 * body at the path the embedded server would serve it from, so that any
 * web server given the directory as its root serves the same workload and
 * validation still holds.
 */
#ifndef BR_EXPORT_H
#define BR_EXPORT_H

#include <stdint.h>

#include "scenario/scenario.h"

/*
 * The path template of day files: the embedded server's layout
 * ("/tickets/{route}/{date}" by default), or the path part of an external
 * server.url.  Returns a pointer into sc's template, or NULL with a reason
 * in *why when it cannot name files (a query string, no path).
 */
const char *brc_export_path_template(const struct brc_server *s,
                                    const char **why);

/* Write every day under dir (created as needed); counts what was written.
 * Returns 0, or -1 with the error printed. */
int brc_export(const struct brc_scenario *sc, const char *dir,
              uint64_t *files, uint64_t *bytes);

#endif /* BR_EXPORT_H */
