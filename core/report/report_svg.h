/*
 * report_svg.h - inline SVG charts and HTML escaping for the HTML report
 * (report_svg.c).  Charts append to a buffer; every text they draw is
 * escaped, so labels from a results file cannot inject markup.
 */
#ifndef BR_REPORT_SVG_H
#define BR_REPORT_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Text for HTML element content or a double-quoted attribute value: & < >
 * " ' become entities; control characters other than tab and newline
 * become visible "\xNN" (they are not allowed in HTML or XML text). */
void brc_html_escape(struct brc_buf *b, const char *s);

/* The colour of series i, the same on every chart of a page. */
const char *brc_svg_color(size_t i);

/* One axis: its label, linear or log10, and the divisor of tick values
 * (1024*1024 to label bytes in MiB).  lo and hi are set by the chart. */
struct brc_axis {
	const char *label;
	bool log;
	double scale;
	double lo, hi;
};

/* One line: n points (x[k], y[k]); non-finite points are skipped. */
struct brc_series {
	const char *name;
	const double *x, *y;
	size_t n;
};

/* A line chart of n series with a legend; series of fewer than 40 points
 * get a marker at each sample (sparse sampling is shown, not hidden).
 * Returns -1 (nothing written) when no series has a point. */
int brc_svg_lines(struct brc_buf *b, const char *title,
                  const struct brc_series *s, size_t n, struct brc_axis *x,
                  struct brc_axis *y);

/* Horizontal bars v[i] named names[i], with whiskers from lo[i] to hi[i]
 * where both are finite (lo and hi may be NULL); values divided by scale
 * for the tick labels.  Returns -1 (nothing written) when no value is
 * positive. */
int brc_svg_bars(struct brc_buf *b, const char *title, const char *unit,
                 double scale, const char *const *names, const double *v,
                 const double *lo, const double *hi, size_t n);

#endif /* BR_REPORT_SVG_H */
