//! The three kinds of path, and the one place that builds URLs.
//!
//! A [`SourcePath`] names a file under `content/` (`explainers/open-weights.md`),
//! a [`UrlPath`] is where it is served (`/explainers/open-weights/`), and a
//! permalink is the URL path joined to the site's `base_url`. Keeping them
//! apart stops a file path from leaking into a link, or a link into the disk.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

mod base_url;
mod reference;

pub use base_url::BaseUrl;
pub use reference::{Dest, Reference};

/// A file under `content/`, relative to it, always with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SourcePath(String);

impl SourcePath {
    /// From a path relative to `content/`.
    pub fn new(relative: &Path) -> Self {
        let parts: Vec<_> = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect();
        SourcePath(parts.join("/"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The folder part (`explainers` for `explainers/x.md`, `` for `x.md`).
    pub fn dir(&self) -> &str {
        self.0.rsplit_once('/').map_or("", |(d, _)| d)
    }

    /// The file name without `.md`.
    pub fn stem(&self) -> &str {
        let name = self.0.rsplit_once('/').map_or(self.0.as_str(), |(_, f)| f);
        name.strip_suffix(".md").unwrap_or(name)
    }

    /// The path of this file on disk, given the site root.
    pub fn on_disk(&self, content_dir: &Path) -> PathBuf {
        content_dir.join(&self.0)
    }
}

impl fmt::Display for SourcePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A URL path on the site: starts with `/`; pages and sections end with `/`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct UrlPath(String);

impl UrlPath {
    pub fn root() -> Self {
        UrlPath("/".into())
    }

    /// `/a/b/` from the segments `["a", "b"]`.
    pub fn from_segments<'a>(segments: impl IntoIterator<Item = &'a str>) -> Self {
        let mut s = String::from("/");
        for seg in segments.into_iter().filter(|s| !s.is_empty()) {
            s.push_str(seg);
            s.push('/');
        }
        UrlPath(s)
    }

    /// The URL of a folder under `content/` (`explainers/Open Models` is
    /// `/explainers/open-models/`): each folder's name slugged.
    pub fn from_folder(dir: &str) -> Self {
        let slugs: Vec<String> = dir.split('/').map(slugify).collect();
        UrlPath::from_segments(slugs.iter().map(String::as_str))
    }

    /// A URL path as an author wrote it (`/old/page/`, `old/page`), normalised
    /// to start with `/`. Paths naming a file (`/feed.xml`) keep no trailing slash.
    pub fn parse(raw: &str) -> Option<Self> {
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.contains("://") || trimmed.contains(['?', '#', '\\']) {
            return None;
        }
        let segments: Vec<&str> = trimmed.split('/').filter(|s| !s.is_empty()).collect();
        if segments.iter().any(|s| *s == "." || *s == "..") {
            return None;
        }
        let last_is_file = segments.last().is_some_and(|s| s.contains('.'));
        let mut path = UrlPath::from_segments(segments.iter().copied()).0;
        if last_is_file {
            path.pop();
        }
        Some(UrlPath(path))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last segment (`open-weights` for `/explainers/open-weights/`): a
    /// page's slug. Empty for the root.
    pub fn slug(&self) -> &str {
        self.0.trim_end_matches('/').rsplit('/').next().unwrap_or("")
    }

    /// `/events/x/event.ics`: a file `name` inside this page's folder.
    pub fn file(&self, name: &str) -> Self {
        UrlPath(format!("{}/{name}", self.0.trim_end_matches('/')))
    }

    /// `/tools/category/evaluation/`: folders below this one.
    pub fn child<'a>(&self, segments: impl IntoIterator<Item = &'a str>) -> Self {
        let mut path = UrlPath::from_segments(segments).0;
        path.replace_range(..1, &self.0);
        UrlPath(path)
    }

    /// `/explainers/page/2/` for page 2 of `/explainers/`.
    pub fn paginated(&self, n: usize) -> Self {
        if n <= 1 { self.clone() } else { UrlPath(format!("{}page/{n}/", self.0)) }
    }

    /// The output file for this path: `explainers/x/index.html`, or the file itself.
    pub fn output_file(&self) -> PathBuf {
        let rel = self.0.trim_start_matches('/');
        if rel.is_empty() || rel.ends_with('/') {
            PathBuf::from(format!("{rel}index.html"))
        } else {
            PathBuf::from(rel)
        }
    }
}

impl fmt::Display for UrlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A URL-safe slug: lowercase letters and digits (any script), other runs
/// become one `-`, no leading or trailing `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else if c != '\'' && c != '’' {
            dash = true;
        }
    }
    out
}

