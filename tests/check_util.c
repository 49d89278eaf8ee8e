/*
 * check_util.c - value parsers, formatters, suggestions, atomic writes.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suites.h"
#include "util.h"

START_TEST(test_parse_size)
{
	int64_t v;
	const char *why;

	ck_assert_int_eq(brc_parse_size("4096", &v, &why), 0);
	ck_assert_int_eq(v, 4096);
	ck_assert_int_eq(brc_parse_size("64KiB", &v, &why), 0);
	ck_assert_int_eq(v, 65536);
	ck_assert_int_eq(brc_parse_size(" 1.5M ", &v, &why), 0);
	ck_assert_int_eq(v, 1572864);
	ck_assert_int_eq(brc_parse_size("2 gib", &v, &why), 0);
	ck_assert_int_eq(v, 2147483648LL);
	ck_assert_int_eq(brc_parse_size("12 parsecs", &v, &why), -1);
	ck_assert_ptr_nonnull(strstr(why, "unit"));
	ck_assert_int_eq(brc_parse_size("", &v, &why), -1);
	ck_assert_int_eq(brc_parse_size("0.3", &v, &why), -1);
}
END_TEST

START_TEST(test_parse_duration)
{
	double v;
	const char *why;

	ck_assert_int_eq(brc_parse_duration("250ms", &v, &why), 0);
	ck_assert_double_eq_tol(v, 0.25, 1e-12);
	ck_assert_int_eq(brc_parse_duration("1.5", &v, &why), 0);
	ck_assert_double_eq_tol(v, 1.5, 1e-12);
	ck_assert_int_eq(brc_parse_duration("100us", &v, &why), 0);
	ck_assert_double_eq_tol(v, 1e-4, 1e-15);
	ck_assert_int_eq(brc_parse_duration("2m", &v, &why), 0);
	ck_assert_double_eq_tol(v, 120, 1e-12);
	ck_assert_int_eq(brc_parse_duration("3 fortnights", &v, &why), -1);
}
END_TEST

START_TEST(test_parse_int_bool)
{
	int64_t v;
	bool b;
	const char *why;

	ck_assert_int_eq(brc_parse_int("10_000", &v, &why), 0);
	ck_assert_int_eq(v, 10000);
	ck_assert_int_eq(brc_parse_int("12abc", &v, &why), -1);
	ck_assert_int_eq(brc_parse_int("99999999999999999999", &v, &why), -1);
	ck_assert_int_eq(brc_parse_bool("Yes", &b, &why), 0);
	ck_assert(b);
	ck_assert_int_eq(brc_parse_bool("off", &b, &why), 0);
	ck_assert(!b);
	ck_assert_int_eq(brc_parse_bool("maybe", &b, &why), -1);
}
END_TEST

START_TEST(test_suggest)
{
	const char *const keys[] = { "workload", "server", "strategies",
	                             "sweep", "runs", "outputs" };

	ck_assert_str_eq(brc_suggest("strategis", keys, 6), "strategies");
	ck_assert_str_eq(brc_suggest("sever", keys, 6), "server");
	ck_assert_ptr_null(brc_suggest("zzzzzzzzzz", keys, 6));
}
END_TEST

START_TEST(test_format)
{
	char buf[32];

	ck_assert_str_eq(brc_fmt_size(buf, sizeof(buf), 1536), "1.5 KiB");
	ck_assert_str_eq(brc_fmt_size(buf, sizeof(buf), 100), "100 B");
	ck_assert_str_eq(brc_fmt_duration(buf, sizeof(buf), 0.0123), "12.3 ms");
	ck_assert_str_eq(brc_fmt_duration(buf, sizeof(buf), 2.5), "2.5 s");
}
END_TEST

START_TEST(test_atomic_write)
{
	char dir[] = "/tmp/br-atomic-XXXXXX";
	char *path, *data;
	size_t len;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = brc_xasprintf("%s/out.json", dir);
	ck_assert_int_eq(brc_write_file_atomic(path, "old", 3), 0);
	ck_assert_int_eq(brc_write_file_atomic(path, "new!", 4), 0);
	data = brc_read_file(path, 100, &len);
	ck_assert_uint_eq(len, 4);
	ck_assert_str_eq(data, "new!");
	free(data);
	/* A directory that does not exist: fails, nothing left behind. */
	char *bad = brc_xasprintf("%s/nope/out.json", dir);
	ck_assert_int_eq(brc_write_file_atomic(bad, "x", 1), -1);
	ck_assert_int_eq(errno, ENOENT);
	/* Over the size limit. */
	ck_assert_ptr_null(brc_read_file(path, 2, &len));
	ck_assert_int_eq(errno, EFBIG);
	/* Parents are created on request, like mkdir -p. */
	char *deep = brc_xasprintf("%s/a/b/out.json", dir);
	ck_assert_int_eq(brc_mkdir_parents(deep), 0);
	ck_assert_int_eq(brc_write_file_atomic(deep, "x", 1), 0);
	ck_assert_int_eq(brc_mkdir_parents("/dev/null/x/out.json"), -1);
	unlink(deep);
	free(deep);
	deep = brc_xasprintf("%s/a/b", dir);
	rmdir(deep);
	free(deep);
	deep = brc_xasprintf("%s/a", dir);
	rmdir(deep);
	free(deep);
	unlink(path);
	rmdir(dir);
	free(bad);
	free(path);
}
END_TEST

START_TEST(test_atomic_write_disk_full)
{
	char dir[] = "/tmp/br-full-XXXXXX";
	struct rlimit small = { 4096, 4096 }, saved;
	char big[16384], *path, *data;
	struct dirent *e;
	size_t len;
	int files = 0;
	DIR *d;

	/* A write that fails half-way (here: a file size limit, as a full
	 * disk would) must keep the old results file and leave no temp. */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = brc_xasprintf("%s/results.json", dir);
	ck_assert_int_eq(brc_write_file_atomic(path, "old results", 11), 0);
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &saved);
	small.rlim_max = saved.rlim_max; /* keep the way back (CK_FORK=no) */
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	memset(big, 'x', sizeof(big));
	int rc = brc_write_file_atomic(path, big, sizeof(big)), err = errno;

	setrlimit(RLIMIT_FSIZE, &saved);
	signal(SIGXFSZ, SIG_DFL);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(err, EFBIG);
	data = brc_read_file(path, 100, &len);
	ck_assert_str_eq(data, "old results");
	d = opendir(dir);
	while ((e = readdir(d)))
		files += e->d_name[0] != '.';
	closedir(d);
	ck_assert_int_eq(files, 1);
	unlink(path);
	rmdir(dir);
	free(data);
	free(path);
}
END_TEST

START_TEST(test_unit_from_key)
{
	double a = brc_unit_from_key(42, 1, 2), b = brc_unit_from_key(42, 1, 2);
	double c = brc_unit_from_key(43, 1, 2);

	ck_assert(a == b);
	ck_assert(a != c);
	ck_assert(a >= 0 && a < 1);
}
END_TEST

Suite *brc_suite_util(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_size);
	tcase_add_test(tc, test_parse_duration);
	tcase_add_test(tc, test_parse_int_bool);
	tcase_add_test(tc, test_suggest);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_atomic_write);
	tcase_add_test(tc, test_atomic_write_disk_full);
	tcase_add_test(tc, test_unit_from_key);
	suite_add_tcase(s, tc);
	return s;
}
