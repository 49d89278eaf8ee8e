/*
 * cgroup.c - a memory-accounting group per measured worker (see cgroup.h).
 *
 * Where benchrun's own group is: /proc/self/cgroup names it relative to
 * the root of its hierarchy, /proc/self/mountinfo says where (and which
 * part of) that hierarchy is mounted.  The run's group is made right
 * below it as "benchrun-<pid>-<n>", never anywhere else, and removed
 * after the run; a group that cannot be made there means the fallback.
 * What a group's files say (usage, peak, breakdown, members) is read in
 * cgroup_read.c.
 */
#include "config.h"

#include "run/cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define EMPTY_LIMIT_NS 3000000000ull /* wait for a killed group at most 3 s */

static int probed;          /* 0: not yet, 1: available, -1: not      */
static int found_version;
static char *own_dir;       /* benchrun's own group, as a directory   */
static char *probe_why;
static unsigned seq;

const char *brc_cgroup_name(int version)
{
	return version == 2 ? "cgroup v2 memory controller"
	     : version == 1 ? "cgroup v1 memory controller"
	                    : "sampled from /proc";
}

static bool has_word(const char *list, const char *word, char sep)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, sep);
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && !strncmp(p, word, n))
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

/* Our group's path in the hierarchy that has the memory controller:
 * version 1 ("N:...memory...:/path") or 2 ("0::/path"). */
static char *own_path(int version)
{
	char *text = brc_read_file("/proc/self/cgroup", 1 << 16, NULL);
	char *line, *save = NULL, *out = NULL;

	for (line = text ? strtok_r(text, "\n", &save) : NULL; line && !out;
	     line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (!c2)
			continue;
		*c2 = '\0';
		if (version == 1 && has_word(c1 + 1, "memory", ','))
			out = brc_xstrdup(c2 + 1);
		if (version == 2 && !strcmp(line, "0") && c1 + 1 == c2)
			out = brc_xstrdup(c2 + 1);
	}
	free(text);
	return out;
}

/* The directory of `path` in a mounted hierarchy: fstype "cgroup" whose
 * options name memory (v1), or "cgroup2".  mountinfo fields: id parent
 * dev root mountpoint options [optional...] - fstype source superopts. */
