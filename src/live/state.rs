//! What a live build keeps between edits: the last good site, what it
//! depends on, and what an edit left for later.

use super::deps::Deps;
use super::targets::Targets;
use crate::render::BuiltSite;

pub struct State {
    pub parts: BuiltSite,
    pub deps: Deps,
    /// A rebuild failed after changing the state: the next one is whole.
    pub stale: bool,
    /// What an edit left to render after the pages open in a browser.
    pub deferred: Option<Targets>,
    /// The search index is behind the content: it is written again after
    /// the edited pages are served.
    pub search_stale: bool,
}
