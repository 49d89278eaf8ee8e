/*
 * calib.h - what the calibration plugins share: an instance that keeps
 * the host table and a copy of the options.  Each calib_*.c does one
 * thing whose cost is known (allocate 64 MiB, sleep 0.3 s, crash...), so
 * tests/check_runner.c can hold benchrun's measurements against ground
 * truth.
 */
#ifndef BR_CALIB_H
#define BR_CALIB_H

#include <benchrun/plugin.h>
#include <stdlib.h>
#include <string.h>

struct calib {
	const struct br_host *host;
	void *mem;                 /* calib_alloc: held until destroy */
	size_t mem_len;
	char opts[];               /* a copy of the options struct    */
};

static inline int calib_create_sized(const struct br_host *host,
                                     const void *opts, size_t size,
                                     void **state)
{
	struct calib *c = calloc(1, sizeof(*c) + size);

	if (!c)
		return -1;
	c->host = host;
	if (size)
		memcpy(c->opts, opts, size);
	*state = c;
	return 0;
}

static inline void calib_destroy(void *state)
{
	struct calib *c = state;

	free(c->mem);
	free(c);
}

#define CALIB_CREATE(opts_type)                                            \
	static int calib_create(const struct br_host *host, const void *opts,  \
	                        void **state)                                  \
	{                                                                      \
		return calib_create_sized(host, opts, sizeof(opts_type), state);   \
	}

#endif
