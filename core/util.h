/*
 * util.h - small helpers shared by the whole core: diagnostics, checked
 * allocation, clocks, parsing and printing of sizes and durations, a
 * growable string, atomic file writes.
 */
#ifndef BR_UTIL_H
#define BR_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define BR_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define BR_NORETURN __attribute__((noreturn))
#else
#define BR_PRINTF(a, b)
#define BR_NORETURN
#endif

#define BR_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Verbosity: -1 quiet, 0 normal, 1 -v, 2 -vv.  Set once by the CLI. */
extern int brc_verbosity;

/* "benchrun: error: ..." on stderr. */
void brc_error(const char *fmt, ...) BR_PRINTF(1, 2);
void brc_warn(const char *fmt, ...) BR_PRINTF(1, 2);
/* Printed only with -v (info) or -vv (debug). */
void brc_info(const char *fmt, ...) BR_PRINTF(1, 2);
void brc_debug(const char *fmt, ...) BR_PRINTF(1, 2);
/* Print an error and exit(code). */
BR_NORETURN void brc_fatal(int code, const char *fmt, ...) BR_PRINTF(2, 3);

/* Allocation that never returns NULL (out of memory is fatal). */
void *brc_xmalloc(size_t n);
void *brc_xcalloc(size_t n, size_t size);
void *brc_xrealloc(void *p, size_t n);
char *brc_xstrdup(const char *s);
char *brc_xasprintf(const char *fmt, ...) BR_PRINTF(1, 2);

/* Clocks in nanoseconds. */
uint64_t brc_now_ns(void);      /* CLOCK_MONOTONIC */
uint64_t brc_threadtime_ns(void); /* CLOCK_THREAD_CPUTIME_ID */

/*
 * Parsers for scenario and parameter values.  All return 0 on success and
 * -1 with a short reason in *why (static string) on failure.  They accept
 * surrounding spaces but no trailing garbage.
 *   int:      "-12", "10000", "10_000"
 *   double:   "0.5", "1e-3"
 *   bool:     true/false, yes/no, on/off, 1/0 (case-insensitive)
 *   size:     "4096", "4k", "4KiB", "4KB" (1024-based), "1.5M", "2GiB"
 *   duration: "1.5" (seconds), "250ms", "100us", "2s", "1m", "1h", "500ns"
 */
int brc_parse_int(const char *s, int64_t *out, const char **why);
int brc_parse_double(const char *s, double *out, const char **why);
int brc_parse_bool(const char *s, bool *out, const char **why);
int brc_parse_size(const char *s, int64_t *out, const char **why);
int brc_parse_duration(const char *s, double *out, const char **why);

/* Human-readable formatting into buf: "1.23 s", "850 us", "12.3 MiB". */
const char *brc_fmt_duration(char *buf, size_t n, double seconds);
const char *brc_fmt_size(char *buf, size_t n, double bytes);
const char *brc_fmt_count(char *buf, size_t n, double v); /* "12.3k" */

/* Levenshtein distance, for "did you mean" suggestions. */
size_t brc_edit_distance(const char *a, const char *b);
/* The candidate closest to `word` when it is plausibly a typo, else NULL. */
const char *brc_suggest(const char *word, const char *const *candidates,
                       size_t n);

/*
 * Text from input (scenario names, labels, results files, plugin logs,
 * program output) made safe to print: every control character (C0, DEL and
 * the C1 range) and every byte that is not well-formed UTF-8 becomes '?', in
 * place (the length never changes).  Flags keep newlines or tabs.  All
 * messages (brc_error...) and reports pass their text through it.
 */
#define BRC_TEXT_KEEP_NL 1u
#define BRC_TEXT_KEEP_TAB 2u
char *brc_sanitize(char *s, unsigned flags);
char *brc_xsanitized(const char *s, unsigned flags); /* a sanitized copy */
bool brc_is_clean(const char *s, unsigned flags);    /* nothing to replace */

/* Growable NUL-terminated string. */
struct brc_buf {
	char *data;
	size_t len, cap;
};
void brc_buf_append(struct brc_buf *b, const void *data, size_t len);
void brc_buf_printf(struct brc_buf *b, const char *fmt, ...) BR_PRINTF(2, 3);
void brc_buf_vprintf(struct brc_buf *b, const char *fmt, va_list ap);
void brc_buf_free(struct brc_buf *b);

/*
 * Write `len` bytes to `path` atomically: a temporary file in the same
 * directory (mkostemp, O_CLOEXEC), fsync, rename, fsync of the directory.
 * A file already there keeps its mode; a new one gets 0666 & ~umask.  On
 * any failure the old file (if any) is left untouched, the temporary is
 * removed, and -1 is returned with errno set.  Whatever is at `path` and is
 * not a regular file (symlink, device, FIFO, directory) is never replaced:
 * -1 with errno EEXIST.
 */
int brc_write_file_atomic(const char *path, const void *data, size_t len);
/* -1 with errno EEXIST when something that is not a regular file is at
 * `path` (brc_write_file_atomic would refuse it), else 0. */
int brc_output_path_ok(const char *path);
/* strerror for the two functions above: EEXIST and ENODEV get the words
 * that say what was refused and why. */
const char *brc_file_strerror(int err);
/* fsync the directory holding path (a new or removed name survives a
 * crash).  0, or -1 with errno set. */
int brc_sync_dir(const char *path);

/* Create the missing directories above `path` (mode 0777 & ~umask), like
 * `mkdir -p "$(dirname path)"`.  Returns 0, or -1 with errno set. */
int brc_mkdir_parents(const char *path);

/* Read a whole regular file (up to max bytes; larger is an error, errno
 * EFBIG; a directory is EISDIR, a FIFO, device or socket ENODEV and never
 * blocks).  Returns a NUL-terminated buffer or NULL with errno set. */
char *brc_read_file(const char *path, size_t max, size_t *len);

/* Raise RLIMIT_NOFILE's soft limit to the hard limit; returns the new soft
 * limit. */
uint64_t brc_raise_nofile(void);

/* 64-bit FNV-1a, and SplitMix64 for deterministic per-key randomness. */
uint64_t brc_fnv1a(const void *data, size_t len, uint64_t h);
#define BR_FNV_INIT 0xcbf29ce484222325ULL
uint64_t brc_splitmix64(uint64_t *state);
/* Deterministic uniform double in [0,1) from a key. */
double brc_unit_from_key(uint64_t seed, uint64_t a, uint64_t b);

/* The shortest decimal form of v that reads back as the same double
 * ("0.1", "1234", "0.30000000000000004"); "" for NaN and infinities. */
const char *brc_fmt_exact(char *buf, size_t n, double v);

/* Exit codes of every command (documented in benchrun(1)): 0 all good; 1 a
 * run, a validation or a comparison failed; 2 usage error (bad options,
 * unreadable or invalid scenario); 130 interrupted. */
enum {
	BR_EXIT_OK = 0,
	BR_EXIT_FAIL = 1,
	BR_EXIT_USAGE = 2,
	BR_EXIT_INTERRUPTED = 130,
};

#endif /* BR_UTIL_H */
