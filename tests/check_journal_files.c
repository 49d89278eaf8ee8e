/*
 * check_journal_files.c - the journal's path and API (results/journal.h):
 * nothing that is not ours at the journal's path (a symlink, dangling or
 * not, a FIFO, anybody's file) is ever followed or replaced, and benchrun
 * refuses to start over it; every run of a results set journaled reads
 * back the same, a line cut short skipped with a warning; a journal is
 * removed only if its name still holds the file benchrun wrote.
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
#include "results_fixture.h"
#include "suites.h"
#include "util.h"

static const char sync_yaml[] =
	"workload: {days: 1, trips: 1}\n"
	"strategies: [{plugin: sync}]\n"
	"runs: {repetitions: 1, warmup: 0}\n";

/* benchrun refuses to start (exit 2) with something at the journal's
 * path, saying `why`, and writes no results. */
static void refused(const char *dir, const char *why)
{
	char *scen = brc_xasprintf("%s/s.yaml", dir);
	char *out = brc_xasprintf("%s/out.json", dir);
	const char *run[] = { "-q", "-o", out, scen, NULL };
	struct brc_buf err = { 0 };
	struct stat st;

	ck_assert_int_eq(brc_test_benchrun(run, 60, &err), BR_EXIT_USAGE);
	ck_assert_has(err.data, why);
	ck_assert_int_ne(stat(out, &st), 0);
	brc_buf_free(&err);
	free(out);
	free(scen);
}

START_TEST(test_refuses_what_is_not_ours)
{
	char *dir = brc_test_tmpdir();
	char *scen = brc_test_write(dir, "s.yaml", sync_yaml);
	char *target = brc_test_write(dir, "precious", "precious\n");
	char *journal = brc_xasprintf("%s/out.json.partial", dir);
	char *text;
	struct stat st;

	/* A symlink to somebody's file: not followed, not replaced. */
	ck_assert_int_eq(symlink(target, journal), 0);
	refused(dir, "refusing to replace it");
	ck_assert_int_eq(lstat(journal, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	text = brc_read_file(target, 100, NULL);
	ck_assert_str_eq(text, "precious\n");
	free(text);
	/* A dangling one: nothing is created through it. */
	unlink(journal);
	unlink(target);
	ck_assert_int_eq(symlink(target, journal), 0);
	refused(dir, "refusing to replace it");
	ck_assert_int_ne(stat(target, &st), 0);
	unlink(journal);
	/* A FIFO: refused without blocking on it. */
	ck_assert_int_eq(mkfifo(journal, 0600), 0);
	refused(dir, "refusing to replace it");
	unlink(journal);
	/* Anybody's regular file. */
	free(brc_test_write(dir, "out.json.partial", "my notes\n"));
	refused(dir, "a file that is not a benchrun journal is there: "
	             "refusing to replace it");
	text = brc_read_file(journal, 100, NULL);
	ck_assert_str_eq(text, "my notes\n");
	free(text);
	/* The API itself: O_EXCL, whatever is there. */
	ck_assert_ptr_null(brc_journal_create(journal, NULL));
	free(journal);
	free(target);
	free(scen);
	brc_test_rmtree(dir);
	free(dir);
}
END_TEST

/* Through the API: every run of a fixture journaled, then a line cut
 * short; read back, the journal holds the same runs, in their groups. */
START_TEST(test_roundtrip_and_cut_line)
{
	struct brc_results r, back;
	struct brc_journal *j;
	char *path = brc_test_results_tmp("x.json.partial");
	char *log = brc_test_results_tmp("stderr");
	char *err = NULL, *text;
	size_t valid = 0, len;
	int saved = dup(2), fd;

	brc_test_results_build(&r, 1.2);
	j = brc_journal_create(path, &r);
	ck_assert_ptr_nonnull(j);
	for (size_t i = 0; i < r.n_groups; i++)
		for (size_t k = 0; k < r.groups[i].n_runs; k++)
			ck_assert_int_eq(brc_journal_add(j, i, &r.groups[i],
			                                 &r.groups[i].runs[k]), 0);
	brc_journal_close(j, false);
	text = brc_read_file(path, 1u << 26, &len);
	ck_assert_ptr_nonnull(text);
	fd = open(path, O_WRONLY | O_APPEND);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "{\"group\":1,\"run\":{\"sta", 22), 22);
	close(fd);

	/* The warning goes to stderr: catch it. */
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);
	ck_assert_int_eq(brc_journal_read(path, &back, &valid, &err), 0);
	ck_assert_uint_eq(valid, len);
	ck_assert(back.incomplete);
	ck_assert_uint_eq(back.n_groups, r.n_groups);
	for (size_t i = 0; i < r.n_groups; i++) {
		ck_assert_str_eq(back.groups[i].label, r.groups[i].label);
		ck_assert_uint_eq(back.groups[i].n_runs, r.groups[i].n_runs);
		for (size_t k = 0; k < r.groups[i].n_runs; k++)
			ck_assert(back.groups[i].runs[k].wall ==
			          r.groups[i].runs[k].wall);
	}
	brc_results_free(&back);
	free(text);
	text = brc_read_file(log, 4096, NULL);
	ck_assert_has(text, "line ");
	ck_assert_has(text, "is cut short");
	free(text);

	/* The readers take it too (report, compare, plot, merge). */
	ck_assert_int_eq(brc_results_json_read(path, &back, &err), 0);
	dup2(saved, 2);
	close(saved);
	ck_assert_uint_eq(back.n_groups, r.n_groups);
	brc_results_free(&back);
	brc_results_free(&r);
	free(log);
	free(path);
}
END_TEST

/* Removal takes only the file the journal wrote: a name replaced
 * meanwhile keeps its new file. */
START_TEST(test_remove_only_ours)
{
	struct brc_results r;
	char *path = brc_test_results_tmp("y.json.partial");
	char *other = brc_test_results_tmp("other");
	struct brc_journal *j;
	struct stat st;

	brc_test_results_build(&r, 1.0);
	j = brc_journal_create(path, &r);
	ck_assert_ptr_nonnull(j);
	{
		FILE *f = fopen(other, "w");

		ck_assert_ptr_nonnull(f);
		fputs("theirs\n", f);
		fclose(f);
	}
	ck_assert_int_eq(rename(other, path), 0);
	brc_journal_close(j, true);
	ck_assert_int_eq(lstat(path, &st), 0);
	unlink(path);
	j = brc_journal_create(path, &r);
	ck_assert_ptr_nonnull(j);
	brc_journal_close(j, true);
	ck_assert_int_ne(lstat(path, &st), 0);
	brc_results_free(&r);
	free(other);
	free(path);
}
END_TEST

Suite *brc_suite_journal_files(void)
{
	Suite *s = suite_create("journal_files");
	TCase *tc = tcase_create("journal_files");

	tcase_add_checked_fixture(tc, brc_test_results_setup,
	                          brc_test_results_teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_refuses_what_is_not_ours);
	tcase_add_test(tc, test_roundtrip_and_cut_line);
	tcase_add_test(tc, test_remove_only_ours);
	suite_add_tcase(s, tc);
	return s;
}
