//! The whole build under random and hostile input, for a bounded time.
//!
//! Each case is a site made from a seed (see `generate`): site.toml, pages
//! of every kind, sections, assets, now and then links out of the site and
//! a theme path that climbs out of `themes/`, some files mutated byte by
//! byte. It is built into memory, and must:
//!
//! - not panic, and finish within [`CASE_LIMIT`];
//! - write only inside the output: every path relative, of plain names
//!   (no `..`, no root, no `\`);
//! - publish nothing from outside the site (a marker written beside it
//!   never shows up in the output);
//! - write feeds and sitemaps that parse as XML, a search index that parses
//!   as JSON, calendars of CRLF property lines, the theme's files unchanged;
//! - with `raw_html = "escape"`, give readers no script: no `<script>` but
//!   the theme's, no `on…=` attribute, no script URL (see `leaks`).
//!
//! By default cases run for [`DEFAULT_SECONDS`] from a seed taken from the
//! clock, printed first. `PAMPHLET_FUZZ_SEED` fixes the seed,
//! `PAMPHLET_FUZZ_CASES` the number of cases (then without a time limit,
//! unless `PAMPHLET_FUZZ_SECONDS` sets one). A failure prints the line that
//! replays its case alone. The fixed corpus in `tests/fuzz-corpus/` (every
//! vector pamphlet has had to refuse) is built on every run, and seeds the
//! random cases.

mod fragments;
mod generate;

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use generate::{Rng, SECRET};

use crate::leaks;

const DEFAULT_SECONDS: u64 = 25;
/// A case slower than this is a failure: some input made the build crawl.
const CASE_LIMIT: Duration = Duration::from_secs(60);

/// A site to build: its files (relative to the site root) and links to
/// make (path, target).
struct Case {
    files: BTreeMap<String, Vec<u8>>,
    links: Vec<(String, String)>,
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "toml"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

/// A random site from `seed`, with corpus pages mixed in.
fn random_case(seed: u64, corpus: &[(String, Vec<u8>)]) -> Case {
    let mut rng = Rng::new(seed);
    let kinds: Vec<_> = generate::kinds().collect();
    let config = rng.config();
    let mut files = BTreeMap::from([("site.toml".to_string(), config.into_bytes())]);
    files.insert("content/_index.md".into(), rng.section(0).into_bytes());
    for &(kind, _, dir) in &kinds[1..] {
        if rng.chance(80) {
            files.insert(format!("content/{dir}/_index.md"), rng.section(kind).into_bytes());
        }
    }
    if rng.chance(70) {
        files.insert("content/glossary/widget.md".into(), rng.page(2, "Widget").into_bytes());
    }
    let names =
        ["a.md", "b.md", "x y.md", "日本.md", "..md", ".hidden.md", "a.md.md", "index.md", "page.MD", "p.fr.md"];
    for _ in 0..1 + rng.below(6) {
        let (kind, _, dir) = rng.pick(&kinds);
        let name = rng.pick(&names);
        let path = if dir.is_empty() { format!("content/{name}") } else { format!("content/{dir}/{name}") };
        files.insert(path, rng.page(kind, "Widget gadget").into_bytes());
    }
    let pages: Vec<_> = corpus.iter().filter(|(name, _)| name.ends_with(".md")).collect();
    if rng.chance(25) && !pages.is_empty() {
        let (name, bytes) = rng.pick(&pages);
        files.insert(format!("content/{name}"), rng.mutate(bytes.clone()));
    }
    if rng.chance(10) {
        files.insert("assets/img/a.png".into(), b"\x89PNG\r\n".to_vec());
        files.insert("content/explainers/data.csv".into(), b"a,b\n1,<script>\n".to_vec());
    }
    for bytes in files.values_mut() {
        if rng.chance(10) {
            *bytes = rng.mutate(std::mem::take(bytes));
        }
    }
    let mut links = Vec::new();
    if rng.chance(15) {
        links.push(("content/leak.md".into(), "../../outside/secret.md".into()));
        links.push(("content/out".into(), "../../outside".into()));
        links.push(("assets/leak.txt".into(), "../../outside/secret.txt".into()));
        links.push(("assets/out".into(), "../../outside".into()));
    }
    Case { files, links }
}

/// A corpus entry in a fixed site: a page (`.md`) beside one of each kind,
/// or a `site.toml` (`.toml`) over a page of hostile Markdown.
fn corpus_case(name: &str, bytes: &[u8]) -> Case {
    let mut rng = Rng::new(0);
    let config = "title = \"Corpus\"\nbase_url = \"https://example.org/hub\"\n\n[markdown]\nraw_html = \"escape\"\n";
    let mut files = BTreeMap::from([("site.toml".to_string(), config.as_bytes().to_vec())]);
    files.insert("content/_index.md".into(), b"+++\ntitle = \"Home\"\n+++\nA Widget.\n".to_vec());
    for (kind, _, dir) in generate::kinds().skip(1) {
        files.insert(
            format!("content/{dir}/_index.md"),
            format!("+++\ntitle = \"{dir}\"\nkind = \"{kind}\"\n+++\n").into(),
        );
    }
    files.insert("content/glossary/widget.md".into(), b"+++\ntitle = \"Widget\"\nshort = \"A thing.\"\n+++\n".to_vec());
    match name.strip_suffix(".toml") {
        Some(_) => {
            files.insert("site.toml".into(), bytes.to_vec());
            files.insert("content/page.md".into(), rng.page(1, "Widget").into_bytes());
        }
        None => {
            files.insert(format!("content/{name}"), bytes.to_vec());
        }
    }
    let links = vec![("content/leak.md".into(), "../../outside/secret.md".into())];
    Case { files, links }
}

/// Writes `case` under `dir` (the site in `site/`, the marker beside it in
/// `outside/`); returns the site's root.
fn write(case: &Case, dir: &Path) -> PathBuf {
    let outside = dir.join("outside");
    for (rel, text) in [
        ("secret.txt", SECRET.to_string()),
        ("secret.md", format!("+++\ntitle = \"{SECRET}\"\n+++\n{SECRET}\n")),
        ("theme/templates/index.html", SECRET.to_string()),
        ("theme/templates/page.html", SECRET.to_string()),
        ("theme/static/secret.txt", SECRET.to_string()),
    ] {
        let path = outside.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let root = dir.join("site");
    // With `themes/` there, `themes/../../outside/theme` names a real folder.
    std::fs::create_dir_all(root.join("themes")).unwrap();
    for (rel, bytes) in &case.files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    #[cfg(unix)]
    for (rel, target) in &case.links {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let _ = std::os::unix::fs::symlink(target, path);
    }
    root
}

/// What a case that passed did: whether it wrote any file, and whether
/// its HTML was escaped (and so checked for script).
#[derive(Clone, Copy)]
struct Passed {
    wrote: bool,
    escaped: bool,
}

/// Builds `case` and checks what it wrote; the problems found, if any.
fn check(case: &Case) -> Result<Passed, String> {
    let dir = tempfile::tempdir().unwrap();
    let root = write(case, dir.path());
    let (_, files) = leaks::build_in_memory(&root);
    let mut found = Vec::new();
    for (path, bytes) in &files {
        let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
        if !plain || path.as_os_str().is_empty() || path.to_string_lossy().contains('\\') {
            found.push(format!("written outside the output: {path:?}"));
        }
        if bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()) {
            found.push(format!("{}: holds a file from outside the site", path.display()));
        }
    }
    // Mutations may have changed either: what counts is what the build read.
    let escaped = match pamphlet::config::load(&root, None) {
        Ok(c) if c.markdown.raw_html == pamphlet::config::RawHtml::Escape => Some(c.base_url),
        _ => None,
    };
    found.extend(match &escaped {
        Some(base_url) => leaks::find(&files, base_url.as_str()),
        None => leaks::malformed(&files),
    });
    match found.is_empty() {
        true => Ok(Passed { wrote: !files.is_empty(), escaped: escaped.is_some() }),
        false => Err(found.join("\n")),
    }
}

/// [`check`] on a thread of its own, so that a panic or a build that
/// never ends is reported with the case that caused it.
fn run(case: Case) -> Result<Passed, String> {
    let (tx, rx) = mpsc::channel();
    let files = case.files.clone();
    std::thread::spawn(move || {
        let _ = tx.send(check(&case));
    });
    let result = match rx.recv_timeout(CASE_LIMIT) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!("the build took over {CASE_LIMIT:?}")),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err("the build panicked (its message is above)".into()),
    };
    result.map_err(|why| {
        let shown: Vec<String> =
            files.iter().map(|(p, b)| format!("--- {p}\n{}", String::from_utf8_lossy(b))).collect();
        format!("{why}\n\nthe site:\n{}", shown.join("\n"))
    })
}

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(value.trim().parse().unwrap_or_else(|_| panic!("{name}={value:?} is not a number")))
}

