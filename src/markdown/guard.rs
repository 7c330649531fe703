//! What a page's Markdown may hand a reader's browser.
//!
//! With `raw_html = "escape"` a site promises that no author-written script
//! reaches a reader, because its authors are not all trusted. Escaping raw
//! HTML (in [`super::render`]) is most of that promise; this module keeps
//! the rest, the two ways Markdown itself can carry script:
//!
//! - a link or image whose URL runs as script when followed or loaded
//!   (`javascript:`, `vbscript:`, a `data:` document; see
//!   [`crate::paths::script_scheme`] for the disguises it sees through).
//!   In escape mode such a link is an error and is left out, its text kept;
//!   in keep mode it is a warning and stays, since authors are trusted there;
//! - heading attributes (`## Hi {onclick=…}`), which pulldown-cmark writes
//!   as they come. In escape mode a heading keeps its `{#id}` and
//!   `{.class}` (both escaped by the writer) and loses every other
//!   attribute, with a warning naming it.
//!
//! Reference definitions are judged where they are used: a definition no
//! link uses never reaches a reader.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag};

use super::render::{Open, State};
use crate::config::RawHtml;
use crate::error::Problem;

/// The most of a refused URL a message quotes: a `data:` URL can be megabytes.
const QUOTED: usize = 80;

impl<'a> State<'a> {
    /// Judges the link or image that starts at event `i`, if one does. When
    /// it is left out, returns the index of the event to go on from.
    pub(super) fn guard_url(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize) -> Option<usize> {
        let (event, range) = &events[i];
        let (dest, image) = match event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            _ => return None,
        };
        let scheme = crate::paths::script_scheme(dest, image)?;
        let problem = Problem::ScriptUrl { url: quoted(dest), scheme: scheme.to_string(), image };
        let found = (problem, range.start, range.len());
        if self.config.raw_html == RawHtml::Keep {
            self.warnings.push(found);
            return None;
        }
        self.errors.push(found);
        if image {
            return Some(self.image_as_text(events, i));
        }
        // The link's text is written; its end is skipped.
        self.open_links.push(Open::Dropped);
        Some(i + 1)
    }

    /// Writes the image starting at event `i` as its description alone;
    /// returns the index after the image's end.
    fn image_as_text(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize) -> usize {
        let (alt, end) = super::image::alt_text(events, i);
        if !alt.is_empty() {
            self.out.push(Event::Text(alt.into()));
        }
        end + 1
    }

    /// The attributes a heading is written with: all of them in keep mode;
    /// none in escape mode, each dropped one warned about where it is written.
    pub(super) fn heading_attrs(
        &mut self,
        attrs: &[(CowStr<'a>, Option<CowStr<'a>>)],
        range: &Range<usize>,
    ) -> Vec<(CowStr<'a>, Option<CowStr<'a>>)> {
        if self.config.raw_html == RawHtml::Keep || attrs.is_empty() {
            return attrs.to_vec();
        }
        let line = self.body.get(range.clone()).unwrap_or("");
        // The attribute block is the heading's last `{…}`.
        let block = line.rfind('{').unwrap_or(0);
        for (name, _) in attrs {
            let offset = line[block..].find(name.as_ref()).map_or(range.start, |o| range.start + block + o);
            self.warnings.push((Problem::HeadingAttributeDropped(name.to_string()), offset, name.len()));
        }
        Vec::new()
    }
}

