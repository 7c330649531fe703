//! The gate in front of tiny_http: it accepts connections, gives each a
//! timeout, caps how many are open, judges each request head once it has
//! arrived whole (see `head`), and hands on only those it lets through.
//!
//! tiny_http has no connection timeouts, and it gives each connection a
//! thread from a pool that, under a burst of connections, can queue a new
//! one behind others until they finish. A client that connects and sends
//! nothing, or sends a request a byte at a time, would then hold page
//! requests up. Behind the gate, tiny_http only ever sees complete requests
//! it handles well, on a socket only the gate reaches (see `inner`), which
//! it answers at once.
//!
//! No wait on either side is unbounded, so no connection holds one of the
//! [`MAX_OPEN`] slots for ever: the client has [`IDLE`] to send its head and
//! to take each part of the answer, and tiny_http has [`INNER_IDLE`] to take
//! the head and to send each next part of its answer.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::head::{self, Refused};
use super::hosts::Hosts;
use super::http;
use super::inner::{Door, Stream};
use super::server::KEEP_ALIVE;

/// How long a client has to send its request head, and may stall a read or write.
const IDLE: Duration = Duration::from_secs(10);
/// How long tiny_http may take to send the next part of an answer. A
/// live-reload stream with no news sends a comment every [`KEEP_ALIVE`], so
/// a quiet stream is never cut, while a connection tiny_http has stopped
/// answering lets its slot go.
const INNER_IDLE: Duration = Duration::from_secs(15);
const _: () = assert!(INNER_IDLE.as_secs() >= 2 * KEEP_ALIVE.as_secs(), "streams would be cut between keep-alives");
/// Connections open at once; more are answered 503 and closed.
const MAX_OPEN: usize = 512;
/// A request head larger than this is refused (431).
const MAX_HEAD: usize = 16 * 1024;
/// What is read and dropped, at most, while closing a connection.
const LINGER: Duration = Duration::from_secs(2);
const LINGER_BYTES: usize = 1 << 20;

/// How long each side of a relayed request may stall a read or a write.
#[derive(Clone, Copy)]
struct Limits {
    client: Duration,
    inner: Duration,
}

const LIMITS: Limits = Limits { client: IDLE, inner: INNER_IDLE };

/// What every connection's thread needs: the way in, and whom to let in.
struct Gate {
    door: Door,
    hosts: Hosts,
}

