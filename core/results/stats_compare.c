/*
 * stats_compare.c - two samples side by side: the ratio of their means
 * with a 95% confidence interval, Welch's t-test, and the Holm-Bonferroni
 * correction when many comparisons are made at once (see stats.h).
 *
 * The ratio's interval is computed on the log scale because a ratio is
 * not symmetric: 2x slower and 2x faster are equally far from 1 in log
 * terms, and an interval built on the ratio itself with a symmetric +- can
 * reach below zero for noisy samples.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "results/stats.h"
#include "util.h"

struct brc_ratio brc_stats_ratio(const struct brc_stats *a,
                               const struct brc_stats *b)
{
	struct brc_ratio r = { a->mean / b->mean, NAN, NAN, NAN, NAN };
	double va, vb, v, t;

	if (a->n < 2 || b->n < 2 || !(a->mean > 0) || !(b->mean > 0))
		return r;
	/* Variance of log(mean) by the delta method: (sd / mean)^2 / n. */
	va = a->sd * a->sd / (a->mean * a->mean) / (double)a->n;
	vb = b->sd * b->sd / (b->mean * b->mean) / (double)b->n;
	v = va + vb;
	if (v == 0) {
		/* Perfectly repeatable runs: any difference is real. */
		r.lo = r.hi = r.value;
		r.p = r.value == 1 ? 1 : 0;
		r.df = (double)(a->n + b->n - 2);
		return r;
	}
	r.df = v * v / (va * va / (double)(a->n - 1) +
	                vb * vb / (double)(b->n - 1));
	t = brc_t_quantile975(r.df);
	r.lo = r.value * exp(-t * sqrt(v));
	r.hi = r.value * exp(t * sqrt(v));
	r.p = brc_t_pvalue(log(r.value) / sqrt(v), r.df);
	return r;
}

struct brc_welch brc_stats_welch(const struct brc_stats *a,
                               const struct brc_stats *b)
{
	struct brc_welch w = { NAN, NAN, NAN, BR_SIGNIF_UNKNOWN };
	double va, vb, v;

	if (a->n < 2 || b->n < 2)
		return w;
	va = a->sd * a->sd / (double)a->n;
	vb = b->sd * b->sd / (double)b->n;
	v = va + vb;
	if (v == 0) {
		/* Perfectly repeatable runs: any difference is real. */
		w.p = a->mean == b->mean ? 1 : 0;
		w.t = a->mean == b->mean ? 0 : copysign(INFINITY, a->mean - b->mean);
		w.df = (double)(a->n + b->n - 2);
	} else {
		w.t = (a->mean - b->mean) / sqrt(v);
		/* Welch-Satterthwaite degrees of freedom. */
		w.df = v * v / (va * va / (double)(a->n - 1) +
		                vb * vb / (double)(b->n - 1));
		w.p = brc_t_pvalue(w.t, w.df);
	}
	w.verdict = w.p < BR_ALPHA ? BR_SIGNIF_YES : BR_SIGNIF_NO;
	return w;
}

struct ranked {
	double p;
	size_t i;
};

static int cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->p != y->p)
		return (x->p > y->p) - (x->p < y->p);
	return (x->i > y->i) - (x->i < y->i);
}

size_t brc_stats_holm(const double *p, size_t n, double alpha, bool *reject)
{
	struct ranked *r = brc_xcalloc(n + 1, sizeof(*r));
	size_t m = 0, count = 0;

	for (size_t i = 0; i < n; i++) {
		reject[i] = false;
		if (!isnan(p[i]))
			r[m++] = (struct ranked){ p[i], i };
	}
	qsort(r, m, sizeof(*r), cmp_ranked);
	/* Step down: the k-th smallest p must beat alpha / (m - k); the
	 * first that does not stops the procedure. */
	for (size_t k = 0; k < m; k++) {
		if (!(r[k].p < alpha / (double)(m - k)))
			break;
		reject[r[k].i] = true;
		count++;
	}
	free(r);
	return count;
}
