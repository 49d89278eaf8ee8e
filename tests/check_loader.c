/*
 * check_loader.c - the plugin loader: the search order, and a precise
 * message for every way a plugin can be broken (one fixture each, built
 * from tests/plugins/).  Parameter typing is check_params.c's.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/loader.h"
#include "suites.h"
#include "util.h"

static char *fixture_dir(void)
{
	return brc_test_builddir("tests/plugins/.libs");
}

/* Open fixture `name` from the fixture directory; returns the error text
 * (malloc'd) or NULL on success, leaving the plugin in *pl. */
static char *open_fixture(const char *name, struct brc_loaded *pl)
{
	char *dir = fixture_dir();
	char *err = NULL;
	int rc;

	unsetenv("BENCHRUN_PLUGIN_PATH");
	rc = brc_plugin_open(name, NULL, dir, pl, &err);
	free(dir);
	if (rc == 0)
		ck_assert_ptr_null(err);
	else
		ck_assert_ptr_nonnull(err);
	return err;
}

/* A broken fixture is refused with a message containing each of `words`. */
static void expect_refused(const char *name, const char *const *words)
{
	struct brc_loaded pl;
	char *err = open_fixture(name, &pl);

	ck_assert_msg(err != NULL, "%s loaded", name);
	for (; *words; words++)
		ck_assert_has(err, *words);
	ck_assert_ptr_null(pl.dl);
	free(err);
}

START_TEST(test_broken_abi)
{
	const char *const w[] = {
		"plugin 'broken_abi' (", "broken_abi.so) was built for ABI 2.0; "
		"this benchrun speaks 1.x: rebuild it against this benchrun's "
		"<benchrun/plugin.h>", NULL };

	expect_refused("broken_abi", w);
}
END_TEST

START_TEST(test_broken_size)
{
	const char *const w[] = { "plugin 'broken_size' (",
		"has a descriptor of 16 bytes, smaller than ABI 1.0's",
		"rebuild it", NULL };

	expect_refused("broken_size", w);
}
END_TEST

START_TEST(test_broken_magic)
{
	const char *const w[] = { "plugin 'broken_magic'",
		"wrong magic number 0xdeadbeef (want 0x42524e50)",
		"not a benchrun plugin", NULL };

	expect_refused("broken_magic", w);
}
END_TEST

START_TEST(test_missing_symbol)
{
	const char *const w[] = { "plugin 'missing_symbol'",
		"does not export the symbol 'benchrun_plugin'",
		"const struct br_plugin benchrun_plugin", NULL };

	expect_refused("missing_symbol", w);
}
END_TEST

START_TEST(test_missing_hook)
{
	const char *const w[] = { "plugin 'missing_hook'",
		"lacks the required hook run", NULL };

	expect_refused("missing_hook", w);
}
END_TEST

START_TEST(test_unresolved)
{
	const char *const w[] = { "plugin 'unresolved'", "cannot be loaded",
		"br_fixture_no_such_function",
		"check its dependencies with `ldd ", "unresolved.so`", NULL };

	expect_refused("unresolved", w);
}
END_TEST

START_TEST(test_bad_param_tables)
{
	const char *const type[] = { "invalid parameter table",
		"parameter 'b' has unknown type 42", NULL };
	const char *const dup[] = { "invalid parameter table",
		"duplicate parameter 'a'", NULL };
	const char *const off[] = { "invalid parameter table",
		"parameter 'b' (offset 16, 8 bytes) lies beyond opts_size 16",
		NULL };
	const char *const def[] = { "plugin 'bad_default' (",
		"has an invalid parameter table: parameter 'b' has a bad "
		"default: 0 is out of range (1..10)", NULL };

	expect_refused("bad_type", type);
	expect_refused("bad_dup", dup);
	expect_refused("bad_offset", off);
	expect_refused("bad_default", def);
}
END_TEST

START_TEST(test_good_plugins_load)
{
	struct brc_loaded pl;
	char *err = open_fixture("create_fails", &pl);

	ck_assert_ptr_null(err);
	ck_assert_str_eq(pl.desc->name, "create_fails");
	ck_assert(pl.path[0] == '/');
	ck_assert_has(pl.path, "create_fails.so");
	brc_plugin_close(&pl);
	ck_assert_ptr_null(open_fixture("params_demo", &pl));
	ck_assert_str_eq(pl.desc->name, "params_demo");
	brc_plugin_close(&pl);
}
END_TEST

START_TEST(test_not_found)
{
	struct brc_loaded pl;
	char *dir = fixture_dir();
	char *err = NULL;

	unsetenv("BENCHRUN_PLUGIN_PATH");
	ck_assert_int_eq(brc_plugin_open("params_dem", NULL, dir, &pl, &err),
	                 -1);
	ck_assert_has(err, "plugin 'params_dem' not found; searched: ");
	ck_assert_has(err, dir);
	ck_assert_has(err, BR_PLUGINDIR);
	ck_assert_has(err, "--plugin-path");
	ck_assert_has(err, "BENCHRUN_PLUGIN_PATH");
	ck_assert_has(err, "did you mean 'params_demo'?");
	free(err);
	/* A missing directory is listed, and said to be missing. */
	ck_assert_int_eq(brc_plugin_open("zzz", NULL, "/no/such/dir", &pl, &err),
	                 -1);
	ck_assert_has(err, "/no/such/dir (missing)");
	ck_assert_ptr_null(strstr(err, "did you mean"));
	free(err);
	free(dir);
}
END_TEST

