//! A page's edit: what it changed, and what shows the page.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use crate::content::{self, Kind, KindData, LoadOptions, Target};
use crate::error::Diagnostic;
use crate::links;
use crate::live::deps::Deps;
use crate::live::edit::{Edit, timings};
use crate::live::state::State;
use crate::live::targets::{Targets, keep_bodies, render};
use crate::markdown::TermHtml;
use crate::output::Sink;
use crate::paths::slugify;
use crate::render::BuildOptions;
use crate::render::BuiltSite;
use crate::render::extras::Calendars;
use crate::templates::context::{PageContext, PageValue, SectionValue, Site};
use crate::templates::fields::FieldHashes;
use crate::templates::site::SiteContext;

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
    if let Err(broken) = check_links(parts, i, &old) {
        parts.content.pages[i] = old;
        return Err(broken);
    }
    let checked = clock.elapsed();
    let Some(targets) = follow_page_edit(parts, &state.deps, i, &old) else {
        return Ok(Edit::Whole);
    };
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

/// Checks the links of page `i`, which was `old`: its own, and those to
/// it when its anchors changed. Where its tags, or a tool's category or
/// status, may change which listing pages exist, what the site publishes
/// is listed again and every link checked; on errors, the list is put back.
fn check_links(parts: &mut BuiltSite, i: usize, old: &content::Page) -> Result<(), Vec<Diagnostic>> {
    let page = &parts.content.pages[i];
    let anchors_changed = !old.doc.scan.same_anchors(&page.doc.scan);
    if old.kind != Kind::Tool && old.doc.meta.tags == page.doc.meta.tags {
        let broken = links::check_of(&parts.content, &parts.published, Target::Page(i), anchors_changed);
        return if broken.is_empty() { Ok(()) } else { Err(broken) };
    }
    let published = crate::render::published(&parts.site(), Some(&parts.templates), &parts.statics);
    let before = std::mem::replace(&mut parts.published, published);
    let broken = links::check(&parts.content, &parts.published);
    if broken.is_empty() {
        return Ok(());
    }
    parts.published = before;
    Err(broken)
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
    /// The pages it site to, before and now.
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
            links_before: links_of(content, &old.doc.scan),
            links_now: links_of(content, &new.doc.scan),
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
/// page `i` changed from `old`, and says what to render again (nothing
/// when what changed cannot be told: then only a whole build is right).
fn follow_page_edit(parts: &mut BuiltSite, deps: &Deps, i: usize, old: &content::Page) -> Option<Targets> {
    let change = PageChange::new(&parts.content, i, old);
    let mut targets = Targets::default();
    targets.fresh_pages.insert(i);
    update_content(parts, &change, &mut targets);
    let page_fields = update_values(parts, &change)?;
    shown_elsewhere(parts, deps, &change, &page_fields, &mut targets);
    if short(&old.data) != short(&parts.content.pages[i].data) {
        new_definition(parts, i, &mut targets);
    }
    let mut fields = BTreeSet::new();
    if matches!(change.kind, Kind::Term | Kind::Event | Kind::Tool) || change.tags_changed {
        fields = update_site(parts, i, !page_fields.is_empty());
    }
    targets.widen(parts, deps, &fields, &page_fields, None);
    Some(targets)
}

/// Makes `site` again; returns the fields of it that changed: those whose
/// typed parts differ, and, when page `i`'s value changed, those listing it.
fn update_site(parts: &mut BuiltSite, i: usize, page_changed: bool) -> BTreeSet<&'static str> {
    let site = Site::new(&parts.config, &parts.content, parts.today);
    let prepared = &mut parts.prepared;
    let context = SiteContext::new(&site, &prepared.pages);
    let summary = context.summary();
    let mut fields = summary.changed(&prepared.site_summary);
    if page_changed {
        fields.extend(context.listing(i));
    }
    prepared.site = context.value();
    prepared.site_summary = summary;
    fields
}

/// The glossary's "used in" lists, related explainers and the section's order.
fn update_content(parts: &mut BuiltSite, change: &PageChange, targets: &mut Targets) {
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
        for &to in change.links_before.union(&change.links_now) {
            content.place_backlink(Target::Page(change.page), to, change.links_now.contains(&to));
            if to != change.page {
                targets.pages.insert(to);
            }
        }
    }
}

/// The page's value, its section's and the lookup functions' data; returns
/// the fields of the page's context that changed (`None` if that cannot be told).
fn update_values(parts: &mut BuiltSite, change: &PageChange) -> Option<BTreeSet<&'static str>> {
    let (i, section) = (change.page, change.section);
    let content = &parts.content;
    let site = Site::new(&parts.config, content, parts.today);
    let now = PageContext::of(&site, i);
    let before = FieldHashes::of(&PageContext::new(&site, change.old)).ok()?;
    let page_fields = FieldHashes::of(&now).ok()?.changed(&before);
    let prepared = &mut parts.prepared;
    prepared.pages[i] = PageValue::new(&now);
    if !page_fields.is_empty() || change.order_changed {
        let section_value = SectionValue::of(&site, section, &prepared.pages);
        parts.templates.update_lookup(|l| {
            l.pages.insert(content.pages[i].doc.source.to_string(), prepared.pages[i].clone());
            l.sections.insert(content.sections[section].doc.source.to_string(), section_value);
        });
    }
    Some(page_fields)
}

/// The listings, lists and files that show the page, where what they show
/// of it changed.
fn shown_elsewhere(
    parts: &BuiltSite,
    deps: &Deps,
    change: &PageChange,
    fields: &BTreeSet<&str>,
    targets: &mut Targets,
) {
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
fn new_definition(parts: &mut BuiltSite, i: usize, targets: &mut Targets) {
    let content = &parts.content;
    let Some(&t) = content.glossary.of_page.get(&i) else { return };
    let site = Site::new(&parts.config, content, parts.today);
    let page = &content.pages[i];
    let short = short(&page.data).unwrap_or_default();
    parts.prepared.term_tips[t] = TermHtml::new(&site.path(&page.doc.url), short, &content.glossary.terms[t].slug);
    for target in &content.glossary.used_in[t] {
        match *target {
            Target::Page(j) => targets.fresh_pages.insert(j),
            Target::Section(s) => targets.fresh_sections.insert(s),
        };
    }
}

/// The pages the site found by `scan` lead to.
pub(super) fn links_of(content: &content::Content, scan: &crate::markdown::Scan) -> BTreeSet<usize> {
    let page = |l: &crate::markdown::LinkRef| match l.source().and_then(|s| content.target_of(s)) {
        Some(Target::Page(p)) => Some(p),
        _ => None,
    };
    scan.links.iter().filter_map(page).collect()
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
