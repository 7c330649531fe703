//! What the gate lets through: a request head judged before tiny_http sees
//! it. Only a plain HTTP/1.0 or HTTP/1.1 `GET` or `HEAD`, in ASCII, with one
//! `Host` that names this preview, gets past; everything else is answered
//! here with why.
//!
//! tiny_http 0.12 copes badly with what it does not expect. A request line
//! with `HTTP/2.0` or `HTTP/3.0` makes it deadlock: it takes the writer for
//! its 505 answer while the request that owns the writer before it is
//! still alive, so the connection (and one of its threads) is held for
//! ever. A request line or header with a byte of 0x80 or more closes the
//! connection with no answer at all, and so does a body it expects but
//! never gets (the gate passes heads only, so a body is refused here). So the gate, not
//! tiny_http, decides what is a request.

use super::hosts::{self, Hosts};

/// Why a request is turned away: the status and a line saying why.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused {
    pub status: u16,
    pub text: String,
}

impl Refused {
    pub fn new(status: u16, text: impl Into<String>) -> Refused {
        Refused { status, text: text.into() }
    }

    /// Headers the refusal needs: 405 says what is allowed.
    pub fn extra(&self) -> &'static [(&'static str, &'static str)] {
        if self.status == 405 { &[("Allow", "GET, HEAD")] } else { &[] }
    }
}

/// Judges a request head (up to and including its blank line).
pub fn check(head: &[u8], hosts: &Hosts) -> Result<(), Refused> {
    let bad = |why: &str| Refused::new(400, format!("400 {why}"));
    let text = std::str::from_utf8(head)
        .ok()
        .filter(|t| t.is_ascii())
        .ok_or_else(|| bad("a request head is ASCII text; this one is not"))?;
    let text = text.strip_suffix("\r\n\r\n").ok_or_else(|| bad("the request head does not end with a blank line"))?;
    // A lone CR or LF, or another control byte, could end a line early for
    // one reader and not for another.
    if text.split("\r\n").any(|line| line.bytes().any(|b| b.is_ascii_control() && b != b'\t')) {
        return Err(bad("the request head holds control characters"));
    }
    let mut lines = text.split("\r\n");
    let (method, version) = request_line(lines.next().unwrap_or_default())?;
    if version != "HTTP/1.0" && version != "HTTP/1.1" {
        return Err(Refused::new(505, format!("505 only HTTP/1.0 and HTTP/1.1 are answered here, not {version}")));
    }
    if method != "GET" && method != "HEAD" {
        return Err(Refused::new(405, "405 only GET and HEAD are answered here"));
    }
    let mut host = None;
    for line in lines {
        let (name, value) = header(line).ok_or_else(|| bad("a header line is not `Name: value`"))?;
        if name.eq_ignore_ascii_case("Host") && host.replace(value).is_some() {
            return Err(bad("the request has more than one Host header"));
        }
        // The gate passes heads only; tiny_http would wait for the body and
        // then close without an answer.
        let body = name.eq_ignore_ascii_case("Transfer-Encoding")
            || (name.eq_ignore_ascii_case("Content-Length") && value != "0");
        if body {
            return Err(bad("a GET or HEAD request here has no body"));
        }
    }
    let host = host.ok_or_else(|| bad("the request has no Host header"))?;
    if !hosts.allows(host) {
        return Err(Refused::new(403, refusal(host)));
    }
    Ok(())
}

/// The method and version of `METHOD TARGET HTTP/x.y`, one space apart.
fn request_line(line: &str) -> Result<(&str, &str), Refused> {
    let bad = || Refused::new(400, "400 that is not an HTTP request line (`GET /path HTTP/1.1`)");
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let version_form = version.strip_prefix("HTTP/").is_some_and(
        |v| matches!(v.as_bytes(), [major, b'.', minor] if major.is_ascii_digit() && minor.is_ascii_digit()),
    );
    if !is_token(method) || target.is_empty() || !target.bytes().all(|b| b.is_ascii_graphic()) || !version_form {
        return Err(bad());
    }
    Ok((method, version))
}

