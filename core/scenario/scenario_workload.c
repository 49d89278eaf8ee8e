/*
 * scenario_workload.c - the `workload:` section: how many days from which
 * date, the route, trips per ticket (a number or a min/max range), the
 * server's CPU per trip, the largest body and whether tickets are
 * validated; the open-model keys are scenario_arrival.c's.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "scenario/scenario_priv.h"

/* YYYY-MM-DD naming a real day. */
static bool valid_date(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30,
		                     31, 31, 30, 31, 30, 31 };
	int y, m, dd, n = 0;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &dd, &n) != 3 ||
	    n != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	if (y < 1 || m < 1 || m > 12 || dd < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return dd <= mdays[m - 1] + (m == 2 && leap);
}

/* Days from 0001-01-01 to a valid YYYY-MM-DD (Howard Hinnant's
 * days_from_civil, shifted). */
static int64_t day_number(const char *s)
{
	int y, m, dd;

	if (sscanf(s, "%4d-%2d-%2d", &y, &m, &dd) != 3)
		return 0;
	y -= m <= 2;
	int64_t era = y / 400, yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe;
}

static bool valid_route(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                 "0123456789_-") == strlen(s);
}

static void trips(struct brc_diag *d, const struct brc_ynode *wl,
                  struct brc_workload *w)
{
	static const char *const keys[] = { "min", "max" };
	const struct brc_ynode *t = brc_sc_child(wl, "trips");

	if (!t)
		return;
	if (t->kind != BR_YNODE_MAP) {
		if (brc_sc_int(d, wl, "workload", "trips", &w->trips_min, 1,
		              20000) > 0)
			w->trips_max = w->trips_min;
		return;
	}
	brc_sc_keys(d, t, "workload.trips", keys, BR_ARRAY_SIZE(keys));
	if (!brc_sc_child(t, "min") || !brc_sc_child(t, "max")) {
		brc_diag_add(d, &t->mark, "workload.trips",
		            "a range needs both 'min' and 'max'");
		return;
	}
	if (brc_sc_int(d, t, "workload.trips", "min", &w->trips_min, 1,
	              20000) > 0 &&
	    brc_sc_int(d, t, "workload.trips", "max", &w->trips_max, 1,
	              20000) > 0 &&
	    w->trips_min > w->trips_max)
		brc_diag_add(d, &brc_sc_child(t, "min")->mark,
		            "workload.trips.min", "min is larger than max");
}

void brc_sc_workload(struct brc_diag *d, const struct brc_ynode *root,
                     struct brc_workload *w)
{
	static const char *const keys[] = {
		"days", "start_date", "route", "trips", "cpu_us_per_trip",
		"max_body", "validate", "arrival", "duration",
	};
	const char *base = "workload";
	const struct brc_ynode *wl = brc_sc_map(d, root, "", base);
	bool days_given;

	w->days = 100;
	w->start_date = brc_xstrdup("2026-01-01");
	w->route = brc_xstrdup("MOW-LED");
	w->trips_min = w->trips_max = 20;
	w->max_body = 4 << 20;
	w->validate = true;
	if (!wl)
		return;
	brc_sc_keys(d, wl, base, keys, BR_ARRAY_SIZE(keys));
	days_given = brc_sc_int(d, wl, base, "days", &w->days, 0, 10000000) > 0;
	if (brc_sc_str(d, wl, base, "start_date", &w->start_date) > 0 &&
	    !valid_date(w->start_date))
		brc_diag_add(d, &brc_sc_child(wl, "start_date")->mark,
		            "workload.start_date",
		            "'%s' is not a valid date YYYY-MM-DD", w->start_date);
	/* Dates have four digits: the last day must be 9999-12-31 at the
	 * latest (tickets, export paths and checks all name the date). */
	else if (w->days > 0 && day_number(w->start_date) + w->days - 1 >
	                        day_number("9999-12-31"))
		brc_diag_add(d, &(brc_sc_child(wl, "days") ? brc_sc_child(wl, "days")
		                  : brc_sc_child(wl, "start_date") ? brc_sc_child(wl,
		                  "start_date") : wl)->mark, "workload.days",
		            "%" PRId64 " days from %s go past 9999-12-31, the "
		            "last date there is", w->days, w->start_date);
	if (brc_sc_str(d, wl, base, "route", &w->route) > 0 &&
	    !valid_route(w->route))
		brc_diag_add(d, &brc_sc_child(wl, "route")->mark,
		            "workload.route", "'%s': a route is 1 to 64 of "
		            "A-Z a-z 0-9 _ -", w->route);
	trips(d, wl, w);
	brc_sc_double(d, wl, base, "cpu_us_per_trip", &w->cpu_us_per_trip, 0,
	             1e6);
	brc_sc_size(d, wl, base, "max_body", &w->max_body, 1, (int64_t)1 << 30);
	brc_sc_bool(d, wl, base, "validate", &w->validate);
	brc_sc_arrival(d, wl, w, days_given);
}
