/*
 * check_timeline.c - long memory timelines through the results file: a
 * run with 200,000 samples is written and read back sample for sample
 * (the reader walks the five arrays side by side; it used to index each
 * sample from the head of its list), through simdjson and cJSON; long
 * timelines are thinned to each bucket's lowest and highest sample
 * (results/timeline.h) when written, with "thinned_from", and for the
 * plot, bounded, the spike and the dip kept.
 */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results/results.h"
#include "results/timeline.h"
#include "report/report_plot.h"
#include "results_fixture.h"
#include "suites.h"
#include "util.h"

#define LONG_TIMELINE 200000

/* A results file whose first run has a timeline of n samples, written as
 * an older benchrun did (every sample, no "thinned_from"); tail after it
 * (" x": only cJSON reads it). */
static void write_long(const char *path, size_t n, const char *tail)
{
	static const char *const keys[] = { "t", "pss", "rss", "threads",
	                                    "procs" };
	struct brc_buf b = { 0 };

	brc_buf_printf(&b, "{\"schema\": %d, \"groups\": [{\"label\": \"x\", "
	              "\"runs\": [{\"status\": \"ok\", \"timeline\": {",
	              BR_RESULTS_SCHEMA);
	for (size_t k = 0; k < BR_ARRAY_SIZE(keys); k++) {
		brc_buf_printf(&b, "%s\"%s\": [", k ? ", " : "", keys[k]);
		for (size_t i = 0; i < n; i++) {
			const char *sep = i ? "," : "";

			if (k == 0)
				brc_buf_printf(&b, "%s%.2f", sep, (double)i * 0.01);
			else if (k == 1)
				brc_buf_printf(&b, "%s%zu", sep, 1048576 + i * 4096);
			else if (k == 2)
				brc_buf_printf(&b, "%s%zu", sep, 2097152 + i);
			else
				brc_buf_printf(&b, "%s%zu", sep,
				              k == 3 ? i % 7 : 1 + i % 3);
		}
		brc_buf_printf(&b, "]");
	}
	brc_buf_printf(&b, "}}]}]}%s", tail);
	ck_assert_int_eq(brc_write_file_atomic(path, b.data, b.len), 0);
	free(b.data);
}

/* 200,000 samples read back sample for sample, through simdjson and
 * through cJSON (the text after the value sends it there). */
START_TEST(test_long_timeline_reads)
{
	char *path = brc_test_results_tmp("long.json"), *err = NULL;

	for (int slow = 0; slow < 2; slow++) {
		struct brc_results back;
		const struct brc_run_result *x;

		write_long(path, LONG_TIMELINE, slow ? " x" : "\n");
		ck_assert_msg(brc_results_json_read(path, &back, &err) == 0, "%s",
		              err);
		x = &back.groups[0].runs[0];
		ck_assert_uint_eq(x->n_timeline, LONG_TIMELINE);
		ck_assert_uint_eq(x->timeline_from, 0);
		for (size_t i = 0; i < LONG_TIMELINE; i += 997) {
			ck_assert_int_eq(x->timeline[i].tree_pss, 1048576 + i * 4096);
			ck_assert_int_eq(x->timeline[i].tree_rss, 2097152 + i);
			ck_assert_int_eq(x->timeline[i].threads, i % 7);
			ck_assert_int_eq(x->timeline[i].procs, 1 + i % 3);
			ck_assert_double_eq_tol(x->timeline[i].t, (double)i * 0.01,
			                        1e-9);
		}
		ck_assert_int_eq(x->timeline[LONG_TIMELINE - 1].procs,
		                 1 + (LONG_TIMELINE - 1) % 3);
		brc_results_free(&back);
	}
	free(path);
}
END_TEST

/* A wavy timeline with one sample far above everything (a 10 ms spike)
 * and one far below (a dip), at odd places. */
#define SPIKE_AT 123457
#define DIP_AT 654321
static struct brc_mem_sample *wavy(size_t n)
{
	struct brc_mem_sample *s = brc_xcalloc(n, sizeof(*s));

	for (size_t i = 0; i < n; i++) {
		s[i].t = (double)i * 0.01;
		s[i].tree_pss = (int64_t)(100e6 + 10e6 * sin((double)i / 5000.0)) +
		                (int64_t)(i % 13) * 4096;
		s[i].tree_rss = s[i].tree_pss + 4096;
		s[i].threads = 1;
		s[i].procs = 1;
	}
	if (SPIKE_AT < n)
		s[SPIKE_AT].tree_pss = 900000000;
	if (DIP_AT < n)
		s[DIP_AT].tree_pss = 5000000;
	return s;
}

/* The bucket rule itself: bounded, in order, every bucket's lowest and
 * highest sample kept; short timelines kept whole. */
