//! Resolving: the first Markdown pass over every body, in parallel (heading
//! ids, links, glossary terms, search text), and which pages use which
//! glossary terms. Links are checked later, once the build knows what it
//! publishes ([`crate::links`]).

use std::path::Path;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Content, Page, Target};
use crate::error::{Diagnostic, Location};
use crate::markdown;

/// The first Markdown pass over every page, in parallel. Its links are
/// checked once the build knows what it publishes ([`crate::links`]).
pub(super) fn scan_bodies(config: &Config, content: &mut Content, diags: &mut Vec<Diagnostic>) {
    let options = markdown::options(&config.markdown);
    let mode = config.glossary.link;
    let search = config.search.enabled;
    let raw_html = config.markdown.raw_html;
    let glossary = &content.glossary;
    let scans: Vec<_> = content
        .docs()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|(target, d)| {
            let page = match target {
                Target::Page(i) => Some(*i),
                Target::Section(_) => None,
            };
            let keep_text = search && page.is_some();
            markdown::scan(d.body(), options, raw_html, glossary.scan_for(page, mode).as_ref(), keep_text)
        })
        .collect();
    let mut scans = scans.into_iter();
    for s in content.sections.iter_mut() {
        s.doc.scan = scans.next().unwrap_or_default();
    }
    for p in content.pages.iter_mut() {
        p.doc.scan = scans.next().unwrap_or_default();
    }
    for (_, doc) in content.docs() {
        let at = doc.body_locator();
        for (problem, offset, len) in &doc.scan.problems {
            diags.push(Diagnostic::error(problem.clone(), at(*offset, *len)));
        }
    }
    let mut glossary = std::mem::take(&mut content.glossary);
    glossary.record_uses(content, mode, diags);
    content.glossary = glossary;
}

/// The first Markdown pass over `page`, reloaded as page number `index`;
/// its problems, if any, as errors.
pub(super) fn scan_page(
    config: &Config,
    content: &Content,
    page: &mut Page,
    index: usize,
) -> Result<(), Vec<Diagnostic>> {
    let scan_for = content.glossary.scan_for(Some(index), config.glossary.link);
    let options = markdown::options(&config.markdown);
    let raw_html = config.markdown.raw_html;
    page.doc.scan = markdown::scan(page.doc.body(), options, raw_html, scan_for.as_ref(), config.search.enabled);
    let problems: Vec<Diagnostic> = {
        let at = page.doc.body_locator();
        page.doc
            .scan
            .problems
            .iter()
            .map(|(problem, offset, len)| Diagnostic::error(problem.clone(), at(*offset, *len)))
            .collect()
    };
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// Reads section `s`'s `_index.md` (at `rel` under `content/`) again when
/// only its body changed: the new text, with the first Markdown pass done.
/// `None` when its front matter changed too (then the site is built whole).
pub fn reload_section_body(
    config: &Config,
    content: &Content,
    rel: &Path,
    s: usize,
) -> Result<Option<(String, crate::markdown::Scan)>, Vec<Diagnostic>> {
    let (file, text) = super::walk::read_source(&config.content_dir(), rel)?;
    let old = &content.sections[s].doc;
    if text.get(..old.body_offset) != Some(&old.text[..old.body_offset]) {
        return Ok(None);
    }
    let scan_for = content.glossary.scan_for(None, config.glossary.link);
    let options = markdown::options(&config.markdown);
    let scan = markdown::scan(&text[old.body_offset..], options, config.markdown.raw_html, scan_for.as_ref(), false);
    let problems: Vec<Diagnostic> = scan
        .problems
        .iter()
        .map(|(problem, offset, len)| {
            Diagnostic::error(problem.clone(), Location::at(&file, &text, old.body_offset + offset, *len))
        })
        .collect();
    if problems.is_empty() { Ok(Some((text, scan))) } else { Err(problems) }
}
