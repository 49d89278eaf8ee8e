/*
 * exec.c - a strategy that is another program: Python, Go, a shell script.
 *
 * benchrun starts `command` once per run, writes the workload's URLs to its
 * standard input (one per line, in request order, then EOF) and reads what
 * it did from its standard output, one record per line:
 *
 *   start I                    request I began (optional: latency starts)
 *   body I STATUS LEN          followed by exactly LEN bytes of body and a
 *                              newline; the core parses and validates it
 *   summary I STATUS FIELDS    the program prepared the ticket itself; FIELDS
 *                              is the canonical summary text
 *                              ("trips=20 cheapest=1250 ... digest=<hex>")
 *   error I STATUS TEXT        request I failed (STATUS 0: no response)
 *   log TEXT                   a diagnostic line
 *   ready                      start-up (interpreter, imports) is over: wall
 *                              and CPU are measured from here (optional)
 *
 * Environment: BENCHRUN_COUNT (number of requests), BENCHRUN_CONCURRENCY
 * (the `concurrency` parameter) and every `env` entry.  In an open-model
 * scenario each URL line also carries when the request is due ("URL
 * SECONDS", after BENCHRUN_EPOCH, a CLOCK_MONOTONIC time in seconds), and
 * BENCHRUN_ARRIVAL=open: the program starts no request before it is due.
 * A program that exits non-zero, is killed, or prints a line that is none
 * of the above fails the run with that reason; a ticket it never reports
 * is "missing" for the core.
 * So does a line longer than BREXEC_MAX_LINE, a body length that is not a
 * byte count and a body not followed by its newline (exec_proto.c).  The
 * program dies with the worker (PR_SET_PDEATHSIG): a kill -9 of benchrun
 * leaves nothing running.
 * docs/exec-protocol.md has the details and examples/python/ four programs.
 * The program's side (its input lines, environment, exec and CPU) is in
 * exec_child.c; this file runs it: pipes, fork, the pump, the outcome.
 */
#define _GNU_SOURCE /* pipe2 */
#include <benchrun/plugin.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exec_child.h"
#include "exec_proto.h"

struct exec_opts {
	const char *const *command;
	const char *const *env;
	const char *cwd;
	int64_t concurrency;
};

static const struct br_param exec_params[] = {
	{ "command", BR_PARAM_STRLIST, offsetof(struct exec_opts, command),
	  NULL, 0, 0, "program and arguments (argv list; required)",
	  BR_PARAM_F_PROGRAM },
	{ "env", BR_PARAM_STRLIST, offsetof(struct exec_opts, env), NULL, 0, 0,
	  "extra environment entries, NAME=VALUE" },
	{ "cwd", BR_PARAM_STRING, offsetof(struct exec_opts, cwd), NULL, 0, 0,
	  "working directory of the program" },
	{ "concurrency", BR_PARAM_INT, offsetof(struct exec_opts, concurrency),
	  "10", 1, 1000000, "passed as BENCHRUN_CONCURRENCY",
	  .flags = BR_PARAM_F_CONCURRENCY },
	{ NULL },
};

struct exec_state {
	const struct br_host *host;
	const struct exec_opts *opts;
	struct br_run *run;
	size_t count;
	char *in;              /* URL lines still to write to the child    */
	size_t in_len, in_off;
	char *out;             /* bytes read from the child, not yet parsed */
	size_t out_len, out_cap;
	struct brexec_parser parser; /* records (exec_proto.c)               */
	pid_t pid;             /* the program                               */
	bool ready;            /* its `ready` record was seen               */
	bool open;             /* open model: lines carry due times        */
	double epoch;          /* CLOCK_MONOTONIC seconds when run began   */
};

