/*
 * check_validate.c - full JSON validation of ticket bodies (simdjson under
 * core/workload/tickets.c): what cJSON used to let through (raw control
 * bytes in strings, invalid UTF-8) is rejected, what JSON allows
 * (whitespace around the document, integers written as 1e1, escapes) is
 * accepted, the padded in-place path and the copying path agree, and the
 * parser pool serves many threads at once.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "workload/body_scan.h"
#include "workload/tickets.h"
#include "util.h"

static struct brc_workload workload(void)
{
	struct brc_workload w = {
		.seed = 7, .days = 30, .start_date = (char *)"2026-01-01",
		.route = (char *)"MOW-LED", .trips_min = 20, .trips_max = 20,
		.max_body = 4 << 20, .validate = true,
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

/* body with the first `from` after `after` replaced by `to`. */
static char *edit(const char *body, const char *after, const char *from,
                  const char *to)
{
	const char *p = strstr(body, after);
	struct brc_buf b = { 0 };

	ck_assert_ptr_nonnull(p);
	p = strstr(p, from);
	ck_assert_ptr_nonnull(p);
	brc_buf_append(&b, body, (size_t)(p - body));
	brc_buf_printf(&b, "%s%s", to, p + strlen(from));
	return b.data;
}

/* Process through both paths (a copy with garbage padding after it, and
 * an exact-length copy); they must agree.  Returns the result; the reason
 * goes into why. */
static int process_both(const struct brc_workload *w, const char *body,
                        size_t len, struct brc_summary *got, char *why,
                        size_t why_len)
{
	struct brc_summary s2;
	char why2[256] = "";
	char *padded = brc_xmalloc(len + BRC_TICKET_PADDING);
	char *exact = brc_xmalloc(len ? len : 1);
	int rc, rc2;

	why[0] = 0;
	memcpy(padded, body, len);
	memset(padded + len, '"', BRC_TICKET_PADDING); /* must not matter */
	memcpy(exact, body, len);
	rc = brc_ticket_process_padded(w, padded, len, got, why, why_len);
	rc2 = brc_ticket_process(w, exact, len, &s2, why2, sizeof(why2));
	ck_assert_int_eq(rc, rc2);
	ck_assert_str_eq(why, why2);
	if (rc == 0)
		ck_assert_int_eq(brc_summary_check(got, &s2, why2, sizeof(why2)),
		                 0);
	free(padded);
	free(exact);
	return rc;
}

static void assert_rejected(const struct brc_workload *w, const char *body,
                            size_t len, const char *words)
{
	struct brc_summary s;
	char why[256] = "";

	ck_assert_msg(process_both(w, body, len, &s, why, sizeof(why)) == -1,
	              "accepted, wanted '%s'", words);
	ck_assert_msg(strstr(why, words), "'%s' lacks '%s'", why, words);
}

static void assert_accepted(const struct brc_workload *w, const char *body,
                            size_t len, int64_t day)
{
	struct brc_summary got, want;
	char why[256] = "";

	ck_assert_msg(process_both(w, body, len, &got, why, sizeof(why)) == 0,
	              "rejected: %s", why);
	brc_ticket_expect(w, day, &want);
	ck_assert_msg(brc_summary_check(&got, &want, why, sizeof(why)) == 0,
	              "%s", why);
}

/* Raw bytes below 0x20 inside a string are not JSON (RFC 8259 section 7),
 * in a field we read or one we do not. */
