//! Every file a build publishes, known before anything is written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::content::Target;
use crate::error::suggest;
use crate::paths::{Dest, UrlPath};

/// What is published at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// A page's or section's own page: its anchors are known.
    Doc(Target),
    /// Anything else: a generated page, a feed, a copied file.
    File,
}

/// The one collection of what a build publishes, by path relative to the
/// output folder (`explainers/x/index.html`, `files/my report.pdf`: `/`
/// between folders, not percent-encoded), and where each file under
/// `content/` that is not Markdown is published.
#[derive(Debug, Default, Clone)]
pub struct Published {
    files: HashMap<String, Output>,
    /// Files beside pages in `content/`, by source path: their output path.
    assets: HashMap<String, String>,
    /// Files copied from disk, by output path: where they are copied from
    /// (for the sizes of the images pages show).
    disk: HashMap<String, PathBuf>,
    /// Every published URL, sorted, and the suggestion already found for a
    /// missing path: a page may hold the same broken link 90,000 times, and
    /// each search compares it with every URL. Both are cleared when a file
    /// is added.
    urls: OnceLock<Vec<String>>,
    suggestions: Arc<Mutex<HashMap<String, Option<String>>>>,
}

impl Published {
    /// The page at `url`, written for page or section `doc` when there is one.
    pub fn add_url(&mut self, url: &UrlPath, doc: Option<Target>) {
        let output = doc.map_or(Output::File, Output::Doc);
        self.forget_suggestions();
        self.files.insert(key(&url.output_file()), output);
    }

    /// A file at `rel` (relative to the output); it never replaces a page.
    pub fn add_file(&mut self, rel: &Path) {
        self.forget_suggestions();
        self.files.entry(key(rel)).or_insert(Output::File);
    }

    /// The file at `source` under `content/`, published at `rel`.
    pub fn add_asset(&mut self, source: &str, rel: &Path) {
        self.add_file(rel);
        self.assets.insert(source.to_string(), key(rel));
    }

    /// Notes that the file at `rel` (relative to the output) is copied from `from`.
    pub fn add_disk(&mut self, rel: &Path, from: &Path) {
        self.disk.insert(key(rel), from.to_path_buf());
    }

    /// The file on disk that is copied to `path`, a path on the site
    /// (`/explainers/diagram.png`).
    pub fn disk(&self, path: &str) -> Option<&Path> {
        self.disk.get(path.trim_start_matches('/')).map(PathBuf::as_path)
    }

    /// Where the file `source` under `content/` is published, relative to
    /// the output.
    pub fn asset(&self, source: &str) -> Option<&str> {
        self.assets.get(source).map(String::as_str)
    }

    /// Where the file under `content/` that the relative `dest` names when
    /// read from `dir` (the folder of the page's own file) is published,
    /// relative to the output; `None` when no such file is published.
    pub fn beside(&self, dir: &str, dest: &Dest) -> Option<&str> {
        self.asset(&dest.beside(dir)?)
    }

    /// What is at `path`, a path on the site (`/explainers/x/`,
    /// `/files/a.pdf`): a folder is its `index.html`, and a path without a
    /// trailing slash may be a folder too (hosts redirect `/about` to `/about/`).
    pub fn find(&self, path: &str) -> Option<Output> {
        let rel = path.trim_start_matches('/');
        if rel.is_empty() || rel.ends_with('/') {
            return self.files.get(&format!("{rel}index.html")).copied();
        }
        self.files.get(rel).or_else(|| self.files.get(&format!("{rel}/index.html"))).copied()
    }

    /// The published path nearest to `path`, as a path on the site.
    pub fn nearest(&self, path: &str) -> Option<String> {
        let known = self.suggestions.lock().unwrap_or_else(|e| e.into_inner()).get(path).cloned();
        if let Some(found) = known {
            return found;
        }
        let urls = self.urls.get_or_init(|| {
            let mut urls: Vec<String> = self
                .files
                .keys()
                .map(|k| match k.strip_suffix("index.html") {
                    Some(folder) if folder.is_empty() || folder.ends_with('/') => format!("/{folder}"),
                    _ => format!("/{k}"),
                })
                .collect();
            urls.sort();
            urls
        });
        let found = nearest(path, urls.iter().map(String::as_str));
        self.suggestions.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_string(), found.clone());
        found
    }

    /// Clears what [`Published::nearest`] found, when it found anything
    /// (a build adds thousands of files before the first search).
    fn forget_suggestions(&mut self) {
        if self.urls.get().is_some() {
            self.urls = OnceLock::new();
        }
        if !self.suggestions.lock().unwrap_or_else(|e| e.into_inner()).is_empty() {
            self.suggestions = Arc::default();
        }
    }

    /// The file under `content/` nearest to `source`: a page, a section or
    /// another file, among `sources` and the files beside pages.
    pub fn nearest_source<'a>(&'a self, source: &str, sources: impl Iterator<Item = &'a str>) -> Option<String> {
        let key = format!("@/{source}");
        let known = self.suggestions.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned();
        if let Some(found) = known {
            return found;
        }
        let mut all: Vec<&str> = sources.chain(self.assets.keys().map(String::as_str)).collect();
        all.sort_unstable();
        let found = nearest(source, all.into_iter());
        self.suggestions.lock().unwrap_or_else(|e| e.into_inner()).insert(key, found.clone());
        found
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Every published path, relative to the output, in no order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

