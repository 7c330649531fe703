//! The second pass: a page body to HTML.
//!
//! pulldown-cmark parses; this module rewrites its event stream before the
//! HTML writer sees it: heading ids from the scan, `@/` links resolved,
//! glossary terms linked with their definitions where the scan found them,
//! callouts as labelled boxes, local images sized and titled ones as
//! figures (in `image`), fenced code highlighted, footnotes gathered at the
//! end with links back, and raw HTML escaped when the site asks for it.

use std::collections::HashMap;
use std::fmt::Write;
use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use super::{Highlighter, ImageRef, Scan, TermLink};
use crate::config::{MarkdownConfig, RawHtml};
use crate::error::Problem;

/// Turns `@/path.md` into a URL, and finds the files of the site that a
/// page's images and links name. Implemented by the build over the site's
/// pages and files, for one page at a time.
pub trait LinkResolver {
    fn resolve(&self, page: &str) -> Option<String>;

    /// The file of the site an image's URL names, as it is published;
    /// `Ok(None)` for an image written as it is (remote, or no file of the
    /// site). An error for a local image that cannot be read, or an `@/`
    /// path that names no file.
    fn image(&self, _dest: &str) -> Result<Option<ImageRef>, Problem> {
        Ok(None)
    }

    /// The URL a link's relative `dest` must be written as, when it names
    /// a file of the site that is not published where the link leads.
    fn file(&self, _dest: &str) -> Option<String> {
        None
    }

    /// Glossary term number `term`, as its links are written.
    fn term(&self, _term: usize) -> Option<&TermHtml> {
        None
    }
}

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

/// A page body as HTML, with what is wrong in it.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// Problems worth a warning, with byte offsets into the body.
    pub warnings: Vec<(Problem, usize, usize)>,
    /// Problems that fail the build (a URL that could run script, in escape mode).
    pub errors: Vec<(Problem, usize, usize)>,
}

/// Renders `body`, whose first pass gave `scan`.
pub fn render(
    body: &str,
    scan: &Scan,
    config: &MarkdownConfig,
    links: &dyn LinkResolver,
    highlighter: &Highlighter,
) -> Rendered {
    render_with(body, scan, config, super::options(config), links, highlighter)
}

pub(super) fn render_with<'a>(
    body: &'a str,
    scan: &'a Scan,
    config: &'a MarkdownConfig,
    options: pulldown_cmark::Options,
    links: &'a dyn LinkResolver,
    highlighter: &'a Highlighter,
) -> Rendered {
    let events: Vec<(Event, Range<usize>)> = super::events(body, options).collect();
    let mut state = State {
        body,
        config,
        links,
        highlighter,
        scan,
        headings: 0,
        term_links: &scan.term_links,
        tips: 0,
        tipped: Vec::new(),
        open_links: Vec::new(),
        out: Vec::with_capacity(events.len() + 12 * scan.term_links.len()),
        warnings: Vec::new(),
        errors: Vec::new(),
        numbers: HashMap::new(),
        references: HashMap::new(),
        definitions: HashMap::new(),
    };
    let mut i = 0;
    while i < events.len() {
        i = state.step(&events, i);
    }
    state.finish_footnotes();
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, state.out.into_iter());
    Rendered { html, warnings: state.warnings, errors: state.errors }
}

/// The render pass under way; [`super::footnotes`] and [`super::guard`]
/// add to it.
pub(super) struct State<'a> {
    pub(super) body: &'a str,
    pub(super) config: &'a MarkdownConfig,
    pub(super) links: &'a dyn LinkResolver,
    highlighter: &'a Highlighter,
    scan: &'a Scan,
    headings: usize,
    /// Term links not yet reached, in event order.
    term_links: &'a [TermLink],
    /// Tooltips written so far, for their ids.
    tips: usize,
    /// Terms whose tooltip id (`tip-slug`) the page already has.
    tipped: Vec<usize>,
    /// For each link being written: how to close it.
    pub(super) open_links: Vec<Open<'a>>,
    pub(super) out: Vec<Event<'a>>,
    pub(super) warnings: Vec<(Problem, usize, usize)>,
    pub(super) errors: Vec<(Problem, usize, usize)>,
    /// Footnote name to its number, in order of first reference.
    pub(super) numbers: HashMap<CowStr<'a>, usize>,
    pub(super) references: HashMap<usize, usize>,
    pub(super) definitions: HashMap<CowStr<'a>, Vec<Event<'a>>>,
}

/// How a link being written ends.
pub(super) enum Open<'a> {
    Plain,
    /// With the tooltip of the glossary term it names.
    Term(Tip<'a>),
    /// Not at all: the link was left out and only its text is written.
    Dropped,
}