/// Whether `url` is a link pamphlet lets authors put in front matter:
/// `http`, `https` or `mailto`, with something after the scheme and no spaces.
pub fn is_allowed_url(url: &str) -> bool {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    if let Some(rest) = url.strip_prefix("mailto:") {
        return rest.contains('@') && !rest.starts_with('@');
    }
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let name =
        host.rsplit_once(':').map_or(host, |(h, port)| if port.chars().all(|c| c.is_ascii_digit()) { h } else { host });
    !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || "-.[]:".contains(c))
}

/// The scheme of `url` when a browser would run it as script or open it as
/// a document of the author's making: `javascript`, `vbscript` or `data`.
///
/// The URL is read as a browser reads it: leading spaces and control
/// characters go, every tab and line break goes, case does not count, so
/// `" \tJaVa\nscript:"` is `javascript:`. Percent escapes are decoded too,
/// which a browser would not do in a scheme: refusing a harmless
/// `%6Aavascript:` costs nothing, missing a decoder that does is costly.
/// Entities (`&#106;`) are not decoded: Markdown and TOML hand over text,
/// and every writer escapes `&`. With `image`, a `data:` URL of a raster
/// image (PNG, GIF, JPEG, WebP) is allowed, as an `<img>` cannot run it;
/// SVG is not, as it can hold script.
pub fn script_scheme(url: &str, image: bool) -> Option<&'static str> {
    let decoded = percent_decoded(url);
    let start = decoded.trim_start_matches(|c: char| c <= ' ' || c.is_control() || c.is_whitespace());
    let mut chars = start.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    // Called for every link of every page: the scheme is read into a small
    // buffer, and reading stops at the first character none of the three has.
    let mut name = [0u8; 10];
    let mut len = 0;
    loop {
        match chars.next()? {
            ':' => break,
            c if c.is_ascii_alphabetic() && len < name.len() => {
                name[len] = c.to_ascii_lowercase() as u8;
                len += 1;
            }
            _ => return None,
        }
    }
    match &name[..len] {
        b"javascript" => Some("javascript"),
        b"vbscript" => Some("vbscript"),
        b"data" if image && is_raster_data(chars) => None,
        b"data" => Some("data"),
        _ => None,
    }
}

/// Whether the part of a `data:` URL after the colon declares a raster image.
fn is_raster_data(rest: impl Iterator<Item = char>) -> bool {
    let media: String = rest.take_while(|c| !matches!(c, ';' | ',')).take(16).collect();
    let media = media.trim().to_ascii_lowercase();
    matches!(media.as_str(), "image/png" | "image/gif" | "image/jpeg" | "image/webp")
}

