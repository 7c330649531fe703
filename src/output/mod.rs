//! Output: the only module that writes the built site.
//!
//! Every stage hands its files to a [`Sink`]: [`DiskSink`] for `build`,
//! [`MemorySink`] for `serve` and tests, [`NullSink`] for `check`. Each sink
//! takes only paths relative to the output root, without `..`, so nothing a
//! page's URL holds can write outside it. How a disk build replaces the old
//! site safely (staging, a lock, the checks on the target) is in [`disk`]
//! and [`target`].

mod disk;
mod target;

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::error::Problem;

pub use disk::DiskSink;
pub use target::{check_target, resolve_target};

/// The file that marks an output folder as made by pamphlet.
pub const MARKER: &str = ".pamphlet-output";

/// Where built files go.
pub trait Sink: Sync {
    /// Writes `bytes` at `rel` (relative to the output root). Writing one
    /// path twice in a build is an error: two things claimed one URL.
    fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), Problem>;

    /// Writes `bytes` at `rel`, taking them (a sink that keeps files in
    /// memory then need not copy them).
    fn write_owned(&self, rel: &Path, bytes: Vec<u8>) -> Result<(), Problem> {
        self.write(rel, &bytes)
    }

    /// Copies the file at `from` to `rel`.
    fn copy(&self, from: &Path, rel: &Path) -> Result<(), Problem> {
        let bytes = std::fs::read(from).map_err(|e| io_problem(from, e))?;
        self.write(rel, &bytes)
    }
}

fn io_problem(path: &Path, e: io::Error) -> Problem {
    Problem::Io { what: path.display().to_string(), reason: e.to_string() }
}

/// Remembers which paths were written, to catch two writes to one file.
#[derive(Default)]
struct Claims(Mutex<HashSet<PathBuf>>);

impl Claims {
    fn claim(&self, rel: &Path) -> Result<(), Problem> {
        inside_output(rel)?;
        let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if seen.insert(rel.to_path_buf()) {
            Ok(())
        } else {
            Err(Problem::Output(format!("two things were built at {}", rel.display())))
        }
    }
}

/// Refuses a path that could lead out of the output root: absolute, or with
/// a `..`. URLs are made from slugs that cannot hold these, so this guards
/// against a mistake in pamphlet rather than in a site.
fn inside_output(rel: &Path) -> Result<(), Problem> {
    let plain = rel.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if plain && rel.components().next().is_some() {
        Ok(())
    } else {
        Err(Problem::Output(format!("refusing to write outside the output folder: {}", rel.display())))
    }
}

/// Keeps the built site in memory (for `serve`, and for tests).
#[derive(Default)]
pub struct MemorySink {
    files: Mutex<HashMap<PathBuf, Vec<u8>>>,
}

impl MemorySink {
    pub fn into_files(self) -> HashMap<PathBuf, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySink {
    fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), Problem> {
        self.write_owned(rel, bytes.to_vec())
    }

    fn write_owned(&self, rel: &Path, bytes: Vec<u8>) -> Result<(), Problem> {
        inside_output(rel)?;
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        match files.entry(rel.to_path_buf()) {
            std::collections::hash_map::Entry::Occupied(_) => {
                Err(Problem::Output(format!("two things were built at {}", rel.display())))
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(bytes);
                Ok(())
            }
        }
    }
}

/// Discards everything but still catches clashes (for `check`).
#[derive(Default)]
pub struct NullSink {
    claims: Claims,
}

impl Sink for NullSink {
    fn write(&self, rel: &Path, _: &[u8]) -> Result<(), Problem> {
        self.claims.claim(rel)
    }

    fn copy(&self, _: &Path, rel: &Path) -> Result<(), Problem> {
        self.claims.claim(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writing_one_path_twice_is_an_error() {
        let sink = MemorySink::default();
        sink.write(Path::new("x/index.html"), b"1").unwrap();
        assert!(sink.write(Path::new("x/index.html"), b"2").is_err());
    }

    #[test]
    fn no_sink_writes_outside_its_root() {
        let memory = MemorySink::default();
        let null = NullSink::default();
        for bad in ["../x.html", "/etc/x", "a/../../x", ""] {
            assert!(memory.write(Path::new(bad), b"x").is_err(), "{bad}");
            assert!(null.write(Path::new(bad), b"x").is_err(), "{bad}");
        }
        assert!(memory.into_files().is_empty());
    }
}
