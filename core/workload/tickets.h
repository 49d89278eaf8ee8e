/*
 * tickets.h - the deterministic ticket workload: what request i is, what
 * its body is, what its summary must be, and the "prepare for processing"
 * work the core does on every received body.
 *
 * Request i is day i: date = start_date + i days on workload.route.  Its
 * trips are generated from (seed, route, date) only, so the same scenario
 * always produces the same bytes, on the server and in the validator.
 */
#ifndef BR_TICKETS_H
#define BR_TICKETS_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/scenario.h"
#include "util.h"

/* The summary of one day, computed from a parsed body or the generator. */
struct br_summary {
	int64_t trips;
	int64_t cheapest_cents;     /* lowest price, in cents          */
	int64_t total_cents;        /* sum of prices                   */
	int64_t free_seats;         /* sum over trips                  */
	int64_t first_departure;    /* minutes after midnight          */
	uint64_t digest;            /* FNV-1a over the trip ids        */
	int64_t date;               /* the body's "date", days since
	                               1970-01-01; 0 = unknown (the text
	                               form has none): not compared  */
};

/* The date string "YYYY-MM-DD" of day i into buf (>= 11 bytes). Returns -1
 * when start_date is invalid. */
int br_ticket_date(const struct br_workload *w, int64_t i, char *buf);

/* The URL of request i from the template ("{base}", "{route}", "{date}",
 * "{i}" are replaced); malloc'd. */
char *br_ticket_url(const char *tmpl, const char *base,
                    const struct br_workload *w, int64_t i);

/* The body the server sends for day i (JSON), appended to out. */
void br_ticket_render(const struct br_workload *w, int64_t i,
                      struct br_buf *out);

/* The expected summary of day i, without rendering or parsing JSON. */
void br_ticket_expect(const struct br_workload *w, int64_t i,
                      struct br_summary *out);

/*
 * Prepare a received body for processing: parse it (cJSON), summarise it,
 * and burn workload.cpu_us_per_trip of real CPU per trip.  Returns 0 and
 * fills *out, or -1 with a short reason in why (e.g. "not JSON at byte
 * 17", "no 'trips' array").
 */
int br_ticket_process(const struct br_workload *w, const char *body,
                      size_t len, struct br_summary *out, char *why,
                      size_t why_len);

/* Calibrate the CPU burner of cpu_us_per_trip now (a few ms, once per
 * process) so that it is not charged to the first measured body.
 * Optional: br_ticket_process calibrates on first use. */
void br_ticket_calibrate(void);

/* Compare; returns 0 when equal, else -1 with what differs in why. */
int br_summary_check(const struct br_summary *got,
                     const struct br_summary *want, char *why,
                     size_t why_len);

/* The canonical text form of a summary (plugin.h done_summary):
 * "trips=20 cheapest=1250 total=48210 seats=311 first=365 digest=<16 hex>".
 * format returns buf; parse returns 0, or -1 with the reason in why. */
const char *br_summary_format(const struct br_summary *s, char *buf,
                              size_t n);
int br_summary_parse(const char *text, struct br_summary *out, char *why,
                     size_t why_len);

#endif /* BR_TICKETS_H */
