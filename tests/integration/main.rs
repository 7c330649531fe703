//! pamphlet's integration tests: one binary, driving fixture sites under
//! `tests/sites/` through the real command line (and, where every output
//! file is read, the hostile site and the fuzz test, through the build
//! into memory).

mod browser;
mod build;
mod bundles;
mod commonmark;
mod driver;
mod errors;
mod events;
mod explainers;
mod fuzz;
mod glossary;
mod hostile;
mod incremental;
mod leaks;
mod output;
mod outside;
mod references;
mod search;
mod serve;
mod site_checks;
