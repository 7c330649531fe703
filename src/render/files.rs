//! The files a build publishes besides its pages (those under `content/`
//! that are not Markdown, and those in `assets/`), and what a page's
//! reference to one of them names.
//!
//! Authors name a file by where it sits on disk, as their editor's preview
//! and every Markdown viewer do: `![Chart](chart.png)` in
//! `explainers/open-weights/index.md` is `content/explainers/open-weights/chart.png`,
//! and `![Diagram](diagram.png)` in the plain page `explainers/first.md` is
//! `content/explainers/diagram.png`. Such a reference is written as the
//! URL the file is published at, with the base URL's path
//! (`/explainers/diagram.png`), so it leads there from the page, from every
//! page of a paginated section and from a feed alike. A relative URL that
//! names no file beside the page is read as a URL, from the page's own
//! address, and written as it is; so is a root-relative one
//! (`/img/logo.png`, a file of `assets/`). `@/explainers/open-weights/chart.png`
//! names a file under `content/` as `@/` names a page, and must exist.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::{Content, Doc};
use crate::paths::BaseUrl;

/// Where each file besides the pages comes from and where it goes.
#[derive(Debug, Default)]
pub struct PublishedFiles {
    /// Files under `content/`, by their path there: their path in the output.
    by_source: HashMap<String, String>,
    /// Every such file by its path in the output: the file on disk.
    by_output: HashMap<String, PathBuf>,
}

/// What a URL written in a page names.
#[derive(Debug, PartialEq, Eq)]
pub enum Named<'f> {
    /// A file of the site, and the URL to write instead, when the one
    /// written does not lead there.
    File { disk: &'f Path, href: Option<String> },
    /// Something else: a remote URL, an anchor, a page, a file not published.
    Other,
    /// An `@/` path that names no file under `content/`.
    Missing,
}

/// `/`-separated, whatever the platform writes.
fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

impl PublishedFiles {
    pub fn new(config: &Config, content: &Content) -> PublishedFiles {
        let mut files = PublishedFiles::default();
        let assets = config.root.join("assets");
        // What is refused there is reported by the copy (`extras::copy_static`).
        for rel in crate::walk::files(&config.root, &assets, &mut Vec::new()) {
            files.by_output.insert(slashed(&rel), assets.join(rel));
        }
        let content_dir = config.content_dir();
        for asset in &content.assets {
            let to = slashed(&asset.to);
            if let Ok(rel) = asset.from.strip_prefix(&content_dir) {
                files.by_source.insert(slashed(rel), to.clone());
            }
            files.by_output.insert(to, asset.from.clone());
        }
        files
    }

    /// What `dest`, written in `doc`, names.
    pub fn name(&self, doc: &Doc, dest: &str, base: &BaseUrl) -> Named<'_> {
        let at = dest.find(['?', '#']).unwrap_or(dest.len());
        let (path, suffix) = dest.split_at(at);
        let path = crate::paths::percent_decoded(path);
        let published = |source: &str| {
            let to = self.by_source.get(source)?;
            let href = format!("{}{suffix}", base.local(&format!("/{to}")));
            Some(Named::File { disk: self.by_output.get(to)?, href: Some(href) })
        };
        if let Some(source) = path.strip_prefix("@/") {
            return published(source.trim_start_matches('/')).unwrap_or(Named::Missing);
        }
        if path.is_empty() || path.starts_with("//") || has_scheme(&path) {
            return Named::Other;
        }
        let as_written = |to: Option<&str>| match to.and_then(|to| self.by_output.get(to)) {
            Some(disk) => Named::File { disk, href: None },
            None => Named::Other,
        };
        if let Some(rooted) = path.strip_prefix('/') {
            // `/img/x.png`, or with the base URL's path: `/hub/img/x.png`.
            let under_base = || rooted.strip_prefix(base.path().strip_prefix('/')?)?.strip_prefix('/');
            let to = if self.by_output.contains_key(rooted) { Some(rooted) } else { under_base() };
            return as_written(to);
        }
        joined(doc.source.dir(), &path)
            .and_then(|source| published(&source))
            .unwrap_or_else(|| as_written(joined(doc.url.as_str(), &path).as_deref()))
    }
}

/// Whether `url` starts with a scheme (`https:`, `mailto:`, `data:`).
fn has_scheme(url: &str) -> bool {
    let name = url.split(':').next().unwrap_or("");
    name.len() < url.len()
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// `rel` read from the folder `dir` (both `/`-separated), with `.` and `..`
/// worked out; `None` when it climbs above the top.
fn joined(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for segment in rel.split('/') {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_read_from_their_folder() {
        assert_eq!(joined("explainers", "diagram.png").as_deref(), Some("explainers/diagram.png"));
        assert_eq!(joined("/explainers/first/", "../diagram.png").as_deref(), Some("explainers/diagram.png"));
        assert_eq!(joined("a/b", "./c/../d.png").as_deref(), Some("a/b/d.png"));
        assert_eq!(joined("", "../x.png"), None);
    }

    #[test]
    fn schemes_are_told_from_paths() {
        for url in ["https://x.org/a.png", "data:image/png;base64,x", "mailto:a@b", "C+x.y-z:1"] {
            assert!(has_scheme(url), "{url}");
        }
        for url in ["a.png", "a/b:c.png", "./x:y.png", ":x", "1a:b"] {
            assert!(!has_scheme(url), "{url}");
        }
    }
}
