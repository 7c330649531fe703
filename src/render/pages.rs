//! Rendering pages, sections and tag pages through their templates, in parallel.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use tera::Value;

use crate::content::{Content, Doc, Page, Section, Target};
use crate::error::{Diagnostic, Location, Problem};
use crate::markdown::{self, Highlighter, TermHtml};
use crate::output::Sink;
use crate::paths::UrlPath;
use crate::templates::context::{self, ConfigContext, OwnFields, Paginator, Site};
use crate::templates::{Lookup, Templates, base_context, site_value, with_content};

use super::files::PublishedFiles;
use super::resolve::{Resolver, term_tips};

/// What rendering needs besides the content itself: the serialized pages,
/// sections and site, worked out once per build (and kept by a `serve`
/// session, which brings them up to date after each edit).
pub struct Prepared {
    pub config_value: Value,
    pub page_values: Vec<Value>,
    pub section_values: Vec<Value>,
    pub site: Value,
    pub term_tips: Vec<TermHtml>,
    pub own_fields: OwnFields,
    /// The files besides the pages, for what pages name.
    pub files: PublishedFiles,
    /// The sizes of the images pages show, read as they are asked for.
    pub images: crate::images::Sizes,
}

/// Serializes every page and section, builds `site`, and gives the lookup
/// functions their data.
pub fn prepare(site: &Site, templates: &Templates) -> Prepared {
    let content = site.content;
    let page_values: Vec<Value> = (0..content.pages.len()).into_par_iter().map(|i| page_value(site, i)).collect();
    let section_values: Vec<Value> =
        (0..content.sections.len()).map(|i| section_value(site, i, &page_values)).collect();
    templates.set_lookup(lookup(site, &page_values, &section_values));
    Prepared {
        config_value: Value::from_serializable(&ConfigContext::new(site.config)),
        site: site_value(site, &page_values),
        term_tips: term_tips(site),
        own_fields: own_fields(templates),
        files: PublishedFiles::new(site.config, content),
        images: crate::images::Sizes::default(),
        page_values,
        section_values,
    }
}

pub fn page_value(site: &Site, i: usize) -> Value {
    Value::from_serializable(&context::page(site, i))
}

/// Section `i` with the values of the pages it lists.
pub fn section_value(site: &Site, i: usize, page_values: &[Value]) -> Value {
    let s = &site.content.sections[i];
    let mut map = Value::from_serializable(&context::section(site, s)).into_map().unwrap_or_default();
    let pages: Vec<Value> = s.pages.iter().map(|&p| page_values[p].clone()).collect();
    map.insert("pages".into(), Value::from(pages));
    Value::from(map)
}

pub fn own_fields(templates: &Templates) -> OwnFields {
    OwnFields {
        terms_used: templates.mention("terms_used"),
        used_in: templates.mention("used_in"),
        backlinks: templates.mention("backlinks"),
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
}

/// A page or section rendered: its problems and, when asked for, its body.
pub struct Rendered {
    pub diags: Vec<Diagnostic>,
    pub body: Option<String>,
}

/// Renders everything; returns how many files were written, problems, and
/// (when `keep` is set) the bodies.
pub fn render_all(r: &Render, keep: bool) -> (usize, Vec<Diagnostic>, Bodies) {
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
    files +=
        super::extras::write_all(&r.site, r.templates, &r.prepared.config_value, &r.prepared.site, r.sink, &mut diags);
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
            let at = doc.text.find("template").unwrap_or(0);
            let loc = Location::at(&doc.file, &doc.text, at, 8);
            Err(Diagnostic::error(Problem::Template(format!("template `{name}` not found")), loc))
        };
    }
    templates.pick(candidates).map(str::to_string).ok_or_else(|| {
        let message = format!("no template to render this with (looked for {})", candidates.join(", "));
        Diagnostic::error(Problem::Template(message), Location::file(&doc.file))
    })
}

pub fn lookup(site: &Site, pages: &[Value], sections: &[Value]) -> Lookup {
    let mut lookup = Lookup { base_url: Some(site.config.base_url.clone()), ..Lookup::default() };
    for (source, target) in &site.content.by_source {
        let doc = site.content.doc(*target);
        lookup.permalinks.insert(source.clone(), site.permalink(&doc.url));
        match target {
            Target::Page(i) => lookup.pages.insert(source.clone(), pages[*i].clone()),
            Target::Section(i) => lookup.sections.insert(source.clone(), sections[*i].clone()),
        };
    }
    lookup
}

