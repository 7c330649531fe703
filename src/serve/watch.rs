//! Watching the site's sources: site.toml, `content/`, `templates/`,
//! `themes/` and `assets/`, and nothing else (not `public/`, not a `target/`
//! that happens to sit in the site root).
//!
//! Editors save in many ways: in place, or by writing a temporary file and
//! renaming it over the original (vim, JetBrains), which arrives as rename
//! events only. So events are not interpreted one by one: a burst of them is
//! gathered until the tree has been quiet for a moment, and each path named
//! is then judged by whether it exists now and whether the last build read it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// Folders of the site that are watched, each with everything under it.
pub const WATCHED: [&str; 4] = ["content", "templates", "themes", "assets"];
/// How long the tree must be quiet before a burst of events is acted on:
/// briefly after a save (a few events), longer once a burst touches many
/// files (a `git checkout`, a script), which may pause while it writes.
const QUIET: Duration = Duration::from_millis(12);
const QUIET_MANY: Duration = Duration::from_millis(300);
/// How many paths make a burst "many".
const MANY: usize = 8;
/// A burst that never goes quiet (a long `git checkout`) is acted on after this.
const LONGEST: Duration = Duration::from_secs(2);

/// What reaches the serve loop.
pub enum Message {
    Changed(PathBuf),
    /// The watcher itself failed (too many files for inotify, say).
    Trouble(String),
    Stop,
}

/// Starts watching `root`; events arrive on `tx`.
pub fn start(root: &Path, tx: Sender<Message>) -> notify::Result<RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let _ = match event {
            // Reading a file is an event too (the build's own reads among them).
            Ok(event) if event.kind.is_access() => Ok(()),
            Ok(event) => event.paths.into_iter().try_for_each(|p| tx.send(Message::Changed(p))),
            Err(e) => tx.send(Message::Trouble(e.to_string())),
        };
    })?;
    // The root itself, without its subfolders: site.toml, and watched
    // folders that appear later.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for name in WATCHED {
        let dir = root.join(name);
        if dir.is_dir() {
            watcher.watch(&dir, RecursiveMode::Recursive)?;
        }
    }
    Ok(watcher)
}

/// Whether a path is one of the site's sources (or a folder that holds them).
pub fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components();
    let first = parts.next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    if first == "site.toml" && parts.next().is_none() {
        return true;
    }
    if !WATCHED.contains(&first.as_str()) {
        return false;
    }
    // Hidden files and editors' backups (`.x.swp`, `x~`, `.#x`) are never read.
    !rel.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.') || name.ends_with('~')
    })
}

/// A burst of changes, gathered until the tree is quiet.
pub struct Burst {
    pub paths: BTreeSet<PathBuf>,
    pub stop: bool,
    pub trouble: Vec<String>,
}

/// Waits for the next change, then gathers everything that follows it
/// closely. Paths that are not sources are dropped.
pub fn next_burst(root: &Path, rx: &Receiver<Message>) -> Burst {
    let mut burst = Burst { paths: BTreeSet::new(), stop: false, trouble: Vec::new() };
    let mut started: Option<Instant> = None;
    loop {
        let message = match started {
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(at) if at.elapsed() >= LONGEST => return burst,
            Some(_) => rx.recv_timeout(if burst.paths.len() > MANY { QUIET_MANY } else { QUIET }),
        };
        match message {
            Ok(Message::Changed(path)) => {
                if is_source(root, &path) {
                    burst.paths.insert(path);
                    started.get_or_insert_with(Instant::now);
                }
            }
            Ok(Message::Trouble(text)) => {
                burst.trouble.push(text);
                started.get_or_insert_with(Instant::now);
            }
            Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => {
                burst.stop = true;
                return burst;
            }
            Err(RecvTimeoutError::Timeout) => return burst,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_count() {
        let root = Path::new("/site");
        for yes in ["/site/site.toml", "/site/content/a.md", "/site/themes/t/static/x.css", "/site/assets/logo.svg"] {
            assert!(is_source(root, Path::new(yes)), "{yes}");
        }
        for no in [
            "/site/public/index.html",
            "/site/target/debug/x",
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/.#a.md",
            "/site/README.md",
            "/elsewhere/site.toml",
            "/site/site.toml/x",
        ] {
            assert!(!is_source(root, Path::new(no)), "{no}");
        }
    }

    #[test]
    fn a_burst_becomes_one_change_set() {
        let (tx, rx) = std::sync::mpsc::channel();
        for i in 0..5000 {
            tx.send(Message::Changed(PathBuf::from(format!("/site/content/p{i}.md")))).unwrap();
        }
        tx.send(Message::Changed(PathBuf::from("/site/public/x.html"))).unwrap();
        let burst = next_burst(Path::new("/site"), &rx);
        assert_eq!(burst.paths.len(), 5000);
        assert!(!burst.stop);
        tx.send(Message::Stop).unwrap();
        assert!(next_burst(Path::new("/site"), &rx).stop);
    }
}
