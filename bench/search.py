#!/usr/bin/env python3
"""What search costs at scale: build time, bytes per query, time in a browser.

On a generated site (gen_site.py, default 10,000 pages), with the default
theme and with the generator's minimal one:

  1. Builds with search on and off, interleaved, and prints the medians of
     wall time and CPU time, and the share of the build that search takes
     (the index is made while pages render, so it has no stage of its own).
  2. Runs typical queries through the theme's own query code
     (tests/browser/search-query.mjs) and prints the bytes each loads: the
     manifest, the shards and the first page of results, raw and gzipped.
  3. Times the search page in headless Chromium, from Enter to results on
     screen (tests/browser/search-timing.mjs).

  cargo build --release && python3 bench/search.py [--pages 10000] [--runs 5]

Needs Node.js and tests/setup (for the browser step). Python 3 standard library.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BROWSER = os.path.join(REPO_ROOT, "tests", "browser")
WORK = "/dev/shm/pamphlet-bench/search"
QUERIES = ["large language model", "open weights", "model", "red teaming", "evaluation benchmark", "transparen", "watermark"]
STAGE = re.compile(r"\[\s*([0-9.]+) ms\] (\w+)")


def generate(gen, pages, theme):
    """The generated site, with the generator's theme or pamphlet's default."""
    site = os.path.join(WORK, f"site-{pages}-{theme}")
    if not os.path.exists(os.path.join(site, "site.toml")):
        subprocess.run([sys.executable, gen, "--pages", str(pages), "--format", "pamphlet", "--out", site],
                       check=True, stdout=subprocess.DEVNULL)
        if theme == "default":
            shutil.rmtree(os.path.join(site, "themes"))
            with open(os.path.join(site, "site.toml"), "w") as f:
                f.write('title = "Bench"\nbase_url = "https://example.org"\n')
    off = site + "-off"
    if not os.path.exists(off):
        shutil.copytree(site, off)
        with open(os.path.join(off, "site.toml"), "a") as f:
            f.write("\n[search]\nenabled = false\n")
    return site, off


def build(exe, site, out, base_url=None):
    """One build: wall seconds, CPU seconds, stage times (ms since start)."""
    cmd = [exe, "build", "--today", "2026-11-28", "-o", out]
    if base_url:
        cmd += ["--base-url", base_url]
    env = dict(os.environ, PAMPHLET_TIMINGS="1")
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=site, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        sys.exit(f"build failed in {site}:\n{err}")
    stages = {name: float(ms) for ms, name in STAGE.findall(err)}
    return wall, usage.ru_utime + usage.ru_stime, stages


def build_cost(exe, pages, theme, gen, runs):
    on, off = generate(gen, pages, theme)
    rows = {"on": [], "off": []}
    build(exe, on, os.path.join(WORK, "out-on"))  # warm-up
    for i in range(runs):
        order = [("on", on), ("off", off)] if i % 2 == 0 else [("off", off), ("on", on)]
        for name, site in order:
            rows[name].append(build(exe, site, os.path.join(WORK, f"out-{name}")))
    med = lambda name, k: statistics.median(r[k] for r in rows[name])
    result = {
        "theme": theme, "pages": pages, "runs": runs,
        "wall_on": med("on", 0), "wall_off": med("off", 0),
        "cpu_on": med("on", 1), "cpu_off": med("off", 1),
    }
    # The index is made while pages render, so it has no stage of its own:
    # its cost is what the build takes with it, over what it takes without.
    result["wall_share"] = (result["wall_on"] - result["wall_off"]) / result["wall_on"]
    result["cpu_share"] = (result["cpu_on"] - result["cpu_off"]) / result["cpu_on"]
    print(f"{theme} theme, {pages} pages, median of {runs}: build {result['wall_on']:.2f} s with search, "
          f"{result['wall_off']:.2f} s without; CPU {result['cpu_on']:.2f} s / {result['cpu_off']:.2f} s; "
          f"search's share: {result['wall_share']:.0%} of wall time, {result['cpu_share']:.0%} of CPU time")
    return result


def node(script, args):
    out = subprocess.run(["node", script, *args], cwd=BROWSER, check=True, capture_output=True, text=True).stdout
    return out


def query_bytes(site_out):
    queries = json.dumps([{"q": q} for q in QUERIES])
    answers = json.loads(node("search-query.mjs", ["--index", os.path.join(site_out, "search", "en"),
                                                    "--queries", queries]))
    for a in answers:
        print(f"  {a['q']!r}: {a['count']} results, {a['bytes'] / 1000:.0f} KB loaded "
              f"({a['gzipped'] / 1000:.0f} KB gzipped)")
    return answers


def browser_time(exe, pages, gen, rounds):
    site, _ = generate(gen, pages, "default")
    port = 18000 + os.getpid() % 1000
    out = os.path.join(WORK, "out-browser")
    build(exe, site, out, base_url=f"http://127.0.0.1:{port}")
    lines = node("search-timing.mjs", ["--dir", out, "--port", str(port), "--queries", ",".join(QUERIES),
                                       "--rounds", str(rounds)]).strip().splitlines()
    result = json.loads(lines[-1])
    print(f"  browser: median {result['median']} ms, slowest {result['max']} ms, "
          f"first query of a page (loads the manifest) {result['first_query']} ms")
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pamphlet", default=os.path.join(REPO_ROOT, "target", "release", "pamphlet"))
    ap.add_argument("--gen-site", default=os.path.join(REPO_ROOT, "..", "shared", "bench", "gen_site.py"))
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args()
    if not os.path.exists(args.pamphlet):
        sys.exit(f"{args.pamphlet} not found: run cargo build --release")
    os.makedirs(WORK, exist_ok=True)
    results = {"builds": [build_cost(args.pamphlet, args.pages, t, args.gen_site, args.runs)
                          for t in ("default", "bench")]}
    print("bytes per query:")
    results["queries"] = query_bytes(os.path.join(WORK, "out-on"))
    results["browser"] = browser_time(args.pamphlet, args.pages, args.gen_site, 3)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
