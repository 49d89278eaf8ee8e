/*
 * check_merge.c - what makes cells mergeable: latency histograms in the
 * results file (exact round trip, hostile forms refused), percentiles of
 * merged histograms equal to those of all raw samples, and `merge`'s
 * joining and refusals.
 */
#include "config.h"

#include <check.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "results/histogram.h"
#include "results/merge.h"
#include "results/metrics.h"
#include "results_fixture.h"
#include "suites.h"
#include "util.h"

/* Deterministic latencies of 0.1 ms to ~2 s, skewed like real ones. */
static uint64_t sample(uint64_t *state)
{
	double u = (double)(brc_splitmix64(state) >> 11) / 9007199254740992.0;

	return (uint64_t)(1e5 * (1 + u * u * u * u * 20000));
}

START_TEST(test_hist_json_round_trip)
{
	struct brc_hist *h = malloc(sizeof(*h)), *back = malloc(sizeof(*back));
	cJSON *o = cJSON_CreateObject();
	uint64_t st = 7;
	const char *why;

	brc_hist_init(h);
	for (int i = 0; i < 5000; i++)
		brc_hist_record(h, sample(&st));
	brc_hist_to_json(o, "h", h);
	ck_assert_int_eq(brc_hist_from_json(cJSON_GetObjectItem(o, "h"), back,
	                                    &why), 0);
	ck_assert_int_eq(memcmp(h, back, sizeof(*h)), 0);
	cJSON_Delete(o);
	free(h);
	free(back);
}
END_TEST

START_TEST(test_hist_json_hostile)
{
	static const char *const bad[] = {
		"{\"count\":1,\"min\":5,\"max\":5,\"sum\":5,\"buckets\":[99999,1]}",
		"{\"count\":2,\"min\":5,\"max\":5,\"sum\":5,\"buckets\":[5,1]}",
		"{\"count\":2,\"min\":5,\"max\":9,\"sum\":5,\"buckets\":[9,1,5,1]}",
		"{\"count\":1,\"min\":5,\"max\":5,\"sum\":5,\"buckets\":[5]}",
		"{\"count\":-1,\"min\":5,\"max\":5,\"sum\":5,\"buckets\":[]}",
		"{\"count\":1,\"min\":9,\"max\":5,\"sum\":5,\"buckets\":[5,1]}",
		"{\"count\":1.5,\"min\":5,\"max\":5,\"sum\":5,\"buckets\":[5,1]}",
		"[1,2,3]",
	};
	struct brc_hist *h = malloc(sizeof(*h));
	const char *why;

	for (size_t i = 0; i < BR_ARRAY_SIZE(bad); i++) {
		cJSON *o = cJSON_Parse(bad[i]);

		ck_assert_ptr_nonnull(o);
		ck_assert_msg(brc_hist_from_json(o, h, &why) == -1,
		              "accepted %s", bad[i]);
		cJSON_Delete(o);
	}
	free(h);
}
END_TEST

/* Runs on three machines, merged counter by counter, give exactly the
 * percentiles of one histogram of every raw sample. */
START_TEST(test_merged_percentiles_equal_raw)
{
	struct brc_hist *part = calloc(3, sizeof(*part)), *all = malloc(sizeof(*all));
	struct brc_group g = { .label = (char *)"x", .point = (char *)"",
	                       .n_runs = 3 };
	struct brc_latency_summary merged, raw;
	uint64_t st = 42;

	g.runs = calloc(3, sizeof(*g.runs));
	brc_hist_init(all);
	for (int p = 0; p < 3; p++) {
		brc_hist_init(&part[p]);
		for (int i = 0; i < 1000 * (p + 1); i++) {
			uint64_t v = sample(&st) * (uint64_t)(p + 1);

			brc_hist_record(&part[p], v);
			brc_hist_record(all, v);
		}
		g.runs[p].status = BR_RUN_OK;
		g.runs[p].hist = &part[p];
	}
	ck_assert_uint_eq(brc_group_latency(&g, &merged), 3);
	brc_hist_summary(all, &raw);
	ck_assert_uint_eq(merged.count, 6000);
	ck_assert(merged.p50 == raw.p50 && merged.p90 == raw.p90 &&
	          merged.p99 == raw.p99 && merged.p999 == raw.p999 &&
	          merged.max == raw.max && merged.min == raw.min);
	/* A run without a histogram (an older file): no merged figure. */
	g.runs[1].hist = NULL;
	ck_assert_uint_eq(brc_group_latency(&g, &merged), 0);
	free(g.runs);
	free(part);
	free(all);
}
END_TEST

/* The fixture split in two files by repetition, the second reversed. */
static void split(struct brc_results *a, struct brc_results *b)
{
	brc_test_results_build(a, 1.0);
	brc_test_results_build(b, 1.0);
	for (size_t i = 0; i < a->n_groups; i++) {
		a->groups[i].item = (int64_t)i;
		b->groups[i].item = (int64_t)i;
		for (size_t k = 0; k < a->groups[i].n_runs; k++) {
			struct brc_run_result *drop = k % 2 ? &a->groups[i].runs[k]
			                                    : &b->groups[i].runs[k];

			brc_run_result_clear(drop);
			drop->repetition = -1;
		}
	}
}

