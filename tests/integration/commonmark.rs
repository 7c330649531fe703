//! Every example of the CommonMark spec (0.31.2, vendored from the npm
//! package `commonmark-spec`) through pamphlet's own Markdown path, so the
//! extensions and rewrites pamphlet adds break nothing CommonMark defines.

use pamphlet::config::{MarkdownConfig, RawHtml};

struct Example {
    number: usize,
    section: String,
    markdown: String,
    html: String,
}

fn examples() -> Vec<Example> {
    let spec = include_str!("../data/commonmark-spec-0.31.2.txt");
    let fence = "````````````````````````````````";
    let mut out = Vec::new();
    let mut section = String::new();
    let mut lines = spec.lines();
    while let Some(line) = lines.next() {
        if let Some(title) = line.strip_prefix('#').map(|l| l.trim_start_matches('#').trim()) {
            section = title.to_string();
        }
        if line != format!("{fence} example") {
            continue;
        }
        let (mut markdown, mut html, mut in_html) = (String::new(), String::new(), false);
        for line in lines.by_ref() {
            if line == fence {
                break;
            }
            if line == "." && !in_html {
                in_html = true;
                continue;
            }
            let target = if in_html { &mut html } else { &mut markdown };
            target.push_str(&line.replace('→', "\t"));
            target.push('\n');
        }
        out.push(Example { number: out.len() + 1, section: section.clone(), markdown, html });
    }
    out
}

/// What the spec's own test runner (its `normalize.py`) treats as the same
/// HTML: `"` written raw or as `&quot;` in text, and line breaks between tags.
fn normalize(html: &str) -> String {
    html.replace("&quot;", "\"").replace(">\n<", "><")
}

/// pamphlet's deliberate rewrites, undone: a paragraph holding only a titled
/// image is a `<figure>` with the title as caption.
fn without_figures(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<figure>\n<img ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "<figure>\n".len()..];
        let (img, tail) = after.split_once(">\n<figcaption>").expect("figure has an image and a caption");
        let (caption, tail) = tail.split_once("</figcaption>\n</figure>\n").expect("figure is closed");
        out.push_str(&format!("<p>{img} title=\"{caption}\" /></p>\n"));
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// pamphlet gives every heading an id (for anchors and the table of
/// contents); the spec's HTML has none.
fn without_heading_ids(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<h") {
        let (before, after) = rest.split_at(i);
        out.push_str(before);
        let is_heading = after.as_bytes().get(2).is_some_and(|b| (b'1'..=b'6').contains(b));
        if is_heading && after[3..].starts_with(" id=\"") {
            let end = after[8..].find('"').map_or(after.len(), |e| 8 + e + 1);
            out.push_str(&after[..3]);
            rest = &after[end..];
        } else {
            out.push_str(&after[..2]);
            rest = &after[2..];
        }
    }
    out.push_str(rest);
    out
}

/// Renders every example with pamphlet's Markdown in its CommonMark
/// profile: the page passes (heading ids, link resolution, callouts,
/// figures, footnotes, raw-HTML handling) on, typography and highlighting
/// off, since those deliberately change the text.
#[test]
fn every_commonmark_example_passes() {
    let config = MarkdownConfig { smart_punctuation: false, raw_html: RawHtml::Keep, highlight: false };
    let examples = examples();
    assert_eq!(examples.len(), 652, "the 0.31.2 spec has 652 examples");
    let failures: Vec<String> = examples
        .iter()
        .filter_map(|ex| {
            let got =
                without_figures(&without_heading_ids(&pamphlet::markdown::commonmark_html(&ex.markdown, &config)));
            (normalize(&got) != normalize(&ex.html)).then(|| {
                format!(
                    "example {} ({}):\n--- markdown\n{}--- expected\n{}--- got\n{}",
                    ex.number, ex.section, ex.markdown, ex.html, got
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} examples fail:\n\n{}", failures.len(), examples.len(), failures.join("\n"));
}

/// The same examples with every syntax extension pamphlet turns on for
/// pages (tables, footnotes, strikethrough, task lists, heading attributes,
/// callouts): none of them changes what CommonMark defines.
#[test]
fn every_commonmark_example_passes_with_the_extensions_on() {
    let config = MarkdownConfig { smart_punctuation: false, raw_html: RawHtml::Keep, highlight: false };
    let differing: Vec<usize> = examples()
        .iter()
        .filter(|ex| {
            let got = without_figures(&without_heading_ids(&pamphlet::markdown::to_html(&ex.markdown, &config)));
            normalize(&got) != normalize(&ex.html)
        })
        .map(|ex| ex.number)
        .collect();
    assert!(differing.is_empty(), "examples that differ with extensions on: {differing:?}");
}