/// `text` with its `%XX` escapes decoded (bytes that are not UTF-8 become U+FFFD).
pub(crate) fn percent_decoded(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('%') {
        return text.into();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).filter(|h| h.iter().all(u8::is_ascii_hexdigit));
        let escaped = hex.and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match escaped {
            Some(b) if bytes[i] == b'%' => {
                out.push(b);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_and_dashed() {
        assert_eq!(slugify("Open weights: what & why?"), "open-weights-what-why");
        assert_eq!(slugify("  --EU AI Act--  "), "eu-ai-act");
        assert_eq!(slugify("Don't panic"), "dont-panic");
        assert_eq!(slugify("Égalité des chances"), "égalité-des-chances");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn url_paths_are_built_in_one_way() {
        assert_eq!(UrlPath::from_segments(["explainers", "open-weights"]).as_str(), "/explainers/open-weights/");
        assert_eq!(UrlPath::from_segments([""]).as_str(), "/");
        assert_eq!(UrlPath::from_folder("explainers/Open Models").as_str(), "/explainers/open-models/");
        assert_eq!(UrlPath::from_folder("").as_str(), "/");
        let p = UrlPath::from_segments(["events"]);
        assert_eq!(p.paginated(1).as_str(), "/events/");
        assert_eq!(p.paginated(3).as_str(), "/events/page/3/");
        assert_eq!(p.output_file(), PathBuf::from("events/index.html"));
        assert_eq!(UrlPath::root().output_file(), PathBuf::from("index.html"));
        assert_eq!(p.child(["x"]).file("event.ics").as_str(), "/events/x/event.ics");
        assert_eq!(p.file("event.ics").output_file(), PathBuf::from("events/event.ics"));
        assert_eq!(UrlPath::root().file("events.ics").as_str(), "/events.ics");
        assert_eq!(UrlPath::root().child(["tools", "status"]).as_str(), "/tools/status/");
        assert_eq!(UrlPath::from_segments(["glossary", "llm"]).slug(), "llm");
        assert_eq!(UrlPath::root().slug(), "");
    }

    #[test]
    fn authored_url_paths_are_normalised_or_refused() {
        assert_eq!(UrlPath::parse("old/page").unwrap().as_str(), "/old/page/");
        assert_eq!(UrlPath::parse("/old.html").unwrap().as_str(), "/old.html");
        assert_eq!(UrlPath::parse("/a/../../etc/"), None);
        assert_eq!(UrlPath::parse("https://x.org/"), None);
        assert_eq!(UrlPath::parse(""), None);
    }

    #[test]
    fn source_paths_know_their_folder_and_stem() {
        let p = SourcePath::new(Path::new("explainers/open-weights.md"));
        assert_eq!((p.dir(), p.stem()), ("explainers", "open-weights"));
        let top = SourcePath::new(Path::new("about.md"));
        assert_eq!((top.dir(), top.stem()), ("", "about"));
    }

    #[test]
    fn only_web_and_mail_links_are_allowed() {
        for ok in ["https://example.org", "http://a.b/c?d#e", "mailto:x@example.org", "https://h:8080/x"] {
            assert!(is_allowed_url(ok), "{ok}");
        }
        for bad in ["javascript:alert(1)", "ftp://x", "https://", "https://a b", "example.org", "mailto:nobody"] {
            assert!(!is_allowed_url(bad), "{bad}");
        }
    }

    #[test]
    fn script_schemes_are_found_however_they_are_disguised() {
        for (url, scheme) in [
            ("javascript:alert(1)", "javascript"),
            ("JaVaScRiPt:alert(1)", "javascript"),
            ("\tjavascript:alert(1)", "javascript"),
            (" \u{1}\u{b}javascript:alert(1)", "javascript"),
            ("java\tscript:alert(1)", "javascript"),
            ("java\r\nscript:alert(1)", "javascript"),
            ("%6Aavascript:alert(1)", "javascript"),
            ("javascript%3Aalert(1)", "javascript"),
            ("\u{a0}javascript:alert(1)", "javascript"),
            ("VBScript:msgbox(1)", "vbscript"),
            ("data:text/html;base64,PHNjcmlwdD4=", "data"),
            ("data:image/svg+xml;base64,PHN2Zz4=", "data"),
            ("DATA:image/svg+xml,<svg onload=alert(1)>", "data"),
        ] {
            assert_eq!(script_scheme(url, false), Some(scheme), "{url:?}");
            assert_eq!(script_scheme(url, true), Some(scheme), "{url:?} as an image");
        }
    }

    #[test]
    fn raster_data_urls_are_images_only_and_other_links_pass() {
        for url in [
            "data:image/png;base64,iVBORw0KGgo=",
            "data:IMAGE/JPEG,x",
            "data:image/webp;base64,UklG",
            "data:image/gif,x",
        ] {
            assert_eq!(script_scheme(url, true), None, "{url}");
            assert_eq!(script_scheme(url, false), Some("data"), "{url}");
        }
        for url in [
            "https://example.org/javascript:x",
            "/javascript/",
            "#javascript:x",
            "mailto:a@b.org",
            "@/explainers/a.md",
            "notjavascript:x",
            "relative/path%zz",
            "",
        ] {
            assert_eq!(script_scheme(url, false), None, "{url:?}");
        }
    }
}
