/*
 * bad_params.c - test fixture, built four times: a parameter table with
 * an unknown type (BAD_TYPE), a duplicate name (BAD_DUP), a member past
 * the end of the options struct (BAD_OFFSET), or a default out of its
 * range (BAD_DEFAULT).
 */
#include <stddef.h>

#include "fixture_hooks.h"

struct bad_opts {
	int64_t a;
	int64_t b;
};

static const struct br_param bad_params[] = {
	{ .name = "a", .type = BR_PARAM_INT, .offset = offsetof(struct bad_opts, a) },
#if defined(BAD_TYPE)
	{ .name = "b", .type = (enum br_param_type)42,
	  .offset = offsetof(struct bad_opts, b) },
#elif defined(BAD_DUP)
	{ .name = "a", .type = BR_PARAM_INT, .offset = offsetof(struct bad_opts, b) },
#elif defined(BAD_DEFAULT)
	{ .name = "b", .type = BR_PARAM_INT, .offset = offsetof(struct bad_opts, b),
	  .def = "0", .min = 1, .max = 10 },
#elif defined(BAD_OFFSET)
	{ .name = "b", .type = BR_PARAM_INT, .offset = sizeof(struct bad_opts) },
#endif
	{ NULL },
};

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "bad_params",
	.description = "an invalid parameter table",
	.params = bad_params,
	.opts_size = sizeof(struct bad_opts),
	.create = fixture_create,
	.run = fixture_run,
};
