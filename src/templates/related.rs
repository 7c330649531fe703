//! Related explainers: which other explainers a reader of one should see
//! next. The score lives in [`relatedness`] alone, so new signals (shared
//! glossary terms, say) change one function.

use std::cmp::Reverse;

use super::context::{Links, Related};
use crate::content::{KindData, Page};

/// At most this many related explainers per page.
pub const MAX_RELATED: usize = 4;

/// How closely two explainers are related; 0 means not at all. Today: the
/// number of tags they share.
pub fn relatedness(a: &Page, b: &Page) -> usize {
    let theirs = &b.doc.meta.tags;
    a.doc.meta.tags.iter().filter(|t| theirs.contains(t)).count()
}

/// The explainers most related to `page`, best first; ties go by title, then
/// source path, so the same site always gives the same list.
pub fn explainers(links: &Links, page: &Page) -> Vec<Related> {
    let mut scored: Vec<(usize, &Page)> = links
        .content
        .pages
        .iter()
        .filter(|p| matches!(p.data, KindData::Explainer(_)) && !p.doc.shadowed)
        .filter(|p| p.doc.source != page.doc.source)
        .map(|p| (relatedness(page, p), p))
        .filter(|(score, _)| *score > 0)
        .collect();
    scored.sort_by_key(|(score, p)| (Reverse(*score), p.doc.meta.title.to_lowercase(), p.doc.source.as_str()));
    scored
        .into_iter()
        .take(MAX_RELATED)
        .map(|(_, p)| {
            let summary = match &p.data {
                KindData::Explainer(e) if p.doc.meta.description.is_empty() => e.summary.clone(),
                _ => p.doc.meta.description.clone(),
            };
            Related::new(links, p, summary)
        })
        .collect()
}
