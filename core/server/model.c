/*
 * model.c - the server's latency and fault model: a delay and a fault per
 * (seed, request, attempt), the delay distribution's analytic mean and
 * quantiles, and the ideal wall time of a run.
 *
 * Every draw is brc_unit_from_key of its own salted key, never a shared
 * generator state, so the server's threads can draw in any order and the
 * runner can recompute the very same delays to compute ideal times.  The
 * delay, the tail and the fault use different salts: whether a request
 * fails is independent of how slow it is.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "server/model.h"
#include "util.h"

/* Salts separating the independent draws of one (i, attempt). */
#define SALT_DELAY1 0x6c61742d6131ULL /* "lat-a1" */
#define SALT_DELAY2 0x6c61742d6132ULL
#define SALT_TAIL   0x7461696c2d31ULL
#define SALT_FAULT  0x6661756c7431ULL

/* z of the standard normal at 0.99: lognormal sigma from median and p99. */
#define Z99 2.3263478740408408

static double lognormal_sigma(const struct brc_latency *m)
{
	if (m->sigma > 0)
		return m->sigma;
	if (m->median > 0 && m->p99 > m->median)
		return log(m->p99 / m->median) / Z99;
	return 0;
}

/* A standard normal variate by Box-Muller from two keyed uniforms. */
static double std_normal(uint64_t seed, uint64_t i, uint32_t attempt)
{
	double u1 = brc_unit_from_key(seed ^ SALT_DELAY1, i, attempt);
	double u2 = brc_unit_from_key(seed ^ SALT_DELAY2, i, attempt);

	/* 1 - u1 is in (0, 1], so the log is finite. */
	return sqrt(-2.0 * log(1.0 - u1)) * cos(2.0 * M_PI * u2);
}

static double base_delay(const struct brc_latency *m, uint64_t seed,
                         uint64_t i, uint32_t attempt)
{
	double u = brc_unit_from_key(seed ^ SALT_DELAY1, i, attempt);
	double v;

	switch (m->model) {
	case BR_LAT_FIXED:
		return m->value;
	case BR_LAT_UNIFORM:
		return m->min + u * (m->max - m->min);
	case BR_LAT_NORMAL:
		v = m->mean + m->stddev * std_normal(seed, i, attempt);
		return v > 0 ? v : 0;
	case BR_LAT_LOGNORMAL:
		return m->median * exp(lognormal_sigma(m) *
		                       std_normal(seed, i, attempt));
	case BR_LAT_EXPONENTIAL:
		return -m->mean * log(1.0 - u);
	case BR_LAT_NONE:
	default:
		return 0;
	}
}

double brc_model_delay(const struct brc_latency *m, uint64_t seed, uint64_t i,
                      uint32_t attempt)
{
	double d = base_delay(m, seed, i, attempt);

	if (m->tail_fraction > 0 && m->tail_factor > 0 &&
	    brc_unit_from_key(seed ^ SALT_TAIL, i, attempt) < m->tail_fraction)
		d *= m->tail_factor;
	return d;
}

enum brc_fault brc_model_fault(const struct brc_faults *f, uint64_t seed,
                             uint64_t i, uint32_t attempt)
{
	double u = brc_unit_from_key(seed ^ SALT_FAULT, i, attempt);

	/* One draw split into consecutive intervals: the rates are exact
	 * shares and a request gets at most one fault. */
	if (u < f->error_rate)
		return BR_FAULT_ERROR;
	u -= f->error_rate;
	if (u < f->reset_rate)
		return BR_FAULT_RESET;
	u -= f->reset_rate;
	if (u < f->truncate_rate)
		return BR_FAULT_TRUNCATE;
	return BR_FAULT_NONE;
}

static double std_normal_cdf(double x)
{
	return 0.5 * erfc(-x / M_SQRT2);
}

static double std_normal_pdf(double x)
{
	return exp(-0.5 * x * x) / sqrt(2.0 * M_PI);
}

/* Cumulative distribution of the base (tail-less) delay at x >= 0. */
static double base_cdf(const struct brc_latency *m, double x)
{
	double s;

	switch (m->model) {
	case BR_LAT_FIXED:
		return x >= m->value ? 1 : 0;
	case BR_LAT_UNIFORM:
		if (m->max <= m->min)
			return x >= m->min ? 1 : 0;
		return x <= m->min ? 0 : x >= m->max ? 1 :
		       (x - m->min) / (m->max - m->min);
	case BR_LAT_NORMAL:
		/* Clamping puts the negative mass at 0. */
		if (m->stddev <= 0)
			return x >= m->mean ? 1 : 0;
		return std_normal_cdf((x - m->mean) / m->stddev);
	case BR_LAT_LOGNORMAL:
		s = lognormal_sigma(m);
		if (x <= 0)
			return 0;
		if (s <= 0)
			return x >= m->median ? 1 : 0;
		return std_normal_cdf(log(x / m->median) / s);
	case BR_LAT_EXPONENTIAL:
		return m->mean > 0 ? 1 - exp(-x / m->mean) : 1;
	case BR_LAT_NONE:
	default:
		return 1;
	}
}

