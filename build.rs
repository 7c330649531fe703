//! Compiles the default theme into the binary, so `pamphlet init` and sites
//! without a `themes/default/` of their own work from the binary alone.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, out);
        } else if !path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets this"));
    let theme = root.join("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut list = Vec::new();
    files(&theme, &mut list);
    let mut code = String::from(
        "/// The default theme's files: path in the theme, bytes.\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for path in &list {
        println!("cargo:rerun-if-changed={}", path.display());
        let rel = path.strip_prefix(&theme).expect("under the theme").to_string_lossy().replace('\\', "/");
        writeln!(code, "    ({rel:?}, include_bytes!({:?})),", path.display().to_string()).expect("string");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets this")).join("default_theme.rs");
    std::fs::write(out, code).expect("write generated theme list");
}
