/*
 * cgroup_read.c - what a run's memory group says (see cgroup.h): its
 * usage now and at its peak, the breakdown of memory.stat, and the
 * processes inside; cgroup.c finds, makes and removes the group.
 */
#include "config.h"

#include "run/cgroup.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* A number in file `name` of the group, -1 if unreadable. */
static int64_t read_num(const struct brc_cgroup *cg, const char *name)
{
	char *path = brc_xasprintf("%s/%s", cg->path, name);
	char *text = brc_read_file(path, 256, NULL);
	int64_t v = text ? strtoll(text, NULL, 10) : -1;

	free(path);
	free(text);
	return v;
}

int64_t brc_cgroup_current(const struct brc_cgroup *cg)
{
	if (!cg->version)
		return -1;
	return read_num(cg, cg->version == 2 ? "memory.current"
	                                     : "memory.usage_in_bytes");
}

int64_t brc_cgroup_peak(const struct brc_cgroup *cg)
{
	char buf[64];
	ssize_t n;

	if (cg->version == 1)
		return read_num(cg, "memory.max_usage_in_bytes");
	if (cg->version != 2)
		return -1;
	n = pread(cg->peak_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtoll(buf, NULL, 10);
}

/* "key value" lines: the value of key, or -1. */
static int64_t stat_key(const char *text, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, key, n) && p[n] == ' ')
			return strtoll(p + n + 1, NULL, 10);
	return -1;
}

int brc_cgroup_stat(const struct brc_cgroup *cg, struct brc_cgroup_stat *st)
{
	char *path = brc_xasprintf("%s/memory.stat", cg->path);
	char *text = brc_read_file(path, 1 << 16, NULL);

	free(path);
	memset(st, 0xff, sizeof(*st)); /* every field -1: unknown */
	if (!text)
		return -1;
	if (cg->version == 2) {
		st->anon = stat_key(text, "anon");
		st->file = stat_key(text, "file");
		st->kernel = stat_key(text, "kernel");
		st->kstack = stat_key(text, "kernel_stack");
		st->pagetables = stat_key(text, "pagetables");
		st->sock = stat_key(text, "sock");
	} else {
		/* v1 memory.stat has no kernel lines; the kmem counters do. */
		st->anon = stat_key(text, "total_rss");
		st->file = stat_key(text, "total_cache");
		st->kernel = read_num(cg, "memory.kmem.usage_in_bytes");
		st->kernel_peak = read_num(cg, "memory.kmem.max_usage_in_bytes");
		st->sock = read_num(cg, "memory.kmem.tcp.usage_in_bytes");
	}
	free(text);
	return 0;
}

size_t brc_cgroup_pids(const struct brc_cgroup *cg, pid_t **out)
{
	char *path = brc_xasprintf("%s/cgroup.procs", cg->path);
	char *text = brc_read_file(path, 1 << 22, NULL);
	size_t n = 0, cap = 0;
	char *p = text, *end;

	free(path);
	*out = NULL;
	while (p && *p) {
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			*out = brc_xrealloc(*out, cap * sizeof(**out));
		}
		(*out)[n++] = (pid_t)v;
		p = end;
	}
	free(text);
	return n;
}
