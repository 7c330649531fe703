//! The typed template context: what themes can use, as `Serialize` structs
//! that borrow from the content model. Their fields are the theme API that
//! the README documents.

use jiff::civil;
use serde::Serialize;

pub use super::view::Site;
use crate::config::Config;
use crate::content::{Definition, EventStatus, KindData, Page, Section, When};
use crate::markdown::{TocEntry, toc};

/// `config`: site.toml as templates see it.
#[derive(Serialize)]
pub struct ConfigContext<'a> {
    pub title: &'a str,
    pub base_url: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub license: &'a str,
    pub timezone: &'a str,
    pub search: &'a crate::config::SearchConfig,
    pub extra: serde_json::Value,
}

impl<'a> ConfigContext<'a> {
    pub fn new(config: &'a Config) -> Self {
        ConfigContext {
            title: &config.title,
            base_url: config.base_url.as_str(),
            description: &config.description,
            language: &config.language,
            license: &config.license,
            timezone: &config.timezone_name,
            search: &config.search,
            extra: toml_to_json(&toml::Value::Table(config.extra.clone())),
        }
    }
}

/// TOML as plain data for templates: dates become their TOML text.
pub fn toml_to_json(value: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => J::from(*f),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => J::Object(t.iter().map(|(k, v)| (k.clone(), toml_to_json(v))).collect()),
    }
}

/// A link to another page: what lists and breadcrumbs need.
#[derive(Serialize, Clone)]
pub struct LinkContext {
    pub title: String,
    pub path: String,
    pub permalink: String,
}

#[derive(Serialize)]
pub struct TagRef {
    pub name: String,
    pub slug: String,
    pub path: String,
}

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

/// A related page: for a term, a term it names in `related`; for an
/// explainer, one of the explainers that share most tags with it.
#[derive(Serialize)]
pub struct Related {
    pub slug: String,
    pub title: String,
    pub path: String,
    pub permalink: String,
    /// A term's short definition; an explainer's description, else its summary.
    pub summary: String,
}

impl Related {
    pub fn new(site: &Site, page: &Page, summary: String) -> Self {
        let url = &page.doc.url;
        Related {
            slug: url.slug().to_string(),
            title: page.doc.meta.title.clone(),
            path: site.path(url),
            permalink: site.permalink(url),
            summary,
        }
    }
}

/// A glossary term as other pages list it.
#[derive(Serialize)]
pub struct TermRef<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub short: &'a str,
    pub path: String,
    pub permalink: String,
}

/// A page or section that uses a glossary term, or site to a page.
#[derive(Serialize)]
pub struct UsedIn<'a> {
    pub title: &'a str,
    /// The page's kind, or `section`.
    pub kind: &'a str,
    pub path: String,
    pub permalink: String,
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
    pub when: Option<super::event::WhenContext>,
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

/// What only a page's own template sees, besides its body: listings and
/// `get_page` leave these out, as a glossary term used on thousands of pages
/// would otherwise weigh on every listing that includes it.
#[derive(Serialize)]
pub struct PageOwn<'a> {
    /// Glossary terms the page mentions or site, in order of first use.
    pub terms_used: Vec<TermRef<'a>>,
    /// Terms: the pages and sections that mention or link it, by title.
    pub used_in: Vec<UsedIn<'a>>,
    /// Explainers: the most related explainers; terms: their `related` terms.
    pub related: Vec<Related>,
    /// The pages and sections that link to this page, by title.
    pub backlinks: Vec<UsedIn<'a>>,
}

/// Which of [`PageOwn`]'s fields the templates use; the others stay empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnFields {
    pub terms_used: bool,
    pub used_in: bool,
    pub backlinks: bool,
}

pub fn page_own<'a>(site: &Site<'a>, index: usize, fields: OwnFields) -> PageOwn<'a> {
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
            KindData::Explainer(_) => super::related::explainers(site, index),
            KindData::Term(t) => t.related.iter().filter_map(|(slug, _)| related_term(site, slug)).collect(),
            _ => Vec::new(),
        },
    }
}

