//! Reading a site's source files, below every stage that reads them
//! (config, content, templates, assets): text is decoded one way ([`decode`]:
//! a byte-order mark dropped, bytes that are not UTF-8 an error at their
//! line), and folders are walked one way ([`files`]).
//!
//! `content/`, `templates/`, a theme's folders and `assets/` are all listed
//! by [`files`], so every folder pamphlet reads keeps one rule. Site are followed only while they lead somewhere inside the
//! site; one that leads out (the folder itself, a folder in it, or a single
//! file) is an error naming it, and nothing behind it is read. A site is
//! often a clone of someone else's repository: a link to `~/.ssh` in its
//! assets must not be published. Hidden files and editor backups (`.x`,
//! `x~`) are skipped; a link loop is an error.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Diagnostic, Location, Problem};

/// Source bytes as text: a UTF-8 byte-order mark is dropped; bytes that are
/// not UTF-8 are an error naming the file and the line they are on.
pub fn decode(file: &Path, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
        let mut loc = Location::at(file, &valid, offset, 0);
        loc.snippet = None;
        Diagnostic::error(Problem::NotUtf8 { offset }, loc)
    })
}

/// The files under `dir`, relative to it, in a stable order. Problems go to
/// `diags`, with paths relative to the site `root`.
pub fn files(root: &Path, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let outside = |p: &Path| !p.canonicalize().is_ok_and(|real| real.starts_with(&real_root));
    if outside(dir) {
        let path = shown(dir);
        diags.push(Diagnostic::error(Problem::LinkOutsideSite(path.display().to_string()), Location::file(path)));
        return out;
    }
    let mut it = WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter();
    while let Some(entry) = it.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(shown).unwrap_or_default();
                let problem = match e.loop_ancestor() {
                    Some(a) => Problem::LinkLoop(format!("{} leads back to {}", path.display(), shown(a).display())),
                    None => Problem::Io { what: path.display().to_string(), reason: e.to_string() },
                };
                diags.push(Diagnostic::error(problem, Location::file(path)));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        let skipped = entry.depth() > 0 && (name.starts_with('.') || name.ends_with('~'));
        let refused = !skipped && entry.path_is_symlink() && outside(entry.path());
        if refused {
            let path = shown(entry.path());
            diags.push(Diagnostic::error(Problem::LinkOutsideSite(path.display().to_string()), Location::file(path)));
        }
        if skipped || refused {
            if entry.file_type().is_dir() {
                it.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_file() {
            out.push(entry.path().strip_prefix(dir).unwrap_or(entry.path()).to_path_buf());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn decode_drops_a_bom_and_names_bad_bytes() {
        assert_eq!(decode(Path::new("a.md"), b"\xEF\xBB\xBF+++".to_vec()).unwrap(), "+++");
        let err = decode(Path::new("a.md"), b"ok\nbad \xFF here".to_vec()).unwrap_err();
        assert_eq!(err.problem, Problem::NotUtf8 { offset: 7 });
        let loc = err.location.unwrap();
        assert_eq!((loc.line, loc.column), (2, 5));
    }

    #[test]
    fn links_out_of_the_site_are_refused_and_links_inside_followed() {
        let dir = tempfile::tempdir().unwrap();
        let (root, secret) = (dir.path().join("site"), dir.path().join("secret"));
        std::fs::create_dir_all(root.join("assets/img")).unwrap();
        std::fs::create_dir_all(&secret).unwrap();
        std::fs::write(secret.join("key"), "private").unwrap();
        std::fs::write(root.join("assets/img/logo.png"), "png").unwrap();
        std::fs::write(root.join("assets/.hidden"), "x").unwrap();
        std::fs::write(root.join("site.toml"), "").unwrap();
        symlink(root.join("assets/img/logo.png"), root.join("assets/same-logo.png")).unwrap();
        symlink(secret.join("key"), root.join("assets/key")).unwrap();
        symlink(&secret, root.join("assets/secret")).unwrap();
        symlink(root.join("site.toml"), root.join("assets/config.txt")).unwrap();
        let mut diags = Vec::new();
        let found = files(&root, &root.join("assets"), &mut diags);
        let found: Vec<String> = found.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(found, ["config.txt", "img/logo.png", "same-logo.png"]);
        let refused: Vec<String> = diags.iter().map(|d| d.file().unwrap().display().to_string()).collect();
        assert_eq!(refused, ["assets/key", "assets/secret"]);
        assert!(diags.iter().all(|d| matches!(d.problem, Problem::LinkOutsideSite(_))));
    }

    #[test]
    fn a_linked_folder_is_refused_whole() {
        let dir = tempfile::tempdir().unwrap();
        let (root, elsewhere) = (dir.path().join("site"), dir.path().join("elsewhere"));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(elsewhere.join("x")).unwrap();
        std::fs::write(elsewhere.join("x/page.html"), "t").unwrap();
        symlink(&elsewhere, root.join("templates")).unwrap();
        let mut diags = Vec::new();
        assert!(files(&root, &root.join("templates"), &mut diags).is_empty());
        assert!(matches!(&diags[..], [d] if d.problem == Problem::LinkOutsideSite("templates".into())));
        let mut diags = Vec::new();
        assert!(files(&root, &root.join("templates/x"), &mut diags).is_empty());
        assert_eq!(diags.len(), 1);
    }
}
