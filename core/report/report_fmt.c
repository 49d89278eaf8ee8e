/*
 * report_fmt.c - humanized values for people: a metric in its unit, a mean
 * with its spread, and the display width of what we print.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>

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

const char *brc_fmt_time_pm(char *buf, size_t n, double mean, double sd)
{
	static const struct {
		double scale;
		const char *unit;
	} units[] = { { 1, "s" }, { 1e-3, "ms" }, { 1e-6, "us" }, { 1e-9, "ns" } };
	size_t u = 0;
	double m;
	int dec;

	if (isnan(mean))
		return brc_fmt_metric(buf, n, BR_MK_TIME, mean);
	while (u + 1 < BR_ARRAY_SIZE(units) && fabs(mean) < units[u].scale)
		u++;
	m = mean / units[u].scale;
	/* Three significant digits for the mean; the sd gets the same
	 * decimals so both line up and read as one measurement. */
	dec = fabs(m) >= 100 ? 0 : fabs(m) >= 10 ? 1 : 2;
	/* ...unless that rounds a real spread to "± 0": then show the sd's
	 * first digit ("128.0 ± 0.4 ms"). */
	while (dec < 3 && sd > 0 && sd / units[u].scale < 0.5 * pow(10, -dec))
		dec++;
	if (isnan(sd))
		snprintf(buf, n, "%.*f %s", dec, m, units[u].unit);
	else
		snprintf(buf, n, "%.*f ± %.*f %s", dec, m, dec,
		         sd / units[u].scale, units[u].unit);
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
