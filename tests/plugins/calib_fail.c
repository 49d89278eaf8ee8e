/*
 * calib_fail.c - strategies that end badly, one per build flag, so the
 * runner's handling of each is tested against a known cause:
 *   CALIB_CRASH   SIGSEGV in run           -> CRASHED "SIGSEGV"
 *   CALIB_ABORT   abort() in run           -> CRASHED "SIGABRT"
 *   CALIB_HANG    spins forever            -> TIMEOUT, nothing left
 *   CALIB_EXIT0   exit(0) in run           -> EXITED (no report)
 *   CALIB_ORPHAN  forks a child that outlives run (same process group)
 *                                          -> OK, and the child is killed
 *   CALIB_ESCAPE  the same, but the child calls setsid() and forks again
 *                                          -> OK, and both are killed
 *   CALIB_NOISY   writes 1 MiB to stdout and to stderr, leaks 8 MiB and
 *                 100 fds               -> OK; output captured, not shown
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "calib.h"

struct opts {
	int unused;
};

CALIB_CREATE(struct opts)

static int calib_run(void *state, struct br_run *run)
{
	(void)state;
	(void)run;
#if defined(CALIB_CRASH)
	/* The default action, even in a sanitizer build whose handler would
	 * turn the crash into a report and exit(1). */
	signal(SIGSEGV, SIG_DFL);
	raise(SIGSEGV);
#elif defined(CALIB_ABORT)
	abort();
#elif defined(CALIB_HANG)
	for (volatile unsigned long x = 0;; x++)
		;
#elif defined(CALIB_EXIT0)
	exit(0);
#elif defined(CALIB_ESCAPE)
	if (fork() == 0) {
		/* Out of the worker's group and session, with a child. */
		setsid();
		fork();
		for (int i = 0; i < 600; i++)
			sleep(1);
		_exit(0);
	}
#elif defined(CALIB_NOISY)
	/* More than a pipe holds: the runner must keep draining. */
	for (int i = 0; i < 65536; i++) {
		fputs("noise on stdout\n", stdout);
		fputs("noise on stderr\n", stderr);
	}
	fflush(stdout);
	char *leak = malloc(8 << 20);
	if (leak)
		memset(leak, 1, 8 << 20);
	for (int i = 0; i < 100; i++)
		open("/dev/null", O_RDONLY);
#elif defined(CALIB_ORPHAN)
	if (fork() == 0) {
		/* Outlive the worker; only the group kill ends this. */
		for (int i = 0; i < 600; i++)
			sleep(1);
		_exit(0);
	}
#endif
	return 0;
}

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = CALIB_NAME,
	.description = "a strategy that ends badly (test fixture)",
	.opts_size = sizeof(struct opts),
	.create = calib_create,
	.run = calib_run,
	.destroy = calib_destroy,
};
