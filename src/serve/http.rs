//! What the preview server answers: request paths turned into files of the
//! built site, the head every answer starts with (the gate's refusals and
//! the pages alike), content types, and the reload script put into HTML
//! pages.
//!
//! tiny_http hands over the request target exactly as the client sent it, so
//! everything a path may hide (percent-encoded or double-encoded dots and
//! slashes, backslashes, NUL, absolute URLs, very long paths) is dealt with
//! here. The site is served from memory by exact file name, so no request can
//! reach a file on disk; these checks make the refusals clear and keep odd
//! paths from matching anything.

/// Where the live-reload script is served; never a file of the site.
pub const LIVE_SCRIPT: &str = "/__pamphlet/live.js";
/// The Server-Sent Events stream of rebuilds.
pub const EVENTS: &str = "/__pamphlet/events";
/// Longer request targets are refused (414).
pub const MAX_TARGET: usize = 2048;

/// What a request target asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Wanted {
    /// A file of the built site, relative to its root (`a/b/index.html`).
    File(String),
    /// A folder asked for without its slash: redirect to `path/`.
    Slash(String),
    Events,
    LiveScript,
}

/// Why a request target was refused, as an HTTP status.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum Refusal {
    BadRequest,
    TooLong,
}

/// Turns a raw request target into what it asks for. `is_folder` tells
/// whether a path is a folder of the built site (it has an `index.html`).
pub fn resolve(target: &str, is_folder: impl Fn(&str) -> bool) -> Result<Wanted, Refusal> {
    if target.len() > MAX_TARGET {
        return Err(Refusal::TooLong);
    }
    // Only origin-form targets ("/path?query"); absolute URLs and "*" are refused.
    if !target.starts_with('/') || target.starts_with("//") {
        return Err(Refusal::BadRequest);
    }
    let path = target.split(['?', '#']).next().unwrap_or("");
    if path == EVENTS {
        return Ok(Wanted::Events);
    }
    if path == LIVE_SCRIPT {
        return Ok(Wanted::LiveScript);
    }
    let decoded = percent_decode(path).ok_or(Refusal::BadRequest)?;
    let text = String::from_utf8(decoded).map_err(|_| Refusal::BadRequest)?;
    // Decoded once only: a "%" left after decoding (double encoding) is refused
    // rather than taken as a name, and so are backslashes and control bytes.
    if text.contains(['\\', '%', '\0']) || text.chars().any(char::is_control) {
        return Err(Refusal::BadRequest);
    }
    let mut parts = Vec::new();
    for segment in text.split('/').skip(1) {
        match segment {
            "" => {}
            "." | ".." => return Err(Refusal::BadRequest),
            s if s.starts_with('.') && s != ".well-known" => return Err(Refusal::BadRequest),
            s => parts.push(s),
        }
    }
    let rel = parts.join("/");
    if text.ends_with('/') {
        return Ok(Wanted::File(if rel.is_empty() { "index.html".into() } else { format!("{rel}/index.html") }));
    }
    if is_folder(&rel) {
        return Ok(Wanted::Slash(format!("/{}/", percent_encode(&rel))));
    }
    Ok(Wanted::File(rel))
}

/// `%XX` escapes decoded to bytes; `None` for a malformed escape.
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// A path with every byte outside unreserved ASCII and `/` percent-encoded.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A response's status line and headers, the same for every answer: no
/// caching, no sniffing, the connection closed after it. `length` is the
/// body's, when it has one of known size.
pub fn head(status: u16, content_type: &str, length: Option<usize>, extra: &[(&str, &str)]) -> String {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        reason(status)
    );
    if let Some(length) = length {
        head.push_str(&format!("Content-Length: {length}\r\n"));
    }
    for (name, value) in extra {
        // Values are ASCII (paths in `Location` are percent-encoded); a line
        // break would end the header early, so none gets through.
        if value.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("\r\n");
    head
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// The content type of a file of the site, by its name.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "atom.xml" {
        return "application/atom+xml; charset=utf-8";
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// An HTML page with the live-reload script added before `</body>` (or at
/// the end when there is none).
pub fn with_live_script(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_SCRIPT}\" defer></script>");
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted(target: &str) -> Result<Wanted, Refusal> {
        resolve(target, |p| p == "explainers")
    }

    #[test]
    fn pretty_urls_and_folders() {
        assert_eq!(wanted("/"), Ok(Wanted::File("index.html".into())));
        assert_eq!(wanted("/explainers/"), Ok(Wanted::File("explainers/index.html".into())));
        assert_eq!(wanted("/explainers"), Ok(Wanted::Slash("/explainers/".into())));
        let accented = resolve("/r%C3%A9sum%C3%A9", |p| p == "résumé");
        assert_eq!(accented, Ok(Wanted::Slash("/r%C3%A9sum%C3%A9/".into())));
        assert_eq!(wanted("/style.css?v=2#x"), Ok(Wanted::File("style.css".into())));
        assert_eq!(wanted("/a%20b.pdf"), Ok(Wanted::File("a b.pdf".into())));
        assert_eq!(wanted("/__pamphlet/events"), Ok(Wanted::Events));
    }

    #[test]
    fn no_path_escapes_the_site() {
        for target in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/%252e%252e/etc/passwd",
            "/..%5c..%5cetc%5cpasswd",
            "/..\\..\\etc\\passwd",
            "/index.html%00.css",
            "/a%",
            "/a%zz",
            "/%c0%ae%c0%ae/etc/passwd",
            "/.git/config",
            "http://example.com/",
            "//etc/passwd",
            "*",
            "",
        ] {
            assert_eq!(wanted(target), Err(Refusal::BadRequest), "{target}");
        }
        assert_eq!(wanted(&format!("/{}", "a".repeat(MAX_TARGET))), Err(Refusal::TooLong));
    }

    #[test]
    fn content_types_by_name() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("js/glossary.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/atom+xml; charset=utf-8");
        assert_eq!(content_type("events.ics"), "text/calendar; charset=utf-8");
        assert_eq!(content_type("LOGO.PNG"), "image/png");
        assert_eq!(content_type("Makefile"), "application/octet-stream");
    }

    #[test]
    fn live_script_goes_before_the_body_ends() {
        let out = with_live_script(b"<html><body><p>x</p></BODY></html>");
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with("<script src=\"/__pamphlet/live.js\" defer></script></BODY></html>"), "{text}");
        assert!(String::from_utf8(with_live_script(b"<p>")).unwrap().ends_with("</script>"));
    }
}
