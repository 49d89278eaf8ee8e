/*
 * report_table.c - the summary printed at the end of a run: a short
 * header (what ran, against what, where), then one block per sweep point
 * with a row per strategy, the comparison with the baseline and the
 * warnings.  Columns are sized to their contents so the usual table fits
 * in 100 columns; colour only marks status and warnings.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/report_util.h"
#include "util.h"

#define GREEN "\033[32m"
#define RED "\033[31m"
#define YELLOW "\033[33m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

#define MAX_COLS 100

/* Numbers align right; names and status read better aligned left. */
static bool right_aligned(int col)
{
	return col != BR_COL_LABEL && col != BR_COL_STATUS;
}

/* Cut a cell to `max` columns, ending in "...". */
static void truncate_cell(char *cell, size_t max)
{
	size_t w = 0;

	if (brc_utf8_width(cell) <= max)
		return;
	for (char *p = cell; *p; p++) {
		if (((unsigned char)*p & 0xc0) == 0x80)
			continue;
		if (w++ == max - 3) {
			strcpy(p, "...");
			return;
		}
	}
}

static void pad(FILE *out, size_t n)
{
	while (n--)
		fputc(' ', out);
}

static void print_row(FILE *out, char cells[BR_COL_N][BR_CELL],
                      const size_t *width, const char *status_color,
                      bool color)
{
	fputs("  ", out);
	for (int c = 0; c < BR_COL_N; c++) {
		size_t w = brc_utf8_width(cells[c]);
		bool last = c == BR_COL_N - 1;

		if (!width[c])
			continue; /* a column this block leaves out */
		if (c)
			fputs("  ", out);
		if (right_aligned(c))
			pad(out, width[c] - w);
		if (c == BR_COL_STATUS && color && status_color)
			fprintf(out, "%s%s%s", status_color, cells[c], RESET);
		else
			fputs(cells[c], out);
		if (!right_aligned(c) && !last)
			pad(out, width[c] - w);
	}
	fputc('\n', out);
}

static void print_header(FILE *out, const struct brc_results *r)
{
	char line[160];

	fprintf(out, "benchrun %s: scenario %s, %llu requests, seed %llu\n",
	        r->benchrun_version ? r->benchrun_version : PACKAGE_VERSION,
	        r->scenario_name ? r->scenario_name : "?",
	        (unsigned long long)r->requests, (unsigned long long)r->seed);
	if (r->server_desc)
		fprintf(out, "server: %s\n", r->server_desc);
	if (r->host_cpu || r->host_kernel)
		fprintf(out, "machine: %.60s, %d core%s, %s\n",
		        r->host_cpu ? r->host_cpu : "?", r->host_cores,
		        r->host_cores == 1 ? "" : "s",
		        r->host_kernel ? r->host_kernel : "?");
	fprintf(out, "%s\n", brc_report_method);
	if (r->mem_instrument)
		fprintf(out, "memory: %s\n", r->mem_instrument);
	if (!brc_report_open_header(r, line, sizeof(line)))
		fprintf(out, "%s\n", line);
}

static void print_lines(FILE *out, const char *text, const char *prefix,
                        const char *col, bool color)
{
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		fprintf(out, "  %s%s%.*s%s\n", color && col ? col : "", prefix, len,
		        p, color && col ? RESET : "");
		p = nl ? nl + 1 : NULL;
	}
}

