/*
 * tickets.c - what request i asks for (its date and URL) and what the core
 * does with every body received: parse and validate it (simdjson, through
 * ticket_json.h), summarise it, burn the scenario's per-trip CPU, and
 * compare the summary with the one the generator expects (ticket_render.c).
 *
 * Bodies come from the network and may be hostile or broken (the server's
 * truncate fault sends broken ones on purpose): the whole document is
 * validated before any field is read (UTF-8, control bytes in strings,
 * structure, numbers), every field is checked and every error names the
 * trip and the field.  Nesting is bounded by the parser itself, which
 * needs no stack per level (BRC_JSON_MAX_DEPTH, ticket_json.h); the walk
 * over the fields goes exactly as deep as a ticket (four levels) and no
 * deeper.  The parser is given the exact length so unterminated input
 * cannot overrun, and the body size is bounded by max_body before parsing.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workload/body_scan.h"
#include "workload/ticket_gen.h"
#include "workload/ticket_json.h"
#include "workload/tickets.h"

int brc_ticket_date(const struct brc_workload *w, int64_t i, char *buf)
{
	int64_t start;

	if (brc_gen_parse_date(w->start_date, &start))
		return -1;
	brc_gen_format_date(start + i, buf);
	return 0;
}

char *brc_ticket_url(const char *tmpl, const char *base,
                    const struct brc_workload *w, int64_t i)
{
	struct brc_buf b = { 0 };
	char date[11];
	const char *p = tmpl;

	brc_buf_append(&b, "", 0);
	while (*p) {
		const char *brace = strchr(p, '{');
		size_t len;
		int k;

		if (!brace) {
			brc_buf_append(&b, p, strlen(p));
			break;
		}
		brc_buf_append(&b, p, (size_t)(brace - p));
		p = brace;
		k = brc_url_placeholder_at(p, &len);
		switch (k) {
		case 0:
			brc_buf_append(&b, base ? base : "", base ? strlen(base) : 0);
			break;
		case 1:
			if (w->route)
				brc_buf_append(&b, w->route, strlen(w->route));
			break;
		case 2:
			if (brc_ticket_date(w, i, date))
				brc_buf_append(&b, "invalid-date", 12);
			else
				brc_buf_append(&b, date, 10);
			break;
		case 3:
			brc_buf_printf(&b, "%" PRId64, i);
			break;
		default: /* unknown: keep the brace, go on after it */
			brc_buf_append(&b, "{", 1);
			p++;
			continue;
		}
		p += len;
	}
	return b.data;
}

/* --- the CPU burner -------------------------------------------------- */

static pthread_once_t calibrate_once = PTHREAD_ONCE_INIT;
static double rounds_per_us;
/* Where the result goes so the loop is not optimised away; per thread so
 * that concurrent bodies do not race on it. */
static _Thread_local volatile uint64_t burn_sink;

/* A dependent multiply chain: it cannot be vectorised or folded, so its
 * cost per round is steady, and it touches no memory. */
