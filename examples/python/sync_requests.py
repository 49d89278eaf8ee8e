#!/usr/bin/env python3
"""The article's baseline: requests.get, one URL after another."""
import requests

import ticketlib


def main():
    urls, _ = ticketlib.workload()
    for i, url in enumerate(urls):
        ticketlib.started(i)
        try:
            r = requests.get(url, timeout=60)
            ticketlib.finished(i, r.status_code, r.content)
        except requests.RequestException as e:
            ticketlib.failed(i, e)


if __name__ == "__main__":
    main()
