/*
 * params_demo.c - test fixture: a well-formed plugin declaring one
 * parameter of every type, with defaults and ranges, to test typing.
 */
#include <stddef.h>

#include "fixture_hooks.h"

struct demo_opts {
	int64_t concurrency;
	double ratio;
	bool verbose;
	const char *mode;
	int64_t buffer;
	double timeout;
	const char *const *hosts;
};

static const struct br_param demo_params[] = {
	{ "concurrency", BR_PARAM_INT, offsetof(struct demo_opts, concurrency),
	  "4", 1, 1000, "parallel requests" },
	{ "ratio", BR_PARAM_DOUBLE, offsetof(struct demo_opts, ratio),
	  "0.5", 0, 1, "a fraction" },
	{ "verbose", BR_PARAM_BOOL, offsetof(struct demo_opts, verbose),
	  "false", 0, 0, "say more" },
	{ "mode", BR_PARAM_STRING, offsetof(struct demo_opts, mode),
	  "fast", 0, 0, "a word" },
	{ "buffer", BR_PARAM_SIZE, offsetof(struct demo_opts, buffer),
	  "64KiB", 1024, 1048576, "receive buffer" },
	{ "timeout", BR_PARAM_DURATION, offsetof(struct demo_opts, timeout),
	  "10s", 0.001, 3600, "per request" },
	{ "hosts", BR_PARAM_STRLIST, offsetof(struct demo_opts, hosts),
	  "[a, b]", 0, 0, "a list" },
	{ NULL },
};

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "params_demo",
	.description = "one parameter of every type",
	.params = demo_params,
	.opts_size = sizeof(struct demo_opts),
	.create = fixture_create,
	.run = fixture_run,
};
