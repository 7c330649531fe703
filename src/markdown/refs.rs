//! How the render pass writes the references authors make.
//!
//! An `@/` link names a file under `content/`; it is written as the URL
//! that file is published at (a page's permalink, an image's or PDF's
//! URL), keeping any query and fragment. A root-relative URL
//! (`/files/report.pdf`) gets the base URL's path in front, so a site
//! deployed at `https://preview.example.net/pr-42/` still finds its files.
//! A relative URL is first read from the folder of the page's own file, as
//! an editor's preview reads it: when it names a file there under
//! `content/` (`diagram.png` in `explainers/first.md` is
//! `content/explainers/diagram.png`), it is written as the URL that file is
//! published at, with the base URL's path (`/explainers/diagram.png`), so
//! it leads there from the page, from a section's later pages and from a
//! feed alike. Other relative URLs (`../other/`) are left as written: a
//! browser resolves them against the page, wherever the site is. The same
//! holds in Markdown links and images and, where raw HTML is kept, in the
//! URL attributes of raw HTML ([`super::html`]). Whether each reference
//! leads somewhere is checked apart, against what the build publishes.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::html;
use super::render::State;
use super::term_links::TermHtml;
use crate::error::Problem;
use crate::paths::{Dest, Reference, percent_decoded};

/// Turns the references of a page into URLs. Implemented by the build over
/// what the site publishes.
pub trait LinkResolver {
    /// The URL of the file `source` (decoded, relative to `content/`:
    /// `explainers/x.md`, `explainers/diagram.png`), if there is one.
    fn resolve(&self, source: &str) -> Option<String>;

    /// A root-relative URL as it is written on the site (with the base
    /// URL's path in front); `None` to write it as it is.
    fn local(&self, _root_relative: &str) -> Option<String> {
        None
    }

    /// The URL of the file under `content/` that `relative` (decoded, no
    /// query or fragment) names when read from the folder of the page's own
    /// file, as the site publishes it; `None` when it names none there.
    fn beside(&self, _relative: &str) -> Option<String> {
        None
    }

    /// The width and height of the image `dest` (as written) names, when it
    /// is a file the site publishes and declares a size; an error when that
    /// file cannot be read as the image its name says.
    fn image_size(&self, _dest: &str) -> Result<Option<(u32, u32)>, Problem> {
        Ok(None)
    }

    /// Glossary term number `term`, as its links are written.
    fn term(&self, _term: usize) -> Option<&TermHtml> {
        None
    }
}

impl<'a> State<'a> {
    /// The URL a reference is written with; `None` to keep it as written.
    pub(super) fn href(&self, dest: &str) -> Option<String> {
        if let Some(rest) = dest.strip_prefix("@/") {
            let split = rest.find(['?', '#']).unwrap_or(rest.len());
            let source = percent_decoded(&rest[..split]);
            let mut url = self.links.resolve(source.trim_start_matches('/'))?;
            url.push_str(&rest[split..]);
            return Some(url);
        }
        if dest.starts_with('/') && !dest.starts_with("//") {
            return self.links.local(dest);
        }
        let Some(Reference { dest: Dest::Relative(relative), .. }) = Reference::parse(dest) else { return None };
        let mut url = self.links.beside(&relative)?;
        url.push_str(&dest[dest.find(['?', '#']).unwrap_or(dest.len())..]);
        Some(url)
    }

    /// `dest` as [`State::href`] writes it.
    pub(super) fn dest(&self, dest: &CowStr<'a>) -> CowStr<'a> {
        self.href(dest).map_or_else(|| dest.clone(), CowStr::from)
    }

    /// A link or image that is not a term link, with its URL written anew.
    pub(super) fn push_link(&mut self, event: &Event<'a>) {
        let event = match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => Event::Start(Tag::Link {
                link_type: *link_type,
                dest_url: self.dest(dest_url),
                title: title.clone(),
                id: id.clone(),
            }),
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => Event::Start(Tag::Image {
                link_type: *link_type,
                dest_url: self.dest(dest_url),
                title: title.clone(),
                id: id.clone(),
            }),
            other => other.clone(),
        };
        self.out.push(event);
    }

    /// Inline raw HTML (one tag), with its URLs written anew.
    pub(super) fn inline_html(&mut self, raw: &CowStr<'a>) {
        let html = match html::rewrite(raw, |url| self.href(url)) {
            std::borrow::Cow::Borrowed(_) => raw.clone(),
            std::borrow::Cow::Owned(changed) => CowStr::from(changed),
        };
        self.out.push(Event::InlineHtml(html));
    }

    /// A block of raw HTML from event `i` (its start), its lines read as
    /// one text so that a tag may span them, with its URLs written anew.
    /// Returns the index after the block.
    pub(super) fn html_block(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize) -> usize {
        let mut text = String::new();
        let mut j = i + 1;
        while let Some((event, _)) = events.get(j) {
            match event {
                // The block's indentation comes as text before its first line.
                Event::Html(line) | Event::Text(line) => text.push_str(line),
                Event::End(TagEnd::HtmlBlock) => break,
                _ => {}
            }
            j += 1;
        }
        let html = html::rewrite(&text, |url| self.href(url)).into_owned();
        self.out.push(Event::Start(Tag::HtmlBlock));
        self.out.push(Event::Html(html.into()));
        self.out.push(Event::End(TagEnd::HtmlBlock));
        j + 1
    }
}
