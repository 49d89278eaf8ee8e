#!/usr/bin/env python3
"""plugins_table.py - markdown tables from benchrun result files, for
bench/plugins.sh (see there).  Usage:
  plugins_table.py latency LAT.json [SYNC100.json]
  plugins_table.py throughput WRK.txt TPUT100.json TPUT1000.json
  plugins_table.py memory MEM10.json MEM100.json MEM1000.json MEM10000.json
  plugins_table.py recvbuf RBUF_MEM.json RBUF_TPUT.json
"""
import json
import math
import os
import statistics
import sys


def load(path):
    if not path or not os.path.exists(path):
        return []
    with open(path) as f:
        return json.load(f).get("groups", [])


def med(g, key):
    v = (g.get("summary") or {}).get(key) or {}
    return v.get("median")


def ok_runs(g):
    return [r for r in g.get("runs", []) if r.get("status") == "ok"]


def status(g):
    bad = [r for r in g.get("runs", []) if r.get("status") != "ok"]
    lost = sum(r.get("requests", 0) - r.get("ok", 0)
               for r in g.get("runs", []))
    if not bad:
        return "ok" if lost == 0 else "%d tickets failed" % lost
    r = bad[0]
    why = r.get("reason") or r.get("status")
    return "%d/%d %s" % (len(bad), len(g.get("runs", [])), why)


def client_cpu_us(g):
    """Median client CPU per request, without the core's ticket processing."""
    v = [(r["cpu_user"] + r["cpu_sys"] - r.get("cpu_processing", 0)) /
         r["requests"] * 1e6 for r in ok_runs(g) if r.get("requests")]
    return statistics.median(v) if v else None


def proc_us(g):
    """Median CPU per request the core spent processing tickets."""
    v = [r.get("cpu_processing", 0) / r["requests"] * 1e6
         for r in ok_runs(g) if r.get("requests")]
    return statistics.median(v) if v else None


def f(v, spec, unit=""):
    return "-" if v is None else format(v, spec) + unit


def mib(b):
    return None if b is None else b / 1048576


def latency(lat, sync=None):
    print("| strategy | concurrency | wall s | vs ideal | CPU s | client CPU "
          "µs/req | p50 ms | p99 ms | tree peak PSS MiB | status |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    rows = [(g, 1) for g in load(lat)] + [(g, 100) for g in load(sync)]
    for g, scale in rows:
        runs = ok_runs(g)
        n = runs[0]["requests"] * scale if runs else 0
        c = g.get("concurrency") or 1
        ideal = math.ceil(n / c) * 0.1 if n else None
        wall = med(g, "wall")
        wall = wall * scale if wall is not None else None
        label = g["label"] + (" (N=100, x100)" if scale != 1 else "")
        print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            label, c, f(wall, ".2f"),
            f(wall / ideal if wall and ideal else None, ".2f", "x"),
            f(med(g, "cpu") * scale if med(g, "cpu") else None, ".2f"),
            f(client_cpu_us(g), ".0f"),
            f(med(g, "p50") * 1e3 if med(g, "p50") else None, ".1f"),
            f(med(g, "p99") * 1e3 if med(g, "p99") else None, ".1f"),
            f(mib(med(g, "tree_peak_pss")), ".1f"), status(g)))


def throughput(wrk, *files):
    w = {}
    with open(wrk) as fh:
        for line in fh:
            p = line.split()
            if len(p) < 6:
                continue
            c, rps, n, cpu = int(p[0]), float(p[2]), float(p[3]), \
                float(p[4]) + float(p[5])
            w.setdefault(c, []).append((rps, cpu / n * 1e6))
    print("| strategy | concurrency | req/s | vs wrk | client CPU µs/req | "
          "processing µs/req | wrk req/s | wrk CPU µs/req | status |")
    print("|---|---|---|---|---|---|---|---|---|")
    for path in files:
        for g in load(path):
            c = g.get("concurrency") or 1
            ref = w.get(c) or w.get(100)
            wr = statistics.mean(r for r, _ in ref) if ref else None
            wc = statistics.mean(u for _, u in ref) if ref else None
            rps = med(g, "req_per_s")
            print("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                g["label"], c, f(rps, ".0f"),
                f(rps / wr if rps and wr else None, ".2f", "x"),
                f(client_cpu_us(g), ".1f"), f(proc_us(g), ".1f"),
                f(wr, ".0f"), f(wc, ".1f"), status(g)))


