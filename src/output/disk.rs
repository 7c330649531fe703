//! The disk sink: a build is written whole or not at all.
//!
//! A build writes into a staging folder beside the target
//! (`.public.pamphlet-new`), marks it as pamphlet's own, and only when
//! everything succeeded swaps it in place of the old output, which is then
//! removed. A failed build leaves the last good site untouched.
//!
//! Three things make that hold when more than one thing goes wrong:
//! - the target is resolved once ([`super::target`]) and only that real
//!   folder is written and swapped, so a link named by `-o` is written
//!   through and never deleted through;
//! - an exclusive lock file beside the output (`.public.pamphlet-lock`) is
//!   held from the first check to the swap, so two builds into one output
//!   cannot share a staging folder; a second build fails at once, naming the
//!   folder, and a staging folder left by a killed build is removed by the
//!   next one;
//! - a failed write (a full disk, a read-only folder) is reported once per
//!   cause, with the first path and how many more failed, when the build
//!   ends, instead of once per file: a full disk on a site of ten thousand
//!   pages is one error, not ten thousand.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{Claims, MARKER, Sink, check_target, resolve_target};
use crate::error::Problem;

/// Writes into a staging folder that replaces the output on [`DiskSink::commit`].
pub struct DiskSink {
    target: PathBuf,
    staging: PathBuf,
    claims: Claims,
    failures: Failures,
    /// Held (and locked) until the sink is committed or abandoned.
    _lock: File,
}

impl DiskSink {
    /// Resolves `target`, checks that it may be replaced, takes the output
    /// lock and prepares a fresh staging folder.
    pub fn new(site_root: &Path, target: &Path) -> Result<Self, Problem> {
        let real = resolve_target(target)?;
        check_target(site_root, &real, target)?;
        let name = real.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let parent = real.parent().unwrap_or(&real).to_path_buf();
        std::fs::create_dir_all(&parent).map_err(|e| write_problem(&parent, &e, 0))?;
        let lock = lock(&parent.join(format!(".{name}.pamphlet-lock")), target)?;
        // Checked again under the lock: another build may have swapped in
        // its output, or something else written there, since.
        check_target(site_root, &real, target)?;
        let staging = parent.join(format!(".{name}.pamphlet-new"));
        if std::fs::symlink_metadata(&staging).is_ok() {
            // Left by a build that was killed: nobody else holds the lock.
            std::fs::remove_dir_all(&staging).map_err(|e| write_problem(&staging, &e, 0))?;
        }
        std::fs::create_dir(&staging).map_err(|e| write_problem(&staging, &e, 0))?;
        let marked =
            std::fs::write(staging.join(MARKER), b"This folder is built by pamphlet and replaced on each build.\n");
        if let Err(e) = marked {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(write_problem(&staging, &e, 0));
        }
        Ok(DiskSink { target: real, staging, claims: Claims::default(), failures: Failures::default(), _lock: lock })
    }

    /// The real folder the site is written to (links and `..` resolved).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Swaps the staging folder in for the target and removes the old one;
    /// or, if any write failed, drops the staging folder and reports each
    /// cause of failure once.
    pub fn commit(self) -> Result<(), Vec<Problem>> {
        let failures = self.failures.take();
        if !failures.is_empty() {
            self.abandon();
            return Err(failures);
        }
        let old = self.staging.with_extension("pamphlet-old");
        if std::fs::symlink_metadata(&old).is_ok() {
            std::fs::remove_dir_all(&old).map_err(|e| vec![write_problem(&old, &e, 0)])?;
        }
        let had_old = self.target.exists();
        if had_old && let Err(e) = std::fs::rename(&self.target, &old) {
            let _ = std::fs::remove_dir_all(&self.staging);
            return Err(vec![write_problem(&self.target, &e, 0)]);
        }
        if let Err(e) = std::fs::rename(&self.staging, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            let _ = std::fs::remove_dir_all(&self.staging);
            return Err(vec![write_problem(&self.target, &e, 0)]);
        }
        if had_old {
            remove_tree(&old).map_err(|e| vec![write_problem(&old, &e, 0)])?;
        }
        Ok(())
    }

    /// Drops the staging folder after a failed build.
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.staging);
    }
}