/// A header line's name and value (trimmed); `None` when it is not one
/// (no colon, a space before it, or a folded continuation line).
fn header(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    is_token(name).then(|| (name, value.trim_matches([' ', '\t'])))
}

/// An HTTP token: a method or a header name.
fn is_token(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// What a refused Host is told: the way to let the name in.
fn refusal(host: &str) -> String {
    let name = hosts::name_of(host).filter(|n| n.len() <= 100 && hosts::parse_allowed(n).is_ok());
    let how = match name {
        Some(name) => format!("to answer to {name} too, start it with --allow-host {name}"),
        None => "to answer to another name, start it with --allow-host NAME".to_string(),
    };
    format!("403 this preview answers only to this machine's own names and addresses; {how}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr};

    fn judged(head: &[u8]) -> Result<(), u16> {
        let hosts = Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), &["preview.example".to_string()]);
        check(head, &hosts).map_err(|r| r.status)
    }

    #[test]
    fn plain_gets_and_heads_pass() {
        assert_eq!(judged(b"GET / HTTP/1.1\r\nHost: localhost:1111\r\n\r\n"), Ok(()));
        assert_eq!(judged(b"HEAD /a?b=c HTTP/1.0\r\nhost:127.0.0.1\r\nX-Y: z\t\r\n\r\n"), Ok(()));
        assert_eq!(judged(b"GET / HTTP/1.1\r\nHost: preview.example\r\n\r\n"), Ok(()));
        assert_eq!(judged(b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"), Ok(()));
    }

    #[test]
    fn versions_other_than_http_1_get_505() {
        for version in ["HTTP/2.0", "HTTP/3.0", "HTTP/0.9", "HTTP/1.2"] {
            let head = format!("GET / {version}\r\nHost: localhost\r\n\r\n");
            assert_eq!(judged(head.as_bytes()), Err(505), "{version}");
        }
        assert_eq!(judged(b"PRI * HTTP/2.0\r\n\r\n"), Err(505), "the HTTP/2 preface");
    }

    #[test]
    fn methods_other_than_get_and_head_get_405() {
        for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE", "BREW", "get"] {
            let head = format!("{method} / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\n");
            assert_eq!(judged(head.as_bytes()), Err(405), "{method}");
        }
    }

    #[test]
    fn what_is_not_an_ascii_request_gets_400() {
        for head in [
            &b"GET /caf\xc3\xa9 HTTP/1.1\r\nHost: localhost\r\n\r\n"[..],
            b"G\x80T / HTTP/1.1\r\nHost: localhost\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Name: Jos\xc3\xa9\r\n\r\n",
            b"\xff\xfe\xfd\r\n\r\n",
            b"hello\r\n\r\n",
            b"GET /\r\n\r\n",
            b"GET  / HTTP/1.1\r\nHost: localhost\r\n\r\n",
            b"GET / HTTP/1.1 x\r\nHost: localhost\r\n\r\n",
            b"GET / HTTPS/1.1\r\nHost: localhost\r\n\r\n",
            b"GET / HTTP/11\r\nHost: localhost\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: localhost\r\n folded\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost : localhost\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: localhost\rX: y\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: localhost\r\nX\0: y\r\n\r\n",
            b"GET / HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\n",
            b"HEAD / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n",
        ] {
            assert_eq!(judged(head), Err(400), "{}", String::from_utf8_lossy(head));
        }
    }

    #[test]
    fn other_hosts_get_403_that_says_how_to_allow_them() {
        let hosts = Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), &[]);
        let refused = check(b"GET / HTTP/1.1\r\nHost: evil.example:8080\r\n\r\n", &hosts).unwrap_err();
        assert_eq!(refused.status, 403);
        assert!(refused.text.contains("--allow-host evil.example"), "{}", refused.text);
        let odd = check(b"GET / HTTP/1.1\r\nHost: [::2]:80\r\n\r\n", &hosts).unwrap_err();
        assert!(odd.text.ends_with("--allow-host NAME"), "{}", odd.text);
    }
}
