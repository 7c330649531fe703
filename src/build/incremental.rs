//! Rebuilding in part: what an edit to one page or one template changes,
//! and rendering just that.
//!
//! A page edit re-renders the page from its Markdown, and, when what
//! listings show of it changed (its serialized value: title, dates, tags,
//! reading time…), the pages that show it: its section, its tags, the
//! explainers that list it as related, the terms it uses ("used in"), the
//! catalog views, the feed, sitemap and calendars. A term whose short
//! definition changed re-renders every page that uses it, since the
//! tooltip is in their bodies. Templates are read for what they use of
//! `site` and of the lookup functions, so a change to, say, the events in
//! `site` re-renders only the pages whose templates read `site.upcoming_events`.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::time::Instant;

use tera::Value;

use super::extras::Calendars;
use super::pages;
use super::session::{State, known_sources};
use super::targets::{Targets, keep_bodies, render};
use super::uses::TemplateUses;
use super::{BuildOptions, Parts};
use crate::content::{self, Kind, KindData, LoadOptions, Target};
use crate::error::Diagnostic;
use crate::markdown::TermHtml;
use crate::output::Sink;
use crate::paths::slugify;
use crate::templates::context::Links;
use crate::templates::site_value;

/// How an edit went, when it did not fail.
#[derive(Debug, PartialEq, Eq)]
pub enum Edit {
    Done,
    /// The edit changes the site's shape (a URL, a kind, a term's names):
    /// only a whole build is right.
    Whole,
}

/// What the last build read, and what each template depends on.
pub struct Deps {
    files: HashSet<std::path::PathBuf>,
    folders: HashSet<std::path::PathBuf>,
    pub(super) uses: TemplateUses,
    pub(super) page_templates: Vec<Option<String>>,
    pub(super) section_templates: Vec<Option<String>>,
}

impl Deps {
    pub fn new(parts: &Parts) -> Deps {
        let (files, folders) = known_sources(parts);
        let content = &parts.content;
        let templates = &parts.templates;
        Deps {
            files,
            folders,
            uses: TemplateUses::new(templates),
            page_templates: (0..content.pages.len())
                .map(|i| pages::page_template(templates, content, i).ok())
                .collect(),
            section_templates: (0..content.sections.len())
                .map(|i| pages::section_template(templates, content, i).ok())
                .collect(),
        }
    }

    pub fn knows_file(&self, rel: &Path) -> bool {
        self.files.contains(rel)
    }

    pub fn knows_folder(&self, rel: &Path) -> bool {
        self.folders.contains(rel)
    }
}

/// Applies an edit to page `i` (at `rel` under `content/`). Errors leave
/// the state as it was, except errors found while rendering, after which
/// the state is marked stale (the next change rebuilds everything).
pub fn page_edit(
    state: &mut State,
    options: &BuildOptions,
    i: usize,
    rel: &Path,
    sink: &dyn Sink,
) -> Result<Edit, Vec<Diagnostic>> {
    let parts = &mut state.parts;
    let load = LoadOptions { drafts: options.drafts };
    let clock = Instant::now();
    let Some(new) = content::reload_page(&parts.config, &parts.content, rel, i, load)? else {
        return Ok(Edit::Whole);
    };
    let old = &parts.content.pages[i];
    if old.doc.shadowed
        || new.doc.url != old.doc.url
        || new.kind != old.kind
        || new.section != old.section
        || new.doc.redirect_from != old.doc.redirect_from
        || related_terms(&new.data) != related_terms(&old.data)
    {
        return Ok(Edit::Whole);
    }
    let names_before = (old.kind == Kind::Term).then(|| content::term_names(&parts.content, i));
    let old = std::mem::replace(&mut parts.content.pages[i], new);
    if names_before.is_some_and(|n| n != content::term_names(&parts.content, i)) {
        parts.content.pages[i] = old;
        return Ok(Edit::Whole);
    }
    let anchors = |p: &content::Page| p.doc.scan.headings.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    let anchors_changed = anchors(&old) != anchors(&parts.content.pages[i]);
    let broken = content::check_links_of(&parts.content, Target::Page(i), anchors_changed);
    if !broken.is_empty() {
        parts.content.pages[i] = old;
        return Err(broken);
    }
    let checked = clock.elapsed();
    let targets = follow_page_edit(parts, &state.deps, i, &old);
    let followed = clock.elapsed();
    let (diags, fresh) = render(parts, &parts.templates, &targets, sink);
    timings(
        &[("read and checked", checked), ("followed", followed - checked), ("rendered", clock.elapsed() - followed)],
        &targets,
    );
    keep_bodies(parts, fresh);
    if diags.iter().any(Diagnostic::is_error) {
        state.stale = true;
        return Err(diags);
    }
    state.search_stale = true;
    Ok(Edit::Done)
}

