/*
 * check_robust_stack.c - what runs out of stack or memory is refused or
 * named, not a crash left to guess at: bodies nested too deep for a small
 * thread stack (and the nesting limit at its boundary), plugins whose
 * main thread or own thread overflows its stack (the scenario goes on),
 * and a plugin that exhausts memory.  Fixtures: tests/plugins/robust.c.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/runner.h"
#include "workload/body_scan.h"
#include "workload/tickets.h"
#include "robust_util.h"
#include "suites.h"
#include "util.h"

/* ---- bodies nested too deep ---------------------------------------- */

struct deep_job {
	const char *body;
	size_t len;
	int rc;
	char why[256];
};

static void *process_deep(void *arg)
{
	struct deep_job *j = arg;
	struct brc_workload w = brc_test_workload(1);
	struct brc_summary s;

	j->rc = brc_ticket_process(&w, j->body, j->len, &s, j->why,
	                          sizeof(j->why));
	return NULL;
}

/* On a 16 KiB thread stack (`stack_size: 16KiB`), a body of 1000 nested
 * arrays is refused before a parser recurses into it.  Open runs of '['
 * are not JSON whatever the depth; closed ones ([[...]]) are, and only
 * the parser's depth limit refuses them as nested too deep. */
START_TEST(test_deep_body_small_stack)
{
	static const size_t depths[] = { 200, 350, 1000, 100000 };
	pthread_attr_t a;
	pthread_t t;

	for (size_t k = 0; k < 2 * BR_ARRAY_SIZE(depths); k++) {
		size_t d = depths[k / 2], len = k % 2 ? 2 * d : d;
		char *body = brc_xmalloc(len);
		struct deep_job j = { .body = body, .len = len };

		memset(body, '[', d);
		if (k % 2)
			memset(body + d, ']', d);
		pthread_attr_init(&a);
		ck_assert_int_eq(pthread_attr_setstacksize(&a, 16384), 0);
		ck_assert_int_eq(pthread_create(&t, &a, process_deep, &j), 0);
		pthread_join(t, NULL);
		pthread_attr_destroy(&a);
		ck_assert_int_eq(j.rc, -1);
		ck_assert_msg(strstr(j.why, "nested deeper"), "depth %zu%s: %s",
		              d, k % 2 ? " closed" : "", j.why);
		free(body);
	}
}
END_TEST

/* Day 0's ticket with "x": <value> added first in its top object, where
 * the value's outermost bracket is level 2; processed as received
 * (exact length) and padded.  Returns the unpadded call's value; the
 * padded one must agree. */
static int process_with_x(const char *value, struct brc_summary *got,
                          char *why, size_t why_len)
{
	struct brc_workload w = brc_test_workload(1);
	struct brc_buf ticket = { 0 }, b = { 0 };
	struct brc_summary got2;
	char why2[256];
	size_t len;
	int rc, rc2;

	brc_ticket_render(&w, 0, &ticket);
	ck_assert(ticket.len > 2 && ticket.data[0] == '{');
	brc_buf_printf(&b, "{\"x\":%s,", value);
	brc_buf_append(&b, ticket.data + 1, ticket.len - 1);
	len = b.len;
	rc = brc_ticket_process(&w, b.data, len, got, why, why_len);
	for (int k = 0; k < BRC_TICKET_PADDING; k++)
		brc_buf_append(&b, " ", 1);
	rc2 = brc_ticket_process_padded(&w, b.data, len, &got2, why2,
	                                sizeof(why2));
	ck_assert_int_eq(rc, rc2);
	if (rc)
		ck_assert_str_eq(why, why2);
	free(b.data);
	free(ticket.data);
	return rc;
}

/* `levels` nested arrays (or objects, {"a": ...}) around 1, or around
 * nothing when empty. */
