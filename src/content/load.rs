//! Walking `content/` and assembling pages and sections.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::frontmatter::{FrontMatter, split};
use super::kinds::{self, Kind, KindSettings};
use super::{Content, Doc, Glossary, Meta, MetaSpans, Page, Section, SortBy, Target, bundle};
use crate::config::Config;
use crate::error::{Diagnostic, Location, Problem, suggest};
use crate::markdown;
use crate::paths::{SourcePath, UrlPath, slugify};
use crate::source::decode;
use toml::Spanned;

/// Choices that change what is loaded.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    pub drafts: bool,
}

/// A file read and its front matter parsed, not yet placed in the site.
struct Parsed {
    source: SourcePath,
    file: PathBuf,
    text: String,
    front_offset: usize,
    body_offset: usize,
    /// Boxed: front matter is large, and a site's worth of it is moved around.
    fm: Box<FrontMatter>,
}

/// Reads the whole content tree. Problems are reported, and the files they
/// are in left out, so one run shows every problem in the site.
pub fn load(config: &Config, options: LoadOptions) -> (Content, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let content_dir = config.content_dir();
    let (markdown, assets) = walk(&config.root, &content_dir, &mut diags);

    let results: Vec<Result<Parsed, Vec<Diagnostic>>> =
        markdown.par_iter().map(|rel| parse_file(&content_dir, rel)).collect();
    let mut parsed = Vec::new();
    for r in results {
        match r {
            Ok(p) => parsed.push(p),
            Err(d) => diags.extend(d),
        }
    }
    if !options.drafts {
        let draft_dirs: Vec<String> = parsed
            .iter()
            .filter(|p| p.fm.draft && p.source.stem() == "_index")
            .map(|p| p.source.dir().to_string())
            .collect();
        parsed.retain(|p| !p.fm.draft && !draft_dirs.iter().any(|d| !d.is_empty() && within(p.source.dir(), d)));
    }

    let mut content = Content::default();
    let (section_docs, page_docs): (Vec<_>, Vec<_>) = parsed.into_iter().partition(|p| p.source.stem() == "_index");
    add_sections(config, &mut content, section_docs, &mut diags);
    add_pages(config, &mut content, page_docs, &mut diags);
    content.assets = bundle::place_assets(&content, &content_dir, &markdown, assets, &mut diags);
    check_urls(&mut content, &mut diags);
    content.glossary = Glossary::build(&content, &mut diags);
    scan_bodies(config, &mut content, &mut diags);
    content.related = super::related::related_explainers(&content);
    content.find_backlinks();
    sort_sections(&mut content);
    (content, diags)
}

fn within(dir: &str, ancestor: &str) -> bool {
    dir == ancestor || dir.starts_with(&format!("{ancestor}/"))
}

/// Lists Markdown files (less those `bundle` refuses) and other files under
/// `content/`, relative to it (links followed only inside the site: [`crate::source`]).
fn walk(root: &Path, content_dir: &Path, diags: &mut Vec<Diagnostic>) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (markdown, files): (Vec<PathBuf>, Vec<PathBuf>) = crate::source::files(root, content_dir, diags)
        .into_iter()
        .partition(|rel| rel.extension().is_some_and(|e| e == "md"));
    (bundle::without_clashes(markdown, diags), files)
}

/// The file at `rel` under `content/` as text, with the path diagnostics
/// name it by (`content/…`).
fn read_source(content_dir: &Path, rel: &Path) -> Result<(PathBuf, String), Vec<Diagnostic>> {
    let file = Path::new("content").join(rel);
    let bytes = std::fs::read(content_dir.join(rel)).map_err(|e| {
        vec![Diagnostic::error(
            Problem::Io { what: file.display().to_string(), reason: e.to_string() },
            Location::file(&file),
        )]
    })?;
    let text = decode(&file, bytes).map_err(|d| vec![d])?;
    Ok((file, text))
}

