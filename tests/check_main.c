/*
 * check_main.c - the one test runner: every suite, fork mode (a crash fails
 * one test, not the run).  CK_FORK=no (e.g. under valgrind) and
 * CK_RUN_SUITE / CK_RUN_CASE select as usual with Check.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "util.h"

static char *join(const char *var, const char *rel)
{
	const char *base = getenv(var);

	return br_xasprintf("%s/%s", base && *base ? base : ".", rel);
}

char *br_test_builddir(const char *rel) { return join("BR_TEST_BUILDDIR", rel); }
char *br_test_srcdir(const char *rel) { return join("BR_TEST_SRCDIR", rel); }

int main(void)
{
	Suite *(*const suites[])(void) = {
		br_suite_util,
		br_suite_server,
		br_suite_scenario,
		br_suite_tickets,
		br_suite_model,
		br_suite_export,
		br_suite_loader,
		br_suite_params,
		br_suite_plan,
		br_suite_stats,
		br_suite_report,
		br_suite_histogram,
		br_suite_runner,
		br_suite_conformance,
		br_suite_forkpool,
		br_suite_hostile,
		br_suite_exec,
	};
	SRunner *sr = srunner_create(NULL);
	int failed;

	for (size_t i = 0; i < BR_ARRAY_SIZE(suites); i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
