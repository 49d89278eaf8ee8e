/*
 * null.c - the strategy that does nothing: no I/O, no threads, reports no
 * request.  Run with `workload.days: 0` it measures benchrun itself: the
 * worker process, the handshakes and the sampler, i.e. the floor under
 * every other strategy's numbers (bench/harness.sh).  `hold` keeps the
 * run hook busy sleeping, to measure the sampler on a steady process.
 */
#include <benchrun/plugin.h>
#include <stddef.h>
#include <stdlib.h>
#include <time.h>

struct null_opts {
	double hold;
};

struct null_state {
	double hold;
};

/* Allocated in create, which is not measured: the run hook allocates
 * nothing. */
static int null_create(const struct br_host *host, const void *opts,
                       void **state)
{
	const struct null_opts *o = opts;
	struct null_state *s = malloc(sizeof(*s));

	if (!s) {
		host->log(NULL, BR_LOG_ERROR, "null: out of memory");
		return -1;
	}
	s->hold = o->hold;
	*state = s;
	return 0;
}

static int null_run(void *state, struct br_run *run)
{
	const struct null_state *s = state;
	struct timespec ts = { (time_t)s->hold,
	                       (long)((s->hold - (double)(time_t)s->hold) * 1e9) };

	(void)run;
	if (s->hold > 0)
		while (nanosleep(&ts, &ts))
			;
	return 0;
}

static void null_destroy(void *state)
{
	free(state);
}

static const struct br_param null_params[] = {
	{ "hold", BR_PARAM_DURATION, offsetof(struct null_opts, hold), "0", 0,
	  3600, "sleep this long in run (to measure the sampler)" },
	{ NULL },
};

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "null",
	.description = "does nothing (measures the harness; use days: 0)",
	.params = null_params,
	.opts_size = sizeof(struct null_opts),
	.create = null_create,
	.run = null_run,
	.destroy = null_destroy,
	/* It starts no request, so none starts before it is due. */
	.flags = BR_PLUGIN_F_NO_FETCH | BR_PLUGIN_F_DUE,
};
