//! A URL an author wrote in a page, read the way pamphlet checks it.
//!
//! Authors point at things on their own site in four ways: `@/explainers/x.md`
//! names a file under `content/`; `/files/report.pdf` is a path from the
//! site's root; `diagram.png` or `../other/` is relative to the page's own
//! URL, as a browser resolves it; `#risks` is a place on the same page. All
//! four are checked against what the build publishes. Anything with a scheme
//! (`https:`, `mailto:`), or a host (`//cdn.example.org/x`), leaves the site
//! and is not checked here.
//!
//! A relative path is read first from the folder of the page's own file
//! ([`Dest::beside`]): `diagram.png` in `explainers/first.md` names
//! `content/explainers/diagram.png` when that file exists, as an editor's
//! preview and a code host read it; only when no file is there does it
//! start from the page's URL.
//!
//! Paths are kept percent-decoded (`Protecci%C3%B3n%20de%20datos.md` is the
//! file `Protección de datos.md`), since that is how files are named on
//! disk, and `.` and `..` are resolved as a browser would (a `..` at the
//! root stays at the root).

use std::borrow::Cow;

use super::{UrlPath, percent_decoded};

/// Where a reference leads, before it is looked up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Dest {
    /// `#anchor` (or nothing but a query): the page itself.
    Here,
    /// `@/explainers/x.md`: a file under `content/`, decoded, without `@/`.
    Source(String),
    /// `/files/x.pdf`: a path from the site's root, decoded.
    Root(String),
    /// `diagram.png`, `../x/`: a path relative to the page's URL, decoded.
    Relative(String),
}

/// An author's reference to something on the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    pub dest: Dest,
    /// The fragment, decoded, without `#`; `None` when there is none or it is empty.
    pub anchor: Option<String>,
}

impl Reference {
    /// Reads `raw` (as written, entities already decoded); `None` for a URL
    /// that leaves the site or names nothing (an empty one).
    pub fn parse(raw: &str) -> Option<Reference> {
        // As a browser reads a URL: tabs and line breaks anywhere do not
        // count, nor do spaces and control characters around it, and `\`
        // is `/`. A script URL however disguised is the guard's to judge.
        let cleaned: Cow<str> = match raw.contains(['\t', '\n', '\r', '\\']) {
            true => raw.replace(['\t', '\n', '\r'], "").replace('\\', "/").into(),
            false => raw.into(),
        };
        let raw = cleaned.trim_matches(|c: char| c <= ' ');
        if raw.is_empty() || raw.starts_with("//") || has_scheme(raw) || super::script_scheme(raw, false).is_some() {
            return None;
        }
        let (before_fragment, fragment) = raw.split_once('#').map_or((raw, None), |(p, f)| (p, Some(f)));
        let path = before_fragment.split_once('?').map_or(before_fragment, |(p, _)| p);
        let anchor = fragment.filter(|f| !f.is_empty()).map(|f| percent_decoded(f).into_owned());
        let decoded = || percent_decoded(path).into_owned();
        let dest = if let Some(source) = path.strip_prefix("@/") {
            Dest::Source(percent_decoded(source).trim_start_matches('/').to_string())
        } else if path.is_empty() {
            Dest::Here
        } else if path.starts_with('/') {
            Dest::Root(decoded())
        } else {
            Dest::Relative(decoded())
        };
        Some(Reference { dest, anchor })
    }
}

impl Dest {
    /// The path on the site this leads to, relative ones resolved against
    /// `page` (a page's URL, a folder: `/explainers/first/`). `None` for
    /// `@/` and same-page references.
    pub fn site_path(&self, page: &UrlPath) -> Option<String> {
        match self {
            Dest::Root(path) => Some(normalized(path)),
            Dest::Relative(path) => Some(normalized(&format!("{}{path}", folder_of(page.as_str())))),
            Dest::Here | Dest::Source(_) => None,
        }
    }
}

impl Dest {
    /// The file under `content/` a relative path names when read from
    /// `dir`, the folder of the page's own file (`explainers`, `/` between
    /// folders): `explainers/diagram.png` for `diagram.png`. `None` for
    /// other references, and for a path that climbs above `content/`.
    pub fn beside(&self, dir: &str) -> Option<String> {
        let Dest::Relative(path) = self else { return None };
        let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
        for segment in path.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                s => parts.push(s),
            }
        }
        Some(parts.join("/"))
    }
}

