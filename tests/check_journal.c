/*
 * check_journal.c - the journal of a run in progress (results/journal.h):
 * benchrun killed -9 after k runs leaves a journal of exactly k runs and no
 * results file (nothing is rewritten per run), which `benchrun merge`
 * turns into a results file of those k runs; a last line cut short is
 * skipped with a warning; a completed run leaves no journal; --resume
 * continues a killed or interrupted run with only its missing runs; a
 * results file that cannot be written leaves the journal, said so.
 * check_journal_files.c: what is at the journal's path, and the API.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "results/journal.h"
#include "results/results.h"
#include "suites.h"
#include "util.h"

/* An exec strategy that counts its runs in dir/count; run k+1 (only that
 * one) sends `sig` to benchrun (its worker's parent). */
static char *signal_yaml(const char *dir, int k, int reps, const char *sig)
{
	char *script = brc_xasprintf(
		"c='%s/count'\n"
		"n=$(( $(cat \"$c\" 2>/dev/null || echo 0) + 1 ))\n"
		"echo $n > \"$c\"\n"
		"if [ $n -eq %d ]; then\n"
		"  kill -%s $(cut -d' ' -f4 /proc/$PPID/stat)\n"
		"fi\n"
		"cat >/dev/null\n", dir, k + 1, sig);
	char *prog = brc_test_write(dir, "p.sh", script);
	char *yaml = brc_xasprintf(
		"workload: {days: 2, trips: 2}\n"
		"strategies:\n  - plugin: exec\n"
		"    params: {command: [/bin/sh, '%s'], concurrency: 1}\n"
		"runs: {repetitions: %d, warmup: 0, timeout: 30s}\n", prog, reps);

	free(script);
	free(prog);
	return yaml;
}

static char *killer_yaml(const char *dir, int k, int reps)
{
	return signal_yaml(dir, k, reps, "KILL");
}

static int count_of(const char *dir)
{
	char *path = brc_xasprintf("%s/count", dir);
	char *text = brc_read_file(path, 100, NULL);
	int n = text ? atoi(text) : -1;

	free(text);
	free(path);
	return n;
}

/* Every repetition 0..reps-1 exactly once in group 0 of the file. */
static void all_repetitions(const char *path, int reps)
{
	cJSON *doc = brc_test_load_json(path), *r;
	unsigned long seen = 0;

	ck_assert_msg(doc, "no %s", path);
	ck_assert(!cJSON_IsTrue(cJSON_GetObjectItem(doc, "incomplete")));
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(cJSON_GetArrayItem(
		cJSON_GetObjectItem(doc, "groups"), 0), "runs")) {
		int k = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(r,
		                                                     "repetition"));

		ck_assert(k >= 0 && k < reps && !(seen & (1ul << k)));
		seen |= 1ul << k;
	}
	ck_assert_uint_eq(seen, (1ul << reps) - 1);
	cJSON_Delete(doc);
}

static size_t count_lines(const char *path)
{
	size_t len, n = 0;
	char *text = brc_read_file(path, 1u << 26, &len);

	ck_assert_msg(text, "cannot read %s", path);
	for (size_t i = 0; i < len; i++)
		n += text[i] == '\n';
	free(text);
	return n;
}

static cJSON *runs_of(cJSON *doc, int group)
{
	return cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "groups"),
		                   group), "runs");
}

