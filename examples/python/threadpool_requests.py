#!/usr/bin/env python3
"""requests in a ThreadPoolExecutor of BENCHRUN_CONCURRENCY workers."""
from concurrent.futures import ThreadPoolExecutor

import requests

import ticketlib


def fetch(job):
    i, url = job
    ticketlib.started(i)
    try:
        r = requests.get(url, timeout=60)
        ticketlib.finished(i, r.status_code, r.content)
    except requests.RequestException as e:
        ticketlib.failed(i, e)


def main():
    urls, workers = ticketlib.workload()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(fetch, enumerate(urls)))


if __name__ == "__main__":
    main()
