/*
 * check_plan.c - expanding a scenario into plan items: sweeps reach only
 * the plugins that declare them, several sweeps multiply, and every
 * problem (bad plugin, bad value at one sweep point, a sweep matching
 * nothing) is reported with its mark.  Uses the fixture plugins
 * params_demo (declares concurrency, ratio, ...) and create_fails (no
 * parameters).
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/plan.h"
#include "suites.h"
#include "util.h"

static struct brc_scenario sc;
static struct brc_plan plan;

/* Load `yaml` and build its plan against the fixtures; returns the plan's
 * error text (malloc'd) or NULL. */
static char *plan_of(const char *yaml)
{
	char *dir = brc_test_builddir("tests/plugins/.libs");
	char *serr = NULL, *err = NULL;

	unsetenv("BENCHRUN_PLUGIN_PATH");
	ck_assert_msg(brc_scenario_load_string("t.yaml", yaml, strlen(yaml),
	                                      NULL, 0, &sc, &serr) == 0,
	              "scenario: %s", serr ? serr : "?");
	if (brc_plan_build(&sc, dir, &plan, &err))
		ck_assert_ptr_nonnull(err);
	else
		ck_assert_ptr_null(err);
	free(dir);
	return err;
}

static void teardown(void)
{
	brc_plan_free(&plan);
	brc_scenario_free(&sc);
}

static const char *eff(const struct brc_plan_item *it, const char *name)
{
	for (size_t i = 0; i < it->n_eff; i++)
		if (!strcmp(it->eff_names[i], name))
			return it->eff_values[i];
	return NULL;
}

START_TEST(test_no_sweep)
{
	ck_assert_ptr_null(plan_of("workload: {days: 3}\n"
	                           "strategies:\n"
	                           "  - plugin: params_demo\n"
	                           "    label: demo\n"
	                           "    params: {buffer: 4KiB, hosts: [x, y]}\n"
	                           "  - plugin: create_fails\n"));
	ck_assert_uint_eq(plan.n, 2);
	ck_assert_str_eq(plan.items[0].label, "demo");
	ck_assert_str_eq(plan.items[0].plugin_name, "params_demo");
	ck_assert(plan.items[0].plugin_path[0] == '/');
	ck_assert_str_eq(plan.items[0].point, "");
	ck_assert_int_eq(plan.items[0].concurrency, 4); /* the default */
	ck_assert_uint_eq(plan.items[0].n_eff, 7);
	ck_assert_str_eq(eff(&plan.items[0], "buffer"), "4 KiB");
	ck_assert_str_eq(eff(&plan.items[0], "hosts"), "[x, y]");
	ck_assert_str_eq(eff(&plan.items[0], "mode"), "fast");
	ck_assert_uint_eq(plan.items[0].n_params, 2);
	ck_assert_str_eq(plan.items[1].label, "create_fails");
	ck_assert_uint_eq(plan.items[1].strategy, 1);
	ck_assert_int_eq(plan.items[1].concurrency, 1); /* sequential */
	ck_assert_uint_eq(plan.items[1].n_eff, 0);
}
END_TEST

START_TEST(test_sweep_reaches_declaring_plugin_only)
{
	ck_assert_ptr_null(plan_of("strategies:\n"
	                           "  - plugin: params_demo\n"
	                           "    params: {concurrency: 7}\n"
	                           "  - plugin: create_fails\n"
	                           "sweep:\n"
	                           "  concurrency: [1, 10, 100]\n"));
	ck_assert_uint_eq(plan.n, 4);
	for (size_t i = 0; i < 3; i++) {
		ck_assert_uint_eq(plan.items[i].strategy, 0);
		ck_assert_str_eq(plan.items[i].plugin_name, "params_demo");
		/* The strategy's own value, then the sweep's: later wins. */
		ck_assert_uint_eq(plan.items[i].n_params, 2);
	}
	ck_assert_str_eq(plan.items[0].point, "concurrency=1");
	ck_assert_str_eq(plan.items[2].point, "concurrency=100");
	ck_assert_int_eq(plan.items[0].concurrency, 1);
	ck_assert_int_eq(plan.items[1].concurrency, 10);
	ck_assert_int_eq(plan.items[2].concurrency, 100);
	ck_assert_str_eq(eff(&plan.items[1], "concurrency"), "10");
	ck_assert_str_eq(plan.items[3].plugin_name, "create_fails");
	ck_assert_str_eq(plan.items[3].point, "");
}
END_TEST

