//! The build: config, content and templates in, a finished site out.
//!
//! [`run`] is the chain of stages STYLE.md describes. It never stops at the
//! first problem: it renders everything it can, collects every diagnostic,
//! and the caller decides (from the errors) whether the output is kept.

mod calendar;
pub(crate) mod extras;
mod feed;
pub(crate) mod pages;
mod published;
mod resolver;
pub(crate) mod search;

use std::path::Path;
use std::time::{Duration, Instant};

use jiff::civil;

use crate::config::{self, Config};
use crate::content::{self, Content, LoadOptions};
use crate::error::{Diagnostic, Severity};
use crate::output::Sink;
use crate::paths::SourcePath;
use crate::templates;

pub use published::published;

/// Choices a build is run with.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub drafts: bool,
    /// The date events are judged against; today in the site's zone if unset.
    pub today: Option<civil::Date>,
    /// Overrides `base_url` from site.toml (for previews and staging hosts).
    pub base_url: Option<crate::paths::BaseUrl>,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct Report {
    pub pages: usize,
    pub sections: usize,
    pub files: usize,
    pub elapsed: Duration,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads the site at `root` and renders it into `sink`.
pub fn run(root: &Path, options: &BuildOptions, sink: &dyn Sink) -> Report {
    let (report, site) = build(root, options, sink, false);
    if let Some(site) = site {
        drop_later(site);
    }
    report
}

/// [`run`], also giving back the site as loaded and the rendered bodies of
/// its pages, for a live build ([`crate::live`]) to rebuild in part later.
/// No site comes back when config or templates could not be loaded.
pub fn run_keeping(root: &Path, options: &BuildOptions, sink: &dyn Sink) -> (Report, Option<BuiltSite>) {
    build(root, options, sink, true)
}

/// A build's loaded site and rendering state, kept by a [`Session`].
pub struct BuiltSite {
    pub config: Config,
    pub content: Content,
    pub templates: templates::Templates,
    pub prepared: pages::Prepared,
    pub bodies: pages::Bodies,
    pub highlighter: crate::markdown::Highlighter,
    pub today: civil::Date,
    /// What the build publishes, links are checked against.
    pub published: crate::links::Published,
    /// The files it copies as they are.
    pub statics: Vec<extras::StaticFile>,
}

impl BuiltSite {
    /// The site view of this build, for rendering parts of it again.
    pub fn site(&self) -> templates::Site<'_> {
        templates::Site::new(&self.config, &self.content, self.today)
    }

    /// Notes a file copied into the site since it was built (one new in
    /// `assets/` or beside pages in `content/`), so links to it are found.
    pub fn add_static(&mut self, from: &Path, to: &Path) {
        if self.statics.iter().any(|f| f.to == to) {
            return;
        }
        let source = from.strip_prefix(self.config.content_dir()).ok().map(|s| SourcePath::new(s).to_string());
        match &source {
            Some(source) => self.published.add_asset(source, to),
            None => self.published.add_file(to),
        }
        self.published.add_disk(to, from);
        let from = extras::StaticSource::Disk(from.to_path_buf());
        self.statics.push(extras::StaticFile { from, to: to.to_path_buf(), source });
    }
}

