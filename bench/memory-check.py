#!/usr/bin/env python3
"""bench/memory-check.py - benchrun's tree memory against independent
instruments, on a quiet and on a busy machine (issue 12).

For forkpool and threads at concurrency 50 (lognormal 40 ms, 200 days,
5 runs each), it runs benchrun under /usr/bin/time -v while an independent
sampler (this script, another process) reads smaps_rollup of every worker
(`benchrun __worker`) and all its descendants every 10 ms, and keeps each
worker's peak of the summed Pss.  Then, per run, it sets beside each
other: benchrun's sampled tree PSS peak and the independent one (the same
quantity, measured twice), benchrun's exact cgroup peak and growth (a
different quantity: charged memory, kernel included, shared libraries not),
and /usr/bin/time's maximum RSS (the largest single process of benchrun's
whole tree) against benchrun's largest peak RSS.  "busy" runs two spinning
loops beside it (on a 2-core machine: both cores taken).

    bench/memory-check.py [BENCHRUN] [--runs 5] [--only quiet|busy]

Prints a Markdown report (BENCHMARKS.md keeps one).  Needs python3 and
/usr/bin/time (Debian: time).
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIO = """name: memory-check
seed: 42
workload: {{days: 200, route: MOW-LED, trips: 20}}
server:
  latency: {{model: lognormal, median: 40ms, p99: 120ms}}
strategies:
  - plugin: {plugin}
    params: {{concurrency: 50}}
runs: {{repetitions: {runs}, timeout: 60s, sample_interval: 10ms}}
"""
MIB = 1024.0 * 1024.0


def children(pid):
    out = []
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{t}/children") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().split(b"\0")
    except OSError:
        return []


def rollup(pid):
    """Pss and Private (USS) of one process, bytes; None when gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            text = f.read()
    except OSError:
        return None
    v = {}
    for line in text.splitlines()[1:]:
        k, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            v[k] = int(parts[0]) * 1024
    return v.get("Pss", 0), v.get("Private_Clean", 0) + v.get("Private_Dirty", 0)


class Sampler(threading.Thread):
    """Every 10 ms: each worker under `root` and its descendants."""

    def __init__(self, root):
        super().__init__(daemon=True)
        self.root, self.stop, self.peaks, self.order = root, False, {}, []

    def run(self):
        while not self.stop:
            t0 = time.monotonic()
            todo = children(self.root)
            seen = set()
            while todo:  # benchrun under time: find the workers below
                p = todo.pop()
                if p in seen:
                    continue
                seen.add(p)
                if b"__worker" in cmdline(p):
                    self.sample_worker(p)
                else:
                    todo += children(p)
            time.sleep(max(0.0, 0.010 - (time.monotonic() - t0)))

    def sample_worker(self, w):
        pss = uss = 0
        todo, n = [w], 0
        while todo:
            p = todo.pop()
            r = rollup(p)
            if r is None:
                continue
            pss += r[0]
            uss += r[1]
            n += 1
            todo += children(p)
        if w not in self.peaks:
            self.peaks[w] = [0, 0, 0]
            self.order.append(w)
        pk = self.peaks[w]
        pk[0], pk[1], pk[2] = max(pk[0], pss), max(pk[1], uss), max(pk[2], n)


