/* core.c - the core's own ticket processing (brc_ticket_process_padded:
 * simdjson parse + every field check + summary), on the same ticket, as a
 * strategy's done() pays it.  Linked against a build's libbrcore. */
#include "config.h"

#include "workload/tickets.h"
#include "common.h"

static struct brc_workload w = {
	.seed = 42, .days = 1, .start_date = (char *)"2026-01-01",
	.route = (char *)"MOW-LED", .trips_min = 20, .trips_max = 20,
	.max_body = 1 << 20, .validate = true,
};

static int one(struct sums *s)
{
	struct brc_summary got;
	char why[160];

	if (brc_ticket_process_padded(&w, doc, doc_len, &got, why, sizeof(why))) {
		fprintf(stderr, "%s\n", why);
		return -1;
	}
	s->trips += got.trips;
	s->seats += got.free_seats;
	return 0;
}
BENCH_MAIN("core", one)
