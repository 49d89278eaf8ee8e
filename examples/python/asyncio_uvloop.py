#!/usr/bin/env python3
"""asyncio + aiohttp on uvloop (libuv's event loop under asyncio), at most
BENCHRUN_CONCURRENCY requests at once: asyncio_aiohttp.py with one line
changed, to see what the event loop implementation itself costs."""
import asyncio

import uvloop

import asyncio_aiohttp

if __name__ == "__main__":
    uvloop.install()
    asyncio.run(asyncio_aiohttp.main())