fn related_terms(data: &KindData) -> Vec<&str> {
    match data {
        KindData::Term(t) => t.related.iter().map(|(slug, _)| slug.as_str()).collect(),
        _ => Vec::new(),
    }
}

/// What an edit changed of page `page`, compared with its `old` self.
struct PageChange<'a> {
    page: usize,
    old: &'a content::Page,
    kind: Kind,
    section: usize,
    terms_before: BTreeSet<usize>,
    terms_now: BTreeSet<usize>,
    /// The pages it links to, before and now.
    links_before: BTreeSet<usize>,
    links_now: BTreeSet<usize>,
    tags_changed: bool,
    /// Its place in its section may have moved.
    order_changed: bool,
    /// The front matter, not just the body.
    front_changed: bool,
}

impl<'a> PageChange<'a> {
    fn new(content: &content::Content, page: usize, old: &'a content::Page) -> Self {
        let new = &content.pages[page];
        PageChange {
            page,
            old,
            kind: new.kind,
            section: new.section,
            terms_before: old.doc.scan.terms.iter().copied().collect(),
            terms_now: new.doc.scan.terms.iter().copied().collect(),
            links_before: linked(content, old),
            links_now: linked(content, new),
            tags_changed: old.doc.meta.tags != new.doc.meta.tags,
            order_changed: old.doc.meta.title != new.doc.meta.title
                || old.doc.meta.date != new.doc.meta.date
                || old.doc.meta.weight != new.doc.meta.weight
                || start(old) != start(new),
            front_changed: front_matter(old) != front_matter(new),
        }
    }

    fn terms_changed(&self) -> bool {
        self.terms_before != self.terms_now
    }
}

/// Brings the glossary, related lists, order and values up to date after
/// page `i` changed from `old`, and says what to render again.
fn follow_page_edit(parts: &mut Parts, deps: &Deps, i: usize, old: &content::Page) -> Targets {
    let change = PageChange::new(&parts.content, i, old);
    let mut targets = Targets::default();
    targets.fresh_pages.insert(i);
    update_content(parts, &change, &mut targets);
    let page_fields = update_values(parts, &change);
    shown_elsewhere(parts, deps, &change, &page_fields, &mut targets);
    if short(&old.data) != short(&parts.content.pages[i].data) {
        new_definition(parts, i, &mut targets);
    }
    let mut fields = HashSet::new();
    if matches!(change.kind, Kind::Term | Kind::Event | Kind::Tool) || change.tags_changed {
        let links = Links { config: &parts.config, content: &parts.content, today: parts.today };
        let site = site_value(&links, &parts.prepared.page_values);
        fields = changed_fields(&parts.prepared.site, &site);
        parts.prepared.site = site;
    }
    targets.widen(parts, deps, &fields, &page_fields, None);
    targets
}

