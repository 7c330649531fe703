//! Links: every local reference a page makes, checked against what the
//! build publishes.
//!
//! A page refers to the rest of its site in four ways (see
//! [`crate::paths::Reference`]): `@/` names a file under `content/`, a
//! root-relative path names a published file, a relative one names a file
//! beside the page's own file under `content/` when there is one there and
//! a published file from the page's URL otherwise, and `#…` a place on the
//! page. Markdown links and images and the URL attributes
//! of kept raw HTML are all references; the first Markdown pass collects
//! them ([`crate::markdown::Scan::links`]).
//!
//! [`Published`] is the one collection they are checked against: every
//! file the build writes (pages, sections and their later pages, tag pages,
//! catalog views, the search page and index, feeds, calendars, sitemap,
//! redirect pages, theme static files, `assets/`, and the files beside
//! pages in `content/`, with the paths they are published at). It is made
//! before anything renders ([`crate::render::published`]), so the render
//! pass can write `@/explainers/diagram.png` as the URL of that file, and
//! a reference that leads nowhere is an error at its line and column, with
//! the nearest published path as a "did you mean". A link to a page's
//! anchor is checked against the page's heading ids; other files' anchors
//! are not known, and not checked.
//!
//! URLs that leave the site (`https:`, `mailto:`, `//host/…`) are not
//! checked here, nor are front-matter links, which must be `http`, `https`
//! or `mailto` (see [`crate::paths::is_allowed_url`]).

mod published;

use rayon::prelude::*;

use crate::content::{Content, Doc, Target};
use crate::error::{Diagnostic, Problem};
use crate::markdown::LinkRef;
use crate::paths::Dest;

pub use published::{Output, Published};

/// Every reference of every page and section, checked.
pub fn check(content: &Content, published: &Published) -> Vec<Diagnostic> {
    let docs: Vec<(Target, &Doc)> = content.docs().collect();
    docs.par_iter().flat_map_iter(|(_, doc)| check_links_in(content, published, doc, |_| true)).collect()
}

/// The references of `doc` that `pick` picks and that lead nowhere. A page
/// may have tens of thousands: its lines are indexed once for all of them.
fn check_links_in(
    content: &Content,
    published: &Published,
    doc: &Doc,
    pick: impl Fn(&LinkRef) -> bool,
) -> Vec<Diagnostic> {
    let mut problems =
        doc.scan.links.iter().filter(|l| pick(l)).filter_map(|link| {
            check_link(content, published, doc, link).map(|problem| (problem, link.offset, link.len))
        });
    let Some(first) = problems.next() else { return Vec::new() };
    let at = doc.body_locator();
    std::iter::once(first)
        .chain(problems)
        .map(|(problem, offset, len)| Diagnostic::error(problem, at(offset, len)))
        .collect()
}

/// The references of `target` after it changed; with `anchors_changed`,
/// also every reference to it from elsewhere (its headings, and so its
/// anchors, moved).
pub fn check_of(content: &Content, published: &Published, target: Target, anchors_changed: bool) -> Vec<Diagnostic> {
    let doc = content.doc(target);
    let mut diags = check_links_in(content, published, doc, |_| true);
    if anchors_changed {
        for (_, other) in content.docs().filter(|(t, _)| *t != target) {
            let to_it = |l: &LinkRef| {
                l.anchor.is_some() && matches!(resolve(content, published, other, l), Ok(Some(t)) if t == target)
            };
            diags.extend(check_links_in(content, published, other, to_it));
        }
    }
    diags
}

/// What `link`, written in `doc`, leads to: a page or section (whose
/// anchors are known), another published file (`None`), or nothing.
pub fn resolve(content: &Content, published: &Published, doc: &Doc, link: &LinkRef) -> Result<Option<Target>, Problem> {
    match &link.dest {
        Dest::Here => Ok(content.target_of(doc.source.as_str())),
        Dest::Source(source) => match content.target_of(source) {
            Some(target) => Ok(Some(target)),
            None if published.asset(source).is_some() => Ok(None),
            None => {
                let sources = content.by_source.keys().map(String::as_str);
                let suggestion = published.nearest_source(source, sources);
                Err(Problem::BrokenLink { link: format!("@/{source}"), suggestion })
            }
        },
        Dest::Relative(_) if published.beside(doc.source.dir(), &link.dest).is_some() => Ok(None),
        Dest::Root(written) | Dest::Relative(written) => {
            let path = link.dest.site_path(&doc.url).unwrap_or_default();
            match published.find(&path) {
                Some(Output::Doc(target)) => Ok(Some(target)),
                Some(Output::File) => Ok(None),
                None => {
                    let suggestion = published.nearest(&path);
                    Err(Problem::MissingFile { url: written.clone(), path, suggestion })
                }
            }
        }
    }
}

/// The path on the site (`/explainers/diagram.png`) that `dest`, written
/// in `doc`, leads to, read as [`resolve`] reads it; `None` for the page
/// itself and for an `@/` path that names nothing.
pub fn site_path(content: &Content, published: &Published, doc: &Doc, dest: &Dest) -> Option<String> {
    match dest {
        Dest::Here => None,
        Dest::Source(source) => match content.target_of(source) {
            Some(target) => Some(content.doc(target).url.as_str().to_string()),
            None => published.asset(source).map(|file| format!("/{file}")),
        },
        Dest::Relative(_) => match published.beside(doc.source.dir(), dest) {
            Some(file) => Some(format!("/{file}")),
            None => dest.site_path(&doc.url),
        },
        Dest::Root(_) => dest.site_path(&doc.url),
    }
}

fn check_link(content: &Content, published: &Published, doc: &Doc, link: &LinkRef) -> Option<Problem> {
    let problem = match resolve(content, published, doc, link) {
        Err(problem) => problem,
        Ok(to) => {
            let anchor = link.anchor.as_ref()?;
            // The page itself, when it is not a page of the site (a home page
            // without `_index.md`), is read from the scan it was given.
            let target_doc = match (to, &link.dest) {
                (_, Dest::Here) => doc,
                (Some(t), _) => content.doc(t),
                (None, _) => return None,
            };
            if target_doc.scan.has_anchor(anchor) {
                return None;
            }
            Problem::BrokenAnchor { page: target_doc.source.to_string(), anchor: anchor.clone() }
        }
    };
    Some(problem)
}
