/*
 * ticket_render.c - a day's body as the server sends it, and the summary
 * the validator expects for it, both straight from the generator.
 *
 * The server renders a body per request at tens of thousands of requests
 * a second, so the JSON text is written with small digit/copy helpers into
 * memory reserved up front, several times faster than one snprintf per
 * trip (BENCHMARKS.md has the numbers).  Only fixed-table strings and
 * the route ([A-Za-z0-9_-], checked by the scenario parser) are written, so
 * nothing needs escaping.  Parsing is never done here: that is cJSON's job
 * in tickets.c.
 */
#include "config.h"

#include <string.h>

#include "workload/ticket_gen.h"
#include "workload/tickets.h"

/* Copy a string literal (sizeof, so no strlen at run time). */
#define PUT_LIT(p, s) ((p) = (char *)memcpy((p), (s), sizeof(s) - 1) + \
                                sizeof(s) - 1)

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

static char *put_uint(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

static char *put_bool(char *p, bool v)
{
	if (v)
		return PUT_LIT(p, "true");
	return PUT_LIT(p, "false");
}

/* "2026-01-01T06:40" from a date and minutes after its midnight. */
static char *put_time(char *p, const char *date, int minutes)
{
	memcpy(p, date, 10);
	p[10] = 'T';
	p = put2(p + 11, minutes / 60);
	*p++ = ':';
	return put2(p, minutes % 60);
}

/* Upper bound of one trip's text beyond its id, generous on purpose: the
 * longest carrier and bus model fit many times over. */
#define TRIP_MAX 512

static char *put_trip(char *p, const struct brc_gen_day *d, int64_t k)
{
	struct brc_gen_trip t;
	int arrival;

	brc_gen_trip(d, k, &t);
	arrival = t.departure + t.duration;
	PUT_LIT(p, "{\"id\":\"");
	p += brc_gen_trip_id(d, k, p);
	PUT_LIT(p, "\",\"carrier\":\"");
	p = put_str(p, t.carrier);
	PUT_LIT(p, "\",\"departure\":\"");
	p = put_time(p, d->date, t.departure);
	PUT_LIT(p, "\",\"arrival\":\"");
	p = put_time(p, arrival < 1440 ? d->date : d->next_date,
	             arrival % 1440);
	PUT_LIT(p, "\",\"duration_min\":");
	p = put_uint(p, (uint64_t)t.duration);
	/* Cents exactly: the integer part, a dot, two digits. */
	PUT_LIT(p, ",\"price\":{\"amount\":");
	p = put_uint(p, (uint64_t)(t.price_cents / 100));
	*p++ = '.';
	p = put2(p, (int)(t.price_cents % 100));
	PUT_LIT(p, ",\"currency\":\"EUR\"},\"free_seats\":");
	p = put_uint(p, (uint64_t)t.free_seats);
	PUT_LIT(p, ",\"bus\":{\"model\":\"");
	p = put_str(p, t.bus_model);
	PUT_LIT(p, "\",\"seats\":");
	p = put_uint(p, (uint64_t)t.seats);
	PUT_LIT(p, ",\"wifi\":");
	p = put_bool(p, t.wifi);
	*p++ = '}';
	*p++ = '}';
	return p;
}

/* Make room for `need` more bytes plus the terminating NUL. */
static void reserve(struct brc_buf *b, size_t need)
{
	if (b->len + need + 1 <= b->cap)
		return;
	b->cap = b->len + need + 1;
	b->data = brc_xrealloc(b->data, b->cap);
}

void brc_ticket_render(const struct brc_workload *w, int64_t i,
                      struct brc_buf *out)
{
	struct brc_gen_day d;
	size_t per_trip, need;
	char *p;

	if (brc_gen_day_init(w, i, &d)) {
		/* The scenario parser rejects bad dates; never crash on one. */
		brc_buf_append(out, "{}", 2);
		return;
	}
	per_trip = TRIP_MAX + 2 * d.route_len;
	need = 256 + d.route_len + (size_t)d.n_trips * per_trip;
	reserve(out, need);
	p = out->data + out->len;
	PUT_LIT(p, "{\"route\":\"");
	memcpy(p, d.route, d.route_len);
	p += d.route_len;
	PUT_LIT(p, "\",\"date\":\"");
	memcpy(p, d.date, 10);
	p += 10;
	PUT_LIT(p, "\",\"currency\":\"EUR\",\"trips\":[");
	for (int64_t k = 0; k < d.n_trips; k++) {
		if (k)
			*p++ = ',';
		p = put_trip(p, &d, k);
	}
	PUT_LIT(p, "]}\n");
	*p = '\0';
	out->len = (size_t)(p - out->data);
}

void brc_ticket_expect(const struct brc_workload *w, int64_t i,
                      struct brc_summary *out)
{
	struct brc_gen_day d;
	struct brc_gen_trip t;
	struct brc_buf id = { 0 };

	memset(out, 0, sizeof(*out));
	out->digest = BR_FNV_INIT;
	if (brc_gen_day_init(w, i, &d))
		return;
	out->date = d.epoch_day;
	out->trips = d.n_trips;
	reserve(&id, d.route_len + 32);
	for (int64_t k = 0; k < d.n_trips; k++) {
		size_t n = brc_gen_trip_id(&d, k, id.data);

		brc_gen_trip(&d, k, &t);
		out->digest = brc_fnv1a(id.data, n, out->digest);
		if (k == 0 || t.price_cents < out->cheapest_cents)
			out->cheapest_cents = t.price_cents;
		out->total_cents += t.price_cents;
		out->free_seats += t.free_seats;
		if (k == 0 || t.departure < out->first_departure)
			out->first_departure = t.departure;
	}
	brc_buf_free(&id);
}
