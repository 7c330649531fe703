//! What a build will write, listed before it writes anything.
//!
//! Links are checked, and `@/` links to files resolved, against this list
//! ([`crate::links::Published`]) rather than against the output, so a
//! site's references are judged while its pages render, and `serve` can
//! judge an edit without writing the site again. Each entry follows the
//! stage that writes it ([`super::pages`], [`super::extras`],
//! [`super::search`]) and the same conditions (a template the theme has, a
//! page that is not shadowed); a test builds sites and compares this list
//! with what was written.

use crate::content::{KindData, Target};
use crate::links::Published;
use crate::paths::UrlPath;
use crate::templates::Templates;
use crate::templates::context::Site;

use super::extras::{StaticFile, StaticSource};

/// Everything a build of `site` writes with `templates` (with `None`, as if
/// the theme had every template: what is checked when templates fail to
/// load), and `statics` copied.
pub fn published(site: &Site, templates: Option<&Templates>, statics: &[StaticFile]) -> Published {
    let has = |name: &str| templates.is_none_or(|t| t.has(name));
    let mut out = Published::default();
    for file in statics {
        match &file.source {
            Some(source) => out.add_asset(source, &file.to),
            None => out.add_file(&file.to),
        }
        if let StaticSource::Disk(from) = &file.from {
            out.add_disk(&file.to, from);
        }
    }
    docs(site, &mut out);
    generated(site, &has, &mut out);
    out
}

/// Pages, sections (each page of a paginated one) and redirect pages.
fn docs(site: &Site, out: &mut Published) {
    let content = site.content;
    for (target, doc) in content.docs().filter(|(_, d)| !d.shadowed) {
        out.add_url(&doc.url, Some(target));
        if let Target::Section(i) = target {
            let section = &content.sections[i];
            let per_page = section.paginate_by.unwrap_or(usize::MAX);
            let pages = section.pages.len().div_ceil(per_page).max(1);
            for n in 2..=pages {
                out.add_url(&doc.url.paginated(n), None);
            }
        }
    }
    for (_, doc) in content.docs() {
        for from in &doc.redirect_from {
            out.add_url(from, None);
        }
    }
}

/// Tag pages, catalog views, 404, search, feeds, calendars and the fixed files.
fn generated(site: &Site, has: &dyn Fn(&str) -> bool, out: &mut Published) {
    let content = site.content;
    let tags = crate::templates::site::tags(site);
    if !tags.is_empty() && has("tags.html") {
        out.add_url(&UrlPath::from_segments(["tags"]), None);
    }
    if has("tag.html") {
        for slug in tags.keys() {
            out.add_url(&UrlPath::from_segments(["tags", slug.as_str()]), None);
        }
    }
    if has("tool-view.html") {
        for view in crate::templates::catalog::views(content) {
            out.add_url(&view.url, None);
        }
    }
    let root = UrlPath::root();
    let mut files = vec!["atom.xml", "sitemap.xml", "robots.txt", "syntax.css"];
    if has("404.html") {
        files.push("404.html");
    }
    let events: Vec<&UrlPath> = content
        .pages
        .iter()
        .filter(|p| !p.doc.shadowed && matches!(p.data, KindData::Event(_)))
        .map(|p| &p.doc.url)
        .collect();
    for url in &events {
        out.add_url(&url.file("event.ics"), None);
    }
    if !events.is_empty() {
        files.push("events.ics");
    }
    for name in files {
        out.add_url(&root.file(name), None);
    }
    if site.config.search.enabled {
        let search = UrlPath::from_segments(["search"]);
        if has("search.html") && out.find(search.as_str()).is_none() {
            out.add_url(&search, None);
        }
        // The index's manifest; its shards and documents are found through it.
        out.add_url(&search.child([site.config.language.as_str()]).file("index.json"), None);
    }
}
