#!/usr/bin/env python3
"""Time `pamphlet build` on adversarial pages: one Markdown body of about
1 MB each, made to hit whatever work grows faster than the input (the same
heading 111,000 times, 50,000 footnotes, one 1 MB line of glossary terms,
48,000 headings each linked to, deep nesting, 100,000 table cells ...).

Each case is one page, `content/notes/adversarial.md` (an explainer, so its
table of contents, word count and reading time are made and rendered), put
into a fresh copy of the glossary fixture (tests/sites/glossary, 60 terms
with synonyms), with site.toml changed where a case needs it (glossary link
mode, raw_html) and, for two cases, 2,000 more terms. The build is
`pamphlet build --root SITE -o OUT`, timed wall-clock around the child, with
the child's CPU time (user + system, from os.wait4); a build that runs past
--timeout is killed and shown as "> N s". A case may end with exit status 1
(its page has errors, such as duplicate ids): that is what the case is
about, and the time still counts. --scale makes every case bigger or
smaller, to see how its time grows.

  cargo build --release
  python3 bench/adversarial.py                         # every case, best of 3
  python3 bench/adversarial.py --cases headings-same,footnotes --scale 2
  python3 bench/adversarial.py --baseline /tmp/pamphlet-old --timeout 120
  python3 bench/adversarial.py --write DIR             # only write the sites

Python 3.11 standard library only. Exit status: 0 every case under --limit
seconds, 1 some case over it (or a crash: exit status above 1), 2 bad usage.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(BENCH_DIR)
FIXTURE = os.path.join(REPO_ROOT, "tests", "sites", "glossary")
SIZE = 1_000_000
# Terms added to the fixture's 60 for the cases about big glossaries.
BIG_GLOSSARY = 2_000

FRONT = '+++\ntitle = "Adversarial"\nkind = "explainer"\nsummary = "A page made to be slow."\n+++\n\n'

# Names and synonyms of terms in the glossary fixture, in several cases.
TERMS = [
    "AI", "artificial intelligence", "AI Act", "LLM", "LLMs", "large language model",
    "red teaming", "red-teaming", "eval", "Evaluation", "benchmark", "benchmarks",
    "model card", "Model weights", "open-source model", "bias", "biases", "policy",
    "policies", "frontier model", "deepfake", "audit", "risk", "harm", "gradient",
]


# --scale: every case's size times this, to see how its time grows.
SCALE = 1.0


def fill(unit, size=SIZE):
    """Repeats `unit(i)` for i = 0, 1, … until the text is `size` bytes."""
    size = int(size * SCALE)
    parts, total, i = [], 0, 0
    while total < size:
        part = unit(i)
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts)


def count(unit, n):
    return "".join(unit(i) for i in range(int(n * SCALE)))


def one_line(words, size=SIZE):
    return fill(lambda i: words[i % len(words)] + (" and " if i % 7 else ", then "), size) + "\n"


def table(cols, rows, wide=False):
    """A table of `cols` columns (scaled with --scale when `wide`) and `rows` rows."""
    cols = int(cols * SCALE) if wide else cols
    head = "|" + "|".join(f"h{c}" for c in range(cols)) + "|\n"
    rule = "|" + "|".join("-" for _ in range(cols)) + "|\n"
    body = count(lambda r: "|" + "|".join(f"c{r}" for _ in range(cols)) + "|\n", rows)
    return head + rule + body


def backtick_runs(size=SIZE):
    # Runs of 1, 2, 3 … backticks that never close: each run looks for its match.
    return fill(lambda i: "`" * (i % 400 + 1) + "a ", size)


CASES = {
    # Heading ids: every duplicate needs the next free number.
    "headings-30k": ("30,000 × `## same`", lambda: count(lambda i: "## same\n\n", 30_000), {}),
    "headings-same": ("`## same` until 1 MB (111,000 headings)", lambda: fill(lambda i: "## same\n\n"), {}),
    "headings-explicit": (
        "`## same {#same-N}` then `## same`, alternating (1 MB; an explicit id a derived one took first is an error)",
        lambda: fill(lambda i: f"## same {{#same-{i + 1}}}\n\n## same\n\n"),
        {},
    ),
    "headings-distinct": ("`## Heading N` (1 MB; a 80,000-entry contents)", lambda: fill(lambda i: f"## Heading {i}\n\n"), {}),
    "headings-nested": (
        "`#` to `######` over and over (1 MB; a deep contents)",
        lambda: fill(lambda i: "".join("#" * (d + 1) + f" h{i}\n" for d in range(6))),
        {},
    ),
    "setext-same": ("`same` / `---` until 1 MB", lambda: fill(lambda i: "same\n---\n\n"), {}),
    "duplicate-ids": ("`## a {#x}` until 1 MB (an error each)", lambda: fill(lambda i: "## a {#x}\n\n"), {}),
    "skipped-levels": ("`# a` then `### b` until 1 MB (an error each)", lambda: fill(lambda i: "# a\n\n### b\n\n"), {}),
    # Footnotes.
    "footnotes": (
        "50,000 references `[^N]` and 50,000 definitions",
        lambda: count(lambda i: f"Text[^{i}].\n\n", 50_000) + count(lambda i: f"[^{i}]: Note {i}.\n\n", 50_000),
        {},
    ),
    "footnote-same": (
        "one footnote referenced 150,000 times",
        lambda: fill(lambda i: "x[^a] " + ("\n" if i % 10 == 9 else "")) + "\n\n[^a]: The note.\n",
        {},
    ),
    "footnote-nested": (
        "20,000 definitions, each citing the next",
        lambda: "Start[^0].\n\n" + count(lambda i: f"[^{i}]: Note[^{i + 1}].\n\n", 20_000),
        {},
    ),
    # Glossary terms.
    "glossary-line": ("one 1 MB line of term names and synonyms (first mention)", lambda: one_line(TERMS), {}),
    "glossary-every": ("the same line, `link = \"every\"`", lambda: one_line(TERMS), {"link": "every"}),
    "glossary-off": ("the same line, `link = \"off\"`", lambda: one_line(TERMS), {"link": "off"}),
    "glossary-paragraphs": (
        "term names, one paragraph each, `link = \"every\"`",
        lambda: fill(lambda i: TERMS[i % len(TERMS)] + ".\n\n"),
        {"link": "every"},
    ),
    "glossary-big-every": (
        "2,000 more terms, each named over and over on one 1 MB line, `link = \"every\"`",
        lambda: one_line([f"Extra term {n}" for n in range(BIG_GLOSSARY)]),
        {"link": "every", "terms": BIG_GLOSSARY},
    ),
    "glossary-big-first": (
        "the same, first mention",
        lambda: one_line([f"Extra term {n}" for n in range(BIG_GLOSSARY)]),
        {"terms": BIG_GLOSSARY},
    ),
    "glossary-links": (
        "one line of `[x](@/glossary/ai.md)` links (1 MB)",
        lambda: fill(lambda i: "[x](@/glossary/ai.md) ") + "\n",
        {},
    ),
    # Links and anchors.
    "anchor-links": ("20,000 `[a](#same)` to one heading", lambda: "## same\n\n" + count(lambda i: "[a](#same)\n", 20_000), {}),
    "anchors-many": (
        "`## hN` and `[a](#hN)` until 1 MB (48,000 of each)",
        lambda: fill(lambda i: f"## h{i}\n\n[a](#h{i})\n\n"),
        {},
    ),
    "internal-anchors": (
        "`## hN` and `[a](@/notes/adversarial.md#hN)` until 1 MB",
        lambda: fill(lambda i: f"## h{i}\n\n[a](@/notes/adversarial.md#h{i})\n\n"),
        {},
    ),
    "internal-links": ("`[a](@/notes/edge-cases.md)` until 1 MB", lambda: fill(lambda i: "[a](@/notes/edge-cases.md)\n"), {}),
    "broken-anchors": (
        "20,000 `[a](#nope)` on one line (an error each)",
        lambda: count(lambda i: "[a](#nope) ", 20_000) + "\n",
        {},
    ),
    "links": ("`[a](https://example.org/N)` until 1 MB", lambda: fill(lambda i: f"[a](https://example.org/{i}) "), {}),
    "ref-defs": (
        "10,000 `[xN]: url` definitions, each used",
        lambda: count(lambda i: f"[x{i}]: https://example.org/{i}\n", 10_000)
        + "\n"
        + count(lambda i: f"[a][x{i}] ", 10_000),
        {},
    ),
    "ref-defs-1mb": (
        "`[xN]: url` definitions until 1 MB, each used",
        lambda: fill(lambda i: f"[x{i}]: https://example.org/{i}\n", SIZE // 2)
        + "\n"
        + fill(lambda i: f"[a][x{i}] ", SIZE // 2),
        {},
    ),
    "images-no-alt": ("`![](x.png)` until 1 MB (an error each)", lambda: fill(lambda i: "![](x.png)\n"), {}),
    "figures": ("`![a](x.png \"t\")` paragraphs until 1 MB", lambda: fill(lambda i: '![a](x.png "t")\n\n'), {}),
    # Nesting.
    "nested-quotes": ("one line of 1,000,000 `>`", lambda: fill(lambda i: ">" * 1000) + " x\n", {}),
    "nested-quotes-lines": ("lines of 100 `> ` until 1 MB", lambda: fill(lambda i: "> " * 100 + "x\n"), {}),
    "nested-lists": ("one line of 500,000 `- `", lambda: fill(lambda i: "- " * 1000) + "x\n", {}),
    "nested-lists-lines": ("lines of 100 `- ` until 1 MB", lambda: fill(lambda i: "- " * 100 + "x\n"), {}),
    "nested-ordered": ("one line of 333,000 `1. `", lambda: fill(lambda i: "1. " * 1000) + "x\n", {}),
    "indented-lists": (
        "a list 1,000 levels deep by indentation (1 MB)",
        lambda: count(lambda i: " " * (2 * i) + "- x\n", 1_000),
        {},
    ),
    # Inline runs.
    "stars": ("1,000,000 `*`", lambda: fill(lambda i: "*" * 1000) + "\n", {}),
    "star-words": ("`*a ` until 1 MB", lambda: fill(lambda i: "*a ") + "\n", {}),
    "underscores": ("`_a ` until 1 MB", lambda: fill(lambda i: "_a ") + "\n", {}),
    "emphasis-open": ("`**a *b _c ` until 1 MB", lambda: fill(lambda i: "**a *b _c ") + "\n", {}),
    "backticks": ("1,000,000 backticks", lambda: fill(lambda i: "`" * 1000) + "\n", {}),
    "backtick-runs": ("runs of 1 to 400 backticks, unclosed (1 MB)", lambda: backtick_runs() + "\n", {}),
    "brackets": ("1,000,000 `[`", lambda: fill(lambda i: "[" * 1000) + "\n", {}),
    "bracket-links": ("`[a](` until 1 MB", lambda: fill(lambda i: "[a](") + "\n", {}),
    "image-brackets": ("`![` until 1 MB", lambda: fill(lambda i: "![") + "\n", {}),
    "refs-undefined": ("`[a] ` until 1 MB", lambda: fill(lambda i: "[a] ") + "\n", {}),
    "html-inline": ("`<span>a</span> ` until 1 MB", lambda: fill(lambda i: "<span>a</span> ") + "\n", {}),
    "html-escaped": (
        "`<span>a</span> ` until 1 MB, `raw_html = \"escape\"`",
        lambda: fill(lambda i: "<span>a</span> ") + "\n",
        {"raw_html": "escape"},
    ),
    "quotes": ("`\"a' ` until 1 MB (smart punctuation)", lambda: fill(lambda i: "\"a' ") + "\n", {}),
    "dashes": ("`a--- b... ` until 1 MB (smart punctuation)", lambda: fill(lambda i: "a--- b... ") + "\n", {}),
    "html-open": ("`<a ` until 1 MB", lambda: fill(lambda i: "<a ") + "\n", {}),
    "entities": ("`&amp; ` until 1 MB", lambda: fill(lambda i: "&amp; ") + "\n", {}),
    # Inputs that were quadratic in pulldown-cmark or other CommonMark parsers.
    "link-angle": ("`[a](<b` until 1 MB", lambda: fill(lambda i: "[a](<b") + "\n", {}),
    "link-paren": ("`[ (](` until 1 MB", lambda: fill(lambda i: "[ (](") + "\n", {}),
    "link-empty": ("`[](` until 1 MB", lambda: fill(lambda i: "[](") + "\n", {}),
    "star-triples": ("`a***` until 1 MB", lambda: fill(lambda i: "a***") + "\n", {}),
    "star-spaces": ("`* ` until 1 MB, then `a`", lambda: fill(lambda i: "* ") + "a\n", {}),
    "bracket-emphasis": ("`[*_a` until 1 MB", lambda: fill(lambda i: "[*_a") + "\n", {}),
    "backtick-escapes": ("``` ``\\ ``` until 1 MB", lambda: fill(lambda i: "``\\") + "\n", {}),
    "escaped-backticks": ("``` \\`` ``` until 1 MB", lambda: fill(lambda i: "\\``") + "\n", {}),
    "link-lines": ("`]([` lines until 1 MB", lambda: fill(lambda i: "]([\n"), {}),
    "cdata": ("`a <![CDATA[` until 1 MB", lambda: fill(lambda i: "a <![CDATA[") + "\n", {}),
    "processing": ("`a <? ` until 1 MB", lambda: fill(lambda i: "a <? ") + "\n", {}),
    "declarations": ("`a <!A` until 1 MB", lambda: fill(lambda i: "a <!A") + "\n", {}),
    "comments": ("`a <!-- ` until 1 MB", lambda: fill(lambda i: "a <!-- ") + "\n", {}),
    "angles": ("`<>` until 1 MB", lambda: fill(lambda i: "<>") + "\n", {}),
    "ref-expansion": (
        "one `[x]: ` definition of a 500 kB URL, used 125,000 times",
        lambda: "[x]: " + "x" * (SIZE // 2) + "\n\n" + fill(lambda i: "[x]", SIZE // 2) + "\n",
        {},
    ),
    # Tables.
    "table-rows": ("10 columns × 10,000 rows (100,000 cells)", lambda: table(10, 10_000), {}),
    "table-wide": ("100,000 columns, 3 rows", lambda: table(100_000, 3 / SCALE, wide=True), {}),
    "table-ragged": (
        "100,000-column header, 10,000 one-cell rows",
        lambda: table(100_000, 0, wide=True) + count(lambda i: "|x|\n", 10_000),
        {},
    ),
    # Code.
    "code-blocks": ("```` ```rust ```` blocks until 1 MB", lambda: fill(lambda i: "```rust\nfn main() {}\n```\n\n"), {}),
    "code-unknown": (
        "```` ```nosuchlang ```` blocks until 1 MB (a warning each)",
        lambda: fill(lambda i: "```nosuchlang\nx\n```\n\n"),
        {},
    ),
    "code-inline": ("`` `a` `` until 1 MB", lambda: fill(lambda i: "`a` ") + "\n", {}),
    # Blocks.
    "callouts": ("`> [!NOTE]` callouts until 1 MB", lambda: fill(lambda i: "> [!NOTE]\n> text\n\n"), {}),
    "tasks": ("`- [x] done` until 1 MB", lambda: fill(lambda i: "- [x] done\n"), {}),
    "prose": ("plain sentences in paragraphs (1 MB)", lambda: fill(lambda i: "The quick brown fox jumps over the lazy dog. " + ("\n\n" if i % 8 == 7 else "")), {}),
    "prose-line": ("plain sentences on one 1 MB line", lambda: one_line(["quick", "brown", "fox", "lazy dog"]), {}),
}


def make_site(dest, body, tweaks):
    shutil.copytree(FIXTURE, dest)
    with open(os.path.join(dest, "content", "notes", "adversarial.md"), "w", encoding="utf-8") as f:
        f.write(FRONT + body)
    for n in range(tweaks.get("terms", 0)):
        with open(os.path.join(dest, "content", "glossary", f"extra-{n}.md"), "w", encoding="utf-8") as f:
            f.write(f'+++\ntitle = "Extra term {n}"\nshort = "Extra term number {n}."\n+++\n\nA term.\n')
    with open(os.path.join(dest, "site.toml"), "a", encoding="utf-8") as f:
        if "link" in tweaks:
            f.write(f'\n[glossary]\nlink = "{tweaks["link"]}"\n')
        if "raw_html" in tweaks:
            f.write(f'\n[markdown]\nraw_html = "{tweaks["raw_html"]}"\n')


def build(exe, site, out, timeout):
    """Wall and CPU (user + system) seconds of one build, and its exit
    status; (None, None, None) past the timeout. The machine may be busy
    with other work: CPU time says what the build itself cost."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    child = subprocess.Popen(
        [exe, "build", "--root", site, "-o", out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            wall = time.perf_counter() - start
            child.returncode = os.waitstatus_to_exitcode(status)
            return wall, usage.ru_utime + usage.ru_stime, child.returncode
        if time.perf_counter() - start > timeout:
            child.kill()
            child.wait()
            return None, None, None
        time.sleep(0.002)


def time_case(exe, site, out, runs, timeout):
    """The best of `runs` builds (one when the first is slow): wall and CPU
    seconds as text, the exit status, and the best wall time."""
    best, cpu, code = None, None, None
    for n in range(runs):
        wall, used, code = build(exe, site, out, timeout)
        if wall is None:
            return f"> {timeout:g} s", "", None, float("inf")
        if best is None or wall < best:
            best, cpu = wall, used
        if wall > 5:
            break
    return f"{best:.2f} s", f"{cpu:.2f} s", code, best


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pamphlet", default=os.path.join(REPO_ROOT, "target", "release", "pamphlet"))
    parser.add_argument("--baseline", help="another pamphlet binary to time beside it (an older build)")
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument("--runs", type=int, default=3, help="builds per case; the best counts (default 3)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds before a build is killed (default 60)")
    parser.add_argument("--limit", type=float, default=1.0, help="seconds a case may take (default 1)")
    parser.add_argument("--scale", type=float, default=1.0, help="make every case this many times bigger")
    parser.add_argument("--write", metavar="DIR", help="only write each case's site under DIR")
    parser.add_argument("--list", action="store_true", help="list the cases")
    args = parser.parse_args()
    global SCALE
    SCALE = args.scale
    names = list(CASES) if not args.cases else [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; --list shows them")
    if args.list:
        for name in names:
            print(f"{name:22} {CASES[name][0]}")
        return 0
    if args.write:
        for name in names:
            _, body, tweaks = CASES[name]
            make_site(os.path.join(args.write, name), body(), tweaks)
        return 0
    for exe in filter(None, [args.pamphlet, args.baseline]):
        if not os.access(exe, os.X_OK):
            parser.error(f"no binary at {exe} (cargo build --release)")
    tmp_root = "/dev/shm" if os.path.isdir("/dev/shm") else None
    over = False
    with tempfile.TemporaryDirectory(prefix="pamphlet-adversarial-", dir=tmp_root) as tmp:
        before = "baseline wall | baseline CPU | " if args.baseline else ""
        head = "| case | input | body | " + before + "wall | CPU | exit |"
        print(head)
        print("|" + "---|" * (head.count(" | ") + 1))
        for name in names:
            what, body, tweaks = CASES[name]
            text = body()
            site, out = os.path.join(tmp, name), os.path.join(tmp, name + "-out")
            make_site(site, text, tweaks)
            cells = [name, what, f"{len(text) / 1e6:.2f} MB"]
            if args.baseline:
                cells += time_case(args.baseline, site, out, args.runs, args.timeout)[:2]
            wall, cpu, code, secs = time_case(args.pamphlet, site, out, args.runs, args.timeout)
            over |= secs > args.limit or (code is not None and code > 1)
            cells += [wall, cpu, "–" if code is None else str(code)]
            print("| " + " | ".join(cells) + " |", flush=True)
            shutil.rmtree(site, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
