//! Rendering pages, sections and tag pages through their templates, in parallel.

use std::collections::HashMap;

use jiff::civil;
use rayon::prelude::*;
use tera::Value;

use crate::config::Config;
use crate::content::{Content, Doc, Page, Section, Target};
use crate::error::{Diagnostic, Location, Problem};
use crate::markdown::{self, Highlighter, LinkResolver, TermHtml};
use crate::output::Sink;
use crate::paths::UrlPath;
use crate::templates::context::{self, ConfigContext, Links, OwnFields, Paginator};
use crate::templates::{Lookup, Templates, base_context, site_value, with_content};

/// Resolves `@/` links to permalinks, and glossary terms to their pages and definitions.
struct Resolver<'a> {
    links: &'a Links<'a>,
    /// Each glossary term's links, ready to write.
    terms: &'a [TermHtml],
}

impl LinkResolver for Resolver<'_> {
    fn resolve(&self, page: &str) -> Option<String> {
        let content = self.links.content;
        content.by_source.get(page.trim_start_matches('/')).map(|t| self.links.permalink(&content.doc(*t).url))
    }

    fn term(&self, term: usize) -> Option<&TermHtml> {
        self.terms.get(term)
    }
}

/// Each glossary term's links, ready to write: to its path (shorter than its
/// permalink, and the same page), with its short definition.
fn term_tips(links: &Links) -> Vec<TermHtml> {
    let content = links.content;
    let short = |page: &Page| match &page.data {
        crate::content::KindData::Term(t) => t.short.clone(),
        _ => String::new(),
    };
    content
        .glossary
        .terms
        .iter()
        .map(|t| {
            let page = &content.pages[t.page];
            TermHtml::new(&links.path(&page.doc.url), &short(page), &t.slug)
        })
        .collect()
}

/// Shared, read-only state of one render.
struct Render<'a> {
    links: Links<'a>,
    templates: Templates,
    config_value: Value,
    site: Value,
    page_values: Vec<Value>,
    term_tips: Vec<TermHtml>,
    own_fields: OwnFields,
    highlighter: Highlighter,
    sink: &'a dyn Sink,
}

/// Renders everything; returns how many files were written, and problems.
pub fn render_all(
    config: &Config,
    content: &Content,
    templates: Templates,
    today: civil::Date,
    sink: &dyn Sink,
) -> (usize, Vec<Diagnostic>) {
    let links = Links { config, content, today };
    let page_values: Vec<Value> =
        (0..content.pages.len()).into_par_iter().map(|i| Value::from_serializable(&context::page(&links, i))).collect();
    let section_values: Vec<Value> = content
        .sections
        .iter()
        .map(|s| {
            let mut map = Value::from_serializable(&context::section(&links, s)).into_map().unwrap_or_default();
            let pages: Vec<Value> = s.pages.iter().map(|&p| page_values[p].clone()).collect();
            map.insert("pages".into(), Value::from(pages));
            Value::from(map)
        })
        .collect();
    templates.set_lookup(lookup(&links, &page_values, &section_values));
    let site = site_value(&links, &page_values);
    let r = Render {
        config_value: Value::from_serializable(&ConfigContext::new(config)),
        site,
        term_tips: term_tips(&links),
        own_fields: OwnFields { terms_used: templates.mention("terms_used"), used_in: templates.mention("used_in") },
        page_values,
        highlighter: Highlighter::default(),
        templates,
        links,
        sink,
    };

    let page_results: Vec<Vec<Diagnostic>> = (0..content.pages.len()).into_par_iter().map(|i| r.page(i)).collect();
    let section_results: Vec<Vec<Diagnostic>> =
        (0..content.sections.len()).into_par_iter().map(|i| r.section(i, &section_values[i])).collect();
    let mut diags: Vec<Diagnostic> = page_results.into_iter().chain(section_results).flatten().collect();
    let mut files = content.pages.len() + content.sections.len();
    files += r.tags(&mut diags);
    files += r.catalog_views(&mut diags);
    files += super::extras::write_all(&r.links, &r.templates, &r.config_value, &r.site, sink, &mut diags);
    super::drop_later((r.page_values, r.site, r.templates, section_values));
    (files, diags)
}

fn lookup(links: &Links, pages: &[Value], sections: &[Value]) -> Lookup {
    let mut lookup = Lookup { base_url: links.config.base_url.clone(), ..Lookup::default() };
    for (source, target) in &links.content.by_source {
        let doc = links.content.doc(*target);
        lookup.permalinks.insert(source.clone(), links.permalink(&doc.url));
        match target {
            Target::Page(i) => lookup.pages.insert(source.clone(), pages[*i].clone()),
            Target::Section(i) => lookup.sections.insert(source.clone(), sections[*i].clone()),
        };
    }
    lookup
}