impl Render<'_> {
    fn resolver<'r>(&'r self, doc: &'r Doc) -> Resolver<'r> {
        let p = self.prepared;
        Resolver { site: &self.site, terms: &p.term_tips, files: &p.files, sizes: &p.images, doc }
    }

    /// The body of `doc` as HTML, with its problems as diagnostics.
    fn body(&self, doc: &Doc, diags: &mut Vec<Diagnostic>) -> String {
        let config = &self.site.config.markdown;
        let rendered = markdown::render(doc.body(), &doc.scan, config, &self.resolver(doc), self.highlighter);
        for (problem, offset, len) in rendered.warnings {
            diags.push(Diagnostic::warning(problem, doc.body_location(offset, len)));
        }
        for (problem, offset, len) in rendered.errors {
            diags.push(Diagnostic::error(problem, doc.body_location(offset, len)));
        }
        rendered.html
    }

    fn write(&self, url: &UrlPath, name: &str, ctx: &tera::Context, diags: &mut Vec<Diagnostic>) {
        self.write_sized(url, name, ctx, 16 * 1024, diags);
    }

    /// Renders into a buffer of `capacity` bytes to start with (a page's
    /// body and the theme around it), so the output is not copied as it grows.
    fn write_sized(
        &self,
        url: &UrlPath,
        name: &str,
        ctx: &tera::Context,
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
        let path = self.site.path(&page.doc.url);
        let mut ctx = base_context(&self.prepared.config_value, &self.prepared.site, &path);
        // One map: the page's value, its body and what only its own template sees.
        let mut value = self.prepared.page_values[i].clone().into_map().unwrap_or_default();
        value.insert("content".into(), Value::safe_string(html));
        if let Some(own) =
            Value::from_serializable(&context::page_own(&self.site, i, self.prepared.own_fields)).into_map()
        {
            value.extend(own);
        }
        ctx.insert_value("page", Value::from(value));
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
        let value = &self.prepared.section_values[i];
        let with_body = with_content(value, &html);
        let pages: Vec<Value> = value
            .as_map()
            .and_then(|m| m.get(&"pages".into()))
            .and_then(Value::as_array)
            .map(<[Value]>::to_vec)
            .unwrap_or_default();
        let per_page = section.paginate_by.unwrap_or(pages.len().max(1));
        let chunks: Vec<&[Value]> = if pages.is_empty() { vec![&[]] } else { pages.chunks(per_page).collect() };
        let total = chunks.len();
        for (n, chunk) in chunks.into_iter().enumerate() {
            let url = section.doc.url.paginated(n + 1);
            let paginator = section.paginate_by.map(|_| Paginator {
                current: n + 1,
                total,
                previous: (n > 0).then(|| self.site.path(&section.doc.url.paginated(n))),
                next: (n + 1 < total).then(|| self.site.path(&section.doc.url.paginated(n + 2))),
            });
            let mut map = with_body.clone().into_map().unwrap_or_default();
            map.insert("pages".into(), Value::from(chunk.to_vec()));
            map.insert("paginator".into(), Value::from_serializable(&paginator));
            let mut ctx = base_context(&self.prepared.config_value, &self.prepared.site, &self.site.path(&url));
            ctx.insert_value("section", Value::from(map));
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
        let results: Vec<Vec<Diagnostic>> = views
            .par_iter()
            .map(|view| {
                let mut diags = Vec::new();
                let tools: Vec<Value> = view.tools.iter().map(|&i| self.prepared.page_values[i].clone()).collect();
                let path = self.site.path(&view.url);
                let mut map: HashMap<&str, Value> = HashMap::new();
                map.insert("kind", Value::from(view.kind));
                map.insert("name", Value::from(view.name.as_str()));
                map.insert("slug", Value::from(view.slug.as_str()));
                map.insert("title", Value::from(view.title.as_str()));
                map.insert("path", Value::from(path.as_str()));
                map.insert("permalink", Value::from(self.site.permalink(&view.url)));
                map.insert("tools", Value::from(tools));
                let mut ctx = base_context(&self.prepared.config_value, &self.prepared.site, &path);
                ctx.insert("view", &map);
                self.write(&view.url, "tool-view.html", &ctx, &mut diags);
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
        if self.templates.has("tags.html") && only.is_none_or(|(_, index)| index) {
            let url = UrlPath::from_segments(["tags"]);
            let ctx = base_context(&self.prepared.config_value, &self.prepared.site, &self.site.path(&url));
            self.write(&url, "tags.html", &ctx, diags);
            written += 1;
        }
        if self.templates.has("tag.html") {
            let results: Vec<Vec<Diagnostic>> = tags
                .par_iter()
                .map(|(slug, (name, pages))| {
                    let mut diags = Vec::new();
                    let url = UrlPath::from_segments(["tags", slug.as_str()]);
                    let mut tag: HashMap<&str, Value> = HashMap::new();
                    tag.insert("name", Value::from(name.as_str()));
                    tag.insert("slug", Value::from(slug.as_str()));
                    tag.insert("path", Value::from(self.site.path(&url)));
                    tag.insert("permalink", Value::from(self.site.permalink(&url)));
                    tag.insert(
                        "pages",
                        Value::from(pages.iter().map(|&i| self.prepared.page_values[i].clone()).collect::<Vec<_>>()),
                    );
                    let mut ctx = base_context(&self.prepared.config_value, &self.prepared.site, &self.site.path(&url));
                    ctx.insert("tag", &tag);
                    self.write(&url, "tag.html", &ctx, &mut diags);
                    diags
                })
                .collect();
            written += tags.len();
            diags.extend(results.into_iter().flatten());
        }
        written
    }
}
