/*
 * run_spawn.c - start one worker process and watch it (see runner.h).
 *
 * One poll loop in the parent serves four sources: the report pipe (fd 3
 * in the worker: handshakes, then the report), the worker's stdout+stderr
 * (only the tail is kept), a timerfd that paces the memory samples, and a
 * pidfd that says when the worker exited.  The timeout and the stop flag
 * are checked on every wake-up; a signal interrupts poll with EINTR, so a
 * Ctrl-C is noticed at once.  How the worker's process starts and how all
 * it left behind is killed afterwards is run_group.c's.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run/cgroup.h"
#include "run/run_group.h"
#include "run/runner.h"
#include "util.h"

#define OUTPUT_TAIL 4096

volatile sig_atomic_t brc_spawn_pgid;

struct watch {
	pid_t pid;
	int in_fd;                 /* worker's stdin, for the "g" replies */
	struct brc_buf rep;         /* everything read from fd 3           */
	size_t rep_pos;            /* start of what is not a handshake     */
	bool in_report;            /* past the handshakes                  */
	struct brc_buf out;         /* output tail                          */
	struct brc_spawn_out *o;
	size_t cap;
	struct brc_sampler *sp;
	struct brc_cgroup *cg;      /* the run's group, version 0 if none    */
	uint64_t start_ns;         /* when the worker was started           */
};

static void take_sample(struct watch *w, struct brc_sample *s, bool full)
{
	brc_sampler_take(w->sp, full, s);
	w->o->sampler_cpu_ns += s->cost_ns;
	w->o->sampler_count++;
}

/* The exact instrument at "ready": the worker must really be in the group
 * (else it is not exact, and says so); the peak restarts from here. */
static void group_ready(struct watch *w)
{
	pid_t *v;
	size_t n = w->cg->version ? brc_cgroup_pids(w->cg, &v) : 0;
	bool in = false;

	for (size_t i = 0; i < n; i++)
		in = in || v[i] == w->pid;
	if (n)
		free(v);
	if (!in) {
		if (w->cg->version)
			brc_warn("the worker is not in its memory group %s: "
			        "tree memory is sampled", w->cg->path);
		w->o->cg_version = 0;
		return;
	}
	w->o->cg_version = w->cg->version;
	w->o->cg_baseline = brc_cgroup_current(w->cg);
	brc_sampler_top_reset(w->sp);
	if (brc_cgroup_reset_peak(w->cg))
		brc_debug("could not reset the group's peak: it counts from "
		         "the worker's start");
}

/* ... and at "end", before the worker returns and reaps anything. */
static void group_end(struct watch *w)
{
	if (!w->o->cg_version)
		return;
	struct brc_cgroup_stat top;

	w->o->cg_peak = brc_cgroup_peak(w->cg);
	w->o->cg_end = brc_cgroup_current(w->cg);
	brc_cgroup_stat(w->cg, &w->o->cg_stat);
	/* The breakdown nearest the peak: the sample with the highest usage,
	 * unless the end is higher still. */
	if (brc_sampler_top(w->sp, &top) > w->o->cg_end) {
		int64_t kpeak = w->o->cg_stat.kernel_peak;

		w->o->cg_stat = top;
		w->o->cg_stat.kernel_peak = kpeak;
	}
}

static void reply_go(struct watch *w, bool last)
{
	ssize_t n;

	if (w->in_fd < 0)
		return;
	do
		n = write(w->in_fd, "g", 1);
	while (n < 0 && errno == EINTR);
	if (last) {
		close(w->in_fd);
		w->in_fd = -1;
	}
}

/* Act on complete handshake lines at the head of what fd 3 delivered. */
static void scan_report(struct watch *w)
{
	while (!w->in_report && w->rep_pos < w->rep.len) {
		char *line = w->rep.data + w->rep_pos;
		char *nl = memchr(line, '\n', w->rep.len - w->rep_pos);

		if (line[0] == '{') {
			w->in_report = true;
			break;
		}
		if (!nl)
			break;
		if (nl - line == 5 && !memcmp(line, "ready", 5)) {
			w->o->ready = true;
			w->o->ready_ns = brc_now_ns();
			take_sample(w, &w->o->baseline, true);
			group_ready(w);
			reply_go(w, false);
		} else if (nl - line == 3 && !memcmp(line, "end", 3)) {
			w->o->ended = true;
			take_sample(w, &w->o->final, true);
			group_end(w);
			reply_go(w, true);
		}
		w->rep_pos = (size_t)(nl + 1 - w->rep.data);
	}
}

