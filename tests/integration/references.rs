//! References: every local link and image a page makes (Markdown, raw
//! HTML, `@/`, root-relative, relative) leads to a file the build writes,
//! and a site deployed under a path (`https://preview.example.net/pr-42/`)
//! keeps every link inside it. The output is read back as a browser would
//! follow it: every `href`, `src`, `action` and `srcset` of every HTML file,
//! resolved against the file's own URL, must name a file of the output
//! (and an `#anchor` an id in it).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::driver::{Site, clean, walk};
use crate::leaks;

/// Builds the site at `root` with `base_url` into a new folder; returns it.
fn build_into(root: &Path, base_url: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let run = Command::new(env!("CARGO_BIN_EXE_pamphlet"))
        .args(["build", "--today", "2026-11-28", "--base-url", base_url, "-o"])
        .arg(&out)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(run.status.success(), "the site does not build:\n{}", String::from_utf8_lossy(&run.stderr));
    (dir, out)
}

/// Percent-decodes a URL path (bytes that are not UTF-8 are kept as escapes).
fn decoded(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match hex {
            Some(b) if bytes[i] == b'%' => {
                out.push(b);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| path.to_string())
}

/// What a checker found in a built site: problems, and how many local
/// links it followed.
struct Followed {
    problems: Vec<String>,
    links: usize,
}

/// Follows every local URL of every HTML file under `out`, a site whose
/// base URL is `origin` + `base_path` (`/pr-42/`, `/` at a domain's root).
fn follow(out: &Path, origin: &str, base_path: &str) -> Followed {
    let mut found = Followed { problems: Vec::new(), links: 0 };
    let mut ids: HashMap<PathBuf, BTreeSet<String>> = HashMap::new();
    let mut pages: Vec<PathBuf> =
        walk(out).into_iter().filter(|p| p.extension().is_some_and(|e| e == "html")).collect();
    pages.sort();
    for page in &pages {
        let rel = page.strip_prefix(out).unwrap().to_string_lossy().replace('\\', "/");
        let folder = format!("{base_path}{}", rel.rsplit_once('/').map_or("", |(d, _)| d)).replace("//", "/");
        let folder = if folder.ends_with('/') { folder } else { format!("{folder}/") };
        for element in leaks::elements(&std::fs::read_to_string(page).unwrap()) {
            for (attr, value) in &element.attrs {
                let urls: Vec<&str> = match attr.as_str() {
                    "srcset" => value.split(',').filter_map(|c| c.split_whitespace().next()).collect(),
                    "href" | "src" | "action" | "poster" => vec![value.as_str()],
                    _ => continue,
                };
                for url in urls {
                    let at = format!("{rel}: {attr}={url:?}");
                    follow_one(out, &mut ids, (origin, base_path), &folder, page, url, &at, &mut found);
                }
            }
        }
    }
    found
}

/// Follows `url`, written in `page` (served at `folder`).
#[allow(clippy::too_many_arguments)]
fn follow_one(
    out: &Path,
    ids: &mut HashMap<PathBuf, BTreeSet<String>>,
    (origin, base_path): (&str, &str),
    folder: &str,
    page: &Path,
    url: &str,
    at: &str,
    found: &mut Followed,
) {
    let local = url.strip_prefix(origin).filter(|rest| rest.starts_with('/')).unwrap_or(url);
    let has_scheme = local.split_once(':').is_some_and(|(s, _)| !s.is_empty() && !s.contains(['/', '?', '#']));
    if local.is_empty() || has_scheme || local.starts_with("//") {
        return;
    }
    let (before, fragment) = local.split_once('#').map_or((local, None), |(p, f)| (p, Some(f)));
    let path = before.split_once('?').map_or(before, |(p, _)| p);
    let absolute = match path {
        "" => None,
        p if p.starts_with('/') => Some(p.to_string()),
        p => Some(resolve(folder, p)),
    };
    let file = match absolute {
        None => page.to_path_buf(),
        Some(absolute) => {
            let Some(inside) = absolute.strip_prefix(base_path) else {
                return found.problems.push(format!("{at}: outside {base_path}"));
            };
            let inside = decoded(inside);
            let rel = if inside.is_empty() || inside.ends_with('/') { format!("{inside}index.html") } else { inside };
            out.join(rel)
        }
    };
    found.links += 1;
    if !file.is_file() {
        return found.problems.push(format!("{at}: no file {}", file.strip_prefix(out).unwrap_or(&file).display()));
    }
    let Some(fragment) = fragment.filter(|f| !f.is_empty() && file.extension().is_some_and(|e| e == "html")) else {
        return;
    };
    let known = ids.entry(file.clone()).or_insert_with(|| {
        let text = std::fs::read_to_string(&file).unwrap();
        let elements = leaks::elements(&text);
        elements.into_iter().flat_map(|e| e.attrs).filter(|(a, _)| a == "id").map(|(_, v)| v).collect()
    });
    if !known.contains(&decoded(fragment)) {
        found.problems.push(format!("{at}: no id {fragment:?} in {}", file.strip_prefix(out).unwrap().display()));
    }
}

/// `relative` resolved against `folder` (`/pr-42/explainers/x/`), `..` at
/// the root staying there.
fn resolve(folder: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    let segments: Vec<&str> = relative.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
        let last = i + 1 == segments.len();
        if last && matches!(*segment, "." | ".." | "") {
            return format!("/{}/", parts.join("/")).replace("//", "/");
        }
    }
    format!("/{}", parts.join("/"))
}

