//! A build that lives on: `serve` keeps one, and after an edit rebuilds only
//! what the edit affects.
//!
//! Each changed path is judged by whether it exists now and whether the last
//! build read it. An edit to a page re-renders that page and what shows it
//! (see `incremental`); a template edit re-renders what uses that template,
//! from the bodies kept in memory; an asset edit copies one file (to
//! beside its bundle's page, for a file in a bundle). Anything else
//! (site.toml, a file added, removed or renamed, a section's `_index.md`,
//! an image that pages show at another size now) rebuilds the whole site. A failed rebuild changes nothing:
//! the last good state stays, and the files that failed are tried again
//! with every later change, so a site is never called good while one is
//! still broken.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::deps::Deps;
use super::edit::Edit;
use super::incremental;
use super::state::State;
use crate::config::ThemeSource;
use crate::content::Target;
use crate::error::{Diagnostic, Location};
use crate::output::{MemorySink, Sink};
use crate::render::{BuildOptions, Report};

/// What a rebuild made.
#[derive(Debug, Default)]
pub struct Rebuild {
    pub report: Report,
    /// Files written, relative to the output root.
    pub files: HashMap<PathBuf, Vec<u8>>,
    /// Whether `files` is the whole site (which replaces the last one) or
    /// only what changed.
    pub whole: bool,
}

/// The site at `root`, built, and ready to be rebuilt in part.
pub struct Session {
    root: PathBuf,
    options: BuildOptions,
    /// The last good build, when there is one to build on.
    state: Option<State>,
    /// Sources whose last edit failed: tried again with every change.
    failing: BTreeSet<PathBuf>,
    /// Files rendered by a rebuild that failed elsewhere, to be served with
    /// the next good one.
    pending: HashMap<PathBuf, Vec<u8>>,
}

/// What one changed path asks for.
#[derive(Debug, PartialEq, Eq)]
enum Change {
    Whole,
    Page(usize, PathBuf),
    /// A section's `_index.md`: its number and path under `content/`.
    Section(usize, PathBuf),
    Template(String),
    /// A file copied as it is: from, to (relative to the output).
    Copy(PathBuf, PathBuf),
    Nothing,
}

