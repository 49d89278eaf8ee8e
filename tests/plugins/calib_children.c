/*
 * calib_children.c - forks `children` processes, each touching `mib` MiB
 * and holding it for `hold` seconds; waits for all of them.  Ground truth
 * for the process tree's memory.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "calib.h"

struct opts {
	int64_t children, mib;
	double hold;
};

CALIB_CREATE(struct opts)

static void child(const struct opts *o)
{
	size_t len = (size_t)o->mib << 20;
	char *p = malloc(len);
	struct timespec ts = { (time_t)o->hold,
	                       (long)((o->hold - (time_t)o->hold) * 1e9) };

	if (p)
		memset(p, 0x5a, len);
	/* Keep the compiler from dropping the unused buffer. */
	__asm__ volatile("" : : "r"(p) : "memory");
	nanosleep(&ts, NULL);
	_exit(p ? 0 : 1);
}

static int calib_run(void *state, struct br_run *run)
{
	const struct opts *o = (const void *)((struct calib *)state)->opts;
	int rc = 0, st;

	(void)run;
	for (int64_t i = 0; i < o->children; i++) {
		pid_t pid = fork();

		if (pid == 0)
			child(o);
		if (pid < 0)
			rc = -1;
	}
	while (wait(&st) > 0)
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			rc = -1;
	return rc;
}

static const struct br_param params[] = {
	{ "children", BR_PARAM_INT, offsetof(struct opts, children), "4", 0, 64,
	  "processes to fork" },
	{ "mib", BR_PARAM_INT, offsetof(struct opts, mib), "16", 0, 1024,
	  "MiB each child touches" },
	{ "hold", BR_PARAM_DURATION, offsetof(struct opts, hold), "0.3", 0, 60,
	  "how long each child keeps its memory" },
	{ NULL },
};

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "calib_children",
	.description = "forks children that each touch some memory",
	.params = params,
	.opts_size = sizeof(struct opts),
	.create = calib_create,
	.run = calib_run,
	.destroy = calib_destroy,
};
