//! `pamphlet serve`: a live preview for authors. It builds the site into
//! memory, serves it on loopback, watches the sources, rebuilds only what an
//! edit affects, and tells open pages to reload (or to show the errors of a
//! failed rebuild while the last good site stays served).
//!
//! Nothing of the site is written to disk: no output folder is created or
//! removed. (The one file serve makes is the socket tiny_http listens on, in
//! a private temporary folder removed when serve stops; see `inner`.)

mod gate;
mod head;
mod hosts;
mod http;
mod inner;
mod server;
mod watch;

pub use hosts::parse_allowed as parse_allowed_host;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;

use rayon::prelude::*;

use crate::error::{self, Diagnostic, JsonDiagnostic};
use crate::live::{Rebuild, Session};
use crate::render::BuildOptions;
use server::{Outcome, Shared};

/// Choices `serve` is run with.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
    /// Host names answered besides this machine's own (`--allow-host`).
    pub allow_hosts: Vec<String>,
}

/// Runs the preview until Ctrl-C; returns the exit status.
pub fn run(options: &ServeOptions) -> i32 {
    let root = match options.root.canonicalize() {
        Ok(r) if r.join("site.toml").is_file() => r,
        _ => {
            eprintln!(
                "error: {} has no site.toml; run serve in a site's folder or give --root",
                options.root.display()
            );
            return 1;
        }
    };
    let hosts = hosts::Hosts::new(options.bind, &options.allow_hosts);
    let described = hosts.describe();
    let running = match server::start(SocketAddr::new(options.bind, options.port), hosts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot listen on {}:{}: {e}", options.bind, options.port);
            return 1;
        }
    };
    let url = format!("http://{}/", display_addr(running.addr));
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}, which other machines can reach; the preview is meant for this machine only",
            options.bind
        );
        eprintln!("  it answers to {described}; --allow-host NAME adds a name");
    }
    // The preview's own address is its base URL, so every link stays on it.
    let base_url = crate::paths::BaseUrl::parse(&url).ok();
    let build_options = BuildOptions { drafts: options.drafts, today: None, base_url };
    let mut session = Session::new(&root, build_options);
    let first = session.full();
    publish(&running.shared, first, "built");

    let (tx, rx) = mpsc::channel();
    let stop = tx.clone();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop.send(watch::Message::Stop);
    }) {
        eprintln!("warning: Ctrl-C will not stop the preview cleanly: {e}");
    }
    let mut watcher = match watch::start(&root, tx) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: cannot watch {}: {e}", root.display());
            return 1;
        }
    };
    println!("serving {} on {url} (Ctrl-C stops)", root.display());
    if options.open {
        open_browser(&url);
    }
    follow_edits(&root, &mut session, &running.shared, &mut watcher, &rx);
    println!("stopped");
    0
}

/// Rebuilds after each burst of changes under `root` until Ctrl-C.
fn follow_edits(
    root: &Path,
    session: &mut Session,
    shared: &Shared,
    watcher: &mut notify::RecommendedWatcher,
    rx: &mpsc::Receiver<watch::Message>,
) {
    loop {
        let burst = watch::next_burst(root, rx);
        if burst.stop {
            return;
        }
        for trouble in &burst.trouble {
            eprintln!("warning: watching: {trouble}");
        }
        watch_new_folders(watcher, root, &burst.paths);
        if !burst.paths.is_empty() || !burst.trouble.is_empty() {
            rebuild(session, shared, &burst);
        }
    }
}

