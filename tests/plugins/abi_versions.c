/*
 * abi_versions.c - test fixture, built once per way a descriptor can be
 * laid out (tests/check_abi.c loads each):
 *
 *   ABI_1_0      a plugin built against the 1.0 header: the 1.0 structs
 *                written out by hand (no param_size, no flags, br_param
 *                entries of 1.0's smaller size);
 *   ABI_1_1      a plugin built against this header (BR_PLUGIN_HEADER);
 *   ABI_EXT      a table as a later 1.x header would build it: br_param
 *                entries and the descriptor larger than this core's, the
 *                stride in param_size (abi_minor is this core's, so it
 *                loads);
 *   ABI_NEWER    the same claiming a minor version this core lacks;
 *   ABI_BAD_STRIDE  a param_size smaller than any ABI's entry.
 *
 * Each declares the same three parameters (tests/plugins/abi_opts.h).
 */
#include <stddef.h>

#include "abi_opts.h"
#include "fixture_hooks.h"

#define ABI_DESCRIPTION "the same three parameters in another layout"

#if defined(ABI_1_0)

/* benchrun/plugin.h as ABI 1.0 had it. */
struct br_param_1_0 {
	const char *name;
	enum br_param_type type;
	size_t offset;
	const char *def;
	double min, max;
	const char *help;
};

struct br_plugin_1_0 {
	uint32_t magic;
	uint16_t abi_major, abi_minor;
	uint32_t size;
	const char *name;
	const char *description;
	const struct br_param_1_0 *params;
	size_t opts_size;
	int (*create)(const struct br_host *host, const void *opts,
	              void **state);
	int (*run)(void *state, struct br_run *run);
	void (*destroy)(void *state);
};

static const struct br_param_1_0 params_1_0[] = {
	{ "concurrency", BR_PARAM_INT, offsetof(struct abi_opts, concurrency),
	  "8", 1, 1000, "in flight" },
	{ "ratio", BR_PARAM_DOUBLE, offsetof(struct abi_opts, ratio),
	  "0.25", 0, 1, "a fraction" },
	{ "mode", BR_PARAM_STRING, offsetof(struct abi_opts, mode),
	  "fast", 0, 0, "a word" },
	{ NULL },
};

const struct br_plugin_1_0 benchrun_plugin = {
	.magic = BR_PLUGIN_MAGIC,
	.abi_major = 1,
	.abi_minor = 0,
	.size = sizeof(struct br_plugin_1_0),
	.name = "abi_1_0",
	.description = ABI_DESCRIPTION,
	.params = params_1_0,
	.opts_size = sizeof(struct abi_opts),
	.create = fixture_create,
	.run = fixture_run,
};

#elif defined(ABI_EXT) || defined(ABI_NEWER)

/* What a later 1.x header might append: members this core does not know
 * and must skip over. */
struct br_param_ext {
	struct br_param p;
	double step;
	const char *unit;
};

struct br_plugin_ext {
	struct br_plugin d;
	uint64_t future_flags;
};

static const struct br_param_ext params_ext[] = {
	{ { "concurrency", BR_PARAM_INT, offsetof(struct abi_opts, concurrency),
	    "8", 1, 1000, "in flight", .flags = BR_PARAM_F_CONCURRENCY },
	  1, "requests" },
	{ { "ratio", BR_PARAM_DOUBLE, offsetof(struct abi_opts, ratio),
	    "0.25", 0, 1, "a fraction" }, 0.05, "" },
	{ { "mode", BR_PARAM_STRING, offsetof(struct abi_opts, mode),
	    "fast", 0, 0, "a word" }, 0, "" },
	{ { NULL } },
};

/* The header written out: BR_PLUGIN_HEADER would set this core's sizes. */
const struct br_plugin_ext benchrun_plugin = {
	.d = {
		.magic = BR_PLUGIN_MAGIC,
		.abi_major = BR_ABI_MAJOR,
#ifdef ABI_NEWER
		.abi_minor = BR_ABI_MINOR + 1,
		.name = "abi_newer",
#else
		.abi_minor = BR_ABI_MINOR,
		.name = "abi_ext",
#endif
		.size = sizeof(struct br_plugin_ext),
		.param_size = sizeof(struct br_param_ext),
		.description = ABI_DESCRIPTION,
		.params = &params_ext[0].p,
		.opts_size = sizeof(struct abi_opts),
		.create = fixture_create,
		.run = fixture_run,
	},
	.future_flags = 1,
};

#else /* ABI_1_1, ABI_BAD_STRIDE */

static const struct br_param params_1_1[] = {
	{ "concurrency", BR_PARAM_INT, offsetof(struct abi_opts, concurrency),
	  "8", 1, 1000, "in flight", .flags = BR_PARAM_F_CONCURRENCY },
	{ "ratio", BR_PARAM_DOUBLE, offsetof(struct abi_opts, ratio),
	  "0.25", 0, 1, "a fraction" },
	{ "mode", BR_PARAM_STRING, offsetof(struct abi_opts, mode),
	  "fast", 0, 0, "a word" },
	{ NULL },
};

const struct br_plugin benchrun_plugin = {
#ifdef ABI_BAD_STRIDE
	.magic = BR_PLUGIN_MAGIC,
	.abi_major = BR_ABI_MAJOR,
	.abi_minor = BR_ABI_MINOR,
	.size = sizeof(struct br_plugin),
	.param_size = 8,
	.name = "abi_bad_stride",
#else
	BR_PLUGIN_HEADER,
	.name = "abi_1_1",
#endif
	.description = ABI_DESCRIPTION,
	.params = params_1_1,
	.opts_size = sizeof(struct abi_opts),
	.create = fixture_create,
	.run = fixture_run,
};

#endif