START_TEST(test_control_bytes)
{
	struct brc_workload w = workload();
	size_t len;
	char *body = render(&w, 2, &len), *bad;
	static const char *const fields[] = { "\"carrier\":\"", "\"id\":\"",
	                                      "\"model\":\"" };

	/* Every control byte, just before the closing quote of a field we
	 * read (id) and of fields we do not (carrier, bus model). */
	for (size_t f = 0; f < 3; f++) {
		for (int c = 1; c < 0x20; c++) {
			char to[4] = { (char)c, '"', ',', 0 };

			bad = edit(body, fields[f], "\",", to);
			assert_rejected(&w, bad, strlen(bad), "control byte");
			free(bad);
		}
	}
	/* A tab and a newline in the middle of a carrier's name. */
	bad = edit(body, "\"carrier\":\"", "\",", "\t\",");
	assert_rejected(&w, bad, strlen(bad), "control byte");
	free(bad);
	bad = edit(body, "\"id\":\"", "-0", "\n0");
	assert_rejected(&w, bad, strlen(bad), "control byte");
	free(bad);
	/* Escaped, the same characters are fine where we do not read them. */
	bad = edit(body, "\"carrier\":\"", "\",", "\\t\\n\\u0001\",");
	assert_accepted(&w, bad, strlen(bad), 2);
	free(bad);
	free(body);
}
END_TEST

START_TEST(test_utf8)
{
	struct brc_workload w = workload();
	size_t len;
	char *body = render(&w, 4, &len), *bad;

	/* A lone continuation byte, an overlong '/', a surrogate, truncated. */
	static const char *const broken[] = { "\x80", "\xc0\xaf",
	                                      "\xed\xa0\x80", "\xe2\x82" };
	for (size_t k = 0; k < 4; k++) {
		struct brc_buf b = { 0 };

		brc_buf_printf(&b, "x%s\",", broken[k]);
		bad = edit(body, "\"carrier\":\"", "\",", b.data);
		assert_rejected(&w, bad, strlen(bad), "invalid UTF-8");
		free(bad);
		brc_buf_free(&b);
	}
	/* Valid multi-byte text in a name is accepted. */
	bad = edit(body, "\"carrier\":\"", "\",", "\xd0\x90\xe2\x82\xac\",");
	assert_accepted(&w, bad, strlen(bad), 4);
	free(bad);
	free(body);
}
END_TEST

/* What JSON allows around and inside the values we read. */
START_TEST(test_json_forms)
{
	struct brc_workload w = workload();
	size_t len;
	char *body = render(&w, 1, &len), *ok;
	struct brc_buf b = { 0 };

	brc_buf_printf(&b, " \r\n\t%s \n", body);
	assert_accepted(&w, b.data, b.len, 1);
	brc_buf_free(&b);
	/* free_seats as 1e1 or 10.0 is the count 10 ... */
	ok = edit(body, "\"free_seats\":", "\"free_seats\":",
	          "\"free_seats\":1e1,\"x\":");
	{
		struct brc_summary a, c;
		char why[256];

		ck_assert_int_eq(process_both(&w, ok, strlen(ok), &a, why,
		                              sizeof(why)), 0);
		free(ok);
		ok = edit(body, "\"free_seats\":", "\"free_seats\":",
		          "\"free_seats\":10.0,\"x\":");
		ck_assert_int_eq(process_both(&w, ok, strlen(ok), &c, why,
		                              sizeof(why)), 0);
		ck_assert_int_eq(a.free_seats, c.free_seats);
	}
	free(ok);
	/* ... but an escaped NUL inside the id is not an id of ours. */
	ok = edit(body, "\"id\":\"", "\",", "\\u0000\",");
	assert_rejected(&w, ok, strlen(ok), "trip 0: id missing");
	free(ok);
	/* Numbers JSON does not have. */
	ok = edit(body, "\"amount\":", "\"amount\":", "\"amount\":01");
	assert_rejected(&w, ok, strlen(ok), "not JSON (");
	free(ok);
	ok = edit(body, "\"amount\":", "\"amount\":", "\"amount\":+");
	assert_rejected(&w, ok, strlen(ok), "not JSON (");
	free(ok);
	/* Two documents, or a value after the object, are not one ticket. */
	brc_buf_printf(&b, "%s %s", body, body);
	assert_rejected(&w, b.data, b.len, "not JSON (");
	brc_buf_free(&b);
	free(body);
}
END_TEST

