//! The live build: a site kept in memory between edits, for `serve`.
//!
//! It is a layer above the batch build ([`crate::render`]), never inside
//! it: a [`Session`] starts from [`crate::render::run_keeping`] and, after
//! an edit, renders again only what the edit affects. Imports point one way:
//! `session` → `incremental` → `state`, `edit` → `targets` → `deps` →
//! `uses`, all of
//! them onto `render`, which knows nothing of this module.

mod deps;
mod edit;
mod incremental;
mod session;
mod state;
mod targets;
mod uses;

pub use session::{Rebuild, Session};
