/*
 * histogram.c - the log-linear latency histogram (see histogram.h).
 *
 * Index layout: values 0..63 map to themselves; a value v >= 64 with its
 * highest bit at position k (6 <= k <= 42) maps to 64 + (k - 6) * 64 + the
 * six bits below the highest one.  Finding k is one count-leading-zeros,
 * so recording is a handful of instructions and needs no locking when each
 * thread owns its histogram.
 */
#include "config.h"

#include "results/histogram.h"

#include <math.h>
#include <string.h>

void brc_hist_init(struct brc_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

size_t brc_hist_index(uint64_t ns)
{
	unsigned k;

	if (ns < BR_HIST_SUB)
		return (size_t)ns;
	if (ns >> (BR_HIST_MAX_LOG2 + 1))
		return BR_HIST_BUCKETS - 1;
	k = 63u - (unsigned)__builtin_clzll(ns);
	return BR_HIST_SUB + (size_t)(k - BR_HIST_SUB_BITS) * BR_HIST_SUB +
	       (size_t)((ns >> (k - BR_HIST_SUB_BITS)) & (BR_HIST_SUB - 1));
}

uint64_t brc_hist_lowest(size_t idx)
{
	size_t level, sub;

	if (idx < BR_HIST_SUB)
		return idx;
	level = (idx - BR_HIST_SUB) / BR_HIST_SUB; /* k - 6 */
	sub = (idx - BR_HIST_SUB) % BR_HIST_SUB;
	return ((uint64_t)(BR_HIST_SUB + sub)) << level;
}

uint64_t brc_hist_highest(size_t idx)
{
	size_t level;

	if (idx < BR_HIST_SUB)
		return idx;
	level = (idx - BR_HIST_SUB) / BR_HIST_SUB;
	return brc_hist_lowest(idx) + ((uint64_t)1 << level) - 1;
}

void brc_hist_record(struct brc_hist *h, uint64_t ns)
{
	h->counts[brc_hist_index(ns)]++;
	h->count++;
	h->sum += ns;
	if (ns < h->min)
		h->min = ns;
	if (ns > h->max)
		h->max = ns;
}

void brc_hist_merge(struct brc_hist *dst, const struct brc_hist *src)
{
	if (!src->count)
		return;
	for (size_t i = 0; i < BR_HIST_BUCKETS; i++)
		dst->counts[i] += src->counts[i];
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

uint64_t brc_hist_percentile(const struct brc_hist *h, double q)
{
	uint64_t rank, seen = 0, mid;

	if (!h->count)
		return 0;
	if (q <= 0)
		return h->min;
	if (q >= 1)
		return h->max;
	/* The smallest value with at least q of the values at or below it. */
	rank = (uint64_t)ceil(q * (double)h->count);
	if (rank < 1)
		rank = 1;
	for (size_t i = 0; i < BR_HIST_BUCKETS; i++) {
		seen += h->counts[i];
		if (seen < rank)
			continue;
		mid = brc_hist_lowest(i) +
		      (brc_hist_highest(i) - brc_hist_lowest(i)) / 2;
		if (mid < h->min)
			mid = h->min;
		if (mid > h->max)
			mid = h->max;
		return mid;
	}
	return h->max;
}

double brc_hist_mean(const struct brc_hist *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0.0;
}

void brc_hist_summary(const struct brc_hist *h, struct brc_latency_summary *out)
{
	memset(out, 0, sizeof(*out));
	out->count = h->count;
	if (!h->count)
		return;
	out->p50 = (double)brc_hist_percentile(h, 0.50) / 1e9;
	out->p90 = (double)brc_hist_percentile(h, 0.90) / 1e9;
	out->p99 = (double)brc_hist_percentile(h, 0.99) / 1e9;
	out->p999 = (double)brc_hist_percentile(h, 0.999) / 1e9;
	out->max = (double)h->max / 1e9;
	out->min = (double)h->min / 1e9;
	out->mean = brc_hist_mean(h) / 1e9;
}
