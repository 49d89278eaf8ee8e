#!/usr/bin/env python3
"""asyncio + aiohttp, at most BENCHRUN_CONCURRENCY requests at once (semaphore).

Open model: each request's task is created by loop.call_at at its due time
(loop.time() is time.monotonic(), the clock of the due times)."""
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


def arrive(loop, s, sem, i, url, fut):
    """At request i's due time: start its task, resolve its future."""
    task = loop.create_task(fetch(s, sem, i, url))
    task.add_done_callback(lambda t: fut.set_result(None))


async def main():
    urls, limit = ticketlib.workload()
    sem = asyncio.Semaphore(limit)
    timeout = aiohttp.ClientTimeout(total=60)
    connector = aiohttp.TCPConnector(limit=limit)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as s:
        if not ticketlib.is_open():
            await asyncio.gather(*(fetch(s, sem, i, u)
                                   for i, u in enumerate(urls)))
            return
        loop = asyncio.get_running_loop()
        done = []
        for i, u in enumerate(urls):
            fut = loop.create_future()
            loop.call_at(ticketlib.due(i), arrive, loop, s, sem, i, u, fut)
            done.append(fut)
        await asyncio.gather(*done)


if __name__ == "__main__":
    asyncio.run(main())
