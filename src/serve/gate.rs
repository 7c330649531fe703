//! The gate in front of tiny_http: it accepts connections, gives each a
//! timeout, caps how many are open, and hands a connection on only once its
//! request head has arrived whole.
//!
//! tiny_http has no connection timeouts, and it gives each connection a
//! thread from a pool that, under a burst of connections, can queue a new
//! one behind others until they finish. A client that connects and sends
//! nothing, or sends a request a byte at a time, would then hold page
//! requests up. Behind the gate, tiny_http only ever sees complete requests
//! on loopback, which it answers at once.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long a client has to send its request head, and may stall a read or write.
const IDLE: Duration = Duration::from_secs(10);
/// Connections open at once; more are answered 503 and closed.
const MAX_OPEN: usize = 512;
/// A request head larger than this is refused (431).
const MAX_HEAD: usize = 16 * 1024;

/// Accepts on `public` and passes each request on to `inner` (tiny_http).
pub fn open(public: TcpListener, inner: SocketAddr) {
    let open = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for client in public.incoming() {
            let Ok(client) = client else {
                // Out of file descriptors, say: wait rather than spin.
                std::thread::sleep(Duration::from_millis(20));
                continue;
            };
            if open.fetch_add(1, Ordering::SeqCst) >= MAX_OPEN {
                open.fetch_sub(1, Ordering::SeqCst);
                refuse(client, "503 Service Unavailable");
                continue;
            }
            let open = Arc::clone(&open);
            std::thread::spawn(move || {
                let _ = pass(client, inner);
                open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
}

fn refuse(mut client: TcpStream, status: &str) {
    let _ = client.set_write_timeout(Some(Duration::from_secs(1)));
    // One write: `write!` would send each piece of the format on its own.
    let answer = format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let _ = client.write_all(answer.as_bytes());
}

/// Reads the request head, then relays the request to tiny_http and its
/// answer back, until either side is done.
fn pass(mut client: TcpStream, inner: SocketAddr) -> std::io::Result<()> {
    client.set_write_timeout(Some(IDLE))?;
    let head = match read_head(&mut client) {
        Ok(head) => head,
        Err(Head::TooLarge) => {
            refuse(client, "431 Request Header Fields Too Large");
            return Ok(());
        }
        Err(Head::TimedOut) => {
            refuse(client, "408 Request Timeout");
            return Ok(());
        }
        Err(Head::Closed) => return Ok(()),
    };
    let mut server = TcpStream::connect(inner)?;
    server.write_all(&head)?;
    // Requests here are GET and HEAD: nothing follows the head. Closing
    // this direction tells tiny_http no second request is coming.
    server.shutdown(Shutdown::Write)?;
    std::io::copy(&mut server, &mut client)?;
    let _ = client.shutdown(Shutdown::Both);
    Ok(())
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
