/*
 * sampler.c - process tree memory from /proc (see sampler.h).
 *
 * Cost matters: the runner samples every 10 ms while the strategy runs, on
 * the same two cores.  Per process it reads two small files (status and
 * smaps_rollup, whose PSS the kernel computes by walking the page tables)
 * plus one children file per thread; no allocation besides the pid list.
 */
#include "config.h"

#include "run/sampler.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"


/* Above this many threads a full sample finds children by scanning /proc
 * (a read per process of the machine) instead of reading one children
 * file per thread. */
#define MANY_THREADS 64

/* A process has one parent, so children lists never repeat a pid. */
void brc_pid_push(struct brc_pidlist *l, pid_t p)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->v = brc_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = p;
}

/* Read a small /proc file into buf (NUL-terminated); returns its length
 * or -1. */
ssize_t brc_proc_read(const char *path, char *buf, size_t size)
{
	ssize_t n, total = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((size_t)total < size - 1) {
		n = read(fd, buf + total, size - 1 - (size_t)total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += n;
	}
	close(fd);
	buf[total] = '\0';
	return total;
}

/* The value of "Key:   123 kB" in bytes (or a plain count), -1 if absent. */
int64_t brc_proc_field(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *p = text;

	while ((p = strstr(p, key))) {
		if ((p == text || p[-1] == '\n') && p[klen] == ':') {
			char *end;
			long long v = strtoll(p + klen + 1, &end, 10);

			while (*end == ' ')
				end++;
			return strncmp(end, "kB", 2) ? v : v * 1024;
		}
		p += klen;
	}
	return -1;
}

int64_t brc_proc_uss(const char *rollup)
{
	int64_t c = brc_proc_field(rollup, "Private_Clean");
	int64_t d = brc_proc_field(rollup, "Private_Dirty");
	int64_t h = brc_proc_field(rollup, "Private_Hugetlb");

	return (c > 0 ? c : 0) + (d > 0 ? d : 0) + (h > 0 ? h : 0);
}

int brc_sample_proc(pid_t pid, struct brc_sample *out)
{
	char path[64], buf[4096];
	int64_t v;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (brc_proc_read(path, buf, sizeof(buf)) <= 0)
		return -1;
	out->procs = 1;
	out->full = true;
	v = brc_proc_field(buf, "Threads");
	out->threads = v > 0 ? (int32_t)v : 1;
	out->root_vsize = (v = brc_proc_field(buf, "VmSize")) > 0 ? v : 0;
	out->root_hwm = (v = brc_proc_field(buf, "VmHWM")) > 0 ? v : 0;
	out->rss = (v = brc_proc_field(buf, "VmRSS")) > 0 ? v : 0;
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	if (brc_proc_read(path, buf, sizeof(buf)) > 0) {
		if ((v = brc_proc_field(buf, "Pss")) >= 0)
			out->pss = v;
		out->uss = brc_proc_uss(buf);
		if ((v = brc_proc_field(buf, "Rss")) >= 0)
			out->rss = v;
	}
	return 0;
}

/* Fast: RSS, threads and VmSize from /proc/P/stat (fields 20, 23, 24). */
static int sample_stat(pid_t pid, struct brc_sample *out)
{
	char path[64], buf[1024], *p;
	long threads = 0, rss_pages = 0;
	unsigned long vsize = 0;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (brc_proc_read(path, buf, sizeof(buf)) <= 0)
		return -1;
	p = strrchr(buf, ')'); /* comm may contain anything but ')' last */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	                 "%*u %*u %*d %*d %*d %*d %ld %*d %*u %lu %ld",
	                 &threads, &vsize, &rss_pages) != 3)
		return -1;
	out->procs = 1;
	out->threads = (int32_t)threads;
	out->root_vsize = (int64_t)vsize;
	out->rss = rss_pages * sysconf(_SC_PAGESIZE);
	return 0;
}

/* Append the pids listed in a children file (any length: a pool of 1,000
 * processes lists ~6 KB); -1 when it cannot be opened. */
