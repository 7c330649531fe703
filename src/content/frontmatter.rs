//! Front matter: finding the `+++` block and reading it strictly.
//!
//! The block's byte offset is kept, so a TOML error or a bad value deep in a
//! page's front matter is reported at its line and column in the `.md` file.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use crate::error::Problem;

/// A page split into its front matter and body, with where each starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'s> {
    pub front: &'s str,
    pub front_offset: usize,
    pub body: &'s str,
    pub body_offset: usize,
}

/// Splits `source` at its `+++` lines. Leading blank lines are allowed;
/// CRLF line ends work.
pub fn split(source: &str) -> Result<Split<'_>, (Problem, usize)> {
    let start = source.len() - source.trim_start_matches(['\n', '\r', ' ', '\t']).len();
    let rest = &source[start..];
    let Some(after_open) = rest.strip_prefix("+++") else {
        return Err((Problem::NoFrontMatter, start));
    };
    let first_line_end = after_open.find('\n').map_or(after_open.len(), |i| i + 1);
    if !after_open[..first_line_end].trim().is_empty() {
        return Err((Problem::NoFrontMatter, start));
    }
    let front_offset = start + 3 + first_line_end;
    let mut pos = front_offset;
    for line in source[front_offset..].split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']).trim_end() == "+++" {
            return Ok(Split {
                front: &source[front_offset..pos],
                front_offset,
                body: &source[pos + line.len()..],
                body_offset: pos + line.len(),
            });
        }
        pos += line.len();
    }
    Err((Problem::UnclosedFrontMatter, start))
}

/// Every key a page or section may have. Which keys a given page may use
/// depends on its kind; `content::kinds` checks that after the kind is known.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Spanned<String>,
    pub description: Option<Spanned<String>>,
    pub date: Option<Spanned<Datetime>>,
    pub updated: Option<Spanned<Datetime>>,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<Spanned<String>>,
    #[serde(default)]
    pub weight: i64,
    pub template: Option<Spanned<String>>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub redirect_from: Vec<Spanned<String>>,
    pub kind: Option<Spanned<String>>,
    #[serde(default)]
    pub extra: toml::Table,

    // Sections.
    pub sort_by: Option<Spanned<String>>,
    pub paginate_by: Option<Spanned<i64>>,

    // Explainers.
    pub summary: Option<Spanned<String>>,
    pub takeaways: Option<Spanned<Vec<String>>>,
    pub audience: Option<Spanned<Vec<String>>>,
    pub reviewed: Option<Spanned<Datetime>>,
    pub review_due: Option<Spanned<Datetime>>,
    pub changes: Option<Spanned<Vec<Change>>>,
    pub further_reading: Option<Spanned<Vec<Reading>>>,

    // Terms.
    pub short: Option<Spanned<String>>,
    pub synonyms: Option<Spanned<Vec<String>>>,
    pub related: Option<Spanned<Vec<Spanned<String>>>>,
    pub definitions: Option<Spanned<Vec<Definition>>>,

    // Events.
    pub start: Option<Spanned<Datetime>>,
    pub end: Option<Spanned<Datetime>>,
    pub timezone: Option<Spanned<String>>,
    pub location: Option<Spanned<String>>,
    pub online: Option<Spanned<String>>,
    pub register: Option<Spanned<String>>,
    pub organizer: Option<Spanned<String>>,
    pub status: Option<Spanned<String>>,

    // Tools (`status` and `reviewed` are shared with events and explainers).
    pub url: Option<Spanned<String>>,
    pub license: Option<Spanned<String>>,
    pub maintainer: Option<Spanned<String>>,
    pub category: Option<Spanned<String>>,
}

/// One entry of an explainer's change notes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub date: Spanned<Datetime>,
    pub note: String,
}

/// One further-reading link of an explainer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    pub title: String,
    pub url: Spanned<String>,
}

/// A sourced definition of a term, as NIST or the OECD word it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    pub text: String,
    pub source: String,
    pub url: Option<Spanned<String>>,
    #[serde(default)]
    pub jurisdiction: String,
}

/// Which kinds may use a key. Keys not listed are for every page.
pub const KIND_KEYS: &[(&str, &[&str])] = &[
    ("summary", &["explainer"]),
    ("takeaways", &["explainer"]),
    ("audience", &["explainer"]),
    ("reviewed", &["explainer", "tool"]),
    ("review_due", &["explainer"]),
    ("changes", &["explainer"]),
    ("further_reading", &["explainer"]),
    ("short", &["term"]),
    ("synonyms", &["term"]),
    ("related", &["term"]),
    ("definitions", &["term"]),
    ("start", &["event"]),
    ("end", &["event"]),
    ("timezone", &["event"]),
    ("location", &["event"]),
    ("online", &["event"]),
    ("register", &["event"]),
    ("organizer", &["event"]),
    ("status", &["event", "tool"]),
    ("url", &["tool"]),
    ("license", &["tool"]),
    ("maintainer", &["tool"]),
    ("category", &["tool"]),
];

