/*
 * report_csv.c - one row per run with every scalar field, for
 * spreadsheets and pandas.  RFC 4180: a header row, CRLF line ends, a
 * field quoted (quotes doubled) when it holds a comma, quote or newline.
 * Numbers are written exactly (br_fmt_exact); a missing number is empty.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/report_util.h"
#include "util.h"

static void put_text(struct br_buf *b, const char *s, bool first)
{
	if (!first)
		br_buf_append(b, ",", 1);
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		br_buf_append(b, s, strlen(s));
		return;
	}
	br_buf_append(b, "\"", 1);
	for (; *s; s++) {
		if (*s == '"')
			br_buf_append(b, "\"", 1);
		br_buf_append(b, s, 1);
	}
	br_buf_append(b, "\"", 1);
}

static void put_num(struct br_buf *b, double v)
{
	char num[40];

	put_text(b, br_fmt_exact(num, sizeof(num), v), false);
}

static void header(struct br_buf *b)
{
	put_text(b, "scenario", true);
	put_text(b, "label", false);
	put_text(b, "plugin", false);
	put_text(b, "point", false);
	put_text(b, "concurrency", false);
	put_text(b, "status", false);
	put_text(b, "reason", false);
	for (size_t i = 0; i < br_n_run_fields; i++) {
		const struct br_run_field *f = &br_run_fields[i];
		char name[64];

		if (f->group)
			snprintf(name, sizeof(name), "%s_%s", f->group, f->key);
		else
			snprintf(name, sizeof(name), "%s", f->key);
		put_text(b, name, false);
	}
	br_buf_append(b, "\r\n", 2);
}

static void row(struct br_buf *b, const struct br_results *r,
                const struct br_group *g, const struct br_run_result *x)
{
	put_text(b, r->scenario_name, true);
	put_text(b, g->label, false);
	put_text(b, g->plugin, false);
	put_text(b, g->point, false);
	put_num(b, (double)g->concurrency);
	put_text(b, br_run_status_name(x->status), false);
	put_text(b, x->reason, false);
	for (size_t i = 0; i < br_n_run_fields; i++)
		put_num(b, br_run_field_get(x, &br_run_fields[i]));
	br_buf_append(b, "\r\n", 2);
}

int br_report_csv_write(const char *path, const struct br_results *r)
{
	struct br_buf b = { 0 };
	int rc, saved;

	header(&b);
	for (size_t i = 0; i < r->n_groups; i++)
		for (size_t j = 0; j < r->groups[i].n_runs; j++)
			row(&b, r, &r->groups[i], &r->groups[i].runs[j]);
	rc = br_write_file_atomic(path, b.data, b.len);
	saved = errno;
	br_buf_free(&b);
	errno = saved;
	return rc;
}
