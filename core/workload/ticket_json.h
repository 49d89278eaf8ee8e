/*
 * ticket_json.h - the JSON layer under ticket processing: one call parses
 * and fully validates a body with simdjson (C++, ticket_json.cc) and hands
 * the summary's fields to C callbacks; tickets.c checks them.
 *
 * Why simdjson: measured per 4.8 KiB ticket (bench/ticket-json, BENCHMARKS.md)
 * it costs ~1/6 of cJSON's instructions and ~2/5 of yajl's, with full
 * validation (UTF-8, raw control bytes in strings, structure, numbers).
 * Its DOM parser is not thread-safe, so parsers live in a small pool: a
 * body takes one, parses, and gives it back (one uncontended lock each
 * way); the pool grows to the number of bodies parsed at the same moment.
 *
 * This header is read by C and C++ alike: plain types only.
 */
#ifndef BR_TICKET_JSON_H
#define BR_TICKET_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes that must be readable after a body passed with `padded` (the
 * parser reads whole 64-byte blocks; their content does not matter). */
#define BRC_JSON_PADDING 64

/*
 * Deepest nesting of arrays and objects a body may have.  A ticket nests
 * four levels (object, trips array, trip object, price object); bodies are
 * parsed on whatever stack the strategy called done() from (a green
 * thread's 32 KiB, a thread at `stack_size: 16KiB`), and the parser keeps
 * its open containers in a heap array of this many entries, never on the
 * stack.  Exactly: an array or object holding at least one value may sit
 * at most BRC_JSON_MAX_DEPTH levels deep (the outermost is level 1); an
 * empty [] or {} takes no level of simdjson's count, so one may sit at
 * level BRC_JSON_MAX_DEPTH + 1.  Deeper is BRC_JSON_INVALID, "not JSON
 * (nested too deep)".
 */
#define BRC_JSON_MAX_DEPTH 8

/* brc_json_ticket's value for a body that is not valid JSON (callbacks
 * return other values). */
#define BRC_JSON_INVALID (-2)

/* A string value, pointing into the parser (valid during the callback);
 * s is NULL when the field is missing or not a string.  s[len] is '\0',
 * but the string may hold a "\u0000" of its own: compare len. */
struct brc_jstr {
	const char *s;
	size_t len;
};

/* A number value; ok is false when missing or not a number.  Integers
 * arrive as the nearest double, as strtod would give. */
struct brc_jnum {
	bool ok;
	double v;
};

/* The top of a ticket: {"route":..,"date":..,"trips":[..]}. */
struct brc_jhead {
	bool is_object;
	bool trips_is_array;
	struct brc_jstr route, date;
};

/* One element of "trips". */
struct brc_jtrip {
	bool is_object;
	bool price_is_object;
	struct brc_jstr id, departure;
	struct brc_jnum amount;         /* price.amount */
	struct brc_jnum free_seats;
};

/* Return 0 to go on, anything else to stop the walk with that value. */
typedef int (*brc_jhead_fn)(void *ctx, const struct brc_jhead *h);
typedef int (*brc_jtrip_fn)(void *ctx, int64_t k, const struct brc_jtrip *t);

/*
 * Parse body[0..len) as one JSON document (whitespace around it allowed,
 * nothing else), then call head once and trip for each element of
 * "trips" (only when head returned 0 and trips is an array).  With
 * `padded`, BRC_JSON_PADDING bytes after the body must be readable;
 * without, the body is copied first.  Returns 0, a callback's non-zero
 * value, BRC_JSON_INVALID with "not JSON (<reason>)" in why, or -1 with
 * "out of memory ..." in why.
 */
int brc_json_ticket(const char *body, size_t len, bool padded,
                    brc_jhead_fn head, brc_jtrip_fn trip, void *ctx,
                    char *why, size_t why_len);

/* Give the pool one parser with room for a body of `capacity` bytes, so
 * that the first bodies of a run do not pay for the allocation. */
void brc_json_warm(size_t capacity);

#ifdef __cplusplus
}
#endif

#endif /* BR_TICKET_JSON_H */
