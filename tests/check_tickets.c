/*
 * check_tickets.c - the ticket workload: determinism of the generator,
 * render -> process == expect, the processing errors for broken bodies,
 * the CPU burner, dates and URL templates.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "workload/tickets.h"
#include "util.h"

static struct brc_workload workload(uint64_t seed, int64_t trips)
{
	struct brc_workload w = {
		.seed = seed,
		.days = 100,
		.start_date = (char *)"2026-01-01",
		.route = (char *)"MOW-LED",
		.trips_min = trips,
		.trips_max = trips,
		.max_body = 4 << 20,
		.validate = true,
	};
	return w;
}

static char *render(const struct brc_workload *w, int64_t i, size_t *len)
{
	struct brc_buf b = { 0 };

	brc_ticket_render(w, i, &b);
	*len = b.len;
	return b.data;
}

/* Render day i, process an exact-length copy (no NUL after it, so an
 * overrun shows under valgrind/ASan) and compare with the generator. */
static void assert_roundtrip(const struct brc_workload *w, int64_t i)
{
	struct brc_summary got, want;
	char why[256];
	size_t len;
	char *body = render(w, i, &len);
	char *copy = brc_xmalloc(len);

	memcpy(copy, body, len);
	ck_assert_msg(brc_ticket_process(w, copy, len, &got, why,
	                                sizeof(why)) == 0,
	              "day %lld: %s", (long long)i, why);
	brc_ticket_expect(w, i, &want);
	ck_assert_msg(brc_summary_check(&got, &want, why, sizeof(why)) == 0,
	              "day %lld: %s", (long long)i, why);
	ck_assert_int_eq(got.trips, want.trips);
	free(copy);
	free(body);
}

START_TEST(test_determinism)
{
	struct brc_workload w = workload(42, 20), w2 = workload(42, 20);
	size_t la, lb;
	char *a, *b;

	/* Same scenario, separately built: same bytes. */
	a = render(&w, 7, &la);
	b = render(&w2, 7, &lb);
	ck_assert_uint_eq(la, lb);
	ck_assert_int_eq(memcmp(a, b, la), 0);
	ck_assert_uint_ge(la, 4 * 1024);
	ck_assert_uint_le(la, 5 * 1024);
	free(b);
	/* Day 7 does not depend on how many days there are. */
	w2.days = 100000;
	b = render(&w2, 7, &lb);
	ck_assert(la == lb && !memcmp(a, b, la));
	free(b);
	/* Another seed or another day: other bytes. */
	w2 = workload(43, 20);
	b = render(&w2, 7, &lb);
	ck_assert(la != lb || memcmp(a, b, la));
	free(b);
	b = render(&w, 8, &lb);
	ck_assert(la != lb || memcmp(a, b, la));
	free(b);
	free(a);
}
END_TEST

START_TEST(test_trip_range)
{
	struct brc_workload w = workload(5, 10);
	struct brc_summary s;
	bool seen_min = false, seen_max = false;

	w.trips_max = 12;
	for (int64_t i = 0; i < 200; i++) {
		brc_ticket_expect(&w, i, &s);
		ck_assert_int_ge(s.trips, 10);
		ck_assert_int_le(s.trips, 12);
		seen_min |= s.trips == 10;
		seen_max |= s.trips == 12;
	}
	ck_assert(seen_min && seen_max);
}
END_TEST

START_TEST(test_roundtrip)
{
	struct brc_workload w = workload(1, 20);

	for (int64_t i = 0; i < 100; i++)
		assert_roundtrip(&w, i);
	w = workload(99, 1);
	for (int64_t i = 0; i < 100; i++)
		assert_roundtrip(&w, i);
	w = workload(3, 2000);
	for (int64_t i = 0; i < 5; i++)
		assert_roundtrip(&w, i);
	w = workload(4, 1);
	w.trips_max = 60;
	w.route = (char *)"Berlin_Hbf-Praha";
	w.start_date = (char *)"2024-02-27"; /* across a leap day */
	for (int64_t i = 0; i < 100; i++)
		assert_roundtrip(&w, i);
}
END_TEST

/* Every price is printed as whole euros, a dot and two digits. */
START_TEST(test_price_format)
{
	struct brc_workload w = workload(11, 200);
	size_t len;
	char *body = render(&w, 0, &len);
	int n = 0;

	for (const char *p = body; (p = strstr(p, "\"amount\":")); n++) {
		p += strlen("\"amount\":");
		ck_assert(p[0] >= '0' && p[0] <= '9');
		p += strspn(p, "0123456789");
		ck_assert_int_eq(p[0], '.');
		ck_assert_uint_eq(strspn(p + 1, "0123456789"), 2);
		ck_assert_int_eq(p[3], ',');
	}
	ck_assert_int_eq(n, 200);
	free(body);
}
END_TEST

