//! Rebuilding in part: what an edit to one page or one template changes,
//! and rendering just that.
//!
//! A page edit re-renders the page from its Markdown, and, when what
//! listings show of it changed (the fields of its typed context, compared
//! by hash: title, dates, tags, reading time…), the pages that show it: its
//! section, its tags, the
//! explainers that list it as related, the terms it uses ("used in"), the
//! catalog views, the feed, sitemap and calendars. A term whose short
//! definition changed re-renders every page that uses it, since the
//! tooltip is in their bodies. Which fields of `site` an edit changed is
//! told by comparing its typed summaries (`templates::site::SiteSummary`),
//! and templates are read for what they use of `site` and of the lookup
//! functions, so a change to, say, the events in `site` re-renders only
//! the pages whose templates read `site.upcoming_events`.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use super::edit::{Edit, timings};
use super::state::State;
use super::targets::{Targets, keep_bodies, render};
use super::uses::TemplateUses;
use crate::content::{self, Target};
use crate::error::Diagnostic;
use crate::output::Sink;
use crate::render::pages;
use crate::templates::context::{SectionValue, Site};

mod page;

use page::links_of;
pub use page::page_edit;

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
    let anchors_changed = !old_scan.same_anchors(&parts.content.sections[s].doc.scan);
    let broken = crate::links::check_of(&parts.content, &parts.published, Target::Section(s), anchors_changed);
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
        for &to in links_before.symmetric_difference(&links_now) {
            content.place_backlink(Target::Section(s), to, links_now.contains(&to));
            targets.pages.insert(to);
        }
    }
    let site = Site::new(&parts.config, &parts.content, parts.today);
    let value = SectionValue::of(&site, s, &parts.prepared.pages);
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
    targets.widen(parts, &state.deps, &BTreeSet::new(), &BTreeSet::new(), Some(name));
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

/// Renders what an edit left for later (see [`template_edit`]). Problems
/// found here come after the first part was served: the state is marked
/// stale, so the next change rebuilds the whole site.
pub fn finish(state: &mut State, sink: &dyn Sink) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if std::mem::take(&mut state.search_stale) {
        let parts = &state.parts;
        let site = parts.site();
        crate::render::search::write_index(&site, sink, &mut diags);
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
