//! `raw_html = "escape"` keeps its promise: `tests/sites/hostile/` puts
//! script in every field an author can write (site.toml, front matter of
//! every kind, Markdown bodies, tags, URLs), and no file of its build hands
//! a reader any of it; the links that would are refused where they are
//! written. In keep mode the same links are warnings and stay.

use std::collections::HashMap;
use std::path::PathBuf;

use pamphlet::error::{Diagnostic, Problem, Severity};

use crate::driver::Site;
use crate::leaks;

/// The start of each link or image in a hostile body whose URL is a script
/// URL, as written in the body both the pages and sections share.
const REFUSED: &[&str] = &[
    "[inline](",
    "[case](",
    "[tab](",
    "[lead](",
    "[ent](",
    "[dec](",
    "[pct](",
    "[vb](",
    "[data](",
    "[ref][evil]",
    "<javascript:",
    "![img](",
    "![svg](",
    "![fig](",
    "[callout](",
    "[cell](",
    "[note](",
];

/// The content files with a hostile body.
const BODIES: &[&str] = &[
    "content/_index.md",
    "content/page.md",
    "content/explainers/_index.md",
    "content/explainers/evil.md",
    "content/glossary/widget.md",
    "content/events/evil.md",
    "content/tools/evil.md",
];

fn build(site: &Site) -> (Vec<Diagnostic>, HashMap<PathBuf, Vec<u8>>) {
    let (report, files) = leaks::build_in_memory(&site.root);
    (report.diagnostics, files)
}

/// `(line, column)` of each of `REFUSED` in the file at `rel`.
fn refused_at(site: &Site, rel: &str) -> Vec<(usize, usize)> {
    let text = site.read(rel);
    let mut at: Vec<(usize, usize)> = REFUSED
        .iter()
        .map(|needle| {
            let offset = text.find(needle).unwrap_or_else(|| panic!("{rel} has no {needle}"));
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            (text[..offset].matches('\n').count() + 1, text[line_start..offset].chars().count() + 1)
        })
        .collect();
    at.sort();
    at
}

fn at_in(diags: &[Diagnostic], severity: Severity, rel: &str) -> Vec<(usize, usize)> {
    let mut at: Vec<(usize, usize)> = diags
        .iter()
        .filter(|d| d.severity == severity && matches!(d.problem, Problem::ScriptUrl { .. }))
        .filter_map(|d| d.location.as_ref())
        .filter(|l| l.file == std::path::Path::new(rel))
        .map(|l| (l.line, l.column))
        .collect();
    at.sort();
    at
}

#[test]
fn a_hostile_site_built_with_html_escaped_gives_readers_no_script() {
    let site = Site::fixture("hostile");
    let (diags, files) = build(&site);
    let found = leaks::find(&files, "https://example.org/hub");
    assert!(found.is_empty(), "{} leaks:\n{}", found.len(), found.join("\n"));
    for must in ["atom.xml", "sitemap.xml", "events.ics", "events/evil/event.ics", "search/en/index.json"] {
        assert!(files.contains_key(&PathBuf::from(must)), "no {must} in {:?}", files.keys());
    }
    // Template syntax in content is text, never run.
    let home = String::from_utf8_lossy(&files[&PathBuf::from("index.html")]).into_owned();
    assert!(home.contains("Intro with {{ config }} and {% if true %}tera{% endif %}"), "{home}");
    // The only errors are the refused links, each at file:line:col.
    let others: Vec<_> =
        diags.iter().filter(|d| d.is_error() && !matches!(d.problem, Problem::ScriptUrl { .. })).collect();
    assert!(others.is_empty(), "{others:#?}");
    for rel in BODIES {
        assert_eq!(at_in(&diags, Severity::Error, rel), refused_at(&site, rel), "{rel}");
    }
    let dropped =
        diags.iter().filter(|d| matches!(&d.problem, Problem::HeadingAttributeDropped(a) if a == "onmouseover"));
    assert_eq!(dropped.count(), BODIES.len());
}

