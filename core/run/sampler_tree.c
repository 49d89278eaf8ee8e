/*
 * sampler_tree.c - the run's sampler: one sample of the whole process
 * tree per tick, at a cost that stays small for 1,000 processes (see
 * sampler.h).
 *
 * Per process it keeps two descriptors open (/proc/P/stat and the main
 * thread's children file), so a tick is a pread per file instead of an
 * open, a path walk and a close (~1 us instead of ~4 us here).  PSS is the
 * expensive number (the kernel walks every page table for smaps_rollup);
 * it is re-read for as many processes as a quarter of the interval allows,
 * and in between a process's PSS is its last reading plus the RSS it grew
 * since, which is exact for memory it touched privately.  A process not
 * read yet counts as the mean PSS of those that were (a pool's workers
 * look alike), or its RSS when none was (those estimates are
 * sampler_estimate.c's).
 */
#include "config.h"

#include "run/sampler.h"
#include "run/sampler_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/cgroup.h"
#include "util.h"

/* The share of the interval a tick may spend on smaps_rollup (1/4). */
#define PSS_SHARE 4
/* Every this many ticks, children are looked for under every thread. */
#define ALL_THREADS_EVERY 10

void brc_sampler_top_reset(struct brc_sampler *sp)
{
	sp->top = 0;
}

int64_t brc_sampler_top(const struct brc_sampler *sp,
                        struct brc_cgroup_stat *st)
{
	*st = sp->top_stat;
	return sp->top;
}

/* A new high of the group's usage: keep its breakdown (one memory.stat
 * read, only when the usage climbs). */
static void track_top(struct brc_sampler *sp, int64_t usage)
{
	if (!sp->cg || usage <= sp->top)
		return;
	if (!brc_cgroup_stat(sp->cg, &sp->top_stat))
		sp->top = usage;
}

struct brc_sampler *brc_sampler_new(pid_t root, const struct brc_cgroup *cg,
                                  double interval)
{
	struct brc_sampler *sp = brc_xcalloc(1, sizeof(*sp));

	sp->root = root;
	sp->cg = cg && cg->version ? cg : NULL;
	sp->pss_budget_ns = (uint64_t)(interval * 1e9) / PSS_SHARE;
	sp->page = sysconf(_SC_PAGESIZE);
	sp->adopt_fd = -1;
	return sp;
}

void brc_sampler_adopt(struct brc_sampler *sp, pid_t self, const pid_t *before,
                       size_t n_before)
{
	char path[64];

	if (sp->cg)
		return; /* the group holds orphans already */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)self,
	         (int)self);
	sp->adopt_fd = open(path, O_RDONLY | O_CLOEXEC);
	sp->before = before;
	sp->n_before = n_before;
}

static void proc_close(struct proc *p)
{
	if (p->stat_fd >= 0)
		close(p->stat_fd);
	if (p->statm_fd >= 0)
		close(p->statm_fd);
	if (p->kids_fd >= 0)
		close(p->kids_fd);
}

void brc_sampler_free(struct brc_sampler *sp)
{
	if (!sp)
		return;
	for (size_t i = 0; i < sp->n; i++)
		proc_close(&sp->p[i]);
	free(sp->p);
	if (sp->adopt_fd >= 0)
		close(sp->adopt_fd);
	free(sp);
}

static ssize_t pread_text(int fd, char *buf, size_t size)
{
	ssize_t n;

	do
		n = pread(fd, buf, size - 1, 0);
	while (n < 0 && errno == EINTR);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/* RSS, threads and VmSize from stat (fields 20, 23, 24); -1 when the
 * process is gone. */
static int read_stat(struct brc_sampler *sp, struct proc *p)
{
	char buf[1024], *rp;
	long threads = 0, rss = 0;
	unsigned long vsize = 0;

	if (pread_text(p->stat_fd, buf, sizeof(buf)) <= 0)
		return -1;
	rp = strrchr(buf, ')'); /* comm may contain anything but ')' last */
	if (!rp || sscanf(rp + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	                  "%*u %*u %*d %*d %*d %*d %ld %*d %*u %lu %ld",
	                  &threads, &vsize, &rss) != 3)
		return -1;
	/* A zombie has no memory left and no threads to speak of. */
	p->threads = (int32_t)threads;
	p->vsize = (int64_t)vsize;
	p->rss = rss * sp->page;
	/* statm's third field: resident file-backed and shmem pages, which
	 * are shared far more often than anonymous ones. */
	if (p->statm_fd >= 0 && pread_text(p->statm_fd, buf, sizeof(buf)) > 0 &&
	    sscanf(buf, "%*d %*d %ld", &rss) == 1)
		p->file = rss * sp->page;
	return 0;
}

static void read_pss(struct brc_sampler *sp, struct proc *p)
{
	char path[64], buf[4096];
	int64_t v;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)p->pid);
	if (brc_proc_read(path, buf, sizeof(buf)) <= 0 ||
	    (v = brc_proc_field(buf, "Pss")) < 0)
		return;
	p->pss = v;
	p->uss = brc_proc_uss(buf);
	p->rss_at = p->rss;
	p->file_at = p->file;
	p->n_at = sp->n;
	p->measured = true;
	p->read_tick = sp->tick;
}

/* The entry of pid from the last tick, or NULL. */
static struct proc *find_old(struct proc *old, size_t n, pid_t pid,
                             size_t *hint)
{
	/* Discovery order is stable from tick to tick: try the next one. */
	if (*hint < n && old[*hint].pid == pid)
		return &old[(*hint)++];
	for (size_t i = 0; i < n; i++)
		if (old[i].pid == pid) {
			*hint = i + 1;
			return &old[i];
		}
	return NULL;
}

