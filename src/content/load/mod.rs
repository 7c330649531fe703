//! Loading `content/`: walk, parse, place, resolve, sort.
//!
//! [`load`] runs the stages in order, each in its own module over plain
//! data: [`walk`] lists the files under `content/` (refusing, with
//! `content::bundle`, an `index.md` that cannot be a page); [`parse`] reads
//! each Markdown file's front matter, in parallel, into a file not yet
//! placed, and leaves out drafts unless asked for them; [`place`] makes
//! sections and pages of them (kinds, URLs, parents), places the other
//! files (`content::bundle`) and refuses two claims on one URL; then the
//! glossary is built; [`resolve`] does the first Markdown pass over every
//! body (heading ids, links, glossary terms, search text) and records which
//! pages use which terms, before related pages and backlinks are found;
//! [`sort`] orders each section's pages. Every problem is reported and the
//! file it is in left out, so one run shows all of a site's problems.
//!
//! A live rebuild reloads one page ([`reload_page`], in `place`) or one
//! section's body ([`reload_section_body`], in `resolve`) through the same
//! stages, and sorts one section again ([`sort_section`]).

mod parse;
mod place;
mod resolve;
mod sort;
mod walk;

use super::{Content, Glossary, bundle};
use crate::config::Config;
use crate::error::Diagnostic;

pub use place::reload_page;
pub use resolve::reload_section_body;
pub use sort::{sort_section, sort_sections};

/// Choices that change what is loaded.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    pub drafts: bool,
}

/// Reads the whole content tree. Problems are reported, and the files they
/// are in left out, so one run shows every problem in the site.
pub fn load(config: &Config, options: LoadOptions) -> (Content, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let content_dir = config.content_dir();
    let (markdown, assets) = walk::walk(&config.root, &content_dir, &mut diags);

    let mut parsed = parse::parse_all(&content_dir, &markdown, &mut diags);
    if !options.drafts {
        parsed = parse::without_drafts(parsed);
    }

    let mut content = Content::default();
    let (section_docs, page_docs): (Vec<_>, Vec<_>) = parsed.into_iter().partition(|p| p.source.stem() == "_index");
    place::add_sections(config, &mut content, section_docs, &mut diags);
    place::add_pages(config, &mut content, page_docs, &mut diags);
    content.assets = bundle::place_assets(&content, &content_dir, &markdown, assets, &mut diags);
    place::check_urls(&mut content, &mut diags);
    content.glossary = Glossary::build(&content, &mut diags);
    resolve::scan_bodies(config, &mut content, &mut diags);
    content.related = super::related::related_explainers(&content);
    content.find_backlinks();
    sort_sections(&mut content);
    (content, diags)
}