START_TEST(test_killed_after_k_runs)
{
	char *dir = brc_test_tmpdir();
	char *yaml = killer_yaml(dir, 3, 8);
	char *scen = brc_test_write(dir, "s.yaml", yaml);
	char *out = brc_xasprintf("%s/out.json", dir);
	char *journal = brc_journal_path(out);
	char *rec = brc_xasprintf("%s/rec.json", dir);
	const char *run[] = { "-q", "-o", out, scen, NULL };
	const char *merge[] = { "merge", journal, "-o", rec, NULL };
	const char *check[] = { "validate", "-o", out, scen, NULL };
	struct brc_buf err = { 0 };
	struct stat st;
	cJSON *doc, *runs;
	char *want;

	ck_assert_int_eq(brc_test_benchrun(run, 120, NULL), 128 + 9);
	/* The results file is written at the end only: a kill leaves none,
	 * and the journal: its header and exactly the 3 runs measured. */
	ck_assert_int_ne(stat(out, &st), 0);
	ck_assert_uint_eq(count_lines(journal), 1 + 3);
	/* Recovering is one command, and gives those runs. */
	ck_assert_int_eq(brc_test_benchrun(merge, 60, NULL), 0);
	doc = brc_test_load_json(rec);
	ck_assert_ptr_nonnull(doc);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(doc, "incomplete")));
	runs = runs_of(doc, 0);
	ck_assert_int_eq(cJSON_GetArraySize(runs), 3);
	for (int i = 0; i < 3; i++) {
		cJSON *r = cJSON_GetArrayItem(runs, i);

		ck_assert_int_eq(cJSON_GetNumberValue(
			cJSON_GetObjectItem(r, "repetition")), i);
		ck_assert_int_eq(cJSON_GetNumberValue(
			cJSON_GetObjectItem(r, "seq")), i);
	}
	cJSON_Delete(doc);

	/* Killed in the middle of writing the 4th: that line is skipped with
	 * a warning, the 3 before are recovered. */
	{
		FILE *f = fopen(journal, "a");

		ck_assert_ptr_nonnull(f);
		fputs("{\"group\":0,\"label\":\"exec\",\"point\":\"\",\"run\":"
		      "{\"status\":\"ok\",\"wall\":0.12", f);
		fclose(f);
	}
	unlink(rec);
	ck_assert_int_eq(brc_test_benchrun(merge, 60, &err), 0);
	ck_assert_has(err.data, "line 5 is cut short (benchrun was killed "
	                        "while writing it): skipped");
	doc = brc_test_load_json(rec);
	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(cJSON_GetArraySize(runs_of(doc, 0)), 3);
	cJSON_Delete(doc);

	/* The next run of the scenario does not overwrite those runs. */
	brc_buf_free(&err);
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(brc_test_benchrun(run, 60, &err), BR_EXIT_USAGE);
	ck_assert_has(err.data, "holds the runs of an interrupted benchrun");
	ck_assert_uint_eq(count_lines(journal), 1 + 3);
	/* validate says so too, naming the run's command, not its own. */
	brc_buf_free(&err);
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(brc_test_benchrun(check, 60, &err), BR_EXIT_USAGE);
	want = brc_xasprintf("`benchrun %s --resume`", scen);
	ck_assert_has(err.data, want);
	free(want);
	ck_assert_uint_eq(count_lines(journal), 1 + 3);

	brc_buf_free(&err);
	free(rec);
	free(journal);
	free(out);
	free(scen);
	free(yaml);
	brc_test_rmtree(dir);
	free(dir);
}
END_TEST

/*
 * `benchrun -o out scen --resume` after `before` runs of `before + todo`:
 * the runs fail (the program fetches nothing), so exit 1, but it runs only
 * the missing ones (the program counts `started` starts in all), removes
 * the journal and leaves every repetition in out.
 */
static void resume_completes(const char *dir, const char *scen,
                             const char *out, int before, int todo,
                             int started)
{
	char *journal = brc_journal_path(out);
	char *said = brc_xasprintf("%d runs measured before, %d to go", before,
	                           todo);
	const char *again[] = { "-o", out, scen, "--resume", NULL };
	struct brc_buf err = { 0 };
	struct stat st;

	ck_assert_int_eq(brc_test_benchrun(again, 120, &err), BR_EXIT_FAIL);
	ck_assert_has(err.data, said);
	ck_assert_int_eq(count_of(dir), started);
	ck_assert_int_ne(lstat(journal, &st), 0);
	all_repetitions(out, before + todo);
	brc_buf_free(&err);
	free(said);
	free(journal);
}

/* Killed after 3 of 6 runs; --resume runs only the 3 others, the results
 * file has all 6 and the journal is gone.  A different --runs is not the
 * same run: refused. */
START_TEST(test_resume_after_kill)
{
	char *dir = brc_test_tmpdir();
	char *yaml = killer_yaml(dir, 3, 6);
	char *scen = brc_test_write(dir, "s.yaml", yaml);
	char *out = brc_xasprintf("%s/out.json", dir);
	char *journal = brc_journal_path(out);
	const char *run[] = { "-q", "-o", out, scen, NULL };
	const char *other[] = { "-o", out, scen, "--resume", "--runs", "7",
	                        NULL };
	struct brc_buf err = { 0 };

	ck_assert_int_eq(brc_test_benchrun(run, 120, NULL), 128 + 9);
	ck_assert_uint_eq(count_lines(journal), 1 + 3);
	ck_assert_int_eq(brc_test_benchrun(other, 60, &err), BR_EXIT_USAGE);
	ck_assert_has(err.data, "cannot resume from");
	ck_assert_has(err.data, "differ from this run's");
	ck_assert_uint_eq(count_lines(journal), 1 + 3);
	brc_buf_free(&err);
	resume_completes(dir, scen, out, 3, 3, 4 + 3);
	free(journal);
	free(out);
	free(scen);
	free(yaml);
	brc_test_rmtree(dir);
	free(dir);
}
END_TEST

/* Ctrl-C during the 3rd run: the results file is written (incomplete) and
 * the journal stays, so --resume continues with only what is missing. */