/* -v shows the worker's output (plugin logs, an exec program's stderr)
 * as it comes, cleaned of escape sequences (brc_sanitize). */
static void echo_output(const char *chunk, size_t n)
{
	char text[8193];

	memcpy(text, chunk, n);
	for (size_t i = 0; i < n; i++)
		if (!text[i])
			text[i] = '?';
	text[n] = '\0';
	brc_sanitize(text, BRC_TEXT_KEEP_NL | BRC_TEXT_KEEP_TAB);
	fwrite(text, 1, n, stderr);
}

/* Read what is there; returns false at EOF or on error. */
static bool drain(int fd, struct brc_buf *b, bool tail)
{
	char chunk[8192];
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN;
		if (n == 0)
			return false;
		brc_buf_append(b, chunk, (size_t)n);
		if (tail && brc_verbosity >= 1)
			echo_output(chunk, (size_t)n);
		if (tail && b->len > 2 * OUTPUT_TAIL) {
			memmove(b->data, b->data + b->len - OUTPUT_TAIL,
			        OUTPUT_TAIL);
			b->len = OUTPUT_TAIL;
			b->data[b->len] = '\0';
		}
	}
}

/*
 * A periodic sample, every tick: the sampler (sampler_tree.c) keeps its
 * cost per tick small enough for trees of 1,000 processes, so the
 * interval holds; the runner reports the spacing it achieved.
 */
static void push_sample(struct watch *w)
{
	struct brc_spawn_out *o = w->o;
	struct brc_sample *s;

	if (o->n_samples == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 256;
		o->samples = brc_xrealloc(o->samples, w->cap * sizeof(*o->samples));
	}
	s = &o->samples[o->n_samples];
	take_sample(w, s, false);
	if (s->procs)
		o->n_samples++;
}

static int start_timer(double interval)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	struct itimerspec its = { 0 };
	uint64_t ns = (uint64_t)(interval * 1e9);

	if (fd < 0)
		return -1;
	if (ns < 1000000)
		ns = 1000000;
	its.it_interval.tv_sec = (time_t)(ns / 1000000000u);
	its.it_interval.tv_nsec = (long)(ns % 1000000000u);
	its.it_value = its.it_interval;
	timerfd_settime(fd, 0, &its, NULL);
	return fd;
}

static void watch_loop(struct watch *w, int rep_fd, int out_fd, int pid_fd,
                       int tfd, double timeout, volatile sig_atomic_t *stop)
{
	uint64_t deadline = brc_now_ns() + (uint64_t)(timeout * 1e9);
	struct pollfd p[4];
	bool rep_open = true, out_open = true;
	uint64_t ticks, now;
	int st, ms;

	for (;;) {
		if (stop && *stop) {
			w->o->interrupted = true;
			return;
		}
		now = brc_now_ns();
		if (now >= deadline) {
			w->o->timed_out = true;
			return;
		}
		if (!w->o->reaped && waitpid(w->pid, &st, WNOHANG) == w->pid) {
			w->o->reaped = true;
			w->o->wait_status = st;
		}
		/* Once the worker is gone, whatever still holds the pipes
		 * is an orphan: kill_group ends it. */
		if (w->o->reaped)
			return;
		p[0] = (struct pollfd){ rep_open ? rep_fd : -1, POLLIN, 0 };
		p[1] = (struct pollfd){ out_open ? out_fd : -1, POLLIN, 0 };
		p[2] = (struct pollfd){ tfd, POLLIN, 0 };
		p[3] = (struct pollfd){ pid_fd, POLLIN, 0 };
		/* The timer wakes us anyway; the cap keeps a huge timeout
		 * from overflowing poll's int. */
		ms = deadline - now > 1000000000u
		             ? 1000
		             : (int)((deadline - now) / 1000000u) + 1;
		if (poll(p, 4, ms) < 0)
			continue; /* EINTR: re-check stop and the deadline */
		if (p[0].revents) {
			rep_open = drain(rep_fd, &w->rep, false);
			scan_report(w);
		}
		if (p[1].revents)
			out_open = drain(out_fd, &w->out, true);
		if (p[2].revents && read(tfd, &ticks, sizeof(ticks)) > 0)
			push_sample(w);
	}
}

