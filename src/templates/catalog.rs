//! The tool catalog's shape: tools grouped by category and by status, and
//! the pages that list each group, so readers can narrow the catalog
//! without JavaScript.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::{Content, Kind, KindData, ToolStatus};
use crate::paths::{UrlPath, slugify};

/// One narrowed view of the catalog: a category or a status.
pub struct View {
    /// `category` or `status`.
    pub kind: &'static str,
    pub name: String,
    pub slug: String,
    /// A heading for its page: "Evaluation tools", "Tools under review".
    pub title: String,
    pub url: UrlPath,
    /// Pages, in the order they are listed.
    pub tools: Vec<usize>,
}

/// Each status: its name in front matter and URLs, as a label, and as a heading.
pub const STATUSES: [(ToolStatus, &str, &str, &str); 3] = [
    (ToolStatus::Approved, "approved", "Approved", "Approved tools"),
    (ToolStatus::UnderReview, "under-review", "Under review", "Tools under review"),
    (ToolStatus::Retired, "retired", "Retired", "Retired tools"),
];

/// Where the catalog lives: the first section of kind `tool`, else `/tools/`.
pub fn root(content: &Content) -> UrlPath {
    content
        .sections
        .iter()
        .find(|s| s.kind == Some(Kind::Tool))
        .map_or_else(|| UrlPath::from_segments(["tools"]), |s| s.doc.url.clone())
}

fn status_of(content: &Content, i: usize) -> Option<ToolStatus> {
    match &content.pages[i].data {
        KindData::Tool(t) => Some(t.status),
        _ => None,
    }
}

/// Sorts tools for a listing: retired ones last, then by title.
pub fn order(content: &Content, tools: &mut [usize]) {
    tools.sort_by_key(|&i| {
        (status_of(content, i) == Some(ToolStatus::Retired), content.pages[i].doc.meta.title.to_lowercase(), i)
    });
}

/// Tools by category name ("Other" for none), each group in listing order.
pub fn by_category(content: &Content) -> BTreeMap<String, Vec<usize>> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in content.pages.iter().enumerate() {
        if let KindData::Tool(t) = &p.data
            && !p.doc.shadowed
        {
            groups.entry(t.category.clone().unwrap_or_else(|| "Other".into())).or_default().push(i);
        }
    }
    for list in groups.values_mut() {
        order(content, list);
    }
    groups
}

/// Every category view, then every status view that has tools.
pub fn views(content: &Content) -> Vec<View> {
    let root = root(content);
    let groups = by_category(content);
    let mut out: Vec<View> = groups
        .iter()
        .map(|(name, tools)| {
            let slug = slugify(name);
            let url = root.child(["category", slug.as_str()]);
            let title = format!("{name} tools");
            View { kind: "category", name: name.clone(), slug, title, url, tools: tools.clone() }
        })
        .collect();
    for (status, slug, label, title) in STATUSES {
        let mut tools: Vec<usize> =
            groups.values().flatten().copied().filter(|&i| status_of(content, i) == Some(status)).collect();
        if tools.is_empty() {
            continue;
        }
        order(content, &mut tools);
        let url = root.child(["status", slug]);
        out.push(View { kind: "status", name: label.into(), slug: slug.into(), title: title.into(), url, tools });
    }
    out
}

/// `site.catalog`: site to the views.
#[derive(Serialize, Hash)]
pub struct CatalogContext {
    pub path: String,
    pub categories: Vec<ViewLink>,
    pub statuses: Vec<ViewLink>,
}

#[derive(Serialize, Hash)]
pub struct ViewLink {
    pub name: String,
    pub slug: String,
    pub path: String,
    pub count: usize,
}