static void print_block(FILE *out, const struct brc_results *r,
                        const char *point, const size_t *width,
                        size_t status_max, bool color)
{
	static const char *const health_color[] = { GREEN, YELLOW, RED };
	const struct brc_group *base = brc_results_baseline(r, point);
	char cells[BR_COL_N][BR_CELL];
	struct brc_buf warn = { 0 };
	char line[512];
	size_t w[BR_COL_N];
	int64_t conc = -1;
	bool same = true;

	/* The concurrency column only where strategies differ in it (their
	 * plugins' defaults differ): otherwise the block's title or every
	 * row would say the same number, and rows keep to 100 columns. */
	for (size_t i = 0; i < r->n_groups; i++) {
		const struct brc_group *g = &r->groups[i];

		if (strcmp(g->point ? g->point : "", point))
			continue;
		same = same && (conc < 0 || g->concurrency == conc);
		conc = g->concurrency;
	}
	memcpy(w, width, sizeof(w));
	if (same)
		w[BR_COL_CONC] = 0;
	else if (status_max > w[BR_COL_CONC] + 2 + 12)
		status_max -= w[BR_COL_CONC] + 2;
	width = w;

	if (*point)
		fprintf(out, "\n%s%s%s\n", color ? BOLD : "", point,
		        color ? RESET : "");
	else
		fputc('\n', out);
	for (int c = 0; c < BR_COL_N; c++)
		snprintf(cells[c], BR_CELL, "%s", brc_col_title(r, c));
	print_row(out, cells, width, NULL, color);
	for (size_t i = 0; i < r->n_groups; i++) {
		const struct brc_group *g = &r->groups[i];

		if (strcmp(g->point ? g->point : "", point))
			continue;
		enum brc_health h = brc_report_cells(g, cells);

		truncate_cell(cells[BR_COL_STATUS], status_max);
		print_row(out, cells, width, health_color[h], color);
	}
	for (size_t i = 0; base && i < r->n_groups; i++) {
		const struct brc_group *g = &r->groups[i];

		if (strcmp(g->point ? g->point : "", point))
			continue;
		if (!brc_report_comparison(g, base, line, sizeof(line)))
			print_lines(out, line, "", NULL, color);
	}
	if (!brc_report_rss_note(r, point, line, sizeof(line)))
		print_lines(out, line, "", NULL, color);
	if (base && brc_results_point_has_others(r, point, base) &&
	    !brc_report_baseline_note(base, line, sizeof(line)))
		print_lines(out, line, "", YELLOW, color);
	if (!brc_report_ideal_note(r, point, line, sizeof(line)))
		print_lines(out, line, "", NULL, color);
	for (size_t i = 0; i < r->n_groups; i++)
		if (!strcmp(r->groups[i].point ? r->groups[i].point : "", point) &&
		    !brc_report_startup_note(&r->groups[i], line, sizeof(line)))
			print_lines(out, line, "", NULL, color);
	for (size_t i = 0; i < r->n_groups; i++)
		if (!strcmp(r->groups[i].point ? r->groups[i].point : "", point))
			brc_report_warnings(r, &r->groups[i], &warn);
	print_lines(out, warn.data, "warning: ", YELLOW, color);
	brc_buf_free(&warn);
}

void brc_report_table(FILE *out, const struct brc_results *r, bool color)
{
	size_t width[BR_COL_N], n_points, status_max;
	char cells[BR_COL_N][BR_CELL], hint[160];
	const char **points;

	print_header(out, r);
	if (r->incomplete)
		fprintf(out, "%sincomplete: interrupted before every run "
		        "finished%s\n", color ? YELLOW : "", color ? RESET : "");

	/* One width per column over every block, so blocks line up. */
	for (int c = 0; c < BR_COL_N; c++)
		width[c] = brc_utf8_width(brc_col_title(r, c));
	for (size_t i = 0; i < r->n_groups; i++) {
		brc_report_cells(&r->groups[i], cells);
		for (int c = 0; c < BR_COL_N; c++)
			if (brc_utf8_width(cells[c]) > width[c])
				width[c] = brc_utf8_width(cells[c]);
	}
	/* Keep rows within 100 columns: a long status gives way (the
	 * warnings below the block say it in full). */
	size_t used = 2 + 2 * (BR_COL_N - 2);

	for (int c = 0; c < BR_COL_STATUS; c++)
		if (c != BR_COL_CONC) /* print_block makes room when shown */
			used += width[c];
	status_max = used + 12 < MAX_COLS ? MAX_COLS - used : 12;
	points = brc_results_points(r, &n_points);
	for (size_t p = 0; p < n_points; p++)
		print_block(out, r, points[p], width, status_max, color);
	free(points);
	if (r->n_capacity) {
		struct brc_buf cap = { 0 };

		brc_report_capacity(&cap, r, false);
		fputs(cap.data, out);
		brc_buf_free(&cap);
	} else if (!r->n_groups) {
		fprintf(out, "\nno results\n");
	}
	else if (!brc_report_few_runs_hint(r, hint, sizeof(hint)))
		fprintf(out, "\n%s%s%s\n", color ? YELLOW : "", hint,
		        color ? RESET : "");
}