/* Every day of a workload with 1..200 trips, through both paths. */
START_TEST(test_roundtrip_sizes)
{
	struct brc_workload w = workload();

	w.trips_min = 0;
	w.trips_max = 200;
	for (int64_t i = 0; i < w.days; i++) {
		size_t len;
		char *body = render(&w, i, &len);

		assert_accepted(&w, body, len, i);
		free(body);
	}
}
END_TEST

/* Many threads at once: the parser pool hands each its own parser. */
#define N_THREADS 8
struct job {
	const struct brc_workload *w;
	int failures;
};

static void *parse_many(void *arg)
{
	struct job *j = arg;

	for (int64_t i = 0; i < 200; i++) {
		struct brc_summary got, want;
		char why[256];
		size_t len;
		char *body = render(j->w, i % j->w->days, &len);
		char *pad = brc_xmalloc(len + BRC_TICKET_PADDING);

		memcpy(pad, body, len);
		if (brc_ticket_process_padded(j->w, pad, len, &got, why,
		                              sizeof(why)))
			j->failures++;
		brc_ticket_expect(j->w, i % j->w->days, &want);
		if (brc_summary_check(&got, &want, why, sizeof(why)))
			j->failures++;
		free(pad);
		free(body);
	}
	return NULL;
}

START_TEST(test_threads)
{
	struct brc_workload w = workload();
	pthread_t t[N_THREADS];
	struct job j[N_THREADS];

	brc_ticket_warm(8192);
	for (int k = 0; k < N_THREADS; k++) {
		j[k] = (struct job){ &w, 0 };
		ck_assert_int_eq(pthread_create(&t[k], NULL, parse_many, &j[k]), 0);
	}
	for (int k = 0; k < N_THREADS; k++) {
		pthread_join(t[k], NULL);
		ck_assert_int_eq(j[k].failures, 0);
	}
}
END_TEST

/* The nesting pre-scan crosses strings with memchr; it must decide
 * exactly as the plain byte loop it replaced (kept here as the
 * reference), on random bodies made of the bytes that matter. */
static bool scan_reference(const char *body, size_t len, unsigned max,
                           size_t *at)
{
	unsigned depth = 0;
	bool in_string = false;

	for (size_t k = 0; k < len; k++) {
		char c = body[k];

		if (in_string) {
			if (c == '\\')
				k++;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"') {
			in_string = true;
		} else if (c == '[' || c == '{') {
			if (++depth > max) {
				*at = k;
				return false;
			}
		} else if ((c == ']' || c == '}') && depth) {
			depth--;
		}
	}
	return true;
}

START_TEST(test_scan_matches_byte_loop)
{
	static const char alphabet[] = "\"\\[]{}a";
	char body[48];
	unsigned seed = 1;

	for (int n = 0; n < 200000; n++) {
		size_t len = (size_t)(rand_r(&seed) % (int)sizeof(body));
		unsigned max = (unsigned)(rand_r(&seed) % 4);
		size_t at1 = 0, at2 = 0;
		bool a, b;

		for (size_t k = 0; k < len; k++)
			body[k] = alphabet[rand_r(&seed) % 7];
		a = scan_reference(body, len, max, &at1);
		b = brc_body_nesting_within(body, len, max, &at2);
		ck_assert_msg(a == b && at1 == at2, "'%.*s' max %u: %d/%zu vs "
		              "%d/%zu", (int)len, body, max, a, at1, b, at2);
	}
}
END_TEST

Suite *brc_suite_validate(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_control_bytes);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_json_forms);
	tcase_add_test(tc, test_roundtrip_sizes);
	tcase_add_test(tc, test_threads);
	tcase_add_test(tc, test_scan_matches_byte_loop);
	suite_add_tcase(s, tc);
	return s;
}
