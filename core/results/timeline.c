/*
 * timeline.c - thinning a long memory timeline to its lowest and highest
 * sample per bucket (timeline.h).  One pass, no allocation.
 */
#include "config.h"

#include "results/timeline.h"

size_t brc_timeline_thin(const struct brc_mem_sample *s, size_t n, size_t max,
                         size_t *keep)
{
	size_t out = 0, bucket;

	if (max < 2)
		max = 2;
	if (n <= max) {
		for (size_t i = 0; i < n; i++)
			keep[i] = i;
		return n;
	}
	/* ceil(n / (max / 2)) samples per bucket: at most max / 2 buckets. */
	bucket = (n + max / 2 - 1) / (max / 2);
	for (size_t lo = 0; lo < n; lo += bucket) {
		size_t hi = lo + bucket < n ? lo + bucket : n, min = lo, top = lo;

		for (size_t k = lo + 1; k < hi; k++) {
			if (s[k].tree_pss < s[min].tree_pss)
				min = k;
			if (s[k].tree_pss > s[top].tree_pss)
				top = k;
		}
		/* In time order, so a line through the kept samples is drawn
		 * the way the memory moved. */
		keep[out++] = min < top ? min : top;
		if (min != top)
			keep[out++] = min < top ? top : min;
	}
	return out;
}