#[test]
fn a_hostile_site_keeps_its_links_and_heading_attributes_when_html_is_kept() {
    let site = Site::fixture("hostile");
    site.edit("site.toml", "raw_html = \"escape\"", "raw_html = \"keep\"");
    let (diags, files) = build(&site);
    // Kept, raw HTML is checked like Markdown: the hostile `<img src=x>`
    // has no alt text, and the site has no file `x`. Nothing else fails.
    let others: Vec<_> = diags
        .iter()
        .filter(|d| d.is_error())
        .filter(|d| !matches!(&d.problem, Problem::ImageWithoutAlt { src, html: true } if src == "x"))
        .filter(|d| !matches!(&d.problem, Problem::MissingFile { url, .. } if url == "x"))
        .collect();
    assert!(others.is_empty(), "{others:#?}");
    for rel in BODIES {
        assert_eq!(at_in(&diags, Severity::Warning, rel), refused_at(&site, rel), "{rel}");
    }
    assert!(!diags.iter().any(|d| matches!(d.problem, Problem::HeadingAttributeDropped(_))));
    let page = String::from_utf8_lossy(&files[&PathBuf::from("page/index.html")]).into_owned();
    assert!(page.contains("<a href=\"javascript:alert(1)\">inline</a>"), "{page}");
    assert!(page.contains("<h2 id=\"hi\" onmouseover=\"alert(1)\">"), "{page}");
    // The scanner sees what keep mode lets through: it is not blind.
    let found = leaks::find(&files, "https://example.org/hub").join("\n");
    for what in
        ["<script> not the theme's", "event attribute onerror", "event attribute onmouseover", "javascript: URL"]
    {
        assert!(found.contains(what), "no {what} in\n{found}");
    }
}

#[test]
fn a_script_link_fails_the_build_with_its_place() {
    let site = Site::fixture("hostile");
    let run = site.build().expect(1);
    let (line, column) = refused_at(&site, "content/page.md")[0];
    let expected = format!(
        "error: `javascript:alert(1)` is a `javascript:` URL, which can run script in a reader's browser; \
         link to an http, https or mailto URL or a path on the site\n  --> content/page.md:{line}:{column}\n"
    );
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
    assert!(run.stderr.contains("`java\\tscript:alert(1)` is a `javascript:` URL"), "{}", run.stderr);
    assert!(!site.exists("public"));
}

/// Replaces the line of `rel` that starts with `key` by `line`.
fn set_line(site: &Site, rel: &str, key: &str, line: &str) {
    let text = site.read(rel);
    let old = text.lines().find(|l| l.starts_with(key)).unwrap_or_else(|| panic!("{rel} has no {key}"));
    site.write(rel, text.replacen(old, line, 1));
}

#[test]
fn front_matter_links_refuse_script_urls_in_both_modes() {
    let lines = [
        ("content/events/evil.md", "online", "online = 'javascript:alert(2)'"),
        ("content/events/evil.md", "register", "register = 'JaVaScRiPt:alert(2)'"),
        ("content/tools/evil.md", "url", "url = \"\\tjavascript:alert(2)\""),
        (
            "content/explainers/evil.md",
            "further_reading",
            "further_reading = [{ title = 'A', url = '&#106;avascript:alert(2)' }, { title = 'B', url = 'vbscript:msgbox(2)' }]",
        ),
        (
            "content/glossary/widget.md",
            "definitions",
            "definitions = [{ text = 'A', source = 'B', url = 'data:text/html,<script>alert(2)</script>' }]",
        ),
    ];
    for mode in ["escape", "keep"] {
        let site = Site::fixture("hostile");
        site.edit("site.toml", "raw_html = \"escape\"", &format!("raw_html = \"{mode}\""));
        for (rel, key, line) in lines {
            set_line(&site, rel, key, line);
        }
        let (diags, files) = build(&site);
        let mut refused: Vec<(String, String, usize)> = diags
            .iter()
            .filter_map(|d| match (&d.problem, &d.location) {
                (Problem::BadValue { key, .. }, Some(at)) if d.is_error() => {
                    Some((at.file.display().to_string(), key.clone(), at.line))
                }
                _ => None,
            })
            .collect();
        refused.sort();
        let line_of = |rel: &str, key: &str| site.read(rel).lines().position(|l| l.starts_with(key)).unwrap() + 1;
        let mut expected = vec![
            ("content/events/evil.md".to_string(), "online".to_string(), line_of("content/events/evil.md", "online")),
            ("content/events/evil.md".into(), "register".into(), line_of("content/events/evil.md", "register")),
            (
                "content/explainers/evil.md".into(),
                "further_reading.url".into(),
                line_of("content/explainers/evil.md", "further"),
            ),
            (
                "content/explainers/evil.md".into(),
                "further_reading.url".into(),
                line_of("content/explainers/evil.md", "further"),
            ),
            (
                "content/glossary/widget.md".into(),
                "definitions.url".into(),
                line_of("content/glossary/widget.md", "definitions"),
            ),
            ("content/tools/evil.md".into(), "url".into(), line_of("content/tools/evil.md", "url")),
        ];
        expected.sort();
        assert_eq!(refused, expected, "{mode}");
        let found: Vec<_> =
            leaks::find(&files, "https://example.org/hub").into_iter().filter(|f| f.contains("URL in")).collect();
        match mode {
            "escape" => assert!(found.is_empty(), "{found:#?}"),
            // Keep mode lets the body's links through (`(1)`), but none of these.
            _ => assert!(!found.iter().any(|f| f.contains("(2)")), "{found:#?}"),
        }
    }
}
