//! The build: config, content and templates in, a finished site out.
//!
//! [`run`] is the chain of stages STYLE.md describes. It never stops at the
//! first problem: it renders everything it can, collects every diagnostic,
//! and the caller decides (from the errors) whether the output is kept.

mod calendar;
mod extras;
mod feed;
mod pages;
mod search;

use std::path::Path;
use std::time::{Duration, Instant};

use jiff::civil;

use crate::config::{self, Config};
use crate::content::{self, Content, LoadOptions};
use crate::error::{Diagnostic, Severity};
use crate::output::Sink;
use crate::templates;

/// Choices a build is run with.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub drafts: bool,
    /// The date events are judged against; today in the site's zone if unset.
    pub today: Option<civil::Date>,
    /// Overrides `base_url` from site.toml (for previews and staging hosts).
    pub base_url: Option<String>,
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
    let started = Instant::now();
    let mut report = Report::default();
    let mut config = match config::load(root) {
        Ok(c) => c,
        Err(diags) => {
            report.diagnostics = diags;
            return report;
        }
    };
    if let Some(url) = &options.base_url {
        config.base_url = url.trim_end_matches('/').to_string();
    }
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
    match templates::load(&config) {
        Ok(templates) => {
            let (files, render_diags) = pages::render_all(&config, &content, templates, today, sink);
            report.files = files;
            diags.extend(render_diags);
            stage("render");
            let links = templates::context::Links { config: &config, content: &content, today };
            report.files += search::write_index(&links, sink, &mut diags);
            stage("search");
        }
        Err(template_diags) => diags.extend(template_diags),
    }
    diags.extend(warnings(&config, &content, today));
    if config.checks.warnings_are_errors {
        for d in &mut diags {
            d.severity = Severity::Error;
        }
    }
    drop_later(content);
    crate::error::normalize(&mut diags);
    report.diagnostics = diags;
    report.elapsed = started.elapsed();
    report
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
            let at = doc.text.find("title").unwrap_or(0);
            out.push(Diagnostic::warning(
                Problem::TitleTooLong { len: title, max: config.checks.title_max },
                Location::at(&doc.file, &doc.text, at, 5),
            ));
        }
        let description = doc.meta.description.chars().count();
        if description > config.checks.description_max {
            let at = doc.text.find("description").unwrap_or(0);
            out.push(Diagnostic::warning(
                Problem::DescriptionTooLong { len: description, max: config.checks.description_max },
                Location::at(&doc.file, &doc.text, at, 11),
            ));
        }
    }
    for page in &content.pages {
        if let content::KindData::Explainer(e) = &page.data
            && let Some((due, span)) = &e.review_due
            && *due < today
        {
            let loc = Location::at(&page.doc.file, &page.doc.text, page.doc.front_offset + span.start, span.len());
            out.push(Diagnostic::warning(Problem::ReviewOverdue(due.to_string()), loc));
        }
    }
    out
}
