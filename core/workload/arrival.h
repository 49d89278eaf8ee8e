/*
 * arrival.h - the open model's schedule: when request i is due, in
 * nanoseconds after the run began, from the rate, the process and the
 * seed alone, so every strategy and every run of a scenario meets the
 * same arrivals (docs/open-model.md).
 */
#ifndef BR_ARRIVAL_H
#define BR_ARRIVAL_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/scenario.h"

/*
 * Fill due[0..n-1], non-decreasing, due[0] == 0.  Constant: i / rate.
 * Poisson: exponential gaps of mean 1 / rate drawn from a generator
 * seeded by `seed` (a stream of its own, not the tickets').  A closed
 * model or a rate <= 0 gives all zeros.
 */
void brc_arrival_schedule(const struct brc_arrival *a, uint64_t seed,
                          size_t n, uint64_t *due);

#endif /* BR_ARRIVAL_H */