/* Runs marked repetition -1 are not there: squeeze them out. */
static void squeeze(struct brc_results *r)
{
	for (size_t i = 0; i < r->n_groups; i++) {
		size_t n = 0;

		for (size_t k = 0; k < r->groups[i].n_runs; k++)
			if (r->groups[i].runs[k].repetition >= 0)
				r->groups[i].runs[n++] = r->groups[i].runs[k];
		r->groups[i].n_runs = n;
	}
}

START_TEST(test_merge_joins_in_order)
{
	struct brc_results in[2], out, whole;
	const char *names[] = { "a.json", "b.json" };
	struct brc_buf msg = { 0 }, warn = { 0 };

	split(&in[0], &in[1]);
	squeeze(&in[0]);
	squeeze(&in[1]);
	/* The second file lists its groups backwards. */
	for (size_t i = 0; i < in[1].n_groups / 2; i++) {
		struct brc_group t = in[1].groups[i];

		in[1].groups[i] = in[1].groups[in[1].n_groups - 1 - i];
		in[1].groups[in[1].n_groups - 1 - i] = t;
	}
	ck_assert_int_eq(brc_results_merge(in, names, 2, &out, &msg, &warn), 0);
	brc_test_results_build(&whole, 1.0);
	ck_assert_uint_eq(out.n_groups, whole.n_groups);
	for (size_t i = 0; i < whole.n_groups; i++) {
		ck_assert_str_eq(out.groups[i].label, whole.groups[i].label);
		ck_assert_str_eq(out.groups[i].point, whole.groups[i].point);
		ck_assert_uint_eq(out.groups[i].n_runs, whole.groups[i].n_runs);
		for (size_t k = 0; k < whole.groups[i].n_runs; k++)
			ck_assert(out.groups[i].runs[k].wall ==
			          whole.groups[i].runs[k].wall);
	}
	ck_assert(!out.incomplete);
	brc_results_free(&out);
	brc_results_free(&whole);
	brc_results_free(&in[0]);
	brc_results_free(&in[1]);
	brc_buf_free(&msg);
	brc_buf_free(&warn);
}
END_TEST

START_TEST(test_merge_refuses)
{
	struct brc_results in[2], out;
	const char *names[] = { "a.json", "b.json" };
	struct brc_buf msg = { 0 }, warn = { 0 };

	/* The same cells twice. */
	brc_test_results_build(&in[0], 1.0);
	brc_test_results_build(&in[1], 1.0);
	ck_assert_int_eq(brc_results_merge(in, names, 2, &out, &msg, &warn), -1);
	ck_assert_has(msg.data, "both hold run 1 of");
	ck_assert_has(msg.data, "a.json and b.json");
	brc_results_free(&in[0]);
	brc_results_free(&in[1]);
	brc_buf_free(&msg);

	/* Another scenario. */
	split(&in[0], &in[1]);
	squeeze(&in[0]);
	squeeze(&in[1]);
	free(in[1].scenario_hash);
	in[1].scenario_hash = brc_xstrdup("fedcba9876543210");
	ck_assert_int_eq(brc_results_merge(in, names, 2, &out, &msg, &warn), -1);
	ck_assert_has(msg.data, "different scenarios");
	brc_results_free(&in[0]);
	brc_results_free(&in[1]);
	brc_buf_free(&msg);
	brc_buf_free(&warn);
}
END_TEST

/* Cells missing from every file: merged, marked incomplete, said. */
START_TEST(test_merge_missing_cells)
{
	struct brc_results in[1], out;
	const char *names[] = { "a.json" };
	struct brc_buf msg = { 0 }, warn = { 0 };
	size_t runs = 0;

	brc_test_results_build(&in[0], 1.0);
	for (size_t i = 0; i < in[0].n_groups; i++)
		runs += in[0].groups[i].n_runs;
	in[0].cells_total = (int64_t)runs + 2;
	ck_assert_int_eq(brc_results_merge(in, names, 1, &out, &msg, &warn), 0);
	ck_assert(out.incomplete);
	ck_assert_has(warn.data, "cells are in these files");
	brc_results_free(&out);
	brc_results_free(&in[0]);
	brc_buf_free(&msg);
	brc_buf_free(&warn);
}
END_TEST

Suite *brc_suite_merge(void)
{
	Suite *s = suite_create("merge");
	TCase *tc = tcase_create("merge");

	tcase_add_test(tc, test_hist_json_round_trip);
	tcase_add_test(tc, test_hist_json_hostile);
	tcase_add_test(tc, test_merged_percentiles_equal_raw);
	tcase_add_test(tc, test_merge_joins_in_order);
	tcase_add_test(tc, test_merge_refuses);
	tcase_add_test(tc, test_merge_missing_cells);
	suite_add_tcase(s, tc);
	return s;
}
