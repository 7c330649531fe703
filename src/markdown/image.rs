//! Images: how big a local one is, and figures.
//!
//! An image whose URL names a file the site publishes (beside the page's
//! file, under `content/` by `@/`, or from the site's root) is written with
//! its `width` and `height`, which the build reads
//! ([`LinkResolver::image_size`](super::LinkResolver::image_size)), so a
//! page does not jump while its images load; its URL is written as every
//! reference is ([`super::refs`]). Remote images and `data:` URLs get no
//! size. A paragraph holding only an image with a title becomes a
//! `<figure>` whose caption is the title.

use std::fmt::Write;
use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use super::render::State;

impl<'a> State<'a> {
    /// Writes the image that starts at event `i` (not a figure); returns
    /// the index of the event after it.
    pub(super) fn image(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize) -> usize {
        let (Event::Start(Tag::Image { dest_url, title, .. }), range) = &events[i] else {
            return i;
        };
        let Some(size) = self.image_size(dest_url, range) else {
            self.push_link(&events[i].0);
            return i + 1;
        };
        let (alt, end) = alt_text(events, i);
        let mut html = String::new();
        img_tag(&mut html, &self.dest(dest_url), &alt, title, Some(size));
        html.push_str(" />");
        self.out.push(Event::InlineHtml(html.into()));
        end + 1
    }

    /// A paragraph holding only an image with a title becomes a `<figure>`
    /// whose caption is the title. Returns the index after the paragraph.
    pub(super) fn figure(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize) -> Option<usize> {
        let Some((Event::Start(Tag::Image { dest_url, title, .. }), range)) = events.get(i + 1) else {
            return None;
        };
        // An image that may not be written as it is goes the ordinary way, past the guard.
        if title.is_empty() || crate::paths::script_scheme(dest_url, true).is_some() {
            return None;
        }
        let (alt, end) = alt_text(events, i + 1);
        if !matches!(events.get(end + 1), Some((Event::End(TagEnd::Paragraph), _))) {
            return None;
        }
        let size = self.image_size(dest_url, range);
        let mut html = String::from("<figure>\n");
        img_tag(&mut html, &self.dest(dest_url), &alt, "", size);
        html.push_str(">\n<figcaption>");
        let _ = escape_html(&mut html, title);
        html.push_str("</figcaption>\n</figure>\n");
        self.out.push(Event::Html(html.into()));
        Some(end + 2)
    }

    /// The size of the image at `dest`, if it is a file the site publishes
    /// and declares one; a file that cannot be read is an error at `range`.
    fn image_size(&mut self, dest: &str, range: &Range<usize>) -> Option<(u32, u32)> {
        self.links.image_size(dest).unwrap_or_else(|problem| {
            self.errors.push((problem, range.start, range.len()));
            None
        })
    }
}

/// The description of the image that starts at event `i`, as text (what
/// pulldown-cmark writes as alt text), and the index of the image's end.
pub(super) fn alt_text(events: &[(Event, Range<usize>)], i: usize) -> (String, usize) {
    let mut alt = String::new();
    let mut depth = 0usize;
    let mut j = i + 1;
    while let Some((event, _)) = events.get(j) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(TagEnd::Image) if depth == 0 => break,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t)
            | Event::Code(t)
            | Event::Html(t)
            | Event::InlineHtml(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t) => alt.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::Rule => alt.push(' '),
            Event::FootnoteReference(name) => {
                let _ = write!(alt, "[{name}]");
            }
            Event::TaskListMarker(done) => alt.push_str(if *done { "[x]" } else { "[ ]" }),
        }
        j += 1;
    }
    (alt, j)
}

/// `<img src alt title width height`, escaped, without its closing.
fn img_tag(html: &mut String, src: &str, alt: &str, title: &str, size: Option<(u32, u32)>) {
    html.push_str("<img src=\"");
    let _ = escape_href(&mut *html, src);
    html.push_str("\" alt=\"");
    let _ = escape_html(&mut *html, alt);
    if !title.is_empty() {
        html.push_str("\" title=\"");
        let _ = escape_html(&mut *html, title);
    }
    html.push('"');
    if let Some((width, height)) = size {
        let _ = write!(html, " width=\"{width}\" height=\"{height}\"");
    }
}
