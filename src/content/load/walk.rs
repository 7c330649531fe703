//! The walk: which files `content/` holds, and reading one as text.

use std::path::{Path, PathBuf};

use crate::content::bundle;
use crate::error::{Diagnostic, Location, Problem};
use crate::source::decode;

/// Lists Markdown files (less those `bundle` refuses) and other files under
/// `content/`, relative to it (links followed only inside the site: [`crate::source`]).
pub(super) fn walk(root: &Path, content_dir: &Path, diags: &mut Vec<Diagnostic>) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (markdown, files): (Vec<PathBuf>, Vec<PathBuf>) = crate::source::files(root, content_dir, diags)
        .into_iter()
        .partition(|rel| rel.extension().is_some_and(|e| e == "md"));
    (bundle::without_clashes(markdown, diags), files)
}

/// The file at `rel` under `content/` as text, with the path diagnostics
/// name it by (`content/…`).
pub(super) fn read_source(content_dir: &Path, rel: &Path) -> Result<(PathBuf, String), Vec<Diagnostic>> {
    let file = Path::new("content").join(rel);
    let bytes = std::fs::read(content_dir.join(rel)).map_err(|e| {
        vec![Diagnostic::error(
            Problem::Io { what: file.display().to_string(), reason: e.to_string() },
            Location::file(&file),
        )]
    })?;
    let text = decode(&file, bytes).map_err(|d| vec![d])?;
    Ok((file, text))
}