fn parse_file(content_dir: &Path, rel: &Path) -> Result<Parsed, Vec<Diagnostic>> {
    let (file, text) = read_source(content_dir, rel)?;
    let parts =
        split(&text).map_err(|(problem, at)| vec![Diagnostic::error(problem, Location::at(&file, &text, at, 3))])?;
    let (front_offset, body_offset) = (parts.front_offset, parts.body_offset);
    let fm = crate::strict::parse::<FrontMatter>(&file, &text, front_offset, parts.front).map_err(|d| vec![d])?;
    Ok(Parsed { source: SourcePath::new(rel), file, text, front_offset, body_offset, fm: Box::new(fm) })
}

/// Turns front-matter problems (spans relative to the block) into diagnostics.
fn report(doc: &Doc, problems: kinds::Problems, diags: &mut Vec<Diagnostic>) {
    for (problem, span) in problems {
        let at = Location::at(&doc.file, &doc.text, doc.front_offset + span.start, span.len());
        diags.push(Diagnostic::error(problem, at));
    }
}

fn meta(p: &mut Parsed, problems: &mut kinds::Problems) -> Meta {
    let fm = &mut p.fm;
    Meta {
        title: fm.title.get_ref().clone(),
        description: fm.description.as_ref().map(|d| d.get_ref().clone()).unwrap_or_default(),
        date: fm.date.as_ref().and_then(|d| kinds::date_of("date", d, problems)),
        updated: fm.updated.as_ref().and_then(|d| kinds::date_of("updated", d, problems)),
        draft: fm.draft,
        weight: fm.weight,
        tags: std::mem::take(&mut fm.tags),
        template: fm.template.as_ref().map(|t| t.get_ref().clone()),
        extra: std::mem::take(&mut fm.extra),
        spans: MetaSpans {
            title: fm.title.span(),
            description: fm.description.as_ref().map(Spanned::span),
            template: fm.template.as_ref().map(Spanned::span),
        },
    }
}

fn redirects(p: &Parsed, problems: &mut kinds::Problems) -> Vec<UrlPath> {
    let mut out = Vec::new();
    for raw in &p.fm.redirect_from {
        match UrlPath::parse(raw.get_ref()) {
            Some(url) => out.push(url),
            None => {
                let reason = format!("\"{}\" is not a path on this site, like \"/old/page/\"", raw.get_ref());
                problems.push((Problem::BadValue { key: "redirect_from".into(), reason }, raw.span()));
            }
        }
    }
    out
}

fn doc(mut p: Parsed, url: UrlPath, problems: &mut kinds::Problems) -> Doc {
    let meta = meta(&mut p, problems);
    let redirect_from = redirects(&p, problems);
    Doc {
        source: p.source,
        file: p.file,
        text: p.text,
        front_offset: p.front_offset,
        body_offset: p.body_offset,
        meta,
        url,
        redirect_from,
        scan: Default::default(),
        shadowed: false,
    }
}

