#!/usr/bin/env python3
"""requests in a ThreadPoolExecutor of BENCHRUN_CONCURRENCY workers."""
from concurrent.futures import ThreadPoolExecutor

import ticketlib


def main():
    urls, workers = ticketlib.workload()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(ticketlib.fetch_with_requests, enumerate(urls)))


if __name__ == "__main__":
    main()
