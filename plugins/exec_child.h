/*
 * exec_child.h - the exec plugin's program side, apart from its pipes and
 * its record parser (docs/exec-protocol.md): the program's input lines,
 * the forked child that sets up the program's environment and executes
 * it, and the program's CPU so far, for the `ready` record.
 */
#ifndef BR_PLUGINS_EXEC_CHILD_H
#define BR_PLUGINS_EXEC_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <benchrun/plugin.h>

/* The program's standard input: a line per request, its URL and, in the
 * open model, when it is due after BENCHRUN_EPOCH ("URL SECONDS").  *in
 * is malloc'd (free it; NULL and -1 when out of memory), *len bytes. */
int brexec_input(const struct br_host *h, struct br_run *run, size_t count,
                 bool open, char **in, size_t *len);

/* What the program is started with. */
struct brexec_spawn {
	const char *const *command; /* argv, searched in PATH              */
	const char *const *env;     /* extra NAME=VALUE entries, or NULL   */
	const char *cwd;            /* its working directory, or NULL      */
	int64_t concurrency;        /* BENCHRUN_CONCURRENCY                 */
	size_t count;               /* BENCHRUN_COUNT                       */
	bool open;                  /* BENCHRUN_ARRIVAL=open, and ...      */
	double epoch;               /* ... BENCHRUN_EPOCH                   */
};

/* In the forked child: stdin from in_fd, stdout to out_fd, die with
 * `parent` (PR_SET_PDEATHSIG), the environment, then execvp.  Never
 * returns; exit status 127 when the program cannot be started. */
_Noreturn void brexec_child(const struct brexec_spawn *sp, int in_fd,
                            int out_fd, pid_t parent);

/* CPU of process pid and the children it waited for so far, ns; -1 when
 * /proc cannot tell. */
int brexec_child_cpu(pid_t pid, uint64_t *user_ns, uint64_t *sys_ns);

#endif /* BR_PLUGINS_EXEC_CHILD_H */