/// The context of page number `index`, without its rendered body.
pub fn page<'a>(site: &Site<'a>, index: usize) -> PageContext<'a> {
    let page: &'a Page = &site.content.pages[index];
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
        KindData::Explainer(e) => {
            ctx.summary = &e.summary;
            ctx.takeaways = &e.takeaways;
            ctx.audience = &e.audience;
            ctx.reviewed = e.reviewed.map(date_text);
            ctx.review_due = e.review_due.as_ref().map(|(d, _)| date_text(*d));
            ctx.review_overdue = e.review_due.as_ref().is_some_and(|(d, _)| *d < site.today);
            let mut changes: Vec<_> = e.changes.iter().collect();
            changes.sort_by_key(|(d, _)| std::cmp::Reverse(*d));
            ctx.changes =
                changes.into_iter().map(|(d, n)| ChangeContext { date: date_text(*d), note: n.clone() }).collect();
            ctx.further_reading = e.further_reading.iter().map(|(t, u)| ReadingContext { title: t, url: u }).collect();
        }
        KindData::Term(t) => {
            ctx.short = &t.short;
            ctx.synonyms = &t.synonyms;
            ctx.definitions = &t.definitions;
        }
        KindData::Event(e) => {
            ctx.start = Some(when_text(e.start));
            ctx.end = e.end.map(when_text);
            ctx.all_day = matches!(e.start, When::Day(_));
            ctx.timezone = Some(&e.timezone_name);
            ctx.location = e.location.as_deref();
            ctx.online = e.online.as_deref();
            ctx.register = e.register.as_deref();
            ctx.organizer = e.organizer.as_deref();
            ctx.when = Some(super::event::when(e));
            ctx.calendar = Some(site.path(&doc.url.file("event.ics")));
            let facts = super::event::PageFacts {
                title: &meta.title,
                description: &meta.description,
                permalink: &ctx.permalink,
            };
            ctx.json_ld = Some(super::event::json_ld(&facts, e));
            ctx.status = Some(match e.status {
                EventStatus::Scheduled => "scheduled",
                EventStatus::Cancelled => "cancelled",
                EventStatus::Postponed => "postponed",
            });
        }
        KindData::Tool(t) => {
            ctx.url = t.url.as_deref();
            ctx.license = t.license.as_deref();
            ctx.maintainer = t.maintainer.as_deref();
            ctx.category = t.category.as_deref();
            ctx.reviewed = t.reviewed.map(date_text);
            ctx.status = Some(t.status.name());
        }
        KindData::Page => {}
    }
    ctx
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
fn used_by<'a>(site: &Site<'a>, target: crate::content::Target) -> UsedIn<'a> {
    let content = site.content;
    let doc = content.doc(target);
    let kind = match target {
        crate::content::Target::Page(i) => content.pages[i].kind.name(),
        crate::content::Target::Section(_) => "section",
    };
    UsedIn { title: &doc.meta.title, kind, path: site.path(&doc.url), permalink: site.permalink(&doc.url) }
}

/// `section`: a section and the pages it lists (their bodies are not included).
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

#[derive(Serialize)]
pub struct SubsectionContext<'a> {
    pub source: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub path: String,
    pub permalink: String,
    pub kind: Option<&'static str>,
}

pub fn subsection<'a>(site: &Site, s: &'a Section) -> SubsectionContext<'a> {
    SubsectionContext {
        source: s.doc.source.as_str(),
        title: &s.doc.meta.title,
        description: &s.doc.meta.description,
        path: site.path(&s.doc.url),
        permalink: site.permalink(&s.doc.url),
        kind: s.kind.map(|k| k.name()),
    }
}

pub fn section<'a>(site: &Site<'a>, s: &'a Section) -> SectionContext<'a> {
    let content = site.content;
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
        subsections: s.subsections.iter().map(|&i| subsection(site, &content.sections[i])).collect(),
    }
}

/// `paginator`: where a paginated section's page sits among its pages.
#[derive(Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
}
