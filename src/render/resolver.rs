//! How the render pass writes a page's references and term links, from
//! the site view and what the build publishes (see [`crate::markdown::refs`]
//! for what each kind of reference becomes).

use crate::content::Page;
use crate::links::Published;
use crate::markdown::{LinkResolver, TermHtml};
use crate::templates::context::Site;

/// Writes a page's references: `@/` to pages and sections as their
/// permalinks and to other files under `content/` as where they are
/// published, root-relative paths under the base URL's path, and glossary
/// terms as their pages and definitions.
pub(super) struct Resolver<'a> {
    pub site: &'a Site<'a>,
    pub published: &'a Published,
    /// Each glossary term's link, ready to write.
    pub terms: &'a [TermHtml],
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
