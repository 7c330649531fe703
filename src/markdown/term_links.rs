//! Glossary term links: which mentions become links, and how they are written.
//!
//! While the scan reads a page, [`Terms`] decides which mentions of which
//! terms become links (the first of each, or every one, as the site asks)
//! and records them by event; the render pass then writes each term link
//! with its short definition as a tooltip right after it (so CSS can show
//! it on the link's hover and focus), in as few bytes as it can, since a
//! site may carry hundreds of thousands.

use pulldown_cmark::{CowStr, Event};
use pulldown_cmark_escape::{escape_href, escape_html};

use super::glossary::TermMatch;
use super::render::{Open, State};
use super::{Scan, TermLink, TermScan, TermSet};
use crate::config::LinkMode;

/// A glossary term as its links are written, made once per build since a
/// term may be linked from thousands of pages: its URL, its short
/// definition, and the link's opening and its tooltip, ready for the first
/// link to it on a page (the tooltip's id is the term's slug).
pub struct TermHtml {
    href: String,
    short: String,
    id: String,
    open: String,
    close: String,
}

impl TermHtml {
    pub fn new(href: &str, short: &str, slug: &str) -> TermHtml {
        let mut escaped_href = String::with_capacity(href.len());
        let _ = escape_href(&mut escaped_href, href);
        let mut escaped_short = String::with_capacity(short.len());
        let _ = escape_html(&mut escaped_short, short);
        let mut id = String::from("tip-");
        let _ = escape_html(&mut id, slug);
        let open = format!("{OPEN_A}{escaped_href}{DESCRIBED_BY}{id}\">");
        let close = format!("{CLOSE_A}{id}{TOOLTIP}{escaped_short}{CLOSE_TIP}");
        TermHtml { href: escaped_href, short: escaped_short, id, open, close }
    }
}

// A term link and its tooltip, as small as they can be: a site may carry
// hundreds of thousands. The tooltip follows its link, so CSS can show it on
// the link's hover and focus (`.gloss:hover + .tip`).
const OPEN_A: &str = "<a class=\"gloss\" href=\"";
const DESCRIBED_BY: &str = "\" aria-describedby=\"";
const CLOSE_A: &str = "</a><span class=\"tip\" id=\"";
const TOOLTIP: &str = "\" role=\"tooltip\">";
const CLOSE_TIP: &str = "</span>";

