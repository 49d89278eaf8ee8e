/*
 * util.c - diagnostics, checked allocation, clocks, value parsers and
 * formatters, growable strings and atomic file writes (see util.h).
 */
#include "config.h"

#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int br_verbosity;

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "benchrun: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define REPORT(prefix)                  \
	do {                                \
		va_list ap;                     \
		va_start(ap, fmt);              \
		vreport(prefix, fmt, ap);       \
		va_end(ap);                     \
	} while (0)

void br_error(const char *fmt, ...) { REPORT("error: "); }

void br_warn(const char *fmt, ...)
{
	if (br_verbosity >= 0)
		REPORT("warning: ");
}

void br_info(const char *fmt, ...)
{
	if (br_verbosity >= 1)
		REPORT("");
}

void br_debug(const char *fmt, ...)
{
	if (br_verbosity >= 2)
		REPORT("debug: ");
}

void br_fatal(int code, const char *fmt, ...)
{
	REPORT("error: ");
	exit(code);
}

void *br_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		br_fatal(1, "out of memory (%zu bytes)", n);
	return p;
}

void *br_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		br_fatal(1, "out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *br_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		br_fatal(1, "out of memory (%zu bytes)", n);
	return p;
}

char *br_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(br_xmalloc(n), s, n);
}

char *br_xasprintf(const char *fmt, ...)
{
	struct br_buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	br_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return b.data ? b.data : br_xstrdup("");
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t br_now_ns(void) { return clock_ns(CLOCK_MONOTONIC); }
uint64_t br_cputime_ns(void) { return clock_ns(CLOCK_PROCESS_CPUTIME_ID); }
uint64_t br_threadtime_ns(void) { return clock_ns(CLOCK_THREAD_CPUTIME_ID); }

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

int br_parse_int(const char *s, int64_t *out, const char **why)
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

int br_parse_double(const char *s, double *out, const char **why)
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

int br_parse_bool(const char *s, bool *out, const char **why)
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

int br_parse_size(const char *s, int64_t *out, const char **why)
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

int br_parse_duration(const char *s, double *out, const char **why)
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

const char *br_fmt_duration(char *buf, size_t n, double s)
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

const char *br_fmt_size(char *buf, size_t n, double bytes)
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

const char *br_fmt_count(char *buf, size_t n, double v)
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

size_t br_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = br_xcalloc(lb + 1, sizeof(*row));

	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (tolower((unsigned char)a[i - 1]) !=
			                      tolower((unsigned char)b[j - 1]));

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t d = row[lb];
	free(row);
	return d;
}

const char *br_suggest(const char *word, const char *const *cand, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;

	for (size_t i = 0; i < n; i++) {
		size_t d = br_edit_distance(word, cand[i]);

		if (d < best_d) {
			best_d = d;
			best = cand[i];
		}
	}
	/* A typo is a few edits away, relative to the word's length. */
	if (best && best_d <= 2 + strlen(word) / 4 && best_d < strlen(best))
		return best;
	return NULL;
}

void br_buf_append(struct br_buf *b, const void *data, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;

		while (cap < b->len + len + 1)
			cap *= 2;
		b->data = br_xrealloc(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void br_buf_vprintf(struct br_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	br_buf_append(b, "", 0); /* ensure data exists */
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = b->len + (size_t)n + 64;
		b->data = br_xrealloc(b->data, b->cap);
	}
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void br_buf_printf(struct br_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	br_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void br_buf_free(struct br_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int br_write_file_atomic(const char *path, const void *data, size_t len)
{
	char *tmp = br_xasprintf("%s.tmp.XXXXXX", path);
	const char *p = data;
	int fd, saved;

	fd = mkstemp(tmp);
	if (fd < 0)
		goto fail_tmp;
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail_write;
		}
		p += w;
		len -= (size_t)w;
	}
	/* Results files are meant for people: the usual 0644, not mkstemp's
	 * 0600, honouring the umask. */
	mode_t um = umask(0);
	umask(um);
	if (fchmod(fd, 0666 & ~um) || fsync(fd))
		goto fail_write;
	if (close(fd)) {
		fd = -1;
		goto fail_write;
	}
	fd = -1;
	if (rename(tmp, path))
		goto fail_write;
	free(tmp);
	return 0;

fail_write:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = saved;
fail_tmp:
	saved = errno;
	free(tmp);
	errno = saved;
	return -1;
}

int br_mkdir_parents(const char *path)
{
	char *dir = br_xstrdup(path);
	int rc = 0;

	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) && errno != EEXIST) {
			rc = -1;
			break;
		}
		*p = '/';
	}
	int saved = errno;
	free(dir);
	errno = saved;
	return rc;
}

char *br_read_file(const char *path, size_t max, size_t *len)
{
	struct br_buf b = { 0 };
	char chunk[65536];
	struct stat st;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return NULL;
	}
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof(chunk));

		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		if (b.len + (size_t)r > max) {
			errno = EFBIG;
			goto fail;
		}
		br_buf_append(&b, chunk, (size_t)r);
	}
	close(fd);
	if (!b.data)
		br_buf_append(&b, "", 0);
	if (len)
		*len = b.len;
	return b.data;

fail:
	saved = errno;
	close(fd);
	br_buf_free(&b);
	errno = saved;
	return NULL;
}

uint64_t br_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 0;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	return (uint64_t)rl.rlim_cur;
}

uint64_t br_fnv1a(const void *data, size_t len, uint64_t h)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t br_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double br_unit_from_key(uint64_t seed, uint64_t a, uint64_t b)
{
	uint64_t s = seed ^ (a * 0x9e3779b97f4a7c15ULL) ^
	             (b * 0xc2b2ae3d27d4eb4fULL);

	br_splitmix64(&s);
	return (double)(br_splitmix64(&s) >> 11) * 0x1.0p-53;
}
