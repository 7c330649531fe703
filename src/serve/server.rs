//! The preview server: tiny_http behind the gate (which times connections
//! out and turns away what is not a plain GET or HEAD for this machine), a
//! few workers answering from the site in memory, and one thread per open
//! live-reload stream, capped so that streams never take the workers that
//! answer page requests.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use tiny_http::{Method, Request};

use super::gate;
use super::hosts::Hosts;
use super::http::{self, Refusal, Wanted};
use super::inner::{self, PrivateDir};

/// Threads answering page requests.
const WORKERS: usize = 4;
/// Live-reload streams open at once; more are refused with 503.
const MAX_STREAMS: usize = 64;
/// A comment line sent on quiet streams, so dead ones are found and closed
/// (and so the gate, which waits on tiny_http only so long, keeps them).
pub const KEEP_ALIVE: Duration = Duration::from_secs(5);

/// The built site as served: files by path relative to the site root.
#[derive(Default)]
pub struct Files {
    pub files: HashMap<String, Arc<Vec<u8>>>,
}

impl Files {
    fn is_folder(&self, rel: &str) -> bool {
        let index = if rel.is_empty() { "index.html".to_string() } else { format!("{rel}/index.html") };
        self.files.contains_key(&index)
    }
}

/// What the last rebuild did, for live-reload streams.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Built,
    /// The rebuild failed; the JSON body of `event: error`.
    Failed(String),
}

/// Rebuild news for every open stream: a generation count and its outcome.
pub struct Hub {
    state: Mutex<(u64, Outcome)>,
    changed: Condvar,
}

impl Hub {
    fn new() -> Self {
        Hub { state: Mutex::new((0, Outcome::Built)), changed: Condvar::new() }
    }

    pub fn publish(&self, outcome: Outcome) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.0 += 1;
        state.1 = outcome;
        self.changed.notify_all();
    }

    fn current(&self) -> (u64, Outcome) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Waits until the generation passes `seen`, or `timeout`.
    fn wait_past(&self, seen: u64, timeout: Duration) -> Option<(u64, Outcome)> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (state, _) =
            self.changed.wait_timeout_while(state, timeout, |s| s.0 == seen).unwrap_or_else(|e| e.into_inner());
        (state.0 != seen).then(|| state.clone())
    }
}

/// What the server threads share with the rebuild loop.
pub struct Shared {
    pub site: RwLock<Files>,
    pub hub: Hub,
    /// Pages served lately, newest last: those a browser has open.
    recent: Mutex<VecDeque<String>>,
    /// Files being rendered again; a request for one waits for it.
    pending: Mutex<HashSet<String>>,
    rendered: Condvar,
    streams: AtomicUsize,
}

/// How many recently served pages count as open in a browser.
const RECENT: usize = 32;
/// The longest a request waits for its page to be rendered again.
const PENDING_WAIT: Duration = Duration::from_secs(5);

impl Shared {
    /// Pages served lately (files relative to the site root).
    pub fn recent(&self) -> HashSet<String> {
        self.recent.lock().unwrap_or_else(|e| e.into_inner()).iter().cloned().collect()
    }

    fn served(&self, rel: &str) {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        recent.retain(|r| r != rel);
        recent.push_back(rel.to_string());
        if recent.len() > RECENT {
            recent.pop_front();
        }
    }

    /// Marks files as being rendered again (or, with an empty list, done).
    pub fn set_pending(&self, files: Vec<String>) {
        *self.pending.lock().unwrap_or_else(|e| e.into_inner()) = files.into_iter().collect();
        self.rendered.notify_all();
    }

    fn wait_rendered(&self, rel: &str) {
        let pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let _ = self.rendered.wait_timeout_while(pending, PENDING_WAIT, |p| p.contains(rel));
    }
}

/// A running server; dropping it does not stop the threads (the process
/// ends them), but removes tiny_http's private folder.
pub struct Running {
    pub shared: Arc<Shared>,
    pub addr: SocketAddr,
    _private: PrivateDir,
}

/// Binds `addr` and starts answering: the gate takes connections there and
/// hands the requests it lets through (those for `hosts`) to tiny_http on a
/// socket only it reaches.
pub fn start(addr: SocketAddr, hosts: Hosts) -> std::io::Result<Running> {
    let public = TcpListener::bind(addr)?;
    let addr = public.local_addr()?;
    let (server, door, private) = inner::open()?;
    let server = Arc::new(server);
    gate::open(public, door, hosts);
    let shared = Arc::new(Shared {
        site: RwLock::new(Files::default()),
        hub: Hub::new(),
        recent: Mutex::new(VecDeque::new()),
        pending: Mutex::new(HashSet::new()),
        rendered: Condvar::new(),
        streams: AtomicUsize::new(0),
    });
    for _ in 0..WORKERS {
        let (server, shared) = (Arc::clone(&server), Arc::clone(&shared));
        std::thread::spawn(move || {
            loop {
                match server.recv() {
                    // A request never takes a worker down with it.
                    Ok(request) => {
                        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| answer(&shared, request)));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(50)),
                }
            }
        });
    }
    Ok(Running { shared, addr, _private: private })
}

