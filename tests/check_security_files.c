/*
 * check_security_files.c - outputs never replace what is not ours (issue
 * 11): -o onto a symlink, a device node or a FIFO is refused before the
 * run; outputs.json on the scenario itself and two outputs on one path are
 * refused at validation; export never follows a symlink planted inside its
 * target directory; a FIFO given as the scenario does not block; the
 * atomic write keeps an existing file's mode, its temporary file is
 * close-on-exec, and the directory is fsynced after the rename (seen by an
 * LD_PRELOAD shim, tests/preload/syncwatch.c).
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scenario/scenario.h"
#include "workload/tickets.h"
#include "suites.h"
#include "util.h"

static char *dir;

static void setup(void)
{
	dir = brc_test_tmpdir();
}

static void teardown(void)
{
	brc_test_rmtree(dir);
	free(dir);
}

static char *in_dir(const char *name)
{
	return brc_xasprintf("%s/%s", dir, name);
}

static void assert_content(const char *path, const char *want)
{
	char *got = brc_read_file(path, 1 << 20, NULL);

	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	free(got);
}

static const char small[] = "workload: {days: 2, trips: 2}\n"
                            "strategies: [sync]\n";

/* `benchrun -q -o OUT SCENARIO`; exit code, stderr in err. */
static int run_to(const char *out, struct brc_buf *err)
{
	char *yaml = brc_test_write(dir, "s.yaml", small);
	const char *argv[] = { "-q", "-o", out, yaml, NULL };
	int rc = brc_test_benchrun(argv, 60, err);

	free(yaml);
	return rc;
}

START_TEST(test_output_symlink_refused)
{
	char *target = brc_test_write(dir, "target", "keep");
	char *link = in_dir("link.json");
	struct brc_buf err = { 0 };
	struct stat st;

	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_int_eq(run_to(link, &err), 2);
	ck_assert_has(err.data, "not a regular file");
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	assert_content(target, "keep");
	brc_buf_free(&err);
	free(link);
	free(target);
}
END_TEST

/* As root, -o /dev/null replaced /dev/null: a copy of it (or a FIFO when
 * mknod is not allowed) stays what it is. */
START_TEST(test_output_device_refused)
{
	char *node = in_dir("null");
	struct brc_buf err = { 0 };
	struct stat st;

	if (mknod(node, S_IFCHR | 0666, makedev(1, 3)))
		ck_assert_int_eq(mkfifo(node, 0666), 0);
	ck_assert_int_eq(run_to(node, &err), 2);
	ck_assert_has(err.data, "not a regular file");
	ck_assert_int_eq(lstat(node, &st), 0);
	ck_assert(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode));
	brc_buf_free(&err);
	free(node);
}
END_TEST

START_TEST(test_atomic_write_refuses_non_regular)
{
	char *fifo = in_dir("fifo"), *target = brc_test_write(dir, "t", "keep");
	char *link = in_dir("link");

	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(brc_write_file_atomic(fifo, "x", 1), -1);
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_int_eq(brc_write_file_atomic(link, "x", 1), -1);
	assert_content(target, "keep");
	ck_assert_int_eq(brc_write_file_atomic(dir, "x", 1), -1);
	free(link);
	free(target);
	free(fifo);
}
END_TEST

/*
 * brc_write_file_atomic(path) in a child where umask(2) kills the process
 * (a seccomp filter): setting the umask to read it, even when set back at
 * once, changes it for every other thread creating files meanwhile, and
 * no single-threaded test could see that.  The child's wait status: 0 when
 * the write succeeded without umask(2), 77 when no filter could be set.
 */
static int write_without_umask(const char *path)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		         offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_umask, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { BR_ARRAY_SIZE(code), code };
	pid_t pid = fork();
	int st;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
			_exit(77);
		_exit(brc_write_file_atomic(path, "new", 3) ? 1 : 0);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return st;
}

/* An existing file keeps its mode (a private 0600 results file stays
 * private); a new one gets 0666 & ~umask; the umask is neither changed
 * nor even set to read it (no umask(2) call at all). */