static int exec_create(const struct br_host *host, const void *opts,
                       void **state)
{
	const struct exec_opts *o = opts;
	struct exec_state *st;

	if (!o->command || !o->command[0]) {
		host->log(NULL, BR_LOG_ERROR, "exec: parameter 'command' is required"
		          " (e.g. command: [python3, fetch.py])");
		return -1;
	}
	if (!BR_HAS_MEMBER(struct br_host, host->size, done_summary)) {
		host->log(NULL, BR_LOG_ERROR, "exec: this benchrun is too old "
		          "(no done_summary service)");
		return -1;
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		return -1;
	st->host = host;
	st->opts = o;
	*state = st;
	return 0;
}

/* Open model: due times travel to the program, on the run's clock,
 * which is CLOCK_MONOTONIC (time.monotonic() in Python) offset by the
 * run's start, passed as BENCHRUN_EPOCH. */
static void exec_arrivals(struct exec_state *st)
{
	const struct br_host *h = st->host;
	struct timespec ts;

	st->open = false;
	if (!BR_HAS_MEMBER(struct br_host, h->size, due) || !h->due || !h->now)
		return;
	for (size_t i = 0; i < st->count && !st->open; i++)
		st->open = h->due(st->run, i) > 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	st->epoch = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9 -
	            (double)h->now(st->run) / 1e9;
}

/* Everything the child needs, built before fork.  A run starts from
 * nothing: the instance may run again (plugin.h). */
static int build_input(struct exec_state *st)
{
	free(st->in);
	st->in = NULL;
	st->in_len = st->in_off = st->out_len = 0;
	exec_arrivals(st);
	return brexec_input(st->host, st->run, st->count, st->open, &st->in,
	                    &st->in_len);
}

/* `ready`: the program has started its interpreter, imported and set up;
 * what is measured begins now (host->ready, ABI 1.1).  Once. */
static void on_ready(struct exec_state *st)
{
	uint64_t user = 0, sys = 0;

	if (st->ready)
		return;
	st->ready = true;
	if (!BR_HAS_MEMBER(struct br_host, st->host->size, ready) ||
	    !st->host->ready)
		return;
	if (brexec_child_cpu(st->pid, &user, &sys))
		st->host->log(st->run, BR_LOG_WARN, "exec: cannot read the "
		              "program's CPU at ready: its start-up CPU is "
		              "counted in the run");
	st->host->ready(st->run, user, sys);
}

/* The parser's callbacks: the host's hooks on this run. */
static void cb_ready(void *cls)
{
	on_ready(cls);
}

static void cb_log(void *cls, const char *text)
{
	struct exec_state *st = cls;

	st->host->log(st->run, BR_LOG_INFO, "exec: %s", text);
}

static void cb_start(void *cls, size_t i)
{
	struct exec_state *st = cls;

	st->host->start(st->run, i);
}

static void cb_body(void *cls, size_t i, const char *data, size_t n)
{
	struct exec_state *st = cls;

	st->host->body(st->run, i, data, n);
}

static void cb_done(void *cls, size_t i, int status, const char *error)
{
	struct exec_state *st = cls;

	st->host->done(st->run, i, status, error);
}

static void cb_summary(void *cls, size_t i, int status, const char *fields)
{
	struct exec_state *st = cls;

	st->host->done_summary(st->run, i, status, NULL, fields);
}

/* Consume what can be parsed from st->out. */
static void parse_output(struct exec_state *st)
{
	size_t off = brexec_parse(&st->parser, st->out, st->out_len);

	memmove(st->out, st->out + off, st->out_len - off);
	st->out_len -= off;
}

static int read_output(struct exec_state *st, int fd)
{
	if (st->out_cap - st->out_len < 65536) {
		size_t cap = st->out_cap ? st->out_cap * 2 : 131072;
		char *p = realloc(st->out, cap);

		if (!p)
			return -1;
		st->out = p;
		st->out_cap = cap;
	}
	ssize_t r = read(fd, st->out + st->out_len, st->out_cap - st->out_len);

	if (r > 0) {
		st->out_len += (size_t)r;
		parse_output(st);
	}
	return (int)r;
}

/* Feed URLs and read records until the child closes its stdout. */
static void pump(struct exec_state *st, int to_child, int from_child)
{
	for (;;) {
		struct pollfd p[2] = { { from_child, POLLIN, 0 },
		                       { to_child, POLLOUT, 0 } };
		int n = to_child >= 0 ? 2 : 1;

		if (poll(p, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (n == 2 && p[1].revents) {
			ssize_t w = write(to_child, st->in + st->in_off,
			                  st->in_len - st->in_off);

			if (w > 0)
				st->in_off += (size_t)w;
			if (w < 0 && errno != EAGAIN && errno != EINTR)
				st->in_off = st->in_len; /* child stopped reading */
			if (st->in_off == st->in_len) {
				close(to_child);
				to_child = -1;
			}
		}
		if (p[0].revents) {
			int r = read_output(st, from_child);

			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
				break;
			if (st->parser.broken)
				break; /* exec_run stops the program */
		}
	}
	if (to_child >= 0)
		close(to_child);
}

static int report_exit(struct exec_state *st, int wstatus)
{
	const char *prog = st->opts->command[0];

	if (st->parser.broken) {
		st->host->log(st->run, BR_LOG_ERROR, "exec: %s broke the "
		              "protocol: %s (see docs/exec-protocol.md)", prog,
		              st->parser.broken);
		return -1;
	}
	if (WIFSIGNALED(wstatus)) {
		st->host->log(st->run, BR_LOG_ERROR, "exec: %s was killed by %s",
		              prog, strsignal(WTERMSIG(wstatus)));
		return -1;
	}
	if (WEXITSTATUS(wstatus) == 127) {
		/* execvp failed in the child, or a shell could not find a
		 * command: either way the program did not start. */
		st->host->log(st->run, BR_LOG_ERROR, "exec: %s cannot be started "
		              "(exit status 127: not found, not executable, or "
		              "its interpreter is missing)", prog);
		return -1;
	}
	if (WEXITSTATUS(wstatus)) {
		st->host->log(st->run, BR_LOG_ERROR, "exec: %s exited with status %d",
		              prog, WEXITSTATUS(wstatus));
		return -1;
	}
	if (st->parser.garbage) {
		st->host->log(st->run, BR_LOG_ERROR,
		              "exec: %s printed a line that is not in the protocol:"
		              " '%.80s' (see docs/exec-protocol.md)", prog,
		              st->parser.garbage);
		return -1;
	}
	if (st->parser.body_left || st->out_len) {
		st->host->log(st->run, BR_LOG_ERROR,
		              "exec: %s ended in the middle of a record", prog);
		return -1;
	}
	return 0;
}

static int exec_run(void *state, struct br_run *run)
{
	struct exec_state *st = state;
	int in[2], out[2], wstatus, rc = -1;
	pid_t pid, self = getpid();

	st->run = run;
	st->count = st->host->count(run);
	free(st->parser.garbage);
	free(st->parser.broken);
	st->parser = (struct brexec_parser){
		.count = st->count, .cls = st, .ready = cb_ready, .log = cb_log,
		.start = cb_start, .body = cb_body, .done = cb_done,
		.summary = cb_summary,
	};
	if (build_input(st))
		return -1;
	if (pipe2(in, O_CLOEXEC))
		goto fail_in;
	if (pipe2(out, O_CLOEXEC))
		goto fail_out;
	pid = fork();
	if (pid < 0)
		goto fail_fork;
	if (pid == 0) {
		struct brexec_spawn sp = {
			.command = st->opts->command, .env = st->opts->env,
			.cwd = st->opts->cwd, .concurrency = st->opts->concurrency,
			.count = st->count, .open = st->open, .epoch = st->epoch,
		};

		brexec_child(&sp, in[0], out[1], self);
	}
	st->pid = pid;
	st->ready = false;
	close(in[0]);
	close(out[1]);
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	/* A child that stops reading must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	pump(st, in[1], out[0]);
	if (st->parser.broken)
		kill(pid, SIGKILL); /* nothing it says can be trusted now */
	close(out[0]);
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	return report_exit(st, wstatus);

fail_fork:
	close(out[0]);
	close(out[1]);
fail_out:
	close(in[0]);
	close(in[1]);
fail_in:
	st->host->log(run, BR_LOG_ERROR, "exec: cannot start %s: %s",
	              st->opts->command[0], strerror(errno));
	return rc;
}

static void exec_destroy(void *state)
{
	struct exec_state *st = state;

	free(st->in);
	free(st->out);
	free(st->parser.garbage);
	free(st->parser.broken);
	free(st);
}

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "exec",
	.description = "runs an external program (any language) as the strategy",
	.params = exec_params,
	.opts_size = sizeof(struct exec_opts),
	.create = exec_create,
	.run = exec_run,
	.destroy = exec_destroy,
	/* The program gets the due times; the core counts any start it
	 * reports early. */
	.flags = BR_PLUGIN_F_DUE,
};