/// A path relative to the output as a key: `/` between its parts.
fn key(rel: &Path) -> String {
    let text = rel.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' { text.into_owned() } else { text.replace(std::path::MAIN_SEPARATOR, "/") }
}

/// The candidate most like `wanted`: compared whole and by its last part,
/// so that `/explainers/evaluation/` finds `/explainers/evaluations/`
/// rather than any page in the same folder.
fn nearest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    fn last(p: &str) -> &str {
        p.trim_end_matches('/').rsplit('/').next().unwrap_or(p)
    }
    let wanted_last = last(wanted);
    if wanted.len() > crate::error::SUGGEST_MAX {
        return None;
    }
    let close: Vec<&str> = candidates.filter(|c| strsim::jaro_winkler(wanted_last, last(c)) > 0.8).collect();
    suggest(wanted, close)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page holding one broken link 90,000 times searched every published
    /// URL for each (2.5 s for one page in a release build); the search is
    /// now made once a path.
    #[test]
    fn the_same_missing_path_is_looked_up_once() {
        let mut p = Published::default();
        for i in 0..2_000 {
            p.add_url(&UrlPath::from_segments(["explainers", &format!("page-{i}")]), Some(Target::Page(i)));
        }
        let start = std::time::Instant::now();
        for _ in 0..50_000 {
            assert_eq!(p.nearest("/explainers/page-7x/"), Some("/explainers/page-7/".to_string()));
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "took {:?}", start.elapsed());
        p.add_file(Path::new("explainers/page-7x/index.html"));
        assert!(p.urls.get().is_none() && p.suggestions.lock().unwrap().is_empty(), "a new file is looked up again");
    }

    fn site() -> Published {
        let mut p = Published::default();
        p.add_url(&UrlPath::root(), Some(Target::Section(0)));
        p.add_url(&UrlPath::from_segments(["explainers", "evaluations"]), Some(Target::Page(0)));
        p.add_url(&UrlPath::from_segments(["explainers", "open-weights"]), Some(Target::Page(1)));
        p.add_file(Path::new("files/my report.pdf"));
        p.add_asset("explainers/diagram.png", Path::new("explainers/diagram.png"));
        p
    }

    #[test]
    fn paths_on_the_site_find_their_files() {
        let p = site();
        assert_eq!(p.find("/"), Some(Output::Doc(Target::Section(0))));
        assert_eq!(p.find("/explainers/evaluations/"), Some(Output::Doc(Target::Page(0))));
        assert_eq!(p.find("/explainers/evaluations"), Some(Output::Doc(Target::Page(0))));
        assert_eq!(p.find("/files/my report.pdf"), Some(Output::File));
        assert_eq!(p.find("/explainers/diagram.png"), Some(Output::File));
        assert_eq!(p.find("/explainers/"), None);
        assert_eq!(p.find("/files/my report.pdf/"), None);
        assert_eq!(p.asset("explainers/diagram.png"), Some("explainers/diagram.png"));
    }

    #[test]
    fn the_nearest_path_is_suggested() {
        let p = site();
        assert_eq!(p.nearest("/explainers/evaluation/").as_deref(), Some("/explainers/evaluations/"));
        assert_eq!(p.nearest("/files/my-report.pdf").as_deref(), Some("/files/my report.pdf"));
        assert_eq!(p.nearest("/explainers/diagram.svg").as_deref(), Some("/explainers/diagram.png"));
        assert_eq!(p.nearest("/elsewhere/zzz/"), None);
        let sources = ["explainers/evaluations.md", "explainers/_index.md"];
        assert_eq!(
            p.nearest_source("explainers/evaluation.md", sources.into_iter()).as_deref(),
            Some("explainers/evaluations.md")
        );
        assert_eq!(
            p.nearest_source("explainers/diagram.jpg", sources.into_iter()).as_deref(),
            Some("explainers/diagram.png")
        );
    }
}