/// `url` as a message quotes it: its first [`QUOTED`] characters, with
/// control characters (a tab hiding in `java\tscript:`) shown as escapes.
fn quoted(url: &str) -> String {
    let mut out = String::new();
    for (n, c) in url.chars().enumerate() {
        if n == QUOTED {
            out.push('…');
            break;
        }
        match c {
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::config::{MarkdownConfig, RawHtml};
    use crate::error::Problem;
    use crate::markdown::{Highlighter, LinkResolver, Rendered, options, render, scan};

    struct NoPages;
    impl LinkResolver for NoPages {
        fn resolve(&self, _: &str) -> Option<String> {
            None
        }
    }

    fn run(body: &str, raw_html: RawHtml) -> Rendered {
        let config = MarkdownConfig { raw_html, ..MarkdownConfig::default() };
        let scan = scan(body, options(&config), raw_html, None, false);
        render(body, &scan, &config, &NoPages, &Highlighter::default())
    }

    /// The script vectors of links and images, as authors could write them.
    const URLS: &[&str] = &[
        "[a](javascript:alert(1))",
        "[a](JaVaScRiPt:alert(1))",
        "[a](java&#x09;script:alert(1))",
        "[a](&#x09;javascript:alert(1))",
        "[a](jav&#x61;script:alert(1))",
        "[a](&#106;avascript:alert(1))",
        "[a](%6Aavascript:alert(1))",
        "[a](<java\tscript:alert(1)>)",
        "[a](vbscript:msgbox(1))",
        "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[a](data:image/png;base64,iVBORw0KGgo=)",
        "[a][r]\n\n[r]: javascript:alert(1)",
        "<javascript:alert(1)>",
        "<JAVASCRIPT:alert(1)>",
        "![a](javascript:alert(1))",
        "![a](javascript:alert(1) \"A caption\")",
        "![a](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "Text.[^n]\n\n[^n]: See [a](javascript:alert(1)).",
        "> [!NOTE]\n> [a](javascript:alert(1))",
    ];

    #[test]
    fn script_urls_are_errors_and_left_out_when_html_is_escaped() {
        for body in URLS {
            let r = run(body, RawHtml::Escape);
            assert!(matches!(r.errors.as_slice(), [(Problem::ScriptUrl { .. }, _, _)]), "{body}: {:?}", r.errors);
            // No image, and no link but the footnote's own (`#fn-1`, `#fnref-1`).
            assert!(!r.html.contains("<img"), "{body}: {}", r.html);
            assert!(r.html.split("href=\"").skip(1).all(|v| v.starts_with('#')), "{body}: {}", r.html);
        }
        // The text stays: the link's, the image's description.
        assert_eq!(run("See [the page](javascript:x) now.", RawHtml::Escape).html, "<p>See the page now.</p>\n");
        assert_eq!(run("![A cat](javascript:x \"Cap\")", RawHtml::Escape).html, "<p>A cat</p>\n");
    }

    #[test]
    fn script_urls_are_warnings_and_kept_when_html_is_kept() {
        for body in URLS {
            let r = run(body, RawHtml::Keep);
            assert!(r.errors.is_empty(), "{body}");
            assert!(matches!(r.warnings.as_slice(), [(Problem::ScriptUrl { .. }, _, _)]), "{body}: {:?}", r.warnings);
        }
        assert!(run("[a](javascript:alert(1))", RawHtml::Keep).html.contains("href=\"javascript:alert(1)\""));
    }

    #[test]
    fn a_refused_url_is_found_where_it_is_written() {
        let body = "Intro.\n\nSee [a](javascript:alert(1)).\n";
        let r = run(body, RawHtml::Escape);
        assert_eq!(r.errors[0].1, body.find("[a]").unwrap());
        let reference = "Intro.\n\nSee [a][r].\n\n[r]: javascript:alert(1)\n";
        assert_eq!(run(reference, RawHtml::Escape).errors[0].1, reference.find("[a]").unwrap());
    }

    #[test]
    fn safe_urls_and_raster_images_pass_in_both_modes() {
        for body in [
            "[a](https://example.org/javascript:x)",
            "[a](/javascript/)",
            "[a](#javascript:x)",
            "<mailto:a@example.org>",
            "![a](data:image/png;base64,iVBORw0KGgo=)",
            "![a](data:image/webp;base64,UklGR \"Cap\")",
        ] {
            for mode in [RawHtml::Escape, RawHtml::Keep] {
                let r = run(body, mode);
                assert!(r.errors.is_empty() && r.warnings.is_empty(), "{body}: {:?} {:?}", r.errors, r.warnings);
            }
        }
    }

    #[test]
    fn heading_attributes_keep_only_id_and_class_when_html_is_escaped() {
        let body = "## Hi {#top .wide onmouseover=alert(1) data-x=1 style=color:red}\n";
        let r = run(body, RawHtml::Escape);
        assert_eq!(r.html, "<h2 id=\"top\" class=\"wide\">Hi</h2>\n");
        let dropped: Vec<_> = r.warnings.iter().map(|w| (&w.0, w.1)).collect();
        assert_eq!(
            dropped,
            [
                (&Problem::HeadingAttributeDropped("onmouseover".into()), body.find("onmouseover").unwrap()),
                (&Problem::HeadingAttributeDropped("data-x".into()), body.find("data-x").unwrap()),
                (&Problem::HeadingAttributeDropped("style".into()), body.find("style").unwrap()),
            ]
        );
        let r = run("Title {onclick=x}\n===\n", RawHtml::Escape);
        assert_eq!(r.html, "<h1 id=\"title\">Title</h1>\n");
        let r = run("## Hi {.a\"b #x\"y}\n", RawHtml::Escape);
        assert_eq!(r.html, "<h2 id=\"x&quot;y\" class=\"a&quot;b\">Hi</h2>\n");
    }

    #[test]
    fn heading_attributes_are_kept_when_html_is_kept() {
        let r = run("## Hi {#top data-x=1}\n", RawHtml::Keep);
        assert_eq!(r.html, "<h2 id=\"top\" data-x=\"1\">Hi</h2>\n");
        assert!(r.warnings.is_empty());
    }
}
