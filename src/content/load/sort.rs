//! Sorting: each section's pages in the order its `sort_by` names, ties
//! broken by title and then by file, so a build's order never depends on
//! the order the walk found files in.

use rayon::prelude::*;

use crate::content::{Content, KindData, Page, SortBy};

/// Orders each section's pages by its `sort_by`.
pub fn sort_sections(content: &mut Content) {
    sort(content, None);
}

/// Orders the pages of section `s` alone (after one of them changed).
pub fn sort_section(content: &mut Content, s: usize) {
    sort(content, Some(s));
}

fn sort(content: &mut Content, only: Option<usize>) {
    let pages = &content.pages;
    // Titles in lower case once, not at every comparison.
    let titles: Vec<String> = match only {
        None => pages.par_iter().map(|p| p.doc.meta.title.to_lowercase()).collect(),
        Some(s) => {
            let mut titles = vec![String::new(); pages.len()];
            for &i in &content.sections[s].pages {
                titles[i] = pages[i].doc.meta.title.to_lowercase();
            }
            titles
        }
    };
    for (_, section) in content.sections.iter_mut().enumerate().filter(|(i, _)| only.is_none_or(|s| s == *i)) {
        let by = section.sort_by;
        section.pages.sort_by(|&ia, &ib| {
            let (a, b) = (&pages[ia], &pages[ib]);
            let title = || titles[ia].cmp(&titles[ib]);
            match by {
                SortBy::Date => b.doc.meta.date.cmp(&a.doc.meta.date).then_with(title),
                SortBy::Title => title(),
                SortBy::Weight => a.doc.meta.weight.cmp(&b.doc.meta.weight).then_with(title),
                SortBy::Start => start_key(a).cmp(&start_key(b)).then_with(title),
            }
            .then_with(|| a.doc.source.cmp(&b.doc.source))
        });
    }
}

fn start_key(page: &Page) -> Option<jiff::Timestamp> {
    match &page.data {
        KindData::Event(e) => e.start_instant(),
        _ => None,
    }
}
