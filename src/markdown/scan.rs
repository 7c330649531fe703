//! The first pass over a page: headings, links, images and words.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Tag, TagEnd};

use super::IdSet;
use super::glossary::Matcher;
use super::html::{HtmlText, tags};
use super::term_links::Terms;
use super::words::count_words;
use crate::config::{LinkMode, RawHtml};
use crate::error::Problem;
use crate::paths::{Dest, Reference};

/// A heading of a page, with the id it will carry in HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
    /// Written by the author as `{#id}` rather than derived from the text.
    pub explicit: bool,
}

/// A reference the author wrote: a Markdown link or image, or a URL in
/// raw HTML (`href`, `src` …), that leads somewhere on the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub dest: Dest,
    pub anchor: Option<String>,
    /// Byte offset of the link in the body.
    pub offset: usize,
    pub len: usize,
}

impl LinkRef {
    /// The file under `content/` an `@/` link names (`explainers/x.md`).
    pub fn source(&self) -> Option<&str> {
        match &self.dest {
            Dest::Source(source) => Some(source),
            _ => None,
        }
    }
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
/// that ids, links and term links agree between the passes; `raw_html`
/// says whether raw HTML is kept (and its URLs are references) or shown as
/// text. With `keep_text`, the scan also keeps the page's plain text.
pub fn scan(
    body: &str,
    options: pulldown_cmark::Options,
    raw_html: RawHtml,
    terms: Option<&TermScan>,
    keep_text: bool,
) -> Scan {
    let mut scanner = Scanner {
        body,
        out: Scan::default(),
        keep_text,
        html: raw_html == RawHtml::Keep,
        ids: IdSet::default(),
        heading: None,
        image: None,
        last_level: 1,
        in_code: false,
        in_link: 0,
        glossary: terms.map(Terms::new),
        html_block: None,
        opens: memchr::memmem::find_iter(body.as_bytes(), "](").map(|at| at + 1).collect(),
    };
    if keep_text {
        scanner.out.text.reserve(body.len());
    }
    for (index, (event, range)) in super::events(body, options).enumerate() {
        scanner.event(index, event, range);
    }
    scanner.out.anchors = scanner.ids.into_ids();
    scanner.out
}

/// The first pass under way over one body.
struct Scanner<'b, 's, 'g> {
    body: &'b str,
    out: Scan,
    keep_text: bool,
    /// Raw HTML is kept, so its URLs are references.
    html: bool,
    ids: IdSet,
    /// The heading being read: level, explicit id, text, where it starts.
    heading: Option<(u8, Option<String>, String, usize)>,
    /// The image being read: its URL, alt text, where it is.
    image: Option<(String, String, usize, usize)>,
    last_level: u8,
    in_code: bool,
    in_link: usize,
    glossary: Option<Terms<'s, 'g>>,
    /// The lines of the raw HTML block being read.
    html_block: Option<HtmlText>,
    /// Where the body has `](`: the offsets of those `(`, ascending. Text
    /// holding none of them holds no link left unparsed (see [`unparsed_links`]).
    opens: Vec<usize>,
}

