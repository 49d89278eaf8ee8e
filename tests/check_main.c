/*
 * check_main.c - the one test runner: every suite, fork mode (a crash fails
 * one test, not the run).  CK_FORK=no (e.g. under valgrind) and
 * CK_RUN_SUITE / CK_RUN_CASE select as usual with Check.  BR_TEST_PART=1
 * or 2 runs one half of the suites: make check runs the halves side by
 * side (tests/check_part2.sh), since most of the time is spent waiting on
 * benchrun runs, not computing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "util.h"

static char *join(const char *var, const char *rel)
{
	const char *base = getenv(var);

	return brc_xasprintf("%s/%s", base && *base ? base : ".", rel);
}

char *brc_test_builddir(const char *rel) { return join("BR_TEST_BUILDDIR", rel); }
char *brc_test_srcdir(const char *rel) { return join("BR_TEST_SRCDIR", rel); }

/* Part 2: conformance (the most processes: what a loaded machine or ASan
 * slows most) and the suites that start programs; part 1: every other
 * one, so a new suite is always run.  Quiet, the halves take ~100 and
 * ~120 s side by side; part 1 shares its lane with the test scripts. */
static Suite *(*const part2[])(void) = {
	brc_suite_conformance, brc_suite_programs, brc_suite_forkpool,
	brc_suite_exec_hostile, brc_suite_newcomer, brc_suite_hostile,
};

static bool in_part(Suite *(*suite)(void), const char *part)
{
	bool second = false;

	for (size_t i = 0; i < BR_ARRAY_SIZE(part2); i++)
		second = second || part2[i] == suite;
	if (!part || !*part)
		return true;
	return !strcmp(part, "2") ? second : !second;
}

int main(void)
{
	Suite *(*const suites[])(void) = {
		brc_suite_util,
		brc_suite_server,
		brc_suite_server_model,
		brc_suite_scenario,
		brc_suite_override,
		brc_suite_yamltree,
		brc_suite_tickets,
		brc_suite_model,
		brc_suite_export,
		brc_suite_loader,
		brc_suite_abi,
		brc_suite_params,
		brc_suite_plan,
		brc_suite_stats,
		brc_suite_report,
		brc_suite_results,
		brc_suite_histogram,
		brc_suite_runner,
		brc_suite_runctx,
		brc_suite_cli,
		brc_suite_conformance,
		brc_suite_forkpool,
		brc_suite_robust,
		brc_suite_robust_stack,
		brc_suite_robust_cli,
		brc_suite_exec_hostile,
		brc_suite_html,
		brc_suite_merge,
		brc_suite_cells,
		brc_suite_h2,
		brc_suite_programs,
		brc_suite_hostile,
		brc_suite_exec,
		brc_suite_security,
		brc_suite_verdicts,
		brc_suite_compare,
		brc_suite_runloop,
		brc_suite_security_files,
		brc_suite_validate,
		brc_suite_security_text,
		brc_suite_proc,
		brc_suite_timeline,
		brc_suite_results_doc,
		brc_suite_security_input,
		brc_suite_security_serve,
		brc_suite_newcomer,
		brc_suite_newcomer_report,
		brc_suite_openload,
		brc_suite_openload_runs,
		brc_suite_journal,
		brc_suite_transfers,
		brc_suite_journal_files,
	};
	SRunner *sr = srunner_create(NULL);
	const char *part = getenv("BR_TEST_PART");
	int failed;

	for (size_t i = 0; i < BR_ARRAY_SIZE(suites); i++)
		if (in_part(suites[i], part))
			srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