static char *nest(int levels, bool objects, bool empty)
{
	struct brc_buf b = { 0 };

	brc_buf_append(&b, "", 0);
	for (int k = 0; k < levels - 1; k++)
		brc_buf_append(&b, objects ? "{\"a\":" : "[", objects ? 5 : 1);
	if (empty)
		brc_buf_append(&b, objects ? "{}" : "[]", 2);
	else
		brc_buf_append(&b, objects ? "{\"a\":1}" : "[1]",
		               objects ? 7 : 3);
	for (int k = 0; k < levels - 1; k++)
		brc_buf_append(&b, objects ? "}" : "]", 1);
	return b.data;
}

/* The limit as ticket_json.h documents it: containers holding a value
 * nest 8 levels deep at most (the ticket's top object is level 1), an
 * empty one may sit at level 9; deeper is refused with where. */
START_TEST(test_nesting_boundary)
{
	struct brc_workload w = brc_test_workload(1);
	struct brc_summary got, want;
	char why[256], expect[128];

	brc_ticket_expect(&w, 0, &want);
	for (int objects = 0; objects < 2; objects++) {
		/* Level 2 to 8 holding a value, then level 2 to 9 with the
		 * ninth empty: a ticket, summarised as usual. */
		char *ok = nest(7, objects, false);
		char *ok_empty = nest(8, objects, true);
		char *deep = nest(8, objects, false);
		char *deep_empty = nest(9, objects, true);
		/* The ninth level's bracket: after '{"x":' (5 bytes) and seven
		 * openers of 1 or 5 bytes. */
		size_t at = 5 + 7 * (objects ? 5 : 1);

		ck_assert_msg(process_with_x(ok, &got, why, sizeof(why)) == 0,
		              "%s", why);
		ck_assert_int_eq(brc_summary_check(&got, &want, why,
		                                   sizeof(why)), 0);
		ck_assert_msg(process_with_x(ok_empty, &got, why,
		                             sizeof(why)) == 0, "%s", why);
		ck_assert_int_eq(brc_summary_check(&got, &want, why,
		                                   sizeof(why)), 0);

		snprintf(expect, sizeof(expect), "not a ticket (nested deeper "
		         "than 8 levels at byte %zu)", at);
		ck_assert_int_eq(process_with_x(deep, &got, why, sizeof(why)),
		                 -1);
		ck_assert_str_eq(why, expect);
		ck_assert_int_eq(process_with_x(deep_empty, &got, why,
		                                sizeof(why)), -1);
		ck_assert_str_eq(why, expect);
		free(ok);
		free(ok_empty);
		free(deep);
		free(deep_empty);
	}
}
END_TEST

/* The pre-scan counts brackets outside strings only. */
START_TEST(test_nesting_scan)
{
	const char *ok = "{\"a\":[{\"b\":{\"c\":\"[[[[[[[[[[\\\"{{{{{{{{\"}}]}";
	const char *deep = "[[[[[[[[[1]]]]]]]]]";
	size_t at = 0;

	ck_assert(brc_body_nesting_within(ok, strlen(ok), 4, NULL));
	ck_assert(!brc_body_nesting_within(ok, strlen(ok), 3, &at));
	ck_assert_uint_eq(at, 11);
	ck_assert(brc_body_nesting_within(deep, strlen(deep), 9, NULL));
	ck_assert(!brc_body_nesting_within(deep, strlen(deep), 8, &at));
	ck_assert_uint_eq(at, 8);
	/* Closing brackets never take the depth below zero. */
	ck_assert(!brc_body_nesting_within("]]]]][[", 7, 1, NULL));
}
END_TEST

/* ---- stacks and memory of plugins ----------------------------------- */

START_TEST(test_stack_overflow_named)
{
	struct brc_run_result r;

	brc_test_robust_run("robust_recurse", 1, &r);
	ck_assert_msg(r.status == BR_RUN_CRASHED || r.status == BR_RUN_EXITED,
	              "status %d", r.status);
	ck_assert_msg(strstr(r.reason, "overflowed a stack") &&
	              strstr(r.reason, "stack_size"), "%s", r.reason);
	brc_run_result_clear(&r);
}
END_TEST

