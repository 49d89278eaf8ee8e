/*
 * broken_abi.c - test fixture: a descriptor that claims ABI 2.0, which the
 * loader must refuse with a "rebuild it" message.
 */
#include "fixture_hooks.h"

const struct br_plugin benchrun_plugin = {
	.magic = BR_PLUGIN_MAGIC,
	.abi_major = 2,
	.abi_minor = 0,
	.size = sizeof(struct br_plugin),
	.name = "broken_abi",
	.description = "built for a future ABI",
	.create = fixture_create,
	.run = fixture_run,
};
