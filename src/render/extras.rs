//! The files around the pages: 404, redirects, calendars, the Atom feed,
//! sitemap, robots.txt, the highlighting stylesheet, theme static files and
//! assets.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::ThemeSource;
use crate::content::KindData;
use crate::error::{Diagnostic, Location};
use crate::output::Sink;
use crate::paths::UrlPath;
use crate::templates::context::Site;
use crate::templates::context::template::Shared;
use crate::templates::{Templates, builtin};

/// Writes everything that is not a page, section or tag page: the
/// generated files, and `statics` (from [`static_files`]) copied.
pub fn write_all(
    shared: &Shared,
    templates: &Templates,
    statics: &[StaticFile],
    sink: &dyn Sink,
    diags: &mut Vec<Diagnostic>,
) -> usize {
    let all = Generated {
        not_found: true,
        search_page: true,
        feed: true,
        sitemap: true,
        calendars: Calendars::All,
        fixed: true,
    };
    write_generated(shared, templates, &all, sink, diags) + copy_static(statics, sink, diags)
}

/// Which of the generated files to write.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    /// `404.html`.
    pub not_found: bool,
    /// The search page (the index is written apart, see `build::search`).
    pub search_page: bool,
    pub feed: bool,
    pub sitemap: bool,
    pub calendars: Calendars,
    /// Redirect pages, robots.txt and the highlighting stylesheet.
    pub fixed: bool,
}

/// Which calendars to write.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Calendars {
    #[default]
    None,
    /// `events.ics` and the `event.ics` of page number N.
    One(usize),
    All,
}

/// The files made from the content: 404, redirects, calendars, feed,
/// sitemap, robots.txt and the highlighting stylesheet (those `which` names).
pub fn write_generated(
    shared: &Shared,
    templates: &Templates,
    which: &Generated,
    sink: &dyn Sink,
    diags: &mut Vec<Diagnostic>,
) -> usize {
    let site = &shared.site;
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if which.not_found && templates.has("404.html") {
        let ctx = shared.plain(site.config.base_url.local("/404.html"));
        match templates.render("404.html", &ctx) {
            Ok(html) => files.push((PathBuf::from("404.html"), html.into_bytes())),
            Err(d) => diags.push(d),
        }
    }
    if which.search_page {
        match super::search::page(shared, templates) {
            Some(Ok(file)) => files.push(file),
            Some(Err(d)) => diags.push(d),
            None => {}
        }
    }
    for (_, doc) in site.content.docs().filter(|_| which.fixed) {
        for from in &doc.redirect_from {
            files.push((
                from.output_file(),
                redirect_page(&site.config.language, &site.permalink(&doc.url)).into_bytes(),
            ));
        }
    }
    // Each of these reads the whole site; they are made side by side.
    let ((ics, atom), (map, css)) = rayon::join(
        || rayon::join(|| calendars(site, which.calendars), || which.feed.then(|| super::feed::atom(site))),
        || rayon::join(|| which.sitemap.then(|| sitemap(site)), || which.fixed.then(crate::markdown::stylesheet)),
    );
    files.extend(ics);
    files.extend(atom.map(|atom| (PathBuf::from("atom.xml"), atom.into_bytes())));
    files.extend(map.map(|map| (PathBuf::from("sitemap.xml"), map.into_bytes())));
    if which.fixed {
        files.push((PathBuf::from("robots.txt"), robots(site).into_bytes()));
    }
    files.extend(css.map(|css| (PathBuf::from("syntax.css"), css.into_bytes())));
    let count = files.len();
    let failed: Vec<Diagnostic> =
        files.par_iter().filter_map(|(path, bytes)| sink.write(path, bytes).err().map(Diagnostic::global)).collect();
    diags.extend(failed);
    count
}

/// `event.ics` beside each event page (or just one), and `events.ics` with
/// them all (when there are any), soonest first.
fn calendars(site: &Site, which: Calendars) -> Vec<(PathBuf, Vec<u8>)> {
    if which == Calendars::None {
        return Vec::new();
    }
    let mut events: Vec<super::calendar::Entry> = site
        .content
        .pages
        .iter()
        .filter(|p| !p.doc.shadowed)
        .filter_map(|p| match &p.data {
            KindData::Event(e) => Some((p, e)),
            _ => None,
        })
        .collect();
    events.sort_by_key(|(p, e)| (e.start_instant(), p.doc.source.clone()));
    let one = match which {
        Calendars::One(i) => Some(&site.content.pages[i]),
        _ => None,
    };
    let mut files: Vec<(PathBuf, Vec<u8>)> = events
        .par_iter()
        .filter(|(p, _)| one.is_none_or(|one| std::ptr::eq(*p, one)))
        .map(|entry| {
            let text = super::calendar::calendar(site, &entry.0.doc.meta.title, std::slice::from_ref(entry));
            (entry.0.doc.url.file("event.ics").output_file(), text.into_bytes())
        })
        .collect();
    if !events.is_empty() {
        let name = format!("{}: events", site.config.title);
        let all = super::calendar::calendar(site, &name, &events);
        files.push((UrlPath::root().file("events.ics").output_file(), all.into_bytes()));
    }
    files
}

