//! Rendering pages, sections and tag pages through their templates, in parallel.
//!
//! Contexts come whole from [`crate::templates::context`]: this stage
//! picks templates, renders bodies, paginates and writes files.

use std::collections::HashSet;

use rayon::prelude::*;

use crate::content::{Content, Doc, Page, Section, Target};
use crate::error::{Diagnostic, Location, Problem};
use crate::links::Published;
use crate::markdown::{self, Highlighter, TermHtml};
use crate::output::Sink;
use crate::paths::UrlPath;
use crate::templates::context::template::{Shared, TemplateContext};
use crate::templates::context::{
    ConfigContext, ConfigValue, OwnFields, PageValue, Paginator, SectionContext, SectionValue, Site, SiteValue,
    TrustedHtml,
};
use crate::templates::site::{SiteContext, SiteSummary};
use crate::templates::{Lookup, Templates};

use super::extras::StaticFile;

/// What rendering needs besides the content itself: the serialized pages,
/// site and config, worked out once per build (and kept by a `serve`
/// session, which brings them up to date after each edit).
pub struct Prepared {
    pub config: ConfigValue,
    /// Every page as listings show it, by number.
    pub pages: Vec<PageValue>,
    pub site: SiteValue,
    /// What a live rebuild compares to tell which fields of `site` changed.
    pub site_summary: SiteSummary,
    pub term_tips: Vec<TermHtml>,
    pub own_fields: OwnFields,
    /// The sizes of the images pages show, read as they are asked for.
    pub images: crate::images::Sizes,
}

/// Serializes every page and section, builds `site`, and gives the lookup
/// functions their data.
pub fn prepare(site: &Site, templates: &Templates) -> Prepared {
    let content = site.content;
    let pages: Vec<PageValue> = (0..content.pages.len()).into_par_iter().map(|i| PageValue::of(site, i)).collect();
    templates.set_lookup(lookup(site, &pages));
    let site_context = SiteContext::new(site, &pages);
    let (site_value, site_summary) = (site_context.value(), site_context.summary());
    Prepared {
        config: ConfigValue::new(&ConfigContext::new(site.config)),
        site: site_value,
        site_summary,
        term_tips: super::resolver::term_tips(site),
        own_fields: own_fields(templates),
        images: crate::images::Sizes::default(),
        pages,
    }
}

/// Which of the fields only a page's own template sees some template reads.
pub fn own_fields(templates: &Templates) -> OwnFields {
    OwnFields {
        terms_used: templates.some_read("terms_used"),
        used_in: templates.some_read("used_in"),
        backlinks: templates.some_read("backlinks"),
    }
}

/// The bodies of pages and sections as HTML, kept by a `serve` session so
/// that a change elsewhere re-renders a page without its Markdown.
#[derive(Default)]
pub struct Bodies {
    pub pages: Vec<Option<String>>,
    pub sections: Vec<Option<String>>,
}

/// One render: the content, its prepared values, and where files go.
pub struct Render<'a> {
    pub site: Site<'a>,
    pub templates: &'a Templates,
    pub prepared: &'a Prepared,
    pub highlighter: &'a Highlighter,
    pub sink: &'a dyn Sink,
    /// What the build publishes, for `@/` links to files.
    pub published: &'a Published,
}

/// A page or section rendered: its problems and, when asked for, its body.
pub struct Rendered {
    pub diags: Vec<Diagnostic>,
    pub body: Option<String>,
}

/// Renders everything and copies `statics`; returns how many files were
/// written, problems, and (when `keep` is set) the bodies.
pub fn render_all(r: &Render, statics: &[StaticFile], keep: bool) -> (usize, Vec<Diagnostic>, Bodies) {
    let content = r.site.content;
    let pages: Vec<Rendered> = (0..content.pages.len()).into_par_iter().map(|i| r.page(i, None, keep)).collect();
    let sections: Vec<Rendered> =
        (0..content.sections.len()).into_par_iter().map(|i| r.section(i, None, keep)).collect();
    let mut bodies = Bodies::default();
    let mut diags = Vec::new();
    for done in pages {
        diags.extend(done.diags);
        bodies.pages.push(done.body);
    }
    for done in sections {
        diags.extend(done.diags);
        bodies.sections.push(done.body);
    }
    let mut files = content.pages.len() + content.sections.len();
    files += r.tags(None, &mut diags);
    files += r.catalog_views(&mut diags);
    files += super::extras::write_all(&r.shared(), r.templates, statics, r.sink, &mut diags);
    (files, diags, bodies)
}

