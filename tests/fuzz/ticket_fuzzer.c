/*
 * ticket_fuzzer.c - libFuzzer target over the ticket body validator: bodies
 * from a hostile server (truncated, nested, not JSON, wrong types) must be
 * rejected with a reason, never crash.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "workload/tickets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct brc_workload w = {
		.seed = 1, .days = 10, .start_date = (char *)"2026-01-01",
		.route = (char *)"MOW-LED", .trips_min = 20, .trips_max = 20,
		.max_body = 1 << 20, .validate = true,
	};
	struct brc_summary got, want;
	char why[256];

	if (brc_ticket_process(&w, (const char *)data, size, &got, why,
	                      sizeof(why)) == 0) {
		brc_ticket_expect(&w, 0, &want);
		brc_summary_check(&got, &want, why, sizeof(why));
	}
	return 0;
}
