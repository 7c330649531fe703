//! What the last build read (to tell an edit from a new file) and what each
//! template depends on.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::uses::TemplateUses;
use crate::config::ThemeSource;
use crate::render::{BuiltSite, pages};

/// What the last build read, and what each template depends on.
pub struct Deps {
    files: HashSet<std::path::PathBuf>,
    folders: HashSet<std::path::PathBuf>,
    pub uses: TemplateUses,
    pub page_templates: Vec<Option<String>>,
    pub section_templates: Vec<Option<String>>,
}

impl Deps {
    pub fn new(parts: &BuiltSite) -> Deps {
        let (files, folders) = known_sources(parts);
        let content = &parts.content;
        let templates = &parts.templates;
        Deps {
            files,
            folders,
            uses: TemplateUses::new(templates),
            page_templates: (0..content.pages.len())
                .map(|i| pages::page_template(templates, content, i).ok())
                .collect(),
            section_templates: (0..content.sections.len())
                .map(|i| pages::section_template(templates, content, i).ok())
                .collect(),
        }
    }

    pub fn knows_file(&self, rel: &Path) -> bool {
        self.files.contains(rel)
    }

    pub fn knows_folder(&self, rel: &Path) -> bool {
        self.folders.contains(rel)
    }
}

/// Which sources the last build read: to tell an edit from a new file.
fn known_sources(parts: &BuiltSite) -> (HashSet<PathBuf>, HashSet<PathBuf>) {
    let root = &parts.config.root;
    let mut files: HashSet<PathBuf> = HashSet::new();
    for (_, doc) in parts.content.docs() {
        files.insert(doc.file.clone());
    }
    for asset in &parts.content.assets {
        files.insert(asset.from.strip_prefix(root).unwrap_or(&asset.from).to_path_buf());
    }
    let mut dirs = vec![root.join("assets")];
    if let ThemeSource::Dir(dir) = &parts.config.theme {
        dirs.push(dir.join("static"));
        dirs.push(dir.join("templates"));
    }
    dirs.push(root.join("templates"));
    for dir in dirs {
        // What is refused was reported by the build that read these folders.
        for (from, _) in crate::render::extras::list_dir(root, &dir, &mut Vec::new()) {
            files.insert(from.strip_prefix(root).unwrap_or(&from).to_path_buf());
        }
    }
    let folders = files.iter().flat_map(|f| f.ancestors().skip(1).map(Path::to_path_buf)).collect();
    (files, folders)
}