#[test]
fn the_link_follower_finds_what_is_broken_or_outside_the_base_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    std::fs::create_dir_all(out.join("a")).unwrap();
    std::fs::write(out.join("a/x y.png"), "").unwrap();
    std::fs::write(
        out.join("a/index.html"),
        "<h2 id=top>T</h2><a href=\"/pr-42/a/#top\">ok</a> <img src='x%20y.png' alt=''> \
         <a href=\"https://p.example/pr-42/a/\">ok</a> <a href=\"https://elsewhere.example/\">out</a> \
         <a href=\"/other/\">outside</a> <a href=\"../b/\">missing</a> <a href=\"#gone\">anchor</a> \
         <img srcset=\"/pr-42/a/x%20y.png 1x, /pr-42/nope.png 2x\" alt=\"\">",
    )
    .unwrap();
    let found = follow(out, "https://p.example", "/pr-42/");
    assert_eq!(found.problems.len(), 4, "{:#?}", found.problems);
    for what in
        ["\"/other/\": outside /pr-42/", "\"../b/\": no file b/index.html", "no id \"gone\"", "no file nope.png"]
    {
        assert!(found.problems.iter().any(|p| p.contains(what)), "no {what} in {:#?}", found.problems);
    }
    assert_eq!(found.links, 7);
}

#[test]
fn the_example_hub_under_a_path_links_only_inside_it_and_every_link_leads_somewhere() {
    let (_dir, out) = build_into(Path::new(env!("CARGO_MANIFEST_DIR")), "https://example.org/pr-42/");
    let found = follow(&out, "https://example.org", "/pr-42/");
    assert!(found.problems.is_empty(), "{} problems:\n{}", found.problems.len(), found.problems.join("\n"));
    assert!(found.links > 3000, "only {} links followed", found.links);
    // The hub's own root-relative and relative links are among them.
    let tools = std::fs::read_to_string(out.join("tools/index.html")).unwrap();
    assert!(tools.contains("href=\"/pr-42/tools/status/approved/\""), "{tools}");
    assert!(tools.contains("href=\"../glossary/\""));
    let events = std::fs::read_to_string(out.join("events/index.html")).unwrap();
    assert!(events.contains("href=\"/pr-42/events.ics\""));
}

#[test]
fn root_relative_urls_get_the_base_path_in_markdown_and_raw_html() {
    let site = Site::fixture("references");
    let (_dir, out) = build_into(&site.root, "https://preview.example.net/pr-42/");
    let found = follow(&out, "https://preview.example.net", "/pr-42/");
    assert!(found.problems.is_empty(), "{}", found.problems.join("\n"));
    let page = std::fs::read_to_string(out.join("explainers/first/index.html")).unwrap();
    for written in [
        "<a href=\"/pr-42/about/\">About</a>",
        "<a href=\"/pr-42/files/report.pdf\">the report</a>",
        "<a href=\"/pr-42/files/my%20report.pdf\">spaced</a>",
        "<a href=\"/pr-42/files/my%20report.pdf#page=2\">page two</a>",
        "<a href=\"/pr-42/about/?from=first\">with a query</a>",
        "<img src=\"/pr-42/images/chart.png\" alt=\"A chart\" width=\"8\" height=\"4\" />",
        "<figure>\n<img src=\"/pr-42/images/chart.png\" alt=\"A chart with a caption\" width=\"8\" height=\"4\">",
        // Raw HTML: quoted, single-quoted, unquoted (given quotes), srcset.
        "<img src=\"/pr-42/images/chart.png\" alt=\"Chart\"\n  srcset=\"/pr-42/images/chart.png 1x, /pr-42/images/chart.png 2x\">",
        "<a href='/pr-42/files/report.pdf'>Report</a> and <a href=\"/pr-42/about/\">about</a>",
        "<img src=\"/pr-42/images/chart.png\" alt=\"\">",
        // Relative links stay as written: the browser resolves them.
        "<a href=\"../second/#risks\">Second</a>",
        "<img src=\"../diagram.png\" alt=\"A diagram\" width=\"8\" height=\"4\" />",
        "<a href=\"../second/\">second</a>",
        // Leaving the site: as written.
        "<a href=\"//cdn.example.org/x.js\">A CDN</a>",
        "<a href=\"https://example.org/files/x.pdf\">a site</a>",
    ] {
        assert!(page.contains(written), "no {written:?} in\n{page}");
    }
}

