/*
 * check_newcomer_report.c - what the reports show a newcomer, on the
 * hand-built results of results_fixture.c: the concurrency column where
 * strategies differ, retries in the status, "-" for a latency nobody
 * measured, no warm-up hint when there is a warm-up, CSV headers with
 * units and repetitions from 1, and `plot` on results where no run
 * finished.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/report.h"
#include "report/report_util.h"
#include "results_fixture.h"
#include "suites.h"
#include "util.h"

static char *table_of(const struct brc_results *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	brc_report_table(f, r, false);
	fclose(f);
	return text;
}

START_TEST(test_conc_column)
{
	struct brc_results r;
	char *text;

	brc_test_results_build(&r, 1.2);
	text = table_of(&r);
	ck_assert_msg(!strstr(text, " conc "), "%s", text);
	free(text);
	/* eventloop at 50 next to threads at 10 in the same block. */
	r.groups[2].concurrency = 50;
	text = table_of(&r);
	ck_assert_msg(strstr(text, "strategy   conc"), "%s", text);
	ck_assert_msg(strstr(text, "eventloop    50"), "%s", text);
	free(text);
	brc_results_free(&r);
}
END_TEST

START_TEST(test_retries_and_p99)
{
	struct brc_results r;
	char cells[BR_COL_N][BR_CELL];

	brc_test_results_build(&r, 1.2);
	for (size_t k = 0; k < r.groups[1].n_runs; k++)
		r.groups[1].runs[k].retries = 6;
	brc_report_cells(&r.groups[1], cells);
	ck_assert_str_eq(cells[BR_COL_STATUS], "3/3 ok, 18 retries");
	ck_assert_str_ne(cells[BR_COL_P99], "-");
	for (size_t k = 0; k < r.groups[1].n_runs; k++)
		r.groups[1].runs[k].latency.count = 0;
	brc_report_cells(&r.groups[1], cells);
	ck_assert_str_eq(cells[BR_COL_P99], "-");
	brc_results_free(&r);
}
END_TEST

START_TEST(test_warmup_hint)
{
	struct brc_results r;
	char *text;

	brc_test_results_build(&r, 1.2);
	text = table_of(&r);
	ck_assert_msg(strstr(text, "try runs.warmup: 1"), "%s", text);
	free(text);
	r.setting_keys = brc_xrealloc(r.setting_keys, (r.n_settings + 1) *
	                              sizeof(char *));
	r.setting_values = brc_xrealloc(r.setting_values, (r.n_settings + 1) *
	                                sizeof(char *));
	r.setting_keys[r.n_settings] = brc_xstrdup("runs.warmup");
	r.setting_values[r.n_settings++] = brc_xstrdup("1");
	text = table_of(&r);
	ck_assert_msg(!strstr(text, "try runs.warmup"), "%s", text);
	ck_assert_msg(strstr(text, "even after 1 warm-up run"), "%s", text);
	free(text);
	brc_results_free(&r);
}
END_TEST

START_TEST(test_csv_units)
{
	struct brc_results r;
	char *path = brc_test_results_tmp("r.csv"), *text, *second;

	brc_test_results_build(&r, 1.2);
	ck_assert_int_eq(brc_report_csv_write(path, &r), 0);
	text = brc_test_slurp(path, NULL);
	ck_assert_msg(strstr(text, ",repetition,seq,wall_s,cpu_user_s,"), "%s",
	              text);
	ck_assert_ptr_nonnull(strstr(text, ",latency_p99_s,"));
	ck_assert_ptr_nonnull(strstr(text, ",peak_rss_bytes,"));
	ck_assert_ptr_nonnull(strstr(text, ",latency_count,"));
	/* The first run of sync is repetition 1, as "run 1/5" says. */
	second = strstr(text, "\r\n") + 2;
	ck_assert_msg(!strncmp(second, "demo,sync,sync,,0,ok,,1,", 24), "%s",
	              second);
	free(text);
	free(path);
	brc_results_free(&r);
}
END_TEST

static size_t plot_dirs(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	while (d && (e = readdir(d)))
		n += !strncmp(e->d_name, "benchrun-plot", 13);
	if (d)
		closedir(d);
	return n;
}

START_TEST(test_plot_nothing_finished)
{
	struct brc_results r;
	char *dir = brc_test_results_tmp(""), *pic = brc_test_results_tmp("p.svg");

	setenv("TMPDIR", dir, 1);
	brc_test_results_build(&r, 1.2);
	for (size_t g = 0; g < r.n_groups; g++)
		for (size_t k = 0; k < r.groups[g].n_runs; k++)
			r.groups[g].runs[k].status = BR_RUN_FAILED;
	ck_assert_int_eq(brc_report_plot(pic, &r), -1);
	ck_assert_uint_eq(plot_dirs(dir), 0);
	free(dir);
	free(pic);
	brc_results_free(&r);
}
END_TEST

/* The memory panel: a sparse timeline gets markers, and no sample from
 * before the run (t < 0) is drawn.  A stand-in gnuplot keeps what it was
 * given. */
START_TEST(test_plot_timeline)
{
	struct brc_results r;
	char *dir = brc_test_results_tmp("keep");
	char *fake = brc_test_results_tmp("gnuplot.sh");
	char *pic = brc_test_results_tmp("p.svg");
	char *script_text = brc_xasprintf("#!/bin/sh\ncp plot.gp timeline*.dat "
	                                  "'%s'/\necho '<svg/>' >picture.svg\n",
	                                  dir);
	char *gp, *dat, *path;
	FILE *f;

	ck_assert_int_eq(mkdir(dir, 0700), 0);
	f = fopen(fake, "w");
	ck_assert_ptr_nonnull(f);
	fputs(script_text, f);
	fclose(f);
	ck_assert_int_eq(chmod(fake, 0755), 0);
	setenv("BENCHRUN_GNUPLOT", fake, 1);
	brc_test_results_build(&r, 1.2);
	ck_assert_int_eq(brc_report_plot(pic, &r), 0);
	path = brc_xasprintf("%s/plot.gp", dir);
	gp = brc_test_slurp(path, NULL);
	ck_assert_msg(strstr(gp, "with linespoints pt 7"), "%s", gp);
	free(path);
	path = brc_xasprintf("%s/timeline0.dat", dir);
	dat = brc_test_slurp(path, NULL);
	ck_assert_msg(dat[0] != '-' && !strstr(dat, "\n-"), "%s", dat);
	free(path);
	free(gp);
	free(dat);
	free(script_text);
	free(fake);
	free(pic);
	free(dir);
	brc_results_free(&r);
}
END_TEST

Suite *brc_suite_newcomer_report(void)
{
	Suite *s = suite_create("newcomer_report");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, brc_test_results_setup,
	                          brc_test_results_teardown);
	tcase_add_test(tc, test_conc_column);
	tcase_add_test(tc, test_retries_and_p99);
	tcase_add_test(tc, test_warmup_hint);
	tcase_add_test(tc, test_csv_units);
	tcase_add_test(tc, test_plot_nothing_finished);
	tcase_add_test(tc, test_plot_timeline);
	suite_add_tcase(s, tc);
	return s;
}
