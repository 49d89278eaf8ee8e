/*
 * missing_symbol.c - test fixture: a shared object that exports no
 * `benchrun_plugin` (a typo in the descriptor's name).
 */
#include "fixture_hooks.h"

const struct br_plugin benchrun_plugn = {
	BR_PLUGIN_HEADER,
	.name = "missing_symbol",
	.description = "descriptor under the wrong name",
	.create = fixture_create,
	.run = fixture_run,
};
