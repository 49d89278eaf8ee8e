/*
 * broken_abi.c - test fixture, built twice: a descriptor that claims ABI
 * 2.0 (the loader must refuse it with a "rebuild it" message), and with
 * BROKEN_SIZE one that claims to be smaller than ABI 1.0's descriptor.
 */
#include "fixture_hooks.h"

const struct br_plugin benchrun_plugin = {
	.magic = BR_PLUGIN_MAGIC,
#ifdef BROKEN_SIZE
	.abi_major = BR_ABI_MAJOR,
	.abi_minor = BR_ABI_MINOR,
	.size = 16,
	.name = "broken_size",
#else
	.abi_major = 2,
	.abi_minor = 0,
	.size = sizeof(struct br_plugin),
	.name = "broken_abi",
#endif
	.description = "built for a future ABI",
	.create = fixture_create,
	.run = fixture_run,
};