/// The build; with `keep`, also what it loaded and the rendered bodies,
/// for rebuilding in part later. No parts come back when config or
/// templates could not be loaded.
fn build(root: &Path, options: &BuildOptions, sink: &dyn Sink, keep: bool) -> (Report, Option<BuiltSite>) {
    let started = Instant::now();
    let mut report = Report::default();
    let config = match config::load(root, options.base_url.as_ref()) {
        Ok(c) => c,
        Err(diags) => {
            report.diagnostics = diags;
            return (report, None);
        }
    };
    let timings = std::env::var_os("PAMPHLET_TIMINGS").is_some();
    let stage = |name: &str| {
        if timings {
            eprintln!("[{:>7.1} ms] {name}", started.elapsed().as_secs_f64() * 1000.0);
        }
    };
    stage("config");
    let (content, mut diags) = content::load(&config, LoadOptions { drafts: options.drafts });
    stage("content");
    report.pages = content.pages.len();
    report.sections = content.sections.len();
    let today = options.today.unwrap_or_else(|| today_in(&config));
    let mut kept = None;
    let site = templates::Site::new(&config, &content, today);
    let statics = extras::static_files(&site, &mut diags);
    let loaded = templates::load(&config);
    let published = published::published(&site, loaded.as_ref().ok(), &statics);
    diags.extend(crate::links::check(&content, &published));
    stage("links");
    match loaded {
        Ok(templates) => {
            let outputs = (&published, statics.as_slice());
            let (files, parts) = render_with(site, templates, outputs, sink, keep, &mut diags, &stage);
            report.files = files;
            kept = Some(parts);
        }
        Err(template_diags) => diags.extend(template_diags),
    }
    diags.extend(warnings(&config, &content, today));
    if config.checks.warnings_are_errors {
        for d in &mut diags {
            d.severity = Severity::Error;
        }
    }
    crate::error::normalize(&mut diags);
    report.diagnostics = diags;
    report.elapsed = started.elapsed();
    let parts = kept.map(|(templates, prepared, bodies, highlighter)| BuiltSite {
        config,
        content,
        templates,
        prepared,
        bodies,
        highlighter,
        today,
        published,
        statics,
    });
    (report, parts)
}

/// What rendering leaves for a live build to keep.
type Kept = (templates::Templates, pages::Prepared, pages::Bodies, crate::markdown::Highlighter);

/// Renders `site` with `templates` into `sink`, and the search index beside
/// it; copies the static files. Returns how many files were written.
fn render_with(
    site: templates::Site,
    templates: templates::Templates,
    (published, statics): (&crate::links::Published, &[extras::StaticFile]),
    sink: &dyn Sink,
    keep: bool,
    diags: &mut Vec<Diagnostic>,
    stage: &dyn Fn(&str),
) -> (usize, Kept) {
    let prepared = pages::prepare(&site, &templates);
    stage("prepare");
    let highlighter = crate::markdown::Highlighter::default();
    let r =
        pages::Render { site, templates: &templates, prepared: &prepared, highlighter: &highlighter, sink, published };
    // The search index needs only the content: it is made while the pages
    // render, filling the time render leaves a core idle.
    let mut index_diags = Vec::new();
    let ((files, render_diags, bodies), indexed) =
        rayon::join(|| pages::render_all(&r, statics, keep), || search::write_index(&site, sink, &mut index_diags));
    diags.extend(render_diags);
    diags.extend(index_diags);
    stage("render and search index");
    (files + indexed, (templates, prepared, bodies, highlighter))
}

/// Frees a large value on another thread. Taking a site of ten thousand
/// pages apart costs as much as a tenth of a build; nobody waits for it.
fn drop_later<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

fn today_in(config: &Config) -> civil::Date {
    jiff::ZonedDateTime::now().with_time_zone(config.timezone.clone()).date()
}

/// Findings that do not stop a build: long titles and descriptions,
/// explainers past their review date.
fn warnings(config: &Config, content: &Content, today: civil::Date) -> Vec<Diagnostic> {
    use crate::error::{Location, Problem};
    let mut out = Vec::new();
    for (_, doc) in content.docs() {
        if doc.text.is_empty() {
            continue;
        }
        let title = doc.meta.title.chars().count();
        if title > config.checks.title_max {
            out.push(Diagnostic::warning(
                Problem::TitleTooLong { len: title, max: config.checks.title_max },
                doc.locate_front(&doc.meta.spans.title),
            ));
        }
        let description = doc.meta.description.chars().count();
        if description > config.checks.description_max {
            let at =
                doc.meta.spans.description.as_ref().map_or_else(|| Location::file(&doc.file), |s| doc.locate_front(s));
            out.push(Diagnostic::warning(
                Problem::DescriptionTooLong { len: description, max: config.checks.description_max },
                at,
            ));
        }
    }
    for page in &content.pages {
        if let content::KindData::Explainer(e) = &page.data
            && let Some((due, span)) = &e.review_due
            && *due < today
        {
            let loc = page.doc.locate_front(span);
            out.push(Diagnostic::warning(Problem::ReviewOverdue(due.to_string()), loc));
        }
    }
    out
}
