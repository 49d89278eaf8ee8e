/*
 * broken_magic.c - test fixture: the right symbol with a wrong magic
 * number, as if the descriptor were not a benchrun plugin's.
 */
#include "fixture_hooks.h"

const struct br_plugin benchrun_plugin = {
	.magic = 0xdeadbeefu,
	.abi_major = BR_ABI_MAJOR,
	.abi_minor = BR_ABI_MINOR,
	.size = sizeof(struct br_plugin),
	.name = "broken_magic",
	.description = "wrong magic",
	.create = fixture_create,
	.run = fixture_run,
};
