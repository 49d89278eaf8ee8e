/*
 * results_doc.h - a results file parsed fast: simdjson (C++,
 * results_doc.cc) reads the text and hands back the cJSON tree the reader
 * (results_read.c) has always walked, except for the arrays of every
 * timeline, whose numbers are kept packed beside the tree.
 *
 * Why: a 10,000 s run sampled every 10 ms is 1,000,000 samples, 5,000,000
 * numbers.  As cJSON nodes they cost a malloc, three strncmp (null, false,
 * true) and a strtod with its localeconv each, and a free: 3.1 s and
 * 980 MiB for `compare` on two groups of such runs.  simdjson and packing
 * cut that 7-9x (BENCHMARKS.md, "Long timelines").
 *
 * What the tree holds is what cJSON_ParseWithLength would give, item for
 * item and in order (duplicate keys included; "-0" reads as 0, which
 * simdjson takes for an integer), with one exception: an
 * array that is the value of a member of an object that is the value of a
 * member named "timeline" and that holds only numbers (at least one) has
 * no items in the tree; brc_jdoc_packed gives them.  The rule is by
 * shape, not by path, so a journal's run lines are packed too.
 *
 * simdjson is stricter than cJSON (invalid UTF-8, raw control bytes in
 * strings, text after the value, numbers it cannot represent): for those
 * brc_jdoc_parse returns NULL and the caller parses with cJSON as before,
 * so every file that read before still reads, and a broken one gets
 * cJSON's error position.
 *
 * This header is read by C and C++ alike.
 */
#ifndef BR_RESULTS_DOC_H
#define BR_RESULTS_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes that must be allocated (any content) after the text handed to
 * brc_jdoc_parse: simdjson reads whole blocks. */
#define BRC_JDOC_PADDING 64

struct brc_jdoc;

/* Parse text[0..len) (with BRC_JDOC_PADDING bytes allocated after it);
 * without numbers, packed arrays keep their count only (a reader that
 * needs no timeline, `compare`, skips 5 numbers a sample).  NULL when
 * simdjson refuses the text or memory runs out: parse it with cJSON
 * instead. */
struct brc_jdoc *brc_jdoc_parse(const char *text, size_t len, bool numbers);

/* The tree (owned by doc). */
const cJSON *brc_jdoc_root(const struct brc_jdoc *doc);

/* Whether array is a packed array of doc's tree: then its count is in *n
 * and its numbers in *vals (NULL when parsed without numbers).  False
 * when it is not, or doc is NULL (a tree cJSON parsed: walk its items). */
bool brc_jdoc_packed(const struct brc_jdoc *doc, const cJSON *array,
                     size_t *n, const double **vals);

/* Free the doc and its tree.  NULL is allowed. */
void brc_jdoc_free(struct brc_jdoc *doc);

#ifdef __cplusplus
}
#endif

#endif /* BR_RESULTS_DOC_H */