impl Render<'_> {
    fn resolver(&self) -> Resolver<'_> {
        Resolver { links: &self.links, terms: &self.term_tips }
    }

    /// The body of `doc` as HTML, with its warnings as diagnostics.
    fn body(&self, doc: &Doc, diags: &mut Vec<Diagnostic>) -> String {
        let config = &self.links.config.markdown;
        let rendered = markdown::render(doc.body(), &doc.scan, config, &self.resolver(), &self.highlighter);
        for (problem, offset, len) in rendered.warnings {
            diags.push(Diagnostic::warning(problem, doc.body_location(offset, len)));
        }
        rendered.html
    }

    fn template_for(&self, doc: &Doc, candidates: &[&str]) -> Result<String, Diagnostic> {
        if let Some(name) = &doc.meta.template {
            return if self.templates.has(name) {
                Ok(name.clone())
            } else {
                let at = doc.text.find("template").unwrap_or(0);
                let loc = Location::at(&doc.file, &doc.text, at, 8);
                Err(Diagnostic::error(Problem::Template(format!("template `{name}` not found")), loc))
            };
        }
        self.templates.pick(candidates).map(str::to_string).ok_or_else(|| {
            let message = format!("no template to render this with (looked for {})", candidates.join(", "));
            Diagnostic::error(Problem::Template(message), Location::file(&doc.file))
        })
    }

    fn write(&self, url: &UrlPath, name: &str, ctx: &tera::Context, diags: &mut Vec<Diagnostic>) {
        match self.templates.render(name, ctx) {
            Ok(html) => {
                if let Err(problem) = self.sink.write(&url.output_file(), html.as_bytes()) {
                    diags.push(Diagnostic::global(problem));
                }
            }
            Err(d) => diags.push(d),
        }
    }

    fn page(&self, i: usize) -> Vec<Diagnostic> {
        let page: &Page = &self.links.content.pages[i];
        let mut diags = Vec::new();
        if page.doc.shadowed {
            return diags;
        }
        let kind_template = format!("{}.html", page.kind.name());
        let name = match self.template_for(&page.doc, &[&kind_template, "page.html"]) {
            Ok(n) => n,
            Err(d) => return vec![d],
        };
        let html = self.body(&page.doc, &mut diags);
        let path = self.links.path(&page.doc.url);
        let mut ctx = base_context(&self.config_value, &self.site, &path);
        let mut value = with_content(&self.page_values[i], &html).into_map().unwrap_or_default();
        if let Some(own) = Value::from_serializable(&context::page_own(&self.links, i, self.own_fields)).into_map() {
            value.extend(own);
        }
        ctx.insert_value("page", Value::from(value));
        self.write(&page.doc.url, &name, &ctx, &mut diags);
        diags
    }

    fn section(&self, i: usize, value: &Value) -> Vec<Diagnostic> {
        let section: &Section = &self.links.content.sections[i];
        let mut diags = Vec::new();
        if section.doc.shadowed {
            return diags;
        }
        let kind_template = section.kind.map(|k| format!("{}-section.html", k.name()));
        let mut candidates: Vec<&str> = Vec::new();
        if i == 0 {
            candidates.push("index.html");
        }
        candidates.extend(kind_template.as_deref());
        candidates.push("section.html");
        let name = match self.template_for(&section.doc, &candidates) {
            Ok(n) => n,
            Err(d) => return vec![d],
        };
        let html = self.body(&section.doc, &mut diags);
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
                previous: (n > 0).then(|| self.links.path(&section.doc.url.paginated(n))),
                next: (n + 1 < total).then(|| self.links.path(&section.doc.url.paginated(n + 2))),
            });
            let mut map = with_body.clone().into_map().unwrap_or_default();
            map.insert("pages".into(), Value::from(chunk.to_vec()));
            map.insert("paginator".into(), Value::from_serializable(&paginator));
            let mut ctx = base_context(&self.config_value, &self.site, &self.links.path(&url));
            ctx.insert_value("section", Value::from(map));
            self.write(&url, &name, &ctx, &mut diags);
        }
        diags
    }

    /// The catalog narrowed to one category (`/tools/category/NAME/`) or one
    /// status (`/tools/status/NAME/`), when the theme has `tool-view.html`.
    fn catalog_views(&self, diags: &mut Vec<Diagnostic>) -> usize {
        if !self.templates.has("tool-view.html") {
            return 0;
        }
        let views = crate::templates::catalog::views(self.links.content);
        let results: Vec<Vec<Diagnostic>> = views
            .par_iter()
            .map(|view| {
                let mut diags = Vec::new();
                let tools: Vec<Value> = view.tools.iter().map(|&i| self.page_values[i].clone()).collect();
                let path = self.links.path(&view.url);
                let mut map: HashMap<&str, Value> = HashMap::new();
                map.insert("kind", Value::from(view.kind));
                map.insert("name", Value::from(view.name.as_str()));
                map.insert("slug", Value::from(view.slug.as_str()));
                map.insert("title", Value::from(view.title.as_str()));
                map.insert("path", Value::from(path.as_str()));
                map.insert("permalink", Value::from(self.links.permalink(&view.url)));
                map.insert("tools", Value::from(tools));
                let mut ctx = base_context(&self.config_value, &self.site, &path);
                ctx.insert("view", &map);
                self.write(&view.url, "tool-view.html", &ctx, &mut diags);
                diags
            })
            .collect();
        diags.extend(results.into_iter().flatten());
        views.len()
    }

    /// `/tags/` and `/tags/NAME/`, when the theme has templates for them.
    fn tags(&self, diags: &mut Vec<Diagnostic>) -> usize {
        let tags = crate::templates::site::tags(&self.links);
        if tags.is_empty() {
            return 0;
        }
        let mut written = 0;
        if self.templates.has("tags.html") {
            let url = UrlPath::from_segments(["tags"]);
            let ctx = base_context(&self.config_value, &self.site, &self.links.path(&url));
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
                    tag.insert("path", Value::from(self.links.path(&url)));
                    tag.insert("permalink", Value::from(self.links.permalink(&url)));
                    tag.insert(
                        "pages",
                        Value::from(pages.iter().map(|&i| self.page_values[i].clone()).collect::<Vec<_>>()),
                    );
                    let mut ctx = base_context(&self.config_value, &self.site, &self.links.path(&url));
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
