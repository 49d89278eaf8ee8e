/*
 * calib_sleep.c - sleeps `seconds`: the wall clock's ground truth.
 */
#include <stddef.h>
#include <time.h>

#include "calib.h"

struct opts {
	double seconds;
};

CALIB_CREATE(struct opts)

static int calib_run(void *state, struct br_run *run)
{
	const struct opts *o = (const void *)((struct calib *)state)->opts;
	struct timespec ts = { (time_t)o->seconds,
	                       (long)((o->seconds - (time_t)o->seconds) * 1e9) };

	(void)run;
	while (nanosleep(&ts, &ts))
		;
	return 0;
}

static const struct br_param params[] = {
	{ "seconds", BR_PARAM_DURATION, offsetof(struct opts, seconds), "0.3",
	  0, 3600, "how long to sleep" },
	{ NULL },
};

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "calib_sleep",
	.description = "sleeps for the given time",
	.params = params,
	.opts_size = sizeof(struct opts),
	.create = calib_create,
	.run = calib_run,
	.destroy = calib_destroy,
};
