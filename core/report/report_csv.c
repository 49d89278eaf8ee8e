/*
 * report_csv.c - one row per run with every scalar field, for
 * spreadsheets and pandas.  RFC 4180: a header row, CRLF line ends, a
 * field quoted (quotes doubled) when it holds a comma, quote or newline.
 * Numbers are written exactly (brc_fmt_exact); a missing number is empty.
 * Text that a spreadsheet would take for a formula is neutralized.
 * Headers name their unit (wall_s, peak_rss_bytes), and repetitions
 * count from 1, as the terminal's "run 1/3" does.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/report_util.h"
#include "util.h"

static void put_field(struct brc_buf *b, const char *s, bool first)
{
	if (!first)
		brc_buf_append(b, ",", 1);
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		brc_buf_append(b, s, strlen(s));
		return;
	}
	brc_buf_append(b, "\"", 1);
	for (; *s; s++) {
		if (*s == '"')
			brc_buf_append(b, "\"", 1);
		brc_buf_append(b, s, 1);
	}
	brc_buf_append(b, "\"", 1);
}

/*
 * Text from the scenario or a plugin (a label, a reason).  A spreadsheet
 * takes a cell starting with = + - @ (or a tab or CR before one) for a
 * formula, and a formula like =HYPERLINK(...) or =cmd|... can leak data
 * or run programs: such a cell gets a leading ', as OWASP recommends for
 * CSV injection.  Numbers go through put_num, untouched.
 */
static void put_text(struct brc_buf *b, const char *s, bool first)
{
	char *cell;

	if (!s || !strchr("=+-@\t\r", *s) || !*s) {
		put_field(b, s, first);
		return;
	}
	cell = brc_xasprintf("'%s", s);
	put_field(b, cell, first);
	free(cell);
}

static void put_num(struct brc_buf *b, double v)
{
	char num[40];

	put_field(b, brc_fmt_exact(num, sizeof(num), v), false);
}

/* The unit a column's header names: seconds for durations, bytes for
 * sizes; "" for counts, ratios and flags. */
static const char *unit_of(const struct brc_run_field *f)
{
	static const char *const seconds[] = {
		"wall", "cpu_user", "cpu_sys", "cpu_processing", "startup_wall",
		"startup_cpu", "ideal", "lower_bound", "interval",
		"interval_median", "interval_max",
		"lag_p50", "lag_p99", "lag_max", "lag_mean",
	};
	const char *g = f->group ? f->group : "";

	if (!strcmp(g, "latency") || !strcmp(g, "service"))
		return strcmp(f->key, "count") ? "_s" : "";
	if (!strcmp(g, "server") && !strcmp(f->key, "cpu"))
		return "_s";
	for (size_t i = 0; i < BR_ARRAY_SIZE(seconds); i++)
		if (!strcmp(f->key, seconds[i]))
			return "_s";
	if (f->type == BR_F_I64)
		return "_bytes";
	return "";
}

static void header(struct brc_buf *b, bool open)
{
	put_text(b, "scenario", true);
	put_text(b, "label", false);
	put_text(b, "plugin", false);
	put_text(b, "point", false);
	put_text(b, "concurrency", false);
	put_text(b, "status", false);
	put_text(b, "reason", false);
	for (size_t i = 0; i < brc_n_run_fields; i++) {
		const struct brc_run_field *f = &brc_run_fields[i];
		char name[64];

		if (!open && brc_run_field_is_open(f))
			continue;
		if (f->group)
			snprintf(name, sizeof(name), "%s_%s%s", f->group, f->key,
			         unit_of(f));
		else
			snprintf(name, sizeof(name), "%s%s", f->key, unit_of(f));
		put_text(b, name, false);
	}
	brc_buf_append(b, "\r\n", 2);
}

static void row(struct brc_buf *b, const struct brc_results *r,
                const struct brc_group *g, const struct brc_run_result *x,
                bool open)
{
	put_text(b, r->scenario_name, true);
	put_text(b, g->label, false);
	put_text(b, g->plugin, false);
	put_text(b, g->point, false);
	put_num(b, (double)g->concurrency);
	put_text(b, brc_run_status_name(x->status), false);
	put_text(b, x->reason, false);
	for (size_t i = 0; i < brc_n_run_fields; i++) {
		double v = brc_run_field_get(x, &brc_run_fields[i]);

		if (!open && brc_run_field_is_open(&brc_run_fields[i]))
			continue;
		if (!strcmp(brc_run_fields[i].key, "repetition"))
			v += 1; /* "run 1/3" on the terminal */
		put_num(b, v);
	}
	brc_buf_append(b, "\r\n", 2);
}

int brc_report_csv_write(const char *path, const struct brc_results *r)
{
	struct brc_buf b = { 0 };
	bool open = brc_results_open(r); /* else no open-model columns */
	int rc, saved;

	header(&b, open);
	for (size_t i = 0; i < r->n_groups; i++)
		for (size_t j = 0; j < r->groups[i].n_runs; j++)
			row(&b, r, &r->groups[i], &r->groups[i].runs[j], open);
	rc = brc_write_file_atomic(path, b.data, b.len);
	saved = errno;
	brc_buf_free(&b);
	errno = saved;
	return rc;
}