START_TEST(test_interrupt_keeps_journal)
{
	char *dir = brc_test_tmpdir();
	char *yaml = signal_yaml(dir, 2, 5, "INT");
	char *scen = brc_test_write(dir, "s.yaml", yaml);
	char *out = brc_xasprintf("%s/out.json", dir);
	char *journal = brc_journal_path(out);
	const char *run[] = { "-o", out, scen, NULL };
	struct brc_buf err = { 0 };
	cJSON *doc;

	ck_assert_int_eq(brc_test_benchrun(run, 120, &err),
	                 BR_EXIT_INTERRUPTED);
	ck_assert_has(err.data, "with --resume runs only the rest");
	doc = brc_test_load_json(out);
	ck_assert_ptr_nonnull(doc);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(doc, "incomplete")));
	ck_assert_int_eq(cJSON_GetArraySize(runs_of(doc, 0)), 2);
	cJSON_Delete(doc);
	ck_assert_uint_eq(count_lines(journal), 1 + 2);
	brc_buf_free(&err);
	resume_completes(dir, scen, out, 2, 3, 3 + 3);
	free(journal);
	free(out);
	free(scen);
	free(yaml);
	brc_test_rmtree(dir);
	free(dir);
}
END_TEST

/* The strategy looks at the journal and the results file during its 2nd
 * run; afterwards the journal is gone and the results file holds all. */
START_TEST(test_completed_removes_journal)
{
	char *dir = brc_test_tmpdir();
	char *script = brc_xasprintf(
		"c='%s/count'\n"
		"n=$(( $(cat \"$c\" 2>/dev/null || echo 0) + 1 ))\n"
		"echo $n > \"$c\"\n"
		"if [ $n -eq 2 ]; then\n"
		"  wc -l < '%s/out.json.partial' > '%s/seen'\n"
		"  [ -e '%s/out.json' ] && echo yes > '%s/early'\n"
		"fi\n"
		"cat >/dev/null\n", dir, dir, dir, dir, dir);
	char *prog = brc_test_write(dir, "p.sh", script);
	char *yaml = brc_xasprintf(
		"workload: {days: 2, trips: 2}\n"
		"strategies:\n  - plugin: exec\n"
		"    params: {command: [/bin/sh, '%s'], concurrency: 1}\n"
		"runs: {repetitions: 3, warmup: 0, timeout: 30s}\n", prog);
	char *scen = brc_test_write(dir, "s.yaml", yaml);
	char *out = brc_xasprintf("%s/out.json", dir);
	char *journal = brc_journal_path(out);
	char *seen = brc_xasprintf("%s/seen", dir);
	char *early = brc_xasprintf("%s/early", dir);
	const char *run[] = { "-q", "-o", out, scen, NULL };
	struct stat st;
	char *text;
	cJSON *doc;

	/* Every run misses its tickets (the program fetches nothing): 1. */
	ck_assert_int_eq(brc_test_benchrun(run, 120, NULL), BR_EXIT_FAIL);
	text = brc_read_file(seen, 100, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(atoi(text), 2); /* header + the first run */
	ck_assert_int_ne(stat(early, &st), 0);
	ck_assert_int_ne(lstat(journal, &st), 0);
	doc = brc_test_load_json(out);
	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(cJSON_GetArraySize(runs_of(doc, 0)), 3);
	ck_assert(!cJSON_IsTrue(cJSON_GetObjectItem(doc, "incomplete")));
	cJSON_Delete(doc);
	free(text);
	free(early);
	free(seen);
	free(journal);
	free(out);
	free(scen);
	free(yaml);
	free(prog);
	free(script);
	brc_test_rmtree(dir);
	free(dir);
}
END_TEST

/* The results file cannot be written at the end (the strategy put a
 * directory in its place): the journal stays, and says so. */
START_TEST(test_unwritten_results_keep_journal)
{
	char *dir = brc_test_tmpdir();
	char *script = brc_xasprintf("mkdir -p '%s/out.json'\ncat >/dev/null\n",
	                             dir);
	char *prog = brc_test_write(dir, "p.sh", script);
	char *yaml = brc_xasprintf(
		"workload: {days: 2, trips: 2}\n"
		"strategies:\n  - plugin: exec\n"
		"    params: {command: [/bin/sh, '%s'], concurrency: 1}\n"
		"runs: {repetitions: 2, warmup: 0, timeout: 30s}\n", prog);
	char *scen = brc_test_write(dir, "s.yaml", yaml);
	char *out = brc_xasprintf("%s/out.json", dir);
	char *journal = brc_journal_path(out);
	const char *run[] = { "-o", out, scen, NULL };
	struct brc_buf err = { 0 };

	ck_assert_int_eq(brc_test_benchrun(run, 120, &err), BR_EXIT_FAIL);
	ck_assert_has(err.data, "cannot write");
	ck_assert_has(err.data, "the 2 runs measured are kept in");
	ck_assert_uint_eq(count_lines(journal), 1 + 2);
	brc_buf_free(&err);
	free(journal);
	free(out);
	free(scen);
	free(yaml);
	free(prog);
	free(script);
	brc_test_rmtree(dir);
	free(dir);
}
END_TEST

Suite *brc_suite_journal(void)
{
	Suite *s = suite_create("journal");
	TCase *tc = tcase_create("journal");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_killed_after_k_runs);
	tcase_add_test(tc, test_completed_removes_journal);
	tcase_add_test(tc, test_resume_after_kill);
	tcase_add_test(tc, test_interrupt_keeps_journal);
	tcase_add_test(tc, test_unwritten_results_keep_journal);
	suite_add_tcase(s, tc);
	return s;
}