/// The template page `i` is rendered with, or why there is none.
pub fn page_template(templates: &Templates, content: &Content, i: usize) -> Result<String, Diagnostic> {
    let page: &Page = &content.pages[i];
    let kind_template = format!("{}.html", page.kind.name());
    template_for(templates, &page.doc, &[&kind_template, "page.html"])
}

/// The template section `i` is rendered with, or why there is none.
pub fn section_template(templates: &Templates, content: &Content, i: usize) -> Result<String, Diagnostic> {
    let section: &Section = &content.sections[i];
    let kind_template = section.kind.map(|k| format!("{}-section.html", k.name()));
    let mut candidates: Vec<&str> = Vec::new();
    if i == 0 {
        candidates.push("index.html");
    }
    candidates.extend(kind_template.as_deref());
    candidates.push("section.html");
    template_for(templates, &section.doc, &candidates)
}

pub fn template_for(templates: &Templates, doc: &Doc, candidates: &[&str]) -> Result<String, Diagnostic> {
    if let Some(name) = &doc.meta.template {
        return if templates.has(name) {
            Ok(name.clone())
        } else {
            let loc =
                doc.meta.spans.template.as_ref().map_or_else(|| Location::file(&doc.file), |s| doc.locate_front(s));
            Err(Diagnostic::error(Problem::Template(format!("template `{name}` not found")), loc))
        };
    }
    templates.pick(candidates).map(str::to_string).ok_or_else(|| {
        let message = format!("no template to render this with (looked for {})", candidates.join(", "));
        Diagnostic::error(Problem::Template(message), Location::file(&doc.file))
    })
}

pub fn lookup(site: &Site, pages: &[PageValue]) -> Lookup {
    let mut lookup = Lookup { base_url: Some(site.config.base_url.clone()), ..Lookup::default() };
    for (source, target) in &site.content.by_source {
        let doc = site.content.doc(*target);
        lookup.permalinks.insert(source.clone(), site.permalink(&doc.url));
        match target {
            Target::Page(i) => {
                lookup.pages.insert(source.clone(), pages[*i].clone());
            }
            Target::Section(i) => {
                lookup.sections.insert(source.clone(), SectionValue::of(site, *i, pages));
            }
        }
    }
    lookup
}