START_TEST(test_two_sweeps_product)
{
	ck_assert_ptr_null(plan_of("strategies:\n"
	                           "  - plugin: params_demo\n"
	                           "sweep:\n"
	                           "  concurrency: [1, 2, 3]\n"
	                           "  ratio: [0.25, 0.75]\n"));
	ck_assert_uint_eq(plan.n, 6);
	/* The first sweep varies slowest. */
	ck_assert_str_eq(plan.items[0].point, "concurrency=1,ratio=0.25");
	ck_assert_str_eq(plan.items[1].point, "concurrency=1,ratio=0.75");
	ck_assert_str_eq(plan.items[5].point, "concurrency=3,ratio=0.75");
	ck_assert_str_eq(eff(&plan.items[5], "ratio"), "0.75");
	ck_assert_int_eq(plan.items[5].concurrency, 3);
}
END_TEST

START_TEST(test_sweep_matches_nothing)
{
	char *err = plan_of("strategies:\n"
	                    "  - plugin: params_demo\n"
	                    "  - plugin: create_fails\n"
	                    "sweep:\n"
	                    "  concurency: [1, 2]\n");

	ck_assert_ptr_nonnull(err);
	ck_assert_has(err, "t.yaml:5:3: sweep 'concurency' matches no "
	              "strategy's parameters (did you mean 'concurrency'?)");
	ck_assert_uint_eq(plan.n, 0);
	free(err);
}
END_TEST

START_TEST(test_all_errors_collected)
{
	char *err = plan_of("strategies:\n"
	                    "  - plugin: params_demo\n"
	                    "    params: {mode: [a, b]}\n"
	                    "  - plugin: broken_abi\n"
	                    "  - plugin: no_such_plugin\n"
	                    "sweep:\n"
	                    "  concurrency: [5, 5000, 6000]\n");

	ck_assert_ptr_nonnull(err);
	/* A bad sweep value is caught at its point, once per value. */
	ck_assert_has(err, "'concurrency': 5000 is out of range (1..1000)");
	ck_assert_has(err, "'concurrency': 6000 is out of range (1..1000)");
	/* The strategy's own bad value is reported once, not per point. */
	ck_assert_has(err, "t.yaml:3:");
	ck_assert_has(err, "'mode': takes one string, not a list");
	ck_assert_ptr_null(strstr(strstr(err, "not a list") + 1, "not a list"));
	ck_assert_has(err, "t.yaml:4:");
	ck_assert_has(err, "was built for ABI 2.0");
	ck_assert_has(err, "plugin 'no_such_plugin' not found");
	ck_assert_uint_eq(plan.n, 0);
	free(err);
}
END_TEST

/* Run the built `benchrun` with args (NULL-terminated, no argv[0]);
 * returns its exit code and its stdout and stderr in *err (malloc'd). */
