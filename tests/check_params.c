/*
 * check_params.c - parameter typing against the params_demo fixture's
 * table (one parameter of every type): defaults, each type's syntax,
 * ranges, lists, unknown names with a suggestion, every error reported
 * with the value's mark, and the text form used in reports.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "run/loader.h"
#include "suites.h"
#include "util.h"

struct demo_opts { /* as in tests/plugins/params_demo.c */
	int64_t concurrency;
	double ratio;
	bool verbose;
	const char *mode;
	int64_t buffer;
	double timeout;
	const char *const *hosts;
};

static struct brc_loaded demo;

static void demo_setup(void)
{
	char *dir = brc_test_builddir("tests/plugins/.libs");
	char *err = NULL;

	unsetenv("BENCHRUN_PLUGIN_PATH");
	ck_assert_msg(brc_plugin_open("params_demo", NULL, dir, &demo, &err) == 0,
	              "%s", err ? err : "?");
	free(dir);
}

static void demo_teardown(void)
{
	brc_plugin_close(&demo);
}

/* Build with one value `name: text` (a list when text starts with '['
 * and items are separated by ','); returns the error or NULL. */
static char *build1(const char *name, const char *text, void **opts)
{
	char *copy = brc_xstrdup(text), *save = NULL, *items[8];
	struct brc_param_value v = {
		.name = (char *)name, .items = items,
		.mark = { .file = "s.yaml", .line = 7, .col = 3 },
	};
	char *err = NULL;

	if (copy[0] == '[') {
		v.is_list = true;
		copy[strlen(copy) - 1] = '\0';
		for (char *t = strtok_r(copy + 1, ",", &save); t && v.n_items < 8;
		     t = strtok_r(NULL, ",", &save))
			items[v.n_items++] = t;
	} else {
		items[v.n_items++] = copy;
	}
	if (brc_params_build(demo.desc, &v, 1, opts, &err))
		*opts = NULL;
	free(copy);
	return err;
}

static char *fmt(const char *name, const void *opts)
{
	return brc_params_format(brc_plugin_param(demo.desc, name), opts);
}

START_TEST(test_defaults)
{
	struct demo_opts *o;
	char *err = NULL, *t;

	ck_assert_int_eq(brc_params_build(demo.desc, NULL, 0, (void **)&o, &err),
	                 0);
	ck_assert_int_eq(o->concurrency, 4);
	ck_assert_double_eq(o->ratio, 0.5);
	ck_assert(!o->verbose);
	ck_assert_str_eq(o->mode, "fast");
	ck_assert_int_eq(o->buffer, 65536);
	ck_assert_double_eq(o->timeout, 10.0);
	ck_assert_str_eq(o->hosts[0], "a");
	ck_assert_str_eq(o->hosts[1], "b");
	ck_assert_ptr_null(o->hosts[2]);
	t = fmt("buffer", o);
	ck_assert_str_eq(t, "64 KiB");
	free(t);
	t = fmt("hosts", o);
	ck_assert_str_eq(t, "[a, b]");
	free(t);
	t = fmt("verbose", o);
	ck_assert_str_eq(t, "false");
	free(t);
	t = fmt("timeout", o);
	ck_assert_str_eq(t, "10 s");
	free(t);
	brc_params_free(demo.desc, o);
	ck_assert_str_eq(brc_param_type_name(BR_PARAM_DURATION), "duration");
	ck_assert_str_eq(brc_param_type_name(BR_PARAM_STRLIST), "list");
}
END_TEST

START_TEST(test_each_type)
{
	struct demo_opts *o;

	ck_assert_ptr_null(build1("concurrency", "10_0", (void **)&o));
	ck_assert_int_eq(o->concurrency, 100);
	brc_params_free(demo.desc, o);
	ck_assert_ptr_null(build1("ratio", "0.25", (void **)&o));
	ck_assert_double_eq(o->ratio, 0.25);
	brc_params_free(demo.desc, o);
	ck_assert_ptr_null(build1("verbose", "yes", (void **)&o));
	ck_assert(o->verbose);
	brc_params_free(demo.desc, o);
	ck_assert_ptr_null(build1("mode", "slow and steady", (void **)&o));
	ck_assert_str_eq(o->mode, "slow and steady");
	brc_params_free(demo.desc, o);
	ck_assert_ptr_null(build1("buffer", "1MiB", (void **)&o));
	ck_assert_int_eq(o->buffer, 1048576);
	brc_params_free(demo.desc, o);
	ck_assert_ptr_null(build1("timeout", "250ms", (void **)&o));
	ck_assert_double_eq_tol(o->timeout, 0.25, 1e-12);
	brc_params_free(demo.desc, o);
	/* A list param takes a list, or a scalar as a one-item list. */
	ck_assert_ptr_null(build1("hosts", "[x,y,z]", (void **)&o));
	ck_assert_str_eq(o->hosts[2], "z");
	ck_assert_ptr_null(o->hosts[3]);
	brc_params_free(demo.desc, o);
	ck_assert_ptr_null(build1("hosts", "solo", (void **)&o));
	ck_assert_str_eq(o->hosts[0], "solo");
	ck_assert_ptr_null(o->hosts[1]);
	brc_params_free(demo.desc, o);
}
END_TEST

