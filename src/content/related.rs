//! Related explainers: which other explainers a reader of one should see
//! next. Two explainers are related by the tags and the glossary terms they
//! share; a tag counts twice as much as a term, since an author chose it.
//!
//! Worked out once per build from indexes of tags and terms, so each
//! explainer only meets those it shares something with. A tag or term that
//! more than [`MAX_SHARED`] explainers carry says little about any two of
//! them, and is left out: on a site where every page mentions "AI", that
//! mention relates nothing.

use std::cmp::Reverse;
use std::collections::HashMap;

use rayon::prelude::*;

use super::{Content, KindData};

/// At most this many related explainers per page.
const MAX_RELATED: usize = 4;

/// Tags and terms carried by more explainers than this are not used.
const MAX_SHARED: usize = 200;

const TAG_WEIGHT: usize = 2;
const TERM_WEIGHT: usize = 1;

/// For each page, the explainers most related to it, best first (empty for
/// pages that are not explainers). Ties go by title, then source path, so the
/// same site always gives the same lists.
pub fn related_explainers(content: &Content) -> Vec<Vec<usize>> {
    let explainers: Vec<usize> = (0..content.pages.len())
        .filter(|&i| matches!(content.pages[i].data, KindData::Explainer(_)) && !content.pages[i].doc.shadowed)
        .collect();
    let index = Index::new(content, &explainers);
    let lists: Vec<(usize, Vec<usize>)> = explainers
        .par_iter()
        // Each worker keeps a score per page and the pages it touched, so
        // scoring an explainer costs what it shares, not the site's size.
        .map_init(
            || (vec![0usize; content.pages.len()], Vec::new()),
            |(scores, touched), &i| (i, index.most_related(content, i, scores, touched)),
        )
        .collect();
    let mut out = vec![Vec::new(); content.pages.len()];
    for (i, list) in lists {
        out[i] = list;
    }
    out
}

/// The explainers by tag and by glossary term, and their order by title.
struct Index<'c> {
    by_tag: HashMap<&'c str, Vec<usize>>,
    by_term: Vec<Vec<usize>>,
    /// Each explainer's place in title order, and the explainers in that order.
    rank: Vec<usize>,
    by_rank: Vec<usize>,
}

impl<'c> Index<'c> {
    fn new(content: &'c Content, explainers: &[usize]) -> Self {
        let mut by_tag: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_term: Vec<Vec<usize>> = vec![Vec::new(); content.glossary.terms.len()];
        for &i in explainers {
            let doc = &content.pages[i].doc;
            for tag in &doc.meta.tags {
                by_tag.entry(tag.as_str()).or_default().push(i);
            }
            for &term in &doc.scan.terms {
                by_term[term].push(i);
            }
        }
        // Ties go by title, then source: rank every explainer once in that order.
        let mut order: Vec<(String, &str, usize)> = explainers
            .iter()
            .map(|&i| (content.pages[i].doc.meta.title.to_lowercase(), content.pages[i].doc.source.as_str(), i))
            .collect();
        order.sort_unstable();
        let mut rank = vec![0usize; content.pages.len()];
        let mut by_rank = Vec::with_capacity(order.len());
        for (r, (_, _, i)) in order.into_iter().enumerate() {
            rank[i] = r;
            by_rank.push(i);
        }
        Index { by_tag, by_term, rank, by_rank }
    }

    /// The explainers sharing most with page `i`, best first; `scores` is
    /// all zeros on the way in and out, `touched` empty.
    fn most_related(&self, content: &Content, i: usize, scores: &mut [usize], touched: &mut Vec<usize>) -> Vec<usize> {
        let doc = &content.pages[i].doc;
        let shared = doc
            .meta
            .tags
            .iter()
            .filter_map(|t| self.by_tag.get(t.as_str()).map(|l| (l, TAG_WEIGHT)))
            .chain(doc.scan.terms.iter().filter_map(|&t| self.by_term.get(t).map(|l| (l, TERM_WEIGHT))));
        for (list, weight) in shared {
            if list.len() > MAX_SHARED {
                continue;
            }
            for &other in list.iter().filter(|&&o| o != i) {
                if scores[other] == 0 {
                    touched.push(other);
                }
                scores[other] += weight;
            }
        }
        let mut best: Vec<(Reverse<usize>, usize)> =
            touched.iter().map(|&p| (Reverse(scores[p]), self.rank[p])).collect();
        for p in touched.drain(..) {
            scores[p] = 0;
        }
        if best.len() > MAX_RELATED {
            best.select_nth_unstable(MAX_RELATED);
            best.truncate(MAX_RELATED);
        }
        best.sort_unstable();
        // Collected from a borrow, so the list does not keep `best`'s allocation.
        best.iter().map(|&(_, r)| self.by_rank[r]).collect()
    }
}
