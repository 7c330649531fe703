//! Page bundles: a folder whose `index.md` is a page, with its files beside it.
//!
//! `explainers/open-weights/index.md` is the page `/explainers/open-weights/`,
//! just as `explainers/open-weights.md` would be (its `slug` still renames
//! it), and every file in that folder or below it that is not Markdown is
//! published beside the page's `index.html`: `chart.png` at
//! `/explainers/open-weights/chart.png`. So `![Chart](chart.png)` means on
//! the site what it means in the author's editor, the habit Zola and Hugo
//! taught. A folder is a section (`_index.md`) or a page (`index.md`), never
//! both; `content/index.md` is neither (the home page is `_index.md`).
//!
//! Any other file under `content/` is published at its folder's URL, as it
//! always was (`explainers/diagram.png` at `/explainers/diagram.png`). A
//! relative reference to it from a plain page beside it is read from that
//! page's folder ([`crate::paths::Dest::beside`]), checked against what the
//! build publishes ([`crate::links`]) and written as that URL when the page
//! is rendered, so authors can refer to files by where they sit on disk
//! whatever shape their pages have. Every file placed here is an
//! [`Asset`], which the build's one list of what it publishes
//! ([`crate::links::Published`]) takes as it is.
//!
//! A draft's files are left out with it: a draft bundle's, and everything
//! under a draft section. A file that would land on a page's own
//! `index.html`, or on another file, is an error, as two pages on one URL are.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::{Asset, Content, Target};
use crate::error::{Diagnostic, Location, Problem};
use crate::paths::{SourcePath, UrlPath, slugify};

const INDEX: &str = "index.md";
const SECTION_INDEX: &str = "_index.md";

/// Whether `source` is the `index.md` of a bundle.
pub fn is_bundle_index(source: &SourcePath) -> bool {
    source.stem() == "index" && !source.dir().is_empty()
}

/// The folder a page's URL is made in, and the name its slug comes from
/// unless `slug` says otherwise: `("explainers", "open-weights")` for
/// `explainers/open-weights.md` and `explainers/open-weights/index.md` alike.
fn url_parts(source: &SourcePath) -> (&str, &str) {
    if is_bundle_index(source) {
        let dir = source.dir();
        dir.rsplit_once('/').unwrap_or(("", dir))
    } else {
        (source.dir(), source.stem())
    }
}

/// The slug of the page at `source` when its front matter sets none.
pub fn default_slug(source: &SourcePath) -> String {
    slugify(url_parts(source).1)
}

/// The URL of the page at `source` whose slug is `slug`.
pub fn page_url(source: &SourcePath, slug: &str) -> UrlPath {
    UrlPath::from_folder(url_parts(source).0).child([slug])
}

fn named(rel: &Path, name: &str) -> bool {
    rel.file_name().is_some_and(|n| n == name)
}

fn folder(rel: &Path) -> &Path {
    rel.parent().unwrap_or(Path::new(""))
}

/// The Markdown files of `content/` less the `index.md` files that cannot
/// be pages, each reported: one beside an `_index.md`, and `content/index.md`.
pub fn without_clashes(markdown: Vec<PathBuf>, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let sections: HashSet<PathBuf> =
        markdown.iter().filter(|rel| named(rel, SECTION_INDEX)).map(|rel| folder(rel).to_path_buf()).collect();
    let (kept, refused): (Vec<PathBuf>, Vec<PathBuf>) = markdown.into_iter().partition(|rel| {
        let dir = folder(rel);
        !named(rel, INDEX) || (!dir.as_os_str().is_empty() && !sections.contains(dir))
    });
    for rel in refused {
        let file = Path::new("content").join(&rel);
        let problem = match folder(&rel) {
            dir if dir.as_os_str().is_empty() => Problem::IndexAtRoot,
            dir => Problem::SectionAndBundle {
                section: Path::new("content").join(dir).join(SECTION_INDEX).display().to_string(),
                index: file.display().to_string(),
            },
        };
        diags.push(Diagnostic::error(problem, Location::file(file)));
    }
    kept
}

/// What a folder holding an `index.md` or `_index.md` does to the files below it.
#[derive(Clone, Copy)]
enum Owner {
    /// A bundle whose page is this page number.
    Bundle(usize),
    /// A bundle left out (a draft): its files go with it.
    LeftOutBundle,
    Section,
    /// A section left out (a draft): so is everything under it.
    LeftOutSection,
}