/// Rebuilds after a burst of changes and serves the result: the pages open
/// in a browser first (they reload at once, and a request for a page still
/// to come waits for it), then the rest. A fault in pamphlet itself starts
/// again from a whole build.
fn rebuild(session: &mut Session, shared: &Shared, burst: &watch::Burst) {
    let clock = std::time::Instant::now();
    let timings = std::env::var_os("PAMPHLET_TIMINGS").is_some();
    let open = shared.recent();
    let attempt = guarded(|| match burst.trouble.is_empty() {
        true => session.apply_first(&burst.paths, &|file| open.contains(file)),
        false => session.full(),
    });
    let Some(first) = attempt else {
        return start_again(session, shared);
    };
    shared.set_pending(session.deferred());
    publish(shared, first, "rebuilt");
    if timings {
        eprintln!(
            "  {} changed paths; reload sent after {:.1} ms",
            burst.paths.len(),
            clock.elapsed().as_secs_f64() * 1e3
        );
    }
    match guarded(|| session.finish()) {
        Some(Some(rest)) if rest.report.has_errors() => publish(shared, rest, "rebuilt"),
        Some(Some(rest)) => store(shared, rest),
        Some(None) => {}
        None => start_again(session, shared),
    }
    shared.set_pending(Vec::new());
}

/// Runs `work`, turning a panic into `None` (the panic hook has printed it).
fn guarded<T>(work: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).ok()
}

fn start_again(session: &mut Session, shared: &Shared) {
    eprintln!("error: pamphlet failed while rebuilding; building the whole site again");
    *session = Session::new(session.root(), session.options().clone());
    publish(shared, session.full(), "rebuilt");
}

/// A watched folder (`templates/`, say) that did not exist when serve
/// started is watched from when it appears.
fn watch_new_folders(
    watcher: &mut notify::RecommendedWatcher,
    root: &Path,
    paths: &std::collections::BTreeSet<PathBuf>,
) {
    use notify::{RecursiveMode, Watcher};
    for name in watch::WATCHED {
        let dir = root.join(name);
        if paths.contains(&dir) && dir.is_dir() {
            let _ = watcher.watch(&dir, RecursiveMode::Recursive);
        }
    }
}

fn display_addr(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() { format!("127.0.0.1:{}", addr.port()) } else { addr.to_string() }
}

/// Serves what a rebuild made, or keeps the last good site and sends its errors.
fn publish(shared: &Shared, rebuild: Rebuild, verb: &str) {
    error::print(&rebuild.report.diagnostics);
    if rebuild.report.has_errors() {
        shared.hub.publish(Outcome::Failed(errors_json(&rebuild.report.diagnostics)));
        eprintln!("the site has errors; still serving the last good build");
        return;
    }
    let count = rebuild.files.len();
    let elapsed = rebuild.report.elapsed;
    store(shared, rebuild);
    shared.hub.publish(Outcome::Built);
    println!("{verb} {count} file{} in {:.0} ms", if count == 1 { "" } else { "s" }, elapsed.as_secs_f64() * 1000.0);
}

/// Puts a rebuild's files in the served site (all of it, when it is whole).
fn store(shared: &Shared, rebuild: Rebuild) {
    let count = rebuild.files.len();
    let files: Vec<(String, Arc<Vec<u8>>)> =
        rebuild.files.into_par_iter().map(|(path, bytes)| (key(&path), Arc::new(bytes))).collect();
    let replaced: Vec<Arc<Vec<u8>>> = {
        let mut site = shared.site.write().unwrap_or_else(|e| e.into_inner());
        if rebuild.whole {
            let old = std::mem::replace(&mut site.files, HashMap::with_capacity(count));
            site.files.extend(files);
            old.into_values().collect()
        } else {
            files.into_iter().filter_map(|(key, bytes)| site.files.insert(key, bytes)).collect()
        }
    };
    // Freed away from the rebuild loop, which has pages to reload.
    std::thread::spawn(move || drop(replaced));
}

/// A file's path in the served site: relative, with forward slashes.
fn key(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// The body of `event: error`: `{"errors":[{"file","line","column","message"}]}`.
fn errors_json(diagnostics: &[Diagnostic]) -> String {
    let errors: Vec<JsonDiagnostic> = diagnostics.iter().filter(|d| d.is_error()).map(JsonDiagnostic::from).collect();
    serde_json::json!({ "errors": errors }).to_string()
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("warning: could not open a browser ({opener}: {e}); visit {url}");
    }
}
