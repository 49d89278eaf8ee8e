/*
 * unresolved.c - test fixture: calls a function no library defines, so
 * dlopen(RTLD_NOW) fails and the loader must say why.
 */
#include "fixture_hooks.h"

/* Deliberately never defined anywhere. */
int br_fixture_no_such_function(void);

static int unresolved_run(void *state, struct br_run *run)
{
	(void)state;
	(void)run;
	return br_fixture_no_such_function();
}

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "unresolved",
	.description = "needs a symbol nobody provides",
	.create = fixture_create,
	.run = unresolved_run,
};