/* Copy a fixture to dir/as.so. */
static void install_as(const char *fixture, const char *dir, const char *as)
{
	char *fdir = fixture_dir();
	char *cmd = brc_xasprintf("mkdir -p '%s' && cp '%s/%s.so' '%s/%s.so'",
	                         dir, fdir, fixture, dir, as);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(fdir);
}

START_TEST(test_search_order)
{
	char tmpl[] = "/tmp/br-loader-XXXXXX";
	char *top = mkdtemp(tmpl);
	char *a, *b, *env, *err = NULL, *cmd;
	struct brc_loaded pl;

	ck_assert_ptr_nonnull(top);
	a = brc_xasprintf("%s/a", top);
	b = brc_xasprintf("%s/b", top);
	install_as("params_demo", a, "x");
	install_as("create_fails", b, "x");
	install_as("create_fails", b, "only_b");

	/* --plugin-path wins over BENCHRUN_PLUGIN_PATH. */
	setenv("BENCHRUN_PLUGIN_PATH", b, 1);
	ck_assert_int_eq(brc_plugin_open("x", NULL, a, &pl, &err), 0);
	ck_assert_str_eq(pl.desc->name, "params_demo");
	brc_plugin_close(&pl);
	/* Without it, the environment's directory is used... */
	ck_assert_int_eq(brc_plugin_open("x", NULL, NULL, &pl, &err), 0);
	ck_assert_str_eq(pl.desc->name, "create_fails");
	brc_plugin_close(&pl);
	/* ...and a name found only later on the path is still found. */
	ck_assert_int_eq(brc_plugin_open("only_b", NULL, a, &pl, &err), 0);
	brc_plugin_close(&pl);

	/* The order of brc_loader_dirs: extra, environment, ..., plugindir. */
	env = brc_xasprintf("%s:%s", b, "/env/two");
	setenv("BENCHRUN_PLUGIN_PATH", env, 1);
	char **dirs = brc_loader_dirs("/extra/one:/extra/two");
	ck_assert_str_eq(dirs[0], "/extra/one");
	ck_assert_str_eq(dirs[1], "/extra/two");
	ck_assert_str_eq(dirs[2], b);
	ck_assert_str_eq(dirs[3], "/env/two");
	size_t n = 0;
	while (dirs[n])
		n++;
	ck_assert_str_eq(dirs[n - 1], BR_PLUGINDIR);
	/* The runner in tests/ uses its build tree's plugins, but the
	 * fixtures next to it are never on the default path. */
	char *bt = brc_test_builddir("plugins/.libs"), real[PATH_MAX];
	bool has_bt = false;
	for (size_t i = 0; i < n; i++) {
		has_bt |= realpath(bt, real) && !strcmp(dirs[i], real);
		ck_assert_ptr_null(strstr(dirs[i], "tests/plugins"));
	}
	ck_assert(has_bt || access(bt, F_OK) != 0);
	free(bt);
	brc_loader_free_dirs(dirs);

	/* A path is relative to the scenario's directory. */
	ck_assert_int_eq(brc_plugin_open("a/x.so", top, NULL, &pl, &err), 0);
	ck_assert_str_eq(pl.desc->name, "params_demo");
	brc_plugin_close(&pl);
	ck_assert_int_eq(brc_plugin_open("a/nope.so", top, NULL, &pl, &err), -1);
	ck_assert_has(err, "plugin 'nope' not found at ");
	ck_assert_has(err, "relative to the scenario's directory");
	free(err);

	cmd = brc_xasprintf("rm -rf '%s'", top);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(env);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_scan)
{
	char *dir = fixture_dir();
	char **names;
	size_t n = brc_loader_scan(dir, &names);

	ck_assert_uint_ge(n, 10);
	for (size_t i = 1; i < n; i++)
		ck_assert_int_lt(strcmp(names[i - 1], names[i]), 0);
	ck_assert_ptr_null(names[n]);
	brc_loader_free_names(names);
	ck_assert_uint_eq(brc_loader_scan("/no/such/dir", &names), 0);
	ck_assert_ptr_null(names[0]);
	brc_loader_free_names(names);
	free(dir);
}
END_TEST

Suite *brc_suite_loader(void)
{
	Suite *s = suite_create("loader");
	TCase *tc = tcase_create("open");

	tcase_add_test(tc, test_broken_abi);
	tcase_add_test(tc, test_broken_size);
	tcase_add_test(tc, test_broken_magic);
	tcase_add_test(tc, test_missing_symbol);
	tcase_add_test(tc, test_missing_hook);
	tcase_add_test(tc, test_unresolved);
	tcase_add_test(tc, test_bad_param_tables);
	tcase_add_test(tc, test_good_plugins_load);
	tcase_add_test(tc, test_not_found);
	tcase_add_test(tc, test_search_order);
	tcase_add_test(tc, test_scan);
	suite_add_tcase(s, tc);
	return s;
}
