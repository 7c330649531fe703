//! `page`: one page, as listings show it ([`PageContext`], serialised once
//! into a [`PageValue`]) and in its own template ([`PageView`]: that value,
//! its body and the lists only it shows, [`PageOwn`]).

use jiff::civil;
use serde::Serialize;

use super::{LinkContext, PageValue, Related, Site, TagRef, TermRef, TrustedHtml, UsedIn, toml_to_json};
use crate::content::{Definition, Event, EventStatus, Explainer, KindData, Page, Target, Term, Tool, When};
use crate::markdown::{TocEntry, toc};

#[derive(Serialize)]
pub struct ChangeContext {
    pub date: String,
    pub note: String,
}

#[derive(Serialize)]
pub struct ReadingContext<'a> {
    pub title: &'a str,
    pub url: &'a str,
}

/// `page`: one page. Kind-specific keys are present on every page (empty
/// or null where they do not apply), so templates can test them plainly.
#[derive(Serialize, Default)]
pub struct PageContext<'a> {
    /// The source file under `content/` (`explainers/x.md`), as `get_page` takes it.
    pub source: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub kind: &'a str,
    pub slug: String,
    pub path: String,
    pub permalink: String,
    pub toc: Vec<TocEntry>,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub draft: bool,
    pub weight: i64,
    pub tags: Vec<TagRef>,
    pub extra: serde_json::Value,
    pub word_count: usize,
    pub reading_time: usize,
    pub section_path: String,
    pub breadcrumbs: Vec<LinkContext>,
    // Explainers.
    pub summary: &'a str,
    pub takeaways: &'a [String],
    pub audience: &'a [String],
    pub reviewed: Option<String>,
    pub review_due: Option<String>,
    pub review_overdue: bool,
    pub changes: Vec<ChangeContext>,
    pub further_reading: Vec<ReadingContext<'a>>,
    // Terms.
    pub short: &'a str,
    pub synonyms: &'a [String],
    pub definitions: &'a [Definition],
    // Events.
    pub start: Option<String>,
    pub end: Option<String>,
    pub all_day: bool,
    pub timezone: Option<&'a str>,
    pub location: Option<&'a str>,
    pub online: Option<&'a str>,
    pub register: Option<&'a str>,
    pub organizer: Option<&'a str>,
    pub status: Option<&'static str>,
    pub when: Option<crate::templates::event::WhenContext>,
    pub calendar: Option<String>,
    pub json_ld: Option<String>,
    // Tools.
    pub url: Option<&'a str>,
    pub license: Option<&'a str>,
    pub maintainer: Option<&'a str>,
    pub category: Option<&'a str>,
}

fn date_text(d: civil::Date) -> String {
    d.to_string()
}

fn when_text(w: When) -> String {
    match w {
        When::Day(d) => d.to_string(),
        When::At(dt) => dt.strftime("%Y-%m-%dT%H:%M:%S").to_string(),
    }
}

impl<'a> PageContext<'a> {
    /// The context of `page`, one of `site`'s pages (or what one of them
    /// was before an edit), without its body.
    pub fn new(site: &Site<'a>, page: &'a Page) -> Self {
        let doc = &page.doc;
        let meta = &doc.meta;
        let mut ctx = PageContext {
            source: doc.source.as_str(),
            title: &meta.title,
            description: &meta.description,
            kind: page.kind.name(),
            slug: doc.url.slug().to_string(),
            path: site.path(&doc.url),
            permalink: site.permalink(&doc.url),
            toc: toc(&doc.scan.headings),
            date: meta.date.map(date_text),
            updated: meta.updated.map(date_text),
            draft: meta.draft,
            weight: meta.weight,
            tags: meta.tags.iter().map(|t| site.tag(t)).collect(),
            extra: toml_to_json(&toml::Value::Table(meta.extra.clone())),
            word_count: doc.scan.word_count,
            reading_time: doc.scan.word_count.div_ceil(200).max(1),
            section_path: site.path(&site.content.sections[page.section].doc.url),
            breadcrumbs: site.breadcrumbs(Some(page.section)),
            ..PageContext::default()
        };
        match &page.data {
            KindData::Explainer(e) => ctx.explainer(e, site.today),
            KindData::Term(t) => ctx.term(t),
            KindData::Event(e) => ctx.event(site, page, e),
            KindData::Tool(t) => ctx.tool(t),
            KindData::Page => {}
        }
        ctx
    }

