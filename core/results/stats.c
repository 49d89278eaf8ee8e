/*
 * stats.c - summaries, Student's t, outliers (see stats.h); ratios,
 * Welch's t-test and Holm's correction are in stats_compare.c.
 *
 * The formulas are the textbook ones; the only care taken is for the
 * small samples a benchmark has (3 to 10 runs): Student's t rather than
 * the normal distribution, the sample (n - 1) standard deviation, and
 * robust median/MAD statistics for outliers, because a single slow run
 * drags the mean and sd along with it.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "results/stats.h"
#include "util.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of a sorted array. */
static double sorted_median(const double *v, size_t n)
{
	if (n % 2)
		return v[n / 2];
	return (v[n / 2 - 1] + v[n / 2]) / 2;
}

void brc_stats_compute(const double *x, size_t n, struct brc_stats *s)
{
	double sum = 0, ss = 0;
	double *v;

	s->n = n;
	s->mean = s->sd = s->median = s->min = s->max = NAN;
	s->ci_lo = s->ci_hi = s->mad = NAN;
	if (n == 0)
		return;

	v = brc_xmalloc(n * sizeof(*v));
	memcpy(v, x, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_double);
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	s->mean = sum / (double)n;
	s->min = v[0];
	s->max = v[n - 1];
	s->median = sorted_median(v, n);

	for (size_t i = 0; i < n; i++)
		v[i] = fabs(v[i] - s->median);
	qsort(v, n, sizeof(*v), cmp_double);
	s->mad = sorted_median(v, n);
	free(v);

	if (n < 2)
		return;
	/* Two passes: the textbook one-pass formula loses digits when the
	 * spread is tiny next to the mean, as it is for stable runs. */
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - s->mean) * (x[i] - s->mean);
	s->sd = sqrt(ss / (double)(n - 1));
	double half = brc_t_quantile975((double)(n - 1)) * s->sd / sqrt((double)n);
	s->ci_lo = s->mean - half;
	s->ci_hi = s->mean + half;
}

double brc_stats_se(const struct brc_stats *s)
{
	if (s->n < 2)
		return NAN;
	return s->sd / sqrt((double)s->n);
}

/* t(0.975, df) for df = 1..30 (any statistics table). */
static const double t975[] = {
	12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060,
	2.2622, 2.2281, 2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199,
	2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687, 2.0639,
	2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
};

/* Beyond the table, t is close to linear in 1/df. */
static const struct {
	double df, t;
} t975_far[] = {
	{ 30, 2.0423 }, { 40, 2.0211 }, { 60, 2.0003 }, { 120, 1.9799 },
	{ INFINITY, 1.9600 },
};

static double lerp_inv(double df, double d0, double t0, double d1, double t1)
{
	double x0 = 1 / d0, x1 = isinf(d1) ? 0 : 1 / d1, x = 1 / df;

	return t0 + (t1 - t0) * (x - x0) / (x1 - x0);
}

double brc_t_quantile975(double df)
{
	if (!(df >= 1))
		return t975[0]; /* also NaN: the widest interval is the honest one */
	if (df <= 30) {
		size_t i = (size_t)floor(df);

		if (df == (double)i)
			return t975[i - 1];
		return lerp_inv(df, (double)i, t975[i - 1], (double)(i + 1),
		                t975[i]);
	}
	for (size_t i = 0; i + 1 < BR_ARRAY_SIZE(t975_far); i++)
		if (df <= t975_far[i + 1].df)
			return lerp_inv(df, t975_far[i].df, t975_far[i].t,
			                t975_far[i + 1].df, t975_far[i + 1].t);
	return 1.96;
}

/*
 * Continued fraction for the regularized incomplete beta function
 * (modified Lentz), valid for x < (a + 1) / (a + b + 2).
 */
static double beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1 / d;
	h = d;
	for (int m = 1; m <= 300; m++) {
		double m2 = 2.0 * m;
		double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));

		for (int k = 0; k < 2; k++) {
			d = 1 + num * d;
			if (fabs(d) < tiny)
				d = tiny;
			c = 1 + num / c;
			if (fabs(c) < tiny)
				c = tiny;
			d = 1 / d;
			h *= d * c;
			num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		}
		if (fabs(d * c - 1) < 1e-15)
			break;
	}
	return h;
}

static double incomplete_beta(double a, double b, double x)
{
	double front;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
	            b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_cf(a, b, x) / a;
	return 1 - front * beta_cf(b, a, 1 - x) / b;
}

double brc_t_pvalue(double t, double df)
{
	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(t))
		return 0;
	return incomplete_beta(df / 2, 0.5, df / (df + t * t));
}

size_t brc_stats_outliers(const double *x, size_t n, const struct brc_stats *s,
                         bool *flags)
{
	double limit = 3 * BR_MAD_SCALE * s->mad;
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		bool out = n >= 5 && s->mad > 0 &&
		           fabs(x[i] - s->median) > limit;

		if (flags)
			flags[i] = out;
		count += out;
	}
	return count;
}

bool brc_stats_slow_first(const double *x, size_t n, const struct brc_stats *s)
{
	if (n < 3)
		return false;
	if (n >= 5 && s->mad > 0 &&
	    x[0] > s->median + 3 * BR_MAD_SCALE * s->mad)
		return true;
	return x[0] > 1.5 * s->median;
}

bool brc_stats_precise(const struct brc_stats *s, double rel)
{
	if (s->n < BR_MIN_RUNS || !(s->mean > 0) || isnan(s->ci_hi))
		return false;
	return (s->ci_hi - s->ci_lo) / 2 <= rel * s->mean;
}
