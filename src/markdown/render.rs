//! The second pass: a page body to HTML.
//!
//! pulldown-cmark parses; this module rewrites its event stream before the
//! HTML writer sees it: heading ids from the scan, references written as
//! the site serves them ([`super::refs`]), glossary terms linked with their
//! definitions where the scan found them ([`super::term_links`]),
//! callouts as labelled boxes, local images sized and titled ones as
//! figures ([`super::image`]), fenced code highlighted, footnotes gathered
//! at the end with links back, and raw HTML escaped when the site asks for it.

use std::collections::HashMap;
use std::fmt::Write;
use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Tag, TagEnd};
use pulldown_cmark_escape::escape_html;

use super::refs::LinkResolver;
use super::term_links::Tip;
use super::{Highlighter, Scan, TermLink, TermSet};
use crate::config::{MarkdownConfig, RawHtml};
use crate::error::Problem;

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
        tipped: TermSet::default(),
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
    pub(super) term_links: &'a [TermLink],
    /// Tooltips written so far, for their ids.
    pub(super) tips: usize,
    /// Terms whose tooltip id (`tip-slug`) the page already has.
    pub(super) tipped: TermSet,
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
                self.explicit_term_link(&events[i].0, dest_url, terms[0].term);
            }
            Event::Start(Tag::Link { .. }) => {
                self.open_links.push(Open::Plain);
                self.push_link(&events[i].0);
            }
            Event::Start(Tag::Image { .. }) => return self.image(events, i),
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
            Event::Start(Tag::HtmlBlock) if config.raw_html == RawHtml::Keep => return self.html_block(events, i),
            Event::InlineHtml(raw) if config.raw_html == RawHtml::Keep => self.inline_html(raw),
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