static uint64_t spin(uint64_t rounds, uint64_t h)
{
	for (uint64_t r = 0; r < rounds; r++) {
		h ^= r;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void calibrate(void)
{
	double best = 0;

	/* Thread CPU time, not wall time, so being descheduled does not
	 * count; the best of three ignores a noisy attempt. */
	for (int attempt = 0; attempt < 3; attempt++) {
		uint64_t rounds = 1 << 14, t0, dt;

		for (;;) {
			t0 = brc_threadtime_ns();
			burn_sink = spin(rounds, burn_sink);
			dt = brc_threadtime_ns() - t0;
			if (dt >= 1000000 || rounds >= (1ULL << 40))
				break;
			rounds *= 2;
		}
		if (dt > 0 && (double)rounds * 1000.0 / (double)dt > best)
			best = (double)rounds * 1000.0 / (double)dt;
	}
	rounds_per_us = best > 0 ? best : 1000.0;
}

void brc_ticket_calibrate(void)
{
	pthread_once(&calibrate_once, calibrate);
}

static void burn_us(double us)
{
	if (us <= 0)
		return;
	brc_ticket_calibrate();
	burn_sink = spin((uint64_t)llround(us * rounds_per_us), burn_sink);
}

/* --- processing ------------------------------------------------------ */

_Static_assert(BRC_TICKET_PADDING >= BRC_JSON_PADDING,
               "the run context's padding must cover the parser's");

BR_PRINTF(3, 4) static int fail(char *why, size_t why_len,
                                const char *fmt, ...)
{
	va_list ap;

	if (why && why_len) {
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A non-negative whole number that fits a double exactly. */
static bool get_count(const struct brc_jnum *n, int64_t *v)
{
	if (!n->ok || n->v < 0 || n->v > 9007199254740992.0 ||
	    n->v != floor(n->v))
		return false;
	*v = (int64_t)n->v;
	return true;
}

/* A string field as a C string: NULL when missing, or when it holds a
 * "\u0000" of its own (no field of ours does). */
static const char *cstr(const struct brc_jstr *s)
{
	return s->s && strlen(s->s) == s->len ? s->s : NULL;
}

/* "YYYY-MM-DDTHH:MM" on `date` -> minutes after midnight, else -1.  A
 * "\u0000" in s fails one of the byte checks (date holds none). */
static int departure_minutes(const struct brc_jstr *dep, const char *date)
{
	const char *s = dep->s;
	int h, m;

	if (dep->len != 16 || memcmp(s, date, 10) || s[10] != 'T' ||
	    s[13] != ':' || s[11] < '0' || s[11] > '9' || s[12] < '0' ||
	    s[12] > '9' || s[14] < '0' || s[14] > '9' || s[15] < '0' ||
	    s[15] > '9')
		return -1;
	h = (s[11] - '0') * 10 + (s[12] - '0');
	m = (s[14] - '0') * 10 + (s[15] - '0');
	return h < 24 && m < 60 ? h * 60 + m : -1;
}

/* What the walk callbacks share. */
struct walk {
	const struct brc_workload *w;
	struct brc_summary *out;
	char date[11];          /* the body's date, checked by on_head */
	char *why;
	size_t why_len;
};

static int on_trip(void *ctx, int64_t k, const struct brc_jtrip *t)
{
	struct walk *wk = ctx;
	struct brc_summary *out = wk->out;
	char *why = wk->why;
	size_t why_len = wk->why_len;
	const char *id = cstr(&t->id);
	double cents, whole;
	int64_t seats, c;
	int minutes;

	if (!t->is_object)
		return fail(why, why_len, "trip %" PRId64 ": not an object", k);
	if (!id)
		return fail(why, why_len, "trip %" PRId64 ": id missing", k);
	if (!t->price_is_object || !t->amount.ok)
		return fail(why, why_len, "trip %" PRId64 ": price missing", k);
	/* Amounts are printed as whole cents ("23.50"); the nearest double
	 * times 100 is within far less than 1e-6 of an integer for any price
	 * below 2^40 cents, so anything else is not a price we sent. */
	cents = t->amount.v * 100.0;
	whole = nearbyint(cents);
	if (!(cents >= 0 && cents < 1e12) || fabs(cents - whole) > 1e-6)
		return fail(why, why_len, "trip %" PRId64 ": price %g is not "
		            "a whole number of cents", k, t->amount.v);
	/* Within 1e-6 of a whole number: no tie for the rounding mode to
	 * break, so this is llround(cents) without the libm call. */
	c = (int64_t)whole;
	if (!get_count(&t->free_seats, &seats))
		return fail(why, why_len, "trip %" PRId64 ": free_seats missing "
		            "or not a count", k);
	if (!cstr(&t->departure))
		return fail(why, why_len, "trip %" PRId64 ": departure missing", k);
	minutes = departure_minutes(&t->departure, wk->date);
	if (minutes < 0)
		return fail(why, why_len, "trip %" PRId64 ": departure '%.40s' "
		            "is not a time on %s", k, t->departure.s, wk->date);

	out->digest = brc_fnv1a(id, t->id.len, out->digest);
	if (out->trips == 0 || c < out->cheapest_cents)
		out->cheapest_cents = c;
	out->total_cents += c;
	out->free_seats += seats;
	if (out->trips == 0 || minutes < out->first_departure)
		out->first_departure = minutes;
	out->trips++;
	return 0;
}

static int on_head(void *ctx, const struct brc_jhead *h)
{
	struct walk *wk = ctx;
	const struct brc_workload *w = wk->w;
	char *why = wk->why;
	size_t why_len = wk->why_len;
	const char *route = cstr(&h->route), *date = cstr(&h->date);
	int64_t start, day;

	if (!h->is_object)
		return fail(why, why_len, "not a JSON object");
	if (!route)
		return fail(why, why_len, "no 'route'");
	if (w->route && strcmp(route, w->route))
		return fail(why, why_len, "route %s expected, got %.40s",
		            w->route, route);
	if (!date)
		return fail(why, why_len, "no 'date'");
	if (brc_gen_parse_date(date, &day))
		return fail(why, why_len, "date '%.40s' is not YYYY-MM-DD",
		            date);
	if (brc_gen_parse_date(w->start_date, &start) == 0 &&
	    (day < start || (w->days > 0 && day >= start + w->days)))
		return fail(why, why_len, "date %s is not a day of the workload "
		            "(%s + %" PRId64 " days)", date,
		            w->start_date, w->days);
	wk->out->date = day;
	/* A valid date is "YYYY-MM-DD": 10 bytes. */
	memcpy(wk->date, date, 10);
	wk->date[10] = '\0';
	if (!h->trips_is_array)
		return fail(why, why_len, "no 'trips' array");
	return 0;
}

static int process(const struct brc_workload *w, const char *body,
                   size_t len, bool padded, struct brc_summary *out,
                   char *why, size_t why_len)
{
	struct walk wk = { .w = w, .out = out, .why = why, .why_len = why_len };
	size_t deep;
	int rc;

	memset(out, 0, sizeof(*out));
	out->digest = BR_FNV_INIT;
	if (!body || len == 0)
		return fail(why, why_len, "empty body");
	if (w->max_body > 0 && len > (uint64_t)w->max_body)
		return fail(why, why_len, "body of %zu bytes is over max_body "
		            "(%" PRId64 ")", len, w->max_body);
	rc = brc_json_ticket(body, len, padded, on_head, on_trip, &wk, why,
	                     why_len);
	/* A refused body that nests too deep says so and where, whatever
	 * else is wrong with it (a run of '[' never closed is both). */
	if (rc == BRC_JSON_INVALID &&
	    !brc_body_nesting_within(body, len, BRC_JSON_MAX_DEPTH, &deep))
		return fail(why, why_len, "not a ticket (nested deeper than %d "
		            "levels at byte %zu)", BRC_JSON_MAX_DEPTH, deep);
	if (rc)
		return -1;
	burn_us(w->cpu_us_per_trip * (double)out->trips);
	return 0;
}

int brc_ticket_process(const struct brc_workload *w, const char *body,
                      size_t len, struct brc_summary *out, char *why,
                      size_t why_len)
{
	return process(w, body, len, false, out, why, why_len);
}

int brc_ticket_process_padded(const struct brc_workload *w, const char *body,
                             size_t len, struct brc_summary *out, char *why,
                             size_t why_len)
{
	return process(w, body, len, true, out, why, why_len);
}

void brc_ticket_warm(size_t body_len)
{
	brc_json_warm(body_len);
}

int brc_summary_check(const struct brc_summary *got,
                     const struct brc_summary *want, char *why,
                     size_t why_len)
{
	char a[11], b[11];

#define CHECK_FIELD(f, name)                                               \
	if (got->f != want->f)                                             \
		return fail(why, why_len, name " %" PRId64 " expected, got %"      \
		            PRId64, (int64_t)want->f, (int64_t)got->f)

	if (got->date && want->date && got->date != want->date) {
		brc_gen_format_date(want->date, a);
		brc_gen_format_date(got->date, b);
		return fail(why, why_len, "date %s expected, got %s", a, b);
	}
	CHECK_FIELD(trips, "trips");
	CHECK_FIELD(cheapest_cents, "cheapest");
	CHECK_FIELD(total_cents, "total price");
	CHECK_FIELD(free_seats, "free seats");
	CHECK_FIELD(first_departure, "first departure");
#undef CHECK_FIELD
	if (got->digest != want->digest)
		return fail(why, why_len, "trip ids differ (digest %016" PRIx64
		            " expected, got %016" PRIx64 ")", want->digest,
		            got->digest);
	return 0;
}
