/*
 * ticket_gen.c - the deterministic trip generator behind every ticket
 * body and every expected summary, and the calendar arithmetic for dates.
 *
 * A day's key mixes the seed with the route and the date string, never
 * with the day's index or the number of days, so day i is the same
 * whatever else the scenario says.  Trip k draws from its own SplitMix64
 * stream seeded by (day key, k): trips can be generated in any order, and
 * the renderer and the validator never need to agree on anything but this
 * file.
 */
#include "config.h"

#include <string.h>

#include "workload/ticket_gen.h"
#include "util.h"

static const char *const carriers[] = {
	"Ecolines", "FlixBus", "Lux Express", "Autolux", "Infobus",
	"Eurolines", "RegioJet", "Bus4You",
};

static const struct bus {
	const char *model;
	int seats;
} buses[] = {
	{ "Setra S 515 HD", 49 },
	{ "Mercedes-Benz Tourismo", 53 },
	{ "Neoplan Cityliner", 50 },
	{ "Volvo 9700", 48 },
	{ "Scania Touring HD", 51 },
	{ "Irizar i6", 55 },
	{ "Yutong ZK6122H9", 51 },
	{ "MAN Lion's Coach", 51 },
};

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar, no tables, no locale, no time zone. */
int64_t brc_gen_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void brc_gen_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n)
{
	int v = 0;

	for (int k = 0; k < n; k++) {
		if (s[k] < '0' || s[k] > '9')
			return -1;
		v = v * 10 + (s[k] - '0');
	}
	return v;
}

int brc_gen_parse_date(const char *s, int64_t *days)
{
	int y, m, d;
	int64_t y2;
	int m2, d2;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	*days = brc_gen_days_from_civil(y, m, d);
	/* Round-tripping rejects the 31st of short months and 29 Feb of
	 * common years without a table of month lengths. */
	brc_gen_civil_from_days(*days, &y2, &m2, &d2);
	return y2 == y && m2 == m && d2 == d ? 0 : -1;
}

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

void brc_gen_format_date(int64_t days, char *buf)
{
	int64_t y;
	int m, d;

	brc_gen_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 9999; /* unreachable from a validated start date */
	put2(buf, (int)(y / 100));
	put2(buf + 2, (int)(y % 100));
	buf[4] = '-';
	put2(buf + 5, m);
	buf[7] = '-';
	put2(buf + 8, d);
	buf[10] = '\0';
}

int brc_gen_day_init(const struct brc_workload *w, int64_t i,
                    struct brc_gen_day *d)
{
	int64_t start;
	uint64_t h, s;

	if (brc_gen_parse_date(w->start_date, &start))
		return -1;
	memset(d, 0, sizeof(*d));
	d->epoch_day = start + i;
	brc_gen_format_date(d->epoch_day, d->date);
	brc_gen_format_date(d->epoch_day + 1, d->next_date);
	memcpy(d->compact, d->date, 4);
	memcpy(d->compact + 4, d->date + 5, 2);
	memcpy(d->compact + 6, d->date + 8, 2);
	d->compact[8] = '\0';
	d->route = w->route ? w->route : "";
	d->route_len = strlen(d->route);

	h = brc_fnv1a(d->route, d->route_len, BR_FNV_INIT);
	/* A route's trips take about as long every day, whatever the seed:
	 * 4 to 14 hours.  The bound keeps every arrival on the next day at
	 * the latest (1439 + 839 + 5 * 15 + 59 < 2880). */
	d->base_duration = 240 + (int)(h % 600);
	h = brc_fnv1a("/", 1, h);
	h = brc_fnv1a(d->date, 10, h);
	s = w->seed ^ h;
	d->key = brc_splitmix64(&s);
	d->n_trips = w->trips_min;
	if (w->trips_max > w->trips_min)
		d->n_trips += (int64_t)(brc_splitmix64(&s) %
		              (uint64_t)(w->trips_max - w->trips_min + 1));
	if (d->n_trips < 0)
		d->n_trips = 0;
	return 0;
}

void brc_gen_trip(const struct brc_gen_day *d, int64_t k,
                 struct brc_gen_trip *t)
{
	uint64_t s = d->key ^ ((uint64_t)(k + 1) * 0xd1b54a32d192ed03ULL);
	uint64_t r1 = brc_splitmix64(&s);
	uint64_t r2 = brc_splitmix64(&s);
	int64_t lo = k * 1440 / d->n_trips;
	int64_t hi = (k + 1) * 1440 / d->n_trips;
	const struct bus *bus = &buses[(r1 >> 24) % BR_ARRAY_SIZE(buses)];

	/* Each trip leaves inside its own slice of the day, so departures
	 * come out sorted without sorting. */
	t->departure = (int)(lo + (hi > lo ? (int64_t)(r1 % (uint64_t)(hi - lo))
	                                   : 0));
	t->carrier = carriers[(r1 >> 16) % BR_ARRAY_SIZE(carriers)];
	t->bus_model = bus->model;
	t->seats = bus->seats;
	t->stops = (int)((r1 >> 40) % 6);
	t->wifi = (r1 >> 48) & 1;
	t->duration = d->base_duration + 15 * t->stops + (int)(r2 % 60);
	t->price_cents = 900 + 100 * t->stops + (int64_t)((r2 >> 8) % 7000);
	t->free_seats = (int)((r2 >> 32) % (uint64_t)(t->seats + 1));
}

size_t brc_gen_trip_id(const struct brc_gen_day *d, int64_t k, char *buf)
{
	char num[24];
	int n = 0;
	size_t len = 0;
	uint64_t v = (uint64_t)k;

	/* At least three digits, like "007", without snprintf: the validator
	 * formats every id of every body. */
	do {
		num[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v || n < 3);
	memcpy(buf, d->route, d->route_len);
	len = d->route_len;
	buf[len++] = '-';
	memcpy(buf + len, d->compact, 8);
	len += 8;
	buf[len++] = '-';
	while (n)
		buf[len++] = num[--n];
	buf[len] = '\0';
	return len;
}