/// Where each file of `content/` that is not Markdown (`files`, relative to
/// it) is published, once `content` has its pages and sections. `markdown`
/// is every page and section file there is, drafts included.
pub fn place_assets(
    content: &Content,
    content_dir: &Path,
    markdown: &[PathBuf],
    files: Vec<PathBuf>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Asset> {
    let owners = owners(content, markdown);
    let mut assets = Vec::with_capacity(files.len());
    for rel in files {
        let Some(to) = destination(content, &owners, &rel) else { continue };
        assets.push(Asset { from: content_dir.join(&rel), to });
    }
    refuse_overlaps(content, content_dir, assets, diags)
}

fn owners<'m>(content: &Content, markdown: &'m [PathBuf]) -> HashMap<&'m Path, Owner> {
    let mut owners = HashMap::new();
    let loaded = |rel: &Path| content.by_source.get(&SourcePath::new(rel).to_string()).copied();
    for rel in markdown {
        let owner = if named(rel, SECTION_INDEX) {
            if loaded(rel).is_some() { Owner::Section } else { Owner::LeftOutSection }
        } else if named(rel, INDEX) {
            match loaded(rel) {
                Some(Target::Page(i)) => Owner::Bundle(i),
                _ => Owner::LeftOutBundle,
            }
        } else {
            continue;
        };
        owners.insert(folder(rel), owner);
    }
    owners
}

/// Where the file at `rel` goes in the output, or `None` when a draft
/// takes it out: beside its nearest bundle's page, else where it is.
fn destination(content: &Content, owners: &HashMap<&Path, Owner>, rel: &Path) -> Option<PathBuf> {
    let mut bundle: Option<(usize, &Path)> = None;
    for dir in rel.ancestors().skip(1) {
        match owners.get(dir) {
            Some(Owner::LeftOutSection) => return None,
            Some(Owner::LeftOutBundle) if bundle.is_none() => return None,
            Some(Owner::Bundle(i)) if bundle.is_none() => bundle = Some((*i, dir)),
            _ => {}
        }
    }
    let Some((i, dir)) = bundle else {
        return Some(rel.to_path_buf());
    };
    let page = content.pages[i].doc.url.as_str().trim_start_matches('/');
    Some(Path::new(page).join(rel.strip_prefix(dir).unwrap_or(rel)))
}

/// Leaves out, with an error, each file that would land where a page or
/// section is written, or where another file already goes.
fn refuse_overlaps(
    content: &Content,
    content_dir: &Path,
    assets: Vec<Asset>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Asset> {
    if assets.is_empty() {
        return assets;
    }
    let shown = |from: &Path| Path::new("content").join(from.strip_prefix(content_dir).unwrap_or(from));
    let mut claimed: HashMap<PathBuf, PathBuf> =
        content.docs().map(|(_, doc)| (doc.url.output_file(), doc.file.clone())).collect();
    let mut kept = Vec::with_capacity(assets.len());
    for asset in assets {
        let file = shown(&asset.from);
        match claimed.get(&asset.to) {
            Some(first) => {
                let problem = Problem::DuplicateUrl {
                    url_path: format!("/{}", asset.to.display()).replace('\\', "/"),
                    first: first.display().to_string(),
                    second: file.display().to_string(),
                };
                diags.push(Diagnostic::error(problem, Location::file(file)));
            }
            None => {
                claimed.insert(asset.to.clone(), file);
                kept.push(asset);
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_is_named_by_its_folder() {
        let bundle = SourcePath::new(Path::new("explainers/open-weights/index.md"));
        assert!(is_bundle_index(&bundle));
        assert_eq!(default_slug(&bundle), "open-weights");
        assert_eq!(page_url(&bundle, "ow").as_str(), "/explainers/ow/");
        let plain = SourcePath::new(Path::new("explainers/Open Weights.md"));
        assert_eq!(page_url(&plain, &default_slug(&plain)).as_str(), "/explainers/open-weights/");
        let top = SourcePath::new(Path::new("about/index.md"));
        assert_eq!(page_url(&top, &default_slug(&top)).as_str(), "/about/");
        // Translations-to-come keep their own names.
        let french = SourcePath::new(Path::new("explainers/open-weights/index.fr.md"));
        assert!(!is_bundle_index(&french));
        assert!(!is_bundle_index(&SourcePath::new(Path::new("index.md"))));
    }

    #[test]
    fn an_index_beside_a_section_or_at_the_root_is_refused() {
        let files = ["a/_index.md", "a/index.md", "b/index.md", "index.md", "_index.md", "c/x.md"];
        let mut diags = Vec::new();
        let kept = without_clashes(files.iter().map(PathBuf::from).collect(), &mut diags);
        assert_eq!(kept, ["a/_index.md", "b/index.md", "_index.md", "c/x.md"].map(PathBuf::from));
        let problems: Vec<&Problem> = diags.iter().map(|d| &d.problem).collect();
        assert_eq!(
            problems,
            [
                &Problem::SectionAndBundle {
                    section: "content/a/_index.md".into(),
                    index: "content/a/index.md".into()
                },
                &Problem::IndexAtRoot,
            ]
        );
    }
}
