//! Raw HTML in a page, read for the URLs it holds.
//!
//! Where a site keeps raw HTML, an author's `<a href="/files/x.pdf">` or
//! `<img src=chart.png>` is a reference like any Markdown link: it is
//! checked against what the build publishes, and a root-relative one gets
//! the base URL's path in front. pulldown-cmark hands raw HTML over as
//! text (one inline tag, or the lines of a block), so this module reads
//! tags out of that text the way a browser's tokenizer does: names and
//! attributes, quoted or not, with character references in values decoded;
//! comments, doctypes, end tags and the insides of `<script>`, `<style>`,
//! `<textarea>` and `<title>` are skipped. It is small on purpose: it only
//! has to find attributes, never build a tree.

use std::borrow::Cow;
use std::ops::Range;

/// Attributes whose value is a URL a browser follows or loads.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "srcset", "poster", "action"];

/// A start tag: its name in lower case and its attributes.
#[derive(Debug)]
pub(crate) struct HtmlTag {
    pub name: String,
    pub attrs: Vec<Attr>,
    /// Where the tag starts in the text.
    pub start: usize,
}

/// An attribute: its name in lower case, its value with character
/// references decoded, and where the value is written (without quotes).
#[derive(Debug)]
pub(crate) struct Attr {
    pub name: String,
    pub value: String,
    pub raw: Range<usize>,
    /// Written in quotes (`"…"` or `'…'`).
    pub quoted: bool,
}

/// A URL in a tag: decoded, where it is written, and whether its
/// attribute's value is in quotes.
#[derive(Debug)]
pub(crate) struct Url {
    pub url: String,
    pub at: Range<usize>,
    pub quoted: bool,
}

impl HtmlTag {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    /// The URLs this tag holds, each decoded with where it is written: one
    /// per URL attribute, several for a `srcset`.
    pub fn urls(&self, text: &str) -> Vec<Url> {
        let mut out = Vec::new();
        for attr in self.attrs.iter().filter(|a| URL_ATTRIBUTES.contains(&a.name.as_str())) {
            let quoted = attr.quoted;
            if attr.name == "srcset" {
                out.extend(srcset(&text[attr.raw.clone()]).map(|r| {
                    let at = attr.raw.start + r.start..attr.raw.start + r.end;
                    Url { url: decode(&text[at.clone()]), at, quoted }
                }));
            } else {
                let raw = &text[attr.raw.clone()];
                let lead = raw.len() - raw.trim_start().len();
                let at = attr.raw.start + lead..attr.raw.start + raw.trim_end().len();
                out.push(Url { url: attr.value.trim().to_string(), at, quoted });
            }
        }
        out
    }
}

/// Raw HTML as pulldown-cmark hands it over (one inline tag, or the lines
/// of a block), with where each piece of it is in the page's body.
#[derive(Debug, Default)]
pub(crate) struct HtmlText {
    pub text: String,
    /// Where each piece starts in `text` and in the body, and whether it is
    /// the body's text as written (not inside a quote's `> `, say, where
    /// offsets within the piece would not map).
    pieces: Vec<(usize, usize, bool)>,
}

impl HtmlText {
    pub fn push(&mut self, piece: &str, range: Range<usize>, body: &str) {
        let exact = body.get(range.clone()) == Some(piece);
        self.pieces.push((self.text.len(), range.start, exact));
        self.text.push_str(piece);
    }

    /// The body offset of byte `at` of the text.
    pub fn body_offset(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.0 <= at).saturating_sub(1);
        match self.pieces.get(i) {
            Some(&(start, body, true)) => body + (at - start),
            Some(&(_, body, false)) => body,
            None => 0,
        }
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// Every start tag in `text`, in order.
pub(crate) fn tags(text: &str) -> Vec<HtmlTag> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(lt) = text[at..].find('<') {
        let start = at + lt;
        let rest = &text[start + 1..];
        at = start + 1;
        if let Some(after) = rest.strip_prefix("!--") {
            at = after.find("-->").map_or(text.len(), |e| start + 4 + e + 3);
            continue;
        }
        if rest.starts_with(['!', '?', '/']) {
            at = rest.find('>').map_or(text.len(), |e| start + 1 + e + 1);
            continue;
        }
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let name_len = rest.find(|c: char| is_space(c) || c == '/' || c == '>').unwrap_or(rest.len());
        let name = rest[..name_len].to_ascii_lowercase();
        let (attrs, end) = attributes(text, start + 1 + name_len);
        at = end;
        if matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
            let close = format!("</{name}");
            at = text[at..].to_ascii_lowercase().find(&close).map_or(text.len(), |e| at + e);
        }
        out.push(HtmlTag { name, attrs, start });
    }
    out
}

/// The attributes of a tag from byte `at` of `text` (just after its name),
/// and where the tag ends.
fn attributes(text: &str, mut at: usize) -> (Vec<Attr>, usize) {
    let mut attrs: Vec<Attr> = Vec::new();
    let skip = |at: usize, f: &dyn Fn(char) -> bool| at + text[at..].find(|c: char| !f(c)).unwrap_or(text.len() - at);
    loop {
        at = skip(at, &|c| is_space(c) || c == '/');
        let Some(first) = text[at..].chars().next() else { return (attrs, at) };
        if first == '>' {
            return (attrs, at + 1);
        }
        let name_end = at
            + first.len_utf8()
            + text[at + first.len_utf8()..]
                .find(|c: char| is_space(c) || matches!(c, '/' | '>' | '='))
                .unwrap_or(text.len() - at - first.len_utf8());
        let name = text[at..name_end].to_ascii_lowercase();
        at = skip(name_end, &is_space);
        let mut raw = at..at;
        let mut quoted = false;
        if text[at..].starts_with('=') {
            at = skip(at + 1, &is_space);
            match text[at..].chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let end = text[at + 1..].find(q).map_or(text.len(), |e| at + 1 + e);
                    raw = at + 1..end;
                    quoted = true;
                    at = (end + 1).min(text.len());
                }
                _ => {
                    let end = text[at..].find(|c: char| is_space(c) || c == '>').map_or(text.len(), |e| at + e);
                    raw = at..end;
                    at = end;
                }
            }
        }
        // A repeated attribute is ignored by browsers: the first one counts.
        if !attrs.iter().any(|a| a.name == name) {
            attrs.push(Attr { name, value: decode(&text[raw.clone()]), raw, quoted });
        }
    }
}

