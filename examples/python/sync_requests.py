#!/usr/bin/env python3
"""The article's baseline: requests.get, one URL after another."""
import ticketlib


def main():
    urls, _ = ticketlib.workload()
    for job in enumerate(urls):
        ticketlib.fetch_with_requests(job)


if __name__ == "__main__":
    main()
