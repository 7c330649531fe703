//! The first pass over a page: headings, links, images and words.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::glossary::{Matcher, TermMatch};
use super::words::count_words;
use super::{IdSet, TermSet};
use crate::config::LinkMode;
use crate::error::Problem;

/// A heading of a page, with the id it will carry in HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
    /// Written by the author as `{#id}` rather than derived from the text.
    pub explicit: bool,
}

/// A link the author wrote to another page (`@/…`) or an anchor (`#…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// The page part without `@/` (`explainers/x.md`); empty for `#anchor`.
    pub page: String,
    pub anchor: Option<String>,
    /// Byte offset of the link in the body.
    pub offset: usize,
    pub len: usize,
}

/// A glossary term to link: the index in `markdown::events` of a text event
/// and the bytes of its text that name the term, or of an `@/` link the
/// author wrote to the term (`explicit`, and no bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermLink {
    pub event: usize,
    pub start: usize,
    pub end: usize,
    pub term: usize,
    pub explicit: bool,
}

/// What the first pass needs to find glossary terms in a page.
pub struct TermScan<'g> {
    pub matcher: &'g Matcher,
    /// Terms by the source path an `@/` link names (`glossary/llm.md`).
    pub by_source: &'g HashMap<String, usize>,
    /// The term this page defines: never linked on its own page.
    pub own: Option<usize>,
    pub mode: LinkMode,
}

/// What the first pass learns about a page.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub word_count: usize,
    /// Problems in the body, with byte offsets into it.
    pub problems: Vec<(Problem, usize, usize)>,
    /// Glossary terms the page mentions or links, in order of first use.
    pub terms: Vec<usize>,
    /// Mentions the second pass turns into term links.
    pub term_links: Vec<TermLink>,
    /// With linking off: each term's first mention (term, byte offset, length).
    pub unlinked: Vec<(usize, usize, usize)>,
    /// The words of the page as readers see them, for the search index (only
    /// when asked for): text and inline code, with block ends as spaces; no
    /// code blocks, image descriptions or raw HTML.
    pub text: String,
    /// The ids of [`Scan::headings`], for anchor checks: a page may have
    /// tens of thousands of headings and as many links to them.
    anchors: HashSet<String>,
}

impl Scan {
    pub fn has_anchor(&self, id: &str) -> bool {
        self.anchors.contains(id)
    }

    /// Whether `other` has the same anchors, in the same order.
    pub fn same_anchors(&self, other: &Scan) -> bool {
        self.headings.iter().map(|h| &h.id).eq(other.headings.iter().map(|h| &h.id))
    }
}

