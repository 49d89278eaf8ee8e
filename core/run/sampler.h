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
 * every mapping to compute smaps_rollup (a cost growing with the
 * process's size).  brc_sample_tree and brc_sample_proc are the
 * one-shot readers (a full sample: status + smaps_rollup); the run's
 * sampler (struct brc_sampler, sampler_tree.c) keeps its interval by
 * reading cheap files every tick and PSS within a budget.  Where the run
 * has a cgroup (cgroup.h), that is the exact instrument and sampling
 * draws the timeline.
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
	int64_t uss;          /* private (Private_*) bytes, summed; like pss */
	int64_t group;        /* the run's cgroup usage, bytes; -1: none    */
	int32_t procs;        /* processes in the tree                    */
	int32_t threads;      /* threads, summed                           */
	int64_t root_vsize;   /* VmSize of the root, bytes                 */
	int64_t root_hwm;     /* VmHWM (peak RSS) of the root, bytes       */
	int64_t kids_hwm;     /* largest VmHWM of the others (brc_sampler,
	                         full samples only)                         */
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

/* ---- the sampler of a run (sampler_tree.c) ---------------------------
 *
 * Keeps its promise of one sample per interval for trees of 1,000
 * processes: every tick reads /proc/P/stat of every process of the tree
 * (RSS, threads; ~1 us each through a descriptor kept open) and the
 * children files (or the run's cgroup.procs, which holds everything the
 * run started, orphans included); PSS and USS (smaps_rollup, ~40 us each)
 * are re-read within a quarter of the interval per tick, new processes
 * first, then those whose RSS changed most, and carried forward in
 * between as the last reading plus the RSS grown since. */
struct brc_cgroup;
struct brc_sampler;

/* cg may be NULL (no group: the tree is found through /proc). */
struct brc_sampler *brc_sampler_new(pid_t root, const struct brc_cgroup *cg,
                                  double interval);
/* One sample; `full` re-reads PSS of every process, whatever it costs
 * (the baseline and the last sample).  -1 when the root is gone. */
int brc_sampler_take(struct brc_sampler *sp, bool full,
                     struct brc_sample *out);
void brc_sampler_free(struct brc_sampler *sp);
/* Without a group: count benchrun's (`self`, a child subreaper) children
 * that were not in before[] (kept by the caller) and are not the root:
 * the tree's orphans, reparented to it. */
void brc_sampler_adopt(struct brc_sampler *sp, pid_t self, const pid_t *before,
                       size_t n_before);
/* The group's breakdown at the highest usage a sample saw since the
 * reset (a breakdown at the exact peak does not exist); returns that
 * usage, 0 when none. */
struct brc_cgroup_stat;
void brc_sampler_top_reset(struct brc_sampler *sp);
int64_t brc_sampler_top(const struct brc_sampler *sp,
                        struct brc_cgroup_stat *st);

/* ---- shared with sampler_tree.c -------------------------------------- */
struct brc_pidlist {
	pid_t *v;
	size_t n, cap;
};
void brc_pid_push(struct brc_pidlist *l, pid_t p);
/* A small /proc file into buf, NUL-terminated: its length or -1. */
ssize_t brc_proc_read(const char *path, char *buf, size_t size);
/* "Key:   123 kB" in bytes (or a plain count), -1 if absent. */
int64_t brc_proc_field(const char *text, const char *key);
/* Private_Clean + Private_Dirty + Private_Hugetlb of smaps_rollup text. */
int64_t brc_proc_uss(const char *rollup);
/* Append pid's children (every thread's when all_threads); -1 when the
 * kernel has no children files. */
int brc_proc_add_children(pid_t pid, bool all_threads, struct brc_pidlist *l);

#endif /* BR_SAMPLER_H */