static void ignore_sigpipe(void)
{
	struct sigaction sa = { .sa_handler = SIG_IGN };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
}

int brc_spawn_worker(const char *exe, const char *spec, double timeout,
                    double interval, volatile sig_atomic_t *stop,
                    struct brc_spawn_out *out)
{
	struct watch w = { .o = out, .in_fd = -1 };
	struct brc_cgroup cg = { .procs_fd = -1, .peak_fd = -1 };
	int in[2], outp[2], rep[2], tfd, pid_fd;
	char *why = NULL;
	pid_t self = getpid();
	char self_exe[4096] = "/proc/self/exe";
	pid_t *before;
	size_t n_before;
	ssize_t n;

	memset(out, 0, sizeof(*out));
	/* The real path rather than /proc/self/exe, which under valgrind
	 * names valgrind itself. */
	if (!exe && (n = readlink("/proc/self/exe", self_exe,
	                          sizeof(self_exe) - 1)) > 0)
		self_exe[n] = '\0';
	ignore_sigpipe();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	n_before = brc_proc_children(self, &before);
	if (brc_cgroup_create(&cg, &why))
		free(why); /* said once, by brc_memory_instrument */
	w.cg = &cg;
	if (pipe2(in, O_CLOEXEC))
		goto fail_in;
	if (pipe2(outp, O_CLOEXEC))
		goto fail_out;
	if (pipe2(rep, O_CLOEXEC))
		goto fail_rep;
	w.pid = fork();
	if (w.pid < 0)
		goto fail_fork;
	if (w.pid == 0)
		brc_group_exec_worker(exe ? exe : self_exe, in[0], outp[1],
		                      rep[1], self, &cg);
	setpgid(w.pid, w.pid); /* both sides, so there is no race */
	w.start_ns = brc_now_ns();
	w.sp = brc_sampler_new(w.pid, &cg, interval);
	brc_sampler_adopt(w.sp, self, before, n_before);
	brc_spawn_pgid = w.pid;
	close(in[0]);
	close(outp[1]);
	close(rep[1]);
	w.in_fd = in[1];
	fcntl(outp[0], F_SETFL, O_NONBLOCK);
	fcntl(rep[0], F_SETFL, O_NONBLOCK);
	pid_fd = (int)syscall(SYS_pidfd_open, w.pid, 0);
	tfd = start_timer(interval);

	/* The spec is small: the pipe buffer takes it without blocking. */
	if (write(w.in_fd, spec, strlen(spec)) < 0 || write(w.in_fd, "\n", 1) < 0)
		brc_debug("writing the run spec: %s", strerror(errno));

	watch_loop(&w, rep[0], outp[0], pid_fd, tfd, timeout, stop);
	brc_group_reap(w.pid, out, &cg, before, n_before);
	brc_cgroup_destroy(&cg);
	brc_sampler_free(w.sp);
	out->interval = interval;
	free(before);
	brc_spawn_pgid = 0;
	out->elapsed_ns = brc_now_ns() - w.start_ns;
	drain(rep[0], &w.rep, false);
	scan_report(&w);
	drain(outp[0], &w.out, true);

	if (w.in_report && w.rep_pos < w.rep.len)
		out->report = brc_xstrdup(w.rep.data + w.rep_pos);
	out->output = w.out.data;
	if (w.in_fd >= 0)
		close(w.in_fd);
	if (tfd >= 0)
		close(tfd);
	if (pid_fd >= 0)
		close(pid_fd);
	close(rep[0]);
	close(outp[0]);
	brc_buf_free(&w.rep);
	return 0;

fail_fork:
	close(rep[0]);
	close(rep[1]);
fail_rep:
	close(outp[0]);
	close(outp[1]);
fail_out:
	close(in[0]);
	close(in[1]);
fail_in:
	brc_error("cannot start a worker process: %s", strerror(errno));
	brc_cgroup_destroy(&cg);
	free(before);
	return -1;
}

void brc_spawn_out_free(struct brc_spawn_out *o)
{
	free(o->report);
	free(o->output);
	free(o->samples);
	memset(o, 0, sizeof(*o));
}