/// Reads `body` once. `options` must be those [`super::render`] will use, so
/// that ids, links and term links agree between the passes. With
/// `keep_text`, the scan also keeps the page's plain text.
pub fn scan(body: &str, options: pulldown_cmark::Options, terms: Option<&TermScan>, keep_text: bool) -> Scan {
    let mut out = Scan::default();
    if keep_text {
        out.text.reserve(body.len());
    }
    let mut ids = IdSet::default();
    let mut heading: Option<(u8, Option<String>, String, usize)> = None;
    let mut image: Option<(String, String, usize, usize)> = None;
    let mut last_level = 1u8;
    let mut in_code = false;
    let mut in_link = 0usize;
    let mut glossary = terms.map(Terms::new);

    for (index, (event, range)) in super::events(body, options).enumerate() {
        if keep_text && breaks_text(&event) && !out.text.is_empty() && !out.text.ends_with(' ') {
            out.text.push(' ');
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level_number(level), id.map(|s| s.to_string()), String::new(), range.start));
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((level, explicit, text, start)) = heading.take() else {
                    continue;
                };
                let line_len = body[start..].find('\n').unwrap_or(body.len() - start);
                if level > last_level + 1 {
                    out.problems.push((Problem::SkippedHeadingLevel { from: last_level, to: level }, start, line_len));
                }
                last_level = level;
                let id = match &explicit {
                    Some(id) if !ids.claim(id) => {
                        out.problems.push((Problem::DuplicateId(id.clone()), start, line_len));
                        id.clone()
                    }
                    Some(id) => id.clone(),
                    None => ids.derive(&text),
                };
                let text = text.trim().to_string();
                out.headings.push(Heading { level, id, text, explicit: explicit.is_some() });
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                in_link += 1;
                if let Some(link) = link_ref(&dest_url, range.start, range.len()) {
                    if let Some(g) = glossary.as_mut() {
                        g.explicit(index, &link.page, &mut out);
                    }
                    out.links.push(link);
                }
            }
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((dest_url.to_string(), String::new(), range.start, range.len()));
            }
            Event::End(TagEnd::Image) => {
                if let Some((src, alt, start, len)) = image.take()
                    && alt.trim().is_empty()
                {
                    out.problems.push((Problem::ImageWithoutAlt(src), start, len));
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(text) => {
                if keep_text && !in_code && image.is_none() {
                    out.text.push_str(&text);
                }
                if let Some((_, _, buf, _)) = heading.as_mut() {
                    buf.push_str(&text);
                }
                if let Some((_, alt, _, _)) = image.as_mut() {
                    alt.push_str(&text);
                }
                let plain = !in_code && in_link == 0 && heading.is_none() && image.is_none();
                match glossary.as_mut().filter(|_| plain) {
                    Some(g) => {
                        // Where the text is the source as written, a mention's offset
                        // is exact; only warnings about unlinked mentions need to know.
                        let exact = g.scan.mode == LinkMode::Off && body.get(range.clone()) == Some(&*text);
                        out.word_count += g.mentions(index, &text, range.start, exact, &mut out);
                    }
                    None if !in_code => out.word_count += count_words(&text),
                    None => {}
                }
            }
            Event::Code(text) => {
                if keep_text && image.is_none() {
                    out.text.push_str(&text);
                }
                if let Some((_, _, buf, _)) = heading.as_mut() {
                    buf.push_str(&text);
                }
                if let Some((_, alt, _, _)) = image.as_mut() {
                    alt.push_str(&text);
                }
                out.word_count += count_words(&text);
            }
            _ => {}
        }
    }
    out.anchors = ids.into_ids();
    out
}

