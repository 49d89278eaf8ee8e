/*
 * fixture_hooks.h - do-nothing hooks shared by the loader's test fixtures,
 * which only differ in how their descriptors are broken.
 */
#ifndef BR_FIXTURE_HOOKS_H
#define BR_FIXTURE_HOOKS_H

#include <benchrun/plugin.h>

static inline int fixture_create(const struct br_host *host, const void *opts,
                          void **state)
{
	(void)host;
	(void)opts;
	*state = NULL;
	return 0;
}

/* Fetches nothing: the fixtures are loaded and checked, never measured.
 * (static inline: a fixture that does not use one gets no warning.) */
static inline int fixture_run(void *state, struct br_run *run)
{
	(void)state;
	(void)run;
	return 0;
}

#endif
