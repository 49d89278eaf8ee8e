/*
 * check_results_doc.c - the fast results reader (results/results_doc.h):
 * simdjson's tree with the timelines' numbers packed gives what cJSON
 * gives, number for number; only timeline arrays of numbers are packed;
 * the lean read (compare) skips timelines but still checks their shape;
 * what simdjson refuses goes to cJSON; crafted timelines fail or read the
 * same on both paths.
 */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results/metrics.h"
#include "results/results.h"
#include "results/results_doc.h"
#include "results_fixture.h"
#include "suites.h"
#include "util.h"

/* brc_jdoc_parse on a string (with the padding it needs), with numbers
 * or counting them. */
static struct brc_jdoc *doc_with(const char *text, bool numbers)
{
	size_t len = strlen(text);
	char *buf = brc_xcalloc(len + BRC_JDOC_PADDING, 1);
	struct brc_jdoc *doc;

	memcpy(buf, text, len);
	doc = brc_jdoc_parse(buf, len, numbers);
	free(buf);
	return doc;
}

static struct brc_jdoc *doc_of(const char *text)
{
	return doc_with(text, true);
}

/* A packed array's numbers, or NULL. */
static const double *numbers(const struct brc_jdoc *doc, const cJSON *a,
                             size_t *n)
{
	const double *v = NULL;

	return brc_jdoc_packed(doc, a, n, &v) ? v : NULL;
}