impl FrontMatter {
    /// The kind-specific keys this front matter sets, with their spans.
    pub fn kind_keys_set(&self) -> Vec<(&'static str, Range<usize>)> {
        fn span<T>(s: &Option<Spanned<T>>) -> Option<Range<usize>> {
            s.as_ref().map(Spanned::span)
        }
        let all = [
            ("summary", span(&self.summary)),
            ("takeaways", span(&self.takeaways)),
            ("audience", span(&self.audience)),
            ("reviewed", span(&self.reviewed)),
            ("review_due", span(&self.review_due)),
            ("changes", span(&self.changes)),
            ("further_reading", span(&self.further_reading)),
            ("short", span(&self.short)),
            ("synonyms", span(&self.synonyms)),
            ("related", span(&self.related)),
            ("definitions", span(&self.definitions)),
            ("start", span(&self.start)),
            ("end", span(&self.end)),
            ("timezone", span(&self.timezone)),
            ("location", span(&self.location)),
            ("online", span(&self.online)),
            ("register", span(&self.register)),
            ("organizer", span(&self.organizer)),
            ("status", span(&self.status)),
            ("url", span(&self.url)),
            ("license", span(&self.license)),
            ("maintainer", span(&self.maintainer)),
            ("category", span(&self.category)),
        ];
        all.into_iter().filter_map(|(k, s)| s.map(|s| (k, s))).collect()
    }

    /// Section-only keys this front matter sets (an error on a page).
    pub fn section_keys_set(&self) -> Vec<(&'static str, Range<usize>)> {
        let mut out = Vec::new();
        if let Some(s) = &self.sort_by {
            out.push(("sort_by", s.span()));
        }
        if let Some(s) = &self.paginate_by {
            out.push(("paginate_by", s.span()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_offsets() {
        let src = "+++\ntitle = \"A\"\n+++\n\nBody\n";
        let s = split(src).unwrap();
        assert_eq!(s.front, "title = \"A\"\n");
        assert_eq!(s.front_offset, 4);
        assert_eq!(s.body, "\nBody\n");
        assert_eq!(&src[s.body_offset..], "\nBody\n");
    }

    #[test]
    fn split_handles_crlf_and_leading_blank_lines() {
        let src = "\r\n+++\r\ntitle = \"A\"\r\n+++\r\nBody\r\n";
        let s = split(src).unwrap();
        assert_eq!(s.front, "title = \"A\"\r\n");
        assert_eq!(s.body, "Body\r\n");
    }

    #[test]
    fn split_reports_missing_and_unclosed_blocks() {
        assert_eq!(split("# Hello\n").unwrap_err().0, Problem::NoFrontMatter);
        assert_eq!(split("+++ x\n").unwrap_err().0, Problem::NoFrontMatter);
        assert_eq!(split("+++\ntitle = \"A\"\n").unwrap_err().0, Problem::UnclosedFrontMatter);
        let s = split("+++\n+++").unwrap();
        assert_eq!((s.front, s.body), ("", ""));
    }

    #[test]
    fn kind_keys_are_listed_with_spans() {
        let text = "title = \"T\"\nstart = 2026-03-03\nurl = \"https://x.org\"\n";
        let fm: FrontMatter = toml::from_str(text).unwrap();
        let keys: Vec<_> = fm.kind_keys_set().into_iter().map(|(k, r)| (k, &text[r])).collect();
        assert_eq!(keys, [("start", "2026-03-03"), ("url", "\"https://x.org\"")]);
    }

    #[test]
    fn every_kind_key_is_known_to_the_kind_check() {
        let text = r#"title = "T"
summary = "s"
takeaways = []
audience = []
reviewed = 2026-01-01
review_due = 2026-01-01
changes = []
further_reading = []
short = "s"
synonyms = []
related = []
definitions = []
start = 2026-01-01
end = 2026-01-01
timezone = "UTC"
location = "l"
online = "o"
register = "r"
organizer = "o"
status = "s"
url = "u"
license = "l"
maintainer = "m"
category = "c"
"#;
        let fm: FrontMatter = toml::from_str(text).unwrap();
        let set: Vec<_> = fm.kind_keys_set().into_iter().map(|(k, _)| k).collect();
        let listed: Vec<_> = KIND_KEYS.iter().map(|(k, _)| *k).collect();
        assert_eq!(set, listed);
    }
}