/// A page that sends readers (and search engines) from an old URL to the new one.
fn redirect_page(language: &str, to: &str) -> String {
    let to = xml_escape(to);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved</title>\n\
         <meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{to}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={to}\">\n</head>\n<body>\n\
         <p>This page has moved to <a href=\"{to}\">{to}</a>.</p>\n</body>\n</html>\n",
        lang = xml_escape(language)
    )
}

pub(super) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `sitemap.xml`: every page and section, sorted by URL, with the date it last changed.
fn sitemap(site: &Site) -> String {
    let mut entries: Vec<(String, Option<String>)> = site
        .content
        .docs()
        .map(|(_, doc)| (site.permalink(&doc.url), doc.meta.updated.or(doc.meta.date).map(|d| d.to_string())))
        .collect();
    entries.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, lastmod) in entries {
        xml.push_str("  <url><loc>");
        xml.push_str(&xml_escape(&loc));
        xml.push_str("</loc>");
        if let Some(date) = lastmod {
            xml.push_str("<lastmod>");
            xml.push_str(&date);
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

fn robots(site: &Site) -> String {
    let sitemap = UrlPath::parse("/sitemap.xml").map(|u| site.permalink(&u)).unwrap_or_default();
    format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n")
}

/// A file copied into the site as it is.
#[derive(Debug, Clone)]
pub struct StaticFile {
    pub from: StaticSource,
    /// Where it goes, relative to the output folder.
    pub to: PathBuf,
    /// For a file beside pages in `content/`: its path there (`explainers/diagram.png`).
    pub source: Option<String>,
}

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub enum StaticSource {
    Disk(PathBuf),
    /// A file of the built-in theme.
    Builtin(&'static [u8]),
}

/// Theme `static/`, then the site's `assets/`, then files beside pages in
/// `content/`. A site file may not replace a theme file silently: the later
/// one wins only for theme files, which sites are meant to override.
pub fn static_files(site: &Site, diags: &mut Vec<Diagnostic>) -> Vec<StaticFile> {
    let config = site.config;
    let disk = |(from, to): (PathBuf, PathBuf)| StaticFile { from: StaticSource::Disk(from), to, source: None };
    let mut site_files: Vec<StaticFile> =
        list_dir(&config.root, &config.root.join("assets"), diags).into_iter().map(disk).collect();
    let content_dir = config.content_dir();
    site_files.extend(site.content.assets.iter().map(|a| StaticFile {
        from: StaticSource::Disk(a.from.clone()),
        to: a.to.clone(),
        source: a.from.strip_prefix(&content_dir).ok().map(|s| crate::paths::SourcePath::new(s).to_string()),
    }));
    let overridden = |rel: &Path| site_files.iter().any(|f| f.to == rel);
    let theme: Vec<StaticFile> = match &config.theme {
        ThemeSource::Dir(dir) => list_dir(&config.root, &dir.join("static"), diags).into_iter().map(disk).collect(),
        ThemeSource::Builtin => builtin::FILES
            .iter()
            .filter_map(|(name, bytes)| {
                let rel = name.strip_prefix("static/")?;
                Some(StaticFile { from: StaticSource::Builtin(bytes), to: PathBuf::from(rel), source: None })
            })
            .collect(),
    };
    let mut out: Vec<StaticFile> = theme.into_iter().filter(|f| !overridden(&f.to)).collect();
    out.extend(site_files);
    out
}

/// Copies `files` (from [`static_files`]) into the site.
pub fn copy_static(files: &[StaticFile], sink: &dyn Sink, diags: &mut Vec<Diagnostic>) -> usize {
    let mut count = 0;
    for file in files {
        count += match &file.from {
            StaticSource::Disk(from) => copy(sink, from, &file.to, diags),
            StaticSource::Builtin(bytes) => match sink.write(&file.to, bytes) {
                Ok(()) => 1,
                Err(p) => {
                    diags.push(Diagnostic::global(p));
                    0
                }
            },
        };
    }
    count
}

fn copy(sink: &dyn Sink, from: &Path, to: &Path, diags: &mut Vec<Diagnostic>) -> usize {
    match sink.copy(from, to) {
        Ok(()) => 1,
        Err(p) => {
            diags.push(Diagnostic::error(p, Location::file(from)));
            0
        }
    }
}

/// Files under `dir` (absolute, and relative to `dir`), as [`crate::source`]
/// lists them: hidden files skipped, site out of the site refused.
pub fn list_dir(root: &Path, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<(PathBuf, PathBuf)> {
    crate::source::files(root, dir, diags).into_iter().map(|rel| (dir.join(&rel), rel)).collect()
}
