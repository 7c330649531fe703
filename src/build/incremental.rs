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

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use tera::Value;

use super::extras::{Calendars, Generated};
use super::pages::{self, Render};
use super::session::{State, known_sources};
use super::{BuildOptions, Parts};
use crate::content::{self, Content, Kind, KindData, LoadOptions, Target};
use crate::error::Diagnostic;
use crate::markdown::TermHtml;
use crate::output::Sink;
use crate::paths::slugify;
use crate::templates::context::Links;
use crate::templates::{Templates, site_value};

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
    uses: TemplateUses,
    page_templates: Vec<Option<String>>,
    section_templates: Vec<Option<String>>,
}

/// For each template, what it and the templates it extends, includes or
/// imports read.
#[derive(Default)]
struct TemplateUses {
    names: HashMap<String, HashSet<String>>,
    site: HashMap<String, SiteUse>,
}

/// What a template reads of `site`, and whether it calls `get_page` or
/// `get_section`.
#[derive(Default, Clone)]
struct SiteUse {
    whole: bool,
    fields: HashSet<String>,
    lookups: bool,
    /// Every name read as an attribute (`p.title` gives `title`), or `None`
    /// when values are passed on whole (`json_encode`).
    attributes: Option<HashSet<String>>,
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

impl TemplateUses {
    fn new(templates: &Templates) -> TemplateUses {
        let sources: HashMap<&str, &str> = templates.sources().collect();
        let mut uses = TemplateUses::default();
        for name in sources.keys() {
            let mut seen: HashSet<String> = HashSet::new();
            let mut todo = vec![name.to_string()];
            while let Some(next) = todo.pop() {
                if let Some(text) = sources.get(next.as_str()) {
                    todo.extend(referenced(text).into_iter().filter(|r| !seen.contains(r)));
                }
                seen.insert(next);
            }
            let mut site = SiteUse { attributes: Some(HashSet::new()), ..SiteUse::default() };
            for n in &seen {
                if let Some(text) = sources.get(n.as_str()) {
                    site.add(text);
                }
            }
            uses.site.insert(name.to_string(), site);
            uses.names.insert(name.to_string(), seen);
        }
        uses
    }

    /// Whether `template` (or one it builds on) is `name`.
    fn involves(&self, template: Option<&str>, name: &str) -> bool {
        template.is_some_and(|t| self.names.get(t).is_some_and(|n| n.contains(name)))
    }

    /// Whether `template` reads any of `fields` of `site`.
    fn reads(&self, template: Option<&str>, fields: &HashSet<String>) -> bool {
        let Some(uses) = template.and_then(|t| self.site.get(t)) else {
            return false;
        };
        !fields.is_empty() && (uses.whole || uses.fields.iter().any(|f| fields.contains(f)))
    }

    fn calls_lookups(&self, template: Option<&str>) -> bool {
        template.and_then(|t| self.site.get(t)).is_some_and(|u| u.lookups)
    }

    /// Whether `template` may read any of `fields` of a page it lists.
    fn reads_page(&self, template: Option<&str>, fields: &HashSet<String>) -> bool {
        let Some(uses) = template.and_then(|t| self.site.get(t)) else {
            return false;
        };
        !fields.is_empty() && uses.attributes.as_ref().is_none_or(|a| fields.iter().any(|f| a.contains(f)))
    }
}

impl SiteUse {
    fn add(&mut self, text: &str) {
        // `get_url` gives URLs, which an edit in place never changes.
        self.lookups |= text.contains("get_page") || text.contains("get_section");
        let bytes = text.as_bytes();
        let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        if text.contains("json_encode") {
            self.attributes = None;
        }
        if let Some(attributes) = &mut self.attributes {
            for (at, _) in text.match_indices('.') {
                let name: String = bytes[at + 1..].iter().take_while(|&&b| ident(b)).map(|&b| char::from(b)).collect();
                if !name.is_empty() {
                    attributes.insert(name);
                }
            }
        }
        for (at, _) in text.match_indices("site") {
            if at > 0 && (ident(bytes[at - 1]) || bytes[at - 1] == b'.') {
                continue;
            }
            let rest = &bytes[at + 4..];
            match rest.first() {
                Some(b'.') => {
                    let field: String = rest[1..].iter().take_while(|&&b| ident(b)).map(|&b| char::from(b)).collect();
                    self.fields.insert(field);
                }
                // `site` passed on whole: to a filter, a macro, a `set`, a subscript.
                _ => {
                    let next = rest.iter().find(|b| !b.is_ascii_whitespace());
                    if next.is_some_and(|b| b"|)}],[%".contains(b)) {
                        self.whole = true;
                    }
                }
            }
        }
    }
}

/// Templates named in `{% extends %}`, `{% include %}` and `{% import %}`.
fn referenced(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for keyword in ["extends", "include", "import"] {
        for (at, _) in text.match_indices(keyword) {
            let rest = text[at + keyword.len()..].trim_start();
            let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
                continue;
            };
            if let Some(end) = rest[1..].find(quote) {
                out.push(rest[1..1 + end].to_string());
            }
        }
    }
    out
}

