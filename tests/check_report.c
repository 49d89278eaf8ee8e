/*
 * check_report.c - the reports on a hand-built set of results: the table,
 * Markdown and CSV against golden files, JSON write -> read -> write
 * byte for byte, `compare` exit codes, atomic writes, and the plot.
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
#include "suites.h"
#include "util.h"

static char tmpdir[64];

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/br-report.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char *cmd = brc_xasprintf("rm -rf '%s'", tmpdir);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static char *tmp(const char *name)
{
	return brc_xasprintf("%s/%s", tmpdir, name);
}

/* --- a hand-built benchmark ------------------------------------------- */

static struct brc_group *add_group(struct brc_results *r, const char *label,
                                  const char *point, int64_t conc)
{
	struct brc_group *g;

	r->groups = brc_xrealloc(r->groups, (r->n_groups + 1) * sizeof(*g));
	g = &r->groups[r->n_groups++];
	memset(g, 0, sizeof(*g));
	g->label = brc_xstrdup(label);
	g->plugin = brc_xstrdup(label);
	g->point = brc_xstrdup(point);
	g->concurrency = conc;
	if (conc) {
		g->n_params = 2;
		g->param_names = brc_xcalloc(2, sizeof(char *));
		g->param_values = brc_xcalloc(2, sizeof(char *));
		g->param_names[0] = brc_xstrdup("concurrency");
		g->param_values[0] = brc_xasprintf("%lld", (long long)conc);
		g->param_names[1] = brc_xstrdup("timeout");
		g->param_values[1] = brc_xstrdup("10s");
	}
	return g;
}

/* A run of `wall` seconds, `mib` MiB of tree PSS; everything else
 * derived so the numbers are plausible and every field is non-zero. */
static struct brc_run_result *add_run(struct brc_group *g, double wall,
                                     double mib)
{
	struct brc_run_result *x;

	g->runs = brc_xrealloc(g->runs, (g->n_runs + 1) * sizeof(*x));
	x = &g->runs[g->n_runs];
	memset(x, 0, sizeof(*x));
	x->repetition = (int)g->n_runs++;
	x->wall = wall;
	x->cpu_user = wall / 10 + 0.01;
	x->cpu_sys = wall / 30;
	x->cpu_processing = 0.005;
	x->ctx_voluntary = 1000;
	x->ctx_involuntary = 12;
	x->minor_faults = 4000;
	x->requests = x->ok = 100;
	x->bytes = 100 * 4500;
	x->req_per_s = wall > 0 ? 100 / wall : 0;
	x->mb_per_s = wall > 0 ? 0.45 / wall : 0;
	x->latency = (struct brc_latency_summary){ 0.1005, 0.101, 0.1023 + wall / 1000,
	                                          0.104, 0.105, 0.1007, 0.1001, 100 };
	x->peak_rss = (int64_t)(mib * 1048576) + 4096;
	x->tree_peak_pss = (int64_t)(mib * 1048576);
	x->tree_mean_pss = (int64_t)(mib * 0.9 * 1048576);
	x->tree_peak_rss = x->peak_rss + 8192;
	x->peak_vsize = 200 << 20;
	x->baseline_pss = 3 << 20;
	x->peak_threads = 3;
	x->peak_procs = 1;
	x->n_timeline = 4;
	x->timeline = brc_xcalloc(4, sizeof(*x->timeline));
	for (size_t i = 0; i < 4; i++) {
		x->timeline[i].t = -0.01 + wall * (double)i / 3.0;
		x->timeline[i].tree_pss = (int64_t)(mib * 1048576 * (double)(i + 1) / 4);
		x->timeline[i].tree_rss = x->timeline[i].tree_pss + 4096;
		x->timeline[i].procs = 1;
		x->timeline[i].threads = (int32_t)(1 + i);
	}
	x->ideal = 0.1;
	x->efficiency = wall > 0 ? x->ideal / wall : 0;
	x->server_cpu = wall * 0.05;
	x->server_rss = 9 << 20;
	x->server_requests = 100;
	x->log = brc_xstrdup("line one\nline \"two\", with a comma");
	return x;
}

