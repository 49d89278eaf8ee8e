#!/usr/bin/env python3
"""requests in a ThreadPoolExecutor of BENCHRUN_CONCURRENCY workers.

Open model: the main thread is a dispatcher that submits each request when
it is due; the executor queues what its workers cannot take yet."""
from concurrent.futures import ThreadPoolExecutor

import ticketlib


def main():
    urls, workers = ticketlib.workload()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        if not ticketlib.is_open():
            list(pool.map(ticketlib.fetch_with_requests, enumerate(urls)))
            return
        futures = []
        for job in enumerate(urls):
            ticketlib.wait_due(job[0])
            futures.append(pool.submit(ticketlib.fetch_with_requests, job))
        for f in futures:
            f.result()


if __name__ == "__main__":
    main()
