/*
 * exec_child.c - the exec plugin's program side (exec_child.h): the lines
 * written to the program's standard input, the forked child that becomes
 * the program, and the program's CPU read from /proc for its `ready`
 * record.
 */
#include "exec_child.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int brexec_input(const struct br_host *h, struct br_run *run, size_t count,
                 bool open, char **in, size_t *len)
{
	enum { DUE_MAX = 24 }; /* " 1234567.123456789" */
	size_t need = 0;
	char *buf;

	*len = 0;
	for (size_t i = 0; i < count; i++)
		need += strlen(h->url(run, i)) + 1 + (open ? DUE_MAX : 0);
	buf = *in = malloc(need + 1);
	if (!buf)
		return -1;
	for (size_t i = 0; i < count; i++) {
		const char *u = h->url(run, i);
		size_t n = strlen(u);

		memcpy(buf + *len, u, n);
		*len += n;
		if (open) {
			uint64_t d = h->due(run, i);

			*len += (size_t)snprintf(
				buf + *len, DUE_MAX, " %llu.%09llu",
				(unsigned long long)(d / 1000000000u),
				(unsigned long long)(d % 1000000000u));
		}
		buf[(*len)++] = '\n';
	}
	return 0;
}

void brexec_child(const struct brexec_spawn *sp, int in_fd, int out_fd,
                  pid_t parent)
{
	char buf[32];

	/* Die with the worker, which dies with benchrun: a kill -9 must not
	 * leave the program running.  The worker may already be gone. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(127);
	if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0)
		_exit(127);
	snprintf(buf, sizeof(buf), "%zu", sp->count);
	setenv("BENCHRUN_COUNT", buf, 1);
	snprintf(buf, sizeof(buf), "%lld", (long long)sp->concurrency);
	setenv("BENCHRUN_CONCURRENCY", buf, 1);
	if (sp->open) {
		setenv("BENCHRUN_ARRIVAL", "open", 1);
		snprintf(buf, sizeof(buf), "%.9f", sp->epoch);
		setenv("BENCHRUN_EPOCH", buf, 1);
	}
	for (const char *const *e = sp->env; e && *e; e++)
		putenv((char *)*e);
	if (sp->cwd && chdir(sp->cwd)) {
		fprintf(stderr, "exec: cannot enter %s: %s\n", sp->cwd,
		        strerror(errno));
		_exit(127);
	}
	signal(SIGPIPE, SIG_DFL);
	execvp(sp->command[0], (char *const *)sp->command);
	fprintf(stderr, "exec: cannot run %s: %s\n", sp->command[0],
	        strerror(errno));
	_exit(127);
}

/*
 * CPU of the program and the children it waited for so far, from
 * /proc/PID/stat (utime, stime, cutime, cstime: fields 14-17, after the
 * parenthesised name, which may itself hold spaces).
 */
int brexec_child_cpu(pid_t pid, uint64_t *user_ns, uint64_t *sys_ns)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st, cut, cst;
	long hz = sysconf(_SC_CLK_TCK);
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0 || hz <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	/* After ") ": state, then fields 4..13, then utime... */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	                 "%llu %llu %llu %llu", &ut, &st, &cut, &cst) != 4)
		return -1;
	*user_ns = (ut + cut) * 1000000000ULL / (unsigned long long)hz;
	*sys_ns = (st + cst) * 1000000000ULL / (unsigned long long)hz;
	return 0;
}