impl Sink for DiskSink {
    /// A failed write is kept for [`DiskSink::commit`] to report, once per
    /// cause, rather than returned: the build goes on only to find the
    /// site's own errors, and its output will not be used.
    fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), Problem> {
        self.claims.claim(rel)?;
        let path = self.staging.join(rel);
        let written = match path.parent() {
            Some(parent) => std::fs::create_dir_all(parent).and_then(|()| std::fs::write(&path, bytes)),
            None => std::fs::write(&path, bytes),
        };
        if let Err(e) = written {
            self.failures.add(&self.target.join(rel), &e);
        }
        Ok(())
    }
}

/// Takes the output's lock, or says that another build holds it.
fn lock(path: &Path, shown: &Path) -> Result<File, Problem> {
    let file =
        File::options().create(true).truncate(false).write(true).open(path).map_err(|e| write_problem(path, &e, 0))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Problem::Output(format!(
            "another build is writing to {}; wait for it to finish and build again",
            shown.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(write_problem(path, &e, 0)),
    }
}

fn write_problem(path: &Path, e: &io::Error, more: usize) -> Problem {
    Problem::Write { path: path.display().to_string(), reason: e.to_string(), more }
}

/// Failed writes, one entry per cause: the first path and how many more.
#[derive(Default)]
struct Failures(Mutex<Vec<(io::ErrorKind, Option<i32>, Problem)>>);

impl Failures {
    fn add(&self, path: &Path, e: &io::Error) {
        let mut all = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let cause = (e.kind(), e.raw_os_error());
        match all.iter_mut().find(|(kind, code, _)| (*kind, *code) == cause) {
            Some((_, _, Problem::Write { more, .. })) => *more += 1,
            _ => all.push((cause.0, cause.1, write_problem(path, e, 0))),
        }
    }

    fn take(&self) -> Vec<Problem> {
        let mut all = self.0.lock().unwrap_or_else(|e| e.into_inner());
        std::mem::take(&mut *all).into_iter().map(|(_, _, p)| p).collect()
    }
}

/// Removes a folder tree, its subfolders in parallel: an old site of tens
/// of thousands of pages goes noticeably faster than one at a time. Site
/// are removed, never followed (`file_type` and `remove_dir_all` do not
/// follow them).
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let left: Vec<_> = std::fs::read_dir(site.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), 2, "the output and its lock, no staging folders: {left:?}");
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
    fn a_second_build_into_the_same_output_is_refused_while_the_first_runs() {
        let site = tempfile::tempdir().unwrap();
        let target = site.path().join("public");
        let first = DiskSink::new(site.path(), &target).unwrap();
        let second = DiskSink::new(site.path(), &target);
        assert!(matches!(&second, Err(Problem::Output(m)) if m.contains("another build is writing to")));
        first.write(Path::new("index.html"), b"whole").unwrap();
        first.commit().unwrap();
        assert!(DiskSink::new(site.path(), &target).is_ok(), "the lock goes with the first build");
    }

    #[test]
    fn a_staging_folder_left_by_a_killed_build_is_cleaned() {
        let site = tempfile::tempdir().unwrap();
        let staging = site.path().join(".public.pamphlet-new");
        std::fs::create_dir_all(staging.join("half")).unwrap();
        std::fs::write(staging.join("half/index.html"), "half").unwrap();
        let sink = DiskSink::new(site.path(), &site.path().join("public")).unwrap();
        sink.write(Path::new("index.html"), b"new").unwrap();
        sink.commit().unwrap();
        assert!(!staging.exists());
        assert!(!site.path().join("public/half").exists());
    }

    #[test]
    fn failed_writes_are_reported_once_per_cause() {
        let failures = Failures::default();
        let full = io::Error::from_raw_os_error(28);
        let denied = io::Error::from_raw_os_error(13);
        for i in 0..1000 {
            failures.add(Path::new(&format!("public/{i}/index.html")), &full);
        }
        failures.add(Path::new("public/x.css"), &denied);
        let problems = failures.take();
        assert_eq!(problems.len(), 2);
        assert!(matches!(&problems[0], Problem::Write { path, more: 999, .. } if path == "public/0/index.html"));
        assert!(matches!(&problems[1], Problem::Write { more: 0, .. }));
    }
}