/// Whether `url` starts with a scheme (`https:`, `mailto:`, `tel:`): letters,
/// then letters, digits, `+`, `-` or `.`, then `:`.
fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else { return false };
    let scheme = &url[..colon];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `/a/b/` for `/a/b/` (a page's URL is a folder) and `/a/` for `/a/b.xml`.
fn folder_of(url: &str) -> &str {
    url.rfind('/').map_or("/", |i| &url[..=i])
}

/// A root-relative path with `.` and `..` resolved (never above the root)
/// and a trailing `/` kept where it names a folder.
fn normalized(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len().saturating_sub(1);
    let mut folder = path.ends_with('/');
    for (i, segment) in segments.into_iter().enumerate() {
        match segment {
            "" => {}
            "." => folder |= i == last,
            ".." => {
                parts.pop();
                folder |= i == last;
            }
            s => parts.push(s),
        }
    }
    let mut out = String::with_capacity(path.len() + 1);
    for part in &parts {
        out.push('/');
        out.push_str(part);
    }
    if folder || parts.is_empty() {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dest(raw: &str) -> Option<Dest> {
        Reference::parse(raw).map(|r| r.dest)
    }

    #[test]
    fn what_leaves_the_site_is_not_a_reference() {
        for raw in [
            "https://x.org/a",
            "mailto:a@b.org",
            "tel:+3212",
            "//cdn.example.org/x.js",
            "\\\\cdn.example.org/x.js",
            "/\\cdn.example.org/x.js",
            "java\tscript:alert(1)",
            "%6Aavascript:alert(1)",
            "",
            "  ",
        ] {
            assert_eq!(dest(raw), None, "{raw:?}");
        }
    }

    #[test]
    fn the_four_kinds_are_told_apart_and_decoded() {
        assert_eq!(dest("@/explainers/x.md#risks"), Some(Dest::Source("explainers/x.md".into())));
        assert_eq!(
            dest("@/explainers/Protecci%C3%B3n%20de%20datos.md"),
            Some(Dest::Source("explainers/Protección de datos.md".into()))
        );
        assert_eq!(dest("/files/my%20report.pdf?v=2"), Some(Dest::Root("/files/my report.pdf".into())));
        assert_eq!(dest("../x/"), Some(Dest::Relative("../x/".into())));
        assert_eq!(dest("diagram.png"), Some(Dest::Relative("diagram.png".into())));
        assert_eq!(dest("#top"), Some(Dest::Here));
        assert_eq!(dest("?q=1"), Some(Dest::Here));
        assert_eq!(Reference::parse("/a/#risk%20one").unwrap().anchor.as_deref(), Some("risk one"));
        assert_eq!(Reference::parse("/a/#").unwrap().anchor, None);
    }

    #[test]
    fn relative_paths_resolve_against_the_page_url() {
        let page = UrlPath::from_segments(["explainers", "first"]);
        let at = |raw: &str| Reference::parse(raw).unwrap().dest.site_path(&page);
        assert_eq!(at("diagram.png").as_deref(), Some("/explainers/first/diagram.png"));
        assert_eq!(at("../diagram.png").as_deref(), Some("/explainers/diagram.png"));
        assert_eq!(at("../second/").as_deref(), Some("/explainers/second/"));
        assert_eq!(at("..").as_deref(), Some("/explainers/"));
        assert_eq!(at("./").as_deref(), Some("/explainers/first/"));
        assert_eq!(at("../../../../x.pdf").as_deref(), Some("/x.pdf"));
        assert_eq!(at("/a/./b/../c").as_deref(), Some("/a/c"));
        assert_eq!(at("/").as_deref(), Some("/"));
        assert_eq!(at("#x"), None);
        assert_eq!(at("@/x.md"), None);
    }

    #[test]
    fn relative_paths_are_read_from_the_folder_of_the_page_file() {
        let beside = |dir: &str, raw: &str| Reference::parse(raw).unwrap().dest.beside(dir);
        assert_eq!(beside("explainers", "diagram.png").as_deref(), Some("explainers/diagram.png"));
        assert_eq!(beside("explainers/first", "../diagram.png").as_deref(), Some("explainers/diagram.png"));
        assert_eq!(beside("a/b", "./c/../d%20e.png").as_deref(), Some("a/b/d e.png"));
        assert_eq!(beside("", "../x.png"), None);
        assert_eq!(beside("a", "/x.png"), None);
        assert_eq!(beside("a", "@/x.png"), None);
    }
}
