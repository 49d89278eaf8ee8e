"""ticketlib - what every reference program shares: read the workload from
benchrun's exec protocol, "prepare a ticket for processing" (parse the JSON,
summarise the day, burn the scenario's CPU cost), and print the record.

The exec protocol (docs/exec-protocol.md): URLs arrive on stdin, one per
line; we print `ready` once imports are done (workload()), then `start I`,
then `summary I STATUS FIELDS` or `error I STATUS TEXT` per request on
stdout.  Environment:
BENCHRUN_CONCURRENCY, BENCHRUN_CPU_US_PER_TRIP (set it with the strategy's
`env` parameter to match workload.cpu_us_per_trip).

Open model (BENCHRUN_ARRIVAL=open): each line is "URL SECONDS", request i
is due at BENCHRUN_EPOCH + SECONDS on time.monotonic()'s clock
(CLOCK_MONOTONIC), and no request may start before it is due: due(i)
gives that time, wait_due(i) sleeps until it.
"""
import hashlib
import json
import os
import sys
import threading
import time

_out_lock = threading.Lock()
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK = 0xFFFFFFFFFFFFFFFF


def ready():
    """Say `ready`: the interpreter has started and every module is
    imported, so benchrun measures wall time and CPU from here, as it does
    for a C plugin's run hook, and reports the start-up apart."""
    sys.stdout.write("ready\n")
    sys.stdout.flush()


_EPOCH = float(os.environ.get("BENCHRUN_EPOCH", "0"))
_DUE = []


def workload():
    """The URLs to fetch, in request order, and the concurrency to use.
    Called once every import is done: it announces `ready` first."""
    ready()
    urls = []
    for line in sys.stdin:
        fields = line.split()
        if not fields:
            continue
        urls.append(fields[0])
        if len(fields) > 1:
            _DUE.append(_EPOCH + float(fields[1]))
    return urls, int(os.environ.get("BENCHRUN_CONCURRENCY", "10"))


def is_open():
    """Whether requests have due times (an open-model scenario)."""
    return bool(_DUE)


def due(i):
    """When request i may start, on time.monotonic()'s clock (0: now)."""
    return _DUE[i] if _DUE else 0.0


def wait_due(i):
    """Sleep until request i is due (time.sleep may wake early: loop)."""
    while True:
        left = due(i) - time.monotonic()
        if left <= 0:
            return
        time.sleep(left)


def _fnv1a(data, h):
    for b in data:
        h = ((h ^ b) * FNV_PRIME) & MASK
    return h


def _minutes(stamp):
    # "2026-01-01T06:40" -> 400
    hh, mm = stamp[11:13], stamp[14:16]
    return int(hh) * 60 + int(mm)


_CPU_US = float(os.environ.get("BENCHRUN_CPU_US_PER_TRIP", "0"))


def _burn(seconds):
    """Real CPU work, not sleep: hashing until the thread's CPU clock moves."""
    end = time.thread_time() + seconds
    blob = b"x" * 64
    while time.thread_time() < end:
        blob = hashlib.sha256(blob).digest()


def prepare(body):
    """Parse and summarise one day; returns the canonical summary text."""
    day = json.loads(body)
    trips = day["trips"]
    cheapest = None
    total = seats = 0
    first = None
    digest = FNV_OFFSET
    for trip in trips:
        cents = round(trip["price"]["amount"] * 100)
        cheapest = cents if cheapest is None else min(cheapest, cents)
        total += cents
        seats += trip["free_seats"]
        dep = _minutes(trip["departure"])
        first = dep if first is None else min(first, dep)
        digest = _fnv1a(trip["id"].encode(), digest)
    if _CPU_US:
        _burn(_CPU_US * len(trips) / 1e6)
    return "trips=%d cheapest=%d total=%d seats=%d first=%d digest=%016x" % (
        len(trips), cheapest or 0, total, seats, first or 0, digest)


def emit(line):
    with _out_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def started(i):
    emit("start %d" % i)


def finished(i, status, body):
    """Prepare the body of request i and report it (or its failure)."""
    if status != 200:
        emit("error %d %d HTTP %d" % (i, status, status))
        return
    try:
        emit("summary %d %d %s" % (i, status, prepare(body)))
    except (ValueError, KeyError, TypeError) as e:
        emit("error %d %d bad body: %s" % (i, status, e))


def failed(i, exc):
    emit("error %d 0 %s" % (i, str(exc).replace("\n", " ")[:200]))


def fetch_with_requests(job):
    """Fetch and prepare request (i, url) with plain requests.get, as the
    article's sequential, thread-pool and gevent programs all did."""
    import requests  # imported here: gevent must patch sockets first

    i, url = job
    started(i)
    try:
        r = requests.get(url, timeout=60)
        finished(i, r.status_code, r.content)
    except requests.RequestException as e:
        failed(i, e)
