//! How the render pass writes a page's references and term links, and
//! reads the sizes of its images, from the site view and what the build
//! publishes (see [`crate::markdown::refs`] for what each kind of reference
//! becomes).

use crate::content::{Doc, Page};
use crate::error::Problem;
use crate::images::{self, Sizes};
use crate::links::Published;
use crate::markdown::{LinkResolver, TermHtml};
use crate::paths::Reference;
use crate::templates::context::Site;

/// Writes the references of one page (or section): `@/` to pages and
/// sections as their permalinks and to other files under `content/` as
/// where they are published, root-relative paths under the base URL's
/// path, relative paths naming a file beside the page's own file as where
/// that file is published, and glossary terms as their pages and
/// definitions.
pub(super) struct Resolver<'a> {
    pub site: &'a Site<'a>,
    pub published: &'a Published,
    /// Each glossary term's link, ready to write.
    pub terms: &'a [TermHtml],
    /// The sizes of the images pages show, each file read once per build.
    pub sizes: &'a Sizes,
    /// The page being rendered: relative paths are read from its file's folder.
    pub doc: &'a Doc,
}

impl LinkResolver for Resolver<'_> {
    fn resolve(&self, source: &str) -> Option<String> {
        let content = self.site.content;
        if let Some(target) = content.target_of(source) {
            return Some(self.site.permalink(&content.doc(target).url));
        }
        let file = self.published.asset(source)?;
        Some(self.site.config.base_url.absolute(&format!("/{file}")))
    }

    fn local(&self, root_relative: &str) -> Option<String> {
        let base = &self.site.config.base_url;
        (!base.path().is_empty()).then(|| base.local(root_relative))
    }

    fn beside(&self, relative: &str) -> Option<String> {
        let dest = crate::paths::Dest::Relative(relative.to_string());
        let file = self.published.beside(self.doc.source.dir(), &dest)?;
        Some(self.site.config.base_url.local(&format!("/{file}")))
    }

    fn image_size(&self, dest: &str) -> Result<Option<(u32, u32)>, Problem> {
        let Some(reference) = Reference::parse(dest) else { return Ok(None) };
        let path = crate::links::site_path(self.site.content, self.published, self.doc, &reference.dest);
        let Some(disk) = path.as_deref().and_then(|p| self.published.disk(p)) else { return Ok(None) };
        // An SVG's fragment may show a part of it (`#svgView(…)`): its size is not the file's.
        if !images::is_measured(disk) || (images::is_svg(disk) && reference.anchor.is_some()) {
            return Ok(None);
        }
        let size = self.sizes.get(disk).map_err(|reason| {
            let file = disk.strip_prefix(&self.site.config.root).unwrap_or(disk);
            Problem::BadImage { file: file.display().to_string(), reason }
        })?;
        Ok(size.map(|s| (s.width, s.height)))
    }

    fn term(&self, term: usize) -> Option<&TermHtml> {
        self.terms.get(term)
    }
}

/// Each glossary term's link, ready to write: to its path (shorter than its
/// permalink, and the same page), with its short definition.
pub(super) fn term_tips(site: &Site) -> Vec<TermHtml> {
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