def cg_growth(g):
    """Median growth of the run's cgroup over its baseline, bytes (exact:
    the worker's tree only); None without the cgroup instrument."""
    v = [r["memory"]["tree_peak"] - r["memory"]["tree_baseline"]
         for r in ok_runs(g)
         if (r.get("memory") or {}).get("instrument") in (1, 2)]
    return statistics.median(v) if v else None


def memory(*files):
    """Per request in flight: the cgroup's growth over its baseline divided
    by the concurrency (exact, the worker's tree); the worker's VmHWM minus
    that at 10, per extra request, beside it."""
    by, cs, held = {}, set(), {}
    for path in files:
        for g in load(path):
            # the label is PLUGIN@POINT; a plugin RLIMIT_NOFILE caps runs
            # at a lower concurrency, shown beside its figure
            real = g.get("concurrency") or 1
            point = g["label"].partition("@")[2]
            c = int(point) if point.isdigit() else real
            cs.add(c)
            if real != c:
                held[(g["plugin"], c)] = real
            by.setdefault(g["plugin"], {})[c] = (
                med(g, "peak_rss"), cg_growth(g), status(g))
    top = sorted(c for c in cs if c > 10)
    print("| strategy | %s | %s | status |" % (
        " | ".join("KiB/req in flight at {:,} (cgroup)".format(c)
                   for c in top),
        " | ".join("at {:,} (VmHWM)".format(c) for c in top)))
    print("|---" * (2 + 2 * len(top)) + "|")
    for p, m in by.items():
        def rss(c):
            return (m.get(c) or (None,))[0]

        def real(c):
            return held.get((p, c), c)

        def per(c):
            if rss(c) is None or rss(10) is None:
                return None
            return (rss(c) - rss(10)) / (real(c) - 10) / 1024

        def cg(c):
            v = (m.get(c) or (None, None))[1]
            return None if v is None else v / real(c) / 1024

        def note(c):
            return "" if real(c) == c else " at {:,}".format(real(c))

        st = "; ".join("%s: %s" % (c, m[c][2]) for c in sorted(m)
                       if m[c][2] != "ok") or "ok"
        print("| %s | %s | %s | %s |" % (
            p, " | ".join(f(cg(c), ".1f") + note(c) for c in top),
            " | ".join(f(per(c), ".1f") + note(c) for c in top), st))


def recvbuf(mem, tput):
    """Per plugin and recv_buffer size (labels PLUGIN/SIZE): KiB per
    request in flight at concurrency 1,000 (cgroup growth / concurrency),
    and req/s and client CPU at concurrency 100 without delay."""
    t = {g["label"]: g for g in load(tput)}
    print("| strategy | recv_buffer | KiB/req in flight at 1,000 (cgroup) | "
          "req/s at 100 | client CPU µs/req | processing µs/req | status |")
    print("|---|---|---|---|---|---|---|")
    for g in load(mem):
        p, _, size = g["label"].partition("/")
        c = g.get("concurrency") or 1
        gr = cg_growth(g)
        h = t.get(g["label"]) or {}
        print("| %s | %s | %s | %s | %s | %s | %s |" % (
            p, size, f(gr / c / 1024 if gr is not None else None, ".1f"),
            f(med(h, "req_per_s"), ".0f") if h else "-",
            f(client_cpu_us(h), ".1f") if h else "-",
            f(proc_us(h), ".1f") if h else "-",
            status(g) + ("" if not h or status(h) == "ok"
                         else "; tput: " + status(h))))


if __name__ == "__main__":
    {"latency": latency, "throughput": throughput,
     "memory": memory, "recvbuf": recvbuf}[sys.argv[1]](*sys.argv[2:])
