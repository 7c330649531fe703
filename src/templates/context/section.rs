//! `section`: a section and the pages it lists, as `get_section` gives it
//! ([`SectionListing`], serialised once into a
//! [`SectionValue`](super::SectionValue)) and in its own template, one
//! listing page at a time ([`SectionView`]).

use serde::Serialize;

use super::{LinkContext, PageValue, SectionValue, Site, TrustedHtml, toml_to_json};
use crate::content::Section;
use crate::markdown::{TocEntry, toc};

/// What a section's own template and `get_section` share (the pages it
/// lists are apart, since its template shows one listing page at a time).
#[derive(Serialize)]
pub struct SectionContext<'a> {
    /// The source file under `content/` (`explainers/_index.md`), as `get_section` takes it.
    pub source: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub kind: Option<&'static str>,
    pub path: String,
    pub permalink: String,
    pub toc: Vec<TocEntry>,
    pub extra: serde_json::Value,
    pub breadcrumbs: Vec<LinkContext>,
    pub subsections: Vec<SubsectionContext<'a>>,
}

/// A section as `subsections` and `site.sections` list it.
#[derive(Serialize, Hash)]
pub struct SubsectionContext<'a> {
    pub source: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub path: String,
    pub permalink: String,
    pub kind: Option<&'static str>,
}

impl<'a> SubsectionContext<'a> {
    pub fn new(site: &Site, s: &'a Section) -> Self {
        SubsectionContext {
            source: s.doc.source.as_str(),
            title: &s.doc.meta.title,
            description: &s.doc.meta.description,
            path: site.path(&s.doc.url),
            permalink: site.permalink(&s.doc.url),
            kind: s.kind.map(|k| k.name()),
        }
    }
}

impl<'a> SectionContext<'a> {
    /// Section number `index` of the site.
    pub fn of(site: &Site<'a>, index: usize) -> Self {
        let content = site.content;
        let s = &content.sections[index];
        SectionContext {
            source: s.doc.source.as_str(),
            title: &s.doc.meta.title,
            description: &s.doc.meta.description,
            kind: s.kind.map(|k| k.name()),
            path: site.path(&s.doc.url),
            permalink: site.permalink(&s.doc.url),
            toc: toc(&s.doc.scan.headings),
            extra: toml_to_json(&toml::Value::Table(s.doc.meta.extra.clone())),
            breadcrumbs: site.breadcrumbs(s.parent),
            subsections: s.subsections.iter().map(|&i| SubsectionContext::new(site, &content.sections[i])).collect(),
        }
    }
}

/// A section as `get_section` gives it: with every page it lists (their
/// bodies are not included, nor its own).
#[derive(Serialize)]
pub struct SectionListing<'a> {
    #[serde(flatten)]
    pub section: &'a SectionContext<'a>,
    pub pages: Vec<&'a PageValue>,
}

impl<'a> SectionListing<'a> {
    pub fn new(site: &Site, section: &'a SectionContext<'a>, index: usize, pages: &'a [PageValue]) -> Self {
        let listed = &site.content.sections[index].pages;
        SectionListing { section, pages: listed.iter().map(|&p| &pages[p]).collect() }
    }
}

impl SectionValue {
    /// Section number `index` of the site, listing pages as `pages` (by number) shows them.
    pub fn of(site: &Site, index: usize, pages: &[PageValue]) -> Self {
        let section = SectionContext::of(site, index);
        SectionValue::new(&SectionListing::new(site, &section, index, pages))
    }
}

/// `section` in its own template: one listing page of it.
#[derive(Serialize)]
pub struct SectionView<'a> {
    #[serde(flatten)]
    pub section: &'a SectionContext<'a>,
    /// The body as HTML.
    pub content: &'a TrustedHtml,
    /// This listing page's pages, sorted by `sort_by`.
    pub pages: &'a [&'a PageValue],
    pub paginator: Option<Paginator>,
}

/// `paginator`: where a paginated section's page sits among its pages.
#[derive(Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
}