/* `name: text` is refused with a message containing `words`. */
static void expect_bad(const char *name, const char *text, const char *words)
{
	void *o;
	char *err = build1(name, text, &o);

	ck_assert_msg(err != NULL, "%s: %s accepted", name, text);
	ck_assert_has(err, "s.yaml:7:3: ");
	ck_assert_has(err, words);
	ck_assert_ptr_null(o);
	free(err);
}

START_TEST(test_bad_values)
{
	expect_bad("concurrency", "lots", "plugin 'params_demo' parameter "
	           "'concurrency': 'lots' is not a valid int");
	expect_bad("concurrency", "0", "'concurrency': 0 is out of range "
	           "(1..1000)");
	expect_bad("concurrency", "1001", "out of range");
	expect_bad("ratio", "1.5", "out of range (0..1)");
	expect_bad("verbose", "maybe", "is not a valid bool");
	expect_bad("buffer", "2MiB", "'buffer': 2MiB is out of range "
	           "(1 KiB..1 MiB)");
	expect_bad("buffer", "12 parsecs", "unit");
	expect_bad("timeout", "2h", "out of range");
	expect_bad("timeout", "soon", "is not a valid duration");
	expect_bad("mode", "[a,b]", "'mode': takes one string, not a list");
	expect_bad("concurrency", "[1,2]", "takes one int, not a list");
}
END_TEST

START_TEST(test_unknown_name)
{
	void *o;
	char *err = build1("concurency", "3", &o);

	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(err, "s.yaml:7:3: plugin 'params_demo' has no "
	                 "parameter 'concurency' (did you mean 'concurrency'?); "
	                 "it has: concurrency, ratio, verbose, mode, buffer, "
	                 "timeout, hosts");
	free(err);
}
END_TEST

START_TEST(test_later_wins_and_all_errors)
{
	char s2[] = "2", s3[] = "3", sx[] = "x", sp[] = "p", sq[] = "q";
	char n1[] = "concurrency", n2[] = "mode", n3[] = "nope";
	char *i1[] = { s2 }, *i2[] = { s3 }, *i3[] = { sx }, *i4[] = { sp },
	     *i5[] = { sq };
	struct brc_param_value v[] = {
		{ .name = n1, .items = i1, .n_items = 1 },
		{ .name = n1, .items = i2, .n_items = 1 },
		{ .name = n2, .items = i4, .n_items = 1 },
		{ .name = n2, .items = i5, .n_items = 1 },
	};
	struct demo_opts *o;
	char *err = NULL;

	ck_assert_int_eq(brc_params_build(demo.desc, v, 4, (void **)&o, &err), 0);
	ck_assert_int_eq(o->concurrency, 3);
	ck_assert_str_eq(o->mode, "q");
	brc_params_free(demo.desc, o);
	/* Every bad value is reported, one per line. */
	v[0].items = i3;
	v[2].name = n3;
	ck_assert_int_eq(brc_params_build(demo.desc, v, 4, (void **)&o, &err),
	                 -1);
	ck_assert_ptr_nonnull(strchr(err, '\n'));
	ck_assert_has(err, "'x' is not a valid int");
	ck_assert_has(err, "no parameter 'nope'");
	free(err);
}
END_TEST

Suite *brc_suite_params(void)
{
	Suite *s = suite_create("params");
	TCase *tc = tcase_create("typing");

	tcase_add_checked_fixture(tc, demo_setup, demo_teardown);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_each_type);
	tcase_add_test(tc, test_bad_values);
	tcase_add_test(tc, test_unknown_name);
	tcase_add_test(tc, test_later_wins_and_all_errors);
	suite_add_tcase(s, tc);
	return s;
}
