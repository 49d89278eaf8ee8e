/*
 * report_svg.c - charts as inline SVG for the HTML report: lines (memory
 * over time, sweep curves) and horizontal bars with interval whiskers
 * (time and memory per strategy).  Written directly rather than through
 * gnuplot so the page needs no external program, every text goes through
 * one escaping function, and colours follow the page's light or dark
 * scheme (axes and labels use currentColor).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report_svg.h"
#include "util.h"

/* Okabe-Ito: distinguishable with the common colour-vision deficiencies. */
static const char *const palette[] = { "#0072B2", "#E69F00", "#009E73",
                                       "#CC79A7", "#56B4E9", "#D55E00",
                                       "#F0E442", "#000000" };

#define W 720.0
#define LEFT 70.0
#define RIGHT 170.0 /* legend */
#define TOP 28.0
#define BOTTOM 42.0

const char *brc_svg_color(size_t i)
{
	return palette[i % BR_ARRAY_SIZE(palette)];
}

void brc_html_escape(struct brc_buf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': brc_buf_append(b, "&amp;", 5); break;
		case '<': brc_buf_append(b, "&lt;", 4); break;
		case '>': brc_buf_append(b, "&gt;", 4); break;
		case '"': brc_buf_append(b, "&quot;", 6); break;
		case '\'': brc_buf_append(b, "&#39;", 5); break;
		default:
			/* Control characters other than tab and newline are
			 * not allowed in HTML or XML text: show them. */
			if (c < 0x20 && c != '\t' && c != '\n')
				brc_buf_printf(b, "\\x%02x", c);
			else if (c == 0x7f)
				brc_buf_append(b, "\\x7f", 4);
			else
				brc_buf_append(b, s, 1);
		}
	}
}

/* 1, 2 or 5 times a power of ten, about (hi - lo) / 5 apart. */
static double nice_step(double lo, double hi)
{
	double raw = (hi - lo) / 5, mag, f;

	if (!(raw > 0))
		return 1;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

static void text(struct brc_buf *b, double x, double y, const char *anchor,
                 const char *s)
{
	brc_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", x,
	              y, anchor);
	brc_html_escape(b, s);
	brc_buf_append(b, "</text>", 7);
}

static void open_svg(struct brc_buf *b, double h, const char *title)
{
	brc_buf_printf(b, "<svg class=\"chart\" role=\"img\" "
	              "xmlns=\"http://www.w3.org/2000/svg\" "
	              "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
	              "height=\"%.0f\"><title>", W, h, W, h);
	brc_html_escape(b, title);
	brc_buf_append(b, "</title>", 8);
	text(b, LEFT, 16, "start", title);
}

static void legend(struct brc_buf *b, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		double y = TOP + 8 + 18.0 * (double)i;
		char label[48];

		brc_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" "
		              "height=\"12\" fill=\"%s\"/>", W - RIGHT + 14,
		              y - 10, brc_svg_color(i));
		/* Long labels would run off the chart: cut them there (the
		 * tables below give them in full). */
		snprintf(label, sizeof(label), "%s", names[i]);
		if (strlen(names[i]) >= sizeof(label))
			memcpy(label + sizeof(label) - 4, "...", 4);
		text(b, W - RIGHT + 32, y, "start", label);
	}
}

static double map_x(double v, const struct brc_axis *a, double x0, double x1)
{
	double lo = a->log ? log10(a->lo) : a->lo;
	double hi = a->log ? log10(a->hi) : a->hi;
	double t = ((a->log ? log10(v) : v) - lo) / (hi - lo);

	return x0 + t * (x1 - x0);
}

/* Gridlines and tick labels of one axis; vertical is the y axis. */
static void ticks(struct brc_buf *b, const struct brc_axis *a, bool vertical,
                  double x0, double x1, double y0, double y1)
{
	char buf[32];

	if (a->log) {
		for (double v = pow(10, floor(log10(a->lo))); v <= a->hi * 1.0001;
		     v *= 10) {
			double p;

			if (v < a->lo * 0.9999)
				continue;
			p = vertical ? map_x(v, a, y0, y1) : map_x(v, a, x0, x1);
			snprintf(buf, sizeof(buf), "%g", v / a->scale);
			if (vertical)
				brc_buf_printf(b, "<line class=\"grid\" x1=\"%.1f\" "
				              "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
				              x0, p, x1, p);
			else
				brc_buf_printf(b, "<line class=\"grid\" x1=\"%.1f\" "
				              "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
				              p, y0, p, y1);
			if (vertical)
				text(b, x0 - 6, p + 4, "end", buf);
			else
				text(b, p, y0 + 16, "middle", buf);
		}
		return;
	}
	/* Steps of 1, 2 or 5 in the unit the labels show (MiB, not bytes). */
	double step = nice_step(a->lo / a->scale, a->hi / a->scale) * a->scale;

	for (double v = ceil(a->lo / step) * step; v <= a->hi + step * 1e-9;
	     v += step) {
		double p = vertical ? map_x(v, a, y0, y1) : map_x(v, a, x0, x1);

		snprintf(buf, sizeof(buf), "%g",
		         fabs(v) < step * 1e-9 ? 0 : v / a->scale);
		if (vertical) {
			brc_buf_printf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" "
			              "x2=\"%.1f\" y2=\"%.1f\"/>", x0, p, x1, p);
			text(b, x0 - 6, p + 4, "end", buf);
		} else {
			brc_buf_printf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" "
			              "x2=\"%.1f\" y2=\"%.1f\"/>", p, y0, p, y1);
			text(b, p, y0 + 16, "middle", buf);
		}
	}
}