def run_one(br, plugin, runs):
    d = tempfile.mkdtemp(prefix="br-memcheck-")
    scen, res, tv = (os.path.join(d, n) for n in ("s.yaml", "r.json", "time.txt"))
    with open(scen, "w") as f:
        f.write(SCENARIO.format(plugin=plugin, runs=runs))
    p = subprocess.Popen(["/usr/bin/time", "-v", "-o", tv, br, "-q", scen,
                          "-o", res], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    s = Sampler(p.pid)
    s.start()
    p.wait()
    s.stop = True
    s.join()
    with open(res) as f:
        r = json.load(f)
    with open(tv) as f:
        maxrss = [int(l.split(":")[1]) * 1024 for l in f
                  if "Maximum resident set size" in l][0]
    # The first `runs` workers: after the run hook, a worker holds on
    # only long enough to report.
    ind = [s.peaks[w] for w in s.order]
    return r, ind, maxrss


def mean(v):
    return sum(v) / len(v) if v else float("nan")


def condition(br, name, runs):
    spin = []
    if name == "busy":
        spin = [subprocess.Popen(["sh", "-c", "while :; do :; done"])
                for _ in range(2)]
    out = {}
    try:
        for plugin in ("threads", "forkpool"):
            out[plugin] = run_one(br, plugin, runs)
    finally:
        for sp in spin:
            sp.kill()
            sp.wait()
    return out


def report(name, out):
    print(f"\n### {name}: " + ("two spinning loops beside the run"
                                if name == "busy" else "nothing added"))
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}\n")
    print("| strategy | run | tree PSS (benchrun) | tree PSS (independent) | "
          "ratio | cgroup peak (+Δ) | samples | gap median/max |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    summary = {}
    for plugin, (r, ind, maxrss) in out.items():
        runs = [x for g in r["groups"] for x in g["runs"]]
        ratios, cg, gr, pss = [], [], [], []
        for i, x in enumerate(runs):
            m = x.get("memory", {})
            mine = x["tree_peak_pss"]
            other = ind[i][0] if i < len(ind) else 0
            ratio = mine / other if other else float("nan")
            ratios.append(ratio)
            pss.append(mine)
            cg.append(m.get("tree_peak", 0))
            gr.append(m.get("tree_peak", 0) - m.get("tree_baseline", 0))
            print(f"| {plugin} | {i + 1} | {mine / MIB:.2f} MiB | "
                  f"{other / MIB:.2f} MiB | {ratio:.3f} | "
                  f"{cg[-1] / MIB:.2f} (+{gr[-1] / MIB:.2f}) MiB | "
                  f"{len(x.get('timeline', {}).get('t', []))} | "
                  f"{m.get('interval_median', 0) * 1e3:.1f}/"
                  f"{m.get('interval_max', 0) * 1e3:.0f} ms |")
        largest = max(max(x["peak_rss"], x.get("memory", {}).get("largest_rss", 0))
                      for x in runs)
        summary[plugin] = dict(ratio=mean(ratios), pss=mean(pss),
                               ind=mean([v[0] for v in ind[:len(runs)]]),
                               cg=mean(cg), grow=mean(gr), largest=largest,
                               maxrss=maxrss, inst=r.get("instrument", "?"))
    print()
    for plugin, s in summary.items():
        print(f"- {plugin}: benchrun/independent tree PSS {s['ratio']:.3f} "
              f"(means {s['pss'] / MIB:.2f} / {s['ind'] / MIB:.2f} MiB); "
              f"cgroup peak {s['cg'] / MIB:.2f} MiB, growth "
              f"{s['grow'] / MIB:.2f} MiB; largest process {s['largest'] / MIB:.2f}"
              f" MiB vs /usr/bin/time -v {s['maxrss'] / MIB:.2f} MiB")
    f, t = summary["forkpool"], summary["threads"]
    print(f"- forkpool / threads: tree PSS {f['pss'] / t['pss']:.2f}x "
          f"(independent {f['ind'] / t['ind']:.2f}x), cgroup peak "
          f"{f['cg'] / t['cg']:.2f}x, growth {f['grow'] / t['grow']:.2f}x")
    print(f"- instrument: {summary['forkpool']['inst']}")


def main():
    args = sys.argv[1:]
    br = os.path.join(TOP, "_build/main/benchrun")
    runs, only = 5, None
    while args:
        a = args.pop(0)
        if a == "--runs":
            runs = int(args.pop(0))
        elif a == "--only":
            only = args.pop(0)
        else:
            br = os.path.abspath(a)
    os.environ.setdefault("BENCHRUN_PLUGIN_PATH",
                          os.path.join(os.path.dirname(br), "plugins/.libs"))
    print(f"`bench/memory-check.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())},"
          f" {os.cpu_count()} cores, {os.uname().release}; forkpool and threads"
          f" at concurrency 50, lognormal 40 ms, 200 days, {runs} runs each.")
    for name in ("quiet", "busy"):
        if only in (None, name):
            report(name, condition(br, name, runs))


if __name__ == "__main__":
    main()
