//! The glossary: every term page, the names it goes by, and where it is used.
//!
//! Built from front matter once pages have their URLs, before any body is
//! read: the scan then finds terms in every page with one [`Matcher`], and
//! [`Glossary::record_uses`] turns what it found into "used in" lists and the
//! glossary's warnings.

use std::collections::HashMap;

use rayon::prelude::*;

use super::{Content, Doc, KindData, Target};
use crate::config::LinkMode;
use crate::error::{Diagnostic, Location, Problem, suggest};
use crate::markdown::{Matcher, TermScan};

/// How many places an "appears unlinked" warning names before it counts the rest.
const UNLINKED_LISTED: usize = 5;

/// One glossary term.
#[derive(Debug, Clone)]
pub struct GlossaryTerm {
    /// Its page in [`Content::pages`].
    pub page: usize,
    /// The last segment of its URL, as `related` names it.
    pub slug: String,
}

/// Every term of the site, with what finds them and where they are used.
#[derive(Debug, Default)]
pub struct Glossary {
    pub terms: Vec<GlossaryTerm>,
    /// Terms by their source path (`glossary/llm.md`), for `@/` links.
    pub by_source: HashMap<String, usize>,
    pub by_slug: HashMap<String, usize>,
    /// Term by page index, for pages that are terms.
    pub of_page: HashMap<usize, usize>,
    pub matcher: Option<Matcher>,
    /// For each term, the pages and sections that mention or link it, by title.
    pub used_in: Vec<Vec<Target>>,
}

impl Glossary {
    /// Collects the site's terms and checks their names and `related` lists.
    pub fn build(content: &Content, diags: &mut Vec<Diagnostic>) -> Glossary {
        let mut glossary = Glossary::default();
        for (i, page) in content.pages.iter().enumerate() {
            if page.doc.shadowed || !matches!(page.data, KindData::Term(_)) {
                continue;
            }
            let slug = page.doc.url.slug().to_string();
            let n = glossary.terms.len();
            glossary.by_source.insert(page.doc.source.to_string(), n);
            glossary.by_slug.entry(slug.clone()).or_insert(n);
            glossary.of_page.insert(i, n);
            glossary.terms.push(GlossaryTerm { page: i, slug });
        }
        let names: Vec<Vec<String>> = glossary.terms.iter().map(|t| names(content, t.page)).collect();
        glossary.check_names(content, &names, diags);
        glossary.check_related(content, diags);
        glossary.matcher = Matcher::new(&names);
        glossary.used_in = vec![Vec::new(); glossary.terms.len()];
        glossary
    }

