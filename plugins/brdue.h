/*
 * brdue.h - waiting for a request's due time (ABI 1.1, the open model),
 * for the plugins that wait by sleeping: sync before each request, the
 * threads dispatcher before it creates a thread, a pool's dispatcher
 * before it hands a request over.  Event loops use their own timers
 * instead (a sleeping loop would stall the transfers in flight).
 *
 * In the closed model every request is due at 0 and this returns at once.
 * A plugin that uses it sets BR_PLUGIN_F_DUE; a core that loads a 1.1
 * plugin always has now() and due().
 */
#ifndef BR_PLUGINS_BRDUE_H
#define BR_PLUGINS_BRDUE_H

#include <errno.h>
#include <stdint.h>
#include <time.h>

#include <benchrun/plugin.h>

/* Nanoseconds until request i is due, 0 when it is due already. */
static inline uint64_t brdue_left(const struct br_host *h,
                                  const struct br_run *run, size_t i)
{
	uint64_t due, now;

	/* A host without the services (a test's hand-made table) is a
	 * closed-model host. */
	if (!BR_HAS_MEMBER(struct br_host, h->size, due) || !h->due || !h->now)
		return 0;
	due = h->due(run, i);
	if (!due)
		return 0;
	now = h->now(run);
	return now >= due ? 0 : due - now;
}

/* Sleep until request i is due (never returns early: nanosleep may wake
 * up early on a signal, so check the clock again). */
static inline void brdue_wait(const struct br_host *h,
                              const struct br_run *run, size_t i)
{
	uint64_t left;

	while ((left = brdue_left(h, run, i)) > 0) {
		struct timespec ts = { (time_t)(left / 1000000000u),
		                       (long)(left % 1000000000u) };

		nanosleep(&ts, NULL);
	}
}

#endif /* BR_PLUGINS_BRDUE_H */
