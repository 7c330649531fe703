//! Parsing: a Markdown file's front matter, read into a file not yet
//! placed in the site ([`Parsed`]), and then into the [`Doc`] every page
//! and section has once its URL is known, with front-matter problems at
//! their line and column.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use toml::Spanned;

use super::walk::read_source;
use crate::content::frontmatter::{FrontMatter, split};
use crate::content::kinds;
use crate::content::{Doc, Meta, MetaSpans};
use crate::error::{Diagnostic, Location, Problem};
use crate::paths::{SourcePath, UrlPath};

/// A file read and its front matter parsed, not yet placed in the site.
pub(super) struct Parsed {
    pub(super) source: SourcePath,
    pub(super) file: PathBuf,
    pub(super) text: String,
    pub(super) front_offset: usize,
    pub(super) body_offset: usize,
    /// Boxed: front matter is large, and a site's worth of it is moved around.
    pub(super) fm: Box<FrontMatter>,
}

pub(super) fn parse_file(content_dir: &Path, rel: &Path) -> Result<Parsed, Vec<Diagnostic>> {
    let (file, text) = read_source(content_dir, rel)?;
    let parts =
        split(&text).map_err(|(problem, at)| vec![Diagnostic::error(problem, Location::at(&file, &text, at, 3))])?;
    let (front_offset, body_offset) = (parts.front_offset, parts.body_offset);
    let fm = crate::strict::parse::<FrontMatter>(&file, &text, front_offset, parts.front).map_err(|d| vec![d])?;
    Ok(Parsed { source: SourcePath::new(rel), file, text, front_offset, body_offset, fm: Box::new(fm) })
}

/// Parses every Markdown file of `markdown` (relative to `content_dir`), in
/// parallel; a file with a problem is reported and left out.
pub(super) fn parse_all(content_dir: &Path, markdown: &[PathBuf], diags: &mut Vec<Diagnostic>) -> Vec<Parsed> {
    let results: Vec<Result<Parsed, Vec<Diagnostic>>> =
        markdown.par_iter().map(|rel| parse_file(content_dir, rel)).collect();
    let mut parsed = Vec::new();
    for r in results {
        match r {
            Ok(p) => parsed.push(p),
            Err(d) => diags.extend(d),
        }
    }
    parsed
}

/// `parsed` less its drafts and everything under a draft section.
pub(super) fn without_drafts(mut parsed: Vec<Parsed>) -> Vec<Parsed> {
    let draft_dirs: Vec<String> = parsed
        .iter()
        .filter(|p| p.fm.draft && p.source.stem() == "_index")
        .map(|p| p.source.dir().to_string())
        .collect();
    parsed.retain(|p| !p.fm.draft && !draft_dirs.iter().any(|d| !d.is_empty() && within(p.source.dir(), d)));
    parsed
}

fn within(dir: &str, ancestor: &str) -> bool {
    dir == ancestor || dir.starts_with(&format!("{ancestor}/"))
}

/// Turns front-matter problems (spans relative to the block) into diagnostics.
pub(super) fn report(doc: &Doc, problems: kinds::Problems, diags: &mut Vec<Diagnostic>) {
    for (problem, span) in problems {
        let at = doc.locate_front(&span);
        diags.push(Diagnostic::error(problem, at));
    }
}

fn meta(p: &mut Parsed, problems: &mut kinds::Problems) -> Meta {
    let fm = &mut p.fm;
    Meta {
        title: fm.title.get_ref().clone(),
        description: fm.description.as_ref().map(|d| d.get_ref().clone()).unwrap_or_default(),
        date: fm.date.as_ref().and_then(|d| kinds::date_of("date", d, problems)),
        updated: fm.updated.as_ref().and_then(|d| kinds::date_of("updated", d, problems)),
        draft: fm.draft,
        weight: fm.weight,
        tags: std::mem::take(&mut fm.tags),
        template: fm.template.as_ref().map(|t| t.get_ref().clone()),
        extra: std::mem::take(&mut fm.extra),
        spans: MetaSpans {
            title: fm.title.span(),
            description: fm.description.as_ref().map(Spanned::span),
            template: fm.template.as_ref().map(Spanned::span),
        },
    }
}

fn redirects(p: &Parsed, problems: &mut kinds::Problems) -> Vec<UrlPath> {
    let mut out = Vec::new();
    for raw in &p.fm.redirect_from {
        match UrlPath::parse(raw.get_ref()) {
            Some(url) => out.push(url),
            None => {
                let reason = format!("\"{}\" is not a path on this site, like \"/old/page/\"", raw.get_ref());
                problems.push((Problem::BadValue { key: "redirect_from".into(), reason }, raw.span()));
            }
        }
    }
    out
}

pub(super) fn doc(mut p: Parsed, url: UrlPath, problems: &mut kinds::Problems) -> Doc {
    let meta = meta(&mut p, problems);
    let redirect_from = redirects(&p, problems);
    Doc {
        source: p.source,
        file: p.file,
        text: p.text,
        front_offset: p.front_offset,
        body_offset: p.body_offset,
        meta,
        url,
        redirect_from,
        scan: Default::default(),
        shadowed: false,
    }
}
