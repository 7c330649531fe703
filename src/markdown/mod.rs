//! Markdown: pamphlet's dialect of CommonMark, in two passes.
//!
//! [`scan`] reads a page's body once, before anything is rendered, to learn
//! what other pages need to know about it: its heading ids (for anchor
//! checks), its table of contents, its outgoing links, its word count, and
//! the glossary terms it mentions (which of them to link, and where; the
//! glossary's [`Matcher`] finds them). [`render`] then turns the body into
//! HTML with every reference written as the site serves it ([`refs`]) and
//! every term linked as the scan decided ([`term_links`]); [`guard`] keeps
//! script out of it where the site asks. Keeping
//! the two passes apart lets link checking see the whole site without
//! holding every page's HTML in memory.

mod footnotes;
mod glossary;
mod guard;
mod highlight;
mod html;
mod image;
mod refs;
mod render;
mod scan;
mod term_links;
mod words;

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Options, Parser};
use serde::Serialize;

use crate::config::MarkdownConfig;

pub use glossary::{Matcher, TermMatch, plural};
pub use highlight::{Highlighter, stylesheet};
pub use refs::LinkResolver;
pub use render::{Rendered, render};
pub use scan::{Heading, LinkRef, Scan, TermLink, TermScan, scan};
pub use term_links::TermHtml;

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
    let scan = scan(body, options, config.raw_html, None, false);
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
///
/// A derived id takes the first of `base`, `base-1`, `base-2` … that no
/// heading above it has. Ids are only ever added, so a number once found
/// taken stays taken: each base remembers where its search stopped, and a
/// page of 30,000 identical headings costs 30,000 steps rather than the
/// 450 million (40 s) of starting each search again from `base`.
#[derive(Default)]
pub(crate) struct IdSet {
    seen: HashSet<String>,
    /// For each base derived from so far, the first number not yet tried.
    next: HashMap<String, usize>,
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
        // Most headings are the first with their text: their id is the
        // base, and there is no search to remember.
        if !self.next.contains_key(&base) && !self.seen.contains(&base) {
            self.seen.insert(base.clone());
            return base;
        }
        let mut n = self.next.get(&base).copied().unwrap_or(0);
        let id = loop {
            let id = if n == 0 { base.clone() } else { format!("{base}-{n}") };
            n += 1;
            if self.seen.insert(id.clone()) {
                break id;
            }
        };
        self.next.insert(base, n);
        id
    }

    /// Every id given out, explicit or derived.
    pub fn into_ids(self) -> HashSet<String> {
        self.seen
    }
}

/// A set of glossary terms (by number), as a page marks them used or
/// linked: one bit each, grown to the highest term marked, so that a page
/// naming terms 100,000 times costs one step per mention whatever the size
/// of the glossary (a list to search cost a step per term already marked).
#[derive(Default)]
pub(crate) struct TermSet(Vec<u64>);

impl TermSet {
    /// Marks `term`; whether it was marked already.
    pub fn mark(&mut self, term: usize) -> bool {
        let (word, bit) = (term / 64, 1u64 << (term % 64));
        if word >= self.0.len() {
            self.0.resize(word + 1, 0);
        }
        let had = self.0[word] & bit != 0;
        self.0[word] |= bit;
        had
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

    /// Numbering as it was first written, each search starting again from
    /// the bare slug: slow, but plainly right.
    fn numbered_from_scratch(seen: &mut HashSet<String>, text: &str) -> String {
        let base = match crate::paths::slugify(text) {
            s if s.is_empty() => "section".to_string(),
            s => s,
        };
        let mut id = base.clone();
        let mut n = 1;
        while !seen.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    #[test]
    fn derived_ids_skip_explicit_and_derived_ones_as_a_search_from_scratch_does() {
        let texts = ["same", "Same", "same 1", "same-1", "same 1 1", "same-2", "¿?", "section 1", "other"];
        let explicit = ["same-1", "same-3", "same", "same-1-1", "section", "section-2", "same-2-1"];
        let (mut ids, mut seen) = (IdSet::default(), HashSet::new());
        // A fixed pseudo-random mix of explicit and derived ids.
        let mut state = 12345u32;
        for _ in 0..3_000 {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let pick = (state >> 16) as usize;
            if pick.is_multiple_of(5) {
                let id = explicit[pick / 5 % explicit.len()];
                assert_eq!(ids.claim(id), seen.insert(id.to_string()), "{id}");
            } else {
                let text = texts[pick / 5 % texts.len()];
                assert_eq!(ids.derive(text), numbered_from_scratch(&mut seen, text), "{text}");
            }
        }
        assert_eq!(ids.into_ids(), seen);
    }

    /// A page of 30,000 identical headings took 40 s to build when every
    /// heading searched for its number from `same` on (450 million steps;
    /// minutes in a debug build). Now it is one step a heading.
    #[test]
    fn numbering_30000_identical_headings_takes_a_step_each() {
        let start = std::time::Instant::now();
        let mut ids = IdSet::default();
        assert_eq!(ids.derive("same"), "same");
        for n in 1..30_000 {
            assert_eq!(ids.derive("same"), format!("same-{n}"));
        }
        let took = start.elapsed();
        assert!(took < std::time::Duration::from_secs(5), "30,000 headings took {took:?}");
    }

    #[test]
    fn term_sets_say_what_was_marked() {
        let mut set = TermSet::default();
        assert!(!set.mark(130));
        assert!(set.mark(130));
        assert!(!set.mark(0) && !set.mark(129) && !set.mark(131));
        assert!(set.mark(0) && set.mark(129));
    }
}