/// The glossary's "used in" lists, related explainers and the section's order.
fn update_content(parts: &mut Parts, change: &PageChange, targets: &mut Targets) {
    let content = &mut parts.content;
    let title_changed = change.old.doc.meta.title != content.pages[change.page].doc.meta.title;
    // "Used in" lists are in order of title.
    let mut glossary = std::mem::take(&mut content.glossary);
    if change.terms_changed() {
        glossary.record_uses(content, parts.config.glossary.link, &mut Vec::new());
    } else if title_changed {
        glossary.reorder_uses(content, Target::Page(change.page), change.terms_now.iter().copied());
    }
    content.glossary = glossary;
    if change.terms_changed() || change.tags_changed {
        let related = content::related_explainers(content);
        let changed = related.iter().zip(&content.related).enumerate().filter(|(_, (a, b))| a != b).map(|(j, _)| j);
        targets.pages.extend(changed);
        content.related = related;
    }
    if change.order_changed {
        content::sort_section(content, change.section);
    }
    // Backlinks show titles, in order of title.
    if change.links_before != change.links_now || title_changed {
        content.find_backlinks();
        let linked = change.links_before.union(&change.links_now);
        targets.pages.extend(linked.filter(|&&p| p != change.page));
    }
}

/// The page's value, its section's and the lookup functions' data; returns
/// the fields of the page's value that changed.
fn update_values(parts: &mut Parts, change: &PageChange) -> HashSet<String> {
    let (i, section) = (change.page, change.section);
    let content = &parts.content;
    let links = Links { config: &parts.config, content, today: parts.today };
    let prepared = &mut parts.prepared;
    let value = pages::page_value(&links, i);
    let page_fields = changed_fields(&prepared.page_values[i], &value);
    prepared.page_values[i] = value;
    if !page_fields.is_empty() || change.order_changed {
        prepared.section_values[section] = pages::section_value(&links, section, &prepared.page_values);
        let section_value = prepared.section_values[section].clone();
        parts.templates.update_lookup(|l| {
            l.pages.insert(content.pages[i].doc.source.to_string(), prepared.page_values[i].clone());
            l.sections.insert(content.sections[section].doc.source.to_string(), section_value);
        });
    }
    page_fields
}

/// The listings, lists and files that show the page, where what they show
/// of it changed.
fn shown_elsewhere(parts: &Parts, deps: &Deps, change: &PageChange, fields: &HashSet<String>, targets: &mut Targets) {
    let content = &parts.content;
    let (i, section, kind) = (change.page, change.section, change.kind);
    let shown = |name: &str| fields.contains(name);
    let listing = |template: Option<&str>| deps.uses.reads_page(template, fields);
    if change.order_changed || listing(deps.section_templates[section].as_deref()) {
        targets.sections.insert(section);
    }
    // Related lists show titles and summaries; "used in" lists, titles.
    if shown("title") || shown("summary") || shown("description") {
        targets.pages.extend((0..content.pages.len()).filter(|&j| content.related[j].contains(&i)));
    }
    let glossary = &content.glossary;
    let term_page = |t: &usize| glossary.terms.get(*t).map(|t| t.page);
    if shown("title") {
        targets.pages.extend(change.terms_before.union(&change.terms_now).filter_map(term_page));
    }
    targets.pages.extend(change.terms_before.symmetric_difference(&change.terms_now).filter_map(term_page));
    if change.tags_changed || listing(Some("tag.html")) {
        let tags = change.old.doc.meta.tags.iter().chain(&content.pages[i].doc.meta.tags);
        targets.tags.extend(tags.map(|t| slugify(t)));
    }
    targets.tag_index |= change.tags_changed;
    targets.views |= kind == Kind::Tool && listing(Some("tool-view.html"));
    targets.generated.feed = change.front_changed && matches!(kind, Kind::Explainer | Kind::Event);
    targets.generated.sitemap = shown("date") || shown("updated");
    if kind == Kind::Event && change.front_changed {
        targets.generated.calendars = Calendars::One(i);
    }
    if kind == Kind::Term && (shown("title") || shown("short")) {
        let slug = content.pages[i].doc.url.slug().to_string();
        let shows = |j: &usize| related_terms(&content.pages[*j].data).contains(&slug.as_str());
        targets.pages.extend(glossary.terms.iter().map(|t| t.page).filter(shows));
    }
}