impl Scanner<'_, '_, '_> {
    fn event(&mut self, index: usize, event: Event, range: Range<usize>) {
        if self.keep_text && breaks_text(&event) && !self.out.text.is_empty() && !self.out.text.ends_with(' ') {
            self.out.text.push(' ');
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.heading = Some((level_number(level), id.map(|s| s.to_string()), String::new(), range.start));
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::Link { link_type, dest_url, .. }) => {
                self.in_link += 1;
                if link_type != LinkType::Email {
                    self.link(index, &dest_url, range);
                }
            }
            Event::End(TagEnd::Link) => self.in_link = self.in_link.saturating_sub(1),
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.out.links.extend(link_ref(&dest_url, range.start, range.len()));
                self.image = Some((dest_url.to_string(), String::new(), range.start, range.len()));
            }
            Event::End(TagEnd::Image) => {
                if let Some((src, alt, start, len)) = self.image.take()
                    && alt.trim().is_empty()
                {
                    self.out.problems.push((Problem::ImageWithoutAlt { src, html: false }, start, len));
                }
            }
            Event::Start(Tag::HtmlBlock) if self.html => self.html_block = Some(HtmlText::default()),
            Event::Html(text) if self.html => match self.html_block.as_mut() {
                Some(block) => block.push(&text, range, self.body),
                None => html_refs(&one_piece(&text, range, self.body), &mut self.out),
            },
            Event::InlineHtml(text) if self.html => html_refs(&one_piece(&text, range, self.body), &mut self.out),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(block) = self.html_block.take() {
                    html_refs(&block, &mut self.out);
                }
            }
            Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
            Event::End(TagEnd::CodeBlock) => self.in_code = false,
            Event::Text(text) => self.text(index, &text, range),
            Event::Code(text) => {
                self.inline_text(&text, true);
                self.out.word_count += count_words(&text);
            }
            _ => {}
        }
    }

    fn end_heading(&mut self) {
        let Some((level, explicit, text, start)) = self.heading.take() else {
            return;
        };
        let body = self.body;
        let line_len = body[start..].find('\n').unwrap_or(body.len() - start);
        if level > self.last_level + 1 {
            let problem = Problem::SkippedHeadingLevel { from: self.last_level, to: level };
            self.out.problems.push((problem, start, line_len));
        }
        self.last_level = level;
        let id = match &explicit {
            Some(id) if !self.ids.claim(id) => {
                self.out.problems.push((Problem::DuplicateId(id.clone()), start, line_len));
                id.clone()
            }
            Some(id) => id.clone(),
            None => self.ids.derive(&text),
        };
        let text = text.trim().to_string();
        self.out.headings.push(Heading { level, id, text, explicit: explicit.is_some() });
    }

    /// A link the author wrote, at event `index`: a reference, and a term
    /// link when it names a glossary term.
    fn link(&mut self, index: usize, dest: &str, range: Range<usize>) {
        let Some(link) = link_ref(dest, range.start, range.len()) else { return };
        if let (Some(g), Some(source)) = (self.glossary.as_mut(), link.source()) {
            g.explicit(index, source, &mut self.out);
        }
        self.out.links.push(link);
    }

    /// Text or inline code: for the search index (when it is not in an
    /// image's description, or, for text, in a code block), a heading's
    /// text or an image's description.
    fn inline_text(&mut self, text: &str, searchable: bool) {
        if self.keep_text && searchable && self.image.is_none() {
            self.out.text.push_str(text);
        }
        if let Some((_, _, buf, _)) = self.heading.as_mut() {
            buf.push_str(text);
        }
        if let Some((_, alt, _, _)) = self.image.as_mut() {
            alt.push_str(text);
        }
    }

    /// Whether a `(` just after a `]` is in `range` of the body.
    fn opens_in(&self, range: &Range<usize>) -> bool {
        let first = self.opens.partition_point(|&at| at < range.start);
        self.opens.get(first).is_some_and(|&at| at < range.end)
    }

    fn text(&mut self, index: usize, text: &str, range: Range<usize>) {
        let in_code = self.in_code;
        if !in_code && self.opens_in(&range) {
            unparsed_links(self.body, range.clone(), text, &mut self.out);
        }
        self.inline_text(text, !in_code);
        let plain = !in_code && self.in_link == 0 && self.heading.is_none() && self.image.is_none();
        match self.glossary.as_mut().filter(|_| plain) {
            Some(g) => {
                // Where the text is the source as written, a mention's offset
                // is exact; only warnings about unlinked mentions need to know.
                let exact = g.scan.mode == LinkMode::Off && self.body.get(range.clone()) == Some(text);
                self.out.word_count += g.mentions(index, text, range.start, exact, &mut self.out);
            }
            None if !in_code => self.out.word_count += count_words(text),
            None => {}
        }
    }
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

fn link_ref(dest: &str, offset: usize, len: usize) -> Option<LinkRef> {
    let Reference { dest, anchor } = Reference::parse(dest)?;
    Some(LinkRef { dest, anchor, offset, len })
}

fn one_piece(text: &str, range: Range<usize>, body: &str) -> HtmlText {
    let mut html = HtmlText::default();
    html.push(text, range, body);
    html
}

/// The references in raw HTML, and its images without `alt`.
fn html_refs(html: &HtmlText, out: &mut Scan) {
    for tag in tags(&html.text) {
        for url in tag.urls(&html.text) {
            out.links.extend(link_ref(&url.url, html.body_offset(url.at.start), url.at.len()));
        }
        if tag.name == "img" && tag.attr("alt").is_none() {
            let src = tag.attr("src").map(|a| a.value.clone()).unwrap_or_default();
            out.problems.push((Problem::ImageWithoutAlt { src, html: true }, html.body_offset(tag.start), 4));
        }
    }
}

/// A link pulldown-cmark could not read is left as text, brackets and all:
/// `[x](@/explainers/Protección de datos.md)`, whose address holds spaces.
/// Where text at `range` of the body opens such an address (`](` then
/// `@/`, `/`, `./` or `../`), that is an error rather than a page showing
/// the brackets to its readers.
fn unparsed_links(body: &str, range: Range<usize>, text: &str, out: &mut Scan) {
    if body.get(range.clone()) != Some(text) || !text.contains('(') {
        return;
    }
    for (i, _) in text.match_indices('(') {
        let at = range.start + i;
        if !body[..at].ends_with(']') {
            continue;
        }
        let address = body[at + 1..].trim_start_matches([' ', '<']);
        let local = address.starts_with("@/")
            || address.starts_with("./")
            || address.starts_with("../")
            || (address.starts_with('/') && !address.starts_with("//"));
        // From the link text's `[`, when it is on the same line; a bracket
        // escaped with a backslash is the author asking for the text as it is.
        let start = body[..at - 1].rfind('[').filter(|&o| !body[o..at].contains('\n')).unwrap_or(at - 1);
        let escaped = |i: usize| body[..i].ends_with('\\');
        if !local || escaped(start) || escaped(at - 1) {
            continue;
        }
        let line_end = body[at..].find('\n').map_or(body.len(), |e| at + e);
        let end = body[at..line_end].find(')').map_or(line_end, |e| at + e + 1);
        out.problems.push((Problem::UnparsedLink(body[start..end].to_string()), start, end - start));
    }
}