/* Process `body` and expect failure with `words` in the reason. */
static void assert_rejected(const struct brc_workload *w, const char *body,
                            size_t len, const char *words)
{
	struct brc_summary s;
	char why[256] = "";

	ck_assert_msg(brc_ticket_process(w, body, len, &s, why, sizeof(why)) ==
	              -1, "accepted, wanted '%s'", words);
	ck_assert_msg(strstr(why, words), "'%s' lacks '%s'", why, words);
}

/* body with the n-th occurrence (0-based) of `from` replaced by `to`. */
static char *replace_nth(const char *body, const char *from, const char *to,
                         int n)
{
	const char *p = body;
	struct brc_buf b = { 0 };

	for (int k = 0; k <= n; k++) {
		p = strstr(k ? p + 1 : p, from);
		ck_assert_ptr_nonnull(p);
	}
	brc_buf_append(&b, body, (size_t)(p - body));
	brc_buf_printf(&b, "%s%s", to, p + strlen(from));
	return b.data;
}

/* Replace the n-th `from` in body by `to`; the result must be rejected
 * with `words`. */
static void reject_edit(const struct brc_workload *w, const char *body,
                        const char *from, const char *to, int n,
                        const char *words)
{
	char *bad = replace_nth(body, from, to, n);

	assert_rejected(w, bad, strlen(bad), words);
	free(bad);
}

START_TEST(test_reject)
{
	struct brc_workload w = workload(42, 20);
	size_t len;
	char *body = render(&w, 3, &len), *bad;
	char *deep = brc_xmalloc(100000);

	assert_rejected(&w, body, 0, "empty body");
	assert_rejected(&w, NULL, 0, "empty body");
	assert_rejected(&w, body, len / 2, "not JSON (");
	assert_rejected(&w, "hello", 5, "not JSON (");
	assert_rejected(&w, "[1,2]", 5, "not a JSON object");
	assert_rejected(&w, "{}", 2, "no 'route'");
	bad = replace_nth(body, "},{", "}#{", 2);
	assert_rejected(&w, bad, len, "not JSON (bad structure");
	free(bad);
	bad = brc_xasprintf("%s}", body);
	assert_rejected(&w, bad, len + 1, "trailing bytes");
	free(bad);
	reject_edit(&w, body, "MOW-LED", "MOW-KZN", 0,
	            "route MOW-LED expected, got MOW-KZN");
	reject_edit(&w, body, "\"trips\"", "\"trops\"", 0,
	            "no 'trips' array");
	reject_edit(&w, body, "\"price\"", "\"prize\"", 3,
	            "trip 3: price missing");
	reject_edit(&w, body, "\"free_seats\":", "\"free_seats\":1.5,\"x\":",
	            5, "trip 5: free_seats");
	reject_edit(&w, body, "\"amount\":", "\"amount\":0.005,\"x\":", 2,
	            "trip 2: price 0.005 is not a whole number of cents");
	reject_edit(&w, body, "T", "X", 0,
	            "trip 0: departure '2026-01-04X");
	reject_edit(&w, body, "\"departure\":\"2026-01-04",
	            "\"departure\":\"2026-01-05", 1,
	            "trip 1: departure '2026-01-05");
	reject_edit(&w, body, "2026-01-04", "2026-13-04", 0,
	            "date '2026-13-04' is not YYYY-MM-DD");
	reject_edit(&w, body, "2026-01-04", "2025-12-31", 0,
	            "date 2025-12-31 is not a day of the workload");
	/* Hostile bodies: too big, and nested deeper than a ticket (body_scan.h). */
	w.max_body = 1000;
	assert_rejected(&w, body, len, "over max_body");
	w.max_body = 0;
	memset(deep, '[', 100000);
	assert_rejected(&w, deep, 100000, "nested deeper");
	free(deep);
	free(body);
}
END_TEST

