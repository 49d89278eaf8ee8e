/*
 * sampler.h - memory and size of a process tree, read from /proc.
 *
 * The tree of a pid is the pid and every descendant reachable through
 * /proc/P/task/T/children (or, on kernels without it, by scanning the ppid
 * of every process).  PSS is the honest number for a tree: pages shared
 * between a forked parent and its children are split between them instead
 * of being counted once per process as RSS does.
 *
 * PSS is also the expensive number: the kernel walks the page tables of
 * every mapping to compute smaps_rollup (50-150 us per process here,
 * growing with its size).  So there are two kinds of sample: a full one
 * (status + smaps_rollup: PSS, RSS, VmHWM) and a fast one (/proc/P/stat
 * only: RSS, threads, VmSize; ~10 us per process).  The runner mixes them
 * to stay within its CPU budget (run_spawn.c).
 */
#ifndef BR_SAMPLER_H
#define BR_SAMPLER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct brc_sample {
	uint64_t ns;          /* brc_now_ns() when taken                    */
	int64_t pss, rss;     /* bytes, summed over the tree; pss is 0 in
	                         a fast sample                              */
	int32_t procs;        /* processes in the tree                    */
	int32_t threads;      /* threads, summed                           */
	int64_t root_vsize;   /* VmSize of the root, bytes                 */
	int64_t root_hwm;     /* VmHWM (peak RSS) of the root, bytes       */
	uint64_t cost_ns;     /* CPU the sampling itself took (this thread) */
	bool full;            /* pss and root_hwm were read               */
};

/* Sample the tree rooted at `root`, fully or fast.  Returns 0, or -1 when
 * the root is gone (then *out is zeroed except ns). */
int brc_sample_tree(pid_t root, bool full, struct brc_sample *out);

/* Memory of one process only: fills pss, rss, threads, root_vsize and
 * root_hwm; procs = 1. */
int brc_sample_proc(pid_t pid, struct brc_sample *out);

/* The children of every thread of pid (malloc'd array in *out, may be
 * NULL when there are none); returns how many. */
size_t brc_proc_children(pid_t pid, pid_t **out);

#endif /* BR_SAMPLER_H */
