#!/usr/bin/env python3
"""gevent: monkey-patched requests on a pool of BENCHRUN_CONCURRENCY greenlets.

Open model: the main greenlet sleeps (gevent.sleep) until each request is
due and spawns it into the pool, which waits for a free slot."""
from gevent import monkey

monkey.patch_all()

import time  # noqa: E402

import gevent  # noqa: E402
import gevent.pool  # noqa: E402  (must come after patching)

import ticketlib  # noqa: E402


def main():
    urls, size = ticketlib.workload()
    pool = gevent.pool.Pool(size)
    if not ticketlib.is_open():
        pool.map(ticketlib.fetch_with_requests, enumerate(urls))
        return
    for job in enumerate(urls):
        while ticketlib.due(job[0]) > time.monotonic():
            gevent.sleep(ticketlib.due(job[0]) - time.monotonic())
        pool.spawn(ticketlib.fetch_with_requests, job)
    pool.join()


if __name__ == "__main__":
    main()
