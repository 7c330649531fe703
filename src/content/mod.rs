//! Content: the Markdown tree under `content/`, read into pages and sections.
//!
//! [`load`] walks the tree, reads every file's front matter strictly, works
//! out each page's kind, section and URL, and reports every problem it finds
//! on the way. The result is plain data the later stages only read.

mod bundle;
mod frontmatter;
mod glossary;
mod kinds;
mod load;
mod related;

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;

use jiff::civil;

use crate::error::{Location, Locator};
use crate::markdown::Scan;
use crate::paths::{SourcePath, UrlPath};

pub use frontmatter::{FrontMatter, Split, split};
pub use glossary::{Glossary, GlossaryTerm, names as term_names};
pub use kinds::{Definition, Event, EventStatus, Explainer, Kind, KindData, Term, Tool, ToolStatus, When};
pub use load::{LoadOptions, load, reload_page, reload_section_body, sort_section, sort_sections};
pub use related::related_explainers;

/// What pages and sections share: a source file, its front matter, its URL.
#[derive(Debug)]
pub struct Doc {
    pub source: SourcePath,
    /// The file relative to the site root (`content/explainers/x.md`), for diagnostics.
    pub file: PathBuf,
    pub text: String,
    /// Where the front matter's TOML starts in `text`; spans from it are relative to this.
    pub front_offset: usize,
    pub body_offset: usize,
    pub meta: Meta,
    pub url: UrlPath,
    pub redirect_from: Vec<UrlPath>,
    pub scan: Scan,
    /// Another page already has this URL: reported, and not rendered.
    pub shadowed: bool,
}

impl Doc {
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// The location of a front-matter span (as [`MetaSpans`] keeps them).
    pub fn locate_front(&self, span: &Range<usize>) -> Location {
        Location::at(&self.file, &self.text, self.front_offset + span.start, span.len())
    }

    /// A location at byte `offset` (`len` bytes) of the body.
    pub fn body_location(&self, offset: usize, len: usize) -> Location {
        Location::at(&self.file, &self.text, self.body_offset + offset, len)
    }

    /// [`Doc::body_location`] for as many problems as the body has: its
    /// lines are indexed once, when the first location is asked for.
    pub fn body_locator(&self) -> impl Fn(usize, usize) -> Location + '_ {
        let locator = Locator::new(&self.file, &self.text);
        move |offset, len| locator.at(self.body_offset + offset, len)
    }
}

/// Front matter every page and section has.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub title: String,
    pub description: String,
    pub date: Option<civil::Date>,
    pub updated: Option<civil::Date>,
    pub draft: bool,
    pub weight: i64,
    pub tags: Vec<String>,
    pub template: Option<String>,
    pub extra: toml::Table,
    /// Where `title`, `description` and `template` were written, in bytes
    /// of the front matter: findings about them point there.
    pub spans: MetaSpans,
}

/// Positions of front-matter values, kept from parsing (see [`Doc::locate_front`]).
#[derive(Debug, Clone, Default)]
pub struct MetaSpans {
    pub title: Range<usize>,
    pub description: Option<Range<usize>>,
    pub template: Option<Range<usize>>,
}

#[derive(Debug)]
pub struct Page {
    pub doc: Doc,
    pub kind: Kind,
    pub data: KindData,
    /// The section it is listed in.
    pub section: usize,
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// Newest first; undated pages last.
    Date,
    Title,
    /// Lightest first, then by title.
    Weight,
    /// Events by start, soonest first.
    Start,
}

#[derive(Debug)]
pub struct Section {
    pub doc: Doc,
    /// The folder, relative to `content/` (empty for the home page).
    pub dir: String,
    /// The kind its pages take unless they say otherwise.
    pub kind: Option<Kind>,
    pub sort_by: SortBy,
    pub paginate_by: Option<usize>,
    pub parent: Option<usize>,
    pub pages: Vec<usize>,
    pub subsections: Vec<usize>,
}

/// A file under `content/` that is not Markdown: published beside its
/// bundle's page, or else at its folder's URL (see `content::bundle`).
#[derive(Debug, Clone)]
pub struct Asset {
    pub from: PathBuf,
    /// Where it goes, relative to the output folder.
    pub to: PathBuf,
}

/// Something an `@/` link can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Page(usize),
    Section(usize),
}

/// Everything under `content/`. Section 0 is the home page.
#[derive(Debug, Default)]
pub struct Content {
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub assets: Vec<Asset>,
    pub by_source: HashMap<String, Target>,
    pub glossary: Glossary,
    /// For each page, the explainers most related to it (see `content::related`).
    pub related: Vec<Vec<usize>>,
    /// For each page, the pages and sections whose `@/` links lead to it,
    /// in order of title.
    pub backlinks: Vec<Vec<Target>>,
}

impl Content {
    pub fn doc(&self, target: Target) -> &Doc {
        match target {
            Target::Page(i) => &self.pages[i].doc,
            Target::Section(i) => &self.sections[i].doc,
        }
    }

    pub fn doc_mut(&mut self, target: Target) -> &mut Doc {
        match target {
            Target::Page(i) => &mut self.pages[i].doc,
            Target::Section(i) => &mut self.sections[i].doc,
        }
    }

    /// What an `@/` link's page part (`explainers/x.md`, with or without a
    /// leading slash) leads to.
    pub fn target_of(&self, link: &str) -> Option<Target> {
        self.by_source.get(link.trim_start_matches('/')).copied()
    }

    /// The order lists of pages and sections are kept in ("used in",
    /// backlinks): by title in lower case, then by URL.
    pub fn order_key(&self, target: Target) -> (String, String) {
        let doc = self.doc(target);
        (doc.meta.title.to_lowercase(), doc.url.as_str().to_string())
    }

    /// Works out [`Content::backlinks`] from every page's and section's links.
    pub fn find_backlinks(&mut self) {
        let mut backlinks: Vec<Vec<Target>> = vec![Vec::new(); self.pages.len()];
        for (from, doc) in self.docs().filter(|(_, d)| !d.shadowed) {
            for link in &doc.scan.links {
                // Each page's links are read together, so a page already
                // listed is last in the list: one comparison, however many
                // pages link to `to` and however often `from` does.
                if let Some(Target::Page(to)) = link.source().and_then(|s| self.target_of(s))
                    && from != Target::Page(to)
                    && backlinks[to].last() != Some(&from)
                {
                    backlinks[to].push(from);
                }
            }
        }
        for list in &mut backlinks {
            list.sort_by_cached_key(|&t| self.order_key(t));
        }
        self.backlinks = backlinks;
    }

    /// Puts `from` in page `to`'s backlinks, at its place by title (when it
    /// links there) or takes it out (when it no longer does): after one
    /// page's links or title changed.
    pub fn place_backlink(&mut self, from: Target, to: usize, links: bool) {
        let Some(list) = self.backlinks.get(to) else { return };
        let mut list: Vec<Target> = list.iter().copied().filter(|&t| t != from).collect();
        if links && from != Target::Page(to) {
            let mine = self.order_key(from);
            let at = list.partition_point(|&t| self.order_key(t) < mine);
            list.insert(at, from);
        }
        self.backlinks[to] = list;
    }

    /// Every page and section, in a stable order.
    pub fn docs(&self) -> impl Iterator<Item = (Target, &Doc)> {
        let sections = self.sections.iter().enumerate().map(|(i, s)| (Target::Section(i), &s.doc));
        let pages = self.pages.iter().enumerate().map(|(i, p)| (Target::Page(i), &p.doc));
        sections.chain(pages)
    }
}