/// What to render again.
#[derive(Default, Debug)]
pub struct Targets {
    /// Pages and sections rendered from their Markdown again.
    fresh_pages: BTreeSet<usize>,
    fresh_sections: BTreeSet<usize>,
    /// Pages and sections rendered again from their kept bodies.
    pages: BTreeSet<usize>,
    sections: BTreeSet<usize>,
    tags: HashSet<String>,
    tag_index: bool,
    all_tags: bool,
    views: bool,
    generated: Generated,
}

impl Targets {
    fn is_empty(&self) -> bool {
        self.pages.is_empty()
            && self.sections.is_empty()
            && self.fresh_pages.is_empty()
            && self.fresh_sections.is_empty()
    }

    /// Takes out the pages and sections whose output file `first` picks.
    fn split_off(&mut self, parts: &Parts, first: &dyn Fn(&str) -> bool) -> Targets {
        let content = &parts.content;
        let mut head = Targets::default();
        self.pages.retain(|&i| !(first(&output_key(&content.pages[i].doc.url)) && head.pages.insert(i)));
        self.sections.retain(|&i| !(first(&output_key(&content.sections[i].doc.url)) && head.sections.insert(i)));
        head
    }

    /// Adds everything whose templates read `fields` of `site`, or call
    /// the lookup functions and read `page_fields` (what changed of a page),
    /// or are built on `template`.
    fn widen(
        &mut self,
        parts: &Parts,
        deps: &Deps,
        fields: &HashSet<String>,
        page_fields: &HashSet<String>,
        template: Option<&str>,
    ) {
        if fields.is_empty() && page_fields.is_empty() && template.is_none() {
            return;
        }
        let hit = |t: Option<&str>| {
            deps.uses.reads(t, fields)
                || (deps.uses.calls_lookups(t) && deps.uses.reads_page(t, page_fields))
                || template.is_some_and(|n| deps.uses.involves(t, n))
        };
        self.pages.extend((0..parts.content.pages.len()).filter(|&i| hit(deps.page_templates[i].as_deref())));
        self.sections.extend((0..parts.content.sections.len()).filter(|&i| hit(deps.section_templates[i].as_deref())));
        if hit(Some("tag.html")) || hit(Some("tags.html")) {
            self.all_tags = true;
        }
        self.views |= hit(Some("tool-view.html"));
        self.generated.not_found |= hit(Some("404.html"));
        self.generated.search_page |= hit(Some("search.html"));
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

/// Brings the glossary, related lists, order and values up to date after
/// page `i` changed from `old`, and says what to render again.
fn follow_page_edit(parts: &mut Parts, deps: &Deps, i: usize, old: &content::Page) -> Targets {
    let mut targets = Targets::default();
    targets.fresh_pages.insert(i);
    let content = &mut parts.content;
    let new = &content.pages[i];
    let terms_before: BTreeSet<usize> = old.doc.scan.terms.iter().copied().collect();
    let terms_now: BTreeSet<usize> = new.doc.scan.terms.iter().copied().collect();
    let tags_changed = old.doc.meta.tags != new.doc.meta.tags;
    let order_changed = old.doc.meta.title != new.doc.meta.title
        || old.doc.meta.date != new.doc.meta.date
        || old.doc.meta.weight != new.doc.meta.weight
        || start(old) != start(new);
    let short_changed = short(&old.data) != short(&new.data);
    let kind = new.kind;
    let section = new.section;
    // "Used in" lists are in order of title.
    let mut glossary = std::mem::take(&mut content.glossary);
    if terms_before != terms_now {
        glossary.record_uses(content, parts.config.glossary.link, &mut Vec::new());
    } else if old.doc.meta.title != new.doc.meta.title {
        glossary.reorder_uses(content, Target::Page(i), terms_now.iter().copied());
    }
    content.glossary = glossary;
    if terms_before != terms_now || tags_changed {
        let related = content::related_explainers(content);
        let changed = related.iter().zip(&content.related).enumerate().filter(|(_, (a, b))| a != b).map(|(j, _)| j);
        targets.pages.extend(changed);
        content.related = related;
    }
    if order_changed {
        content::sort_section(content, section);
    }
    let content = &parts.content;
    let links = Links { config: &parts.config, content, today: parts.today };
    let prepared = &mut parts.prepared;
    let value = pages::page_value(&links, i);
    let page_fields = changed_fields(&prepared.page_values[i], &value);
    prepared.page_values[i] = value;
    let shown = |name: &str| page_fields.contains(name);
    let listing = |template: Option<&str>| deps.uses.reads_page(template, &page_fields);
    if !page_fields.is_empty() || order_changed {
        prepared.section_values[section] = pages::section_value(&links, section, &prepared.page_values);
        let section_value = prepared.section_values[section].clone();
        parts.templates.update_lookup(|l| {
            l.pages.insert(content.pages[i].doc.source.to_string(), prepared.page_values[i].clone());
            l.sections.insert(content.sections[section].doc.source.to_string(), section_value);
        });
    }
    if order_changed || listing(deps.section_templates[section].as_deref()) {
        targets.sections.insert(section);
    }
    // Related lists show titles and summaries; "used in" lists, titles.
    if shown("title") || shown("summary") || shown("description") {
        targets.pages.extend((0..content.pages.len()).filter(|&j| content.related[j].contains(&i)));
    }
    if shown("title") {
        let glossary = &content.glossary;
        targets.pages.extend(terms_before.union(&terms_now).filter_map(|&t| glossary.terms.get(t)).map(|t| t.page));
    }
    let glossary = &content.glossary;
    let used_changed = terms_before.symmetric_difference(&terms_now);
    targets.pages.extend(used_changed.filter_map(|&t| glossary.terms.get(t)).map(|t| t.page));
    let tags = old.doc.meta.tags.iter().chain(&content.pages[i].doc.meta.tags);
    if tags_changed || listing(Some("tag.html")) {
        targets.tags.extend(tags.map(|t| slugify(t)));
    }
    targets.tag_index |= tags_changed;
    targets.views |= kind == Kind::Tool && listing(Some("tool-view.html"));
    let front_changed =
        old.doc.text[..old.doc.body_offset] != content.pages[i].doc.text[..content.pages[i].doc.body_offset];
    targets.generated.feed = front_changed && matches!(kind, Kind::Explainer | Kind::Event);
    targets.generated.sitemap = shown("date") || shown("updated");
    if kind == Kind::Event && front_changed {
        targets.generated.calendars = Calendars::One(i);
    }
    if kind == Kind::Term && (shown("title") || shown("short")) {
        let slug = content.pages[i].doc.url.slug().to_string();
        let shows = |j: &usize| related_terms(&content.pages[*j].data).contains(&slug.as_str());
        targets.pages.extend(content.glossary.terms.iter().map(|t| t.page).filter(shows));
    }
    if short_changed && let Some(&t) = content.glossary.of_page.get(&i) {
        let page = &content.pages[i];
        let short = short(&page.data).unwrap_or_default();
        prepared.term_tips[t] = TermHtml::new(&links.path(&page.doc.url), short, &content.glossary.terms[t].slug);
        for target in &content.glossary.used_in[t] {
            match *target {
                Target::Page(j) => targets.fresh_pages.insert(j),
                Target::Section(s) => targets.fresh_sections.insert(s),
            };
        }
    }
    let mut fields = HashSet::new();
    if matches!(kind, Kind::Term | Kind::Event | Kind::Tool) || tags_changed {
        let site = site_value(&links, &prepared.page_values);
        fields = changed_fields(&prepared.site, &site);
        prepared.site = site;
    }
    targets.widen(parts, deps, &fields, &page_fields, None);
    targets
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
    if own.terms_used != parts.prepared.own_fields.terms_used || own.used_in != parts.prepared.own_fields.used_in {
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

/// The files, relative to the output, of the pages and sections in `targets`.
pub fn outputs(parts: &Parts, targets: &Targets) -> Vec<String> {
    let content = &parts.content;
    let pages = targets.pages.iter().chain(&targets.fresh_pages).map(|&i| &content.pages[i].doc.url);
    let sections = targets.sections.iter().chain(&targets.fresh_sections).map(|&i| &content.sections[i].doc.url);
    pages.chain(sections).map(output_key).collect()
}

fn output_key(url: &crate::paths::UrlPath) -> String {
    url.output_file().to_string_lossy().replace('\\', "/")
}

/// Renders `targets` into `sink`; returns problems and the bodies rendered afresh.
fn render(
    parts: &Parts,
    templates: &Templates,
    targets: &Targets,
    sink: &dyn Sink,
) -> (Vec<Diagnostic>, Vec<(Target, String)>) {
    let content: &Content = &parts.content;
    let r = Render {
        links: Links { config: &parts.config, content, today: parts.today },
        templates,
        prepared: &parts.prepared,
        highlighter: &parts.highlighter,
        sink,
    };
    let bodies = &parts.bodies;
    let pages: Vec<usize> = targets.fresh_pages.union(&targets.pages).copied().collect();
    let sections: Vec<usize> = targets.fresh_sections.union(&targets.sections).copied().collect();
    let done_pages: Vec<(usize, pages::Rendered)> = pages
        .par_iter()
        .map(|&i| {
            let kept =
                (!targets.fresh_pages.contains(&i)).then(|| bodies.pages.get(i).and_then(Option::as_deref)).flatten();
            (i, r.page(i, kept, kept.is_none()))
        })
        .collect();
    let done_sections: Vec<(usize, pages::Rendered)> = sections
        .par_iter()
        .map(|&i| {
            let kept = (!targets.fresh_sections.contains(&i))
                .then(|| bodies.sections.get(i).and_then(Option::as_deref))
                .flatten();
            (i, r.section(i, kept, kept.is_none()))
        })
        .collect();
    let mut diags = Vec::new();
    let mut fresh = Vec::new();
    for (i, done) in done_pages {
        diags.extend(done.diags);
        fresh.push((Target::Page(i), done.body));
    }
    for (i, done) in done_sections {
        diags.extend(done.diags);
        fresh.push((Target::Section(i), done.body));
    }
    if targets.all_tags {
        r.tags(None, &mut diags);
    } else if !targets.tags.is_empty() || targets.tag_index {
        r.tags(Some((&targets.tags, targets.tag_index)), &mut diags);
    }
    if targets.views {
        r.catalog_views(&mut diags);
    }
    if targets.generated != Generated::default() {
        let p = &parts.prepared;
        let values = (&p.config_value, &p.site);
        super::extras::write_generated(&r.links, templates, values, &targets.generated, sink, &mut diags);
    }
    (diags, fresh.into_iter().filter_map(|(t, b)| b.map(|b| (t, b))).collect())
}

/// Keeps bodies rendered afresh for the next rebuild.
fn keep_bodies(parts: &mut Parts, fresh: Vec<(Target, String)>) {
    for (target, body) in fresh {
        let slot = match target {
            Target::Page(i) => parts.bodies.pages.get_mut(i),
            Target::Section(i) => parts.bodies.sections.get_mut(i),
        };
        if let Some(slot) = slot {
            *slot = Some(body);
        }
    }
}
