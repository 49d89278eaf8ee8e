/*
 * check_report.c - the reports on a hand-built set of results
 * (results_fixture.c): the table, Markdown and CSV against golden files,
 * the plot, and humanized values.  The results file itself is in
 * check_results.c.
 *
 * To refresh the golden files after a deliberate change of format:
 *   BR_UPDATE_GOLDEN=1 CK_RUN_SUITE=report ./tests/check_benchrun
 * and review the diff.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/report.h"
#include "report/report_util.h"
#include "results_fixture.h"
#include "suites.h"
#include "util.h"

/* --- golden files ------------------------------------------------------- */

static void check_golden(const char *name, const char *text, size_t len)
{
	char *rel = brc_xasprintf("tests/data/golden/%s", name);
	char *path = brc_test_srcdir(rel);
	size_t glen;
	char *want;

	if (getenv("BR_UPDATE_GOLDEN"))
		ck_assert_int_eq(brc_write_file_atomic(path, text, len), 0);
	want = brc_read_file(path, 1 << 20, &glen);
	ck_assert_msg(want != NULL, "%s: %s", path, strerror(errno));
	ck_assert_msg(glen == len && !memcmp(want, text, len),
	              "%s differs from the golden file %s; got:\n%s", name,
	              path, text);
	free(want);
	free(path);
	free(rel);
}

START_TEST(test_table_golden)
{
	struct brc_results r;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	brc_test_results_build(&r, 1.0);
	brc_report_table(f, &r, false);
	fclose(f);
	check_golden("table.txt", text, len);
	/* Readable at 100 columns. */
	for (char *line = text, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		*nl = '\0';
		ck_assert_msg(brc_utf8_width(line) <= 100, "too wide: %s", line);
	}
	free(text);
	brc_results_free(&r);
}
END_TEST

START_TEST(test_table_color)
{
	struct brc_results r;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	brc_test_results_build(&r, 1.0);
	brc_report_table(f, &r, true);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(text, "\033[32m5/5 ok\033[0m"));
	/* Cut to the room left (the warnings say it in full). */
	ck_assert_ptr_nonnull(strstr(text, "\033[31mtimeout: a"));
	ck_assert_ptr_nonnull(strstr(text, "\033[33m1/3 ok, c"));
	free(text);
	brc_results_free(&r);
}
END_TEST

START_TEST(test_table_baseline_failed)
{
	struct brc_results r;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	brc_test_results_build(&r, 1.0);
	for (size_t i = 0; i < r.groups[0].n_runs; i++)
		r.groups[0].runs[i].status = BR_RUN_FAILED;
	brc_report_table(f, &r, false);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(text, "\n  no comparison: the baseline sync "
	                             "has no finished run\n"));
	ck_assert_ptr_null(strstr(text, "faster than sync"));
	ck_assert_ptr_nonnull(strstr(text, "  sync  "));
	free(text);
	brc_results_free(&r);
}
END_TEST

START_TEST(test_markdown_csv_golden)
{
	struct brc_results r;
	char *md = brc_test_results_tmp("summary.md"), *csv = brc_test_results_tmp("runs.csv"), *text;
	size_t len;

	brc_test_results_build(&r, 1.0);
	ck_assert_int_eq(brc_report_md_write(md, &r), 0);
	text = brc_test_slurp(md, &len);
	check_golden("summary.md", text, len);
	free(text);
	ck_assert_int_eq(brc_report_csv_write(csv, &r), 0);
	text = brc_test_slurp(csv, &len);
	check_golden("runs.csv", text, len);
	free(text);
	free(md);
	free(csv);
	brc_results_free(&r);
}
END_TEST

START_TEST(test_plot)
{
	struct brc_results r;
	char *svg = brc_test_results_tmp("plot.svg"), *text;
	size_t len;

	if (access(BR_GNUPLOT, X_OK) && system("command -v gnuplot >/dev/null")) {
		fprintf(stderr, "check_report: gnuplot not found, plot test "
		        "skipped (apt-get install gnuplot-nox)\n");
		free(svg);
		return;
	}
	brc_test_results_build(&r, 1.0);
	ck_assert_int_eq(brc_report_plot(svg, &r), 0);
	text = brc_test_slurp(svg, &len);
	ck_assert_uint_gt(len, 1000);
	ck_assert_ptr_nonnull(strstr(text, "<svg"));
	ck_assert_ptr_nonnull(strstr(text, "eventloop"));
	ck_assert_int_eq(brc_report_plot("x.gif", &r), -1);
	/* No gnuplot: an error, and no picture. */
	unlink(svg);
	setenv("BENCHRUN_GNUPLOT", "/nonexistent/gnuplot", 1);
	ck_assert_int_eq(brc_report_plot(svg, &r), -1);
	ck_assert_int_eq(access(svg, F_OK), -1);
	unsetenv("BENCHRUN_GNUPLOT");
	free(text);
	free(svg);
	brc_results_free(&r);
}
END_TEST

START_TEST(test_formatting)
{
	char buf[64];

	ck_assert_str_eq(brc_fmt_time_pm(buf, sizeof(buf), 6.4538, 0.271),
	                 "6.45 ± 0.27 s");
	ck_assert_str_eq(brc_fmt_time_pm(buf, sizeof(buf), 0.128, 0.0004),
	                 "128.00 ± 0.40 ms");
	ck_assert_str_eq(brc_fmt_time_pm(buf, sizeof(buf), 0.125, NAN), "125 ms");
	ck_assert_str_eq(brc_fmt_time_pm(buf, sizeof(buf), 29.6, 0.12),
	                 "29.60 ± 0.12 s");
	ck_assert_str_eq(brc_fmt_metric(buf, sizeof(buf), BR_MK_PERCENT, 0.714),
	                 "71%");
	ck_assert_str_eq(brc_fmt_metric(buf, sizeof(buf), BR_MK_SIZE, NAN), "-");
	ck_assert_str_eq(brc_fmt_exact(buf, sizeof(buf), 0.1 + 0.2),
	                 "0.30000000000000004");
	ck_assert_str_eq(brc_fmt_exact(buf, sizeof(buf), 0.25), "0.25");
	ck_assert_str_eq(brc_fmt_exact(buf, sizeof(buf), 4096), "4096");
	ck_assert_str_eq(brc_fmt_exact(buf, sizeof(buf), INFINITY), "");
	ck_assert_uint_eq(brc_utf8_width("1 ± 2"), 5);
	for (int st = BR_RUN_OK; st <= BR_RUN_INTERRUPTED; st++)
		ck_assert_int_eq(brc_run_status_parse(brc_run_status_name(st)), st);
	ck_assert_int_eq(brc_run_status_parse("fine"), -1);
}
END_TEST

Suite *brc_suite_report(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, brc_test_results_setup,
	                          brc_test_results_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_formatting);
	tcase_add_test(tc, test_table_golden);
	tcase_add_test(tc, test_table_color);
	tcase_add_test(tc, test_table_baseline_failed);
	tcase_add_test(tc, test_markdown_csv_golden);
	tcase_add_test(tc, test_plot);
	suite_add_tcase(s, tc);
	return s;
}
