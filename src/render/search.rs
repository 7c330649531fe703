//! The site's search: the index of every page (see [`crate::search`]) under
//! `/search/LANG/`, and the theme's search page at `/search/`.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::content::{KindData, Page};
use crate::error::{Diagnostic, Location, Problem};
use crate::output::Sink;
use crate::search::{self, Record, TermWords};
use crate::templates::Templates;
use crate::templates::context::Site;
use crate::templates::context::listing::SearchContext;
use crate::templates::context::template::Shared;

/// Writes the index of every page (drafts only with `--drafts`), from the
/// text the first Markdown pass kept; returns how many files it wrote.
pub fn write_index(site: &Site, sink: &dyn Sink, diags: &mut Vec<Diagnostic>) -> usize {
    if !site.config.search.enabled {
        return 0;
    }
    let pages = &site.content.pages;
    // Each term's names cut into words once, for every page that uses it.
    let terms: Vec<TermWords> =
        site.content.glossary.terms.par_iter().map(|t| TermWords::new(&names(&pages[t.page]))).collect();
    let records: Vec<Record> =
        (0..pages.len()).into_par_iter().filter(|&i| !pages[i].doc.shadowed).map(|i| record(site, &terms, i)).collect();
    // One index per language; a site has one language today.
    let failed = std::sync::Mutex::new(Vec::new());
    let write = |path: PathBuf, bytes: Vec<u8>| {
        if let Err(e) = sink.write_owned(&path, bytes) {
            failed.lock().unwrap_or_else(|e| e.into_inner()).push(Diagnostic::global(e));
        }
    };
    let written = search::index(&site.config.language, records, &write);
    diags.extend(failed.into_inner().unwrap_or_else(|e| e.into_inner()));
    written
}

fn record<'a>(site: &Site<'a>, terms: &'a [TermWords], i: usize) -> Record<'a> {
    let content = site.content;
    let page = &content.pages[i];
    let meta = &page.doc.meta;
    let mut record = Record {
        path: site.path(&page.doc.url),
        title: &meta.title,
        kind: page.kind.name(),
        description: &meta.description,
        text: page.doc.scan.text.trim(),
        ..Record::default()
    };
    // Every name of every glossary term the page uses finds it too.
    record.term_words = page.doc.scan.terms.iter().filter_map(|&t| terms.get(t)).collect();
    match &page.data {
        KindData::Term(t) => {
            record.names = names(page);
            if record.description.is_empty() {
                record.description = &t.short;
            } else {
                record.keywords.push(&t.short);
            }
        }
        KindData::Explainer(e) => {
            if record.description.is_empty() {
                record.description = &e.summary;
            } else {
                record.keywords.push(&e.summary);
            }
            record.keywords.extend(e.takeaways.iter().map(String::as_str));
        }
        KindData::Tool(t) => {
            record.category = t.category.clone().unwrap_or_else(|| "Other".into());
            record.status = t.status.name().to_string();
        }
        _ => {}
    }
    record
}

/// A term page's names: its title, then its synonyms (none for other pages).
fn names(page: &Page) -> Vec<&str> {
    match &page.data {
        KindData::Term(t) => {
            std::iter::once(page.doc.meta.title.as_str()).chain(t.synonyms.iter().map(String::as_str)).collect()
        }
        _ => Vec::new(),
    }
}

/// The search page, `/search/index.html`, when search is on and the theme
/// has `search.html`.
pub fn page(shared: &Shared, templates: &Templates) -> Option<Result<(PathBuf, Vec<u8>), Diagnostic>> {
    let site = &shared.site;
    if !site.config.search.enabled || !templates.has("search.html") {
        return None;
    }
    let url = SearchContext::url();
    if let Some((_, doc)) = site.content.docs().find(|(_, d)| d.url == url) {
        let message = "this page is at /search/, where the search page goes: give it another slug, \
                       or turn search off with `[search] enabled = false` in site.toml"
            .to_string();
        return Some(Err(Diagnostic::error(Problem::Output(message), Location::file(&doc.file))));
    }
    Some(templates.render("search.html", &shared.search()).map(|html| (url.output_file(), html.into_bytes())))
}
