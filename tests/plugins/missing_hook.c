/*
 * missing_hook.c - test fixture: a descriptor without the required run
 * hook.
 */
#include "fixture_hooks.h"

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "missing_hook",
	.description = "no run hook",
	.create = fixture_create,
	.run = NULL,
};