fn respond(request: Request, status: u16, content_type: &str, body: Vec<u8>, extra: &[(&str, &str)]) {
    let head_only = *request.method() == Method::Head;
    let head = http::head(status, content_type, Some(body.len()), extra);
    let mut out = request.into_writer();
    let _ = out.write_all(head.as_bytes()).and_then(|()| match head_only {
        true => Ok(()),
        false => out.write_all(&body),
    });
    let _ = out.flush();
}

fn plain(request: Request, status: u16, text: &str, extra: &[(&str, &str)]) {
    respond(request, status, "text/plain; charset=utf-8", format!("{text}\n").into_bytes(), extra);
}

/// Answers a request the gate let through: a GET or HEAD, with a Host
/// that names this preview.
fn answer(shared: &Arc<Shared>, request: Request) {
    let wanted = {
        let site = shared.site.read().unwrap_or_else(|e| e.into_inner());
        http::resolve(request.url(), |rel| site.is_folder(rel))
    };
    match wanted {
        Err(Refusal::TooLong) => plain(request, 414, "414 the path is too long", &[]),
        Err(Refusal::BadRequest) => plain(request, 400, "400 that is not a path of this site", &[]),
        Ok(Wanted::Slash(to)) => plain(request, 301, &format!("moved to {to}"), &[("Location", &to)]),
        Ok(Wanted::LiveScript) => {
            respond(request, 200, http::content_type("live.js"), LIVE_JS.as_bytes().to_vec(), &[]);
        }
        Ok(Wanted::Events) => stream(shared, request),
        Ok(Wanted::File(rel)) => file(shared, request, &rel),
    }
}

fn file(shared: &Shared, request: Request, rel: &str) {
    shared.wait_rendered(rel);
    let (status, name, bytes, built) = {
        let site = shared.site.read().unwrap_or_else(|e| e.into_inner());
        match site.files.get(rel) {
            Some(bytes) => (200, rel, Some(Arc::clone(bytes)), true),
            None => (404, "404.html", site.files.get("404.html").cloned(), !site.files.is_empty()),
        }
    };
    if !built {
        // No good build yet: a page that shows the errors and reloads once
        // the site builds.
        return respond(request, 503, "text/html; charset=utf-8", http::with_live_script(NOT_BUILT.as_bytes()), &[]);
    }
    let Some(bytes) = bytes else {
        return plain(request, 404, "404 not found", &[]);
    };
    let kind = http::content_type(name);
    if status == 200 && kind.starts_with("text/html") {
        shared.served(rel);
    }
    let body = if kind.starts_with("text/html") { http::with_live_script(&bytes) } else { bytes.to_vec() };
    respond(request, status, kind, body, &[]);
}

/// `GET /__pamphlet/events`: a Server-Sent Events stream on a thread of its
/// own, until the client goes away.
fn stream(shared: &Arc<Shared>, request: Request) {
    if shared.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        return plain(request, 503, "503 too many live-reload streams are open", &[("Retry-After", "5")]);
    }
    let shared = Arc::clone(shared);
    std::thread::spawn(move || {
        let mut out = request.into_writer();
        let _ = send_events(&shared, &mut out);
        shared.streams.fetch_sub(1, Ordering::SeqCst);
    });
}

fn send_events(shared: &Shared, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(http::head(200, "text/event-stream", None, &[]).as_bytes())?;
    out.write_all(b"retry: 500\n\n")?;
    let (mut seen, outcome) = shared.hub.current();
    if let Outcome::Failed(json) = outcome {
        write_event(out, "error", &json)?;
    }
    out.flush()?;
    loop {
        match shared.hub.wait_past(seen, KEEP_ALIVE) {
            Some((generation, outcome)) => {
                seen = generation;
                match outcome {
                    Outcome::Built => write_event(out, "reload", "{}")?,
                    Outcome::Failed(json) => write_event(out, "error", &json)?,
                }
            }
            None => out.write_all(b": still here\n\n")?,
        }
        out.flush()?;
    }
}

fn write_event(out: &mut dyn Write, name: &str, data: &str) -> std::io::Result<()> {
    writeln!(out, "event: {name}")?;
    for line in data.lines() {
        writeln!(out, "data: {line}")?;
    }
    out.write_all(b"\n")
}

const LIVE_JS: &str = include_str!("live.js");

/// What every page is until the site first builds.
const NOT_BUILT: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\
    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
    <title>The site has not built yet</title></head>\n<body>\n<main>\n<h1>The site has not built yet</h1>\n\
    <p>pamphlet found errors in the site; they are listed below and in the terminal where \
    <code>pamphlet serve</code> runs. Fix them and this page reloads by itself.</p>\n</main>\n</body>\n</html>\n";
