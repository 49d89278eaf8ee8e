/*
 * check_export.c - `benchrun export`: the files land where the URL layout
 * says and process to the generator's summaries; paths that cannot name
 * a file inside the directory are refused.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/export.h"
#include "scenario/scenario.h"
#include "suites.h"
#include "workload/tickets.h"
#include "util.h"

static struct brc_workload workload(void)
{
	struct brc_workload w = {
		.seed = 42,
		.days = 10,
		.start_date = (char *)"2026-01-01",
		.route = (char *)"MOW-LED",
		.trips_min = 20,
		.trips_max = 20,
		.max_body = 4 << 20,
		.validate = true,
	};
	return w;
}

/* Export 10 days, read the files back, process: equals expect. */
START_TEST(test_export_roundtrip)
{
	struct brc_scenario sc = { 0 };
	char dir[] = "/tmp/br-export-XXXXXX";
	uint64_t files, bytes, total = 0;
	const char *why;

	sc.workload = workload();
	sc.server.url_template = (char *)"{base}/tickets/{route}/{date}";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(brc_export(&sc, dir, &files, &bytes), 0);
	ck_assert_uint_eq(files, 10);
	for (int64_t i = 0; i < 10; i++) {
		struct brc_summary got, want;
		char date[11], why2[256], *path, *body;
		size_t len;

		brc_ticket_date(&sc.workload, i, date);
		path = brc_xasprintf("%s/tickets/MOW-LED/%s", dir, date);
		body = brc_read_file(path, 1 << 20, &len);
		ck_assert_ptr_nonnull(body);
		total += len;
		ck_assert_int_eq(brc_ticket_process(&sc.workload, body, len, &got,
		                                   why2, sizeof(why2)), 0);
		brc_ticket_expect(&sc.workload, i, &want);
		ck_assert_int_eq(brc_summary_check(&got, &want, why2,
		                                  sizeof(why2)), 0);
		unlink(path);
		free(path);
		free(body);
	}
	ck_assert_uint_eq(total, bytes);
	/* An external URL's path names the files; a query cannot. */
	sc.server.url_template = (char *)"http://h:81/x/{date}.json";
	ck_assert_str_eq(brc_export_path_template(&sc.server, &why),
	                 "/x/{date}.json");
	sc.server.url_template = (char *)"http://h:81/x?d={date}";
	ck_assert_ptr_null(brc_export_path_template(&sc.server, &why));
	sc.server.url_template = (char *)"{base}/../{date}";
	ck_assert_int_eq(brc_export(&sc, dir, &files, &bytes), -1);
	for (int k = 0; k < 2; k++) {
		char *sub = brc_xasprintf(k ? "%s/tickets" : "%s/tickets/MOW-LED",
		                         dir);

		ck_assert_int_eq(rmdir(sub), 0);
		free(sub);
	}
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* The command itself: a real scenario file, files where its path says. */
START_TEST(test_export_cli)
{
	static const char yaml[] =
		"seed: 7\n"
		"workload: {days: 10, trips: {min: 5, max: 30}, route: KZN-UFA}\n"
		"server: {path: \"/days/{route}/{date}.json\"}\n"
		"strategies: [{plugin: sync}]\n";
	char *dir = brc_test_tmpdir(), *out = brc_xasprintf("%s/www", dir);
	char *path = brc_test_write(dir, "sc.yaml", yaml), *serr = NULL;
	const char *argv[] = { "export", path, out, NULL };
	struct brc_scenario sc;
	struct brc_buf err = { 0 };

	ck_assert_int_eq(brc_test_benchrun(argv, 30, &err), 0);
	ck_assert_int_eq(brc_scenario_load(path, NULL, 0, &sc, &serr), 0);
	for (int64_t i = 0; i < 10; i++) {
		struct brc_summary got, want;
		char date[11], why[256], *file, *body;
		size_t len;

		brc_ticket_date(&sc.workload, i, date);
		file = brc_xasprintf("%s/days/KZN-UFA/%s.json", out, date);
		body = brc_read_file(file, 1 << 20, &len);
		ck_assert_msg(body != NULL, "%s missing", file);
		ck_assert_int_eq(brc_ticket_process(&sc.workload, body, len, &got,
		                                   why, sizeof(why)), 0);
		brc_ticket_expect(&sc.workload, i, &want);
		ck_assert_int_eq(brc_summary_check(&got, &want, why,
		                                  sizeof(why)), 0);
		free(file);
		free(body);
	}
	brc_scenario_free(&sc);
	free(path);
	path = brc_test_write(dir, "bad.yaml",
	                     "server: {url: \"http://h/x?d={date}\"}\n"
	                     "strategies: [{plugin: sync}]\n");
	argv[1] = path;
	ck_assert_int_eq(brc_test_benchrun(argv, 30, &err), 1);
	ck_assert_ptr_nonnull(strstr(err.data, "query string"));
	brc_buf_free(&err);
	brc_test_rmtree(dir);
	free(path);
	free(out);
	free(dir);
}
END_TEST

Suite *brc_suite_export(void)
{
	Suite *s = suite_create("export");
	TCase *tc = tcase_create("files");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_export_roundtrip);
	tcase_add_test(tc, test_export_cli);
	suite_add_tcase(s, tc);
	return s;
}
