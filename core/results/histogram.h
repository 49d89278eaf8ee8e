/*
 * histogram.h - a mergeable log-linear latency histogram with bounded
 * relative error, in the spirit of HdrHistogram.
 *
 * Values are nanoseconds.  Below 64 ns every value has its own counter;
 * above, each power of two [2^k, 2^(k+1)) is split into 64 equal
 * sub-buckets, so a value is known to within 1/64 (1.6 %) of itself and a
 * reported percentile (a sub-bucket's midpoint) to within 0.8 %.  The top
 * power covers 2^42 ns (73 min): values beyond are clamped into it, while
 * min, max and the mean stay exact.  One histogram is ~19 KiB; histograms
 * of the same shape merge exactly (threads, runs, repetitions).
 */
#ifndef BR_HISTOGRAM_H
#define BR_HISTOGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "results/results.h"

#define BR_HIST_SUB_BITS 6
#define BR_HIST_SUB      (1u << BR_HIST_SUB_BITS)   /* 64 sub-buckets   */
#define BR_HIST_MAX_LOG2 42                         /* 2^42 ns > 1 h    */
#define BR_HIST_BUCKETS \
	(BR_HIST_SUB + (BR_HIST_MAX_LOG2 - BR_HIST_SUB_BITS + 1) * BR_HIST_SUB)

struct brc_hist {
	uint64_t count;
	uint64_t min, max;      /* exact; min is UINT64_MAX when empty */
	uint64_t sum;           /* exact, ns (overflows after 584 years) */
	uint64_t counts[BR_HIST_BUCKETS];
};

void brc_hist_init(struct brc_hist *h);
void brc_hist_record(struct brc_hist *h, uint64_t ns);
/* dst += src. */
void brc_hist_merge(struct brc_hist *dst, const struct brc_hist *src);

/* The value at quantile q (0..1) in ns, 0 when empty: the midpoint of the
 * sub-bucket holding the ceil(q * count)-th smallest value, clamped to
 * [min, max]. */
uint64_t brc_hist_percentile(const struct brc_hist *h, double q);
/* Exact mean in ns, 0 when empty. */
double brc_hist_mean(const struct brc_hist *h);

/* Counter index of a value, and the value range [lo, hi] of a counter. */
size_t brc_hist_index(uint64_t ns);
uint64_t brc_hist_lowest(size_t idx);
uint64_t brc_hist_highest(size_t idx);

/* A histogram as JSON (hist_json.c): appended to parent under key, and
 * read back (0, or -1 with a static reason in *why: a results file is
 * untrusted).  Only non-empty counters are written. */
struct cJSON;
void brc_hist_to_json(struct cJSON *parent, const char *key,
                      const struct brc_hist *h);
int brc_hist_from_json(const struct cJSON *o, struct brc_hist *h,
                       const char **why);

/* Percentiles, mean, min, max in seconds, for a run's record. */
void brc_hist_summary(const struct brc_hist *h, struct brc_latency_summary *out);

#endif /* BR_HISTOGRAM_H */
