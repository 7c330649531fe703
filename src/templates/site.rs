//! `site`: what every template can see of the whole site: its sections, the
//! A–Z glossary, events upcoming and past, the tool catalog, and tags.
//!
//! [`SiteContext`] is typed, and lists pages by number ([`Listed`]); it is
//! serialised once per build into a [`SiteValue`], with each listed page
//! as its [`PageValue`]. A live rebuild tells which fields of `site` an
//! edit changed from its [`SiteSummary`]: a hash of each field's typed
//! parts, with pages by number, so comparing two costs nothing like
//! comparing two serialised sites.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use serde::{Serialize, Serializer};

use super::catalog::{self, CatalogContext, ViewLink};
use super::context::{PageValue, Site, SiteValue, SubsectionContext};
use crate::content::{Content, Event, Kind, KindData};
use crate::paths::{UrlPath, slugify};

/// Pages one part of `site` lists, by number: serialised as the pages'
/// values, hashed (and so compared) by their numbers.
pub struct Listed<'a> {
    pages: Vec<usize>,
    values: &'a [PageValue],
}

impl Serialize for Listed<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.pages.iter().map(|&i| &self.values[i]))
    }
}

impl Hash for Listed<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.pages.hash(state);
    }
}

#[derive(Serialize, Hash)]
struct TermGroup<'a> {
    letter: String,
    terms: Listed<'a>,
}

#[derive(Serialize, Hash)]
struct Letter {
    letter: char,
    active: bool,
}

#[derive(Serialize, Hash)]
struct ToolGroup<'a> {
    category: String,
    tools: Listed<'a>,
}

#[derive(Serialize, Hash)]
pub struct TagSummary {
    pub name: String,
    pub slug: String,
    pub path: String,
    pub permalink: String,
    pub count: usize,
}

/// `site`, typed.
#[derive(Serialize)]
pub struct SiteContext<'a> {
    sections: Vec<SubsectionContext<'a>>,
    terms: Vec<TermGroup<'a>>,
    letters: Vec<Letter>,
    upcoming_events: Listed<'a>,
    past_events: Listed<'a>,
    tools: Vec<ToolGroup<'a>>,
    catalog: CatalogContext,
    tags: Vec<TagSummary>,
}

/// Each field of `site` by name, with a hash of its typed parts (pages by
/// number): two summaries differ in a field when the field's sections,
/// groups, names, counts or page numbers differ. What the listed pages
/// themselves show is their own value's business (see [`SiteContext::listing`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSummary(Vec<(&'static str, u64)>);

impl SiteSummary {
    /// The fields that differ from `before`.
    pub fn changed(&self, before: &SiteSummary) -> BTreeSet<&'static str> {
        let old: BTreeMap<&str, u64> = before.0.iter().copied().collect();
        self.0.iter().filter(|(name, hash)| old.get(name) != Some(hash)).map(|(name, _)| *name).collect()
    }
}

fn hash_of(value: &impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
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

impl<'a> SiteContext<'a> {
    /// `site` for `site`'s content, listing pages as `pages` (by number) shows them.
    pub fn new(site: &Site<'a>, pages: &'a [PageValue]) -> Self {
        let content = site.content;
        let listed = |numbers: Vec<usize>| Listed { pages: numbers, values: pages };
        let terms: Vec<TermGroup> = term_groups(content)
            .into_iter()
            .map(|(letter, numbers)| TermGroup { letter, terms: listed(numbers) })
            .collect();
        let letters =
            ('A'..='Z').map(|c| Letter { letter: c, active: terms.iter().any(|g| g.letter.starts_with(c)) }).collect();
        let (upcoming, past) = events(site);
        let tools = catalog::by_category(content)
            .into_iter()
            .map(|(category, numbers)| ToolGroup { category, tools: listed(numbers) })
            .collect();
        SiteContext {
            sections: top_sections(site),
            terms,
            letters,
            upcoming_events: listed(upcoming),
            past_events: listed(past),
            tools,
            catalog: catalog_context(site),
            tags: tag_summaries(site),
        }
    }

    /// Serialises `site` for templates.
    pub fn value(&self) -> SiteValue {
        SiteValue::new(self)
    }

    pub fn summary(&self) -> SiteSummary {
        SiteSummary(vec![
            ("sections", hash_of(&self.sections)),
            ("terms", hash_of(&self.terms)),
            ("letters", hash_of(&self.letters)),
            ("upcoming_events", hash_of(&self.upcoming_events)),
            ("past_events", hash_of(&self.past_events)),
            ("tools", hash_of(&self.tools)),
            ("catalog", hash_of(&self.catalog)),
            ("tags", hash_of(&self.tags)),
        ])
    }

    /// The fields that list page number `page`: they show its value.
    pub fn listing(&self, page: usize) -> BTreeSet<&'static str> {
        let has = |l: &Listed| l.pages.contains(&page);
        let mut out = BTreeSet::new();
        if self.terms.iter().any(|g| has(&g.terms)) {
            out.insert("terms");
        }
        if has(&self.upcoming_events) {
            out.insert("upcoming_events");
        }
        if has(&self.past_events) {
            out.insert("past_events");
        }
        if self.tools.iter().any(|g| has(&g.tools)) {
            out.insert("tools");
        }
        out
    }
}