pub(crate) fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MarkdownConfig;

    fn run(body: &str) -> Scan {
        scan(body, super::super::options(&MarkdownConfig::default()), RawHtml::Keep, None, true)
    }

    #[test]
    fn text_is_kept_as_readers_see_it() {
        let s = run("## Risks\n\nOpen **mod**els &amp; `code`,\nsee [a link](https://x.org).[^1]\n\n\
                     ![alt words](/i.png)\n\n```\nlet x = 1;\n```\n\n- one\n- two\n\n[^1]: A note.\n");
        assert_eq!(s.text.trim_end(), "Risks Open models & code, see a link. one two A note.");
        let none = scan("Words.", super::super::options(&MarkdownConfig::default()), RawHtml::Keep, None, false);
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
        assert_eq!(problems[2], &Problem::ImageWithoutAlt { src: "cat.png".into(), html: false });
        assert_eq!(s.problems[2].1, "## A {#x}\n\n#### B {#x}\n\n".len());
    }

    #[test]
    fn internal_links_and_anchors_are_collected_with_offsets() {
        let body = "See [a](@/explainers/a.md#risks), [b](#top) and [c](https://x.org).\n";
        let s = run(body);
        assert_eq!(s.links.len(), 2);
        assert_eq!(s.links[0].source(), Some("explainers/a.md"));
        assert_eq!(s.links[0].anchor.as_deref(), Some("risks"));
        assert_eq!(s.links[0].offset, 4);
        assert_eq!(s.links[1].dest, Dest::Here);
        assert_eq!(s.word_count, 5);
    }

    #[test]
    fn every_local_reference_is_collected_images_and_raw_html_too() {
        let body = "![A chart](/images/chart.png) [r](../x/) <a@b.org> [m](mailto:a@b.org)\n\n\
                    <div>\n<a href=\"/files/report.pdf\">R</a> <img src=diagram.png alt=\"D\">\n</div>\n\n\
                    > <p><a href='@/a.md#top'>A</a>\n";
        let s = run(body);
        let dests: Vec<_> = s.links.iter().map(|l| &l.dest).collect();
        assert_eq!(
            dests,
            [
                &Dest::Root("/images/chart.png".into()),
                &Dest::Relative("../x/".into()),
                &Dest::Root("/files/report.pdf".into()),
                &Dest::Relative("diagram.png".into()),
                &Dest::Source("a.md".into()),
            ]
        );
        for link in &s.links[2..] {
            let written = &body[link.offset..link.offset + link.len];
            assert!(["/files/report.pdf", "diagram.png", "@/a.md#top"].contains(&written), "{written}");
        }
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        let escaped = scan(body, super::super::options(&MarkdownConfig::default()), RawHtml::Escape, None, false);
        assert_eq!(escaped.links.len(), 2, "escaped HTML is text, not references");
    }

    #[test]
    fn a_raw_image_needs_an_alt_attribute() {
        let body = "Intro.\n\n<img src=\"/a.png\"> <img src=/b.png alt=\"\">\n";
        let s = run(body);
        assert_eq!(s.problems.len(), 1, "alt=\"\" marks decoration");
        assert_eq!(s.problems[0].0, Problem::ImageWithoutAlt { src: "/a.png".into(), html: true });
        assert_eq!(s.problems[0].1, body.find("<img").unwrap());
    }

    #[test]
    fn a_local_link_left_as_text_is_an_error() {
        let body = "See [x](@/explainers/Protección de datos.md) and [y](/files/my report.pdf).\n\n\
                    Fine: [z](<@/a b.md>), \\[w](@/c d.md), f(x) and [n](https://x.org/a b).\n";
        let s = run(body);
        let found: Vec<_> = s.problems.iter().map(|(p, at, len)| (p, &body[*at..at + len])).collect();
        assert_eq!(
            found,
            [
                (
                    &Problem::UnparsedLink("[x](@/explainers/Protección de datos.md)".into()),
                    "[x](@/explainers/Protección de datos.md)"
                ),
                (&Problem::UnparsedLink("[y](/files/my report.pdf)".into()), "[y](/files/my report.pdf)"),
            ]
        );
        assert_eq!(s.links[0].source(), Some("a b.md"));
    }

    #[test]
    fn code_is_not_counted_as_words() {
        assert_eq!(run("One two.\n\n```\nlet x = 1;\n```\n").word_count, 2);
    }
}