static int read_children(const char *path, struct brc_pidlist *l)
{
	char chunk[4096];
	long c = 0;
	bool in_num = false;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		/* Digits may straddle two reads: parse by hand. */
		for (ssize_t k = 0; k < n; k++) {
			if (chunk[k] >= '0' && chunk[k] <= '9') {
				c = c * 10 + (chunk[k] - '0');
				in_num = true;
			} else if (in_num) {
				brc_pid_push(l, (pid_t)c);
				c = 0;
				in_num = false;
			}
		}
	}
	if (in_num)
		brc_pid_push(l, (pid_t)c);
	close(fd);
	return 0;
}

/*
 * Append the children of pid; -1 when the kernel has no children files.
 * A child is listed under the thread that forked it.  Reading every
 * thread's list costs a read per thread, thousands of them, so only
 * `all_threads` (full samples) does; otherwise only the main thread's list
 * is read, and a child forked by another thread shows up at the next full
 * sample.
 */
int brc_proc_add_children(pid_t pid, bool all_threads, struct brc_pidlist *l)
{
	char path[96];
	DIR *d;
	struct dirent *e;
	int found = 0;

	if (!all_threads) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/children",
		         (int)pid, (int)pid);
		if (read_children(path, l) < 0)
			return errno == ENOENT ? -1 : 0;
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%d/children",
		         (int)pid, atoi(e->d_name));
		if (read_children(path, l) == 0)
			found = 1;
	}
	closedir(d);
	return found ? 0 : -1;
}

size_t brc_proc_children(pid_t pid, pid_t **out)
{
	struct brc_pidlist l = { 0 };

	brc_proc_add_children(pid, true, &l);
	*out = l.v;
	return l.n;
}

/* Fallback: every process whose parent is already in the list. */
static void scan_ppids(struct brc_pidlist *l)
{
	char path[64], buf[512];
	DIR *d;
	struct dirent *e;
	size_t before;

	do {
		before = l->n;
		d = opendir("/proc");
		if (!d)
			return;
		while ((e = readdir(d))) {
			char *rp;
			int ppid;

			if (e->d_name[0] < '1' || e->d_name[0] > '9')
				continue;
			snprintf(path, sizeof(path), "/proc/%d/stat",
			         atoi(e->d_name));
			if (brc_proc_read(path, buf, sizeof(buf)) <= 0)
				continue;
			rp = strrchr(buf, ')'); /* comm may contain spaces */
			if (!rp || sscanf(rp + 2, "%*c %d", &ppid) != 1)
				continue;
			pid_t pid = (pid_t)atoi(e->d_name);
			bool parent_in = false, known = false;

			for (size_t i = 0; i < l->n; i++) {
				parent_in = parent_in || l->v[i] == ppid;
				known = known || l->v[i] == pid;
			}
			if (parent_in && !known)
				brc_pid_push(l, pid);
		}
		closedir(d);
	} while (l->n != before);
}

int brc_sample_tree(pid_t root, bool full, struct brc_sample *out)
{
	struct brc_pidlist l = { 0 };
	struct brc_sample one;
	uint64_t t0 = brc_threadtime_ns();
	bool scan_late = false, scanned = false, many;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->ns = brc_now_ns();
	brc_pid_push(&l, root);
	for (size_t i = 0;; i++) {
		if (i == l.n) {
			if (!scan_late || scanned)
				break;
			scanned = true;
			scan_ppids(&l);
			if (i == l.n)
				break;
		}
		if (full ? brc_sample_proc(l.v[i], &one)
		         : sample_stat(l.v[i], &one)) {
			if (i == 0) {
				rc = -1;
				break;
			}
			continue; /* exited meanwhile */
		}
		if (i == 0) {
			out->root_vsize = one.root_vsize;
			out->root_hwm = one.root_hwm;
		}
		out->pss += one.pss;
		out->uss += one.uss;
		out->rss += one.rss;
		out->procs++;
		out->threads += one.threads;
		if (scanned)
			continue; /* the ppid scan found the whole tree */
		/* With many threads, one pass over /proc is cheaper than a
		 * children file per thread. */
		many = full && one.threads > MANY_THREADS;
		if (brc_proc_add_children(l.v[i], full && one.threads > 1 && !many, &l) ||
		    many)
			scan_late = true;
	}
	free(l.v);
	out->full = full;
	out->cost_ns = brc_threadtime_ns() - t0;
	return rc;
}