/* Finite range of a set of values, widened when empty or flat. */
static void range(struct brc_axis *a, double lo, double hi)
{
	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = 1;
	}
	if (a->log) {
		lo = lo > 0 ? pow(10, floor(log10(lo))) : 1e-3;
		hi = hi > lo ? pow(10, ceil(log10(hi))) : lo * 10;
	} else if (hi <= lo) {
		hi = lo + (lo ? fabs(lo) : 1);
	}
	a->lo = lo;
	a->hi = hi;
	if (a->scale == 0)
		a->scale = 1;
}

int brc_svg_lines(struct brc_buf *b, const char *title,
                  const struct brc_series *s, size_t n, struct brc_axis *ax,
                  struct brc_axis *ay)
{
	const double h = 320, x0 = LEFT, x1 = W - RIGHT, y0 = h - BOTTOM,
	             y1 = TOP;
	double xlo = INFINITY, xhi = -INFINITY, yhi = -INFINITY;
	const char *names[64];
	size_t drawn = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < s[i].n; k++) {
			if (!isfinite(s[i].x[k]) || !isfinite(s[i].y[k]) ||
			    (ax->log && s[i].x[k] <= 0))
				continue;
			xlo = fmin(xlo, s[i].x[k]);
			xhi = fmax(xhi, s[i].x[k]);
			yhi = fmax(yhi, s[i].y[k]);
		}
	if (!isfinite(xlo))
		return -1;
	range(ax, xlo, xhi);
	range(ay, 0, yhi * 1.05);
	open_svg(b, h, title);
	ticks(b, ay, true, x0, x1, y0, y1);
	ticks(b, ax, false, x0, x1, y0, y1);
	brc_buf_printf(b, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" "
	              "x2=\"%.1f\" y2=\"%.1f\"/>", x0, y0, x1, y0);
	text(b, (x0 + x1) / 2, h - 6, "middle", ax->label);
	brc_buf_printf(b, "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" "
	              "transform=\"rotate(-90 14 %.1f)\">", (y0 + y1) / 2,
	              (y0 + y1) / 2);
	brc_html_escape(b, ay->label);
	brc_buf_append(b, "</text>", 7);
	for (size_t i = 0; i < n && i < BR_ARRAY_SIZE(names); i++) {
		bool markers = s[i].n < 40; /* sparse samples: show each */

		brc_buf_printf(b, "<g class=\"series\" stroke=\"%s\" fill=\"%s\">"
		              "<polyline fill=\"none\" points=\"",
		              brc_svg_color(i), brc_svg_color(i));
		for (size_t k = 0; k < s[i].n; k++) {
			if (!isfinite(s[i].x[k]) || !isfinite(s[i].y[k]) ||
			    (ax->log && s[i].x[k] <= 0))
				continue;
			brc_buf_printf(b, "%.1f,%.1f ",
			              map_x(s[i].x[k], ax, x0, x1),
			              map_x(s[i].y[k], ay, y0, y1));
		}
		brc_buf_append(b, "\"/>", 3);
		for (size_t k = 0; markers && k < s[i].n; k++)
			if (isfinite(s[i].x[k]) && isfinite(s[i].y[k]) &&
			    !(ax->log && s[i].x[k] <= 0))
				brc_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" "
				              "r=\"2.5\"/>",
				              map_x(s[i].x[k], ax, x0, x1),
				              map_x(s[i].y[k], ay, y0, y1));
		brc_buf_append(b, "</g>", 4);
		names[drawn++] = s[i].name;
	}
	legend(b, names, drawn);
	brc_buf_append(b, "</svg>\n", 7);
	return 0;
}

int brc_svg_bars(struct brc_buf *b, const char *title, const char *unit,
                 double scale, const char *const *names, const double *v,
                 const double *lo, const double *hi, size_t n)
{
	const double bar = 22, gap = 8, x0 = 150, x1 = W - 40;
	const double end = TOP + 14 + (bar + gap) * (double)n;
	const double h = end + 44;
	struct brc_axis a = { .label = unit, .scale = scale };
	double top = 0;

	for (size_t i = 0; i < n; i++) {
		if (isfinite(v[i]))
			top = fmax(top, v[i]);
		if (hi && isfinite(hi[i]))
			top = fmax(top, hi[i]);
	}
	if (!(top > 0))
		return -1;
	range(&a, 0, top * 1.05);
	open_svg(b, h, title);
	ticks(b, &a, false, x0, x1, end, TOP + 8);
	text(b, (x0 + x1) / 2, end + 36, "middle", unit);
	for (size_t i = 0; i < n; i++) {
		double y = TOP + 14 + (bar + gap) * (double)i;
		char label[40];

		snprintf(label, sizeof(label), "%s", names[i]);
		if (strlen(names[i]) >= sizeof(label))
			memcpy(label + sizeof(label) - 4, "...", 4);
		text(b, x0 - 8, y + bar * 0.7, "end", label);
		if (!isfinite(v[i]))
			continue;
		brc_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		              "height=\"%.1f\" fill=\"%s\"/>", x0, y,
		              map_x(v[i], &a, x0, x1) - x0, bar, brc_svg_color(i));
		if (lo && hi && isfinite(lo[i]) && isfinite(hi[i])) {
			double l = map_x(fmax(lo[i], 0), &a, x0, x1);
			double r = map_x(hi[i], &a, x0, x1), m = y + bar / 2;

			brc_buf_printf(b, "<path class=\"whisker\" d=\"M%.1f %.1fH%.1f"
			              "M%.1f %.1fV%.1fM%.1f %.1fV%.1f\"/>", l, m, r,
			              l, m - 5, m + 5, r, m - 5, m + 5);
		}
	}
	brc_buf_append(b, "</svg>\n", 7);
	return 0;
}