static int benchrun(const char *const *args, char **err)
{
	char *exe = brc_test_builddir("benchrun");
	char errpath[] = "/tmp/br-plan-err-XXXXXX";
	const char *argv[12] = { exe };
	int fd = mkstemp(errpath), status;
	size_t n = 1;
	pid_t pid;

	ck_assert_int_ge(fd, 0);
	for (; *args && n < BR_ARRAY_SIZE(argv) - 1; args++)
		argv[n++] = *args;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		execv(exe, (char *const *)argv);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	*err = brc_read_file(errpath, 1 << 20, NULL);
	ck_assert_ptr_nonnull(*err);
	close(fd);
	unlink(errpath);
	free(exe);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static char *write_in(const char *dir, const char *name, const char *text)
{
	char *path = brc_xasprintf("%s/%s", dir, name);

	ck_assert_int_eq(brc_write_file_atomic(path, text, strlen(text)), 0);
	return path;
}

/* The command: exit 0 when a run would start, 1 for a plugin or parameter
 * problem, 2 when the scenario itself is invalid. */
START_TEST(test_validate_cmd)
{
	char dir[] = "/tmp/br-plan-XXXXXX";
	char *fix = brc_test_builddir("tests/plugins/.libs"), *err;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *good = write_in(dir, "good.yaml",
	                      "strategies:\n"
	                      "  - plugin: params_demo\n"
	                      "sweep:\n"
	                      "  concurrency: [1, 2]\n");
	char *bad = write_in(dir, "bad.yaml",
	                     "strategies:\n"
	                     "  - plugin: params_demo\n"
	                     "    params: {concurency: 3}\n");
	char *broken = write_in(dir, "broken.yaml", "strategies: [\n");
	const char *a_good[] = { "validate", "--plugin-path", fix, good, NULL };
	const char *a_bad[] = { "validate", "--plugin-path", fix, bad, NULL };
	const char *a_broken[] = { "validate", broken, NULL };

	ck_assert_int_eq(benchrun(a_good, &err), 0);
	free(err);
	ck_assert_int_eq(benchrun(a_bad, &err), 1);
	ck_assert_has(err, "bad.yaml:3:");
	ck_assert_has(err, "has no parameter 'concurency' (did you mean "
	              "'concurrency'?)");
	free(err);
	ck_assert_int_eq(benchrun(a_broken, &err), 2);
	free(err);
	unlink(good);
	unlink(bad);
	unlink(broken);
	rmdir(dir);
	free(good);
	free(bad);
	free(broken);
	free(fix);
}
END_TEST

START_TEST(test_plugins_cmd)
{
	char dir[] = "/tmp/br-plan-XXXXXX";
	char *fix = brc_test_builddir("tests/plugins/.libs"), *out, *cmd;
	char *path;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	cmd = brc_xasprintf("cp '%s/params_demo.so' '%s/'", fix, dir);
	ck_assert_int_eq(system(cmd), 0);
	path = brc_xasprintf("%s:%s", dir, fix);
	const char *a_list[] = { "plugins", "--plugin-path", path, NULL };
	const char *a_quiet[] = { "-q", "plugins", "--plugin-path", fix, NULL };

	/* Broken plugins are listed with their error, and are not fatal. */
	ck_assert_int_eq(benchrun(a_list, &out), 0);
	ck_assert_has(out, "params_demo  (");
	ck_assert_has(out, "one parameter of every type");
	ck_assert_has(out, "PARAMETER    TYPE      DEFAULT  RANGE         HELP");
	ck_assert_has(out, "buffer       size      64KiB    1 KiB..1 MiB  "
	              "receive buffer");
	ck_assert_has(out, "broken_abi  BROKEN");
	ck_assert_has(out, "was built for ABI 2.0");
	/* The copy in the first directory wins over the fixture's. */
	ck_assert_has(out, "params_demo.so: shadowed by ");
	ck_assert_has(out, dir);
	free(out);
	ck_assert_int_eq(benchrun(a_quiet, &out), 0);
	ck_assert_has(out, "\nparams_demo\n");
	ck_assert_has(out, "broken_abi (broken)\n");
	ck_assert_ptr_null(strstr(out, "PARAMETER"));
	free(out);
	free(cmd);
	cmd = brc_xasprintf("rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(path);
	free(fix);
}
END_TEST

Suite *brc_suite_plan(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("expand");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_no_sweep);
	tcase_add_test(tc, test_sweep_reaches_declaring_plugin_only);
	tcase_add_test(tc, test_two_sweeps_product);
	tcase_add_test(tc, test_sweep_matches_nothing);
	tcase_add_test(tc, test_all_errors_collected);
	suite_add_tcase(s, tc);
	tc = tcase_create("cli");
	tcase_add_test(tc, test_validate_cmd);
	tcase_add_test(tc, test_plugins_cmd);
	suite_add_tcase(s, tc);
	return s;
}
