#!/usr/bin/env python3
"""asyncio + aiohttp, at most BENCHRUN_CONCURRENCY requests at once (semaphore)."""
import asyncio

import aiohttp

import ticketlib


async def fetch(session, sem, i, url):
    async with sem:
        ticketlib.started(i)
        try:
            async with session.get(url) as r:
                body = await r.read()
                ticketlib.finished(i, r.status, body)
        except (aiohttp.ClientError, asyncio.TimeoutError) as e:
            ticketlib.failed(i, e)


async def main():
    urls, limit = ticketlib.workload()
    sem = asyncio.Semaphore(limit)
    timeout = aiohttp.ClientTimeout(total=60)
    connector = aiohttp.TCPConnector(limit=limit)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as s:
        await asyncio.gather(*(fetch(s, sem, i, u) for i, u in enumerate(urls)))


if __name__ == "__main__":
    asyncio.run(main())
