//! The site's base URL, parsed once.
//!
//! `base_url` (or `--base-url`) is read when config loads into a
//! [`BaseUrl`] that knows its origin (`https://preview.example.net`) and its
//! path (`/pr-42`, empty for a site at a domain's root). Every URL the
//! build writes is made from it here, so no stage trims or splits the text
//! again: a site deployed under a path gets that path on every link, the
//! root-relative ones authors write (`/files/report.pdf`) included.

use std::fmt;

use super::{UrlPath, is_allowed_url};

/// An `http` or `https` URL without query or fragment, kept without its
/// trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    full: String,
    /// Where the path begins in `full` (its length when there is none).
    path_at: usize,
}

impl BaseUrl {
    /// Parses `raw`, or says why it is not a base URL.
    pub fn parse(raw: &str) -> Result<BaseUrl, String> {
        let trimmed = raw.trim_end_matches('/');
        let after_scheme = trimmed.strip_prefix("https://").or_else(|| trimmed.strip_prefix("http://"));
        let Some(rest) = after_scheme.filter(|_| is_allowed_url(raw)) else {
            return Err("must be an http or https URL, like \"https://example.org\"".into());
        };
        if rest.contains(['?', '#']) {
            return Err("must not have a query (`?`) or fragment (`#`)".into());
        }
        let path_at = trimmed.len() - rest.len() + rest.find('/').unwrap_or(rest.len());
        let path = &trimmed[path_at..];
        if path.split('/').any(|s| s == "." || s == "..") || path.contains("//") {
            return Err("its path must not hold `.`, `..` or empty parts".into());
        }
        Ok(BaseUrl { full: trimmed.to_string(), path_at })
    }

    /// The whole base URL, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.full
    }

    /// `https://example.org`: scheme, host and port.
    pub fn origin(&self) -> &str {
        &self.full[..self.path_at]
    }

    /// `example.org` (with its port, if any).
    pub fn host(&self) -> &str {
        let origin = self.origin();
        origin.split_once("://").map_or(origin, |(_, host)| host)
    }

    /// `/pr-42`, or empty for a site at a domain's root.
    pub fn path(&self) -> &str {
        &self.full[self.path_at..]
    }

    /// The path a page is served at, with the base's path in front:
    /// `/pr-42/explainers/x/`.
    pub fn path_of(&self, url: &UrlPath) -> String {
        self.prefixed(self.path(), url.as_str())
    }

    /// The absolute URL of a path on the site.
    pub fn permalink(&self, url: &UrlPath) -> String {
        self.prefixed(&self.full, url.as_str())
    }

    /// A root-relative URL an author wrote (`/files/report.pdf`, maybe with
    /// a query or fragment), served under the base's path.
    pub fn local(&self, root_relative: &str) -> String {
        self.prefixed(self.path(), root_relative)
    }

    /// A root-relative URL (`/css/site.css`) as an absolute one.
    pub fn absolute(&self, root_relative: &str) -> String {
        self.prefixed(&self.full, root_relative)
    }

    fn prefixed(&self, base: &str, rest: &str) -> String {
        let mut out = String::with_capacity(base.len() + rest.len());
        out.push_str(base);
        out.push_str(rest);
        out
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.full)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_and_path_are_parsed_once() {
        let b = BaseUrl::parse("https://preview.example.net/pr-42/").unwrap();
        assert_eq!(b.as_str(), "https://preview.example.net/pr-42");
        assert_eq!(b.origin(), "https://preview.example.net");
        assert_eq!(b.host(), "preview.example.net");
        assert_eq!(b.path(), "/pr-42");
        let page = UrlPath::from_segments(["explainers", "x"]);
        assert_eq!(b.path_of(&page), "/pr-42/explainers/x/");
        assert_eq!(b.permalink(&page), "https://preview.example.net/pr-42/explainers/x/");
        assert_eq!(b.local("/files/a.pdf#p2"), "/pr-42/files/a.pdf#p2");
        assert_eq!(b.absolute("/css/site.css"), "https://preview.example.net/pr-42/css/site.css");

        let root = BaseUrl::parse("http://127.0.0.1:1111").unwrap();
        assert_eq!((root.path(), root.host()), ("", "127.0.0.1:1111"));
        assert_eq!(root.path_of(&UrlPath::root()), "/");
    }

    #[test]
    fn what_is_not_a_base_url_says_why() {
        for bad in ["example.org", "ftp://x.org", "https://", "https://x.org/a?b", "https://x.org/../a", "javascript:x"]
        {
            assert!(BaseUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
