/*
 * null.c - the strategy that does nothing: no I/O, no threads, reports no
 * request.  Run with `workload.days: 0` it measures benchrun itself: the
 * worker process, the handshakes and the sampler, i.e. the floor under
 * every other strategy's numbers (bench/harness.sh).
 */
#include <benchrun/plugin.h>

static int null_create(const struct br_host *host, const void *opts,
                       void **state)
{
	(void)opts;
	*state = (void *)host;
	return 0;
}

static int null_run(void *state, struct br_run *run)
{
	(void)state;
	(void)run;
	return 0;
}

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "null",
	.description = "does nothing (measures the harness; use days: 0)",
	.create = null_create,
	.run = null_run,
};
