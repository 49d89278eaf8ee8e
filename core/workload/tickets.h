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
struct brc_summary {
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
int brc_ticket_date(const struct brc_workload *w, int64_t i, char *buf);

/* The URL of request i from the template ("{base}", "{route}", "{date}",
 * "{i}" are replaced); malloc'd. */
char *brc_ticket_url(const char *tmpl, const char *base,
                    const struct brc_workload *w, int64_t i);

/* The body the server sends for day i (JSON), appended to out. */
void brc_ticket_render(const struct brc_workload *w, int64_t i,
                      struct brc_buf *out);

/* The expected summary of day i, without rendering or parsing JSON. */
void brc_ticket_expect(const struct brc_workload *w, int64_t i,
                      struct brc_summary *out);

/*
 * Prepare a received body for processing: parse and fully validate it
 * (simdjson: UTF-8, no raw control bytes in strings), summarise it, and
 * burn workload.cpu_us_per_trip of real CPU per trip.  Returns 0 and
 * fills *out, or -1 with a short reason in why (e.g. "not JSON (invalid
 * UTF-8)", "no 'trips' array").
 */
int brc_ticket_process(const struct brc_workload *w, const char *body,
                      size_t len, struct brc_summary *out, char *why,
                      size_t why_len);

/* The same, for a body followed by BRC_TICKET_PADDING readable bytes (any
 * content): parsed in place instead of copied first.  The run context
 * keeps its body buffers this way. */
#define BRC_TICKET_PADDING 64
int brc_ticket_process_padded(const struct brc_workload *w, const char *body,
                             size_t len, struct brc_summary *out, char *why,
                             size_t why_len);

/* Size the parser for bodies of about body_len bytes now, outside the
 * measured window (optional: the parser grows on first use). */
void brc_ticket_warm(size_t body_len);

/* Calibrate the CPU burner of cpu_us_per_trip now (a few ms, once per
 * process) so that it is not charged to the first measured body.
 * Optional: brc_ticket_process calibrates on first use. */
void brc_ticket_calibrate(void);

/* Compare; returns 0 when equal, else -1 with what differs in why. */
int brc_summary_check(const struct brc_summary *got,
                     const struct brc_summary *want, char *why,
                     size_t why_len);

/* The canonical text form of a summary (plugin.h done_summary):
 * "trips=20 cheapest=1250 total=48210 seats=311 first=365 digest=<16 hex>".
 * format returns buf; parse returns 0, or -1 with the reason in why. */
const char *brc_summary_format(const struct brc_summary *s, char *buf,
                              size_t n);
int brc_summary_parse(const char *text, struct brc_summary *out, char *why,
                     size_t why_len);

#endif /* BR_TICKETS_H */
