//! A small driver: copy a fixture site to a temporary folder, run the
//! `pamphlet` binary on it, and look at what it printed and wrote.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Site {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with the output when the run did not exit with `code`.
    pub fn expect(self, code: i32) -> Self {
        assert_eq!(self.code, code, "exit status\n--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr);
        assert!(!self.stderr.contains("panicked"), "pamphlet panicked:\n{}", self.stderr);
        self
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl Site {
    /// A copy of `tests/sites/NAME`.
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites").join(name), &root);
        Site { _dir: dir, root }
    }

    /// A copy of the bundled example hub: site.toml, content/ and themes/.
    pub fn example() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for part in ["content", "themes"] {
            copy_dir(&repo.join(part), &root.join(part));
        }
        std::fs::copy(repo.join("site.toml"), root.join("site.toml")).unwrap();
        Site { _dir: dir, root }
    }

    /// Replaces the first `from` in `rel` with `to`; panics if it is not there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no `{from}`");
        self.write(rel, text.replacen(from, to, 1));
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Runs `pamphlet ARGS` in the site's folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_pamphlet")).args(args).current_dir(&self.root).output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `pamphlet build --today 2026-11-28`, so results do not depend on the day.
    pub fn build(&self) -> Run {
        self.run(&["build", "--today", "2026-11-28"])
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.root.join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.root.join(rel).exists()
    }

    /// Every file under `rel`, relative to it, with its bytes.
    pub fn tree(&self, rel: &str) -> Vec<(String, Vec<u8>)> {
        let base = self.root.join(rel);
        let mut out: Vec<(String, Vec<u8>)> = walk(&base)
            .into_iter()
            .map(|p| (p.strip_prefix(&base).unwrap().display().to_string(), std::fs::read(&p).unwrap()))
            .collect();
        out.sort();
        out
    }
}

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}

/// The error output with the temporary folder's path taken out.
pub fn clean(text: &str, site: &Site) -> String {
    text.replace(&site.root.display().to_string(), "SITE")
}

/// The bundled example site (the repository root), built once per test run.
pub struct Hub {
    /// The built site.
    pub public: PathBuf,
    /// The loopback port its `base_url` names (`http://127.0.0.1:PORT`), so
    /// that it can be served as it is.
    pub port: u16,
}

impl Hub {
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// Builds the example hub into the target folder on first use; later calls
/// share that build.
pub fn example_hub() -> &'static Hub {
    static HUB: std::sync::OnceLock<Hub> = std::sync::OnceLock::new();
    HUB.get_or_init(|| {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let public = Path::new(env!("CARGO_TARGET_TMPDIR")).join("example-hub");
        let _ = std::fs::remove_dir_all(&public);
        let base_url = format!("http://127.0.0.1:{port}");
        let out = Command::new(env!("CARGO_BIN_EXE_pamphlet"))
            .args(["build", "--today", "2026-11-28", "--base-url", &base_url, "-o"])
            .arg(&public)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert!(out.status.success(), "the example hub does not build:\n{}", String::from_utf8_lossy(&out.stderr));
        Hub { public, port }
    })
}
