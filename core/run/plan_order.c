/*
 * plan_order.c - the order of the plan items within one round of
 * measured runs (runs.order, scenario.h).
 *
 * Interleaving is the default because machines drift: a thermal state, a
 * neighbour's cron job or a cache warmed by the previous strategy lasts
 * minutes.  Run all repetitions of A, then all of B, and that drift
 * becomes a "difference" between A and B; run A, B, A, B... and it is
 * spread over both.  The starting item rotates from round to round so no
 * strategy always runs right after the same other one; `random` shuffles
 * every round instead, reproducibly (the seed is the workload's).
 */
#include "config.h"

#include "run/plan.h"

/* splitmix64: small, good enough to shuffle a few items. */
static uint64_t mix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void brc_plan_order(size_t n, enum brc_run_order order, uint64_t seed,
                   size_t round, size_t *out)
{
	uint64_t s = seed ^ (0xd1b54a32d192ed03ULL * (round + 1));

	for (size_t k = 0; k < n; k++)
		out[k] = order == BR_ORDER_INTERLEAVED ? (k + round) % n : k;
	if (order != BR_ORDER_RANDOM)
		return;
	/* Fisher-Yates. */
	for (size_t k = n; k > 1; k--) {
		size_t j = (size_t)(mix(&s) % k), t = out[k - 1];

		out[k - 1] = out[j];
		out[j] = t;
	}
}
