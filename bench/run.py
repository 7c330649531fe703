#!/usr/bin/env python3
"""Benchmark `pamphlet build` against Hugo on the same synthetic site.

Sites come from gen_site.py (same page bodies in a pamphlet and a Hugo dialect)
and are cached on tmpfs under /dev/shm/pamphlet-bench/sites/. Each size runs one
warm-up round and then --runs timed rounds. The tools take turns: in even rounds
pamphlet goes first, in odd rounds Hugo does. For every build the harness records
the wall time (time.perf_counter around the child) and the child's peak RSS
(ru_maxrss from os.wait4 on exactly that pid).

Commands timed (SITE/OUT are on /dev/shm):
  pamphlet build --root SITE -o OUT
  hugo --source SITE --destination OUT --quiet --noBuildLock
       --cacheDir /dev/shm/pamphlet-bench/hugo-cache
       (environment: HUGO_RESOURCEDIR=/dev/shm/pamphlet-bench/hugo-resources,
        all other HUGO_* variables removed)
Before every Hugo run its destination, cache and resource dirs are removed (not
timed). pamphlet's output is left in place: pamphlet replaces it atomically.

Exit status: 0 done, 1 a build or site generation failed, 2 bad usage or a
missing tool.
"""
import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(BENCH_DIR)
DEFAULT_GEN = "/work/shared/bench/gen_site.py"
WORK = "/dev/shm/pamphlet-bench"
SITES = os.path.join(WORK, "sites")
OUTS = os.path.join(WORK, "out")
HUGO_CACHE = os.path.join(WORK, "hugo-cache")
HUGO_RESOURCES = os.path.join(WORK, "hugo-resources")
MIB = 1024 * 1024


def die(msg, code=1):
    print(f"run.py: error: {msg}", file=sys.stderr)
    sys.exit(code)


