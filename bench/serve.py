#!/usr/bin/env python3
"""Benchmark `pamphlet serve`: from a file's save to the reload event.

A copy of the generated site (gen_site.py, cached like run.py's) is served by
`pamphlet serve` on a free loopback port. A client holds the live-reload
stream (`GET /__pamphlet/events`) open. For each edit the harness notes the
time just before it writes the file and the time the stream delivers
`event: reload`; the difference is the latency an author sees, watcher,
debounce and rebuild included. Edits alternate between writing in place and
writing a temporary file renamed over the original (as vim and JetBrains
editors save).

Kinds of edit, each repeated --edits times on different files:
  body      a sentence added to an explainer's body
  title     an explainer's title changed (its section listing re-renders)
  term      a glossary term's short definition changed (every page using it re-renders)
  template  the page template changed (every page built on it re-renders from kept bodies)
  css       a stylesheet of the theme changed (one file copied)

In the same run, `pamphlet build` of the same site is timed (--builds runs),
and each median is given as a fraction of the median full build. Before
each edit the harness asks for the page an author would have open (serve
renders the pages open in a browser first); "page ms" is the time until that
page, asked for again on the reload, shows the edit, and "all ms" the time
until another page is served too (serve holds requests for pages it is still
rendering).

Exit status: 0 done, 1 a failure, 2 bad usage.
"""
import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench  # noqa: E402

WORK_SITE = os.path.join(bench.WORK, "serve-site")


