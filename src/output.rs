//! Output: the only module that writes the built site.
//!
//! A build writes into a staging folder beside the target (`public.new`),
//! marks it as pamphlet's own, and only when everything succeeded swaps it
//! in place of the old output, which is then removed. A failed build leaves
//! the last good site untouched. pamphlet refuses to replace the site root,
//! `content/`, anything that holds them, or a non-empty folder it did not make.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::Problem;

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
        let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if seen.insert(rel.to_path_buf()) {
            Ok(())
        } else {
            Err(Problem::Output(format!("two things were built at {}", rel.display())))
        }
    }
}

/// Writes into a staging folder that replaces the output on [`DiskSink::commit`].
pub struct DiskSink {
    target: PathBuf,
    staging: PathBuf,
    claims: Claims,
}

impl DiskSink {
    /// Checks that `target` may be replaced and prepares a fresh staging folder.
    pub fn new(site_root: &Path, target: &Path) -> Result<Self, Problem> {
        check_target(site_root, target)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let staging = target.with_file_name(format!(".{name}.pamphlet-new"));
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(|e| io_problem(&staging, e))?;
        }
        std::fs::create_dir_all(&staging).map_err(|e| io_problem(&staging, e))?;
        std::fs::write(staging.join(MARKER), b"This folder is built by pamphlet and replaced on each build.\n")
            .map_err(|e| io_problem(&staging, e))?;
        Ok(DiskSink { target: target.to_path_buf(), staging, claims: Claims::default() })
    }

    /// Swaps the staging folder in for the target and removes the old one.
    pub fn commit(self) -> Result<(), Problem> {
        let old = self.staging.with_extension("pamphlet-old");
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| io_problem(&old, e))?;
        }
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old).map_err(|e| io_problem(&self.target, e))?;
        }
        if let Err(e) = std::fs::rename(&self.staging, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(io_problem(&self.target, e));
        }
        if had_old {
            remove_tree(&old).map_err(|e| io_problem(&old, e))?;
        }
        Ok(())
    }

    /// Drops the staging folder after a failed build.
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.staging);
    }
}

impl Sink for DiskSink {
    fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), Problem> {
        self.claims.claim(rel)?;
        let path = self.staging.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_problem(parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| io_problem(&path, e))
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

/// Removes a folder tree, its subfolders in parallel: an old site of tens
/// of thousands of pages goes noticeably faster than one at a time.
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let mut subdirs = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            for inner in std::fs::read_dir(entry.path())? {
                let inner = inner?;
                if inner.file_type()?.is_dir() {
                    subdirs.push(inner.path());
                }
            }
        }
    }
    subdirs.par_iter().try_for_each(std::fs::remove_dir_all)?;
    std::fs::remove_dir_all(dir)
}

fn absolute(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // Resolve what exists, so links and `..` cannot hide the site root.
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or_else(|_| existing.to_path_buf());
    for part in rest.into_iter().rev() {
        out.push(part);
    }
    out
}

/// Refuses output folders whose replacement would destroy the site or
/// something pamphlet did not make.
pub fn check_target(site_root: &Path, target: &Path) -> Result<(), Problem> {
    let root = absolute(site_root);
    let out = absolute(target);
    let refuse = |why: &str| Err(Problem::Output(format!("refusing to write the site to {}: {why}", target.display())));
    if out.parent().is_none() {
        return refuse("it is the file-system root");
    }
    if root.starts_with(&out) {
        return refuse("it is or contains the site itself");
    }
    for protected in ["content", "templates", "themes", "assets"] {
        if out.starts_with(root.join(protected)) {
            return refuse(&format!("it is inside the site's {protected}/ folder"));
        }
    }
    if out.is_file() {
        return refuse("it is a file");
    }
    if out.is_dir() && !out.join(MARKER).is_file() {
        let empty = std::fs::read_dir(&out).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty {
            return refuse("it is a non-empty folder that pamphlet did not create");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_site_its_content_and_foreign_folders() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(root.join("docs/keep.txt"), "mine").unwrap();
        for bad in
            [root.to_path_buf(), root.join("content"), root.join("content/out"), root.join("docs"), root.join("..")]
        {
            assert!(matches!(check_target(root, &bad), Err(Problem::Output(_))), "{}", bad.display());
        }
        assert!(check_target(root, &root.join("public")).is_ok());
        std::fs::create_dir_all(root.join("empty")).unwrap();
        assert!(check_target(root, &root.join("empty")).is_ok());
    }

    #[test]
    fn commit_swaps_and_a_second_build_may_replace_the_first() {
        let site = tempfile::tempdir().unwrap();
        let target = site.path().join("public");
        let sink = DiskSink::new(site.path(), &target).unwrap();
        sink.write(Path::new("a/index.html"), b"one").unwrap();
        assert!(!target.exists());
        sink.commit().unwrap();
        assert_eq!(std::fs::read(target.join("a/index.html")).unwrap(), b"one");

        let sink = DiskSink::new(site.path(), &target).unwrap();
        sink.write(Path::new("b.txt"), b"two").unwrap();
        sink.commit().unwrap();
        assert!(!target.join("a/index.html").exists());
        assert_eq!(std::fs::read(target.join("b.txt")).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(site.path()).unwrap().count(), 1, "no staging folders left behind");
    }

    #[test]
    fn an_abandoned_build_leaves_the_old_output() {
        let site = tempfile::tempdir().unwrap();
        let target = site.path().join("public");
        let sink = DiskSink::new(site.path(), &target).unwrap();
        sink.write(Path::new("index.html"), b"good").unwrap();
        sink.commit().unwrap();
        let sink = DiskSink::new(site.path(), &target).unwrap();
        sink.write(Path::new("index.html"), b"half").unwrap();
        sink.abandon();
        assert_eq!(std::fs::read(target.join("index.html")).unwrap(), b"good");
    }

    #[test]
    fn writing_one_path_twice_is_an_error() {
        let sink = MemorySink::default();
        sink.write(Path::new("x/index.html"), b"1").unwrap();
        assert!(sink.write(Path::new("x/index.html"), b"2").is_err());
    }
}