#[test]
fn at_links_reach_every_file_under_content_spaces_and_escapes_included() {
    let site = Site::fixture("references");
    let (_dir, out) = build_into(&site.root, "https://preview.example.net/pr-42/");
    let page = std::fs::read_to_string(out.join("explainers/first/index.html")).unwrap();
    let data = "https://preview.example.net/pr-42/explainers/protecci%C3%B3n-de-datos/";
    for written in [
        "<img src=\"https://preview.example.net/pr-42/explainers/diagram.png\" alt=\"A diagram\" width=\"8\" height=\"4\" />"
            .to_string(),
        "<a href=\"https://preview.example.net/pr-42/explainers/report.pdf\">the PDF</a>".into(),
        format!("<a href=\"{data}\">data</a>"),
        format!("<a href=\"{data}#why\">why</a>"),
        "<a href=\"https://preview.example.net/pr-42/about/\">about</a>".into(),
    ] {
        assert!(page.contains(&written), "no {written:?} in\n{page}");
    }
    assert!(!page.contains("@/"), "an @/ link was written as it is:\n{page}");
    assert!(out.join("explainers/diagram.png").is_file() && out.join("explainers/report.pdf").is_file());
}

#[test]
fn a_reference_that_leads_nowhere_is_an_error_at_its_place_with_the_nearest_path() {
    let site = Site::fixture("broken-references");
    let run = site.build().expect(1);
    let err = clean(&run.stderr, &site);
    for part in [
        "error: link to `/files/reprot.pdf`, but the site has nothing at /files/reprot.pdf \
         (did you mean \"/files/report.pdf\"?)\n  --> content/explainers/first.md:5:10",
        "(did you mean \"/about/\"?)\n  --> content/explainers/first.md:5:46",
        "error: link to `diagram.svg`, but the site has nothing at /explainers/first/diagram.svg \
         (did you mean \"/explainers/diagram.png\"?) (a relative link names a file beside the page's own file, \
         else starts from the page's URL)\n  --> content/explainers/first.md:7:23",
        "error: link to missing anchor `#dangers` in `explainers/second.md`\n  --> content/explainers/first.md:7:53",
        "error: link to missing file `@/explainers/diagram.jpg` (did you mean \"explainers/diagram.png\"?)\n  \
         --> content/explainers/first.md:9:10",
        "error: link to missing page `@/explainers/secnod.md` (did you mean \"explainers/second.md\"?)\n  \
         --> content/explainers/first.md:9:53",
        "error: `[data](@/explainers/Protección de datos.md)` is left as text, not read as a link",
        "--> content/explainers/first.md:11:14",
        "error: `[a file](/files/my report.pdf)` is left as text",
        "(did you mean \"/files/report.pdf\"?)\n  --> content/explainers/first.md:13:13",
        "error: image `../diagram.png` has no alt text: give the <img> an alt=\"…\"",
        "--> content/explainers/first.md:13:40",
        "10 errors",
    ] {
        assert!(err.contains(part), "missing {part:?} in\n{err}");
    }
    insta::assert_snapshot!("broken_references", err);
}

#[test]
fn what_the_build_publishes_is_known_before_it_writes() {
    let example = Site::example();
    let fixtures = ["full", "references", "events", "glossary", "search", "hostile", "minimal"].map(Site::fixture);
    for site in fixtures.iter().chain([&example]) {
        let sink = pamphlet::output::MemorySink::default();
        let options = pamphlet::render::BuildOptions {
            today: Some(jiff::civil::date(2026, 11, 28)),
            ..pamphlet::render::BuildOptions::default()
        };
        let (report, built) = pamphlet::render::run_keeping(&site.root, &options, &sink);
        let built = built.unwrap_or_else(|| panic!("{}: {:?}", site.root.display(), report.diagnostics));
        let written: BTreeSet<String> = sink
            .into_files()
            .into_keys()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            // The search index's shards and documents are found through its manifest.
            .filter(|p| !p.starts_with("search/") || !p.contains(".json") || p.ends_with("/index.json"))
            .collect();
        let published: BTreeSet<String> = built.published.paths().map(str::to_string).collect();
        let unlisted: Vec<_> = written.difference(&published).collect();
        let unwritten: Vec<_> = published.difference(&written).collect();
        assert!(unlisted.is_empty() && unwritten.is_empty(), "{}: {unlisted:?} {unwritten:?}", site.root.display());
    }
}
