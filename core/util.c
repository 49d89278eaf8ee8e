/*
 * util.c - diagnostics, checked allocation, clocks, growable strings,
 * "did you mean" suggestions and keyed pseudo-randomness (see util.h).
 * Value parsing lives in util_parse.c, files in util_file.c.
 */
#include "config.h"

#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int brc_verbosity;

/* Messages quote names, paths and plugin output: they go through
 * brc_sanitize so no escape sequence reaches the terminal, and out as one
 * write so lines from different processes stay whole. */
static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	char small[4096], *line = small, *big = NULL;
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	/* Plain malloc: this also reports running out of memory. */
	if (n >= (int)sizeof(small) && (big = malloc((size_t)n + 1))) {
		vsnprintf(big, (size_t)n + 1, fmt, ap2);
		line = big;
	}
	va_end(ap2);
	brc_sanitize(line, BRC_TEXT_KEEP_NL | BRC_TEXT_KEEP_TAB);
	fprintf(stderr, "benchrun: %s%s\n", prefix, line);
	free(big);
}

#define REPORT(prefix)                  \
	do {                                \
		va_list ap;                     \
		va_start(ap, fmt);              \
		vreport(prefix, fmt, ap);       \
		va_end(ap);                     \
	} while (0)

void brc_error(const char *fmt, ...) { REPORT("error: "); }

void brc_warn(const char *fmt, ...)
{
	if (brc_verbosity >= 0)
		REPORT("warning: ");
}

void brc_info(const char *fmt, ...)
{
	if (brc_verbosity >= 1)
		REPORT("");
}

void brc_debug(const char *fmt, ...)
{
	if (brc_verbosity >= 2)
		REPORT("debug: ");
}

void brc_fatal(int code, const char *fmt, ...)
{
	REPORT("error: ");
	exit(code);
}

void *brc_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		brc_fatal(1, "out of memory (%zu bytes)", n);
	return p;
}

void *brc_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		brc_fatal(1, "out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *brc_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		brc_fatal(1, "out of memory (%zu bytes)", n);
	return p;
}

char *brc_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(brc_xmalloc(n), s, n);
}

char *brc_xasprintf(const char *fmt, ...)
{
	struct brc_buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	brc_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return b.data ? b.data : brc_xstrdup("");
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t brc_now_ns(void) { return clock_ns(CLOCK_MONOTONIC); }
uint64_t brc_threadtime_ns(void) { return clock_ns(CLOCK_THREAD_CPUTIME_ID); }

size_t brc_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = brc_xcalloc(lb + 1, sizeof(*row));

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

const char *brc_suggest(const char *word, const char *const *cand, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;

	for (size_t i = 0; i < n; i++) {
		size_t d = brc_edit_distance(word, cand[i]);

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

void brc_buf_append(struct brc_buf *b, const void *data, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;

		while (cap < b->len + len + 1)
			cap *= 2;
		b->data = brc_xrealloc(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void brc_buf_vprintf(struct brc_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	brc_buf_append(b, "", 0); /* ensure data exists */
	if (b->len + (size_t)n + 1 > b->cap) {
		/* Doubling, as brc_buf_append: growing by what each printf
		 * needs made a long buffer quadratic wherever realloc copies
		 * (ASan always does: 200,000 samples took minutes). */
		size_t cap = b->cap;

		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		b->data = brc_xrealloc(b->data, cap);
		b->cap = cap;
	}
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void brc_buf_printf(struct brc_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	brc_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void brc_buf_free(struct brc_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

uint64_t brc_fnv1a(const void *data, size_t len, uint64_t h)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t brc_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double brc_unit_from_key(uint64_t seed, uint64_t a, uint64_t b)
{
	uint64_t s = seed ^ (a * 0x9e3779b97f4a7c15ULL) ^
	             (b * 0xc2b2ae3d27d4eb4fULL);

	brc_splitmix64(&s);
	return (double)(brc_splitmix64(&s) >> 11) * 0x1.0p-53;
}
