//! pamphlet: a static site generator for policy education materials.
//!
//! The build is a chain of stages over plain data:
//! [`config::load`] → [`content::load`] (with the first Markdown pass) →
//! [`templates::load`] → [`build::run`] (Markdown and templates in
//! parallel) → [`output`]. The binary in `main.rs` is a thin command line
//! over [`cli`].

pub mod build;
pub mod cli;
pub mod config;
pub mod content;
pub mod error;
pub mod markdown;
pub mod output;
pub mod paths;
pub mod scaffold;
mod strict;
pub mod templates;
