//! The pages that list other pages by what they share: `tag` (a tag's
//! pages), `view` (the catalog narrowed to a category or a status) and
//! `search` (where the search page finds its index).

use serde::Serialize;

use super::{PageValue, Site};
use crate::paths::UrlPath;
use crate::templates::catalog::View;

/// `tag` in `tag.html`: one tag and the pages that carry it.
#[derive(Serialize)]
pub struct TagContext<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub path: String,
    pub permalink: String,
    pub pages: Vec<&'a PageValue>,
}

impl<'a> TagContext<'a> {
    /// The tag `name` (`slug` in URLs), carried by `pages` (by number).
    pub fn new(site: &Site, (name, slug): (&'a str, &'a str), pages: &[usize], values: &'a [PageValue]) -> Self {
        let url = UrlPath::from_segments(["tags", slug]);
        TagContext {
            name,
            slug,
            path: site.path(&url),
            permalink: site.permalink(&url),
            pages: pages.iter().map(|&i| &values[i]).collect(),
        }
    }
}

/// `view` in `tool-view.html`: the catalog narrowed to one category or status.
#[derive(Serialize)]
pub struct ViewContext<'a> {
    /// `category` or `status`.
    pub kind: &'static str,
    pub name: &'a str,
    pub slug: &'a str,
    pub title: &'a str,
    pub path: String,
    pub permalink: String,
    /// Its tools, in listing order (retired last in a category).
    pub tools: Vec<&'a PageValue>,
}

impl<'a> ViewContext<'a> {
    pub fn new(site: &Site, view: &'a View, values: &'a [PageValue]) -> Self {
        ViewContext {
            kind: view.kind,
            name: &view.name,
            slug: &view.slug,
            title: &view.title,
            path: site.path(&view.url),
            permalink: site.permalink(&view.url),
            tools: view.tools.iter().map(|&i| &values[i]).collect(),
        }
    }
}

/// `search` in `search.html`.
#[derive(Serialize)]
pub struct SearchContext {
    /// Where the per-language indexes are (`/search/`); the page's script
    /// adds the language of `<html lang>`.
    pub root: String,
    /// This language's index folder (`/search/en/`).
    pub index: String,
    pub language: String,
}

impl SearchContext {
    /// Where the search page is: `/search/`.
    pub fn url() -> UrlPath {
        UrlPath::from_segments(["search"])
    }

    pub fn new(site: &Site) -> Self {
        let language = site.config.language.clone();
        let root = site.path(&Self::url());
        SearchContext { index: format!("{root}{language}/"), root, language }
    }
}