impl<'a> Render<'a> {
    /// What every template context shares in this render.
    pub fn shared(&self) -> Shared<'a> {
        let p = self.prepared;
        Shared { site: self.site, config: &p.config, site_value: &p.site, pages: &p.pages }
    }

    fn resolver<'r>(&'r self, doc: &'r Doc) -> super::resolver::Resolver<'r> {
        let (p, published) = (self.prepared, self.published);
        super::resolver::Resolver { site: &self.site, published, terms: &p.term_tips, sizes: &p.images, doc }
    }

    /// The body of `doc` as HTML, with its problems as diagnostics.
    fn body(&self, doc: &Doc, diags: &mut Vec<Diagnostic>) -> String {
        let config = &self.site.config.markdown;
        let rendered = markdown::render(doc.body(), &doc.scan, config, &self.resolver(doc), self.highlighter);
        let at = doc.body_locator();
        for (problem, offset, len) in rendered.warnings {
            diags.push(Diagnostic::warning(problem, at(offset, len)));
        }
        for (problem, offset, len) in rendered.errors {
            diags.push(Diagnostic::error(problem, at(offset, len)));
        }
        rendered.html
    }

    fn write(&self, url: &UrlPath, name: &str, ctx: &impl TemplateContext, diags: &mut Vec<Diagnostic>) {
        self.write_sized(url, name, ctx, 16 * 1024, diags);
    }

    /// Renders into a buffer of `capacity` bytes to start with (a page's
    /// body and the theme around it), so the output is not copied as it grows.
    fn write_sized(
        &self,
        url: &UrlPath,
        name: &str,
        ctx: &impl TemplateContext,
        capacity: usize,
        diags: &mut Vec<Diagnostic>,
    ) {
        match self.templates.render_into(name, ctx, capacity) {
            Ok(html) => {
                if let Err(problem) = self.sink.write_owned(&url.output_file(), html) {
                    diags.push(Diagnostic::global(problem));
                }
            }
            Err(d) => diags.push(d),
        }
    }

    /// Renders page `i`, with `body` as its HTML when it is known already.
    pub fn page(&self, i: usize, body: Option<&str>, keep: bool) -> Rendered {
        let page: &Page = &self.site.content.pages[i];
        let mut diags = Vec::new();
        if page.doc.shadowed {
            return Rendered { diags, body: None };
        }
        let name = match page_template(self.templates, self.site.content, i) {
            Ok(n) => n,
            Err(d) => return Rendered { diags: vec![d], body: None },
        };
        let fresh = match body {
            Some(_) => None,
            None => Some(self.body(&page.doc, &mut diags)),
        };
        let html = body.or(fresh.as_deref()).unwrap_or_default();
        let ctx = self.shared().page(i, html, self.prepared.own_fields);
        self.write_sized(&page.doc.url, &name, &ctx, html.len() + 16 * 1024, &mut diags);
        let html = match keep {
            true => fresh.or_else(|| body.map(str::to_string)),
            false => None,
        };
        Rendered { diags, body: html }
    }

    /// Renders section `i` (each page of it, when paginated), with `body`
    /// as its HTML when it is known already.
    pub fn section(&self, i: usize, body: Option<&str>, keep: bool) -> Rendered {
        let section: &Section = &self.site.content.sections[i];
        let mut diags = Vec::new();
        if section.doc.shadowed {
            return Rendered { diags, body: None };
        }
        let name = match section_template(self.templates, self.site.content, i) {
            Ok(n) => n,
            Err(d) => return Rendered { diags: vec![d], body: None },
        };
        let html = match body {
            Some(b) => b.to_string(),
            None => self.body(&section.doc, &mut diags),
        };
        let (shared, context, content) = (self.shared(), SectionContext::of(&self.site, i), TrustedHtml::new(&html));
        let pages: Vec<&PageValue> = section.pages.iter().map(|&p| &self.prepared.pages[p]).collect();
        let per_page = section.paginate_by.unwrap_or(pages.len().max(1));
        let chunks: Vec<&[&PageValue]> = if pages.is_empty() { vec![&[]] } else { pages.chunks(per_page).collect() };
        let total = chunks.len();
        for (n, chunk) in chunks.into_iter().enumerate() {
            let url = section.doc.url.paginated(n + 1);
            let paginator = section.paginate_by.map(|_| Paginator {
                current: n + 1,
                total,
                previous: (n > 0).then(|| self.site.path(&section.doc.url.paginated(n))),
                next: (n + 1 < total).then(|| self.site.path(&section.doc.url.paginated(n + 2))),
            });
            let ctx = shared.section(&context, &content, chunk, paginator, self.site.path(&url));
            self.write(&url, &name, &ctx, &mut diags);
        }
        Rendered { diags, body: keep.then_some(html) }
    }

    /// The catalog narrowed to one category (`/tools/category/NAME/`) or one
    /// status (`/tools/status/NAME/`), when the theme has `tool-view.html`.
    pub fn catalog_views(&self, diags: &mut Vec<Diagnostic>) -> usize {
        if !self.templates.has("tool-view.html") {
            return 0;
        }
        let views = crate::templates::catalog::views(self.site.content);
        let shared = self.shared();
        let results: Vec<Vec<Diagnostic>> = views
            .par_iter()
            .map(|view| {
                let mut diags = Vec::new();
                self.write(&view.url, "tool-view.html", &shared.view(view), &mut diags);
                diags
            })
            .collect();
        diags.extend(results.into_iter().flatten());
        views.len()
    }

    /// `/tags/` and `/tags/NAME/`, when the theme has templates for them;
    /// with `only`, the index and just those tags (by slug).
    pub fn tags(&self, only: Option<(&HashSet<String>, bool)>, diags: &mut Vec<Diagnostic>) -> usize {
        let mut tags = crate::templates::site::tags(&self.site);
        if tags.is_empty() {
            return 0;
        }
        let mut written = 0;
        if let Some((slugs, _)) = only {
            tags.retain(|slug, _| slugs.contains(slug));
        }
        let shared = self.shared();
        if self.templates.has("tags.html") && only.is_none_or(|(_, index)| index) {
            let url = UrlPath::from_segments(["tags"]);
            self.write(&url, "tags.html", &shared.plain(self.site.path(&url)), diags);
            written += 1;
        }
        if self.templates.has("tag.html") {
            let results: Vec<Vec<Diagnostic>> = tags
                .par_iter()
                .map(|(slug, (name, pages))| {
                    let mut diags = Vec::new();
                    let url = UrlPath::from_segments(["tags", slug.as_str()]);
                    self.write(&url, "tag.html", &shared.tag(name, slug, pages), &mut diags);
                    diags
                })
                .collect();
            written += tags.len();
            diags.extend(results.into_iter().flatten());
        }
        written
    }
}
