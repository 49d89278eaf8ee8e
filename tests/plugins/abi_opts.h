/*
 * abi_opts.h - the options struct of the ABI fixtures
 * (tests/plugins/abi_versions.c), shared with tests/check_abi.c, which
 * checks that each version's parameter table fills it the same way.
 */
#ifndef BR_FIXTURE_ABI_OPTS_H
#define BR_FIXTURE_ABI_OPTS_H

#include <stdint.h>

struct abi_opts {
	int64_t concurrency;
	double ratio;
	const char *mode;
};

#endif