START_TEST(test_atomic_write_modes)
{
	char *a = brc_test_write(dir, "a", "old"), *b = in_dir("b");
	char *c = in_dir("c");
	struct stat st;
	int ws;

	ck_assert_int_eq(chmod(a, 0600), 0);
	ck_assert_int_eq(brc_write_file_atomic(a, "new", 3), 0);
	ck_assert_int_eq(stat(a, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	assert_content(a, "new");
	umask(027);
	ck_assert_int_eq(brc_write_file_atomic(b, "new", 3), 0);
	ck_assert_int_eq(umask(027), 027);
	ck_assert_int_eq(stat(b, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0640);
	ws = write_without_umask(c);
	if (WIFEXITED(ws) && WEXITSTATUS(ws) == 77) {
		fprintf(stderr, "check_security_files: no seccomp filter here, "
		        "the umask(2) part of test_atomic_write_modes skipped\n");
	} else {
		ck_assert_msg(!WIFSIGNALED(ws) || WTERMSIG(ws) != SIGSYS,
		              "the atomic write called umask(2)");
		ck_assert_msg(WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
		              "the atomic write failed (wait status %#x)", ws);
		ck_assert_int_eq(stat(c, &st), 0);
		ck_assert_int_eq(st.st_mode & 0777, 0640);
	}
	free(c);
	free(b);
	free(a);
}
END_TEST

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
/*
 * `benchrun -q -o DIR/out.json` under tests/preload/syncwatch.c: the
 * fsync and rename calls on paths below DIR, in order, one per line
 * (free it); *out is DIR/out.json, DIR with symlinks resolved as
 * /proc/self/fd shows it.
 */
static char *watched_run(char **out)
{
	char *shim = brc_test_builddir("tests/preload/.libs/syncwatch.so");
	char real[PATH_MAX], *log, *got;

	ck_assert_ptr_nonnull(realpath(dir, real));
	*out = brc_xasprintf("%s/out.json", real);
	log = brc_xasprintf("%s/syncwatch.log", real);
	setenv("LD_PRELOAD", shim, 1);
	setenv("BR_SYNCWATCH_DIR", real, 1);
	setenv("BR_SYNCWATCH_LOG", log, 1);
	ck_assert_int_eq(run_to(*out, NULL), 0);
	unsetenv("LD_PRELOAD");
	unsetenv("BR_SYNCWATCH_DIR");
	unsetenv("BR_SYNCWATCH_LOG");
	got = brc_read_file(log, 1 << 20, NULL);
	ck_assert_msg(got != NULL, "the shim logged nothing");
	free(log);
	free(shim);
	return got;
}
#endif

/* The temporary file is opened close-on-exec (mkostemp with O_CLOEXEC):
 * a program started by another thread meanwhile must not inherit it. */
START_TEST(test_atomic_write_tmp_cloexec)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	/* A sanitizer runtime must come first: no LD_PRELOAD there. */
	return;
#else
	char *out, *log = watched_run(&out), *save = NULL;
	char *tmp = brc_xasprintf("fsync file %s.tmp.", out);
	int seen = 0;

	/* Every temporary file of out, on every line: close-on-exec. */
	for (char *l = strtok_r(log, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(l);

		if (strncmp(l, tmp, strlen(tmp)))
			continue;
		seen++;
		ck_assert_msg(n > 10 && !strcmp(l + n - 10, " cloexec=1"),
		              "a temporary file without FD_CLOEXEC: %s", l);
	}
	ck_assert_msg(seen > 0, "no fsync of a temporary file of %s", out);
	free(tmp);
	free(out);
	free(log);
#endif
}
END_TEST

/* The file is fsynced before the rename and its directory after it: only
 * then does the new name survive a crash. */
START_TEST(test_atomic_write_syncs_dir)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	return; /* as above */
#else
	char *out, *log = watched_run(&out);
	char *dirpath = brc_xstrdup(out), *file, *ren, *sync;

	*strrchr(dirpath, '/') = '\0';
	file = strstr(log, "fsync file ");
	ren = strstr(log, "rename ");
	ck_assert_msg(file && ren && file < ren, "no fsync of the file before "
	              "its rename in:\n%s", log);
	ck_assert_msg(strstr(ren, out), "no rename onto %s in:\n%s", out,
	              log);
	/* The last rename is the results file's (written at the end). */
	while (strstr(ren + 1, "rename "))
		ren = strstr(ren + 1, "rename ");
	sync = brc_xasprintf("fsync dir %s cloexec=", dirpath);
	ck_assert_msg(strstr(ren, sync), "the directory %s was not fsynced "
	              "after the rename:\n%s", dirpath, log);
	free(sync);
	free(dirpath);
	free(out);
	free(log);
#endif
}
END_TEST

/* validate refuses the scenario as its own outputs.json. */
START_TEST(test_outputs_json_is_scenario)
{
	char *path = in_dir("self.yaml"), *yaml, *before;
	const char *argv[] = { "validate", path, NULL };
	const char *run[] = { "-q", path, NULL };
	struct brc_buf err = { 0 };

	yaml = brc_xasprintf("%soutputs: {json: '%s'}\n", small, path);
	free(brc_test_write(dir, "self.yaml", yaml));
	before = brc_read_file(path, 1 << 20, NULL);
	ck_assert_int_eq(brc_test_benchrun(argv, 30, &err), 2);
	ck_assert_has(err.data, "the scenario file itself");
	ck_assert_int_eq(brc_test_benchrun(run, 60, NULL), 2);
	assert_content(path, before);
	brc_buf_free(&err);
	free(before);
	free(yaml);
	free(path);
}
END_TEST

START_TEST(test_outputs_same_path)
{
	char *err = brc_test_scenario_fail(
		"strategies: [sync]\n"
		"outputs: {json: r.out, csv: r.csv, markdown: r.out}\n", NULL, 0);

	ck_assert_has(err, "outputs.markdown");
	ck_assert_has(err, "same file as outputs.json");
	free(err);
	err = brc_test_scenario_fail("strategies: [sync]\n"
	                             "outputs: {plot: r.gif}\n", NULL, 0);
	ck_assert_has(err, ".svg or .png");
	free(err);
}
END_TEST

/* A day's file planted as a symlink, and a day's directory planted as a
 * symlink to elsewhere: export refuses both and writes nothing there. */
START_TEST(test_export_planted_symlinks)
{
	char *sc_path = brc_test_write(dir, "e.yaml",
		"workload: {days: 2, trips: 2}\n"
		"server: {path: \"/d/{date}.json\"}\nstrategies: [sync]\n");
	char *out = in_dir("www"), *sub = in_dir("www/d"), *victim, *day;
	char *elsewhere = in_dir("elsewhere"), date[11], *serr = NULL;
	const char *argv[] = { "-q", "export", sc_path, out, NULL };
	struct brc_scenario sc;
	struct brc_buf err = { 0 };

	ck_assert_int_eq(brc_scenario_load(sc_path, NULL, 0, &sc, &serr), 0);
	brc_ticket_date(&sc.workload, 0, date);
	victim = brc_test_write(dir, "victim", "keep");
	ck_assert_int_eq(mkdir(out, 0755), 0);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	day = brc_xasprintf("%s/%s.json", sub, date);
	ck_assert_int_eq(symlink(victim, day), 0);
	ck_assert_int_eq(brc_test_benchrun(argv, 30, &err), 1);
	assert_content(victim, "keep");
	ck_assert_has(err.data, "symlink");
	/* The directory itself planted. */
	brc_test_rmtree(sub);
	ck_assert_int_eq(mkdir(elsewhere, 0755), 0);
	ck_assert_int_eq(symlink(elsewhere, sub), 0);
	err.len = 0;
	ck_assert_int_eq(brc_test_benchrun(argv, 30, &err), 1);
	free(day);
	day = brc_xasprintf("%s/%s.json", elsewhere, date);
	ck_assert_int_eq(access(day, F_OK), -1);
	brc_scenario_free(&sc);
	brc_buf_free(&err);
	free(day);
	free(victim);
	free(elsewhere);
	free(sub);
	free(out);
	free(sc_path);
}
END_TEST

/* A FIFO as the scenario: refused at once, no writer needed. */
START_TEST(test_fifo_scenario)
{
	char *fifo = in_dir("s.yaml");
	const char *argv[] = { "validate", fifo, NULL };
	struct brc_buf err = { 0 };

	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(brc_test_benchrun(argv, 20, &err), 2);
	ck_assert_has(err.data, "not a regular file");
	brc_buf_free(&err);
	free(fifo);
}
END_TEST

Suite *brc_suite_security_files(void)
{
	Suite *s = suite_create("security_files");
	TCase *tc = tcase_create("files");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_output_symlink_refused);
	tcase_add_test(tc, test_output_device_refused);
	tcase_add_test(tc, test_atomic_write_refuses_non_regular);
	tcase_add_test(tc, test_atomic_write_modes);
	tcase_add_test(tc, test_atomic_write_tmp_cloexec);
	tcase_add_test(tc, test_atomic_write_syncs_dir);
	tcase_add_test(tc, test_outputs_json_is_scenario);
	tcase_add_test(tc, test_outputs_same_path);
	tcase_add_test(tc, test_export_planted_symlinks);
	tcase_add_test(tc, test_fifo_scenario);
	suite_add_tcase(s, tc);
	return s;
}
