/*
 * sampler_tree.h - private to the run's sampler (sampler_tree.c reads the
 * process tree, sampler_estimate.c turns its readings into a sample): the
 * state of one sampled process and of the sampler.
 */
#ifndef BR_SAMPLER_TREE_H
#define BR_SAMPLER_TREE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "run/cgroup.h"
#include "run/sampler.h"

/* A process whose RSS did not move is read again after this many ticks
 * (pages it shares change hands when others exit or write). */
#define REFRESH_TICKS 25

struct proc {
	pid_t pid;
	int stat_fd, statm_fd, kids_fd;
	bool measured;         /* pss/uss read at least once              */
	int64_t pss, uss;      /* at the last smaps_rollup                 */
	int64_t rss_at;        /* RSS (stat) when they were read            */
	int64_t file, file_at; /* file-backed resident pages (statm), now and
	                          then                                       */
	size_t n_at;           /* processes in the tree then                */
	int64_t rss;           /* RSS now                                   */
	int32_t threads;
	int64_t vsize;
	uint64_t read_tick;    /* when pss was last read                    */
	int64_t est;           /* pss with its shares of this tick          */
};

struct brc_sampler {
	pid_t root;
	const struct brc_cgroup *cg;
	uint64_t pss_budget_ns;
	uint64_t tick;
	struct proc *p;        /* this tick's processes, root first        */
	size_t n, cap;
	long page;
	int adopt_fd;          /* benchrun's children file, or -1          */
	const pid_t *before;   /* its children before the worker started   */
	size_t n_before;
	int64_t top;           /* highest group usage since the reset      */
	struct brc_cgroup_stat top_stat; /* the group's breakdown then      */
};

/* The process whose PSS to read next (never read first, then the most RSS
 * change, then the oldest reading), or NULL when none needs it this tick. */
struct proc *brc_sampler_next_for_pss(struct brc_sampler *sp);
/* Sum this tick's processes into out: PSS and USS from each one's last
 * reading plus what it grew since (shares adjusted to the tree's size),
 * the mean of those read for those not read yet; RSS and threads. */
void brc_sampler_estimate(struct brc_sampler *sp, struct brc_sample *out);

#endif