static void build(struct brc_results *r, double threads_factor)
{
	struct brc_group *g;
	struct brc_run_result *x;

	memset(r, 0, sizeof(*r));
	r->schema = BR_RESULTS_SCHEMA;
	r->scenario_name = brc_xstrdup("demo");
	r->scenario_path = brc_xstrdup("scenarios/demo.yaml");
	r->scenario_hash = brc_xstrdup("0123456789abcdef");
	r->started_at = brc_xstrdup("2026-01-01T00:00:00Z");
	r->baseline = brc_xstrdup("sync");
	r->host_kernel = brc_xstrdup("Linux 6.1.0 x86_64");
	r->host_cpu = brc_xstrdup("Test CPU @ 2.00GHz");
	r->host_cores = 2;
	r->benchrun_version = brc_xstrdup("0.1.0");
	r->libcurl_version = brc_xstrdup("7.88.1");
	r->compiler = brc_xstrdup("gcc 12.2.0");
	r->requests = 100;
	r->seed = 0xfedcba9876543210ULL; /* beyond 2^53: a string in JSON */
	r->server_desc = brc_xstrdup("embedded, fixed 100 ms");

	/* sync is not reached by the sweep: the baseline of every point. */
	g = add_group(r, "sync", "", 0);
	add_run(g, 15.0, 5.1); /* slow first run, and an outlier */
	add_run(g, 10.0, 5.0);
	add_run(g, 10.1, 5.0);
	add_run(g, 9.9, 5.0);
	add_run(g, 10.0, 5.0);

	g = add_group(r, "threads", "concurrency=10", 10);
	add_run(g, 1.05 * threads_factor, 6.0);
	x = add_run(g, 1.00 * threads_factor, 6.1);
	x->server_bound = true;
	x->server_cpu = 0.93 * x->wall;
	add_run(g, 1.02 * threads_factor, 6.0);
	g = add_group(r, "eventloop", "concurrency=10", 10);
	add_run(g, 0.42, 4.0);
	add_run(g, 0.41, 4.1);
	add_run(g, 0.43, 4.0);

	g = add_group(r, "threads", "concurrency=100", 100);
	add_run(g, 0.30, 9.5);
	g = add_group(r, "eventloop", "concurrency=100", 100);
	add_run(g, 0.12, 4.5);
	x = add_run(g, 0.0, 0.0);
	x->status = BR_RUN_CRASHED;
	x->reason = brc_xstrdup("SIGSEGV");
	x = add_run(g, 0.13, 4.6);
	x->status = BR_RUN_ERRORS;
	x->ok = 96;
	x->fail.http_status = 3;
	x->fail.transport = 1;
	g = add_group(r, "forkpool", "concurrency=100", 100);
	x = add_run(g, 60, 40);
	x->status = BR_RUN_TIMEOUT;
	x->reason = brc_xstrdup("after 60 s");
	x = add_run(g, 60, 40);
	x->status = BR_RUN_TIMEOUT;
}

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

static char *slurp(const char *path, size_t *len)
{
	char *s = brc_read_file(path, 1 << 26, len);

	ck_assert_msg(s != NULL, "%s: %s", path, strerror(errno));
	return s;
}

START_TEST(test_table_golden)
{
	struct brc_results r;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	build(&r, 1.0);
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

	build(&r, 1.0);
	brc_report_table(f, &r, true);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(text, "\033[32m5/5 ok\033[0m"));
	ck_assert_ptr_nonnull(strstr(text, "\033[31mtimeout: after 60 s"));
	ck_assert_ptr_nonnull(strstr(text, "\033[33m1/3 ok, crashed\033[0m"));
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

	build(&r, 1.0);
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
	char *md = tmp("summary.md"), *csv = tmp("runs.csv"), *text;
	size_t len;

	build(&r, 1.0);
	ck_assert_int_eq(brc_report_md_write(md, &r), 0);
	text = slurp(md, &len);
	check_golden("summary.md", text, len);
	free(text);
	ck_assert_int_eq(brc_report_csv_write(csv, &r), 0);
	text = slurp(csv, &len);
	check_golden("runs.csv", text, len);
	free(text);
	free(md);
	free(csv);
	brc_results_free(&r);
}
END_TEST

