/*
 * calib_wrong.c - fetches nothing and lies: request i gets a body that is
 * not its ticket when i % 3 == 0, a valid-looking JSON that is no ticket
 * when i % 3 == 1, and no done() at all when i % 3 == 2.  The core must
 * count corrupt and missing tickets and fail the run with ERRORS.
 */
#include <stddef.h>

#include "calib.h"

struct opts {
	int unused;
};

CALIB_CREATE(struct opts)

static int calib_run(void *state, struct br_run *run)
{
	const struct br_host *h = ((struct calib *)state)->host;
	size_t n = h->count(run);
	static const char garbage[] = "this is not JSON";
	static const char other[] = "{\"route\":\"X\",\"trips\":[]}";

	for (size_t i = 0; i < n; i++) {
		if (i % 3 == 2)
			continue;
		h->start(run, i);
		if (i % 3 == 0)
			h->body(run, i, garbage, sizeof(garbage) - 1);
		else
			h->body(run, i, other, sizeof(other) - 1);
		h->done(run, i, 200, NULL);
	}
	return 0;
}

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "calib_wrong",
	.description = "reports wrong bodies and skips tickets (test fixture)",
	.opts_size = sizeof(struct opts),
	.create = calib_create,
	.run = calib_run,
	.destroy = calib_destroy,
};