impl Session {
    pub fn new(root: &Path, options: BuildOptions) -> Self {
        Session { root: root.to_path_buf(), options, state: None, failing: BTreeSet::new(), pending: HashMap::new() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Builds the whole site.
    pub fn full(&mut self) -> Rebuild {
        let sink = MemorySink::default();
        let (report, parts) = crate::render::run_keeping(&self.root, &self.options, &sink);
        self.failing.clear();
        self.pending.clear();
        if report.has_errors() {
            self.state = None;
            return Rebuild { report, files: HashMap::new(), whole: true };
        }
        self.state = parts.map(|parts| State {
            deps: Deps::new(&parts),
            parts,
            stale: false,
            deferred: None,
            search_stale: false,
        });
        Rebuild { report, files: sink.into_files(), whole: true }
    }

    /// Rebuilds after changes to `paths` (absolute paths of sources).
    pub fn apply(&mut self, paths: &BTreeSet<PathBuf>) -> Rebuild {
        let rebuild = self.apply_first(paths, &|_| false);
        match self.finish() {
            Some(rest) if rest.report.has_errors() => rest,
            Some(rest) => Rebuild { files: rebuild.files.into_iter().chain(rest.files).collect(), ..rebuild },
            None => rebuild,
        }
    }

    /// Files a rebuild left for [`Session::finish`], relative to the output.
    pub fn deferred(&self) -> Vec<String> {
        match &self.state {
            Some(State { deferred: Some(targets), parts, .. }) => super::targets::outputs(parts, targets),
            _ => Vec::new(),
        }
    }

    /// Renders what the last rebuild left for later, if anything.
    pub fn finish(&mut self) -> Option<Rebuild> {
        let started = Instant::now();
        let state = self.state.as_mut().filter(|s| s.deferred.is_some() || s.search_stale)?;
        let sink = MemorySink::default();
        let diags = incremental::finish(state, &sink);
        Some(in_part(state, started, diags, sink.into_files()))
    }

    /// Rebuilds after changes to `paths`, rendering first the pages whose
    /// output file `first` picks (those open in a browser) when a template
    /// changed; the rest waits for [`Session::finish`].
    pub fn apply_first(&mut self, paths: &BTreeSet<PathBuf>, first: &dyn Fn(&str) -> bool) -> Rebuild {
        let started = Instant::now();
        let Some(state) = self.state.as_ref().filter(|s| !s.stale) else {
            return self.full();
        };
        let mut all: BTreeSet<PathBuf> = paths.clone();
        all.extend(self.failing.iter().cloned());
        let changes: Vec<Change> = all.iter().map(|p| self.classify(state, p)).collect();
        if changes.contains(&Change::Whole) {
            return self.full();
        }
        let Some(state) = &mut self.state else {
            return self.full();
        };
        let sink = MemorySink::default();
        let mut diags = Vec::new();
        let mut failing = BTreeSet::new();
        for change in changes {
            if std::env::var_os("PAMPHLET_TIMINGS").is_some() {
                eprintln!("[{:>7.1} ms] {change:?}", started.elapsed().as_secs_f64() * 1e3);
            }
            let outcome = match change {
                Change::Page(i, rel) => incremental::page_edit(state, &self.options, i, &rel, &sink),
                Change::Section(s, rel) => incremental::section_edit(state, s, &rel, &sink),
                Change::Template(name) => incremental::template_edit(state, &name, first, &sink),
                Change::Copy(from, to) => match sink.copy(&from, &to) {
                    Ok(()) => {
                        state.parts.add_static(&from, &to);
                        Ok(Edit::Done)
                    }
                    Err(p) => Err(vec![Diagnostic::error(p, Location::file(&from))]),
                },
                Change::Whole | Change::Nothing => Ok(Edit::Done),
            };
            match outcome {
                Ok(Edit::Done) => {}
                Ok(Edit::Whole) => return self.full(),
                Err(found) => {
                    failing.extend(found.iter().filter_map(|d| d.location.as_ref()).map(|l| self.root.join(&l.file)));
                    diags.extend(found);
                }
            }
        }
        self.failing = failing;
        let mut files = std::mem::take(&mut self.pending);
        files.extend(sink.into_files());
        if diags.iter().any(Diagnostic::is_error) {
            self.pending = files;
            return in_part(state, started, diags, HashMap::new());
        }
        in_part(state, started, diags, files)
    }

    /// What a change to `path` asks for, judged against the last build.
    fn classify(&self, state: &State, path: &Path) -> Change {
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return Change::Nothing;
        };
        let exists = path.is_file();
        let content = &state.parts.content;
        if let Ok(under) = rel.strip_prefix("content") {
            let source = under.to_string_lossy().replace('\\', "/");
            if path.is_dir() {
                return if state.deps.knows_folder(rel) { Change::Nothing } else { Change::Whole };
            }
            if under.extension().is_some_and(|e| e == "md") {
                return match (exists, content.by_source.get(&source)) {
                    (true, Some(Target::Page(i))) => Change::Page(*i, under.to_path_buf()),
                    (true, Some(Target::Section(s))) => Change::Section(*s, under.to_path_buf()),
                    (false, None) => Change::Nothing,
                    // A new page or section, or one that is gone.
                    _ => Change::Whole,
                };
            }
            // A file beside a bundle's page goes where the page is; a new
            // one may be the first a page names, or belong to a bundle.
            let from = state.parts.config.content_dir().join(under);
            return match (exists, content.assets.iter().find(|a| a.from == from)) {
                (true, Some(asset)) if !resized(state, &from) => Change::Copy(from, asset.to.clone()),
                (false, None) => Change::Nothing,
                _ => Change::Whole,
            };
        }
        if let Some(name) = self.template_name(state, rel) {
            return match (exists, state.parts.templates.has(&name)) {
                (true, true) => Change::Template(name),
                (false, false) => Change::Nothing,
                _ => Change::Whole,
            };
        }
        if let Some(to) = self.static_target(state, rel) {
            let new_image = !state.deps.knows_file(rel) && crate::images::is_measured(rel);
            return match (exists, state.deps.knows_file(rel)) {
                (true, _) if new_image || resized(state, path) => Change::Whole,
                (true, _) => to,
                (false, false) => Change::Nothing,
                (false, true) => Change::Whole,
            };
        }
        if path.is_dir() && state.deps.knows_folder(rel) {
            return Change::Nothing;
        }
        Change::Whole
    }

    /// The template name of a file under the site's or the theme's `templates/`.
    fn template_name(&self, state: &State, rel: &Path) -> Option<String> {
        let under = rel.strip_prefix("templates").ok().or_else(|| match &state.parts.config.theme {
            ThemeSource::Dir(dir) => {
                let theme = dir.strip_prefix(&self.root).unwrap_or(dir);
                rel.strip_prefix(theme.join("templates")).ok()
            }
            ThemeSource::Builtin => None,
        })?;
        let name = under.to_string_lossy().replace('\\', "/");
        (name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".txt")).then_some(name)
    }

    /// A file under `assets/` or the theme's `static/`: the copy it asks for.
    fn static_target(&self, state: &State, rel: &Path) -> Option<Change> {
        let from = self.root.join(rel);
        if let Ok(under) = rel.strip_prefix("assets") {
            return Some(Change::Copy(from, under.to_path_buf()));
        }
        let ThemeSource::Dir(dir) = &state.parts.config.theme else {
            return None;
        };
        let theme = dir.strip_prefix(&self.root).unwrap_or(dir);
        let under = rel.strip_prefix(theme.join("static")).ok()?;
        // A site file of the same name replaces the theme's: nothing to copy.
        let overridden =
            self.root.join("assets").join(under).is_file() || state.parts.content.assets.iter().any(|a| a.to == under);
        Some(if overridden { Change::Nothing } else { Change::Copy(from, under.to_path_buf()) })
    }
}

/// Whether the image at `path`, which changed, has another size (or none
/// now) than the last build wrote on the pages that show it: they are
/// written again, with every other, as they may be many.
fn resized(state: &State, path: &Path) -> bool {
    let before = state.parts.prepared.images.known(path);
    before.is_some_and(|before| crate::images::measure(path) != before)
}

/// A rebuild in part: the files it wrote and the problems it found.
fn in_part(state: &State, started: Instant, mut diags: Vec<Diagnostic>, files: HashMap<PathBuf, Vec<u8>>) -> Rebuild {
    crate::error::normalize(&mut diags);
    let report = Report {
        pages: state.parts.content.pages.len(),
        sections: state.parts.content.sections.len(),
        files: files.len(),
        elapsed: started.elapsed(),
        diagnostics: diags,
    };
    Rebuild { report, files, whole: false }
}
