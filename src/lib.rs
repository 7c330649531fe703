//! pamphlet: a static site generator for policy education materials.
//!
//! The build is a chain of stages over plain data:
//! [`config::load`] → [`content::load`] (with the first Markdown pass) →
//! [`templates::load`] → [`links::check`] (every reference against what
//! the build publishes) → [`render::run`] (Markdown and templates in
//! parallel) → [`output`]. The binary in `main.rs` is a thin command line
//! over [`cli`].
//!
//! Where each thing lives, from the bottom up (each module imports only
//! those above it in this list, or beside it):
//!
//! | module | owns |
//! |---|---|
//! | [`error`] | every problem pamphlet reports, with file, line and column |
//! | [`source`] | reading source files: decoding, and the walk that keeps links inside the site |
//! | [`paths`] | source paths, URL paths, the [`paths::BaseUrl`] every URL is made from, references as authors write them |
//! | [`config`] | site.toml, validated |
//! | [`markdown`] | the two Markdown passes (scan, render), glossary matching, highlighting, the escape-mode guard |
//! | [`images`] | image sizes, read once per build |
//! | [`content`] | pages and sections: front matter, kinds, the load, the glossary, related pages |
//! | [`search`] | the search index's words, postings and layout |
//! | [`templates`] | Tera, the site view [`templates::Site`], typed template contexts |
//! | [`links`] | what the build publishes, and every local reference checked against it |
//! | [`render`] | the batch build: pages, feeds, calendars, search, static files, into a sink |
//! | [`output`] | the sinks; the only module that writes the built site |
//! | [`live`] | a build kept in memory between edits, rebuilt in part (a layer above `render`) |
//! | [`serve`] | the preview server; the only module that knows HTTP |
//! | [`scaffold`] | `init` and `new` |
//! | [`cli`] | the command line |

// Diagnostics are the error values of pamphlet and carry their location
// inline; they are built once per problem, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod cli;
pub mod config;
pub mod content;
pub mod error;
pub mod images;
pub mod links;
pub mod live;
pub mod markdown;
pub mod output;
pub mod paths;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod source;
mod strict;
pub mod templates;
