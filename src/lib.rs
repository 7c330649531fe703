//! pamphlet: a static site generator for policy education materials.
//!
//! The build is a chain of stages over plain data:
//! [`config::load`] → [`content::load`] (with the first Markdown pass) →
//! [`templates::load`] → [`build::run`] (Markdown and templates in
//! parallel) → [`output`]. The binary in `main.rs` is a thin command line
//! over [`cli`].

// Diagnostics are the error values of pamphlet and carry their location
// inline; they are built once per problem, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod cli;
pub mod config;
pub mod content;
pub mod error;
pub mod images;
pub mod live;
pub mod markdown;
pub mod output;
pub mod paths;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
mod strict;
pub mod templates;
pub mod walk;
