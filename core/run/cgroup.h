/*
 * cgroup.h - the exact instrument for a worker's memory: a kernel
 * memory-accounting group (cgroup) of its own, created below benchrun's
 * own group and removed after the run.  Everything the worker starts
 * stays in the group whatever it does (fork, setsid, double fork), and
 * the kernel keeps the group's usage and its high-water mark, so the peak
 * of the whole tree is read, not sampled.
 *
 * cgroup v2 (memory.current, memory.peak, memory.stat) where the memory
 * controller is on the unified hierarchy and benchrun may create groups
 * below its own (root, or a delegated subtree under systemd); cgroup v1
 * (memory.usage_in_bytes, memory.max_usage_in_bytes, memory.stat,
 * memory.kmem.*) where the memory controller is on a v1 hierarchy.
 * Elsewhere (unprivileged, no delegation) brc_cgroup_create fails with
 * the reason, and the runner samples /proc instead.  BENCHRUN_CGROUP=off
 * in the environment forces that fallback (for tests and comparisons).
 */
#ifndef BR_CGROUP_H
#define BR_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* What the kernel says the group holds, bytes; -1 when this version of
 * cgroup does not give it (v1 has no stacks or page tables). */
struct brc_cgroup_stat {
	int64_t anon;       /* anonymous memory: heaps, stacks' pages        */
	int64_t file;       /* page cache charged to the group (incl. shmem) */
	int64_t kernel;     /* all kernel memory charged to the group        */
	int64_t kstack;     /* kernel stacks (one per thread)                */
	int64_t pagetables; /* page tables                                   */
	int64_t sock;       /* socket buffers                                */
	int64_t kernel_peak; /* v1: kernel memory high-water mark            */
};

struct brc_cgroup {
	int version;        /* 1 or 2; 0 when there is no group              */
	char *path;         /* the group's directory                         */
	int procs_fd;       /* cgroup.procs, opened before the fork          */
	int peak_fd;        /* v2: memory.peak, kept open (per-fd reset)     */
};

/* Whether a group can be made here, without making one: 0, or -1 with
 * the reason in *why (malloc'd).  The answer is worked out once. */
int brc_cgroup_available(char **why);

/* "cgroup v1 memory controller" / "cgroup v2 memory controller". */
const char *brc_cgroup_name(int version);

/* For the results and the table: which instrument measures the tree,
 * and why not the exact one (malloc'd). */
char *brc_cgroup_describe(double interval);

/* Remove the empty groups that a benchrun which no longer exists left
 * below our group (killed with SIGKILL, or exiting at once on a second
 * Ctrl-C before it could remove them); run at the first probe. */
void brc_cgroup_sweep(void);

/* Make a fresh group below benchrun's own.  0, or -1 with *why. */
int brc_cgroup_create(struct brc_cgroup *cg, char **why);

/* In a forked child, before exec: move the calling process into the
 * group (async-signal-safe: a write on the descriptor opened before). */
int brc_cgroup_enter(const struct brc_cgroup *cg);

/* Restart the high-water mark from the usage now (at "ready"). */
int brc_cgroup_reset_peak(const struct brc_cgroup *cg);

/* Usage now and the high-water mark since the last reset, bytes; -1 on
 * error. */
int64_t brc_cgroup_current(const struct brc_cgroup *cg);
int64_t brc_cgroup_peak(const struct brc_cgroup *cg);

/* The breakdown now. */
int brc_cgroup_stat(const struct brc_cgroup *cg, struct brc_cgroup_stat *st);

/* The processes in the group (malloc'd in *out); returns how many. */
size_t brc_cgroup_pids(const struct brc_cgroup *cg, pid_t **out);

/* Kill whatever is left in the group, wait until it is empty (bounded)
 * and remove it.  Safe on a zeroed struct. */
void brc_cgroup_destroy(struct brc_cgroup *cg);

#endif /* BR_CGROUP_H */