/// Whether words on either side of `event` are apart: the end of a block
/// or a line break, but not the end of inline markup (`**mod**el` is one word).
fn breaks_text(event: &Event) -> bool {
    match event {
        Event::SoftBreak | Event::HardBreak => true,
        Event::End(end) => !matches!(
            end,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        _ => false,
    }
}

/// Glossary bookkeeping for one page's scan.
struct Terms<'s, 'g> {
    scan: &'s TermScan<'g>,
    /// Terms already linked on this page, explicitly or automatically.
    linked: TermSet,
    /// The terms of [`Scan::terms`].
    used: TermSet,
    /// The matcher's buffer, reused for every text of the page.
    found: Vec<TermMatch>,
}

impl<'s, 'g> Terms<'s, 'g> {
    fn new(scan: &'s TermScan<'g>) -> Self {
        Terms { scan, linked: TermSet::default(), used: TermSet::default(), found: Vec::new() }
    }

    fn use_term(&mut self, term: usize, out: &mut Scan) {
        if !self.used.mark(term) {
            out.terms.push(term);
        }
    }

    /// An `@/` link the author wrote: if it names a term, the term is used and linked.
    fn explicit(&mut self, index: usize, page: &str, out: &mut Scan) {
        let Some(&term) = self.scan.by_source.get(page.trim_start_matches('/')) else {
            return;
        };
        if Some(term) != self.scan.own {
            self.use_term(term, out);
            self.linked.mark(term);
            out.term_links.push(TermLink { event: index, start: 0, end: 0, term, explicit: true });
        }
    }

    /// Mentions in the text of event `index`, which starts at byte `at` of
    /// the body; returns the number of words in the text.
    fn mentions(&mut self, index: usize, text: &str, at: usize, exact: bool, out: &mut Scan) -> usize {
        let mut found = std::mem::take(&mut self.found);
        let words = self.scan.matcher.find_into(text, &mut found);
        for &m in &found {
            if Some(m.term) == self.scan.own {
                continue;
            }
            self.use_term(m.term, out);
            let link = match self.scan.mode {
                LinkMode::Every => true,
                LinkMode::First => !self.linked.mark(m.term),
                LinkMode::Off => {
                    if !self.linked.mark(m.term) {
                        let (offset, len) = if exact { (at + m.start, m.end - m.start) } else { (at, 0) };
                        out.unlinked.push((m.term, offset, len));
                    }
                    false
                }
            };
            if link {
                let (start, end, term) = (m.start, m.end, m.term);
                out.term_links.push(TermLink { event: index, start, end, term, explicit: false });
            }
        }
        self.found = found;
        words
    }
}

fn link_ref(dest: &str, offset: usize, len: usize) -> Option<LinkRef> {
    let (page, anchor) = if let Some(rest) = dest.strip_prefix("@/") {
        match rest.split_once('#') {
            Some((p, a)) => (p.to_string(), Some(a.to_string())),
            None => (rest.to_string(), None),
        }
    } else if let Some(anchor) = dest.strip_prefix('#') {
        (String::new(), Some(anchor.to_string()))
    } else {
        return None;
    };
    Some(LinkRef { page, anchor: anchor.filter(|a| !a.is_empty()), offset, len })
}

pub(crate) fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MarkdownConfig;

    fn run(body: &str) -> Scan {
        scan(body, super::super::options(&MarkdownConfig::default()), None, true)
    }

    #[test]
    fn text_is_kept_as_readers_see_it() {
        let s = run("## Risks\n\nOpen **mod**els &amp; `code`,\nsee [a link](https://x.org).[^1]\n\n\
                     ![alt words](/i.png)\n\n```\nlet x = 1;\n```\n\n- one\n- two\n\n[^1]: A note.\n");
        assert_eq!(s.text.trim_end(), "Risks Open models & code, see a link. one two A note.");
        let none = scan("Words.", super::super::options(&MarkdownConfig::default()), None, false);
        assert!(none.text.is_empty());
    }

    #[test]
    fn headings_get_ids_explicit_or_derived() {
        let s = run("## What is it?\n\n## Risks {#risks}\n\n### What is it?\n");
        let ids: Vec<_> = s.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["what-is-it", "risks", "what-is-it-1"]);
        assert!(s.headings[1].explicit);
        assert!(s.problems.is_empty());
    }

    #[test]
    fn skipped_levels_duplicate_ids_and_missing_alt_are_found() {
        let s = run("## A {#x}\n\n#### B {#x}\n\n![](cat.png)\n");
        let problems: Vec<_> = s.problems.iter().map(|p| &p.0).collect();
        assert_eq!(problems[0], &Problem::SkippedHeadingLevel { from: 2, to: 4 });
        assert_eq!(problems[1], &Problem::DuplicateId("x".into()));
        assert_eq!(problems[2], &Problem::ImageWithoutAlt("cat.png".into()));
        assert_eq!(s.problems[2].1, "## A {#x}\n\n#### B {#x}\n\n".len());
    }

    #[test]
    fn internal_links_and_anchors_are_collected_with_offsets() {
        let body = "See [a](@/explainers/a.md#risks), [b](#top) and [c](https://x.org).\n";
        let s = run(body);
        assert_eq!(s.links.len(), 2);
        assert_eq!(s.links[0].page, "explainers/a.md");
        assert_eq!(s.links[0].anchor.as_deref(), Some("risks"));
        assert_eq!(s.links[0].offset, 4);
        assert_eq!(s.links[1].page, "");
        assert_eq!(s.word_count, 5);
    }

    /// Anchor checks asked each heading in turn: 60,000 headings, each with
    /// a link to it, took 1.8 billion comparisons.
    #[test]
    fn anchors_of_a_page_with_60000_headings_are_found_at_once() {
        let body: String = (0..60_000).map(|i| format!("## h{i}\n")).collect();
        let s = run(&body);
        let start = std::time::Instant::now();
        assert!((0..60_000).all(|i| s.has_anchor(&format!("h{i}"))));
        assert!(!s.has_anchor("h") && !s.has_anchor("h60000"));
        let took = start.elapsed();
        assert!(took < std::time::Duration::from_secs(5), "60,000 anchor checks took {took:?}");
    }

    #[test]
    fn code_is_not_counted_as_words() {
        assert_eq!(run("One two.\n\n```\nlet x = 1;\n```\n").word_count, 2);
    }
}
