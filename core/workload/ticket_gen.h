/*
 * ticket_gen.h - internal to tickets.c/ticket_gen.c: the trip generator
 * that both the renderer (the server's bodies) and the validator's
 * expected summaries are computed from, plus the calendar arithmetic they
 * need.  Everything is a pure function of (seed, route, date, trip index).
 */
#ifndef BR_TICKET_GEN_H
#define BR_TICKET_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "scenario/scenario.h"

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t brc_gen_days_from_civil(int64_t y, int m, int d);
void brc_gen_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/* Parse a strict "YYYY-MM-DD" (years 1000..9999) into days since the
 * epoch; returns -1 when it is not a valid date. */
int brc_gen_parse_date(const char *s, int64_t *days);
/* Format days since the epoch as "YYYY-MM-DD" into buf (>= 11 bytes). */
void brc_gen_format_date(int64_t days, char *buf);

/* One day's constants, computed once per body. */
struct brc_gen_day {
	uint64_t key;          /* mixes seed, route and date            */
	int64_t n_trips;
	int64_t epoch_day;     /* days since 1970-01-01                 */
	const char *route;
	size_t route_len;
	char date[11];         /* "YYYY-MM-DD" of the day               */
	char next_date[11];    /* the day after (late arrivals)         */
	char compact[9];       /* "YYYYMMDD" for trip ids               */
	int base_duration;     /* minutes, the route's typical trip     */
};

/* One trip; strings point into static tables. */
struct brc_gen_trip {
	int departure;         /* minutes after midnight, < 1440        */
	int duration;          /* minutes                               */
	int64_t price_cents;
	int free_seats, seats;
	int stops;             /* shape duration and price only         */
	bool wifi;
	const char *carrier;
	const char *bus_model;
};

/* Set up day i of the workload; returns -1 when start_date is invalid. */
int brc_gen_day_init(const struct brc_workload *w, int64_t i,
                    struct brc_gen_day *d);

/* Trip k (0 <= k < n_trips) of the day.  Departures are non-decreasing
 * in k, so trip 0 leaves first. */
void brc_gen_trip(const struct brc_gen_day *d, int64_t k,
                 struct brc_gen_trip *t);

/* Trip k's id, "ROUTE-YYYYMMDD-007", into buf; returns its length.  buf
 * must hold route_len + 32 bytes. */
size_t brc_gen_trip_id(const struct brc_gen_day *d, int64_t k, char *buf);

#endif /* BR_TICKET_GEN_H */
