//! Markdown: pamphlet's dialect of CommonMark, in two passes.
//!
//! [`scan`] reads a page's body once, before anything is rendered, to learn
//! what other pages need to know about it: its heading ids (for anchor
//! checks), its table of contents, its outgoing links, its word count, and
//! the glossary terms it mentions (which of them to link, and where; the
//! glossary's [`Matcher`] finds them). [`render`] then turns the body into
//! HTML with every `@/` link resolved and every term linked as the scan
//! decided; [`guard`] keeps script out of it where the site asks. Keeping
//! the two passes apart lets link checking see the whole site without
//! holding every page's HTML in memory.

mod footnotes;
mod glossary;
mod guard;
mod highlight;
mod image;
mod render;
mod scan;
mod words;

use pulldown_cmark::{Options, Parser};
use serde::Serialize;

use crate::config::MarkdownConfig;

pub use glossary::{Matcher, TermMatch, plural};
pub use highlight::{Highlighter, stylesheet};
pub use image::ImageRef;
pub use render::{LinkResolver, Rendered, TermHtml, render};
pub use scan::{Heading, LinkRef, Scan, TermLink, TermScan, scan};

/// The pulldown-cmark options for pamphlet's dialect.
pub fn options(config: &MarkdownConfig) -> Options {
    let mut opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    if config.smart_punctuation {
        opts |= Options::ENABLE_SMART_PUNCTUATION;
    }
    opts
}

/// Renders a standalone Markdown text (no site around it: `@/` links stay
/// as written). Both passes run exactly as they do for a page.
pub fn to_html(body: &str, config: &MarkdownConfig) -> String {
    standalone(body, config, options(config))
}

/// Like [`to_html`], with pamphlet's passes but only CommonMark's syntax (no
/// tables, footnotes, callouts …): what the CommonMark spec test runs.
pub fn commonmark_html(body: &str, config: &MarkdownConfig) -> String {
    standalone(body, config, Options::empty())
}

fn standalone(body: &str, config: &MarkdownConfig, options: Options) -> String {
    struct NoPages;
    impl LinkResolver for NoPages {
        fn resolve(&self, _: &str) -> Option<String> {
            None
        }
    }
    let scan = scan(body, options, None, false);
    render::render_with(body, &scan, config, options, &NoPages, &Highlighter::default()).html
}

/// pulldown-cmark's events for `body`, with their byte ranges. Both passes
/// read a page through this, so an event's index means the same to each.
pub(crate) fn events(
    body: &str,
    options: Options,
) -> pulldown_cmark::OffsetIter<'_, pulldown_cmark::DefaultBrokenLinkCallback> {
    Parser::new_ext(body, options).into_offset_iter()
}

/// One entry of a page's table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// Nests headings into a table of contents: each heading goes under the
/// nearest earlier heading of a higher level.
pub fn toc(headings: &[Heading]) -> Vec<TocEntry> {
    fn insert(list: &mut Vec<TocEntry>, entry: TocEntry) {
        match list.last_mut() {
            Some(last) if last.level < entry.level => insert(&mut last.children, entry),
            _ => list.push(entry),
        }
    }
    let mut out = Vec::new();
    for h in headings {
        let entry = TocEntry { level: h.level, id: h.id.clone(), title: h.text.clone(), children: Vec::new() };
        insert(&mut out, entry);
    }
    out
}

/// Makes heading ids unique within a page: the second `risks` becomes `risks-1`.
#[derive(Default)]
pub(crate) struct IdSet {
    seen: std::collections::HashSet<String>,
}

impl IdSet {
    /// Claims an explicit `{#id}`; false when the page already has it.
    pub fn claim(&mut self, id: &str) -> bool {
        self.seen.insert(id.to_string())
    }

    /// A unique id derived from heading text.
    pub fn derive(&mut self, text: &str) -> String {
        let base = match crate::paths::slugify(text) {
            s if s.is_empty() => "section".to_string(),
            s => s,
        };
        let mut id = base.clone();
        let mut n = 1;
        while !self.seen.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(level: u8, id: &str) -> Heading {
        Heading { level, id: id.into(), text: id.into(), explicit: false }
    }

    #[test]
    fn toc_nests_by_level() {
        let t = toc(&[h(2, "a"), h(3, "b"), h(3, "c"), h(2, "d"), h(4, "e")]);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].children.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["b", "c"]);
        assert_eq!(t[1].children[0].id, "e");
    }

    #[test]
    fn derived_ids_are_unique_and_stable() {
        let mut ids = IdSet::default();
        assert_eq!(ids.derive("Risks"), "risks");
        assert_eq!(ids.derive("Risks"), "risks-1");
        assert_eq!(ids.derive("Risks"), "risks-2");
        assert_eq!(ids.derive("¿?"), "section");
        assert!(!ids.claim("risks"));
    }
}
