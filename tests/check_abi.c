/*
 * check_abi.c - plugins built against different versions of
 * <benchrun/plugin.h> (tests/plugins/abi_versions.c): a 1.0 plugin with
 * 1.0's smaller parameter entries and no param_size, a 1.1 plugin, and a
 * table as a later 1.x header would lay it out (larger entries, larger
 * descriptor) each load with the same three parameters, and build the same
 * options; a newer minor and an impossible stride are refused with the
 * loader's exact message.  And every bundled plugin marks its concurrency
 * parameter (BR_PARAM_F_CONCURRENCY).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "run/loader.h"
#include "suites.h"
#include "util.h"
#include "plugins/abi_opts.h"

/* The loader's ABI 1.0 entry size: everything up to `help`. */
#define PARAM_SIZE_1_0 (offsetof(struct br_param, help) + sizeof(const char *))

static char *fixture_path(const char *name)
{
	char *rel = brc_xasprintf("tests/plugins/.libs/%s.so", name);
	char *path = brc_test_builddir(rel);

	free(rel);
	return path;
}

/* Open fixture `name` by path: NULL and *pl, or the loader's message. */
static char *open_abi(const char *name, struct brc_loaded *pl)
{
	char *path = fixture_path(name), *err = NULL;

	memset(pl, 0, sizeof(*pl));
	if (brc_plugin_open(path, NULL, NULL, pl, &err))
		ck_assert_ptr_nonnull(err);
	free(path);
	return err;
}

/* The fixture loads; its table, in the core's layout, is the three
 * parameters with their flags; the options build from defaults and from
 * a value. */
static void expect_three(const char *name, uint32_t concurrency_flags)
{
	struct brc_loaded pl;
	char *err = open_abi(name, &pl), *item = (char *)"16";
	const struct br_param *p;
	struct abi_opts *o;
	struct brc_param_value v = { .name = (char *)"concurrency",
		                     .items = &item, .n_items = 1 };

	ck_assert_msg(err == NULL, "%s: %s", name, err);
	ck_assert_str_eq(pl.desc->name, name);
	p = pl.desc->params;
	ck_assert_str_eq(p[0].name, "concurrency");
	ck_assert_int_eq(p[0].type, BR_PARAM_INT);
	ck_assert_uint_eq(p[0].offset, offsetof(struct abi_opts, concurrency));
	ck_assert_double_eq(p[0].max, 1000);
	ck_assert_str_eq(p[0].help, "in flight");
	ck_assert_uint_eq(p[0].flags, concurrency_flags);
	ck_assert_str_eq(p[1].name, "ratio");
	ck_assert_int_eq(p[1].type, BR_PARAM_DOUBLE);
	ck_assert_str_eq(p[1].def, "0.25");
	ck_assert_uint_eq(p[1].flags, 0);
	ck_assert_str_eq(p[2].name, "mode");
	ck_assert_uint_eq(p[2].offset, offsetof(struct abi_opts, mode));
	for (int k = 0; k < 3; k++) {
		ck_assert_uint_eq(p[k].reserved_u32, 0);
		ck_assert_ptr_null(p[k].reserved[0]);
		ck_assert_ptr_null(p[k].reserved[1]);
	}
	ck_assert_ptr_null(p[3].name);

	ck_assert_int_eq(brc_params_build(pl.desc, NULL, 0, (void **)&o, &err),
	                 0);
	ck_assert_int_eq(o->concurrency, 8);
	ck_assert_double_eq(o->ratio, 0.25);
	ck_assert_str_eq(o->mode, "fast");
	brc_params_free(pl.desc, o);
	ck_assert_msg(!brc_params_build(pl.desc, &v, 1, (void **)&o, &err),
	              "%s", err);
	ck_assert_int_eq(o->concurrency, 16);
	ck_assert_str_eq(o->mode, "fast");
	brc_params_free(pl.desc, o);
	brc_plugin_close(&pl);
}

START_TEST(test_abi_1_0)
{
	expect_three("abi_1_0", 0);
}
END_TEST

START_TEST(test_abi_1_1)
{
	expect_three("abi_1_1", BR_PARAM_F_CONCURRENCY);
}
END_TEST

START_TEST(test_abi_extended_table)
{
	expect_three("abi_ext", BR_PARAM_F_CONCURRENCY);
}
END_TEST

START_TEST(test_abi_refused)
{
	struct brc_loaded pl;
	char *path = fixture_path("abi_bad_stride");
	char *want = brc_xasprintf("plugin 'abi_bad_stride' (%s) says its "
	                          "parameter entries are 8 bytes (1.0's are "
	                          "%zu): set it with BR_PLUGIN_HEADER", path,
	                          (size_t)PARAM_SIZE_1_0);
	char *err = open_abi("abi_bad_stride", &pl);

	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(err, want);
	ck_assert_ptr_null(pl.dl);
	free(err);
	free(want);
	free(path);

	path = fixture_path("abi_newer");
	want = brc_xasprintf("plugin 'abi_newer' (%s) was built for ABI %d.%d; "
	                     "this benchrun speaks %d.0 to %d.%d: upgrade "
	                     "benchrun or rebuild the plugin against this "
	                     "benchrun's <benchrun/plugin.h>", path,
	                     BR_ABI_MAJOR, BR_ABI_MINOR + 1, BR_ABI_MAJOR,
	                     BR_ABI_MAJOR, BR_ABI_MINOR);
	err = open_abi("abi_newer", &pl);
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(err, want);
	free(err);
	free(want);
	free(path);
}
END_TEST

/* Every bundled plugin with a `concurrency` parameter marks it, and no
 * table marks more than one parameter. */
START_TEST(test_bundled_concurrency_flag)
{
	char *dir = brc_test_builddir("plugins/.libs"), **names;
	size_t n = brc_loader_scan(dir, &names), checked = 0;

	ck_assert_uint_ge(n, 5);
	for (size_t k = 0; k < n; k++) {
		char *path = brc_xasprintf("%s/%s.so", dir, names[k]);
		struct brc_loaded pl;
		char *err = NULL;
		int marked = 0;

		ck_assert_msg(!brc_plugin_open(path, NULL, NULL, &pl, &err),
		              "%s", err);
		for (const struct br_param *p = pl.desc->params; p && p->name;
		     p++) {
			bool flag = p->flags & BR_PARAM_F_CONCURRENCY;

			marked += flag;
			ck_assert_msg(strcmp(p->name, "concurrency") || flag,
			              "%s: concurrency is not marked "
			              "BR_PARAM_F_CONCURRENCY", names[k]);
			checked += !strcmp(p->name, "concurrency");
		}
		ck_assert_msg(marked <= 1, "%s marks %d parameters", names[k],
		              marked);
		brc_plugin_close(&pl);
		free(path);
	}
	ck_assert_uint_ge(checked, 5);
	brc_loader_free_names(names);
	free(dir);
}
END_TEST

Suite *brc_suite_abi(void)
{
	Suite *s = suite_create("abi");
	TCase *tc = tcase_create("abi");

	tcase_add_test(tc, test_abi_1_0);
	tcase_add_test(tc, test_abi_1_1);
	tcase_add_test(tc, test_abi_extended_table);
	tcase_add_test(tc, test_abi_refused);
	tcase_add_test(tc, test_bundled_concurrency_flag);
	suite_add_tcase(s, tc);
	return s;
}