class Stream:
    """The live-reload stream, read on a thread; events are timestamped."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(f"GET /__pamphlet/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        self.events = []
        self.cond = threading.Condition()
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        buf = b""
        name = None
        while True:
            data = self.sock.recv(65536)
            if not data:
                return
            now = time.perf_counter()
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                line = line.rstrip(b"\r")
                if line.startswith(b"event: "):
                    name = line[7:].decode()
                elif line == b"" and name:
                    with self.cond:
                        self.events.append((name, now))
                        self.cond.notify_all()
                    name = None

    def wait(self, after, timeout=30):
        """The first event at or after `after` (a perf_counter time)."""
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for name, at in self.events:
                    if at >= after:
                        return name, at
                left = deadline - time.time()
                if left <= 0:
                    return None, None
                self.cond.wait(left)


def save(path, text, rename):
    if rename:
        tmp = path + ".tmp~"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    else:
        with open(path, "w") as f:
            f.write(text)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(port, proc, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            bench.die(f"pamphlet serve exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(f"HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
                if s.recv(100).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    bench.die("pamphlet serve did not come up")


def edits_of(kind, site, rng, count):
    """(path, new text, page to look at, what it then shows) for `count` edits of `kind`."""
    out = []
    if kind in ("body", "title"):
        folder = os.path.join(site, "content", "explainers")
        names = sorted(n for n in os.listdir(folder) if n.endswith(".md") and n != "_index.md")
        for name in rng.sample(names, count):
            path = os.path.join(folder, name)
            text = open(path).read()
            if kind == "body":
                shows = f"One more sentence, added by the benchmark to {name}."
                text = text.rstrip("\n") + f"\n\n{shows}\n"
            else:
                shows = f"Edited {name}: "
                text = text.replace('title = "', f'title = "{shows}', 1)
            out.append((path, text, f"/explainers/{name[:-3]}/", shows))
    elif kind == "term":
        folder = os.path.join(site, "content", "glossary")
        names = sorted(n for n in os.listdir(folder) if n.endswith(".md") and n != "_index.md")
        for name in rng.sample(names, count):
            path = os.path.join(folder, name)
            shows = f"Put simply ({name}): "
            text = open(path).read().replace('short = "', f'short = "{shows}', 1)
            # The generated theme does not show a term's short definition on
            # its page: only that the page is served again is checked.
            out.append((path, text, f"/glossary/{name[:-3]}/", None))
    else:
        theme = os.path.join(site, "themes", "bench")
        choices = {"template": ["templates/explainer.html", "templates/page.html"], "css": ["static/css/site.css"]}
        found = [os.path.join(theme, c) for c in choices[kind] if os.path.exists(os.path.join(theme, c))]
        if not found:
            print(f"{kind:<10} (the generated theme has no such file)")
            return []
        path = found[0]
        text = open(path).read()
        for n in range(count):
            marker = f"<!-- edit {n} -->" if kind == "template" else f"/* edit {n} */"
            # The page an author has open: an explainer, built on the page template.
            page = "/explainers/e000001/" if kind == "template" else "/css/site.css"
            out.append((path, text + marker + "\n", page, marker))
    return out


def fetch(port, target):
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data.decode("utf-8", "replace")


def time_builds(exe, site, runs):
    out = os.path.join(bench.WORK, "serve-build-out")
    times = []
    for _ in range(runs):
        bench.rm_rf(out)
        t0 = time.perf_counter()
        r = subprocess.run([exe, "build", "--root", site, "-o", out], capture_output=True)
        times.append(time.perf_counter() - t0)
        if r.returncode != 0:
            bench.die(f"pamphlet build failed:\n{r.stderr.decode()[-2000:]}")
    bench.rm_rf(out)
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=9, help="edits of each kind (default 9)")
    ap.add_argument("--builds", type=int, default=5, help="full builds timed for comparison (default 5)")
    ap.add_argument("--kinds", default="body,title,term,template,css")
    ap.add_argument("--pamphlet", default=os.path.join(bench.REPO_ROOT, "target", "release", "pamphlet"))
    ap.add_argument("--gen-site", default=bench.DEFAULT_GEN)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if not os.access(args.pamphlet, os.X_OK):
        bench.die(f"no pamphlet binary at {args.pamphlet} (cargo build --release)", 2)
    source = bench.ensure_site(args.gen_site, "pamphlet", args.pages, False)
    bench.rm_rf(WORK_SITE)
    shutil.copytree(source, WORK_SITE)
    rng = random.Random(args.seed)

    builds = time_builds(args.pamphlet, WORK_SITE, args.builds)
    build_median = statistics.median(builds)
    print(f"pamphlet build, {args.pages} pages: median {build_median * 1000:.0f} ms of {len(builds)}")

    port = free_port()
    proc = subprocess.Popen([args.pamphlet, "serve", "--root", WORK_SITE, "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_up(port, proc)
        stream = Stream(port)
        time.sleep(0.5)
        unopened = iter(range(3000, 7000))  # explainers no request has asked for yet
        print(f"{'edit':<10} {'reload ms':>10} {'min':>7} {'max':>7} {'x build':>8} {'page ms':>8} {'all ms':>7}")
        for kind in args.kinds.split(","):
            times, shown, done = [], [], []
            for n, (path, text, page, shows) in enumerate(edits_of(kind, WORK_SITE, rng, args.edits)):
                fetch(port, page)  # the page the author has open
                t0 = time.perf_counter()
                save(path, text, rename=n % 2 == 1)
                name, at = stream.wait(t0)
                if name != "reload":
                    bench.die(f"{kind} edit of {path}: got {name!r} instead of a reload")
                times.append(at - t0)
                # The reloaded page, as the browser asks for it at once.
                if shows is not None and shows not in fetch(port, page):
                    bench.die(f"{kind} edit of {path}: {page} does not show the edit after the reload")
                shown.append(time.perf_counter() - t0)
                # Every page rendered: a page not open before waits until then.
                other = fetch(port, f"/explainers/e{next(unopened):06d}/")
                if kind == "template" and shows not in other:
                    bench.die(f"{kind} edit of {path}: a page not open was served before it was rendered again")
                done.append(time.perf_counter() - t0)
                time.sleep(0.3)
            if not times:
                continue
            med = statistics.median(times)
            print(f"{kind:<10} {med * 1000:>10.1f} {min(times) * 1000:>7.1f} {max(times) * 1000:>7.1f} "
                  f"{med / build_median:>8.3f} {statistics.median(shown) * 1000:>8.1f} "
                  f"{statistics.median(done) * 1000:>7.1f}", flush=True)
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
