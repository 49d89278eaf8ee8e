/*
 * check_h2.c - HTTP/2 beside HTTP/1.1 on the embedded server's one port
 * (server.http2), and the multiplex strategy on it: its streams really
 * share connections (the server's own count of streams open at once on
 * one connection), HTTP/1.1 clients are served as before through the
 * front end, libcurl's h2c (http_version: h2c) gets valid tickets, and
 * the model's faults reach streams.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "util.h"

/* Run yaml; every run of every group must be ok with every ticket valid.
 * Returns the results (cJSON_Delete it). */
static cJSON *run_ok(const char *yaml)
{
	int code;
	cJSON *doc = brc_test_run_yaml(yaml, 120, &code, NULL);
	cJSON *g;

	ck_assert_msg(doc != NULL, "no results for\n%s", yaml);
	cJSON_ArrayForEach(g, cJSON_GetObjectItem(doc, "groups")) {
		cJSON *r;

		cJSON_ArrayForEach(r, cJSON_GetObjectItem(g, "runs")) {
			ck_assert_str_eq(cJSON_GetStringValue(
				cJSON_GetObjectItem(r, "status")), "ok");
			ck_assert_double_eq(
				cJSON_GetNumberValue(cJSON_GetObjectItem(r, "ok")),
				cJSON_GetNumberValue(cJSON_GetObjectItem(r, "requests")));
		}
	}
	ck_assert_int_eq(code, 0);
	return doc;
}

static double streams(cJSON *doc, int group)
{
	cJSON *g = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "groups"), group);
	cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItem(g, "runs"), 0);

	return cJSON_GetNumberValue(cJSON_GetObjectItem(
		cJSON_GetObjectItem(r, "server"), "h2_max_streams"));
}

START_TEST(test_multiplex_shares_connections)
{
	cJSON *doc = run_ok(
		"workload: {days: 200, trips: 3}\n"
		"server: {http2: true, latency: {model: fixed, value: 100ms}}\n"
		"runs: {repetitions: 1}\n"
		"strategies:\n"
		"  - {plugin: multiplex, label: one, params: {concurrency: 40}}\n"
		"  - {plugin: multiplex, label: four,\n"
		"     params: {concurrency: 40, connections: 4}}\n");

	/* 40 streams on one connection at once (a loaded machine may keep
	 * a few from overlapping: half of them is plenty of proof)... */
	ck_assert_msg(streams(doc, 0) >= 20, "%g streams at once",
	              streams(doc, 0));
	ck_assert_double_le(streams(doc, 0), 40);
	/* ...and spread over four, never more than a quarter on one. */
	ck_assert_double_ge(streams(doc, 1), 2);
	ck_assert_double_le(streams(doc, 1), 10);
	cJSON_Delete(doc);
}
END_TEST

START_TEST(test_http1_beside_h2)
{
	cJSON *doc = run_ok(
		"workload: {days: 100, trips: 3}\n"
		"server: {http2: true, latency: {model: fixed, value: 5ms}}\n"
		"runs: {repetitions: 1}\n"
		"strategies:\n"
		"  - {plugin: eventloop, params: {concurrency: 20}}\n"
		"  - {plugin: sync}\n"
		/* libcurl's own HTTP/2 client, on a fresh connection per
		 * request: Debian 12's libcurl 7.88.1 fails requests that
		 * reuse a prior-knowledge connection (curl issue 10634). */
		"  - {plugin: sync, label: h2c,\n"
		"     params: {http_version: h2c, keepalive: false}}\n");

	/* HTTP/1.1 through the front end: no HTTP/2 stream at all. */
	ck_assert_double_eq(streams(doc, 0), 0);
	ck_assert_double_eq(streams(doc, 1), 0);
	ck_assert_double_ge(streams(doc, 2), 1);
	cJSON_Delete(doc);
}
END_TEST

/* The model's faults reach HTTP/2 streams too, and retries recover. */
START_TEST(test_h2_faults)
{
	int code;
	cJSON *doc = brc_test_run_yaml(
		"workload: {days: 200, trips: 3}\n"
		"server: {http2: true, faults: {error_rate: 0.1, reset_rate: 0.05,\n"
		"         truncate_rate: 0.05}}\n"
		"runs: {repetitions: 1}\n"
		"strategies:\n"
		"  - {plugin: multiplex, params: {concurrency: 20}}\n",
		60, &code, NULL);
	cJSON *r = brc_test_first_run(doc);
	cJSON *f = cJSON_GetObjectItem(r, "failures");

	ck_assert_int_eq(code, 1);
	ck_assert_double_gt(cJSON_GetNumberValue(
		cJSON_GetObjectItem(f, "http_status")), 0);
	ck_assert_double_gt(cJSON_GetNumberValue(
		cJSON_GetObjectItem(f, "transport")) +
		cJSON_GetNumberValue(cJSON_GetObjectItem(f, "corrupt")), 0);
	cJSON_Delete(doc);
}
END_TEST

Suite *brc_suite_h2(void)
{
	Suite *s = suite_create("h2");
	TCase *tc = tcase_create("h2");

	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, test_multiplex_shares_connections);
	tcase_add_test(tc, test_http1_beside_h2);
	tcase_add_test(tc, test_h2_faults);
	suite_add_tcase(s, tc);
	return s;
}
