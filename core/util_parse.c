/*
 * util_parse.c - the value syntax of scenarios and plugin parameters
 * (integers, numbers, booleans, sizes, durations) and its human-readable
 * printing (see util.h).
 */
#include "config.h"

#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Copy s without surrounding blanks and '_' digit separators into buf. */
static int trim_copy(const char *s, char *buf, size_t n, const char **why)
{
	size_t len;

	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (!len) {
		*why = "empty value";
		return -1;
	}
	if (len >= n) {
		*why = "value too long";
		return -1;
	}
	size_t j = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] != '_')
			buf[j++] = s[i];
	buf[j] = '\0';
	return 0;
}

int brc_parse_int(const char *s, int64_t *out, const char **why)
{
	char buf[64], *end;
	long long v;

	if (trim_copy(s, buf, sizeof(buf), why))
		return -1;
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (*end || end == buf) {
		*why = "not an integer";
		return -1;
	}
	if (errno == ERANGE) {
		*why = "integer out of range";
		return -1;
	}
	*out = v;
	return 0;
}

int brc_parse_double(const char *s, double *out, const char **why)
{
	char buf[64], *end;
	double v;

	if (trim_copy(s, buf, sizeof(buf), why))
		return -1;
	errno = 0;
	v = strtod(buf, &end);
	if (*end || end == buf || !isfinite(v)) {
		*why = "not a number";
		return -1;
	}
	if (errno == ERANGE) {
		*why = "number out of range";
		return -1;
	}
	*out = v;
	return 0;
}

int brc_parse_bool(const char *s, bool *out, const char **why)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	char buf[16];

	if (trim_copy(s, buf, sizeof(buf), why)) {
		*why = "not a boolean (true/false)";
		return -1;
	}
	for (size_t i = 0; i < BR_ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(buf, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(buf, no[i])) {
			*out = false;
			return 0;
		}
	}
	*why = "not a boolean (true/false)";
	return -1;
}

/* Split "12.5ms" into 12.5 and "ms". */
static int number_unit(const char *s, double *v, char *unit, size_t n,
                       const char **why)
{
	char buf[64], *end;

	if (trim_copy(s, buf, sizeof(buf), why))
		return -1;
	errno = 0;
	*v = strtod(buf, &end);
	if (end == buf || errno == ERANGE || !isfinite(*v)) {
		*why = "not a number";
		return -1;
	}
	while (isspace((unsigned char)*end))
		end++;
	if (strlen(end) >= n) {
		*why = "unknown unit";
		return -1;
	}
	strcpy(unit, end);
	return 0;
}

int brc_parse_size(const char *s, int64_t *out, const char **why)
{
	static const struct { const char *u; double m; } units[] = {
		{ "", 1 }, { "b", 1 }, { "k", 1024.0 }, { "kb", 1024.0 },
		{ "kib", 1024.0 }, { "m", 1048576.0 }, { "mb", 1048576.0 },
		{ "mib", 1048576.0 }, { "g", 1073741824.0 },
		{ "gb", 1073741824.0 }, { "gib", 1073741824.0 },
		{ "t", 1099511627776.0 }, { "tib", 1099511627776.0 },
	};
	char unit[8];
	double v;

	if (number_unit(s, &v, unit, sizeof(unit), why))
		return -1;
	for (size_t i = 0; i < BR_ARRAY_SIZE(units); i++) {
		if (strcasecmp(unit, units[i].u))
			continue;
		v *= units[i].m;
		if (v < -9.2e18 || v > 9.2e18) {
			*why = "size out of range";
			return -1;
		}
		if (v != floor(v)) {
			*why = "size is not a whole number of bytes";
			return -1;
		}
		*out = (int64_t)v;
		return 0;
	}
	*why = "unknown size unit (use B, KiB, MiB, GiB)";
	return -1;
}

int brc_parse_duration(const char *s, double *out, const char **why)
{
	static const struct { const char *u; double m; } units[] = {
		{ "", 1 }, { "s", 1 }, { "ns", 1e-9 }, { "us", 1e-6 },
		{ "ms", 1e-3 }, { "m", 60 }, { "min", 60 }, { "h", 3600 },
	};
	char unit[8];
	double v;

	if (number_unit(s, &v, unit, sizeof(unit), why))
		return -1;
	for (size_t i = 0; i < BR_ARRAY_SIZE(units); i++) {
		if (!strcmp(unit, units[i].u)) {
			*out = v * units[i].m;
			return 0;
		}
	}
	*why = "unknown duration unit (use ns, us, ms, s, m, h)";
	return -1;
}

const char *brc_fmt_duration(char *buf, size_t n, double s)
{
	double a = fabs(s);

	if (a >= 100)
		snprintf(buf, n, "%.0f s", s);
	else if (a >= 1)
		snprintf(buf, n, "%.3g s", s);
	else if (a >= 1e-3)
		snprintf(buf, n, "%.3g ms", s * 1e3);
	else if (a >= 1e-6)
		snprintf(buf, n, "%.3g us", s * 1e6);
	else
		snprintf(buf, n, "%.0f ns", s * 1e9);
	return buf;
}

const char *brc_fmt_size(char *buf, size_t n, double bytes)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	size_t u = 0;

	while (fabs(bytes) >= 1024 && u + 1 < BR_ARRAY_SIZE(unit)) {
		bytes /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, n, "%.0f B", bytes);
	else
		snprintf(buf, n, "%.3g %s", bytes, unit[u]);
	return buf;
}

const char *brc_fmt_count(char *buf, size_t n, double v)
{
	if (fabs(v) >= 1e6)
		snprintf(buf, n, "%.3gM", v / 1e6);
	else if (fabs(v) >= 1e4)
		snprintf(buf, n, "%.3gk", v / 1e3);
	else if (fabs(v) >= 100 || v == floor(v))
		snprintf(buf, n, "%.0f", v);
	else
		snprintf(buf, n, "%.3g", v);
	return buf;
}

const char *brc_fmt_exact(char *buf, size_t n, double v)
{
	if (!isfinite(v)) {
		snprintf(buf, n, "%s", "");
		return buf;
	}
	if (v == floor(v) && fabs(v) < 1e17) {
		snprintf(buf, n, "%.0f", v);
		return buf;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, n, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}
