//! The whole context of each kind of template: what every template gets
//! ([`Frame`]: `config`, `site`, `current_path`) and its own part. One
//! struct per kind; [`Shared`] assembles them from what a build serialised
//! once, so the render stage never builds a context by hand.

use serde::Serialize;
use tera::{Context, Value};

use super::listing::{SearchContext, TagContext, ViewContext};
use super::page::{OwnFields, PageOwn, PageView};
use super::section::{Paginator, SectionContext, SectionView};
use super::{ConfigValue, PageValue, Site, SiteValue, TrustedHtml};
use crate::templates::catalog::View;

/// A whole template context: what [`crate::templates::Templates::render`] takes.
pub trait TemplateContext: Serialize {
    /// Tera's context: by default the whole struct, serialised.
    fn tera(&self) -> tera::TeraResult<Context> {
        Context::from_serialize(self)
    }
}

/// What every template gets.
#[derive(Serialize)]
pub struct Frame<'a> {
    pub config: &'a ConfigValue,
    pub site: &'a SiteValue,
    /// The path of the file being rendered, as served.
    pub current_path: String,
}

/// A page's template (`<kind>.html`, `page.html` or its own `template`).
#[derive(Serialize)]
pub struct PageTemplate<'a> {
    #[serde(flatten)]
    pub frame: Frame<'a>,
    pub page: PageView<'a>,
}

/// A section's template (`index.html` for the home page, `<kind>-section.html`,
/// `section.html` or its own `template`), once per listing page.
#[derive(Serialize)]
pub struct SectionTemplate<'a> {
    #[serde(flatten)]
    pub frame: Frame<'a>,
    pub section: SectionView<'a>,
}

/// `tag.html`.
#[derive(Serialize)]
pub struct TagTemplate<'a> {
    #[serde(flatten)]
    pub frame: Frame<'a>,
    pub tag: TagContext<'a>,
}

/// `tool-view.html`.
#[derive(Serialize)]
pub struct ViewTemplate<'a> {
    #[serde(flatten)]
    pub frame: Frame<'a>,
    pub view: ViewContext<'a>,
}

/// `search.html`.
#[derive(Serialize)]
pub struct SearchTemplate<'a> {
    #[serde(flatten)]
    pub frame: Frame<'a>,
    pub search: SearchContext,
}

/// `404.html` and `tags.html`: nothing of their own.
#[derive(Serialize)]
pub struct PlainTemplate<'a> {
    #[serde(flatten)]
    pub frame: Frame<'a>,
}

/// A page's context is assembled from its parts rather than serialised
/// whole: the frame's values and the page's listing value go in by
/// reference count, and only the page's map is made anew (see [`PageView::value`]).
/// Serialising it whole gives the same context at half again the cost of
/// the page's template (`Context::from_serialize` re-keys every entry).
impl TemplateContext for PageTemplate<'_> {
    fn tera(&self) -> tera::TeraResult<Context> {
        let mut context = self.frame.tera();
        context.insert_value("page", self.page.value()?);
        Ok(context)
    }
}
impl TemplateContext for SectionTemplate<'_> {}
impl TemplateContext for TagTemplate<'_> {}
impl TemplateContext for ViewTemplate<'_> {}
impl TemplateContext for SearchTemplate<'_> {}
impl TemplateContext for PlainTemplate<'_> {}

/// What a build serialised once and every template context shares.
#[derive(Clone, Copy)]
pub struct Shared<'a> {
    pub site: Site<'a>,
    pub config: &'a ConfigValue,
    pub site_value: &'a SiteValue,
    /// Every page as listings show it, by number.
    pub pages: &'a [PageValue],
}

impl Frame<'_> {
    /// The frame's three keys, as a Tera context to add a template's own to.
    fn tera(&self) -> Context {
        let mut context = Context::new();
        context.insert_value("config", self.config.value().clone());
        context.insert_value("site", self.site.value().clone());
        context.insert_value("current_path", Value::from(self.current_path.as_str()));
        context
    }
}

impl<'a> Shared<'a> {
    pub fn frame(&self, current_path: String) -> Frame<'a> {
        Frame { config: self.config, site: self.site_value, current_path }
    }

    /// Page number `index`, with `body` (trusted HTML) and the parts of
    /// [`PageOwn`] that `own` names.
    pub fn page(&self, index: usize, body: &str, own: OwnFields) -> PageTemplate<'a> {
        let url = &self.site.content.pages[index].doc.url;
        PageTemplate {
            frame: self.frame(self.site.path(url)),
            page: PageView {
                listed: &self.pages[index],
                content: TrustedHtml::new(body),
                own: PageOwn::new(&self.site, index, own),
            },
        }
    }

    /// One listing page of a section, at `current_path`.
    pub fn section<'s>(
        &self,
        section: &'s SectionContext<'a>,
        content: &'s TrustedHtml,
        pages: &'s [&'a PageValue],
        paginator: Option<Paginator>,
        current_path: String,
    ) -> SectionTemplate<'s>
    where
        'a: 's,
    {
        SectionTemplate { frame: self.frame(current_path), section: SectionView { section, content, pages, paginator } }
    }

    /// The tag `name` (`slug` in URLs), carried by `pages` (by number).
    pub fn tag<'s>(&self, name: &'s str, slug: &'s str, pages: &[usize]) -> TagTemplate<'s>
    where
        'a: 's,
    {
        let tag = TagContext::new(&self.site, (name, slug), pages, self.pages);
        TagTemplate { frame: self.frame(tag.path.clone()), tag }
    }

    pub fn view<'s>(&self, view: &'s View) -> ViewTemplate<'s>
    where
        'a: 's,
    {
        let view = ViewContext::new(&self.site, view, self.pages);
        ViewTemplate { frame: self.frame(view.path.clone()), view }
    }

    pub fn search(&self) -> SearchTemplate<'a> {
        SearchTemplate {
            frame: self.frame(self.site.path(&SearchContext::url())),
            search: SearchContext::new(&self.site),
        }
    }

    /// A template with nothing of its own (`404.html`, `tags.html`), at `current_path`.
    pub fn plain(&self, current_path: String) -> PlainTemplate<'a> {
        PlainTemplate { frame: self.frame(current_path) }
    }
}