    /// Page number `index` of the site.
    pub fn of(site: &Site<'a>, index: usize) -> Self {
        PageContext::new(site, &site.content.pages[index])
    }

    fn explainer(&mut self, e: &'a Explainer, today: civil::Date) {
        self.summary = &e.summary;
        self.takeaways = &e.takeaways;
        self.audience = &e.audience;
        self.reviewed = e.reviewed.map(date_text);
        self.review_due = e.review_due.as_ref().map(|(d, _)| date_text(*d));
        self.review_overdue = e.review_due.as_ref().is_some_and(|(d, _)| *d < today);
        let mut changes: Vec<_> = e.changes.iter().collect();
        changes.sort_by_key(|(d, _)| std::cmp::Reverse(*d));
        self.changes =
            changes.into_iter().map(|(d, n)| ChangeContext { date: date_text(*d), note: n.clone() }).collect();
        self.further_reading = e.further_reading.iter().map(|(t, u)| ReadingContext { title: t, url: u }).collect();
    }

    fn term(&mut self, t: &'a Term) {
        self.short = &t.short;
        self.synonyms = &t.synonyms;
        self.definitions = &t.definitions;
    }

    fn event(&mut self, site: &Site, page: &'a Page, e: &'a Event) {
        let (doc, meta) = (&page.doc, &page.doc.meta);
        self.start = Some(when_text(e.start));
        self.end = e.end.map(when_text);
        self.all_day = matches!(e.start, When::Day(_));
        self.timezone = Some(&e.timezone_name);
        self.location = e.location.as_deref();
        self.online = e.online.as_deref();
        self.register = e.register.as_deref();
        self.organizer = e.organizer.as_deref();
        self.when = Some(crate::templates::event::when(e));
        self.calendar = Some(site.path(&doc.url.file("event.ics")));
        let facts = crate::templates::event::PageFacts {
            title: &meta.title,
            description: &meta.description,
            permalink: &self.permalink,
        };
        self.json_ld = Some(crate::templates::event::json_ld(&facts, e));
        self.status = Some(match e.status {
            EventStatus::Scheduled => "scheduled",
            EventStatus::Cancelled => "cancelled",
            EventStatus::Postponed => "postponed",
        });
    }

    fn tool(&mut self, t: &'a Tool) {
        self.url = t.url.as_deref();
        self.license = t.license.as_deref();
        self.maintainer = t.maintainer.as_deref();
        self.category = t.category.as_deref();
        self.reviewed = t.reviewed.map(date_text);
        self.status = Some(t.status.name());
    }
}

impl PageValue {
    /// Page number `index` of the site, as listings show it.
    pub fn of(site: &Site, index: usize) -> Self {
        PageValue::new(&PageContext::of(site, index))
    }
}

/// `page` in its own template: the page as listings show it, its body, and
/// what only its own template sees.
#[derive(Serialize)]
pub struct PageView<'a> {
    #[serde(flatten)]
    pub listed: &'a PageValue,
    /// The body as HTML.
    pub content: TrustedHtml,
    #[serde(flatten)]
    pub own: PageOwn<'a>,
}

impl PageView<'_> {
    /// The map serde's `flatten` would make of this view: the listing
    /// value's entries (by reference count), `content` and [`PageOwn`]'s
    /// fields. A test holds it to the serialised view.
    pub fn value(&self) -> tera::TeraResult<tera::Value> {
        let own = tera::Value::try_from_serializable(&self.own)?;
        let mut map = self.listed.value().clone().into_map().unwrap_or_default();
        map.reserve(5);
        map.insert("content".into(), self.content.value().clone());
        map.extend(own.into_map().unwrap_or_default());
        Ok(tera::Value::from(map))
    }
}

/// What only a page's own template sees, besides its body: listings and
/// `get_page` leave these out, as a glossary term used on thousands of pages
/// would otherwise weigh on every listing that includes it.
#[derive(Serialize)]
pub struct PageOwn<'a> {
    /// Glossary terms the page mentions or links, in order of first use.
    pub terms_used: Vec<TermRef<'a>>,
    /// Terms: the pages and sections that mention or link it, by title.
    pub used_in: Vec<UsedIn<'a>>,
    /// Explainers: the most related explainers; terms: their `related` terms.
    pub related: Vec<Related>,
    /// The pages and sections that link to this page, by title.
    pub backlinks: Vec<UsedIn<'a>>,
}