/*
 * A thread the plugin created overflows its 64 KiB stack in its own code:
 * the worker gives every thread an alternate signal stack (worker_guard.c),
 * so the run's reason names that thread's stack, its size and stack_size,
 * not only a guess from SIGSEGV.
 */
START_TEST(test_thread_stack_overflow_named)
{
	struct brc_run_result r;

	brc_test_robust_run("robust_thread_recurse", 1, &r);
	ck_assert_msg(r.status == BR_RUN_CRASHED || r.status == BR_RUN_EXITED,
	              "status %d", r.status);
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	/* The sanitizer's own report says stack-overflow. */
	ck_assert_msg(strstr(r.reason, "overflowed a stack") &&
	              strstr(r.reason, "stack_size"), "%s", r.reason);
#else
	ck_assert_msg(strstr(r.reason, "overflowed the 64 KiB stack of one "
	                     "of its threads") &&
	              strstr(r.reason, "stack_size"), "%s", r.reason);
#endif
	brc_run_result_clear(&r);
}
END_TEST

/* ... and the scenario goes on: the next strategy runs and is ok. */
START_TEST(test_thread_stack_overflow_others_run)
{
	char *plugin = brc_test_robust_fixture("robust_thread_recurse");
	char *yaml = brc_xasprintf(
		"workload: {days: 4}\n"
		"server: {latency: {model: none}}\n"
		"runs: {repetitions: 1, warmup: 0}\n"
		"strategies:\n  - {plugin: '%s', label: broken}\n"
		"  - {plugin: sync, label: fine}\n", plugin);
	cJSON *doc, *g;
	int code, seen = 0;

	doc = brc_test_run_yaml(yaml, 120, &code, NULL);
	ck_assert_ptr_nonnull(doc);
	ck_assert_int_ne(code, 0);
	cJSON_ArrayForEach(g, cJSON_GetObjectItem(doc, "groups")) {
		const char *label = cJSON_GetStringValue(
			cJSON_GetObjectItem(g, "label"));
		cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItem(g, "runs"),
		                                0);
		const char *status = cJSON_GetStringValue(
			cJSON_GetObjectItem(run, "status"));
		const char *reason = cJSON_GetStringValue(
			cJSON_GetObjectItem(run, "reason"));

		ck_assert_ptr_nonnull(label);
		ck_assert_ptr_nonnull(status);
		if (!strcmp(label, "fine")) {
			ck_assert_str_eq(status, "ok");
			seen |= 1;
		} else {
			/* The overflow named ("overflowed ... stack_size"),
			 * not only the SIGSEGV hint that mentions stack_size
			 * when nothing caught the fault. */
			ck_assert_str_ne(status, "ok");
			ck_assert_msg(reason && strstr(reason, "overflowed") &&
			              strstr(reason, "stack_size"),
			              "%s", reason ? reason : "(no reason)");
			seen |= 2;
		}
	}
	ck_assert_int_eq(seen, 3);
	cJSON_Delete(doc);
	free(yaml);
	free(plugin);
}
END_TEST

START_TEST(test_out_of_memory_named)
{
	struct brc_run_result r;

	brc_test_robust_run("robust_oom", 1, &r);
	ck_assert_int_ne(r.status, BR_RUN_OK);
	ck_assert_msg(strstr(r.reason, "out of memory") &&
	              !strstr(r.reason, "corrupt"), "%s", r.reason);
	brc_run_result_clear(&r);
}
END_TEST

Suite *brc_suite_robust_stack(void)
{
	Suite *s = suite_create("robust_stack");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_deep_body_small_stack);
	tcase_add_test(tc, test_nesting_scan);
	tcase_add_test(tc, test_nesting_boundary);
	tcase_add_test(tc, test_stack_overflow_named);
	tcase_add_test(tc, test_thread_stack_overflow_named);
	tcase_add_test(tc, test_thread_stack_overflow_others_run);
	tcase_add_test(tc, test_out_of_memory_named);
	suite_add_tcase(s, tc);
	return s;
}