    /// What the scan of page `page` (or of a section, `None`) needs to find terms.
    pub fn scan_for(&self, page: Option<usize>, mode: LinkMode) -> Option<TermScan<'_>> {
        let own = page.and_then(|p| self.of_page.get(&p).copied());
        self.matcher.as_ref().map(|matcher| TermScan { matcher, by_source: &self.by_source, own, mode })
    }

    /// Two terms may not share a title or synonym, in any case: a mention
    /// could not say which one it means.
    fn check_names(&self, content: &Content, names: &[Vec<String>], diags: &mut Vec<Diagnostic>) {
        let mut owner: HashMap<String, usize> = HashMap::new();
        for (t, list) in names.iter().enumerate() {
            for (k, name) in list.iter().enumerate() {
                let key = name.trim().to_lowercase();
                if key.is_empty() {
                    continue;
                }
                match owner.get(&key) {
                    Some(&first) if first != t => {
                        let doc = &content.pages[self.terms[t].page].doc;
                        let first_doc = &content.pages[self.terms[first].page].doc;
                        let problem = Problem::DuplicateTermName {
                            name: name.clone(),
                            first: first_doc.file.display().to_string(),
                            second: doc.file.display().to_string(),
                        };
                        let key_name = if k == 0 { "title" } else { "synonyms" };
                        diags.push(Diagnostic::error(problem, key_location(doc, key_name)));
                    }
                    Some(_) => {}
                    None => {
                        owner.insert(key, t);
                    }
                }
            }
        }
    }

    fn check_related(&self, content: &Content, diags: &mut Vec<Diagnostic>) {
        for term in &self.terms {
            let page = &content.pages[term.page];
            let KindData::Term(data) = &page.data else { continue };
            for (slug, span) in &data.related {
                if self.by_slug.contains_key(slug) {
                    continue;
                }
                let suggestion = suggest(slug, self.by_slug.keys().map(String::as_str));
                let problem = Problem::UnknownRelatedTerm { slug: slug.clone(), suggestion };
                let at = page.doc.locate_front(span);
                diags.push(Diagnostic::error(problem, at));
            }
        }
    }

    /// Moves `target` to its place, by title, in the "used in" lists of
    /// `terms` (after it changed its title).
    pub fn reorder_uses(&mut self, content: &Content, target: Target, terms: impl IntoIterator<Item = usize>) {
        let moved = content.order_key(target);
        for t in terms {
            if let Some(list) = self.used_in.get_mut(t) {
                list.retain(|&x| x != target);
                let at = list.partition_point(|&x| content.order_key(x) < moved);
                list.insert(at, target);
            }
        }
    }

    /// Records which pages use each term, after every body is scanned, and
    /// warns about terms no page uses and, with linking off, mentions left
    /// unlinked.
    pub fn record_uses(&mut self, content: &Content, mode: LinkMode, diags: &mut Vec<Diagnostic>) {
        self.used_in = vec![Vec::new(); self.terms.len()];
        let mut unlinked: Vec<Vec<Option<Location>>> = vec![Vec::new(); self.terms.len()];
        // Pages in order of title, so each "used in" list comes out sorted
        // (the order of `Content::order_key`, without copying each URL).
        let docs: Vec<(Target, &Doc)> = content.docs().filter(|(_, doc)| !doc.shadowed).collect();
        let mut order: Vec<(String, &str, Target)> =
            docs.par_iter().map(|(target, doc)| (doc.meta.title.to_lowercase(), doc.url.as_str(), *target)).collect();
        order.par_sort_unstable();

        for (_, _, target) in order {
            let doc = content.doc(target);
            for &t in &doc.scan.terms {
                self.used_in[t].push(target);
            }
            for &(t, offset, len) in &doc.scan.unlinked {
                // A warning names the first few places; the rest are counted.
                match unlinked[t].len() {
                    n if n < UNLINKED_LISTED => unlinked[t].push(Some(doc.body_location(offset, len))),
                    _ => unlinked[t].push(None),
                }
            }
        }
        // A big glossary may have many unused terms; their warnings are made in parallel.
        let unused: Vec<Diagnostic> = (0..self.terms.len())
            .into_par_iter()
            .filter(|&t| self.used_in[t].is_empty())
            .map(|t| {
                let doc = &content.pages[self.terms[t].page].doc;
                Diagnostic::warning(Problem::UnusedTerm(doc.meta.title.clone()), key_location(doc, "title"))
            })
            .collect();
        diags.extend(unused);
        for (t, term) in self.terms.iter().enumerate() {
            let doc = &content.pages[term.page].doc;
            if mode == LinkMode::Off
                && let Some(Some(first)) = unlinked[t].first()
            {
                let listed: Vec<String> =
                    unlinked[t].iter().flatten().map(|l| format!("{}:{}", l.file.display(), l.line)).collect();
                let mut places = listed.join(", ");
                if unlinked[t].len() > listed.len() {
                    places.push_str(&format!(" and {} more pages", unlinked[t].len() - listed.len()));
                }
                let problem = Problem::UnlinkedTerm { term: doc.meta.title.clone(), places };
                diags.push(Diagnostic::warning(problem, first.clone()));
            }
        }
    }
}

/// A term's names: its title, then its synonyms.
pub fn names(content: &Content, page: usize) -> Vec<String> {
    let page = &content.pages[page];
    let mut out = vec![page.doc.meta.title.clone()];
    if let KindData::Term(t) = &page.data {
        out.extend(t.synonyms.iter().cloned());
    }
    out
}

/// Where front-matter key `key` is set in `doc`, or the file if it is not.
fn key_location(doc: &Doc, key: &str) -> Location {
    let front = &doc.text[doc.front_offset..doc.body_offset];
    let mut offset = doc.front_offset;
    for line in front.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            let at = offset + (line.len() - trimmed.len());
            return Location::at(&doc.file, &doc.text, at, key.len());
        }
        offset += line.len();
    }
    Location::file(&doc.file)
}
