//! `pamphlet serve` as a real server on a free loopback port: what it
//! answers, what it refuses (odd requests included, sent as raw bytes), and
//! how it reloads pages after edits.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crate::driver::Site;

/// A running `pamphlet serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Drop for Server {
    /// Stops serve as Ctrl-C would, so it removes its private folder, and
    /// kills it if it takes too long.
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts serve on `site` on a free port and waits until it answers.
    pub fn start(site: &Site) -> Server {
        Server::start_with(site, &[])
    }

    /// The same, with more options for `serve`.
    pub fn start_with(site: &Site, options: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pamphlet"))
            .args(["serve", "-p", "0"])
            .args(options)
            .current_dir(&site.root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let line =
            lines.find_map(|l| l.ok().filter(|l| l.starts_with("serving "))).expect("serve said where it serves");
        // Keep reading what serve prints, so it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let after = line.rsplit("127.0.0.1:").next().unwrap();
        let port: u16 = after.split(['/', ' ']).next().unwrap().parse().unwrap();
        Server { child, port }
    }

    /// Sends a raw request (`target` as given, Host as given) and reads the
    /// answer as a browser does: the head, then `Content-Length` bytes.
    pub fn raw(&self, request: &str) -> Answer {
        self.raw_bytes(request.as_bytes())
    }

    /// The same, for requests that are not text.
    pub fn raw_bytes(&self, request: &[u8]) -> Answer {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        stream.write_all(request).unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let mut answer = Answer::parse(head.trim_end().as_bytes());
        let length: usize = answer.header("Content-Length").and_then(|l| l.parse().ok()).unwrap_or(0);
        if !request.starts_with(b"HEAD ") {
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            answer.body = String::from_utf8_lossy(&body).into_owned();
        }
        answer
    }

    pub fn request(&self, method: &str, target: &str) -> Answer {
        self.raw(&format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n", self.port))
    }

    pub fn get(&self, target: &str) -> Answer {
        self.request("GET", target)
    }

    /// Opens the live-reload stream; events arrive on the receiver as (name, data).
    pub fn events(&self) -> Receiver<(String, String)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let request = format!("GET /__pamphlet/events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n", self.port);
        stream.write_all(request.as_bytes()).unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let (mut name, mut data) = (String::new(), String::new());
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { return };
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push_str(d);
                } else if line.is_empty()
                    && !name.is_empty()
                    && tx.send((std::mem::take(&mut name), std::mem::take(&mut data))).is_err()
                {
                    return;
                }
            }
        });
        rx
    }
}

pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Answer {
    fn parse(bytes: &[u8]) -> Answer {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        Answer { status, head: head.to_string(), body: body.to_string() }
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// Serve on a copy of the example hub, with a live-reload stream open.
fn listening() -> (Site, Server, Receiver<(String, String)>) {
    let site = Site::example();
    let server = Server::start(&site);
    let events = server.events();
    std::thread::sleep(Duration::from_millis(300));
    (site, server, events)
}

/// The next event that is not older than this call, within 20 seconds.
fn next_event(events: &Receiver<(String, String)>) -> (String, String) {
    events.recv_timeout(Duration::from_secs(20)).expect("an event within 20 s")
}

/// Waits until `check` holds for the page at `target`, or fails after 20 s.
fn until(server: &Server, target: &str, what: &str, check: impl Fn(&Answer) -> bool) -> Answer {
    let started = Instant::now();
    loop {
        let answer = server.get(target);
        if check(&answer) {
            return answer;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{what}: {target} gave {}\n{}",
            answer.status,
            answer.body
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_answers_only_what_it_should() {
    let site = Site::example();
    let server = Server::start(&site);

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("<script src=\"/__pamphlet/live.js\" defer></script></body>"));
    assert!(home.header("Access-Control-Allow-Origin").is_none(), "no CORS headers");
    assert_eq!(server.get("/__pamphlet/live.js").status, 200);

    for (target, kind) in [
        ("/", "text/html; charset=utf-8"),
        ("/css/site.css", "text/css; charset=utf-8"),
        ("/js/glossary.js", "text/javascript; charset=utf-8"),
        ("/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/events.ics", "text/calendar; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let answer = server.get(target);
        assert_eq!((answer.status, answer.header("Content-Type").as_deref()), (200, Some(kind)), "{target}");
    }

    let moved = server.get("/explainers");
    assert_eq!((moved.status, moved.header("Location").as_deref()), (301, Some("/explainers/")));
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html") && missing.body.contains("live.js"), "the site's own 404 page");

    for target in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/%252e%252e/%252e%252e/etc/passwd",
        "/..%5c..%5c..%5cetc%5cpasswd",
        "/..\\..\\etc\\passwd",
        "/index.html%00.css",
        "/%c0%ae%c0%ae/etc/passwd",
        "http://127.0.0.1/etc/passwd",
        "//etc/passwd",
        "/./index.html",
    ] {
        let answer = server.get(target);
        assert!(matches!(answer.status, 400 | 404), "{target} gave {}", answer.status);
        assert!(!answer.body.contains("root:"), "{target} reached a file outside the site");
    }
    assert_eq!(server.get(&format!("/{}", "a/".repeat(2000))).status, 414);

    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let answer = server.request(method, "/");
        assert_eq!(answer.status, 405, "{method}");
        assert_eq!(answer.header("Allow").as_deref(), Some("GET, HEAD"));
    }
    let head = server.request("HEAD", "/");
    assert_eq!((head.status, head.body.as_str()), (200, ""));

    let port = server.port;
    for host in ["evil.example", "evil.example:80", &format!("127.0.0.1.nip.io:{port}"), "localhost.evil.example"] {
        let answer = server.raw(&format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        assert_eq!(answer.status, 403, "Host: {host}");
        assert!(answer.body.contains("--allow-host"), "Host: {host}: {}", answer.body);
    }
    for host in [format!("localhost:{port}"), format!("[::1]:{port}"), "127.0.0.1".to_string()] {
        let answer = server.raw(&format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        assert_eq!(answer.status, 200, "Host: {host}");
    }
    assert_eq!(server.raw("GET / HTTP/1.0\r\n\r\n").status, 400, "a request without Host");
    assert!(!site.exists("public"), "serve writes no output folder");
}

#[test]
fn idle_connections_and_streams_do_not_take_the_server() {
    let site = Site::example();
    let server = Server::start(&site);
    let _streams: Vec<_> = (0..12).map(|_| server.events()).collect();
    let idle: Vec<TcpStream> = (0..40).map(|_| TcpStream::connect(("127.0.0.1", server.port)).unwrap()).collect();
    // And clients that send their request a little at a time.
    let _slow: Vec<TcpStream> = (0..30)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nHost: loc").unwrap();
            s
        })
        .collect();
    let started = Instant::now();
    assert_eq!(server.get("/").status, 200);
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(3), "a page waited {waited:?} behind idle connections");
    // An idle connection is closed by the server within its timeout.
    let mut one = idle.into_iter().next().unwrap();
    one.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    // Read to the end: an answer may arrive in more than one piece.
    let mut answer = Vec::new();
    let _ = one.read_to_end(&mut answer);
    let n = answer.len();
    assert!(n == 0 || answer.starts_with(b"HTTP/1.1 408"), "an idle connection was answered with {n} bytes");
    assert!(started.elapsed() < Duration::from_secs(25));
    assert_eq!(server.get("/").status, 200, "still answering after the timeout");
    let huge = format!("GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\n\r\n", "a".repeat(40 * 1024));
    assert_eq!(server.raw(&huge).status, 431);
}

#[test]
fn edits_reload_failures_report_and_fixes_recover() {
    let (site, server, events) = listening();
    let page = "content/explainers/red-teaming.md";
    let url = "/explainers/red-teaming/";
    let good = site.read(page);

    site.write(page, good.replacen("\n\n", "\n\nA sentence written while serving.\n\n", 1));
    assert_eq!(next_event(&events).0, "reload");
    assert!(server.get(url).body.contains("A sentence written while serving."));

    site.write(page, good.replacen("title = \"", "title = \n\"", 1));
    let (name, data) = next_event(&events);
    assert_eq!(name, "error");
    let json: serde_json::Value = serde_json::from_str(&data).unwrap();
    let first = &json["errors"][0];
    assert_eq!(first["file"], page, "{data}");
    assert!(first["line"].as_u64().unwrap() > 0 && first["message"].is_string(), "{data}");
    let served = server.get(url);
    assert_eq!(served.status, 200, "the last good page is still served");
    assert!(served.body.contains("A sentence written while serving."));
    // A stream opened now hears of the failure at once.
    assert_eq!(next_event(&server.events()).0, "error");

    site.write(page, &good);
    assert_eq!(next_event(&events).0, "reload");
    until(&server, url, "the fix", |a| !a.body.contains("A sentence written while serving."));

    // Saved as vim and JetBrains editors do: a new file renamed over the old.
    let tmp = site.root.join("content/explainers/.red-teaming.md.swp");
    std::fs::write(&tmp, good.replacen("\n\n", "\n\nSaved by renaming.\n\n", 1)).unwrap();
    std::fs::rename(&tmp, site.root.join(page)).unwrap();
    assert_eq!(next_event(&events).0, "reload");
    assert!(server.get(url).body.contains("Saved by renaming."));

    // A new page, then the page deleted.
    site.write(
        "content/explainers/while-serving.md",
        "+++\ntitle = \"Written while serving\"\nsummary = \"New.\"\n+++\n\nNew.\n",
    );
    assert_eq!(next_event(&events).0, "reload");
    until(&server, "/explainers/while-serving/", "a new page", |a| a.status == 200);
    std::fs::remove_file(site.root.join("content/explainers/while-serving.md")).unwrap();
    assert_eq!(next_event(&events).0, "reload");
    until(&server, "/explainers/while-serving/", "a deleted page", |a| a.status == 404);
}

#[test]
fn new_folders_renames_templates_and_site_toml_are_followed() {
    let (site, server, events) = listening();

    // A new folder with a section and a page in it.
    std::fs::create_dir_all(site.root.join("content/briefings")).unwrap();
    site.write("content/briefings/_index.md", "+++\ntitle = \"Briefings\"\n+++\n");
    site.write("content/briefings/first.md", "+++\ntitle = \"First briefing\"\n+++\n\nText.\n");
    assert_eq!(next_event(&events).0, "reload");
    until(&server, "/briefings/first/", "a page in a new folder", |a| a.status == 200);

    // A page renamed: its old URL goes, its new one comes.
    std::fs::rename(site.root.join("content/briefings/first.md"), site.root.join("content/briefings/second.md"))
        .unwrap();
    assert_eq!(next_event(&events).0, "reload");
    until(&server, "/briefings/second/", "a renamed page", |a| a.status == 200);
    assert_eq!(server.get("/briefings/first/").status, 404);

    // The site's own templates/ folder, made after serve started.
    site.write(
        "templates/page.html",
        "<!DOCTYPE html><html lang=\"en\"><title>x</title><p>Site template: {{ page.title }}</p></html>",
    );
    assert_eq!(next_event(&events).0, "reload");
    until(&server, "/briefings/second/", "a new site template", |a| a.body.contains("Site template: First briefing"));
    site.write(
        "templates/page.html",
        "<!DOCTYPE html><html lang=\"en\"><title>x</title><p>Edited: {{ page.title }}</p></html>",
    );
    assert_eq!(next_event(&events).0, "reload");
    until(&server, "/briefings/second/", "an edited site template", |a| a.body.contains("Edited: First briefing"));

    // A theme template: the open page first, then every other page.
    let open = "/explainers/red-teaming/";
    assert_eq!(server.get(open).status, 200);
    site.edit("themes/default/templates/explainer.html", "</article>", "<p>Theme edited.</p></article>");
    assert_eq!(next_event(&events).0, "reload");
    assert!(server.get(open).body.contains("Theme edited."), "the open page shows the template edit");
    assert!(server.get("/explainers/safety-cases/").body.contains("Theme edited."), "so does every other");

    // site.toml: everything is built again.
    site.edit("site.toml", "title = \"", "title = \"Renamed: ");
    assert_eq!(next_event(&events).0, "reload");
    until(&server, "/", "a site.toml edit", |a| a.body.contains("Renamed: "));
}

#[test]
fn a_burst_of_changes_is_one_rebuild() {
    let (site, server, events) = listening();
    // As a `git checkout` does: many files written at once.
    for n in 0..2000 {
        site.write(
            &format!("content/explainers/many-{n:04}.md"),
            format!("+++\ntitle = \"Page {n}\"\nsummary = \"S.\"\n+++\n\nBody.\n"),
        );
    }
    assert_eq!(next_event(&events).0, "reload");
    assert!(events.recv_timeout(Duration::from_secs(2)).is_err(), "more than one rebuild for one burst");
    assert_eq!(server.get("/explainers/many-1999/").status, 200);
}

#[test]
fn a_site_that_does_not_build_at_first_shows_its_errors_then_reloads() {
    let site = Site::example();
    let page = "content/explainers/red-teaming.md";
    let good = site.read(page);
    site.write(page, good.replacen("title = \"", "title = \n\"", 1));
    let server = Server::start(&site);
    let waiting = server.get("/explainers/red-teaming/");
    assert_eq!(waiting.status, 503);
    assert!(waiting.body.contains("has not built yet") && waiting.body.contains("live.js"), "{}", waiting.body);
    let events = server.events();
    let (name, data) = next_event(&events);
    assert_eq!(name, "error");
    assert!(data.contains(page), "{data}");
    site.write(page, &good);
    assert_eq!(next_event(&events).0, "reload");
    assert_eq!(server.get("/explainers/red-teaming/").status, 200);
}

#[test]
fn ctrl_c_stops_serve_cleanly() {
    let site = Site::example();
    let mut server = Server::start(&site);
    assert_eq!(server.get("/").status, 200);
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
    assert!(!site.exists("public"));
}

/// Sends raw bytes and reads all that comes back until serve closes.
fn exchange(server: &Server, request: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("serve closed the connection cleanly");
    answer
}

#[test]
fn http_2_and_3_request_lines_get_505_and_do_not_take_the_server() {
    let site = Site::example();
    let server = Server::start(&site);
    // Each once made tiny_http deadlock and held a connection for ever;
    // 512 of them and serve answered nothing but 503.
    for n in 0..600 {
        let version = if n % 2 == 0 { "HTTP/2.0" } else { "HTTP/3.0" };
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        let _ = stream.write_all(format!("GET / {version}\r\nHost: 127.0.0.1\r\n\r\n").as_bytes());
    }
    let started = Instant::now();
    loop {
        let answer = server.get("/");
        if answer.status == 200 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "after 600 HTTP/2 requests, / gave {}", answer.status);
        std::thread::sleep(Duration::from_millis(100));
    }
    for request in [
        "GET / HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n",
        "GET / HTTP/3.0\r\nHost: 127.0.0.1\r\n\r\n",
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    ] {
        let answer = server.raw(request);
        assert_eq!(answer.status, 505, "{request:?}");
        assert!(answer.body.contains("HTTP/1.1"), "{}", answer.body);
    }
}

#[test]
fn a_post_with_a_body_gets_405_and_nothing_else() {
    let site = Site::example();
    let server = Server::start(&site);
    let port = server.port;
    // A body that holds a request of its own: it must not be answered.
    let body = format!("a=1&b=GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    let post = format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let answer = exchange(&server, post.as_bytes());
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 405 "), "{text}");
    assert!(text.contains("\r\nAllow: GET, HEAD\r\n"), "{text}");
    assert_eq!(text.matches("HTTP/1.1 ").count(), 1, "one answer, for the POST only: {text}");
    let chunked: &[u8] =
        b"PUT /index.html HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
    assert!(exchange(&server, chunked).starts_with(b"HTTP/1.1 405 "));
    // A body far larger than a socket buffer, sent while the answer is read.
    let big = 256 * 1024;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut sender = stream.try_clone().unwrap();
    let head = format!("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: {big}\r\n\r\n");
    std::thread::spawn(move || {
        let _ = sender.write_all(head.as_bytes()).and_then(|()| sender.write_all(&vec![b'x'; big]));
    });
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("serve closed the connection cleanly");
    assert!(answer.starts_with(b"HTTP/1.1 405 "), "{}", String::from_utf8_lossy(&answer));
    for method in ["BREW", "PROPFIND", "CONNECT", "TRACE"] {
        let answer = server.request(method, "/");
        assert_eq!((answer.status, answer.header("Allow").as_deref()), (405, Some("GET, HEAD")), "{method}");
    }
    assert_eq!(server.get("/").status, 200, "still answering");
}

#[test]
fn requests_that_are_not_ascii_or_not_requests_get_400() {
    let site = Site::example();
    let server = Server::start(&site);
    for request in [
        &b"GET /caf\xc3\xa9/ HTTP/1.1\r\nHost: localhost\r\n\r\n"[..],
        b"G\xc9T / HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"GET /\xff\xfe HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Name: Jos\xc3\xa9\r\n\r\n",
        b"\x80\x81\x82\x83\r\n\r\n",
        b"hello there\r\n\r\n",
        b"GET /\r\n\r\n",
        b"GET / HTTP/1.1 and more\r\nHost: localhost\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello",
    ] {
        let answer = server.raw_bytes(request);
        assert_eq!(answer.status, 400, "{}", String::from_utf8_lossy(request));
    }
    assert_eq!(server.get("/").status, 200, "still answering");
}

#[test]
fn bound_to_all_interfaces_serve_still_checks_host() {
    let site = Site::example();
    let server = Server::start_with(&site, &["--bind", "0.0.0.0", "--allow-host", "Preview.Example"]);
    let port = server.port;
    let ask = |host: &str| server.raw(&format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
    let mut answered = vec![
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("192.0.2.10:{port}"),
        "preview.example".to_string(),
        format!("PREVIEW.EXAMPLE.:{port}"),
    ];
    // The machine's own name, where the test can learn it as serve does.
    if let Ok(name) = std::fs::read_to_string("/proc/sys/kernel/hostname") {
        answered.push(format!("{}:{port}", name.trim()));
    }
    for host in &answered {
        assert_eq!(ask(host).status, 200, "Host: {host}");
    }
    for host in ["evil.example", &format!("evil.example:{port}"), "preview.example.evil.example", "127.0.0.1.nip.io"] {
        let answer = ask(host);
        assert_eq!(answer.status, 403, "Host: {host}");
        assert!(answer.body.contains("--allow-host"), "Host: {host}: {}", answer.body);
    }
}

#[test]
fn a_bad_allow_host_is_a_usage_error() {
    let site = Site::example();
    let out = Command::new(env!("CARGO_BIN_EXE_pamphlet"))
        .args(["serve", "-p", "0", "--allow-host", "http://preview.example:80"])
        .current_dir(&site.root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a host name"));
}

/// Linux lets a test see every socket a process holds (`/proc`).
#[cfg(target_os = "linux")]
#[test]
fn tiny_http_cannot_be_reached_around_the_gate() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    let site = Site::example();
    let mut server = Server::start(&site);
    assert_eq!(server.get("/").status, 200);
    let pid = server.child.id();
    let inodes: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
        .filter_map(|link| Some(link.to_str()?.strip_prefix("socket:[")?.strip_suffix(']')?.to_string()))
        .collect();
    let mut listening = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        for line in std::fs::read_to_string(table).unwrap_or_default().lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields[3] == "0A" && inodes.iter().any(|i| i == fields[9]) {
                let port = fields[1].rsplit(':').next().unwrap();
                listening.push(u16::from_str_radix(port, 16).unwrap());
            }
        }
    }
    // Whatever else serve listens on must serve nothing.
    for &port in listening.iter().filter(|&&p| p != server.port) {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        assert!(answer.is_empty(), "port {port} answered:\n{}", String::from_utf8_lossy(&answer));
    }
    assert_eq!(listening, vec![server.port], "serve listens on TCP ports besides its own");

    // tiny_http's Unix socket, in a folder only this user may enter.
    let unix = std::fs::read_to_string("/proc/net/unix").unwrap();
    let mut folders: Vec<std::path::PathBuf> = unix
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|f| f.len() > 7 && inodes.iter().any(|i| i == f[6]))
        .map(|f| std::path::Path::new(f[7]).parent().unwrap().to_path_buf())
        .collect();
    folders.dedup();
    assert_eq!(folders.len(), 1, "{folders:?}");
    let folder = &folders[0];
    let meta = std::fs::metadata(folder).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o700, "{}", folder.display());
    assert_eq!(meta.uid(), std::fs::metadata("/proc/self").unwrap().uid());

    // Stopped, serve leaves no folder behind.
    assert!(Command::new("kill").args(["-INT", &pid.to_string()]).status().unwrap().success());
    let started = Instant::now();
    while server.child.try_wait().unwrap().is_none() {
        assert!(started.elapsed() < Duration::from_secs(10), "serve did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!folder.exists(), "{} is left behind", folder.display());
}
