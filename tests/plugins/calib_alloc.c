/*
 * calib_alloc.c - allocates and touches `mib` MiB in run and holds it
 * until destroy, so the sampler's last sample still sees it.
 */
#include <stdint.h>
#include <stddef.h>

#include "calib.h"

struct opts {
	int64_t mib;
};

CALIB_CREATE(struct opts)

static int calib_run(void *state, struct br_run *run)
{
	struct calib *c = state;
	const struct opts *o = (const void *)c->opts;

	(void)run;
	c->mem_len = (size_t)o->mib << 20;
	if (!c->mem_len)
		return 0;
	c->mem = malloc(c->mem_len);
	if (!c->mem)
		return -1;
	memset(c->mem, 0x5a, c->mem_len); /* touch every page */
	return 0;
}

static const struct br_param params[] = {
	{ "mib", BR_PARAM_INT, offsetof(struct opts, mib), "64", 0, 4096,
	  "MiB to allocate and touch" },
	{ NULL },
};

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "calib_alloc",
	.description = "allocates and touches mib MiB",
	.params = params,
	.opts_size = sizeof(struct opts),
	.create = calib_create,
	.run = calib_run,
	.destroy = calib_destroy,
};