#[test]
fn random_sites_build_without_panics_escapes_or_script() {
    let seed = env_number("PAMPHLET_FUZZ_SEED").unwrap_or_else(|| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        now.as_nanos() as u64 % 1_000_000_000_000
    });
    let cases = env_number("PAMPHLET_FUZZ_CASES");
    let seconds = env_number("PAMPHLET_FUZZ_SECONDS").or(if cases.is_some() { None } else { Some(DEFAULT_SECONDS) });
    let limit = seconds.map(Duration::from_secs);
    eprintln!("fuzz: PAMPHLET_FUZZ_SEED={seed}");
    let corpus = corpus();
    let started = Instant::now();
    let (mut done, mut wrote, mut escaped) = (0, 0, 0);
    while cases.is_none_or(|n| done < n) && limit.is_none_or(|l| started.elapsed() < l) {
        let case_seed = seed.wrapping_add(done);
        match run(random_case(case_seed, &corpus)) {
            Ok(passed) => {
                wrote += usize::from(passed.wrote);
                escaped += usize::from(passed.wrote && passed.escaped);
            }
            Err(why) => panic!(
                "case {done} failed:\n{why}\n\nreplay it with:\n  \
                 PAMPHLET_FUZZ_SEED={case_seed} PAMPHLET_FUZZ_CASES=1 cargo test --test integration fuzz::random"
            ),
        }
        done += 1;
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!("fuzz: {done} cases in {secs:.1} s; {wrote} wrote a site, {escaped} of them with HTML escaped");
}

#[test]
fn the_corpus_builds_without_panics_escapes_or_script() {
    let corpus = corpus();
    assert!(corpus.len() >= 10, "the corpus is missing: {corpus:?}");
    for (name, bytes) in &corpus {
        if let Err(why) = run(corpus_case(name, bytes)) {
            panic!("tests/fuzz-corpus/{name}:\n{why}");
        }
    }
}