/// Glossary terms by the letter they are filed under, A–Z by title.
fn term_groups(content: &Content) -> Vec<(String, Vec<usize>)> {
    let mut terms: Vec<usize> = (0..content.pages.len()).filter(|&i| content.pages[i].kind == Kind::Term).collect();
    terms.sort_by_key(|&i| content.pages[i].doc.meta.title.to_lowercase());
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for i in terms {
        let letter = letter_of(&content.pages[i].doc.meta.title);
        match groups.last_mut() {
            Some((l, list)) if *l == letter => list.push(i),
            _ => groups.push((letter, vec![i])),
        }
    }
    groups
}

/// Events upcoming (soonest first) and past (latest first), by page number.
fn events(site: &Site) -> (Vec<usize>, Vec<usize>) {
    let content = site.content;
    let mut events: Vec<(usize, &Event)> = content
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match &p.data {
            KindData::Event(e) => Some((i, e)),
            _ => None,
        })
        .collect();
    events.sort_by_key(|(i, e)| (e.start_instant(), content.pages[*i].doc.source.clone()));
    let (upcoming, past): (Vec<_>, Vec<_>) = events.into_iter().partition(|(_, e)| e.last_day() >= site.today);
    (upcoming.into_iter().map(|(i, _)| i).collect(), past.into_iter().rev().map(|(i, _)| i).collect())
}

fn catalog_context(site: &Site) -> CatalogContext {
    let content = site.content;
    let mut catalog =
        CatalogContext { path: site.path(&catalog::root(content)), categories: Vec::new(), statuses: Vec::new() };
    for view in catalog::views(content) {
        let link = ViewLink { name: view.name, slug: view.slug, path: site.path(&view.url), count: view.tools.len() };
        match view.kind {
            "category" => catalog.categories.push(link),
            _ => catalog.statuses.push(link),
        }
    }
    catalog
}

fn tag_summaries(site: &Site) -> Vec<TagSummary> {
    tags(site)
        .into_iter()
        .map(|(slug, (name, list))| {
            let url = UrlPath::from_segments(["tags", slug.as_str()]);
            TagSummary { name, path: site.path(&url), permalink: site.permalink(&url), slug, count: list.len() }
        })
        .collect()
}

/// The home page's sections, by weight, then title.
fn top_sections<'a>(site: &Site<'a>) -> Vec<SubsectionContext<'a>> {
    let content = site.content;
    let mut top: Vec<usize> = content.sections[0].subsections.clone();
    top.sort_by_key(|&i| (content.sections[i].doc.meta.weight, content.sections[i].doc.meta.title.to_lowercase()));
    top.iter().map(|&i| SubsectionContext::new(site, &content.sections[i])).collect()
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

    #[test]
    fn summaries_compare_pages_by_number_field_by_field() {
        let values: Vec<PageValue> =
            (0..4).map(|_| PageValue::new(&crate::templates::context::PageContext::default())).collect();
        let listed = |pages: Vec<usize>| Listed { pages, values: &values };
        let site = |upcoming: Vec<usize>, past: Vec<usize>| SiteContext {
            sections: Vec::new(),
            terms: vec![TermGroup { letter: "A".into(), terms: listed(vec![3]) }],
            letters: Vec::new(),
            upcoming_events: listed(upcoming),
            past_events: listed(past),
            tools: Vec::new(),
            catalog: CatalogContext { path: "/tools/".into(), categories: Vec::new(), statuses: Vec::new() },
            tags: Vec::new(),
        };
        let before = site(vec![1, 2], vec![]);
        let after = site(vec![2], vec![1]);
        let changed = after.summary().changed(&before.summary());
        assert_eq!(changed, BTreeSet::from(["upcoming_events", "past_events"]));
        assert!(before.summary().changed(&before.summary()).is_empty());
        assert_eq!(after.listing(3), BTreeSet::from(["terms"]));
        assert_eq!(after.listing(1), BTreeSet::from(["past_events"]));
        // The summary names every field templates see.
        let serde_json::Value::Object(keys) = serde_json::to_value(&after).unwrap() else { panic!() };
        let names: BTreeSet<&str> = after.summary().0.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, keys.keys().map(String::as_str).collect());
    }
}
