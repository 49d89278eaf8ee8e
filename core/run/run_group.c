/*
 * run_group.c - the worker's process group from the parent's side
 * (run_group.h): the forked child that becomes the worker in its own
 * process group and memory group, and, after the run, everything it left
 * behind killed and reaped: the group, what left it for the memory group,
 * and what escaped both to us, the subreaper.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run/run_group.h"
#include "util.h"

#define REAP_LIMIT_NS 3000000000ull /* give up on a group after 3 s */

/* The child: own process group, dies with benchrun, fds 0-3 wired. */
void brc_group_exec_worker(const char *exe, int in_fd, int out_fd, int rep_fd,
                           pid_t parent, const struct brc_cgroup *cg)
{
	sigset_t none;
	const char *why;

	setpgid(0, 0);
	/* Before exec, so everything the worker ever starts is inside. */
	if (cg->version && brc_cgroup_enter(cg))
		dprintf(2, "benchrun: cannot enter the memory group: %s\n",
		        strerror(errno));
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	/* dup2 onto the same number keeps FD_CLOEXEC, so move them out of
	 * the way first when needed. */
	if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0 ||
	    (rep_fd == 3 ? fcntl(3, F_SETFD, 0) : dup2(rep_fd, 3)) < 0) {
		why = "dup2";
		goto fail;
	}
	execl(exe, "benchrun", "__worker", (char *)NULL);
	why = exe;
fail:
	dprintf(2, "benchrun: cannot start the worker: %s: %s\n", why,
	        strerror(errno));
	_exit(127);
}

/* Kill what is left of the worker's group and reap all of it. */
static void kill_group(pid_t pid, struct brc_spawn_out *o)
{
	uint64_t limit = brc_now_ns() + REAP_LIMIT_NS;
	int st;
	pid_t r;

	kill(-pid, SIGKILL);
	if (!o->reaped) {
		while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
			;
		if (r == pid) {
			o->reaped = true;
			o->wait_status = st;
		}
	}
	/* Orphans of the group are our children (we are a subreaper). */
	while (brc_now_ns() < limit) {
		r = waitpid(-pid, NULL, WNOHANG);
		if (r < 0 && errno == ECHILD)
			break;
		if (r <= 0) {
			kill(-pid, SIGKILL);
			nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
		}
	}
}

static bool listed(pid_t p, const pid_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == p)
			return true;
	return false;
}

/*
 * Descendants that left the worker's process group (setsid, setpgid)
 * escape kill_group.  Once their parent is gone they are reparented to us
 * (the subreaper): every child of ours that was not there before the
 * worker started is one of them.  Kill and reap them, and their own
 * children in turn, which come back to us the same way.
 */
static void kill_escaped(const pid_t *before, size_t n_before)
{
	pid_t *now;
	size_t n;
	bool found;
	int rounds = 0;

	do {
		found = false;
		n = brc_proc_children(getpid(), &now);
		for (size_t i = 0; i < n; i++) {
			if (listed(now[i], before, n_before))
				continue;
			brc_debug("killing %d, left behind by the worker", (int)now[i]);
			kill(now[i], SIGKILL);
			waitpid(now[i], NULL, 0);
			found = true;
		}
		free(now);
	} while (found && ++rounds < 100);
}

void brc_group_reap(pid_t pid, struct brc_spawn_out *o,
                    const struct brc_cgroup *cg, const pid_t *before,
                    size_t n_before)
{
	kill_group(pid, o);
	/* The group holds what left the process group too (setsid). */
	if (cg->version) {
		pid_t *left;
		size_t n_left = brc_cgroup_pids(cg, &left);

		for (size_t i = 0; i < n_left; i++)
			kill(left[i], SIGKILL);
		free(left);
	}
	kill_escaped(before, n_before);
}