impl<'a> State<'a> {
    /// Handles the event at `i` and returns the index of the next one.
    pub(super) fn step(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize) -> usize {
        if let Some(next) = self.guard_url(events, i) {
            return next;
        }
        let config = self.config;
        let terms = self.terms_at(i);
        match &events[i].0 {
            Event::Text(text) if !terms.is_empty() => self.text_with_terms(text, terms),
            Event::Start(Tag::Link { dest_url, .. }) if !terms.is_empty() => {
                let mut href = String::new();
                let _ = escape_href(&mut href, &self.resolve(dest_url).unwrap_or_else(|| dest_url.to_string()));
                match self.open_term_link(terms[0].term, Some(CowStr::from(href))) {
                    Some(tip) => self.open_links.push(Open::Term(tip)),
                    None => {
                        self.push_link(&events[i].0);
                        self.open_links.push(Open::Plain);
                    }
                }
            }
            Event::Start(Tag::Link { .. }) => {
                self.open_links.push(Open::Plain);
                self.push_link(&events[i].0);
            }
            Event::End(TagEnd::Link) => match self.open_links.pop() {
                Some(Open::Term(tip)) => self.close_term_link(tip),
                Some(Open::Dropped) => {}
                Some(Open::Plain) | None => self.out.push(Event::End(TagEnd::Link)),
            },
            Event::Start(Tag::Heading { level, classes, attrs, .. }) => {
                let id = self.scan.headings.get(self.headings).map(|h| CowStr::from(h.id.clone()));
                self.headings += 1;
                let attrs = self.heading_attrs(attrs, &events[i].1);
                self.out.push(Event::Start(Tag::Heading { level: *level, id, classes: classes.clone(), attrs }));
            }
            Event::Start(Tag::Paragraph) => {
                if let Some(next) = self.figure(events, i) {
                    return next;
                }
                self.out.push(events[i].0.clone());
            }
            Event::Start(Tag::Image { .. }) => return self.image(events, i),
            Event::Start(Tag::CodeBlock(kind)) if config.highlight => {
                return self.code_block(events, i, kind);
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = callout(*kind);
                let html = format!(
                    "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{label}</p>\n"
                );
                self.out.push(Event::Html(html.into()));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => self.out.push(Event::Html("</div>\n".into())),
            Event::Html(raw) | Event::InlineHtml(raw) if config.raw_html == RawHtml::Escape => {
                self.out.push(Event::Text(raw.clone()));
            }
            Event::FootnoteReference(name) => self.footnote_reference(name.clone()),
            // A checkbox needs a name for screen readers; the item's text follows it.
            Event::TaskListMarker(done) => {
                let (checked, label) = if *done { (" checked", "Done") } else { ("", "Not done") };
                let html = format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\">");
                self.out.push(Event::InlineHtml(html.into()));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                return self.footnote_definition(events, i, name.clone());
            }
            other => self.out.push(other.clone()),
        }
        i + 1
    }

    /// The term links at event `i`, skipping any left behind by events a
    /// construct consumed whole (never expected: the scan skips the same ones).
    #[inline]
    fn terms_at(&mut self, i: usize) -> &'a [TermLink] {
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

    /// An ordinary link, with `@/` resolved and a relative link to a file
    /// of the site written as that file is published.
    fn push_link(&mut self, event: &Event<'a>) {
        if let Event::Start(Tag::Link { link_type, dest_url, title, id }) = event {
            let dest = if dest_url.starts_with("@/") { self.resolve(dest_url) } else { self.links.file(dest_url) };
            if let Some(dest) = dest {
                let (link_type, title, id) = (*link_type, title.clone(), id.clone());
                self.out.push(Event::Start(Tag::Link { link_type, dest_url: dest.into(), title, id }));
                return;
            }
        }
        self.out.push(event.clone());
    }

    /// Opens a link to glossary term `term`, to `href` (escaped) if the
    /// author's link says where, else to the term's page; returns the
    /// tooltip that [`State::close_term_link`] writes after the link's text.
    /// The first link to a term on a page is written from the term's ready
    /// HTML; later ones, or ones to elsewhere, in pieces with their own ids.
    fn open_term_link(&mut self, term: usize, href: Option<CowStr<'a>>) -> Option<Tip<'a>> {
        let html = self.links.term(term)?;
        let first = !self.tipped.contains(&term);
        if first {
            self.tipped.push(term);
        }
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

    fn close_term_link(&mut self, tip: Tip<'a>) {
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
    fn text_with_terms(&mut self, text: &CowStr<'a>, terms: &[TermLink]) {
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

    fn resolve(&self, dest: &str) -> Option<String> {
        if !dest.starts_with("@/") {
            return None;
        }
        let rest = &dest[2..];
        let (page, anchor) = rest.split_once('#').map_or((rest, None), |(p, a)| (p, Some(a)));
        let mut url = self.links.resolve(page)?;
        if let Some(anchor) = anchor {
            url.push('#');
            url.push_str(anchor);
        }
        Some(url)
    }

    fn code_block(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize, kind: &CodeBlockKind<'a>) -> usize {
        let mut code = String::new();
        let mut j = i + 1;
        while let Some((event, _)) = events.get(j) {
            match event {
                Event::Text(t) => code.push_str(t),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
            j += 1;
        }
        let lang = match kind {
            CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or(""),
            CodeBlockKind::Indented => "",
        };
        let mut html = String::from("<pre class=\"code\"");
        let inner = if lang.is_empty() {
            html.push_str("><code>");
            let mut escaped = String::new();
            escape_html(&mut escaped, &code).expect("writing to a String");
            escaped
        } else {
            let _ = write!(html, " data-lang=\"{0}\"><code class=\"language-{0}\">", Attr(lang));
            self.highlighter.highlight(lang, &code).unwrap_or_else(|plain| {
                let at = &events[i].1;
                let line_len = events.get(i).map_or(0, |(_, r)| r.len().min(3 + lang.len()));
                self.warnings.push((Problem::UnknownLanguage(lang.to_string()), at.start, line_len));
                plain
            })
        };
        html.push_str(&inner);
        html.push_str("</code></pre>\n");
        self.out.push(Event::Html(html.into()));
        j + 1
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

fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Text escaped for an HTML attribute.
struct Attr<'s>(&'s str);

impl std::fmt::Display for Attr<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = String::new();
        escape_html(&mut s, self.0).map_err(|_| std::fmt::Error)?;
        f.write_str(&s)
    }
}