/// The URLs of a `srcset` value, as byte ranges of it: each candidate is a
/// URL up to white space (trailing commas not part of it), then
/// descriptors up to a comma.
fn srcset(value: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        at += value[at..].find(|c: char| !is_space(c) && c != ',')?;
        let end = value[at..].find(is_space).map_or(value.len(), |e| at + e);
        let url = value[at..end].trim_end_matches(',');
        let range = at..at + url.len();
        at = if url.len() < end - at { end } else { value[end..].find(',').map_or(value.len(), |c| end + c + 1) };
        Some(range)
    })
}

/// An attribute value with its character references decoded (numeric ones
/// and the few named ones a URL may hold).
pub(crate) fn decode(value: &str) -> String {
    const NAMED: &[(&str, char)] = &[("amp", '&'), ("lt", '<'), ("gt", '>'), ("quot", '"'), ("apos", '\'')];
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        let end = rest.find(|c: char| !c.is_ascii_alphanumeric() && c != '#').unwrap_or(rest.len());
        let entity = &rest[..end];
        let number = match entity.strip_prefix('#') {
            Some(hex) if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16).ok(),
            Some(dec) => dec.parse().ok(),
            None => None,
        };
        let named = NAMED.iter().find(|(n, _)| n.eq_ignore_ascii_case(entity)).map(|(_, c)| *c);
        match number.and_then(char::from_u32).or(named) {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

/// `text` with each URL for which `new_url` gives a replacement written
/// anew (escaped as an `href` is, in double quotes); borrowed when none
/// changes.
pub(crate) fn rewrite<'t>(text: &'t str, new_url: impl Fn(&str) -> Option<String>) -> Cow<'t, str> {
    let mut changes: Vec<(Url, String)> = Vec::new();
    for tag in tags(text) {
        for url in tag.urls(text) {
            if let Some(new) = new_url(&url.url) {
                changes.push((url, new));
            }
        }
    }
    if changes.is_empty() {
        return Cow::Borrowed(text);
    }
    changes.sort_by_key(|(url, _)| url.at.start);
    let mut out = String::with_capacity(text.len() + 32 * changes.len());
    let mut done = 0;
    for (url, new) in changes {
        out.push_str(&text[done..url.at.start]);
        // An unquoted value is given quotes, so nothing in the new URL ends it early.
        if !url.quoted {
            out.push('"');
        }
        let _ = pulldown_cmark_escape::escape_href(&mut out, &new);
        if !url.quoted {
            out.push('"');
        }
        done = url.at.end;
    }
    out.push_str(&text[done..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<String> {
        tags(text).iter().flat_map(|t| t.urls(text)).map(|u| u.url).collect()
    }

    #[test]
    fn attributes_are_read_quoted_or_not() {
        let text = "<A HREF=\"/a?x=1&amp;y=2\" class=x><img src='/i.png' alt><img\nsrc=/two.png ALT=\"\">";
        let found = tags(text);
        assert_eq!(found.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["a", "img", "img"]);
        assert_eq!(found[0].attr("href").unwrap().value, "/a?x=1&y=2");
        assert_eq!(found[1].attr("alt").unwrap().value, "");
        assert!(found[2].attr("alt").is_some());
        assert_eq!(urls(text), ["/a?x=1&y=2", "/i.png", "/two.png"]);
    }

    #[test]
    fn comments_end_tags_and_raw_text_are_skipped() {
        let text = "<!-- <a href=/c> --></a><script>var a = '<a href=/s>';</script><style>a{}</style><a href=/ok>";
        assert_eq!(urls(text), ["/ok"]);
        assert_eq!(urls("a < b and <3 <a"), Vec::<String>::new());
    }

    #[test]
    fn srcset_candidates_are_each_a_url() {
        let text = "<img srcset=\"/a.png 1x, /b%20c.png 2x,/d.png\" alt=\"x\">";
        assert_eq!(urls(text), ["/a.png", "/b%20c.png", "/d.png"]);
    }

    #[test]
    fn rewriting_changes_only_the_urls_it_is_given() {
        let prefix = |u: &str| u.starts_with('/').then(|| format!("/pr-42{u}"));
        let text = "<a href=\"/a?x=1&amp;y=2\" title=\"/t\"><img src=/i.png alt=x srcset='/s.png 1x, /t.png 2x'> \
                    <a href=https://x.org>";
        assert_eq!(
            rewrite(text, prefix),
            "<a href=\"/pr-42/a?x=1&amp;y=2\" title=\"/t\"><img src=\"/pr-42/i.png\" alt=x \
             srcset='/pr-42/s.png 1x, /pr-42/t.png 2x'> <a href=https://x.org>"
        );
        assert!(matches!(rewrite("<p>no links</p>", prefix), Cow::Borrowed(_)));
        let spaced = rewrite("<a href='/my report.pdf'>", prefix);
        assert_eq!(spaced, "<a href='/pr-42/my%20report.pdf'>");
    }
}
