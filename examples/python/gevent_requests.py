#!/usr/bin/env python3
"""gevent: monkey-patched requests on a pool of BENCHRUN_CONCURRENCY greenlets."""
from gevent import monkey

monkey.patch_all()

import gevent.pool  # noqa: E402  (must come after patching)
import requests  # noqa: E402

import ticketlib  # noqa: E402


def fetch(job):
    i, url = job
    ticketlib.started(i)
    try:
        r = requests.get(url, timeout=60)
        ticketlib.finished(i, r.status_code, r.content)
    except requests.RequestException as e:
        ticketlib.failed(i, e)


def main():
    urls, size = ticketlib.workload()
    pool = gevent.pool.Pool(size)
    pool.map(fetch, enumerate(urls))


if __name__ == "__main__":
    main()
