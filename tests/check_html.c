/*
 * check_html.c - the HTML report: escaping, every group on the page, no
 * script and a policy that forbids one, long timelines thinned with their
 * peak kept.  tests/browser.sh opens such pages in a real browser.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_html.h"
#include "report/report_svg.h"
#include "results/results.h"
#include "suites.h"
#include "util.h"

static const char *const evil = "<img src=x onerror=\"alert(1)\">'&\x01";

START_TEST(test_escape)
{
	struct brc_buf b = { 0 };

	brc_html_escape(&b, evil);
	ck_assert_str_eq(b.data, "&lt;img src=x onerror=&quot;alert(1)&quot;"
	                         "&gt;&#39;&amp;\\x01");
	brc_buf_free(&b);
}
END_TEST

/* Two groups, every string crafted; run 0 of group 0 has n samples. */
static void crafted(struct brc_results *r, size_t n)
{
	memset(r, 0, sizeof(*r));
	r->scenario_name = brc_xstrdup(evil);
	r->scenario_yaml = brc_xstrdup("name: x\n</pre><script>x()</script>");
	r->server_desc = brc_xstrdup(evil);
	r->host_cpu = brc_xstrdup(evil);
	r->baseline = brc_xstrdup("a<b");
	r->n_groups = 2;
	r->groups = brc_xcalloc(2, sizeof(*r->groups));
	for (int i = 0; i < 2; i++) {
		struct brc_group *g = &r->groups[i];

		g->label = brc_xstrdup(i ? "c&d" : "a<b");
		g->plugin = brc_xstrdup(evil);
		g->point = brc_xstrdup("");
		g->n_runs = 1;
		g->runs = brc_xcalloc(1, sizeof(*g->runs));
		g->runs[0].wall = 1 + i;
		g->runs[0].requests = g->runs[0].ok = 10;
		g->runs[0].tree_peak_pss = 5 << 20;
		g->runs[0].log = brc_xstrdup(evil);
		g->runs[0].reason = brc_xstrdup(evil);
	}
	struct brc_run_result *x = &r->groups[0].runs[0];

	x->n_timeline = n;
	x->timeline = brc_xcalloc(n ? n : 1, sizeof(*x->timeline));
	for (size_t k = 0; k < n; k++) {
		x->timeline[k].t = (double)k * 0.01;
		x->timeline[k].tree_pss = 1 << 20;
	}
	if (n)
		x->timeline[n / 2 + 1].tree_pss = 64 << 20; /* one spike */
}

START_TEST(test_page_escapes_every_string)
{
	struct brc_results r;
	struct brc_buf b = { 0 };

	crafted(&r, 50);
	brc_report_html(&b, &r);
	ck_assert_ptr_null(strstr(b.data, "<img"));
	ck_assert_ptr_null(strstr(b.data, "<script"));
	ck_assert_ptr_null(strstr(b.data, "</pre><script"));
	ck_assert_ptr_nonnull(strstr(b.data, "&lt;img src=x onerror="));
	ck_assert_ptr_nonnull(strstr(b.data, "<td>a&lt;b</td>"));
	ck_assert_ptr_nonnull(strstr(b.data, "<td>c&amp;d</td>"));
	/* Scripts are forbidden outright, in case escaping ever slips. */
	ck_assert_ptr_nonnull(strstr(b.data, "Content-Security-Policy"));
	ck_assert_ptr_nonnull(strstr(b.data, "default-src 'none'"));
	brc_buf_free(&b);
	brc_results_free(&r);
}
END_TEST

/* 200,000 samples (a half-hour run at 10 ms) stay a small page, and the
 * one-sample spike is still drawn: its y is the chart's highest point. */
START_TEST(test_long_timeline_thinned_peak_kept)
{
	struct brc_results r;
	struct brc_buf b = { 0 };
	const char *chart;
	size_t points = 0;

	crafted(&r, 200000);
	brc_report_html(&b, &r);
	ck_assert_uint_lt(b.len, 256 * 1024);
	chart = strstr(b.data, "<polyline");
	ck_assert_ptr_nonnull(chart);
	for (const char *p = strstr(chart, "points=\"") + 8; *p != '"'; p++)
		points += *p == ',';
	ck_assert_uint_le(points, 600);
	/* The y axis reaches the spike: 64 MiB is a tick label. */
	ck_assert_ptr_nonnull(strstr(b.data, ">60</text>"));
	brc_buf_free(&b);
	brc_results_free(&r);
}
END_TEST

/* Open-model runs at two rates: the latency-throughput curve is drawn. */
START_TEST(test_open_model_curve)
{
	struct brc_results r;
	struct brc_buf b = { 0 };

	crafted(&r, 0);
	for (int i = 0; i < 2; i++) {
		free(r.groups[i].label);
		free(r.groups[i].point);
		r.groups[i].label = brc_xstrdup("sync");
		r.groups[i].point = brc_xstrdup(i ? "rate=800" : "rate=200");
		r.groups[i].runs[0].open.offered_rate = i ? 800 : 200;
		r.groups[i].runs[0].open.achieved_rate = i ? 20 : 19;
		r.groups[i].runs[0].latency.p99 = i ? 9.5 : 2.5;
	}
	brc_report_html(&b, &r);
	ck_assert_ptr_nonnull(strstr(b.data, "p99 response time against "
	                                     "achieved rate"));
	brc_buf_free(&b);
	brc_results_free(&r);
}
END_TEST

START_TEST(test_empty_results)
{
	struct brc_results r = { 0 };
	struct brc_buf b = { 0 };

	brc_report_html(&b, &r);
	ck_assert_ptr_nonnull(strstr(b.data, "No results."));
	ck_assert_ptr_nonnull(strstr(b.data, "</html>"));
	brc_buf_free(&b);
}
END_TEST

Suite *brc_suite_html(void)
{
	Suite *s = suite_create("html");
	TCase *tc = tcase_create("page");

	tcase_add_test(tc, test_escape);
	tcase_add_test(tc, test_page_escapes_every_string);
	tcase_add_test(tc, test_long_timeline_thinned_peak_kept);
	tcase_add_test(tc, test_empty_results);
	tcase_add_test(tc, test_open_model_curve);
	suite_add_tcase(s, tc);
	return s;
}