static void add_proc(struct brc_sampler *sp, struct proc *old, size_t n_old,
                     size_t *hint, pid_t pid)
{
	struct proc *o = find_old(old, n_old, pid, hint), *p;
	char path[64];

	if (sp->n == sp->cap) {
		sp->cap = sp->cap ? 2 * sp->cap : 64;
		sp->p = brc_xrealloc(sp->p, sp->cap * sizeof(*sp->p));
	}
	p = &sp->p[sp->n];
	if (o && o->stat_fd >= 0) {
		*p = *o;
		o->stat_fd = o->statm_fd = o->kids_fd = -1; /* moved */
	} else {
		memset(p, 0, sizeof(*p));
		p->pid = pid;
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		p->stat_fd = open(path, O_RDONLY | O_CLOEXEC);
		snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
		p->statm_fd = open(path, O_RDONLY | O_CLOEXEC);
		snprintf(path, sizeof(path), "/proc/%d/task/%d/children",
		         (int)pid, (int)pid);
		p->kids_fd = sp->cg ? -1 : open(path, O_RDONLY | O_CLOEXEC);
	}
	if (p->stat_fd < 0 || read_stat(sp, p)) {
		proc_close(p);
		return;
	}
	sp->n++;
}

/* Children of the main thread through the kept descriptor. */
static void kids_of(int fd, struct brc_pidlist *l)
{
	char buf[8192], *s, *end;

	if (fd < 0 || pread_text(fd, buf, sizeof(buf)) <= 0)
		return;
	for (s = buf;; s = end) {
		long v = strtol(s, &end, 10);

		if (end == s)
			break;
		brc_pid_push(l, (pid_t)v);
	}
}

/* This tick's processes: the cgroup's, or the tree under root. */
static void discover(struct brc_sampler *sp, struct proc *old, size_t n_old)
{
	struct brc_pidlist l = { 0 };
	size_t hint = 0;
	bool all = sp->tick % ALL_THREADS_EVERY == 0;

	sp->n = 0;
	add_proc(sp, old, n_old, &hint, sp->root);
	if (!sp->n)
		return;
	if (sp->cg) {
		pid_t *v;
		size_t n = brc_cgroup_pids(sp->cg, &v);

		for (size_t i = 0; i < n; i++)
			if (v[i] != sp->root)
				add_proc(sp, old, n_old, &hint, v[i]);
		free(v);
		return;
	}
	/* Orphans of the tree (setsid, double fork) are reparented to
	 * benchrun, the subreaper: its new children besides the worker. */
	kids_of(sp->adopt_fd, &l);
	for (size_t k = 0; k < l.n; k++) {
		bool known = l.v[k] == sp->root;

		for (size_t j = 0; j < sp->n_before && !known; j++)
			known = sp->before[j] == l.v[k];
		if (!known)
			add_proc(sp, old, n_old, &hint, l.v[k]);
	}
	for (size_t i = 0; i < sp->n; i++) {
		l.n = 0;
		/* A big children file (8 KiB is ~1,000 pids) or threads
		 * that fork: the slow path that reads every list. */
		if ((all && sp->p[i].threads > 1) || sp->p[i].kids_fd < 0)
			brc_proc_add_children(sp->p[i].pid, true, &l);
		else
			kids_of(sp->p[i].kids_fd, &l);
		for (size_t k = 0; k < l.n; k++)
			add_proc(sp, old, n_old, &hint, l.v[k]);
	}
	free(l.v);
}

int brc_sampler_take(struct brc_sampler *sp, bool full, struct brc_sample *out)
{
	uint64_t t0 = brc_threadtime_ns();
	struct proc *old = sp->p, *p;
	size_t n_old = sp->n;

	memset(out, 0, sizeof(*out));
	out->ns = brc_now_ns();
	out->group = sp->cg ? brc_cgroup_current(sp->cg) : -1;
	track_top(sp, out->group);
	sp->tick++;
	sp->p = NULL;
	sp->n = sp->cap = 0;
	discover(sp, old, n_old);
	for (size_t i = 0; i < n_old; i++)
		proc_close(&old[i]);
	free(old);
	if (!sp->n) {
		out->cost_ns = brc_threadtime_ns() - t0;
		return -1;
	}
	if (full)
		for (size_t i = 0; i < sp->n; i++)
			read_pss(sp, &sp->p[i]);
	else
		while (brc_threadtime_ns() - t0 < sp->pss_budget_ns &&
		       (p = brc_sampler_next_for_pss(sp)))
			read_pss(sp, p);
	brc_sampler_estimate(sp, out);
	out->procs = (int32_t)sp->n;
	out->root_vsize = sp->p[0].vsize;
	for (size_t i = 0; full && i < sp->n; i++) {
		char path[64], buf[4096];
		int64_t hwm;

		snprintf(path, sizeof(path), "/proc/%d/status", (int)sp->p[i].pid);
		if (brc_proc_read(path, buf, sizeof(buf)) <= 0 ||
		    (hwm = brc_proc_field(buf, "VmHWM")) < 0)
			continue;
		if (!i)
			out->root_hwm = hwm;
		else if (hwm > out->kids_hwm)
			out->kids_hwm = hwm;
	}
	out->full = full;
	out->cost_ns = brc_threadtime_ns() - t0;
	return 0;
}