impl<'a> State<'a> {
    /// The term links at event `i`, skipping any left behind by events a
    /// construct consumed whole (never expected: the scan skips the same ones).
    #[inline]
    pub(super) fn terms_at(&mut self, i: usize) -> &'a [TermLink] {
        // Most events have none: one comparison says so.
        match self.term_links.first() {
            Some(t) if t.event <= i => {}
            _ => return &[],
        }
        while self.term_links.first().is_some_and(|t| t.event < i) {
            self.term_links = &self.term_links[1..];
        }
        let n = self.term_links.iter().take_while(|t| t.event == i).count();
        let (here, rest) = self.term_links.split_at(n);
        self.term_links = rest;
        here
    }

    /// A link the author wrote to glossary term `term` (the event `link`,
    /// to `dest`): a term link with its tooltip, when the site has the term.
    pub(super) fn explicit_term_link(&mut self, link: &Event<'a>, dest: &CowStr<'a>, term: usize) {
        let mut href = String::new();
        let _ = escape_href(&mut href, &self.dest(dest));
        match self.open_term_link(term, Some(CowStr::from(href))) {
            Some(tip) => self.open_links.push(Open::Term(tip)),
            None => {
                self.push_link(link);
                self.open_links.push(Open::Plain);
            }
        }
    }

    /// Opens a link to glossary term `term`, to `href` (escaped) if the
    /// author's link says where, else to the term's page; returns the
    /// tooltip that [`State::close_term_link`] writes after the link's text.
    /// The first link to a term on a page is written from the term's ready
    /// HTML; later ones, or ones to elsewhere, in pieces with their own ids.
    pub(super) fn open_term_link(&mut self, term: usize, href: Option<CowStr<'a>>) -> Option<Tip<'a>> {
        let html = self.links.term(term)?;
        let first = !self.tipped.mark(term);
        if first && href.is_none() {
            self.out.push(Event::InlineHtml(CowStr::Borrowed(&html.open)));
            return Some(Tip::Ready(&html.close));
        }
        let id = if first {
            CowStr::Borrowed(html.id.as_str())
        } else {
            self.tips += 1;
            CowStr::from(format!("{}--{}", html.id, self.tips))
        };
        let href = href.unwrap_or(CowStr::Borrowed(&html.href));
        for piece in
            [CowStr::Borrowed(OPEN_A), href, CowStr::Borrowed(DESCRIBED_BY), id.clone(), CowStr::Borrowed("\">")]
        {
            self.out.push(Event::InlineHtml(piece));
        }
        Some(Tip::Pieces { id, short: &html.short })
    }

    pub(super) fn close_term_link(&mut self, tip: Tip<'a>) {
        match tip {
            Tip::Ready(close) => self.out.push(Event::InlineHtml(CowStr::Borrowed(close))),
            Tip::Pieces { id, short } => {
                for piece in [
                    CowStr::Borrowed(CLOSE_A),
                    id,
                    CowStr::Borrowed(TOOLTIP),
                    CowStr::Borrowed(short),
                    CowStr::Borrowed(CLOSE_TIP),
                ] {
                    self.out.push(Event::InlineHtml(piece));
                }
            }
        }
    }

    /// Text with glossary terms in it: each named term becomes a term link.
    pub(super) fn text_with_terms(&mut self, text: &CowStr<'a>, terms: &[TermLink]) {
        let mut at = 0;
        for t in terms {
            if t.explicit || t.start < at || t.end > text.len() {
                continue;
            }
            if t.start > at {
                self.out.push(Event::Text(slice(text, at, t.start)));
            }
            let tip = self.open_term_link(t.term, None);
            self.out.push(Event::Text(slice(text, t.start, t.end)));
            if let Some(tip) = tip {
                self.close_term_link(tip);
            }
            at = t.end;
        }
        if at < text.len() {
            self.out.push(Event::Text(slice(text, at, text.len())));
        }
    }
}

/// A term link's tooltip, written after the link: ready-made, or with its
/// own id and the escaped definition.
pub(super) enum Tip<'a> {
    Ready(&'a str),
    Pieces { id: CowStr<'a>, short: &'a str },
}

/// Bytes `start..end` of `text`, borrowed from the page's source where the text is.
fn slice<'a>(text: &CowStr<'a>, start: usize, end: usize) -> CowStr<'a> {
    match text {
        CowStr::Borrowed(s) => CowStr::Borrowed(&s[start..end]),
        other => CowStr::from(other[start..end].to_string()),
    }
}

/// Glossary bookkeeping for one page's scan.
pub(super) struct Terms<'s, 'g> {
    pub scan: &'s TermScan<'g>,
    /// Terms already linked on this page, explicitly or automatically.
    linked: TermSet,
    /// The terms of [`Scan::terms`].
    used: TermSet,
    /// The matcher's buffer, reused for every text of the page.
    found: Vec<TermMatch>,
}

impl<'s, 'g> Terms<'s, 'g> {
    pub fn new(scan: &'s TermScan<'g>) -> Self {
        Terms { scan, linked: TermSet::default(), used: TermSet::default(), found: Vec::new() }
    }

    fn use_term(&mut self, term: usize, out: &mut Scan) {
        if !self.used.mark(term) {
            out.terms.push(term);
        }
    }

    /// An `@/` link the author wrote: if it names a term, the term is used and linked.
    pub fn explicit(&mut self, index: usize, page: &str, out: &mut Scan) {
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
    pub fn mentions(&mut self, index: usize, text: &str, at: usize, exact: bool, out: &mut Scan) -> usize {
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