/// Which of [`PageOwn`]'s fields the templates read; the others stay empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnFields {
    pub terms_used: bool,
    pub used_in: bool,
    pub backlinks: bool,
}

impl<'a> PageOwn<'a> {
    pub fn new(site: &Site<'a>, index: usize, fields: OwnFields) -> Self {
        let doc = &site.content.pages[index].doc;
        PageOwn {
            terms_used: match fields.terms_used {
                true => doc.scan.terms.iter().filter_map(|&t| term_ref(site, t)).collect(),
                false => Vec::new(),
            },
            used_in: match fields.used_in {
                true => used_in(site, index),
                false => Vec::new(),
            },
            backlinks: match fields.backlinks {
                true => site.content.backlinks[index].iter().map(|&t| used_by(site, t)).collect(),
                false => Vec::new(),
            },
            related: match &site.content.pages[index].data {
                KindData::Explainer(_) => crate::templates::related::explainers(site, index),
                KindData::Term(t) => t.related.iter().filter_map(|(slug, _)| related_term(site, slug)).collect(),
                _ => Vec::new(),
            },
        }
    }
}

/// A related term by slug.
fn related_term(site: &Site, slug: &str) -> Option<Related> {
    let glossary = &site.content.glossary;
    let term = glossary.by_slug.get(slug)?;
    let p = &site.content.pages[glossary.terms[*term].page];
    let short = if let KindData::Term(t) = &p.data { t.short.clone() } else { String::new() };
    Some(Related::new(site, p, short))
}

/// Glossary term number `term`, as a page that uses it lists it.
fn term_ref<'a>(site: &Site<'a>, term: usize) -> Option<TermRef<'a>> {
    let t = site.content.glossary.terms.get(term)?;
    let page = &site.content.pages[t.page];
    let KindData::Term(data) = &page.data else { return None };
    Some(TermRef {
        title: &page.doc.meta.title,
        slug: &t.slug,
        short: &data.short,
        path: site.path(&page.doc.url),
        permalink: site.permalink(&page.doc.url),
    })
}

/// The pages and sections that use the term page number `page` defines, by title.
fn used_in<'a>(site: &Site<'a>, page: usize) -> Vec<UsedIn<'a>> {
    let content = site.content;
    let Some(&term) = content.glossary.of_page.get(&page) else {
        return Vec::new();
    };
    content.glossary.used_in[term].iter().map(|&target| used_by(site, target)).collect()
}

/// A page or section, as a list of the places that use or link something shows it.
fn used_by<'a>(site: &Site<'a>, target: Target) -> UsedIn<'a> {
    let content = site.content;
    let doc = content.doc(target);
    let kind = match target {
        Target::Page(i) => content.pages[i].kind.name(),
        Target::Section(_) => "section",
    };
    UsedIn { title: &doc.meta.title, kind, path: site.path(&doc.url), permalink: site.permalink(&doc.url) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::fields::FieldHashes;

    #[test]
    fn a_page_can_be_compared_field_by_field() {
        let before = PageContext::default();
        let after = PageContext { title: "New", reading_time: 3, ..PageContext::default() };
        let changed = FieldHashes::of(&after).unwrap().changed(&FieldHashes::of(&before).unwrap());
        assert_eq!(changed, ["reading_time", "title"].into());
    }

    #[test]
    fn a_page_view_is_the_map_flatten_makes() {
        let listed = PageValue::new(&PageContext {
            title: "Open weights",
            takeaways: &["One".to_string()],
            toc: vec![TocEntry { level: 2, id: "risks".into(), title: "Risks".into(), children: Vec::new() }],
            ..PageContext::default()
        });
        let used = UsedIn { title: "Glossary", kind: "section", path: "/glossary/".into(), permalink: String::new() };
        let view = PageView {
            listed: &listed,
            content: TrustedHtml::new("<p>Body & more</p>"),
            own: PageOwn {
                terms_used: vec![TermRef {
                    title: "LLM",
                    slug: "llm",
                    short: "A model.",
                    path: "/glossary/llm/".into(),
                    permalink: String::new(),
                }],
                used_in: vec![used],
                related: Vec::new(),
                backlinks: Vec::new(),
            },
        };
        let assembled = view.value().unwrap();
        assert_eq!(assembled, tera::Value::from_serializable(&view));
        assert!(assembled.get_from_path("content").unwrap().is_safe());
        assert_eq!(assembled.as_map().unwrap().len(), listed.value().as_map().unwrap().len() + 5);
    }
}