static void assert_same_run(const struct brc_run_result *a,
                            const struct brc_run_result *b)
{
	ck_assert_int_eq(a->status, b->status);
	ck_assert_str_eq(a->reason ? a->reason : "(null)",
	                 b->reason ? b->reason : "(null)");
	ck_assert_str_eq(a->log, b->log);
	for (size_t i = 0; i < brc_n_run_fields; i++) {
		double x = brc_run_field_get(a, &brc_run_fields[i]);
		double y = brc_run_field_get(b, &brc_run_fields[i]);

		ck_assert_msg(x == y || (isnan(x) && isnan(y)),
		              "%s: %.17g != %.17g", brc_run_fields[i].key, x, y);
	}
	ck_assert_uint_eq(a->n_timeline, b->n_timeline);
	ck_assert(!memcmp(a->timeline, b->timeline,
	                  a->n_timeline * sizeof(*a->timeline)));
}

START_TEST(test_json_round_trip)
{
	struct brc_results r, back;
	char *p1 = tmp("a.json"), *p2 = tmp("b.json"), *t1, *t2, *err;
	size_t l1, l2;

	build(&r, 1.0);
	/* Values with no short decimal form must survive too. */
	r.groups[0].runs[1].wall = 0.1 + 0.2;
	r.groups[0].runs[1].timeline[2].t = 1.0 / 3;
	ck_assert_int_eq(brc_results_json_write(p1, &r), 0);
	ck_assert_int_eq(brc_results_json_read(p1, &back, &err), 0);
	ck_assert_int_eq(brc_results_json_write(p2, &back), 0);
	t1 = slurp(p1, &l1);
	t2 = slurp(p2, &l2);
	ck_assert_uint_eq(l1, l2);
	ck_assert(!memcmp(t1, t2, l1));
	ck_assert_ptr_nonnull(strstr(t1, "\"seed\":\t\"18364758544493064720\""));

	ck_assert_uint_eq(back.seed, r.seed);
	ck_assert_str_eq(back.host_cpu, r.host_cpu);
	ck_assert_uint_eq(back.n_groups, r.n_groups);
	for (size_t i = 0; i < r.n_groups; i++) {
		const struct brc_group *a = &r.groups[i], *b = &back.groups[i];

		ck_assert_str_eq(a->label, b->label);
		ck_assert_str_eq(a->point, b->point);
		ck_assert_int_eq(a->concurrency, b->concurrency);
		ck_assert_uint_eq(a->n_params, b->n_params);
		for (size_t k = 0; k < a->n_params; k++) {
			ck_assert_str_eq(a->param_names[k], b->param_names[k]);
			ck_assert_str_eq(a->param_values[k], b->param_values[k]);
		}
		ck_assert_uint_eq(a->n_runs, b->n_runs);
		for (size_t k = 0; k < a->n_runs; k++)
			assert_same_run(&a->runs[k], &b->runs[k]);
	}
	free(t1);
	free(t2);
	free(p1);
	free(p2);
	brc_results_free(&back);
	brc_results_free(&r);
}
END_TEST

static int put(const char *path, const char *text)
{
	return brc_write_file_atomic(path, text, strlen(text));
}