def parse_pages(text):
    try:
        sizes = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of integers: {text!r}")
    if not sizes or any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError("page counts must be positive")
    return sizes


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def child_env():
    """The environment both tools run with: ours, minus any HUGO_* settings,
    plus the Hugo resource dir pinned to tmpfs (there is no flag for it; without
    it Hugo creates SITE/resources/ in the generated site)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUGO_")}
    env["HUGO_RESOURCEDIR"] = HUGO_RESOURCES
    return env


# ---------------------------------------------------------------- sites

def ensure_site(gen, fmt, pages, regenerate):
    """Generate SITES/<fmt>-<pages> unless a matching marker says it is there."""
    site = os.path.join(SITES, f"{fmt}-{pages}")
    marker = os.path.join(SITES, f"{fmt}-{pages}.marker.json")
    want = {"format": fmt, "pages": pages, "generator_sha256": sha256_file(gen)}
    if not regenerate and os.path.isdir(site) and os.path.isfile(marker):
        try:
            with open(marker) as f:
                if json.load(f) == want:
                    print(f"  site {fmt} {pages}: reusing {site}")
                    return site
        except (OSError, ValueError):
            pass
    if os.path.exists(marker):
        os.remove(marker)
    os.makedirs(SITES, exist_ok=True)
    print(f"  site {fmt} {pages}: generating {site} ...", flush=True)
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, gen, "--pages", str(pages), "--format", fmt, "--out", site],
                       capture_output=True, text=True)
    if r.returncode != 0:
        die(f"gen_site.py failed (exit {r.returncode}) for {fmt} {pages}:\n{r.stdout}{r.stderr}")
    print(f"    {r.stdout.strip()} ({time.perf_counter() - t0:.1f} s)")
    with open(marker, "w") as f:
        json.dump(want, f)
    return site


# Set by --keep-previous: pamphlet replaces its previous output, timed.
KEEP_PREVIOUS = False


def without_terms(site):
    """A copy of a generated pamphlet site whose glossary terms are plain pages.

    Same files, same bodies, same page count; only the glossary section's kind
    changes (and the term-only keys go), so pamphlet finds no terms to link,
    list or check. Timing both shows what the glossary costs."""
    out = site + "-no-terms"
    marker = out + ".marker.json"
    want = {"from": site, "site_marker": open(site + ".marker.json").read()}
    try:
        with open(marker) as f:
            if json.load(f) == want and os.path.isdir(out):
                return out
    except (OSError, ValueError):
        pass
    rm_rf(out)
    shutil.copytree(site, out)
    gloss = os.path.join(out, "content", "glossary")
    for name in os.listdir(gloss):
        path = os.path.join(gloss, name)
        with open(path) as f:
            lines = f.read().split("\n")
        lines = ['kind = "page"' if l == 'kind = "term"' else l for l in lines
                 if not (l.startswith("short = ") or l.startswith("synonyms = ") or l.startswith("related = "))]
        with open(path, "w") as f:
            f.write("\n".join(lines))
    with open(marker, "w") as f:
        json.dump(want, f)
    return out


# ---------------------------------------------------------------- running

def rm_rf(path):
    if os.path.lexists(path):
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.remove(path)


def run_once(tool, cmd, env):
    """Run cmd once; return wall seconds, peak RSS (KiB), user and sys CPU seconds.
    stdout/stderr go to temporary files on tmpfs so a chatty tool cannot block
    on a full pipe while we sit in wait4."""
    with tempfile.TemporaryFile(dir=WORK) as out, tempfile.TemporaryFile(dir=WORK) as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, cwd=WORK)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)  # tell Popen the child is reaped
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if p.returncode != 0:
        how = f"signal {-p.returncode}" if p.returncode < 0 else f"exit {p.returncode}"
        print(f"\n{tool} build FAILED ({how}):\n  $ {' '.join(cmd)}", file=sys.stderr)
        if stdout.strip():
            print(f"--- stdout ---\n{stdout.rstrip()}", file=sys.stderr)
        print(f"--- stderr ---\n{stderr.rstrip() or '(empty)'}", file=sys.stderr)
        sys.exit(1)
    return {"wall_s": wall, "maxrss_kib": ru.ru_maxrss, "user_s": ru.ru_utime, "sys_s": ru.ru_stime,
            "stderr": stderr, "stdout": stdout}


def rss_floor_kib():
    """ru_maxrss of a child can never be lower than this harness's own peak RSS:
    Linux carries the parent's RSS high-water mark into the child across
    fork/vfork + exec. Measure it with /bin/true so results near it can be flagged."""
    p = subprocess.Popen(["true"], stdin=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return ru.ru_maxrss


def tree_size(path):
    files = html = size = 0
    for d, _, names in os.walk(path):
        for n in names:
            files += 1
            html += n.endswith(".html")
            size += os.path.getsize(os.path.join(d, n))
    return files, html, size


class Tool:
    def __init__(self, name, exe, site, out, env):
        self.name, self.exe, self.site, self.out, self.env = name, exe, site, out, env

    def command(self):
        if self.name in ("pamphlet", "baseline", "no-terms"):
            return [self.exe, "build", "--root", self.site, "-o", self.out]
        return [self.exe, "--source", self.site, "--destination", self.out, "--quiet",
                "--noBuildLock", "--cacheDir", HUGO_CACHE]

    def prepare(self):
        # Every tool starts each run from an empty destination (not timed), so
        # all of them do the same work: write the whole site. For Hugo that
        # also means an empty cache and resource dir, so each run is a full,
        # cold build. (pamphlet would otherwise also pay for deleting its
        # previous output after swapping the new one in; `--keep-previous`
        # times that too.)
        dirs = [self.out]
        if self.name == "hugo":
            dirs += [HUGO_CACHE, HUGO_RESOURCES]
        elif KEEP_PREVIOUS:
            dirs = []
        for d in dirs:
            rm_rf(d)

    def run(self):
        self.prepare()
        return run_once(self.name, self.command(), self.env)


def summarize(runs):
    walls = [r["wall_s"] for r in runs]
    return {
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "max_s": max(walls),
        "median_maxrss_mib": statistics.median(r["maxrss_kib"] for r in runs) / 1024,
        "median_cpu_s": statistics.median(r["user_s"] + r["sys_s"] for r in runs),
    }


def bench_size(pages, tools, runs):
    results = {t.name: [] for t in tools}
    warm = {}
    print(f"  warm-up ...", flush=True)
    for t in tools:
        warm[t.name] = t.run()
        for stream in ("stderr", "stdout"):
            text = warm[t.name][stream].strip()
            if text:
                lines = text.splitlines()
                print(f"  note: {t.name} printed on {stream} ({len(lines)} lines), first lines:")
                for line in lines[:10]:
                    print(f"    | {line}")
    for i in range(runs):
        order = tools if i % 2 == 0 else tools[::-1]
        for t in order:
            r = t.run()
            r.pop("stderr")
            r.pop("stdout")
            r["round"] = i
            results[t.name].append(r)
        print(f"  round {i + 1}/{runs}: " + ", ".join(
            f"{t.name} {results[t.name][-1]['wall_s']:.3f} s" for t in order), flush=True)
    outputs = {}
    for t in tools:
        files, html, size = tree_size(t.out)
        outputs[t.name] = {"files": files, "html_files": html, "bytes": size}
    return results, outputs


def tool_version(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (r.stdout or r.stderr).strip().splitlines()[0] if r.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return None


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git_rev():
    try:
        r = subprocess.run(["git", "-C", REPO_ROOT, "rev-parse", "--short", "HEAD"],
                           capture_output=True, text=True, timeout=10)
        return r.stdout.strip() or None
    except OSError:
        return None


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=parse_pages, default=[10000],
                    help="comma-separated site sizes, e.g. 1000,10000 (default 10000)")
    ap.add_argument("--runs", type=int, default=5, help="timed rounds per size, after one warm-up (default 5)")
    ap.add_argument("--pamphlet", default=os.path.join(REPO_ROOT, "target", "release", "pamphlet"),
                    help="pamphlet binary (default: target/release/pamphlet in the repo root)")
    ap.add_argument("--hugo", default="hugo", help="hugo binary (default: hugo on PATH)")
    ap.add_argument("--glossary-ab", action="store_true",
                    help="also time pamphlet on the same site with its glossary terms turned into plain pages, "
                         "to show what the glossary costs")
    ap.add_argument("--baseline", metavar="PATH",
                    help="a second pamphlet binary (say, an older commit's) timed in the same rounds "
                         "on the same site, to show what a change costs")
    ap.add_argument("--gen-site", default=DEFAULT_GEN, help=f"site generator (default {DEFAULT_GEN})")
    ap.add_argument("--only-hugo", action="store_true", help="skip pamphlet (e.g. before it is built)")
    ap.add_argument("--regenerate", action="store_true", help="regenerate the sites even if cached")
    ap.add_argument("--keep", action="store_true",
                    help=f"keep build outputs in {OUTS} (generated sites are always kept for reuse)")
    ap.add_argument("--json", metavar="FILE", help="write all raw numbers to FILE")
    ap.add_argument("--keep-previous", action="store_true",
                    help="leave pamphlet's previous output in place, so each run also swaps it out and deletes it")
    a = ap.parse_args()
    global KEEP_PREVIOUS
    KEEP_PREVIOUS = a.keep_previous
    if a.runs < 1:
        ap.error("--runs must be at least 1")

    hugo = shutil.which(a.hugo)
    if not hugo:
        print(f"run.py: hugo not found ({a.hugo!r}). Install it (Debian: apt-get install hugo) "
              f"or pass --hugo PATH.", file=sys.stderr)
        sys.exit(2)
    hugo = os.path.abspath(hugo)
    pamphlet = None
    if not a.only_hugo:
        pamphlet = os.path.abspath(a.pamphlet)
        if not (os.path.isfile(pamphlet) and os.access(pamphlet, os.X_OK)):
            print(f"run.py: pamphlet binary not found at {pamphlet}. Build it with "
                  f"`cargo build --release`, pass --pamphlet PATH, or use --only-hugo.", file=sys.stderr)
            sys.exit(2)
    if not os.path.isfile(a.gen_site):
        die(f"site generator not found: {a.gen_site}", 2)
    if not os.path.isdir("/dev/shm"):
        die("/dev/shm is missing; this harness keeps sites and outputs on tmpfs", 2)
    os.makedirs(OUTS, exist_ok=True)

    env = child_env()
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0))
    hugo_ver = tool_version([hugo, "version"]) or "unknown"
    pamphlet_ver = tool_version([pamphlet, "--version"]) if pamphlet else None
    floor = rss_floor_kib()

    print(f"machine: {cores} cores ({usable} usable by this process), {cpu_model()}, "
          f"Linux {platform.release()}")
    print(f"hugo:    {hugo_ver} ({hugo})")
    if pamphlet:
        print(f"pamphlet: {pamphlet_ver or 'version unknown'} ({pamphlet}), repo at {git_rev() or '?'}")
    else:
        print("pamphlet: skipped (--only-hugo)")
    print(f"rounds:  1 warm-up + {a.runs} timed per size, tools alternate who goes first")
    print(f"RSS floor: {floor / 1024:.1f} MiB (a child's ru_maxrss cannot read lower than the harness's own)")

    report = {
        "machine": {"cores": cores, "usable_cores": usable, "cpu": cpu_model(),
                    "kernel": platform.release(), "python": platform.python_version()},
        "hugo": {"path": hugo, "version": hugo_ver},
        "pamphlet": {"path": pamphlet, "version": pamphlet_ver, "git": git_rev()} if pamphlet else None,
        "runs": a.runs,
        "rss_floor_kib": floor,
        "environment": {"HUGO_RESOURCEDIR": HUGO_RESOURCES, "other HUGO_* variables": "removed"},
        "sizes": [],
    }

    summaries = []
    for pages in a.pages:
        print(f"\n== {pages} pages ==")
        tools = []
        if pamphlet:
            site = ensure_site(a.gen_site, "pamphlet", pages, a.regenerate)
            tools.append(Tool("pamphlet", pamphlet, site, os.path.join(OUTS, f"pamphlet-{pages}"), env))
            if a.glossary_ab:
                tools.append(Tool("no-terms", pamphlet, without_terms(site),
                                  os.path.join(OUTS, f"no-terms-{pages}"), env))
            if a.baseline:
                tools.append(Tool("baseline", os.path.abspath(a.baseline), site,
                                  os.path.join(OUTS, f"baseline-{pages}"), env))
        site = ensure_site(a.gen_site, "hugo", pages, a.regenerate)
        tools.append(Tool("hugo", hugo, site, os.path.join(OUTS, f"hugo-{pages}"), env))
        for t in tools:
            print(f"  $ {' '.join(t.command())}")
        results, outputs = bench_size(pages, tools, a.runs)
        summary = {name: summarize(rs) for name, rs in results.items()}
        if pamphlet:
            p, h = summary["pamphlet"], summary["hugo"]
            summary["ratio_pamphlet_over_hugo"] = {
                "median_time": p["median_s"] / h["median_s"],
                "median_maxrss": p["median_maxrss_mib"] / h["median_maxrss_mib"],
            }
        if "no-terms" in summary:
            p, b = summary["pamphlet"], summary["no-terms"]
            summary["ratio_pamphlet_over_no_terms"] = {
                "median_time": p["median_s"] / b["median_s"],
                "median_maxrss": p["median_maxrss_mib"] / b["median_maxrss_mib"],
            }
        if "baseline" in summary:
            p, b = summary["pamphlet"], summary["baseline"]
            summary["ratio_pamphlet_over_baseline"] = {
                "median_time": p["median_s"] / b["median_s"],
                "median_maxrss": p["median_maxrss_mib"] / b["median_maxrss_mib"],
            }
        summaries.append((pages, summary, outputs))
        report["sizes"].append({
            "pages": pages,
            "commands": {t.name: t.command() for t in tools},
            "runs": results,
            "summary": summary,
            "outputs": outputs,
        })
        if not a.keep:
            for t in tools:
                rm_rf(t.out)
    if not a.keep:
        for d in (HUGO_CACHE, HUGO_RESOURCES):
            rm_rf(d)

    print("\n== results (wall time in seconds; peak RSS of the build process) ==")
    hdr = f"{'pages':>7}  {'tool':<9} {'median':>8} {'min':>8} {'max':>8} {'cpu med':>8} {'RSS med':>10}  output"
    print(hdr)
    print("-" * len(hdr))
    for pages, summary, outputs in summaries:
        for name in ("pamphlet", "no-terms", "baseline", "hugo"):
            if name not in summary:
                continue
            s, o = summary[name], outputs[name]
            flag = " (at floor)" if s["median_maxrss_mib"] * 1024 <= floor * 1.1 else ""
            print(f"{pages:>7}  {name:<9} {s['median_s']:>8.3f} {s['min_s']:>8.3f} {s['max_s']:>8.3f} "
                  f"{s['median_cpu_s']:>8.3f} {s['median_maxrss_mib']:>6.1f} MiB  "
                  f"{o['html_files']} html / {o['files']} files, {o['bytes'] / MIB:.1f} MiB{flag}")
        if "ratio_pamphlet_over_hugo" in summary:
            r = summary["ratio_pamphlet_over_hugo"]
            print(f"{pages:>7}  pamphlet/hugo: median time x{r['median_time']:.2f}, "
                  f"median peak RSS x{r['median_maxrss']:.2f}")
        if "ratio_pamphlet_over_no_terms" in summary:
            r = summary["ratio_pamphlet_over_no_terms"]
            print(f"{pages:>7}  glossary cost (pamphlet/no-terms): median time x{r['median_time']:.3f}, "
                  f"median peak RSS x{r['median_maxrss']:.3f}")
        if "ratio_pamphlet_over_baseline" in summary:
            r = summary["ratio_pamphlet_over_baseline"]
            print(f"{pages:>7}  pamphlet/baseline: median time x{r['median_time']:.3f}, "
                  f"median peak RSS x{r['median_maxrss']:.3f}")

    if a.json:
        with open(a.json, "w") as f:
            json.dump(report, f, indent=2)
            f.write("\n")
        print(f"\nraw numbers written to {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
