/*
 * report.h - turning results into something people read: the terminal
 * table, JSON (write and read back), CSV, Markdown, plots, and comparing
 * two result files.  Every file is written atomically (util.h).
 */
#ifndef BR_REPORT_H
#define BR_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "results/results.h"

/* The summary table, one block per sweep point, plus the comparison
 * against the baseline and any warnings (outliers, slow first run,
 * server-bound runs).  `color`: ANSI colours (caller decides: tty and no
 * NO_COLOR). */
void brc_report_table(FILE *out, const struct brc_results *r, bool color);

int brc_report_csv_write(const char *path, const struct brc_results *r);
int brc_report_md_write(const char *path, const struct brc_results *r);

/* One self-contained HTML page (no script, no external resource): the
 * verdicts, the summary, inline SVG charts, every run, the scenario text
 * and the machine.  Returns 0, or -1 with errno set. */
int brc_report_html_write(const char *path, const struct brc_results *r);
/* The page of `benchrun compare OLD NEW --html FILE`: the comparison's
 * text as printed, wall time and memory of each group old beside new, and
 * both summary tables.  Returns 0, or -1 with errno set. */
int brc_report_html_compare_write(const char *path,
                                  const struct brc_results *old,
                                  const struct brc_results *new,
                                  const char *old_path, const char *new_path,
                                  const char *text);

/* The picture of `benchrun plot`: memory over time, wall time and peak
 * memory bars, sweep curves; SVG or PNG by the extension of path.  Runs
 * gnuplot (BR_GNUPLOT).  Returns 0, or -1 after printing why. */
int brc_report_plot(const char *path, const struct brc_results *r);

#endif /* BR_REPORT_H */
