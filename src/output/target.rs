//! Which folder a build may replace.
//!
//! The path a user gives with `-o` is turned into the one folder it means
//! before anything is checked, and that same resolved path is what the
//! build then writes and swaps: `nope/../content` is `content`, and a link
//! is followed to the folder it names. Checking one spelling of a path and
//! writing another is how an output check gets walked around (`-o
//! nope/../content` once replaced an author's content with HTML), so no
//! other spelling ever reaches the disk.

use std::path::{Component, Path, PathBuf};

use super::MARKER;
use crate::error::Problem;

/// `path` made absolute, its `.` and `..` taken out by name (so `nope/..`
/// is nothing, whether or not `nope` exists), and every link in the part
/// that exists followed, the last one included: the real folder a build
/// into `path` would replace.
pub fn resolve_target(path: &Path) -> Result<PathBuf, Problem> {
    let refuse = |why: String| Problem::Output(format!("refusing to write the site to {}: {why}", path.display()));
    let absolute = std::path::absolute(path).map_err(|e| refuse(e.to_string()))?;
    let mut lexical = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(existing).is_err() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut real = existing.canonicalize().map_err(|e| {
        let dangling = std::fs::symlink_metadata(existing).is_ok_and(|m| m.file_type().is_symlink());
        if dangling {
            refuse(format!("{} is a link to something that does not exist", existing.display()))
        } else {
            refuse(e.to_string())
        }
    })?;
    real.extend(rest.into_iter().rev());
    Ok(real)
}

/// Refuses an output folder whose replacement would destroy the site or
/// something pamphlet did not make. `target` is as [`resolve_target`]
/// gave it; `shown` is how the user wrote it, for the message.
pub fn check_target(site_root: &Path, target: &Path, shown: &Path) -> Result<(), Problem> {
    let refuse = |why: &str| Err(Problem::Output(format!("refusing to write the site to {}: {why}", shown.display())));
    let root = resolve_target(site_root)?;
    if target.parent().is_none() {
        return refuse("it is the file-system root");
    }
    if root.starts_with(target) {
        return refuse("it is or contains the site itself");
    }
    for protected in ["content", "templates", "themes", "assets", "data"] {
        // The folder itself may be a link to elsewhere: its real place is
        // protected as well as its place in the site.
        let real = resolve_target(&root.join(protected)).unwrap_or_else(|_| root.join(protected));
        for place in [root.join(protected), real] {
            if target.starts_with(&place) {
                return refuse(&format!("it is inside the site's {protected}/ folder"));
            }
            if place.starts_with(target) {
                return refuse(&format!("it holds the site's {protected}/ folder"));
            }
        }
    }
    if target.is_file() {
        return refuse("it is a file");
    }
    if target.is_dir() && !target.join(MARKER).is_file() {
        let empty = std::fs::read_dir(target).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty {
            return refuse("it is a non-empty folder that pamphlet did not create");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(root: &Path, out: &Path) -> Result<(), Problem> {
        check_target(root, &resolve_target(out)?, out)
    }

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
            assert!(matches!(check(root, &bad), Err(Problem::Output(_))), "{}", bad.display());
        }
        assert!(check(root, &root.join("public")).is_ok());
        std::fs::create_dir_all(root.join("empty")).unwrap();
        assert!(check(root, &root.join("empty")).is_ok());
    }

    #[test]
    fn dot_dot_through_a_missing_folder_is_what_it_names() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        let resolved = resolve_target(&root.join("nope/../content")).unwrap();
        assert_eq!(resolved, root.canonicalize().unwrap().join("content"));
        assert!(check(root, &root.join("nope/../content")).is_err());
        assert!(check(root, &root.join("nope/../../").join(root.file_name().unwrap())).is_err());
        assert!(!root.join("nope").exists(), "checking creates nothing");
    }

    #[test]
    fn links_are_followed_to_the_folder_they_name() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("www")).unwrap();
        std::os::unix::fs::symlink(root.join("content"), root.join("to-content")).unwrap();
        std::os::unix::fs::symlink(root, root.join("to-site")).unwrap();
        std::os::unix::fs::symlink(root.join("www"), root.join("public")).unwrap();
        std::os::unix::fs::symlink(root.join("gone"), root.join("dangling")).unwrap();
        assert!(check(root, &root.join("to-content")).is_err());
        assert!(check(root, &root.join("to-site")).is_err());
        assert!(check(root, &root.join("dangling")).is_err());
        assert_eq!(resolve_target(&root.join("public")).unwrap(), root.canonicalize().unwrap().join("www"));
    }
}