/// A term's short definition changed: its tooltip, and every page and
/// section that carries it in its body.
fn new_definition(parts: &mut Parts, i: usize, targets: &mut Targets) {
    let content = &parts.content;
    let Some(&t) = content.glossary.of_page.get(&i) else { return };
    let links = Links { config: &parts.config, content, today: parts.today };
    let page = &content.pages[i];
    let short = short(&page.data).unwrap_or_default();
    parts.prepared.term_tips[t] = TermHtml::new(&links.path(&page.doc.url), short, &content.glossary.terms[t].slug);
    for target in &content.glossary.used_in[t] {
        match *target {
            Target::Page(j) => targets.fresh_pages.insert(j),
            Target::Section(s) => targets.fresh_sections.insert(s),
        };
    }
}

/// The pages `page` links to.
fn linked(content: &content::Content, page: &content::Page) -> BTreeSet<usize> {
    links_of(content, &page.doc.scan)
}

/// The pages the links found by `scan` lead to.
fn links_of(content: &content::Content, scan: &crate::markdown::Scan) -> BTreeSet<usize> {
    let target = |l: &crate::markdown::LinkRef| match content.by_source.get(l.page.trim_start_matches('/')) {
        Some(&Target::Page(p)) => Some(p),
        _ => None,
    };
    scan.links.iter().filter_map(target).collect()
}

/// Applies an edit to the body of section `s` (its `_index.md`, at `rel`
/// under `content/`): the section re-renders from its Markdown, with the
/// term pages whose "used in" lists and the pages whose backlinks change.
/// An edit to its front matter is for a whole build.
pub fn section_edit(state: &mut State, s: usize, rel: &Path, sink: &dyn Sink) -> Result<Edit, Vec<Diagnostic>> {
    let parts = &mut state.parts;
    let Some((text, scan)) = content::reload_section_body(&parts.config, &parts.content, rel, s)? else {
        return Ok(Edit::Whole);
    };
    let doc = &mut parts.content.sections[s].doc;
    let old_text = std::mem::replace(&mut doc.text, text);
    let old_scan = std::mem::replace(&mut doc.scan, scan);
    let anchors = |scan: &crate::markdown::Scan| scan.headings.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    let anchors_changed = anchors(&old_scan) != anchors(&parts.content.sections[s].doc.scan);
    let broken = content::check_links_of(&parts.content, Target::Section(s), anchors_changed);
    if !broken.is_empty() {
        let doc = &mut parts.content.sections[s].doc;
        doc.text = old_text;
        doc.scan = old_scan;
        return Err(broken);
    }
    let mut targets = Targets::default();
    targets.fresh_sections.insert(s);
    let content = &mut parts.content;
    let new_scan = &content.sections[s].doc.scan;
    let terms_before: BTreeSet<usize> = old_scan.terms.iter().copied().collect();
    let terms_now: BTreeSet<usize> = new_scan.terms.iter().copied().collect();
    let (links_before, links_now) = (links_of(content, &old_scan), links_of(content, new_scan));
    if terms_before != terms_now {
        let mut glossary = std::mem::take(&mut content.glossary);
        glossary.record_uses(content, parts.config.glossary.link, &mut Vec::new());
        content.glossary = glossary;
        let glossary = &content.glossary;
        targets.pages.extend(
            terms_before.symmetric_difference(&terms_now).filter_map(|&t| glossary.terms.get(t)).map(|t| t.page),
        );
    }
    if links_before != links_now {
        content.find_backlinks();
        targets.pages.extend(links_before.symmetric_difference(&links_now));
    }
    let links = Links { config: &parts.config, content: &parts.content, today: parts.today };
    let prepared = &mut parts.prepared;
    prepared.section_values[s] = pages::section_value(&links, s, &prepared.page_values);
    let value = prepared.section_values[s].clone();
    let source = parts.content.sections[s].doc.source.to_string();
    parts.templates.update_lookup(|l| {
        l.sections.insert(source, value);
    });
    let (diags, fresh) = render(parts, &parts.templates, &targets, sink);
    keep_bodies(parts, fresh);
    if diags.iter().any(Diagnostic::is_error) {
        state.stale = true;
        return Err(diags);
    }
    Ok(Edit::Done)
}

