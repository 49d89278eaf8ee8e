/*
 * report_html.h - the parts of the HTML report (report_html.c writes the
 * page, report_html_charts.c its charts).  The entry point for callers
 * outside report/ is brc_report_html_write in report.h.
 */
#ifndef BR_REPORT_HTML_H
#define BR_REPORT_HTML_H

#include <stddef.h>

#include "results/results.h"
#include "util.h"

/* The whole page for r, appended to b. */
void brc_report_html(struct brc_buf *b, const struct brc_results *r);

/* Pieces of a page (report_html.c): the document head with the header
 * "benchrun WHAT: NAME" and the run's metadata line, one sweep point's
 * summary table (the terminal's cells), and the footer closing the page. */
void brc_html_head(struct brc_buf *b, const char *what,
                   const struct brc_results *r);
void brc_html_summary(struct brc_buf *b, const struct brc_results *r,
                      const char *point);
void brc_html_tail(struct brc_buf *b);

/* The charts section: per sweep point (points as brc_results_points gives
 * them) the memory timeline and the time and memory bars, then the sweep
 * curves when at least two points are numbers. */
void brc_html_charts(struct brc_buf *b, const struct brc_results *r,
                     const char **points, size_t n_points);

#endif /* BR_REPORT_HTML_H */
