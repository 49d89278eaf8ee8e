#!/usr/bin/python3
"""tests/browser_check.py RESULTS.json PAGE.html [--injection]

Open an HTML report in headless Chromium (Debian's chromium and
chromium-driver, through python3-selenium) and check what a reader would
see: the page loads with no console error, every chart has a size, the
summary table has a row for every group of the results file, and (with
--injection) that nothing a crafted results file carried ran: no script
element, no handler fired, the crafted text shown as text.
Exit 0 when all hold, 1 with the reasons otherwise."""
import json
import os
import shutil
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync",
         "--window-size=1200,900"]


def main():
    results, page = sys.argv[1], os.path.abspath(sys.argv[2])
    injection = "--injection" in sys.argv[3:]
    with open(results, encoding="utf-8") as f:
        data = json.load(f)
    problems = []
    opts = Options()
    opts.binary_location = "/usr/bin/chromium"
    for flag in FLAGS:
        opts.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="br-chromium-")
    opts.add_argument("--user-data-dir=" + profile)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                              options=opts)
    try:
        driver.get("file://" + page)
        state = driver.execute_script("return document.readyState")
        if state != "complete":
            problems.append("page did not finish loading: " + state)
        for entry in driver.get_log("browser"):
            if entry.get("level") in ("SEVERE", "WARNING"):
                problems.append("console: " + entry.get("message", ""))
        sizes = driver.execute_script(
            "return Array.from(document.querySelectorAll('svg.chart'))"
            ".map(s => { const r = s.getBoundingClientRect();"
            " return [r.width, r.height]; })")
        if not sizes and any(g.get("runs") for g in data.get("groups", [])):
            problems.append("no chart on the page")
        for i, (w, h) in enumerate(sizes):
            if not (w > 0 and h > 0):
                problems.append("chart %d has no size (%sx%s)" % (i, w, h))
        rows = driver.execute_script(
            "return Array.from(document.querySelectorAll("
            "'table.summary tbody tr td:first-child'))"
            ".map(td => td.textContent)")
        for g in data.get("groups", []):
            if g.get("label") not in rows:
                problems.append("no summary row for %r" % g.get("label"))
        if injection:
            ran = driver.execute_script(
                "return [window.__pwned === undefined ? null : "
                "String(window.__pwned), document.scripts.length,"
                " document.querySelectorAll('[onerror],[onload],"
                "[onclick],iframe,object,embed').length,"
                " document.title]")
            if ran[0] is not None:
                problems.append("injected script ran: __pwned=" + ran[0])
            if ran[1]:
                problems.append("%d script element(s) on the page" % ran[1])
            if ran[2]:
                problems.append("%d element(s) with handlers or frames" %
                                ran[2])
            text = driver.execute_script("return document.body.innerText")
            if "onerror=" not in text:
                problems.append("the crafted label is not shown as text")
        print("browser: %s: %d chart(s), %d row(s)%s" % (
            os.path.basename(page), len(sizes), len(rows),
            ", injection inert" if injection and not problems else ""))
    finally:
        driver.quit()
        # The profile is Chromium's state for this page only: every CI
        # job left a few MiB of them in /tmp.
        shutil.rmtree(profile, ignore_errors=True)
    for p in problems:
        print("browser: %s: %s" % (os.path.basename(page), p))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