START_TEST(test_wrong_day)
{
	struct brc_workload w = workload(42, 20);
	struct brc_summary got, want;
	char why[256];
	size_t len;
	char *body = render(&w, 5, &len);

	/* The server answered day 5 where day 3 was asked. */
	ck_assert_int_eq(brc_ticket_process(&w, body, len, &got, why,
	                                   sizeof(why)), 0);
	brc_ticket_expect(&w, 3, &want);
	ck_assert_int_eq(brc_summary_check(&got, &want, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "date 2026-01-04 expected, got 2026-01-06");
	/* Without a date (the text form), the trip ids still differ. */
	got.date = 0;
	ck_assert_int_eq(brc_summary_check(&got, &want, why, sizeof(why)), -1);
	free(body);
}
END_TEST

START_TEST(test_summary_check)
{
	struct brc_summary a = { .trips = 20, .cheapest_cents = 1250,
	                        .total_cents = 40000, .free_seats = 300,
	                        .first_departure = 65, .digest = 0xabc,
	                        .date = 20454 };
	struct brc_summary b = a;
	char why[256];

	ck_assert_int_eq(brc_summary_check(&a, &b, why, sizeof(why)), 0);
	a.cheapest_cents = 1300;
	ck_assert_int_eq(brc_summary_check(&a, &b, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "cheapest 1250 expected, got 1300");
	a = b;
	a.free_seats = 1;
	ck_assert_int_eq(brc_summary_check(&a, &b, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "free seats 300 expected, got 1");
	a = b;
	a.digest = 0xabd;
	ck_assert_int_eq(brc_summary_check(&a, &b, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "trip ids differ"));
}
END_TEST

/* 20 trips x 500 us must cost about 10 ms of this thread's CPU. */
START_TEST(test_cpu_burn)
{
	struct brc_workload w = workload(42, 20);
	struct brc_summary s;
	char why[256];
	size_t len;
	char *body = render(&w, 0, &len);
	uint64_t t0, used;

	brc_ticket_calibrate();
	t0 = brc_threadtime_ns();
	ck_assert_int_eq(brc_ticket_process(&w, body, len, &s, why, sizeof(why)), 0);
	ck_assert_uint_lt(brc_threadtime_ns() - t0, 5000000);
	w.cpu_us_per_trip = 500;
	t0 = brc_threadtime_ns();
	ck_assert_int_eq(brc_ticket_process(&w, body, len, &s, why, sizeof(why)), 0);
	used = brc_threadtime_ns() - t0;
	ck_assert_msg(used > 5000000 && used < 40000000,
	              "burned %llu ns for 10 ms", (unsigned long long)used);
	free(body);
}
END_TEST

START_TEST(test_date_url)
{
	struct brc_workload w = workload(1, 20);
	char date[11], *url;
	const char *why;

	ck_assert_int_eq(brc_ticket_date(&w, 0, date), 0);
	ck_assert_str_eq(date, "2026-01-01");
	ck_assert_int_eq(brc_ticket_date(&w, 59, date), 0);
	ck_assert_str_eq(date, "2026-03-01");
	ck_assert_int_eq(brc_ticket_date(&w, 365, date), 0);
	ck_assert_str_eq(date, "2027-01-01");
	w.start_date = (char *)"2024-02-28";
	ck_assert_int_eq(brc_ticket_date(&w, 1, date), 0);
	ck_assert_str_eq(date, "2024-02-29");
	w.start_date = (char *)"2026-02-29";
	ck_assert_int_eq(brc_ticket_date(&w, 0, date), -1);
	w.start_date = (char *)"2026-1-01";
	ck_assert_int_eq(brc_ticket_date(&w, 0, date), -1);

	w = workload(1, 20);
	url = brc_ticket_url("{base}/tickets/{route}/{date}?n={i}&x={x}",
	                    "http://127.0.0.1:8080", &w, 2);
	ck_assert_str_eq(url, "http://127.0.0.1:8080/tickets/MOW-LED/"
	                 "2026-01-03?n=2&x={x}");
	free(url);
	ck_assert_int_eq(brc_url_template_check("{base}/t/{route}/{date}/{i}",
	                                     &why), 0);
	ck_assert_int_eq(brc_url_template_check("/t/{dat}", &why), -1);
	ck_assert_ptr_nonnull(strstr(why, "unknown placeholder"));
	ck_assert_int_eq(brc_url_template_check("/t/{date", &why), -1);
	ck_assert_ptr_nonnull(strstr(why, "unclosed"));
}
END_TEST

Suite *brc_suite_tickets(void)
{
	Suite *s = suite_create("tickets");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_determinism);
	tcase_add_test(tc, test_trip_range);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_price_format);
	tcase_add_test(tc, test_reject);
	tcase_add_test(tc, test_wrong_day);
	tcase_add_test(tc, test_summary_check);
	tcase_add_test(tc, test_cpu_burn);
	tcase_add_test(tc, test_date_url);
	suite_add_tcase(s, tc);
	return s;
}
