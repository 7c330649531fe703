//! Placing: parsed files become sections and pages, each with its kind,
//! its section and its URL (a bundle's `index.md` named by its folder, see
//! `content::bundle`), and no URL claimed twice.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::LoadOptions;
use super::parse::{Parsed, doc, parse_file, report};
use crate::config::Config;
use crate::content::kinds::{self, Kind, KindSettings};
use crate::content::{Content, Doc, Meta, Page, Section, SortBy, Target, bundle};
use crate::error::{Diagnostic, Location, Problem, suggest};
use crate::paths::{SourcePath, UrlPath, slugify};

pub(super) fn add_sections(config: &Config, content: &mut Content, docs: Vec<Parsed>, diags: &mut Vec<Diagnostic>) {
    let mut docs = docs;
    docs.sort_by(|a, b| a.source.dir().cmp(b.source.dir()));
    if docs.first().is_none_or(|d| !d.source.dir().is_empty()) {
        content.sections.push(home_placeholder(config));
    }
    for p in docs {
        let mut problems = Vec::new();
        for (key, span) in p.fm.kind_keys_set().into_iter().chain(p.fm.slug.as_ref().map(|s| ("slug", s.span()))) {
            problems.push((
                Problem::KeyNotForKind { key: key.into(), owner: "non-section".into(), kind: "section".into() },
                span,
            ));
        }
        let kind =
            p.fm.kind.as_ref().and_then(|k| Kind::parse(k.get_ref()).map_err(|e| problems.push((e, k.span()))).ok());
        let sort_by =
            p.fm.sort_by.as_ref().map_or(if kind == Some(Kind::Event) { SortBy::Start } else { SortBy::Weight }, |s| {
                sort_by(s.get_ref()).unwrap_or_else(|e| {
                    problems.push((e, s.span()));
                    SortBy::Weight
                })
            });
        let paginate_by = p.fm.paginate_by.as_ref().and_then(|n| match usize::try_from(*n.get_ref()) {
            Ok(n) if n > 0 => Some(n),
            _ => {
                let reason = "must be a whole number above 0".into();
                problems.push((Problem::BadValue { key: "paginate_by".into(), reason }, n.span()));
                None
            }
        });
        let dir = p.source.dir().to_string();
        let doc = doc(p, UrlPath::from_folder(&dir), &mut problems);
        report(&doc, problems, diags);
        content.by_source.insert(doc.source.to_string(), Target::Section(content.sections.len()));
        content.sections.push(Section {
            doc,
            dir,
            kind,
            sort_by,
            paginate_by,
            parent: None,
            pages: vec![],
            subsections: vec![],
        });
    }
    let dirs: HashMap<String, usize> = content.sections.iter().enumerate().map(|(i, s)| (s.dir.clone(), i)).collect();
    for i in 1..content.sections.len() {
        let parent = nearest_section(&dirs, parent_dir(&content.sections[i].dir));
        content.sections[i].parent = Some(parent);
        content.sections[parent].subsections.push(i);
    }
}

/// The home page when `content/_index.md` does not exist.
fn home_placeholder(config: &Config) -> Section {
    let doc = Doc {
        source: SourcePath::new(Path::new("_index.md")),
        file: PathBuf::from("content/_index.md"),
        text: String::new(),
        front_offset: 0,
        body_offset: 0,
        meta: Meta { title: config.title.clone(), description: config.description.clone(), ..Meta::default() },
        url: UrlPath::root(),
        redirect_from: Vec::new(),
        scan: Default::default(),
        shadowed: false,
    };
    Section {
        doc,
        dir: String::new(),
        kind: None,
        sort_by: SortBy::Weight,
        paginate_by: None,
        parent: None,
        pages: vec![],
        subsections: vec![],
    }
}

