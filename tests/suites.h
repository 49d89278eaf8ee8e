/*
 * suites.h - every Check suite of the runner, and helpers the suites share.
 */
#ifndef BR_TEST_SUITES_H
#define BR_TEST_SUITES_H

#include <check.h>

Suite *brc_suite_util(void);
Suite *brc_suite_server(void);
Suite *brc_suite_server_model(void);
Suite *brc_suite_scenario(void);
Suite *brc_suite_override(void);
Suite *brc_suite_yamltree(void);
Suite *brc_suite_tickets(void);
Suite *brc_suite_model(void);
Suite *brc_suite_export(void);
Suite *brc_suite_hostile(void);
Suite *brc_suite_exec(void);
Suite *brc_suite_loader(void);
Suite *brc_suite_abi(void);
Suite *brc_suite_params(void);
Suite *brc_suite_plan(void);
Suite *brc_suite_stats(void);
Suite *brc_suite_report(void);
Suite *brc_suite_results(void);
Suite *brc_suite_histogram(void);
Suite *brc_suite_runner(void);
Suite *brc_suite_runctx(void);
Suite *brc_suite_cli(void);
Suite *brc_suite_conformance(void);
Suite *brc_suite_forkpool(void);
Suite *brc_suite_robust(void);
Suite *brc_suite_robust_stack(void);
Suite *brc_suite_robust_cli(void);
Suite *brc_suite_exec_hostile(void);
Suite *brc_suite_security(void);
Suite *brc_suite_html(void);
Suite *brc_suite_verdicts(void);
Suite *brc_suite_compare(void);
Suite *brc_suite_runloop(void);
Suite *brc_suite_security_files(void);
Suite *brc_suite_merge(void);
Suite *brc_suite_cells(void);
Suite *brc_suite_h2(void);
Suite *brc_suite_programs(void);
Suite *brc_suite_validate(void);
Suite *brc_suite_security_text(void);
Suite *brc_suite_proc(void);
Suite *brc_suite_timeline(void);
Suite *brc_suite_results_doc(void);
Suite *brc_suite_security_input(void);
Suite *brc_suite_security_serve(void);
Suite *brc_suite_newcomer(void);
Suite *brc_suite_newcomer_report(void);
Suite *brc_suite_openload(void);
Suite *brc_suite_openload_runs(void);
Suite *brc_suite_journal(void);
Suite *brc_suite_transfers(void);
Suite *brc_suite_journal_files(void);

/* $BR_TEST_BUILDDIR / $BR_TEST_SRCDIR joined with rel (malloc'd); they
 * default to "." when the runner is started by hand. */
char *brc_test_builddir(const char *rel);
char *brc_test_srcdir(const char *rel);

/* Integration helpers (testutil.c). */
/* seconds times CK_TIMEOUT_MULTIPLIER (when > 1): for deadlines that only
 * catch a hang, never for a bound a test checks. brc_test_benchrun and
 * brc_test_run_yaml scale their timeout with it. */
double brc_test_scale(double seconds);
#include <cjson/cJSON.h>
#include "util.h"
char *brc_test_tmpdir(void);                 /* mkdtemp under /tmp   */
char *brc_test_write(const char *dir, const char *name, const char *text);
void brc_test_rmtree(const char *dir);
/* A checked fixture: a fresh brc_test_tmpdir in brc_test_dir for each
 * test, removed after it. */
extern char *brc_test_dir;
void brc_test_dir_setup(void);
void brc_test_dir_teardown(void);
/* Run the built benchrun with argv (no argv[0], NULL-terminated) in its own
 * process group; fail the test after `timeout` s.  stderr into err if
 * non-NULL.  Returns the exit code (128+signal when killed). */
int brc_test_benchrun(const char *const *argv, double timeout,
                     struct brc_buf *err);
/* Same with one extra environment entry; signal `sig` after `after`
 * seconds, `times` times 100 ms apart. */
int brc_test_benchrun_interrupt(const char *const *argv, const char *env,
                               int sig, double after, int times,
                               double timeout);
/* Same, the signal sent once the file `ready` exists and holds at least
 * `lines` lines (what the test waits for, instead of a fixed sleep that a
 * loaded machine outruns; a journal's header and one run: 2). */
int brc_test_benchrun_signal_when(const char *const *argv, const char *env,
                                 int sig, const char *ready, int lines,
                                 double timeout);
/* Processes whose environment has BR_TEST_MARK=<mark>, after waiting up
 * to 5 s (scaled) for them to be gone. */
int brc_test_count_marked(const char *mark);
cJSON *brc_test_load_json(const char *path);
/* Write `yaml` into a fresh directory, run `benchrun -q -o out.json` on it
 * (deadline `timeout` s, stderr into err if non-NULL) and return the
 * results file parsed, NULL when none was written.  *code gets the exit
 * code; the directory is gone afterwards. */
cJSON *brc_test_run_yaml(const char *yaml, double timeout, int *code,
                         struct brc_buf *err);
cJSON *brc_test_first_run(cJSON *doc);       /* groups[0].runs[0]    */

/* Scenario helpers (testutil.c): load `text` as "t.yaml" with overrides;
 * the same, failing the test when it loads (returns the errors, free
 * them); the path of tests/data/good/<name> (free it). */
struct brc_override;
struct brc_scenario;
int brc_test_scenario_text(const char *text, const struct brc_override *ov,
                           size_t n, struct brc_scenario *sc, char **err);
char *brc_test_scenario_fail(const char *text, const struct brc_override *ov,
                             size_t n);
char *brc_test_good(const char *name);
/* A workload of `days` requests: seed 42, MOW-LED from 2026-01-01, 20
 * trips, validated. */
struct brc_workload;
struct brc_workload brc_test_workload(int64_t days);
/* A run context of n requests of w (URLs "http://x/t/DATE"), prepared,
 * to drive in-process through brc_host_table(); brc_run_free it. */
struct br_run;
struct br_run *brc_test_run_ctx(const struct brc_workload *w, size_t n);

/* Fail the test unless string `hay` contains `needle`. */
#define ck_assert_has(hay, needle)                                        \
	ck_assert_msg(strstr((hay), (needle)), "'%s' lacks '%s'", (hay),  \
	              (needle))

#endif
