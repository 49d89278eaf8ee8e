/*
 * calib_cpu.c - burns `seconds` of CPU in one thread: the CPU clock's
 * ground truth.
 */
#include <stddef.h>
#include <time.h>

#include "calib.h"

struct opts {
	double seconds;
};

CALIB_CREATE(struct opts)

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int calib_run(void *state, struct br_run *run)
{
	const struct opts *o = (const void *)((struct calib *)state)->opts;
	double end = cpu_now() + o->seconds;
	volatile unsigned long x = 0;

	(void)run;
	while (cpu_now() < end)
		for (int k = 0; k < 10000; k++)
			x += (unsigned long)k;
	return x == 1 ? -1 : 0; /* uses x; never true */
}

static const struct br_param params[] = {
	{ "seconds", BR_PARAM_DURATION, offsetof(struct opts, seconds), "0.3",
	  0, 3600, "CPU time to burn" },
	{ NULL },
};

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "calib_cpu",
	.description = "burns CPU for the given time",
	.params = params,
	.opts_size = sizeof(struct opts),
	.create = calib_create,
	.run = calib_run,
	.destroy = calib_destroy,
};