static const cJSON *at(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* Numbers whose text is not their shortest form, and extremes: packed
 * and cJSON's strtod must give the very same doubles. */
static const char *const tricky[] = {
	"0.1", "0.30000000000000004", "-1.5", "5e-324", "1e-400", "2.2250738585072014e-308",
	"1.7976931348623157e308", "9007199254740993", "18446744073709551615",
	"-9223372036854775808", "1E3", "0.5e-2",
	"3.14159265358979323846264338327950288",
};

START_TEST(test_doc_packs_timeline_arrays_only)
{
	struct brc_buf b = { 0 };
	struct brc_jdoc *doc;
	const cJSON *tl, *t;
	const double *v;
	size_t n = 0, nt = BR_ARRAY_SIZE(tricky);

	brc_buf_printf(&b, "{\"x\": [1, 2], \"runs\": [{\"timeline\": {\"t\": [");
	for (size_t i = 0; i < nt; i++)
		brc_buf_printf(&b, "%s%s", i ? ", " : "", tricky[i]);
	brc_buf_printf(&b, "], \"pss\": [1, \"2\"], \"rss\": [], \"threads\": "
	              "[[1]], \"procs\": {\"a\": [7]}}}]}");
	doc = doc_of(b.data);
	ck_assert_ptr_nonnull(doc);
	tl = at(cJSON_GetArrayItem(at(brc_jdoc_root(doc), "runs"), 0), "timeline");
	t = at(tl, "t");
	v = numbers(doc, t, &n);
	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_null(t->child);
	ck_assert_uint_eq(n, nt);
	for (size_t i = 0; i < nt; i++) {
		double want = strtod(tricky[i], NULL);

		ck_assert_msg(!memcmp(&v[i], &want, sizeof(want)),
		              "%s read as %.17g", tricky[i], v[i]);
	}
	/* Not packed: a string among the numbers, an empty array, arrays of
	 * arrays, deeper than a timeline's members, and outside timelines.
	 * Those keep their items. */
	ck_assert_ptr_null(numbers(doc, at(tl, "pss"), &n));
	ck_assert_int_eq(cJSON_GetArraySize(at(tl, "pss")), 2);
	ck_assert_ptr_null(numbers(doc, at(tl, "rss"), &n));
	ck_assert_ptr_null(numbers(doc, at(tl, "threads"), &n));
	ck_assert_ptr_null(numbers(doc, at(at(tl, "procs"), "a"), &n));
	ck_assert_ptr_null(numbers(doc, at(brc_jdoc_root(doc), "x"), &n));
	ck_assert_int_eq(cJSON_GetArraySize(at(brc_jdoc_root(doc), "x")), 2);
	ck_assert_ptr_null(numbers(NULL, t, &n));
	brc_jdoc_free(doc);

	/* Without numbers: packed, counted, none kept. */
	doc = doc_with(b.data, false);
	ck_assert_ptr_nonnull(doc);
	tl = at(cJSON_GetArrayItem(at(brc_jdoc_root(doc), "runs"), 0), "timeline");
	n = 0;
	ck_assert(brc_jdoc_packed(doc, at(tl, "t"), &n, &v));
	ck_assert_uint_eq(n, nt);
	ck_assert_ptr_null(v);
	ck_assert(!brc_jdoc_packed(doc, at(tl, "pss"), &n, &v));
	brc_jdoc_free(doc);
	free(b.data);

	/* What simdjson refuses goes to cJSON (NULL here): text after the
	 * value, bad UTF-8, a raw control byte in a string, cut short,
	 * integers beyond 64 bits and numbers beyond a double (strtod gives
	 * them a value). */
	ck_assert_ptr_null(doc_of("{\"schema\": 1} x"));
	ck_assert_ptr_null(doc_of("{\"log\": \"\xff\"}"));
	ck_assert_ptr_null(doc_of("{\"log\": \"a\tb\"}"));
	ck_assert_ptr_null(doc_of("{\"schema\": 1,"));
	ck_assert_ptr_null(doc_of(""));
	ck_assert_ptr_null(doc_of("{\"timeline\": {\"t\": [123456789012345678901234]}}"));
	ck_assert_ptr_null(doc_of("[1e400]"));
}
END_TEST

static void assert_same_runs(const struct brc_results *a,
                             const struct brc_results *b)
{
	ck_assert_uint_eq(a->n_groups, b->n_groups);
	for (size_t g = 0; g < a->n_groups; g++) {
		ck_assert_uint_eq(a->groups[g].n_runs, b->groups[g].n_runs);
		for (size_t i = 0; i < a->groups[g].n_runs; i++) {
			const struct brc_run_result *x = &a->groups[g].runs[i];
			const struct brc_run_result *y = &b->groups[g].runs[i];

			for (size_t f = 0; f < brc_n_run_fields; f++) {
				double u = brc_run_field_get(x, &brc_run_fields[f]);
				double v = brc_run_field_get(y, &brc_run_fields[f]);

				ck_assert(u == v || (isnan(u) && isnan(v)));
			}
			ck_assert_str_eq(x->log, y->log);
			ck_assert_uint_eq(x->n_timeline, y->n_timeline);
			/* (no timeline: both NULL, which memcmp must not get) */
			ck_assert(!x->n_timeline ||
			          !memcmp(x->timeline, y->timeline,
			                  x->n_timeline * sizeof(*x->timeline)));
		}
	}
}

/* One file read through simdjson, then with a byte after it that only
 * cJSON tolerates: the same results, number for number. */
START_TEST(test_fast_and_cjson_paths_agree)
{
	struct brc_results r, fast, slow;
	struct brc_run_result *x;
	struct brc_jdoc *doc;
	char *p = brc_test_results_tmp("r.json"), *q = brc_test_results_tmp("q.json");
	char *text, *err = NULL;
	size_t len;
	FILE *f;

	brc_test_results_build(&r, 1.0);
	x = &r.groups[0].runs[0];
	x->timeline[0].t = 1.0 / 3;
	x->timeline[1].t = 5e-324;
	x->timeline[2].tree_pss = INT64_C(9007199254740993);
	x->timeline[3].threads = -7;
	ck_assert_int_eq(brc_results_json_write(p, &r), 0);
	ck_assert_msg(brc_results_json_read(p, &fast, &err) == 0, "%s", err);
	text = brc_test_slurp(p, &len);
	doc = doc_of(text);
	ck_assert_ptr_nonnull(doc); /* the file takes the fast path */
	brc_jdoc_free(doc);
	f = fopen(q, "w");
	ck_assert_ptr_nonnull(f);
	fwrite(text, 1, len, f);
	fputs("trailing", f);
	fclose(f);
	ck_assert_msg(brc_results_json_read(q, &slow, &err) == 0, "%s", err);
	assert_same_runs(&fast, &slow);
	ck_assert_double_eq(fast.groups[0].runs[0].timeline[0].t, 1.0 / 3);
	/* Lean (compare): the same runs on both paths, without timelines. */
	for (int i = 0; i < 2; i++) {
		struct brc_results lean;

		ck_assert_msg(brc_results_json_read_lean(i ? q : p, &lean, &err) == 0,
		              "%s", err);
		for (size_t g = 0; g < lean.n_groups; g++)
			for (size_t k = 0; k < lean.groups[g].n_runs; k++) {
				struct brc_run_result *y = &fast.groups[g].runs[k];

				ck_assert_uint_eq(lean.groups[g].runs[k].n_timeline, 0);
				ck_assert_ptr_null(lean.groups[g].runs[k].timeline);
				free(y->timeline); /* compared without */
				y->timeline = NULL;
				y->n_timeline = 0;
			}
		assert_same_runs(&fast, &lean);
		brc_results_free(&lean);
	}
	brc_results_free(&r);
	brc_results_free(&fast);
	brc_results_free(&slow);
	free(text);
	free(p);
	free(q);
}
END_TEST

/* Crafted timelines read the same through simdjson as through cJSON:
 * arrays of different lengths are refused, a string reads as 0, the
 * first of two "timeline" keys counts. */
START_TEST(test_crafted_timelines)
{
	static const char head[] = "{\"schema\": 1, \"groups\": [{\"label\": "
	                           "\"x\", \"runs\": [{\"status\": \"ok\", ";
	static const char *const cases[] = {
		"\"timeline\": {\"t\": [0, 1], \"pss\": [1], \"rss\": [1, 2], "
		"\"threads\": [1, 1], \"procs\": [1, 1]}",
		"\"timeline\": {\"t\": [0, 1], \"pss\": [1, \"9\"], \"rss\": [1, 2], "
		"\"threads\": [1, 1], \"procs\": [1, 1]}",
		"\"timeline\": {\"t\": [0], \"pss\": [5], \"rss\": [1], "
		"\"threads\": [1], \"procs\": [1]}, \"timeline\": {\"t\": [0, 1], "
		"\"pss\": [1, 2], \"rss\": [1, 2], \"threads\": [1, 1], "
		"\"procs\": [1, 1]}",
		"\"timeline\": {\"t\": [0, 1], \"pss\": [3, 4], \"rss\": [1, 2], "
		"\"threads\": [1, 1]}",
	};
	static const int want_rc[] = { -1, 0, 0, -1 };
	static const size_t want_n[] = { 0, 2, 1, 0 };
	static const int64_t want_pss[] = { 0, 0, 5, 0 }; /* of the last */
	char *p = brc_test_results_tmp("c.json");

	for (size_t c = 0; c < BR_ARRAY_SIZE(cases); c++)
		for (int slow = 0; slow < 2; slow++) {
			struct brc_results r;
			char *text = brc_xasprintf("%s%s}]}]}%s", head, cases[c],
			                           slow ? " trailing" : "");
			char *err = NULL;
			int rc;

			ck_assert_int_eq(brc_write_file_atomic(p, text, strlen(text)),
			                 0);
			/* Lean or not, the shape is checked alike. */
			rc = brc_results_json_read_lean(p, &r, &err);
			ck_assert_int_eq(rc, want_rc[c]);
			if (rc)
				free(err);
			else
				brc_results_free(&r);
			err = NULL;
			rc = brc_results_json_read(p, &r, &err);
			ck_assert_msg(rc == want_rc[c], "case %zu (%s): %s", c,
			              slow ? "cJSON" : "simdjson", err ? err : "ok");
			if (rc) {
				ck_assert_ptr_nonnull(strstr(err, "\"timeline\""));
				free(err);
			} else {
				const struct brc_run_result *x = &r.groups[0].runs[0];

				ck_assert_uint_eq(x->n_timeline, want_n[c]);
				ck_assert_int_eq(x->timeline[x->n_timeline - 1].tree_pss,
				                 want_pss[c]);
				brc_results_free(&r);
			}
			free(text);
		}
	free(p);
}
END_TEST

Suite *brc_suite_results_doc(void)
{
	Suite *s = suite_create("results_doc");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, brc_test_results_setup,
	                          brc_test_results_teardown);
	tcase_add_test(tc, test_doc_packs_timeline_arrays_only);
	tcase_add_test(tc, test_fast_and_cjson_paths_agree);
	tcase_add_test(tc, test_crafted_timelines);
	suite_add_tcase(s, tc);
	return s;
}
