//! The private way from the gate to tiny_http.
//!
//! tiny_http must hear only from the gate: the gate is what times
//! connections out and turns away requests tiny_http mishandles (see
//! `head`) or should not answer (a Host that is not this machine's). On a
//! TCP port, even on loopback, anything could skip the gate: a browser page
//! through DNS rebinding, or any user's process on the machine. So on Unix
//! tiny_http listens on a Unix socket instead, in a folder of its own made
//! with mode 0700 under the temporary folder: browsers cannot open Unix
//! sockets, other machines cannot reach one, and other users cannot enter
//! the folder. Processes of the same user can, but they can read the site
//! and this process's memory anyway. (A secret header the gate adds would
//! still let anyone reach tiny_http's parser and hold its threads; a check
//! of the peer's address cannot tell the gate's loopback sockets from
//! others'.) The folder is removed when serve stops.
//!
//! Elsewhere (Windows) std has no Unix sockets, and tiny_http stays on a
//! loopback port.

use std::io;

#[cfg(unix)]
pub use unix::{Door, Stream, open};

#[cfg(not(unix))]
pub use tcp::{Door, Stream, open};

/// The folder made for the socket, removed when dropped.
pub struct PrivateDir(Option<std::path::PathBuf>);

impl Drop for PrivateDir {
    fn drop(&mut self) {
        if let Some(dir) = &self.0 {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn server(listener: impl Into<tiny_http::Listener>) -> io::Result<tiny_http::Server> {
    tiny_http::Server::from_listener(listener, None).map_err(io::Error::other)
}

#[cfg(unix)]
mod unix {
    use std::io;
    use std::os::unix::fs::DirBuilderExt;
    use std::os::unix::net::UnixListener;
    use std::path::PathBuf;

    use super::PrivateDir;

    pub type Stream = std::os::unix::net::UnixStream;

    /// Where the gate connects to reach tiny_http.
    #[derive(Clone)]
    pub struct Door(PathBuf);

    impl Door {
        pub fn connect(&self) -> io::Result<Stream> {
            Stream::connect(&self.0)
        }
    }

    /// Starts tiny_http on a Unix socket in a new private folder.
    pub fn open() -> io::Result<(tiny_http::Server, Door, PrivateDir)> {
        let dir = private_dir()?;
        let guard = PrivateDir(Some(dir.clone()));
        let socket = dir.join("http.sock");
        let server = super::server(UnixListener::bind(&socket)?)?;
        Ok((server, Door(socket), guard))
    }

    /// A new folder only this user may enter. `create_dir` fails on any name
    /// already there (a link planted by someone else included), so a taken
    /// name is passed over, never reused.
    fn private_dir() -> io::Result<PathBuf> {
        let temp = std::env::temp_dir();
        // A socket's path is limited to about 100 bytes.
        let base = if temp.as_os_str().len() > 60 { PathBuf::from("/tmp") } else { temp };
        let stamp =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().subsec_nanos();
        let mut builder = std::fs::DirBuilder::new();
        builder.mode(0o700);
        for attempt in 0..100u32 {
            let dir = base.join(format!("pamphlet-serve-{}-{:x}", std::process::id(), stamp.wrapping_add(attempt)));
            match builder.create(&dir) {
                Ok(()) => return Ok(dir),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::new(io::ErrorKind::AlreadyExists, "no free name for serve's private folder"))
    }
}

#[cfg(not(unix))]
mod tcp {
    use std::io;
    use std::net::{Ipv4Addr, SocketAddr, TcpListener};

    use super::PrivateDir;

    pub type Stream = std::net::TcpStream;

    #[derive(Clone)]
    pub struct Door(SocketAddr);

    impl Door {
        pub fn connect(&self) -> io::Result<Stream> {
            Stream::connect(self.0)
        }
    }

    pub fn open() -> io::Result<(tiny_http::Server, Door, PrivateDir)> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let addr = listener.local_addr()?;
        Ok((super::server(listener)?, Door(addr), PrivateDir(None)))
    }
}
