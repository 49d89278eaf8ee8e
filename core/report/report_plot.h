/*
 * report_plot.h - internal to `benchrun plot`: the state shared by the
 * picture (report_plot.c) and its panels (report_plot_panels.c).
 */
#ifndef BR_REPORT_PLOT_H
#define BR_REPORT_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "results/results.h"
#include "util.h"

struct plot {
	const struct brc_results *r;
	char *dir;            /* temporary directory */
	const char *focus;    /* sweep point shown by timeline and bars */
	bool sweep;
	struct brc_buf script;
	char **labels;        /* distinct strategy labels: colours, sweeps */
	size_t n_labels;
};

/* Append s as a gnuplot single-quoted string. */
void brc_plot_quote(struct brc_buf *b, const char *s);
/* The colour (linetype - 1) of a strategy label, adding it if new. */
size_t brc_plot_label(struct plot *p, const char *label);

/* Each panel writes its data files into p->dir and its commands to
 * p->script; the caller sets origin and size first. */
void brc_plot_timeline(struct plot *p);
int brc_plot_bars_data(struct plot *p, size_t *n);
void brc_plot_bars(struct plot *p, const char *title, const char *ylabel,
                  int col, size_t n);
void brc_plot_sweep(struct plot *p, int col, const char *title,
                   const char *ylabel);
/* report_plot_open.c: whether r sweeps an open model's offered rate, and
 * its four panels (response time vs achieved rate, CPU, memory and
 * achieved vs offered rate), in two rows of `height` from the bottom. */
bool brc_plot_open_wanted(const struct brc_results *r);
void brc_plot_open(struct plot *p, double height);

#endif /* BR_REPORT_PLOT_H */
