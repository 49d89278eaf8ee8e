/*
 * timeline.h - long memory timelines thinned, for the results file and
 * for pictures: the samples are cut into buckets of consecutive samples
 * and each bucket keeps its lowest and its highest tree PSS, so every
 * peak and every trough survives at any length (a stride would skip a
 * 20 ms spike; a mean would flatten it).
 *
 * The results file keeps at most BRC_TIMELINE_KEEP samples per run
 * (results_json.c): 10,000 keep a 100 s run at 10 ms whole, and a
 * 10,000 s run (1,000,000 samples) stays ~0.7 MB instead of 66 MB.  A
 * thinned timeline says from how many samples ("thinned_from"); the run's
 * peaks and means were computed from all of them before.
 */
#ifndef BR_TIMELINE_H
#define BR_TIMELINE_H

#include <stddef.h>

#include "results/results.h"

/* Samples of one run's timeline written to a results file, at most. */
#define BRC_TIMELINE_KEEP 10000

/*
 * Indices of the samples of s[0..n) to keep so that at most max remain
 * (max below 2 counts as 2), increasing, into keep (room for max
 * indices, or n if fewer).
 * n <= max keeps all.  Else the samples are cut into buckets of
 * ceil(n / (max / 2)) and each keeps the sample with its lowest and the one
 * with its highest tree_pss (the first of equals; one index when the
 * same sample is both).  Returns how many.
 */
size_t brc_timeline_thin(const struct brc_mem_sample *s, size_t n, size_t max,
                         size_t *keep);

#endif /* BR_TIMELINE_H */
