/*
 * model.h - the server's behaviour model: per-request delay and faults,
 * deterministic in (seed, request index, attempt) so that every strategy
 * meets exactly the same latencies and failures.  The embedded server
 * uses it to serve, the runner to compute ideal times.
 */
#ifndef BR_MODEL_H
#define BR_MODEL_H

#include <stdint.h>

#include "scenario/scenario.h"

enum brc_fault {
	BR_FAULT_NONE = 0,
	BR_FAULT_ERROR,    /* answer faults.error_status           */
	BR_FAULT_RESET,    /* close the connection mid-response    */
	BR_FAULT_TRUNCATE, /* send a body cut short                */
};

/* Delay in seconds for request i's attempt-th try (attempt 0 first). */
double brc_model_delay(const struct brc_latency *m, uint64_t seed, uint64_t i,
                      uint32_t attempt);

/* The fault injected into request i's attempt-th try. */
enum brc_fault brc_model_fault(const struct brc_faults *f, uint64_t seed,
                             uint64_t i, uint32_t attempt);

/* Mean delay of the model, seconds (for the ideal time of a run). */
double brc_model_mean(const struct brc_latency *m);

/* Quantile q (0..1) of the delay distribution, seconds. */
double brc_model_quantile(const struct brc_latency *m, double q);

/*
 * The in-order ideal: the wall time a client with `concurrency` requests
 * in flight and no overhead needs for requests 0..n-1 (attempt 0) when it
 * starts them in index order, given the server's max_in_flight (0 =
 * unlimited): greedy list scheduling of the actual deterministic delays on
 * min(concurrency, max_in_flight) slots.  What real strategies do, so the
 * efficiency is measured against it; not a lower bound (see below).
 */
double brc_model_ideal(const struct brc_server *s, uint64_t seed, uint64_t n,
                      int64_t concurrency);

/*
 * The true lower bound on the same slots: no client, however it orders
 * its requests, finishes before the longest single delay, nor before the
 * total delay spread perfectly over the slots.  The in-order ideal above
 * can be ~20% above it when a long delay comes last.
 */
double brc_model_lower_bound(const struct brc_server *s, uint64_t seed,
                            uint64_t n, int64_t concurrency);

#endif /* BR_MODEL_H */
