#!/usr/bin/env python3
"""The article's baseline: requests.get, one URL after another (in the
open model, each one not before it is due)."""
import ticketlib


def main():
    urls, _ = ticketlib.workload()
    for job in enumerate(urls):
        ticketlib.wait_due(job[0])
        ticketlib.fetch_with_requests(job)


if __name__ == "__main__":
    main()
