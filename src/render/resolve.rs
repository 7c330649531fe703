//! What a page's Markdown names, as the build knows it: `@/` links to
//! permalinks, glossary terms to their pages and definitions, and images and
//! links to the files of the site they name (see [`super::files`]), with
//! the size of each local image read once per build ([`crate::images`]).

use crate::content::{Doc, Page};
use crate::error::Problem;
use crate::images::{self, Sizes};
use crate::markdown::{ImageRef, LinkResolver, TermHtml};
use crate::templates::context::Site;

use super::files::{Named, PublishedFiles};

/// Resolves what one page (or section) names.
pub struct Resolver<'a> {
    pub site: &'a Site<'a>,
    /// Each glossary term's link, ready to write.
    pub terms: &'a [TermHtml],
    pub files: &'a PublishedFiles,
    pub sizes: &'a Sizes,
    /// The page being rendered: relative URLs are read from its file and its address.
    pub doc: &'a Doc,
}

impl LinkResolver for Resolver<'_> {
    fn resolve(&self, page: &str) -> Option<String> {
        let content = self.site.content;
        content.target_of(page).map(|t| self.site.permalink(&content.doc(t).url))
    }

    fn term(&self, term: usize) -> Option<&TermHtml> {
        self.terms.get(term)
    }

    fn image(&self, dest: &str) -> Result<Option<ImageRef>, Problem> {
        let (disk, src) = match self.files.name(self.doc, dest, &self.site.config.base_url) {
            Named::File { disk, href } => (disk, href),
            Named::Other => return Ok(None),
            Named::Missing => return Err(Problem::MissingFile(dest.to_string())),
        };
        // An SVG's fragment may show a part of it (`#svgView(…)`): its size is not the file's.
        let measured = images::is_measured(disk) && !(images::is_svg(disk) && dest.contains('#'));
        let size = match measured {
            true => self.sizes.get(disk).map_err(|reason| {
                let file = disk.strip_prefix(&self.site.config.root).unwrap_or(disk);
                Problem::BadImage { file: file.display().to_string(), reason }
            })?,
            false => None,
        };
        let size = size.map(|s| (s.width, s.height));
        Ok((src.is_some() || size.is_some()).then_some(ImageRef { src, size }))
    }

    fn file(&self, dest: &str) -> Option<String> {
        match self.files.name(self.doc, dest, &self.site.config.base_url) {
            Named::File { href, .. } if !dest.starts_with("@/") => href,
            _ => None,
        }
    }
}

/// Each glossary term's link, ready to write: to its path (shorter than its
/// permalink, and the same page), with its short definition.
pub fn term_tips(site: &Site) -> Vec<TermHtml> {
    let content = site.content;
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
            TermHtml::new(&site.path(&page.doc.url), &short(page), &t.slug)
        })
        .collect()
}
