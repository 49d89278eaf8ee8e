/*
 * create_fails.c - test fixture: a well-formed plugin whose create hook
 * logs why and fails, as a plugin does when its set-up is impossible.
 */
#include <benchrun/plugin.h>

static int create_fails_create(const struct br_host *host, const void *opts,
                               void **state)
{
	(void)opts;
	*state = NULL;
	host->log(NULL, BR_LOG_ERROR, "create_fails: refusing on purpose");
	return -1;
}

static int create_fails_run(void *state, struct br_run *run)
{
	(void)state;
	(void)run;
	return -1;
}

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "create_fails",
	.description = "create() fails after logging",
	.create = create_fails_create,
	.run = create_fails_run,
};