fn parent_dir(dir: &str) -> &str {
    dir.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The section a folder belongs to: its own, or its nearest ancestor's.
fn nearest_section(dirs: &HashMap<String, usize>, mut dir: &str) -> usize {
    loop {
        if let Some(&i) = dirs.get(dir) {
            return i;
        }
        if dir.is_empty() {
            return 0;
        }
        dir = parent_dir(dir);
    }
}

fn sort_by(name: &str) -> Result<SortBy, Problem> {
    const NAMES: [&str; 4] = ["date", "title", "weight", "start"];
    match name {
        "date" => Ok(SortBy::Date),
        "title" => Ok(SortBy::Title),
        "weight" => Ok(SortBy::Weight),
        "start" => Ok(SortBy::Start),
        other => {
            let hint = suggest(other, NAMES).map(|s| format!(" (did you mean \"{s}\"?)")).unwrap_or_default();
            Err(Problem::BadValue {
                key: "sort_by".into(),
                reason: format!("\"{other}\" is not one of date, title, weight, start{hint}"),
            })
        }
    }
}

pub(super) fn add_pages(config: &Config, content: &mut Content, docs: Vec<Parsed>, diags: &mut Vec<Diagnostic>) {
    let dirs = section_dirs(content);
    // Each page is worked out on its own, in parallel; then they are placed in order.
    let placed: Vec<(Page, Vec<Diagnostic>)> =
        docs.into_par_iter().map(|p| place_page(config, content, &dirs, p)).collect();
    for (page, found) in placed {
        diags.extend(found);
        let index = content.pages.len();
        content.by_source.insert(page.doc.source.to_string(), Target::Page(index));
        content.sections[page.section].pages.push(index);
        content.pages.push(page);
    }
}

fn section_dirs(content: &Content) -> HashMap<String, usize> {
    content.sections.iter().enumerate().map(|(i, s)| (s.dir.clone(), i)).collect()
}

/// Works out a page's section, kind, data and URL from its front matter.
fn place_page(
    config: &Config,
    content: &Content,
    dirs: &HashMap<String, usize>,
    mut p: Parsed,
) -> (Page, Vec<Diagnostic>) {
    let settings = KindSettings {
        timezone_name: &config.timezone_name,
        timezone: &config.timezone,
        categories: &config.catalog.categories,
    };
    let mut problems = Vec::new();
    for (key, span) in p.fm.section_keys_set() {
        problems.push((
            Problem::KeyNotForKind { key: key.into(), owner: "section (`_index.md`)".into(), kind: "page".into() },
            span,
        ));
    }
    let section = nearest_section(dirs, p.source.dir());
    let kind = match &p.fm.kind {
        Some(k) => Kind::parse(k.get_ref()).unwrap_or_else(|e| {
            problems.push((e, k.span()));
            Kind::Page
        }),
        None => inherited_kind(content, section),
    };
    let data = kinds::kind_data(kind, &mut p.fm, &settings, &mut problems);
    let slug = match &p.fm.slug {
        Some(s) if slugify(s.get_ref()).is_empty() => {
            let reason = "must contain letters or digits".into();
            problems.push((Problem::BadValue { key: "slug".into(), reason }, s.span()));
            bundle::default_slug(&p.source)
        }
        Some(s) => slugify(s.get_ref()),
        None => bundle::default_slug(&p.source),
    };
    let url = bundle::page_url(&p.source, &slug);
    let doc = doc(p, url, &mut problems);
    let mut found = Vec::new();
    report(&doc, problems, &mut found);
    (Page { doc, kind, data, section }, found)
}

/// Reads the page at `rel` (under `content/`) again, as it would be placed
/// in `content`, with its first Markdown pass done as page number `index`.
/// `None` when the file is no longer a page of the site (a draft now).
pub fn reload_page(
    config: &Config,
    content: &Content,
    rel: &Path,
    index: usize,
    options: LoadOptions,
) -> Result<Option<Page>, Vec<Diagnostic>> {
    let parsed = parse_file(&config.content_dir(), rel)?;
    if parsed.fm.draft && !options.drafts {
        return Ok(None);
    }
    let (mut page, diags) = place_page(config, content, &section_dirs(content), parsed);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    super::resolve::scan_page(config, content, &mut page, index)?;
    Ok(Some(page))
}

fn inherited_kind(content: &Content, mut section: usize) -> Kind {
    loop {
        let s = &content.sections[section];
        if let Some(kind) = s.kind {
            return kind;
        }
        match s.parent {
            Some(p) => section = p,
            None => return Kind::Page,
        }
    }
}

/// Two sources (pages, sections or redirects) may not claim one URL. The
/// later claimant is reported and not rendered, so the clash is told once.
pub(super) fn check_urls(content: &mut Content, diags: &mut Vec<Diagnostic>) {
    let mut owners: HashMap<UrlPath, PathBuf> = HashMap::new();
    let mut shadowed = Vec::new();
    let mut dropped_redirects = Vec::new();
    let docs: Vec<(Target, &Doc)> = content.docs().collect();
    let claims = docs.iter().map(|(t, d)| (*t, None, &d.url, *d)).chain(
        docs.iter().flat_map(|(t, d)| d.redirect_from.iter().enumerate().map(move |(i, u)| (*t, Some(i), u, *d))),
    );
    for (target, redirect, url, doc) in claims {
        match owners.get(url) {
            Some(first) => {
                let problem = Problem::DuplicateUrl {
                    url_path: url.to_string(),
                    first: first.display().to_string(),
                    second: doc.file.display().to_string(),
                };
                diags.push(Diagnostic::error(problem, Location::file(&doc.file)));
                match redirect {
                    Some(i) => dropped_redirects.push((target, i)),
                    None => shadowed.push(target),
                }
            }
            None => {
                owners.insert(url.clone(), doc.file.clone());
            }
        }
    }
    for target in shadowed {
        content.doc_mut(target).shadowed = true;
    }
    for (target, i) in dropped_redirects.into_iter().rev() {
        content.doc_mut(target).redirect_from.remove(i);
    }
}
