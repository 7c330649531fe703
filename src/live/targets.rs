//! What an edit renders again, and rendering just that.

use std::collections::{BTreeSet, HashSet};

use rayon::prelude::*;

use super::deps::Deps;
use crate::content::{Content, Target};
use crate::error::Diagnostic;
use crate::output::Sink;
use crate::render::BuiltSite;
use crate::render::extras::Generated;
use crate::render::pages::{self, Render};
use crate::templates::Templates;
use crate::templates::context::Site;

/// What to render again.
#[derive(Default, Debug)]
pub struct Targets {
    /// Pages and sections rendered from their Markdown again.
    pub fresh_pages: BTreeSet<usize>,
    pub fresh_sections: BTreeSet<usize>,
    /// Pages and sections rendered again from their kept bodies.
    pub pages: BTreeSet<usize>,
    pub sections: BTreeSet<usize>,
    pub tags: HashSet<String>,
    pub tag_index: bool,
    pub all_tags: bool,
    pub views: bool,
    pub generated: Generated,
}

impl Targets {
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
            && self.sections.is_empty()
            && self.fresh_pages.is_empty()
            && self.fresh_sections.is_empty()
    }

    /// Takes out the pages and sections whose output file `first` picks.
    pub fn split_off(&mut self, parts: &BuiltSite, first: &dyn Fn(&str) -> bool) -> Targets {
        let content = &parts.content;
        let mut head = Targets::default();
        self.pages.retain(|&i| !(first(&output_key(&content.pages[i].doc.url)) && head.pages.insert(i)));
        self.sections.retain(|&i| !(first(&output_key(&content.sections[i].doc.url)) && head.sections.insert(i)));
        head
    }

    /// Adds everything whose templates read `fields` of `site`, or call
    /// the lookup functions and read `page_fields` (what changed of a page),
    /// or are built on `template`.
    pub fn widen(
        &mut self,
        parts: &BuiltSite,
        deps: &Deps,
        fields: &BTreeSet<&str>,
        page_fields: &BTreeSet<&str>,
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

/// The files, relative to the output, of the pages and sections in `targets`.
pub fn outputs(parts: &BuiltSite, targets: &Targets) -> Vec<String> {
    let content = &parts.content;
    let pages = targets.pages.iter().chain(&targets.fresh_pages).map(|&i| &content.pages[i].doc.url);
    let sections = targets.sections.iter().chain(&targets.fresh_sections).map(|&i| &content.sections[i].doc.url);
    pages.chain(sections).map(output_key).collect()
}

pub fn output_key(url: &crate::paths::UrlPath) -> String {
    url.output_file().to_string_lossy().replace('\\', "/")
}

/// Renders `targets` into `sink`; returns problems and the bodies rendered afresh.
pub fn render(
    parts: &BuiltSite,
    templates: &Templates,
    targets: &Targets,
    sink: &dyn Sink,
) -> (Vec<Diagnostic>, Vec<(Target, String)>) {
    let content: &Content = &parts.content;
    let r = Render {
        site: Site::new(&parts.config, content, parts.today),
        templates,
        prepared: &parts.prepared,
        highlighter: &parts.highlighter,
        sink,
        published: &parts.published,
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
        crate::render::extras::write_generated(&r.shared(), templates, &targets.generated, sink, &mut diags);
    }
    (diags, fresh.into_iter().filter_map(|(t, b)| b.map(|b| (t, b))).collect())
}

/// Keeps bodies rendered afresh for the next rebuild.
pub fn keep_bodies(parts: &mut BuiltSite, fresh: Vec<(Target, String)>) {
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
