/*
 * arrival.c - the open model's schedule (see arrival.h).
 *
 * Times are accumulated in double seconds and rounded per request, so a
 * long constant schedule does not drift by the rounding of each gap: the
 * millionth request of a 1000 req/s schedule is due at exactly 1000 s.
 */
#include "config.h"

#include "workload/arrival.h"

#include <math.h>
#include <string.h>

#include "util.h"

/* Mixed into the seed so the arrivals are a stream of their own: the
 * same scenario seed also drives the tickets and the server's model. */
#define ARRIVAL_STREAM 0x61727269766c7321ULL /* "arrivls!" */

void brc_arrival_schedule(const struct brc_arrival *a, uint64_t seed,
                          size_t n, uint64_t *due)
{
	uint64_t state = seed ^ ARRIVAL_STREAM;
	double t = 0;

	if (!n)
		return;
	if (a->model != BR_ARRIVAL_OPEN || !(a->rate > 0)) {
		memset(due, 0, n * sizeof(*due));
		return;
	}
	due[0] = 0;
	for (size_t i = 1; i < n; i++) {
		if (a->process == BR_PROCESS_POISSON) {
			/* u in (0, 1]: -log(u) is finite. */
			double u = 1.0 - (double)(brc_splitmix64(&state) >> 11) *
			                 0x1.0p-53;

			t += -log(u) / a->rate;
		} else {
			t = (double)i / a->rate;
		}
		due[i] = (uint64_t)llround(t * 1e9);
		if (due[i] < due[i - 1])
			due[i] = due[i - 1];
	}
}
