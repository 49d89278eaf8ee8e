/*
 * report_fmt.c - humanized values for people: a metric in its unit, a mean
 * with its 95% confidence interval, p-values and ratios to significant
 * digits (not fixed decimals), and the display width of what we print.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "report/report_util.h"

const char *brc_fmt_metric(char *buf, size_t n, enum brc_metric_kind kind,
                          double v)
{
	if (isnan(v)) {
		snprintf(buf, n, "-");
		return buf;
	}
	switch (kind) {
	case BR_MK_TIME:
		return brc_fmt_duration(buf, n, v);
	case BR_MK_SIZE:
		return brc_fmt_size(buf, n, v);
	case BR_MK_RATE:
		return brc_fmt_count(buf, n, v);
	case BR_MK_PERCENT:
		snprintf(buf, n, "%.0f%%", v * 100);
		return buf;
	}
	return buf;
}

/* Decimals that show v to `digits` significant digits (0 at least). */
static int sig_decimals(double v, int digits)
{
	int d;

	if (!(fabs(v) > 0) || !isfinite(v))
		return 0;
	d = digits - 1 - (int)floor(log10(fabs(v)));
	return d < 0 ? 0 : d;
}

const char *brc_fmt_sig(char *buf, size_t n, double v, int digits)
{
	if (isnan(v))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.*f", sig_decimals(v, digits), v);
	return buf;
}

const char *brc_fmt_time_pm(char *buf, size_t n, double mean, double half)
{
	static const struct {
		double scale;
		const char *unit;
	} units[] = { { 1, "s" }, { 1e-3, "ms" }, { 1e-6, "us" }, { 1e-9, "ns" } };
	size_t u = 0;
	double m, h;
	int dec;

	if (isnan(mean))
		return brc_fmt_metric(buf, n, BR_MK_TIME, mean);
	while (u + 1 < BR_ARRAY_SIZE(units) && fabs(mean) < units[u].scale)
		u++;
	m = mean / units[u].scale;
	if (isnan(half)) {
		/* Three significant digits for a mean alone. */
		snprintf(buf, n, "%.*f %s", sig_decimals(m, 3), m, units[u].unit);
		return buf;
	}
	/* The interval to two significant digits, the mean to the same
	 * decimal place (no digits the interval says are noise), but never
	 * fewer than the mean's own first two. */
	h = half / units[u].scale;
	dec = h > 0 ? sig_decimals(h, 2) : sig_decimals(m, 3);
	if (dec < sig_decimals(m, 2))
		dec = sig_decimals(m, 2);
	if (dec > 4)
		dec = 4;
	snprintf(buf, n, "%.*f ± %.*f %s", dec, m, dec, h, units[u].unit);
	return buf;
}

const char *brc_fmt_p(char *buf, size_t n, double p)
{
	int dec;

	if (isnan(p)) {
		snprintf(buf, n, "-");
		return buf;
	}
	if (p < 1e-4) {
		snprintf(buf, n, "< 0.0001");
		return buf;
	}
	/* Two significant digits, with more when rounding would land on the
	 * threshold itself: 0.0496 is below 0.05, and "0.050" would say it
	 * is not. */
	dec = sig_decimals(p, 2);
	while (dec < 6) {
		char tmp[32];

		snprintf(tmp, sizeof(tmp), "%.*f", dec, p);
		if (strtod(tmp, NULL) != BR_ALPHA || p == BR_ALPHA)
			break;
		dec++;
	}
	snprintf(buf, n, "%.*f", dec, p);
	return buf;
}

const char *brc_fmt_ratio_ci(char *buf, size_t n, double lo, double hi)
{
	/* Three significant digits each: "0.973-1.08", "8.36-13.8"; more
	 * when a bound would round onto 1 without being 1 (a significant
	 * "1.00-1.26" would look like it includes 1). */
	int dl = sig_decimals(lo, 3), dh = sig_decimals(hi, 3);
	char tmp[32];

	for (; dl < 6 && lo != 1; dl++) {
		snprintf(tmp, sizeof(tmp), "%.*f", dl, lo);
		if (strtod(tmp, NULL) != 1)
			break;
	}
	for (; dh < 6 && hi != 1; dh++) {
		snprintf(tmp, sizeof(tmp), "%.*f", dh, hi);
		if (strtod(tmp, NULL) != 1)
			break;
	}
	snprintf(buf, n, "%.*f-%.*f", dl, lo, dh, hi);
	return buf;
}

size_t brc_utf8_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}
