/*
 * calib_sleep.c - sleeps `seconds` in run: the wall clock's ground truth;
 * and `setup` seconds in create, which must not be measured.
 */
#include <stddef.h>
#include <time.h>

#include "calib.h"

struct opts {
	double seconds, setup;
};

static void nap(double seconds)
{
	struct timespec ts = { (time_t)seconds,
	                       (long)((seconds - (double)(time_t)seconds) * 1e9) };

	while (nanosleep(&ts, &ts))
		;
}

static int calib_create(const struct br_host *host, const void *opts,
                        void **state)
{
	nap(((const struct opts *)opts)->setup);
	return calib_create_sized(host, opts, sizeof(struct opts), state);
}

static int calib_run(void *state, struct br_run *run)
{
	const struct opts *o = (const void *)((struct calib *)state)->opts;

	(void)run;
	nap(o->seconds);
	return 0;
}

static const struct br_param params[] = {
	{ "seconds", BR_PARAM_DURATION, offsetof(struct opts, seconds), "0.3",
	  0, 3600, "how long to sleep in run" },
	{ "setup", BR_PARAM_DURATION, offsetof(struct opts, setup), "0",
	  0, 3600, "how long to sleep in create (not measured)" },
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