static char *mounted_dir(int version, const char *path)
{
	char *text = brc_read_file("/proc/self/mountinfo", 1 << 20, NULL);
	char *line, *save = NULL, *out = NULL;

	for (line = text ? strtok_r(text, "\n", &save) : NULL; line && !out;
	     line = strtok_r(NULL, "\n", &save)) {
		char root[1024], mnt[1024], fstype[64], super[1024];
		const char *dash = strstr(line, " - ");
		size_t rl;

		if (!dash || sscanf(line, "%*s %*s %*s %1023s %1023s", root, mnt) != 2 ||
		    sscanf(dash + 3, "%63s %*s %1023s", fstype, super) != 2)
			continue;
		if (version == 1 && (strcmp(fstype, "cgroup") ||
		                     !has_word(super, "memory", ',')))
			continue;
		if (version == 2 && strcmp(fstype, "cgroup2"))
			continue;
		/* A mount of a sub-tree (containers) shows paths below it. */
		rl = strcmp(root, "/") ? strlen(root) : 0;
		if (rl && (strncmp(path, root, rl) || (path[rl] && path[rl] != '/')))
			continue;
		out = brc_xasprintf("%s%s", mnt, path + rl);
	}
	free(text);
	return out;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* v2: the memory controller must be on in our group's subtree_control
 * for a child to have memory files; that fails while our own group holds
 * processes (cgroup v2's no-internal-process rule) unless it is on
 * already. */
static int v2_enable(const char *dir, char **why)
{
	char *ctl = brc_xasprintf("%s/cgroup.controllers", dir);
	char *sub = brc_xasprintf("%s/cgroup.subtree_control", dir);
	char *text = brc_read_file(ctl, 4096, NULL);
	char *on = brc_read_file(sub, 4096, NULL);
	int rc = -1;

	if (!text || !strstr(text, "memory"))
		*why = brc_xstrdup("the memory controller is not available in "
		                  "benchrun's cgroup v2 group");
	else if ((on && strstr(on, "memory")) || !write_str(sub, "+memory"))
		rc = 0;
	else
		*why = brc_xasprintf("cannot enable the memory controller below "
		                    "benchrun's cgroup v2 group %s (%s): run it in "
		                    "a delegated, otherwise empty group", dir,
		                    strerror(errno));
	free(ctl);
	free(sub);
	free(text);
	free(on);
	return rc;
}

void brc_cgroup_sweep(void)
{
	DIR *d = own_dir ? opendir(own_dir) : NULL;
	struct dirent *e;
	unsigned n;
	int pid;

	while (d && (e = readdir(d))) {
		char *path;

		if (sscanf(e->d_name, "benchrun-%d-%u", &pid, &n) != 2 ||
		    pid == (int)getpid() || kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		path = brc_xasprintf("%s/%s", own_dir, e->d_name);
		rmdir(path); /* fails, and stays, while something is inside */
		free(path);
	}
	if (d)
		closedir(d);
}

/* Find our group and try making (and removing) a child there, once. */
static void probe(void)
{
	const char *env = getenv("BENCHRUN_CGROUP");
	char *path = NULL, *test;

	probed = -1;
	if (env && (!strcmp(env, "off") || !strcmp(env, "0"))) {
		probe_why = brc_xstrdup("BENCHRUN_CGROUP=off");
		return;
	}
	/* v1 first: where the memory controller is bound to a v1 hierarchy,
	 * the unified one has no memory files. */
	for (int v = 1; v <= 2 && !own_dir; v++) {
		free(path);
		path = own_path(v);
		if (path)
			own_dir = mounted_dir(v, path);
		if (own_dir)
			found_version = v;
	}
	free(path);
	if (!own_dir) {
		probe_why = brc_xstrdup("no memory controller is mounted");
		return;
	}
	if (found_version == 2 && v2_enable(own_dir, &probe_why))
		return;
	test = brc_xasprintf("%s/benchrun-%d-probe", own_dir, (int)getpid());
	if (mkdir(test, 0755) && errno != EEXIST) {
		probe_why = brc_xasprintf("cannot create a group below benchrun's "
		                         "own (%s: %s)", own_dir, strerror(errno));
		free(test);
		return;
	}
	rmdir(test);
	free(test);
	probed = 1;
	brc_cgroup_sweep();
}

int brc_cgroup_available(char **why)
{
	if (!probed)
		probe();
	if (probed < 0 && why)
		*why = brc_xstrdup(probe_why);
	return probed > 0 ? 0 : -1;
}

char *brc_cgroup_describe(double interval)
{
	char *why = NULL, *d;

	if (!brc_cgroup_available(&why))
		return brc_xasprintf("%s (exact tree peak), sampled from /proc "
		                    "every %g ms for the timeline",
		                    brc_cgroup_name(found_version), interval * 1e3);
	d = brc_xasprintf("sampled from /proc every %g ms, no cgroup (%s): "
	                  "short spikes can be missed", interval * 1e3, why);
	free(why);
	return d;
}

int brc_cgroup_create(struct brc_cgroup *cg, char **why)
{
	char *procs, *peak;

	memset(cg, 0, sizeof(*cg));
	cg->procs_fd = cg->peak_fd = -1;
	if (brc_cgroup_available(why))
		return -1;
	cg->path = brc_xasprintf("%s/benchrun-%d-%u", own_dir, (int)getpid(),
	                         ++seq);
	if (mkdir(cg->path, 0755)) {
		*why = brc_xasprintf("cannot create %s: %s", cg->path,
		                    strerror(errno));
		free(cg->path);
		cg->path = NULL;
		return -1;
	}
	cg->version = found_version;
	procs = brc_xasprintf("%s/cgroup.procs", cg->path);
	cg->procs_fd = open(procs, O_WRONLY | O_CLOEXEC);
	free(procs);
	if (cg->version == 2) {
		peak = brc_xasprintf("%s/memory.peak", cg->path);
		cg->peak_fd = open(peak, O_RDWR | O_CLOEXEC);
		if (cg->peak_fd < 0)
			cg->peak_fd = open(peak, O_RDONLY | O_CLOEXEC);
		free(peak);
	}
	if (cg->procs_fd < 0 || (cg->version == 2 && cg->peak_fd < 0)) {
		*why = brc_xasprintf("cannot open the files of %s: %s", cg->path,
		                    strerror(errno));
		brc_cgroup_destroy(cg);
		return -1;
	}
	return 0;
}

int brc_cgroup_enter(const struct brc_cgroup *cg)
{
	return cg->procs_fd >= 0 && write(cg->procs_fd, "0", 1) == 1 ? 0 : -1;
}

int brc_cgroup_reset_peak(const struct brc_cgroup *cg)
{
	char *p;
	int rc;

	if (cg->version == 2)
		/* Linux >= 6.12: a write resets this descriptor's peak.
		 * Older kernels keep the peak since the group was made. */
		return pwrite(cg->peak_fd, "reset\n", 6, 0) == 6 ? 0 : -1;
	p = brc_xasprintf("%s/memory.kmem.max_usage_in_bytes", cg->path);
	write_str(p, "0"); /* optional: the breakdown's kernel peak */
	free(p);
	p = brc_xasprintf("%s/memory.max_usage_in_bytes", cg->path);
	rc = write_str(p, "0");
	free(p);
	return rc;
}

void brc_cgroup_destroy(struct brc_cgroup *cg)
{
	uint64_t limit = brc_now_ns() + EMPTY_LIMIT_NS;
	pid_t *pids;
	size_t n;

	if (cg->procs_fd >= 0)
		close(cg->procs_fd);
	if (cg->peak_fd >= 0)
		close(cg->peak_fd);
	cg->procs_fd = cg->peak_fd = -1;
	if (!cg->path) {
		cg->version = 0;
		return;
	}
	/* Whatever is still inside (the runner kills and reaps the worker's
	 * tree first) dies now; rmdir succeeds once the group is empty. */
	while (rmdir(cg->path) && errno == EBUSY && brc_now_ns() < limit) {
		n = brc_cgroup_pids(cg, &pids);
		for (size_t i = 0; i < n; i++)
			kill(pids[i], SIGKILL);
		free(pids);
		nanosleep(&(struct timespec){ 0, 2000000 }, NULL);
	}
	if (access(cg->path, F_OK) == 0)
		brc_warn("could not remove the memory group %s", cg->path);
	free(cg->path);
	cg->path = NULL;
	cg->version = 0;
}