static double cdf(const struct brc_latency *m, double x)
{
	double f = m->tail_fraction > 0 && m->tail_factor > 0 ?
	           m->tail_fraction : 0;
	double slow = f > 0 ? base_cdf(m, x / m->tail_factor) : 0;

	return (1 - f) * base_cdf(m, x) + f * slow;
}

double brc_model_quantile(const struct brc_latency *m, double q)
{
	double lo = 0, hi = 1e-3;

	if (q <= 0)
		q = 0;
	if (q >= 1)
		q = 1 - 1e-12;
	/* No closed form once a tail is mixed in (and clamping makes the
	 * normal's inverse awkward), so bisect the CDF: monotone, cheap,
	 * and exact to far below a microsecond. */
	while (cdf(m, hi) < q && hi < 1e9)
		hi *= 2;
	for (int k = 0; k < 200 && hi - lo > 1e-12 * (1 + hi); k++) {
		double mid = 0.5 * (lo + hi);

		if (cdf(m, mid) < q)
			lo = mid;
		else
			hi = mid;
	}
	return q == 0 ? 0 : hi;
}

double brc_model_mean(const struct brc_latency *m)
{
	double mean, s, r;

	switch (m->model) {
	case BR_LAT_FIXED:
		mean = m->value;
		break;
	case BR_LAT_UNIFORM:
		mean = 0.5 * (m->min + m->max);
		break;
	case BR_LAT_NORMAL:
		/* E[max(0, X)] for X ~ N(mean, stddev). */
		if (m->stddev <= 0) {
			mean = m->mean > 0 ? m->mean : 0;
			break;
		}
		r = m->mean / m->stddev;
		mean = m->mean * std_normal_cdf(r) +
		       m->stddev * std_normal_pdf(r);
		break;
	case BR_LAT_LOGNORMAL:
		s = lognormal_sigma(m);
		mean = m->median * exp(0.5 * s * s);
		break;
	case BR_LAT_EXPONENTIAL:
		mean = m->mean;
		break;
	case BR_LAT_NONE:
	default:
		mean = 0;
		break;
	}
	if (m->tail_fraction > 0 && m->tail_factor > 0)
		mean *= 1 - m->tail_fraction + m->tail_fraction * m->tail_factor;
	return mean;
}

/* A binary min-heap of slot finish times. */
static void sift_down(double *h, size_t n, size_t k)
{
	for (;;) {
		size_t c = 2 * k + 1;
		double t;

		if (c >= n)
			return;
		if (c + 1 < n && h[c + 1] < h[c])
			c++;
		if (h[k] <= h[c])
			return;
		t = h[k];
		h[k] = h[c];
		h[c] = t;
		k = c;
	}
}

/*
 * Requests start in index order, each on the slot that frees first (the
 * heap's root, replaced by its new finish time), which is what a client
 * keeping `slots` requests in flight does.  Transfer time, connection setup
 * and client CPU are ignored: this is the bound set by the server's delays
 * alone, which real runs approach from above.
 */
double brc_model_ideal(const struct brc_server *s, uint64_t seed, uint64_t n,
                      int64_t concurrency)
{
	uint64_t slots = concurrency > 0 ? (uint64_t)concurrency : n;
	double makespan = 0, *heap;

	if (s->max_in_flight > 0 && (uint64_t)s->max_in_flight < slots)
		slots = (uint64_t)s->max_in_flight;
	if (slots > n)
		slots = n;
	if (n == 0)
		return 0;
	/* All slots start free: zeroes are a valid heap. */
	heap = brc_xcalloc(slots, sizeof(*heap));
	for (uint64_t i = 0; i < n; i++) {
		heap[0] += brc_model_delay(&s->latency, seed, i, 0);
		if (heap[0] > makespan)
			makespan = heap[0];
		sift_down(heap, slots, 0);
	}
	free(heap);
	return makespan;
}

double brc_model_lower_bound(const struct brc_server *s, uint64_t seed,
                            uint64_t n, int64_t concurrency)
{
	uint64_t slots = concurrency > 0 ? (uint64_t)concurrency : n;
	double total = 0, longest = 0;

	if (s->max_in_flight > 0 && (uint64_t)s->max_in_flight < slots)
		slots = (uint64_t)s->max_in_flight;
	if (slots > n)
		slots = n;
	if (n == 0)
		return 0;
	for (uint64_t i = 0; i < n; i++) {
		double d = brc_model_delay(&s->latency, seed, i, 0);

		total += d;
		if (d > longest)
			longest = d;
	}
	return total / (double)slots > longest ? total / (double)slots : longest;
}
