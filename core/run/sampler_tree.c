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
 * look alike), or its RSS when none was.
 */
#include "config.h"

#include "run/sampler.h"

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
/* A process whose RSS did not move is read again after this many ticks
 * (pages it shares change hands when others exit or write). */
#define REFRESH_TICKS 25
/* Every this many ticks, children are looked for under every thread. */
#define ALL_THREADS_EVERY 10

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

/* A process's shared pages are split among the processes mapping them;
 * when the tree grew from n_at to n processes since its PSS was read (a
 * pool forking), its share of what they all map shrank in proportion.
 * Not exact (not every page is shared by the whole tree) but right in
 * the direction and size that matter for a fork pool, and only until
 * the process is read again (those come first). */
static void shares_now(const struct brc_sampler *sp, struct proc *p)
{
	int64_t shared = p->pss - p->uss;

	p->est = p->pss;
	/* Only down: when the tree shrinks, what the others left behind
	 * is not known to be this process's (and a zombie holds nothing). */
	if (shared > 0 && p->n_at && p->n_at < sp->n)
		p->est = p->uss + (int64_t)((double)shared * (double)p->n_at /
		                            (double)sp->n);
}

/* The PSS grown since the last reading: anonymous pages in full (touched
 * or copied on write: this process's own), file-backed ones at the share
 * the process had of its shared pages then (a forked child mapping the
 * library code its parent uses adds a fraction of a page per page). */
static int64_t grown_share(const struct brc_sampler *sp, const struct proc *p)
{
	int64_t file = p->file - p->file_at, anon = p->rss - p->rss_at - file;
	int64_t shared = p->rss_at - p->uss;
	double f = shared > 0 ? (double)(p->est - p->uss) / (double)shared : 1;

	(void)sp;
	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	return anon + (int64_t)((double)file * f);
}

/* Whose PSS to read next: never read first, then the most RSS change,
 * then the oldest reading. */
static struct proc *next_for_pss(struct brc_sampler *sp)
{
	struct proc *best = NULL;
	int64_t best_d = -1;

	for (size_t i = 0; i < sp->n; i++) {
		struct proc *p = &sp->p[i];
		int64_t d;

		if (p->read_tick == sp->tick && p->measured)
			continue;
		if (!p->measured)
			return p;
		d = llabs(p->rss - p->rss_at);
		if (!d && p->n_at == sp->n &&
		    sp->tick - p->read_tick < REFRESH_TICKS)
			continue;
		d += (int64_t)(sp->tick - p->read_tick);
		if (p->n_at != sp->n)
			d += (int64_t)1 << 40; /* its shares changed: first */
		if (d > best_d) {
			best_d = d;
			best = p;
		}
	}
	return best;
}

int brc_sampler_take(struct brc_sampler *sp, bool full, struct brc_sample *out)
{
	uint64_t t0 = brc_threadtime_ns();
	struct proc *old = sp->p, *p;
	size_t n_old = sp->n;
	double mean_pss = 0, mean_uss = 0;
	size_t measured = 0;

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
		       (p = next_for_pss(sp)))
			read_pss(sp, p);
	for (size_t i = 0; i < sp->n; i++)
		if (sp->p[i].measured)
			shares_now(sp, &sp->p[i]);
	for (size_t i = 0; i < sp->n; i++)
		if (sp->p[i].measured && i) {
			mean_pss += (double)sp->p[i].est;
			mean_uss += (double)sp->p[i].uss;
			measured++;
		}
	if (measured) {
		mean_pss /= (double)measured;
		mean_uss /= (double)measured;
	}
	for (size_t i = 0; i < sp->n; i++) {
		p = &sp->p[i];
		if (p->measured) {
			int64_t grown = p->rss - p->rss_at;
			int64_t est = p->est + grown_share(sp, p);

			/* A share is never more than what is resident. */
			out->pss += est < 0 ? 0 : est > p->rss ? p->rss : est;
			grown += p->uss;
			out->uss += grown < 0 ? 0 : grown > p->rss ? p->rss : grown;
		} else {
			out->pss += measured && mean_pss < (double)p->rss
			                    ? (int64_t)mean_pss : p->rss;
			out->uss += measured && mean_uss < (double)p->rss
			                    ? (int64_t)mean_uss : p->rss;
		}
		out->rss += p->rss;
		out->threads += p->threads;
	}
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