START_TEST(test_json_read_errors)
{
	struct brc_results r;
	char *p = tmp("bad.json"), *err;

	ck_assert_int_eq(brc_results_json_read("/nonexistent/x.json", &r, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	free(err);
	ck_assert_int_eq(put(p, "{\"schema\": 1,"), 0);
	ck_assert_int_eq(brc_results_json_read(p, &r, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "not valid JSON"));
	free(err);
	ck_assert_int_eq(put(p, "{\"a\": 1}"), 0);
	ck_assert_int_eq(brc_results_json_read(p, &r, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a benchrun results file"));
	free(err);
	ck_assert_int_eq(put(p, "{\"schema\": 2}"), 0);
	ck_assert_int_eq(brc_results_json_read(p, &r, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "schema 2"));
	free(err);
	ck_assert_int_eq(put(p, "{\"schema\": 1, \"groups\": "
	                 "[{\"label\": \"x\", \"runs\": [{\"status\": \"meh\"}]}]}"), 0);
	ck_assert_int_eq(brc_results_json_read(p, &r, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "status"));
	free(err);
	free(p);
}
END_TEST

/* Run `benchrun compare` in-process, its stdout into /dev/null (and
 * back: with CK_FORK=no the runner prints its summary afterwards). */
static int compare(const char *a, const char *b, double threshold)
{
	char *args[] = { (char *)a, (char *)b };
	struct brc_options o = { .threshold = threshold, .no_color = true,
	                        .args = args, .n_args = 2 };
	int rc, saved, null;

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	null = open("/dev/null", O_WRONLY);
	ck_assert(saved >= 0 && null >= 0);
	dup2(null, STDOUT_FILENO);
	close(null);
	rc = brc_cmd_compare(&o);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	return rc;
}

START_TEST(test_compare)
{
	struct brc_results r;
	char *old = tmp("old.json"), *new = tmp("new.json");

	build(&r, 1.0);
	ck_assert_int_eq(brc_results_json_write(old, &r), 0);
	brc_results_free(&r);
	build(&r, 1.2); /* threads 20% slower */
	ck_assert_int_eq(brc_results_json_write(new, &r), 0);
	brc_results_free(&r);

	ck_assert_int_eq(compare(old, new, 0.05), BR_EXIT_FAIL);
	ck_assert_int_eq(compare(old, new, 0), BR_EXIT_OK);
	ck_assert_int_eq(compare(old, new, 0.25), BR_EXIT_OK);
	ck_assert_int_eq(compare(new, old, 0.05), BR_EXIT_OK); /* faster */
	ck_assert_int_eq(compare(old, old, 0.05), BR_EXIT_OK);
	ck_assert_int_eq(compare(old, "/nonexistent.json", 0.05), BR_EXIT_USAGE);

	/* A strategy that no longer finishes any run is a regression. */
	build(&r, 1.0);
	for (size_t i = 0; i < r.groups[1].n_runs; i++)
		r.groups[1].runs[i].status = BR_RUN_CRASHED;
	ck_assert_int_eq(brc_results_json_write(new, &r), 0);
	brc_results_free(&r);
	ck_assert_int_eq(compare(old, new, 0.05), BR_EXIT_FAIL);
	ck_assert_int_eq(compare(old, new, 0), BR_EXIT_OK);
	free(old);
	free(new);
}
END_TEST

START_TEST(test_atomic_keeps_old)
{
	struct brc_results r;
	char name[256], *path, *text;
	size_t len;
	FILE *f;

	build(&r, 1.0);
	/* No directory: nothing written, a clear errno. */
	ck_assert_int_eq(brc_results_json_write("/nonexistent/dir/r.json", &r), -1);
	ck_assert_int_eq(errno, ENOENT);

	/* As root every directory is writable, so make the write fail
	 * another way: a name of 250 bytes is fine, but its temporary
	 * "<name>.tmp.XXXXXX" is over NAME_MAX.  The old file must stay. */
	memset(name, 'r', 245);
	strcpy(name + 245, ".json");
	path = tmp(name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("old", f);
	fclose(f);
	ck_assert_int_eq(brc_results_json_write(path, &r), -1);
	ck_assert_int_eq(brc_report_md_write(path, &r), -1);
	ck_assert_int_eq(brc_report_csv_write(path, &r), -1);
	text = slurp(path, &len);
	ck_assert_str_eq(text, "old");
	free(text);
	free(path);
	brc_results_free(&r);
}
END_TEST

START_TEST(test_plot)
{
	struct brc_results r;
	char *svg = tmp("plot.svg"), *text;
	size_t len;

	if (access(BR_GNUPLOT, X_OK) && system("command -v gnuplot >/dev/null")) {
		fprintf(stderr, "check_report: gnuplot not found, plot test "
		        "skipped (apt-get install gnuplot-nox)\n");
		free(svg);
		return;
	}
	build(&r, 1.0);
	ck_assert_int_eq(brc_report_plot(svg, &r), 0);
	text = slurp(svg, &len);
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
	                 "128.0 ± 0.4 ms");
	ck_assert_str_eq(brc_fmt_time_pm(buf, sizeof(buf), 0.125, NAN), "125 ms");
	ck_assert_str_eq(brc_fmt_time_pm(buf, sizeof(buf), 29.6, 0.12),
	                 "29.6 ± 0.1 s");
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

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_formatting);
	tcase_add_test(tc, test_table_golden);
	tcase_add_test(tc, test_table_color);
	tcase_add_test(tc, test_table_baseline_failed);
	tcase_add_test(tc, test_markdown_csv_golden);
	tcase_add_test(tc, test_json_round_trip);
	tcase_add_test(tc, test_json_read_errors);
	tcase_add_test(tc, test_compare);
	tcase_add_test(tc, test_atomic_keeps_old);
	tcase_add_test(tc, test_plot);
	suite_add_tcase(s, tc);
	return s;
}
