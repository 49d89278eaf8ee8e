/*
 * check_yamltree.c - YAML as the scenario reader takes it (yamltree*.c):
 * anchors and merge keys, and hostile inputs (empty, directory, missing,
 * huge, binary, multi-document, deep nesting, alias bombs, random edits of
 * a good file), each refused with a message and no crash or leak.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "scenario/scenario.h"
#include "suites.h"
#include "util.h"

START_TEST(anchors_and_merges)
{
	struct brc_scenario sc;
	char *p = brc_test_good("anchors.yaml"), *err = NULL;
	const struct brc_strategy *s;

	ck_assert_msg(!brc_scenario_load(p, NULL, 0, &sc, &err), "%s", err);
	ck_assert_int_eq(sc.server.latency.model, BR_LAT_UNIFORM);
	ck_assert_double_eq_tol(sc.server.latency.max, 0.003, 1e-12);
	s = &sc.strategies[0];
	ck_assert_uint_eq(s->n_params, 2);
	ck_assert_str_eq(s->params[1].name, "concurrency");
	ck_assert_str_eq(s->params[1].items[0], "4");
	s = &sc.strategies[1];
	ck_assert_uint_eq(s->n_params, 2);
	/* The explicit key wins over the merged one. */
	ck_assert_str_eq(s->params[0].name, "concurrency");
	ck_assert_str_eq(s->params[0].items[0], "16");
	ck_assert_str_eq(s->params[1].name, "timeout");
	brc_scenario_free(&sc);
	free(p);
}
END_TEST

static char *tmpdir;

static void mk_tmp(void)
{
	tmpdir = brc_xstrdup("/tmp/br-check-scenario-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_tmp(void)
{
	char *cmd = brc_xasprintf("rm -rf '%s'", tmpdir);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(tmpdir);
}

/* Write `len` bytes of `text` to tmpdir/name, load it, return the
 * errors. */
static char *load_file(const char *name, const char *text, size_t len)
{
	char *path = brc_xasprintf("%s/%s", tmpdir, name), *err = NULL;
	struct brc_scenario sc;

	if (text)
		ck_assert_int_eq(brc_write_file_atomic(path, text, len), 0);
	ck_assert_int_eq(brc_scenario_load(path, NULL, 0, &sc, &err), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(!strncmp(err, path, strlen(path)), "%s", err);
	free(path);
	return err;
}

START_TEST(hostile_files)
{
	char *err, *big;
	size_t n = (4u << 20) + 10;

	mk_tmp();
	err = load_file("empty.yaml", "", 0);
	ck_assert_has(err, "empty scenario");
	free(err);
	err = load_file("comments.yaml", "# nothing\n", 10);
	ck_assert_has(err, "empty scenario");
	free(err);
	err = load_file("missing.yaml", NULL, 0);
	ck_assert_has(err, "cannot read: No such file");
	free(err);
	err = load_file("", NULL, 0); /* tmpdir itself */
	ck_assert_has(err, "is a directory");
	free(err);
	err = load_file("bin.yaml", "\x80\x01garbage\xff", 10);
	ck_assert_has(err, "bin.yaml:1:1: not YAML text");
	free(err);
	err = load_file("text.yaml", "just some words\n", 16);
	ck_assert_has(err, "a scenario is a mapping");
	free(err);
	err = load_file("multi.yaml", "strategies: [a]\n---\nx: 1\n", 24);
	ck_assert_has(err, "multi.yaml:2:1: a second YAML document");
	free(err);
	big = brc_xmalloc(n);
	memset(big, '#', n);
	err = load_file("huge.yaml", big, n);
	ck_assert_has(err, "too large");
	free(err);
	free(big);
	rm_tmp();
}
END_TEST

START_TEST(deep_nesting)
{
	struct brc_buf b = { 0 };
	uint64_t t0 = brc_now_ns();
	char *err;

	brc_buf_printf(&b, "strategies: [sync]\nx-deep: ");
	for (int i = 0; i < 200; i++)
		brc_buf_printf(&b, "{a: ");
	brc_buf_printf(&b, "1");
	for (int i = 0; i < 200; i++)
		brc_buf_printf(&b, "}");
	brc_buf_printf(&b, "\n");
	err = brc_test_scenario_fail(b.data, NULL, 0);
	ck_assert_has(err, "nesting deeper than");
	free(err);
	brc_buf_free(&b);
	/* Block style too, and lists. */
	for (int i = 0; i < 200; i++)
		brc_buf_printf(&b, "%*s- \n", 2 * i, "");
	err = brc_test_scenario_fail(b.data, NULL, 0);
	ck_assert_has(err, "nesting deeper than");
	free(err);
	brc_buf_free(&b);
	ck_assert_msg(brc_now_ns() - t0 < 5000000000ull, "too slow");
}
END_TEST

START_TEST(alias_bomb)
{
	/* "Billion laughs": each level is ten of the previous one. */
	struct brc_buf b = { 0 };
	uint64_t t0 = brc_now_ns();
	char *err;

	brc_buf_printf(&b, "x-0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, "
	                  "lol, lol]\n");
	for (int i = 1; i < 10; i++) {
		brc_buf_printf(&b, "x-%d: &l%d [", i, i);
		for (int j = 0; j < 10; j++)
			brc_buf_printf(&b, "%s*l%d", j ? ", " : "", i - 1);
		brc_buf_printf(&b, "]\n");
	}
	brc_buf_printf(&b, "strategies: [sync]\n");
	err = brc_test_scenario_fail(b.data, NULL, 0);
	ck_assert_has(err, "document too large");
	free(err);
	brc_buf_free(&b);
	ck_assert_msg(brc_now_ns() - t0 < 5000000000ull, "too slow");
}
END_TEST

/* Random edits of a good file must never crash or leak: each either loads
 * or fails with at least one message. */
START_TEST(mutations)
{
	static const char alphabet[] = "{}[]:,-&*!|>'\"#\n \t?<~%@`09az.";
	char *p = brc_test_good("full.yaml");
	size_t len;
	char *base = brc_read_file(p, 1 << 20, &len);
	uint64_t rng = 42;

	ck_assert_ptr_nonnull(base);
	for (int it = 0; it < 500; it++) {
		char *t = brc_xmalloc(len + 16), *err = NULL;
		size_t n = len;
		struct brc_scenario sc;

		memcpy(t, base, len);
		for (int m = 0; m < 1 + it % 4; m++) {
			size_t pos = brc_splitmix64(&rng) % n;
			char c = alphabet[brc_splitmix64(&rng) %
			                  (sizeof(alphabet) - 1)];

			if (it % 3 == 0) {
				memmove(t + pos + 1, t + pos, n - pos);
				n++;
			}
			t[pos] = c;
		}
		if (!brc_scenario_load_string("m.yaml", t, n, NULL, 0, &sc,
		                             &err))
			brc_scenario_free(&sc);
		else
			ck_assert_msg(err && strstr(err, "m.yaml"), "no message");
		free(err);
		free(t);
	}
	free(base);
	free(p);
}
END_TEST

Suite *brc_suite_yamltree(void)
{
	Suite *s = suite_create("yamltree");
	TCase *tc = tcase_create("yamltree");

	tcase_add_test(tc, anchors_and_merges);
	tcase_add_test(tc, hostile_files);
	tcase_add_test(tc, deep_nesting);
	tcase_add_test(tc, alias_bomb);
	tcase_add_test(tc, mutations);
	suite_add_tcase(s, tc);
	return s;
}
