//! `site`: what every template can see of the whole site: its sections, the
//! A–Z glossary, events upcoming and past, the tool catalog, and tags.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use super::catalog::{self, CatalogContext, ViewLink};
use super::context::{Site, subsection};
use crate::content::{Kind, KindData};
use crate::paths::{UrlPath, slugify};

#[derive(Serialize)]
struct TermGroup {
    letter: String,
    terms: Vec<Value>,
}

#[derive(Serialize)]
struct Letter {
    letter: char,
    active: bool,
}

#[derive(Serialize)]
struct ToolGroup {
    category: String,
    tools: Vec<Value>,
}

#[derive(Serialize)]
pub struct TagSummary {
    pub name: String,
    pub slug: String,
    pub path: String,
    pub permalink: String,
    pub count: usize,
}

#[derive(Serialize)]
struct SiteContext<'a> {
    sections: Vec<super::context::SubsectionContext<'a>>,
    terms: Vec<TermGroup>,
    letters: Vec<Letter>,
    upcoming_events: Vec<Value>,
    past_events: Vec<Value>,
    tools: Vec<ToolGroup>,
    catalog: CatalogContext,
    tags: Vec<TagSummary>,
}

/// The letter a term is filed under: its first letter without accents, or `#`.
fn letter_of(title: &str) -> String {
    let first = title.chars().find(|c| c.is_alphanumeric()).unwrap_or('#');
    let plain = match first.to_lowercase().next().unwrap_or(first) {
        'à'..='å' => 'a',
        'ç' => 'c',
        'è'..='ë' => 'e',
        'ì'..='ï' => 'i',
        'ñ' => 'n',
        'ò'..='ö' => 'o',
        'ù'..='ü' => 'u',
        c => c,
    };
    if plain.is_ascii_alphabetic() { plain.to_ascii_uppercase().to_string() } else { "#".to_string() }
}

/// Tags with the pages that carry them, by tag slug.
pub fn tags(site: &Site) -> BTreeMap<String, (String, Vec<usize>)> {
    let mut out: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    for (i, page) in site.content.pages.iter().enumerate() {
        for tag in &page.doc.meta.tags {
            let entry = out.entry(slugify(tag)).or_insert_with(|| (tag.clone(), Vec::new()));
            entry.1.push(i);
        }
    }
    out
}

/// Builds `site` once per build; `pages` are the serialized page contexts.
pub fn site_value(site: &Site, pages: &[Value]) -> Value {
    let content = site.content;
    let mut terms: Vec<usize> = (0..content.pages.len()).filter(|&i| content.pages[i].kind == Kind::Term).collect();
    terms.sort_by_key(|&i| content.pages[i].doc.meta.title.to_lowercase());
    let mut groups: Vec<TermGroup> = Vec::new();
    for i in terms {
        let letter = letter_of(&content.pages[i].doc.meta.title);
        match groups.last_mut() {
            Some(g) if g.letter == letter => g.terms.push(pages[i].clone()),
            _ => groups.push(TermGroup { letter, terms: vec![pages[i].clone()] }),
        }
    }
    let letters =
        ('A'..='Z').map(|c| Letter { letter: c, active: groups.iter().any(|g| g.letter.starts_with(c)) }).collect();

    let mut events: Vec<(usize, &crate::content::Event)> = content
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match &p.data {
            KindData::Event(e) => Some((i, e)),
            _ => None,
        })
        .collect();
    events.sort_by_key(|(i, e)| (e.start_instant(), content.pages[*i].doc.source.clone()));
    let (upcoming, mut past): (Vec<_>, Vec<_>) = events.into_iter().partition(|(_, e)| e.last_day() >= site.today);
    past.reverse();

    let tools = catalog::by_category(content)
        .into_iter()
        .map(|(category, list)| ToolGroup { category, tools: list.into_iter().map(|i| pages[i].clone()).collect() })
        .collect();
    let mut catalog =
        CatalogContext { path: site.path(&catalog::root(content)), categories: Vec::new(), statuses: Vec::new() };
    for view in catalog::views(content) {
        let link = ViewLink { name: view.name, slug: view.slug, path: site.path(&view.url), count: view.tools.len() };
        match view.kind {
            "category" => catalog.categories.push(link),
            _ => catalog.statuses.push(link),
        }
    }

    let tags = tags(site)
        .into_iter()
        .map(|(slug, (name, list))| {
            let url = UrlPath::from_segments(["tags", slug.as_str()]);
            TagSummary { name, path: site.path(&url), permalink: site.permalink(&url), slug, count: list.len() }
        })
        .collect();

    let home = &content.sections[0];
    let mut top: Vec<usize> = home.subsections.clone();
    top.sort_by_key(|&i| (content.sections[i].doc.meta.weight, content.sections[i].doc.meta.title.to_lowercase()));
    let site = SiteContext {
        sections: top.iter().map(|&i| subsection(site, &content.sections[i])).collect(),
        terms: groups,
        letters,
        upcoming_events: upcoming.iter().map(|(i, _)| pages[*i].clone()).collect(),
        past_events: past.iter().map(|(i, _)| pages[*i].clone()).collect(),
        tools,
        catalog,
        tags,
    };
    Value::from_serializable(&site)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_filed_under_plain_letters() {
        assert_eq!(letter_of("Évaluation"), "E");
        assert_eq!(letter_of("red teaming"), "R");
        assert_eq!(letter_of("“Open” weights"), "O");
        assert_eq!(letter_of("42"), "#");
    }
}
