//! Related explainers as templates see them; which ones is worked out with
//! the content (`content::related`).

use super::context::{Related, Site};
use crate::content::KindData;

/// The explainers most related to page number `index` (see
/// [`crate::content::Content::related`]), as templates list them.
pub fn explainers(site: &Site, index: usize) -> Vec<Related> {
    let content = site.content;
    content.related[index]
        .iter()
        .map(|&i| {
            let p = &content.pages[i];
            let summary = match &p.data {
                KindData::Explainer(e) if p.doc.meta.description.is_empty() => e.summary.clone(),
                _ => p.doc.meta.description.clone(),
            };
            Related::new(site, p, summary)
        })
        .collect()
}