START_TEST(test_thin_keeps_min_and_max_per_bucket)
{
	size_t n = 1000000, max = 4000, bucket = (n + max / 2 - 1) / (max / 2);
	struct brc_mem_sample *s = wavy(n);
	size_t *keep = brc_xcalloc(max, sizeof(*keep)), kept, j = 0;

	kept = brc_timeline_thin(s, n, max, keep);
	ck_assert_uint_le(kept, max);
	ck_assert_uint_ge(kept, max / 2);
	for (size_t i = 1; i < kept; i++)
		ck_assert_uint_lt(keep[i - 1], keep[i]);
	for (size_t lo = 0; lo < n; lo += bucket) {
		size_t hi = lo + bucket < n ? lo + bucket : n, mn = lo, mx = lo;
		bool has_min = false, has_max = false;

		for (size_t k = lo; k < hi; k++) {
			mn = s[k].tree_pss < s[mn].tree_pss ? k : mn;
			mx = s[k].tree_pss > s[mx].tree_pss ? k : mx;
		}
		for (; j < kept && keep[j] < hi; j++) {
			ck_assert_uint_ge(keep[j], lo);
			has_min = has_min || keep[j] == mn;
			has_max = has_max || keep[j] == mx;
		}
		ck_assert_msg(has_min && has_max, "bucket at %zu", lo);
	}
	ck_assert_uint_eq(j, kept);
	/* Short enough: every sample, as it was. */
	ck_assert_uint_eq(brc_timeline_thin(s, 3000, max, keep), 3000);
	ck_assert_uint_eq(keep[2999], 2999);
	free(keep);
	free(s);
}
END_TEST

/* The plot's data for a 1,000,000-sample run: at most 4,000 points, and
 * the spike and the dip among them. */
START_TEST(test_plot_timeline_decimated)
{
	struct brc_results r;
	struct brc_run_result *x;
	struct plot p = { 0 };
	char *dat, line[64];
	size_t lines = 0;
	bool spike = false, dip = false;
	FILE *f;

	brc_test_results_build(&r, 1.0);
	for (size_t g = 1; g < r.n_groups; g++)
		for (size_t i = 0; i < r.groups[g].n_runs; i++)
			r.groups[g].runs[i].n_timeline = 0; /* one line only */
	x = &r.groups[0].runs[0];
	free(x->timeline);
	x->n_timeline = 1000000;
	x->timeline = wavy(x->n_timeline);
	p.r = &r;
	p.focus = r.groups[0].point ? r.groups[0].point : "";
	p.dir = brc_test_results_tmp("");
	brc_plot_timeline(&p);
	dat = brc_test_results_tmp("timeline0.dat");
	f = fopen(dat, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		double t, mib;

		ck_assert_int_eq(sscanf(line, "%lf %lf", &t, &mib), 2);
		spike = spike || fabs(t - SPIKE_AT * 0.01) < 1e-6;
		dip = dip || fabs(t - DIP_AT * 0.01) < 1e-6;
		lines++;
	}
	fclose(f);
	ck_assert_uint_le(lines, 4000);
	ck_assert_uint_ge(lines, 1000);
	ck_assert_msg(spike && dip, "spike %d dip %d", spike, dip);
	brc_buf_free(&p.script);
	free(p.labels); /* the groups' own strings */
	free(p.dir);
	free(dat);
	brc_results_free(&r);
}
END_TEST

/* Written: at most BRC_TIMELINE_KEEP samples, peaks kept, "thinned_from"
 * says how many there were, and it survives a second write (merge). */
START_TEST(test_written_timeline_thinned)
{
	struct brc_results r, back, again;
	struct brc_run_result *x;
	char *p = brc_test_results_tmp("w.json"), *q = brc_test_results_tmp("w2.json");
	char *err = NULL, *text;
	size_t len, n = 1000000;
	bool spike = false, dip = false;

	brc_test_results_build(&r, 1.0);
	x = &r.groups[0].runs[0];
	free(x->timeline);
	x->n_timeline = n;
	x->timeline = wavy(n);
	ck_assert_int_eq(brc_results_json_write(p, &r), 0);
	text = brc_test_slurp(p, &len);
	ck_assert_ptr_nonnull(strstr(text, "\"thinned_from\":\t1000000"));
	ck_assert_uint_lt(len, 3000000);
	ck_assert_msg(brc_results_json_read(p, &back, &err) == 0, "%s", err);
	x = &back.groups[0].runs[0];
	ck_assert_uint_le(x->n_timeline, BRC_TIMELINE_KEEP);
	ck_assert_uint_ge(x->n_timeline, BRC_TIMELINE_KEEP / 2);
	ck_assert_uint_eq(x->timeline_from, n);
	for (size_t i = 0; i < x->n_timeline; i++) {
		spike = spike || x->timeline[i].tree_pss == 900000000;
		dip = dip || x->timeline[i].tree_pss == 5000000;
	}
	ck_assert(spike && dip);
	/* The other runs are short: whole, and not marked. */
	ck_assert_uint_eq(back.groups[0].runs[1].n_timeline,
	                  r.groups[0].runs[1].n_timeline);
	ck_assert_uint_eq(back.groups[0].runs[1].timeline_from, 0);
	/* Read and written again: the same samples, still from 1,000,000. */
	ck_assert_int_eq(brc_results_json_write(q, &back), 0);
	ck_assert_msg(brc_results_json_read(q, &again, &err) == 0, "%s", err);
	ck_assert_uint_eq(again.groups[0].runs[0].n_timeline, x->n_timeline);
	ck_assert_uint_eq(again.groups[0].runs[0].timeline_from, n);
	ck_assert(!memcmp(again.groups[0].runs[0].timeline, x->timeline,
	                  x->n_timeline * sizeof(*x->timeline)));
	brc_results_free(&r);
	brc_results_free(&back);
	brc_results_free(&again);
	free(text);
	free(p);
	free(q);
}
END_TEST

Suite *brc_suite_timeline(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, brc_test_results_setup,
	                          brc_test_results_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_long_timeline_reads);
	tcase_add_test(tc, test_thin_keeps_min_and_max_per_bucket);
	tcase_add_test(tc, test_plot_timeline_decimated);
	tcase_add_test(tc, test_written_timeline_thinned);
	suite_add_tcase(s, tc);
	return s;
}
