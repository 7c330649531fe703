//! The site view: the loaded site as the render stage sees it (config,
//! content and the date events are judged against), and the one value that
//! makes its URLs. Every stage that writes a link borrows a [`Site`] and asks
//! it, and it asks the site's [`BaseUrl`](crate::paths::BaseUrl); nothing
//! else joins a base URL to a path.

use jiff::civil;

use super::context::{LinkContext, TagRef};
use crate::config::Config;
use crate::content::Content;
use crate::paths::{UrlPath, slugify};

/// Everything the page contexts need to know about the whole site.
#[derive(Clone, Copy)]
pub struct Site<'a> {
    pub config: &'a Config,
    pub content: &'a Content,
    pub today: civil::Date,
}

impl Site<'_> {
    /// The path as served, with the base URL's own path in front.
    pub fn path(&self, url: &UrlPath) -> String {
        self.config.base_url.path_of(url)
    }

    pub fn permalink(&self, url: &UrlPath) -> String {
        self.config.base_url.permalink(url)
    }

    pub fn link(&self, doc: &crate::content::Doc) -> LinkContext {
        LinkContext { title: doc.meta.title.clone(), path: self.path(&doc.url), permalink: self.permalink(&doc.url) }
    }

    pub fn tag(&self, name: &str) -> TagRef {
        let slug = slugify(name);
        let url = UrlPath::from_segments(["tags", slug.as_str()]);
        TagRef { name: name.to_string(), path: self.path(&url), slug }
    }

    /// Home, then each enclosing section, outermost first.
    pub fn breadcrumbs(&self, mut section: Option<usize>) -> Vec<LinkContext> {
        let mut out = Vec::new();
        while let Some(i) = section {
            let s = &self.content.sections[i];
            out.push(self.link(&s.doc));
            section = s.parent;
        }
        out.reverse();
        out
    }
}

impl<'a> Site<'a> {
    pub fn new(config: &'a Config, content: &'a Content, today: civil::Date) -> Self {
        Site { config, content, today }
    }
}
