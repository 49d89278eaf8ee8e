#!/bin/sh
# tests/browser.sh - HTML reports checked in a real browser (headless
# Chromium through python3-selenium, tests/browser_check.py): a run's page
# written through outputs.html, `benchrun report` on a sweep, on a run
# with failures and retries and on one where every run failed, and a
# crafted results file whose strings try to inject markup and script.
# Skips (exit 77) with the reason when the browser is not installed.
set -eu
br="${BR_TEST_BUILDDIR:-.}/benchrun"
src="${BR_TEST_SRCDIR:-.}"
check="$src/tests/browser_check.py"
for need in /usr/bin/chromium /usr/bin/chromedriver; do
	if [ ! -x "$need" ]; then
		echo "browser: SKIP: $need not installed (apt-get install chromium chromium-driver python3-selenium)"
		exit 77
	fi
done
if ! /usr/bin/python3 -c 'import selenium' 2>/dev/null; then
	echo "browser: SKIP: python3-selenium not installed (apt-get install python3-selenium)"
	exit 77
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$src"
status=0
page() { # NAME RESULTS.json [--injection]: report, size, browser
	name=$1; json=$2; shift 2
	if ! "$br" -q report "$json" -o "$out/$name.html"; then
		echo "FAIL: benchrun report $name"; status=1; return
	fi
	size=$(wc -c < "$out/$name.html")
	if [ "$size" -gt 2097152 ]; then
		echo "FAIL: $name.html is $size bytes (over 2 MiB)"; status=1
	fi
	/usr/bin/python3 "$check" "$json" "$out/$name.html" "$@" || status=1
}

# A run, its page written by the run itself (outputs.html).
"$br" -q --set workload.days=20 --runs 3 -o "$out/default.json" \
	--set outputs.html="$out/default-run.html" configs/default.yaml >/dev/null
/usr/bin/python3 "$check" "$out/default.json" "$out/default-run.html" || status=1
page default "$out/default.json"

# A sweep (curves), and a site with faults and retries.
"$br" -q --set workload.days=20 --runs 1 -o "$out/scaling.json" \
	configs/scaling.yaml >/dev/null || true
page scaling "$out/scaling.json"
"$br" -q --set workload.days=20 --runs 1 -o "$out/flaky.json" \
	configs/flaky-site.yaml >/dev/null || true
page flaky "$out/flaky.json"

# Every run failed: nothing listens at the server's URL.
printf 'name: nothing\nworkload: {days: 5}\nserver: {url: "http://127.0.0.1:9/t/{i}"}\nstrategies: [sync, eventloop]\nruns: {repetitions: 1, timeout: 20s}\n' > "$out/nothing.yaml"
"$br" -q -o "$out/nothing.json" "$out/nothing.yaml" >/dev/null 2>&1 || true
page nothing "$out/nothing.json"

# A crafted results file: every string a page shows carries markup.
/usr/bin/python3 - "$out/default.json" "$out/crafted.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
bad = ['<img src=x onerror="window.__pwned=1">',
       '</script><script>window.__pwned=2</script>',
       '"><svg onload="window.__pwned=3">',
       "'><iframe src=javascript:window.__pwned=4>"]
d["scenario"]["name"] = bad[1]
d["scenario"]["yaml"] = "name: x\n" + bad[1] + bad[0]
d["server"] = bad[2] if isinstance(d.get("server"), str) else d.get("server")
for i, g in enumerate(d["groups"]):
    g["label"] = bad[i % len(bad)] + str(i)
    if g.get("point") is not None:
        g["point"] = bad[(i + 1) % len(bad)]
    for r in g.get("runs", []):
        r["log"] = bad[0] + "\n" + bad[3]
        r["reason"] = bad[2]
if "baseline" in d:
    d["baseline"] = d["groups"][0]["label"]
json.dump(d, open(sys.argv[2], "w"))
PY
page crafted "$out/crafted.json" --injection

# benchrun compare --html: two runs of one scenario, and crafted files.
"$br" -q --set workload.days=20 --runs 3 -o "$out/default2.json" \
	configs/default.yaml >/dev/null
"$br" -q compare --allow-few-runs "$out/default.json" "$out/default2.json" \
	--html "$out/compare.html" >/dev/null || true
/usr/bin/python3 "$check" "$out/default2.json" "$out/compare.html" || status=1
"$br" -q compare --allow-few-runs --allow-different-workloads \
	"$out/crafted.json" "$out/crafted.json" --html "$out/compare-crafted.html" \
	>/dev/null 2>&1 || true
/usr/bin/python3 "$check" "$out/crafted.json" "$out/compare-crafted.html" \
	--injection || status=1
exit $status
