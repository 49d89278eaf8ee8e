#!/usr/bin/env python3
"""gevent: monkey-patched requests on a pool of BENCHRUN_CONCURRENCY greenlets."""
from gevent import monkey

monkey.patch_all()

import gevent.pool  # noqa: E402  (must come after patching)

import ticketlib  # noqa: E402


def main():
    urls, size = ticketlib.workload()
    pool = gevent.pool.Pool(size)
    pool.map(ticketlib.fetch_with_requests, enumerate(urls))


if __name__ == "__main__":
    main()