fn add_sections(config: &Config, content: &mut Content, docs: Vec<Parsed>, diags: &mut Vec<Diagnostic>) {
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

fn add_pages(config: &Config, content: &mut Content, docs: Vec<Parsed>, diags: &mut Vec<Diagnostic>) {
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
    let scan_for = content.glossary.scan_for(Some(index), config.glossary.link);
    let options = markdown::options(&config.markdown);
    let raw_html = config.markdown.raw_html;
    page.doc.scan = markdown::scan(page.doc.body(), options, raw_html, scan_for.as_ref(), config.search.enabled);
    let problems: Vec<Diagnostic> = {
        let at = page.doc.body_locator();
        page.doc
            .scan
            .problems
            .iter()
            .map(|(problem, offset, len)| Diagnostic::error(problem.clone(), at(*offset, *len)))
            .collect()
    };
    if problems.is_empty() { Ok(Some(page)) } else { Err(problems) }
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
fn check_urls(content: &mut Content, diags: &mut Vec<Diagnostic>) {
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

/// The first Markdown pass over every page, in parallel. Its links are
/// checked once the build knows what it publishes ([`crate::links`]).
fn scan_bodies(config: &Config, content: &mut Content, diags: &mut Vec<Diagnostic>) {
    let options = markdown::options(&config.markdown);
    let mode = config.glossary.link;
    let search = config.search.enabled;
    let raw_html = config.markdown.raw_html;
    let glossary = &content.glossary;
    let scans: Vec<_> = content
        .docs()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|(target, d)| {
            let page = match target {
                Target::Page(i) => Some(*i),
                Target::Section(_) => None,
            };
            let keep_text = search && page.is_some();
            markdown::scan(d.body(), options, raw_html, glossary.scan_for(page, mode).as_ref(), keep_text)
        })
        .collect();
    let mut scans = scans.into_iter();
    for s in content.sections.iter_mut() {
        s.doc.scan = scans.next().unwrap_or_default();
    }
    for p in content.pages.iter_mut() {
        p.doc.scan = scans.next().unwrap_or_default();
    }
    for (_, doc) in content.docs() {
        let at = doc.body_locator();
        for (problem, offset, len) in &doc.scan.problems {
            diags.push(Diagnostic::error(problem.clone(), at(*offset, *len)));
        }
    }
    let mut glossary = std::mem::take(&mut content.glossary);
    glossary.record_uses(content, mode, diags);
    content.glossary = glossary;
}

/// Reads section `s`'s `_index.md` (at `rel` under `content/`) again when
/// only its body changed: the new text, with the first Markdown pass done.
/// `None` when its front matter changed too (then the site is built whole).
pub fn reload_section_body(
    config: &Config,
    content: &Content,
    rel: &Path,
    s: usize,
) -> Result<Option<(String, crate::markdown::Scan)>, Vec<Diagnostic>> {
    let (file, text) = read_source(&config.content_dir(), rel)?;
    let old = &content.sections[s].doc;
    if text.get(..old.body_offset) != Some(&old.text[..old.body_offset]) {
        return Ok(None);
    }
    let scan_for = content.glossary.scan_for(None, config.glossary.link);
    let options = markdown::options(&config.markdown);
    let scan = markdown::scan(&text[old.body_offset..], options, config.markdown.raw_html, scan_for.as_ref(), false);
    let problems: Vec<Diagnostic> = scan
        .problems
        .iter()
        .map(|(problem, offset, len)| {
            Diagnostic::error(problem.clone(), Location::at(&file, &text, old.body_offset + offset, *len))
        })
        .collect();
    if problems.is_empty() { Ok(Some((text, scan))) } else { Err(problems) }
}

/// Orders each section's pages by its `sort_by`.
pub fn sort_sections(content: &mut Content) {
    sort(content, None);
}

/// Orders the pages of section `s` alone (after one of them changed).
pub fn sort_section(content: &mut Content, s: usize) {
    sort(content, Some(s));
}

fn sort(content: &mut Content, only: Option<usize>) {
    let pages = &content.pages;
    // Titles in lower case once, not at every comparison.
    let titles: Vec<String> = match only {
        None => pages.par_iter().map(|p| p.doc.meta.title.to_lowercase()).collect(),
        Some(s) => {
            let mut titles = vec![String::new(); pages.len()];
            for &i in &content.sections[s].pages {
                titles[i] = pages[i].doc.meta.title.to_lowercase();
            }
            titles
        }
    };
    for (_, section) in content.sections.iter_mut().enumerate().filter(|(i, _)| only.is_none_or(|s| s == *i)) {
        let by = section.sort_by;
        section.pages.sort_by(|&ia, &ib| {
            let (a, b) = (&pages[ia], &pages[ib]);
            let title = || titles[ia].cmp(&titles[ib]);
            match by {
                SortBy::Date => b.doc.meta.date.cmp(&a.doc.meta.date).then_with(title),
                SortBy::Title => title(),
                SortBy::Weight => a.doc.meta.weight.cmp(&b.doc.meta.weight).then_with(title),
                SortBy::Start => start_key(a).cmp(&start_key(b)).then_with(title),
            }
            .then_with(|| a.doc.source.cmp(&b.doc.source))
        });
    }
}

fn start_key(page: &Page) -> Option<jiff::Timestamp> {
    match &page.data {
        super::KindData::Event(e) => e.start_instant(),
        _ => None,
    }
}