/// Accepts on `public` and passes each request it lets through on to
/// tiny_http behind `door`.
pub fn open(public: TcpListener, door: Door, hosts: Hosts) {
    let gate = Arc::new(Gate { door, hosts });
    let open = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for client in public.incoming() {
            let Ok(mut client) = client else {
                // Out of file descriptors, say: wait rather than spin.
                std::thread::sleep(Duration::from_millis(20));
                continue;
            };
            if open.fetch_add(1, Ordering::SeqCst) >= MAX_OPEN {
                open.fetch_sub(1, Ordering::SeqCst);
                let _ = client.set_write_timeout(Some(Duration::from_secs(1)));
                refuse(&mut client, &Refused::new(503, "503 too many connections are open"), false);
                continue;
            }
            let (open, gate) = (Arc::clone(&open), Arc::clone(&gate));
            std::thread::spawn(move || {
                pass(client, &gate);
                open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
}

/// Answers a refused request, in one write: `write!` would send each piece
/// of the format on its own.
fn refuse(client: &mut TcpStream, refused: &Refused, head_only: bool) {
    let body = format!("{}\n", refused.text);
    let mut answer = http::head(refused.status, "text/plain; charset=utf-8", Some(body.len()), refused.extra());
    if !head_only {
        answer.push_str(&body);
    }
    let _ = client.write_all(answer.as_bytes());
}

/// Reads the request head, judges it, then relays it to tiny_http and the
/// answer back, or answers the refusal itself.
fn pass(mut client: TcpStream, gate: &Gate) {
    if client.set_write_timeout(Some(IDLE)).is_err() {
        return;
    }
    let head = match read_head(&mut client) {
        Ok(head) => head,
        Err(Head::TooLarge) => {
            return turn_away(client, &Refused::new(431, "431 the request head is too large"), false);
        }
        Err(Head::TimedOut) => return turn_away(client, &Refused::new(408, "408 the request came too slowly"), false),
        Err(Head::Closed) => return,
    };
    if let Err(refused) = head::check(&head, &gate.hosts) {
        return turn_away(client, &refused, head.starts_with(b"HEAD "));
    }
    match gate.door.connect() {
        Ok(inner) => {
            if relay(&mut client, &head, inner, LIMITS).is_ok() {
                linger(client);
            }
        }
        Err(_) => turn_away(client, &Refused::new(503, "503 the preview cannot answer just now"), false),
    }
}

fn turn_away(mut client: TcpStream, refused: &Refused, head_only: bool) {
    refuse(&mut client, refused, head_only);
    linger(client);
}

/// Passes a head to tiny_http and its answer back, until tiny_http closes
/// (every answer closes its connection) or a side stalls past its limit.
/// Nothing more is read from the client: requests here have no body, and
/// closing the write side tells tiny_http no second request is coming.
fn relay(client: &mut TcpStream, head: &[u8], mut inner: Stream, limits: Limits) -> io::Result<()> {
    client.set_write_timeout(Some(limits.client))?;
    inner.set_write_timeout(Some(limits.inner))?;
    inner.set_read_timeout(Some(limits.inner))?;
    inner.write_all(head)?;
    inner.shutdown(Shutdown::Write)?;
    io::copy(&mut inner, client)?;
    Ok(())
}

/// Closes a connection once the client has its answer. Closing a socket
/// with bytes still unread (a body the gate never reads, say) makes the
/// kernel send a reset, which can throw the answer away before the client
/// reads it; so, as Apache's lingering close does, the gate ends its side,
/// then reads and drops what still comes, for [`LINGER`] at most.
fn linger(mut client: TcpStream) {
    if client.shutdown(Shutdown::Write).is_err() {
        return;
    }
    let deadline = Instant::now() + LINGER;
    let mut left = LINGER_BYTES;
    let mut buf = [0u8; 4096];
    while left > 0 {
        let wait = deadline.saturating_duration_since(Instant::now());
        if wait.is_zero() || client.set_read_timeout(Some(wait)).is_err() {
            return;
        }
        match client.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

enum Head {
    TooLarge,
    TimedOut,
    Closed,
}

/// Everything the client sent up to and including the blank line that ends
/// the head, within [`IDLE`] in all.
fn read_head(client: &mut TcpStream) -> Result<Vec<u8>, Head> {
    let deadline = Instant::now() + IDLE;
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Head::TimedOut);
        }
        client.set_read_timeout(Some(left)).map_err(|_| Head::Closed)?;
        let n = match client.read(&mut buf) {
            Ok(0) => return Err(Head::Closed),
            Ok(n) => n,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return Err(Head::TimedOut);
            }
            Err(_) => return Err(Head::Closed),
        };
        let start = head.len().saturating_sub(3);
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = head[start..].windows(4).position(|w| w == b"\r\n\r\n") {
            head.truncate(start + end + 4);
            return Ok(head);
        }
        if head.len() > MAX_HEAD {
            return Err(Head::TooLarge);
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;
    use std::os::unix::net::UnixStream;

    /// The gate's end of a client connection, and the client's end.
    fn client_pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        (listener.accept().unwrap().0, client)
    }

    const SHORT: Duration = Duration::from_millis(300);
    const HEAD: &[u8] = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";

    #[test]
    fn a_silent_inner_side_lets_its_slot_go() {
        let (mut gate_end, _client) = client_pair();
        let (inner, _tiny_http) = UnixStream::pair().unwrap();
        let started = Instant::now();
        let relayed = relay(&mut gate_end, HEAD, inner, Limits { client: IDLE, inner: SHORT });
        assert!(relayed.is_err(), "a relay from a silent tiny_http ended as if answered");
        assert!(started.elapsed() < Duration::from_secs(5), "it waited {:?}", started.elapsed());
    }

    #[test]
    fn a_stream_whose_keep_alives_come_in_time_is_not_cut() {
        let (mut gate_end, mut client) = client_pair();
        let (inner, mut tiny_http) = UnixStream::pair().unwrap();
        let sender = std::thread::spawn(move || {
            // As tiny_http does: the head first (a socket closed with bytes
            // unread resets), then the stream.
            let mut head = vec![0; HEAD.len()];
            tiny_http.read_exact(&mut head).unwrap();
            for _ in 0..8 {
                std::thread::sleep(SHORT / 3);
                tiny_http.write_all(b": still here\n\n").unwrap();
            }
        });
        relay(&mut gate_end, HEAD, inner, Limits { client: IDLE, inner: SHORT }).unwrap();
        sender.join().unwrap();
        drop(gate_end);
        let mut got = String::new();
        client.read_to_string(&mut got).unwrap();
        assert_eq!(got.matches(": still here").count(), 8, "{got}");
    }

    #[test]
    fn a_client_that_stops_reading_lets_its_slot_go() {
        let (mut gate_end, _client) = client_pair();
        let (inner, mut tiny_http) = UnixStream::pair().unwrap();
        // tiny_http sends more than any socket buffer holds.
        std::thread::spawn(move || while tiny_http.write_all(&[b'x'; 64 * 1024]).is_ok() {});
        let started = Instant::now();
        let relayed = relay(&mut gate_end, HEAD, inner, Limits { client: SHORT, inner: IDLE });
        assert!(relayed.is_err(), "a relay to a client that reads nothing ended as if answered");
        assert!(started.elapsed() < Duration::from_secs(8), "it waited {:?}", started.elapsed());
    }
}