fn front_matter(page: &content::Page) -> &str {
    &page.doc.text[..page.doc.body_offset]
}

fn start(page: &content::Page) -> Option<jiff::Timestamp> {
    match &page.data {
        KindData::Event(e) => e.start_instant(),
        _ => None,
    }
}

fn short(data: &KindData) -> Option<&str> {
    match data {
        KindData::Term(t) => Some(&t.short),
        _ => None,
    }
}

/// The top-level fields of `site` that differ between two builds of it.
fn changed_fields(before: &Value, after: &Value) -> HashSet<String> {
    let (Some(a), Some(b)) = (before.as_map(), after.as_map()) else {
        return HashSet::from(["*".to_string()]);
    };
    let mut out: HashSet<String> = a.iter().filter(|(k, v)| b.get(k) != Some(v)).map(|(k, _)| k.to_string()).collect();
    out.extend(b.keys().filter(|k| a.get(k).is_none()).map(|k| k.to_string()));
    out
}

/// Applies an edit to the template `name`: templates are read again, and
/// what is built on that template is rendered from kept bodies. Errors
/// leave the last good templates in place.
pub fn template_edit(
    state: &mut State,
    name: &str,
    first: &dyn Fn(&str) -> bool,
    sink: &dyn Sink,
) -> Result<Edit, Vec<Diagnostic>> {
    let parts = &mut state.parts;
    let clock = Instant::now();
    let templates = crate::templates::load(&parts.config)?;
    let loaded = clock.elapsed();
    let own = pages::own_fields(&templates);
    if own != parts.prepared.own_fields {
        return Ok(Edit::Whole);
    }
    templates.set_lookup(parts.templates.take_lookup());
    let uses = TemplateUses::new(&templates);
    let mut targets = state.deferred.take().unwrap_or_default();
    let old_uses = std::mem::replace(&mut state.deps.uses, uses);
    targets.widen(parts, &state.deps, &HashSet::new(), &HashSet::new(), Some(name));
    // The pages open in a browser first; the rest once those are served.
    let head = targets.split_off(parts, first);
    let targets = match head.is_empty() {
        true => targets,
        false => {
            state.deferred = Some(targets);
            head
        }
    };
    let followed = clock.elapsed();
    let (diags, fresh) = render(parts, &templates, &targets, sink);
    timings(
        &[("templates read", loaded), ("followed", followed - loaded), ("rendered", clock.elapsed() - followed)],
        &targets,
    );
    if diags.iter().any(Diagnostic::is_error) {
        state.deps.uses = old_uses;
        parts.templates.set_lookup(templates.take_lookup());
        return Err(diags);
    }
    keep_bodies(parts, fresh);
    parts.templates = templates;
    Ok(Edit::Done)
}

/// With `PAMPHLET_TIMINGS` set, prints how long each step of an edit took
/// and what it rendered.
fn timings(steps: &[(&str, std::time::Duration)], targets: &Targets) {
    if std::env::var_os("PAMPHLET_TIMINGS").is_some() {
        let steps: Vec<String> =
            steps.iter().map(|(what, d)| format!("{what} {:.1} ms", d.as_secs_f64() * 1e3)).collect();
        eprintln!("  {}: {targets:?}", steps.join(", "));
    }
}

/// Renders what an edit left for later (see [`template_edit`]). Problems
/// found here come after the first part was served: the state is marked
/// stale, so the next change rebuilds the whole site.
pub fn finish(state: &mut State, sink: &dyn Sink) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if std::mem::take(&mut state.search_stale) {
        let parts = &state.parts;
        let links = Links { config: &parts.config, content: &parts.content, today: parts.today };
        super::search::write_index(&links, sink, &mut diags);
    }
    let Some(targets) = state.deferred.take() else {
        return diags;
    };
    let (rendered, fresh) = render(&state.parts, &state.parts.templates, &targets, sink);
    diags.extend(rendered);
    keep_bodies(&mut state.parts, fresh);
    if diags.iter().any(Diagnostic::is_error) {
        state.stale = true;
    }
    diags
}
