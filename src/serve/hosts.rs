//! Which `Host` names the preview answers to.
//!
//! A web page anywhere can point a DNS name it controls at this machine
//! (DNS rebinding); the browser then talks to the preview believing it is
//! that page's own server, and may read what it answers. Such a request
//! always carries the attacker's name as its Host, so the preview answers
//! only to names that are this machine's own: `localhost` (and names under
//! it), this machine's host name when it is bound beyond loopback, and the
//! names its user gave with `--allow-host`.
//!
//! An IP address in Host is never a name an attacker controls: a browser
//! sends one only when the page's URL holds that address, and then it
//! connects to that address itself. So bound beyond loopback, any address is
//! answered (this machine's interfaces, which change with Wi-Fi, VPNs and
//! containers, need no list); bound to loopback, only loopback addresses,
//! as a request for any other address cannot have come here by a browser.

use std::collections::BTreeSet;
use std::net::IpAddr;

/// The Host names one running preview answers to.
#[derive(Debug, Clone)]
pub struct Hosts {
    /// Bound beyond loopback: any IP address is answered.
    any_address: bool,
    /// Names answered besides `localhost`: lowercase, without a final dot.
    names: BTreeSet<String>,
}

impl Hosts {
    /// The names for a preview bound to `bind`, with the `--allow-host`
    /// names (checked by [`parse_allowed`]) added.
    pub fn new(bind: IpAddr, allowed: &[String]) -> Hosts {
        let mut names: BTreeSet<String> = allowed.iter().filter_map(|n| parse_allowed(n).ok()).collect();
        let any_address = !bind.is_loopback();
        if any_address {
            names.extend(machine_names());
        }
        Hosts { any_address, names }
    }

    /// Whether a Host header's value (a name or address, with or without a
    /// port) names this preview.
    pub fn allows(&self, host: &str) -> bool {
        let Some(name) = name_of(host) else { return false };
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        let bare = name.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return ip.is_loopback() || self.any_address;
        }
        self.names.contains(&name)
    }

    /// The names answered, for the warning printed when bound beyond loopback.
    pub fn describe(&self) -> String {
        let mut parts = vec!["localhost".to_string(), "IP addresses".to_string()];
        parts.extend(self.names.iter().cloned());
        parts.join(", ")
    }
}

/// The name in a Host value, lowercase and without its port or final dot;
/// an IPv6 address keeps its brackets. `None` when it is not a host at all.
pub fn name_of(host: &str) -> Option<String> {
    let name = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((inside, port)) if port.is_empty() || valid_port(port) => format!("[{inside}]"),
            _ => return None,
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) if valid_port(&format!(":{port}")) => name.to_string(),
            Some(_) => return None,
            None => host.to_string(),
        },
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let fits = |b: u8| b.is_ascii_alphanumeric() || b"-._:[]".contains(&b);
    (!name.is_empty() && name.bytes().all(fits)).then_some(name)
}

fn valid_port(text: &str) -> bool {
    text.strip_prefix(':').is_some_and(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Checks a `--allow-host` value: a host name alone, returned lowercase and
/// without a final dot. Addresses are refused: bound beyond loopback they
/// are answered anyway, and bound to loopback a browser never sends another.
pub fn parse_allowed(value: &str) -> Result<String, String> {
    let name = value.trim_end_matches('.').to_ascii_lowercase();
    if name.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().is_ok() {
        return Err(format!(
            "`{value}` is an address; serve answers to addresses without --allow-host when --bind is not loopback"
        ));
    }
    let label = |l: &str| !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if name.len() <= 253 && name.split('.').all(label) {
        Ok(name)
    } else {
        Err(format!("`{value}` is not a host name (give the name alone, like `preview.example` or `mylaptop.local`)"))
    }
}

/// This machine's host name as others may call it: the name itself, its
/// first label, and that label under `.local` (mDNS, as macOS and Avahi
/// answer). Read from the kernel on Linux, else from the `hostname`
/// command (on macOS, Windows and the BSDs alike); std has no call for it
/// and it is read once, at start.
fn machine_names() -> Vec<String> {
    let read = std::fs::read_to_string("/proc/sys/kernel/hostname").ok().or_else(|| {
        let out = std::process::Command::new("hostname").stderr(std::process::Stdio::null()).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    });
    let Some(name) = read.and_then(|n| parse_allowed(n.trim()).ok()) else {
        return Vec::new();
    };
    let first = name.split('.').next().unwrap_or(&name).to_string();
    let mut names = vec![format!("{first}.local"), first, name];
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn on_loopback() -> Hosts {
        Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), &[])
    }

    #[test]
    fn on_loopback_only_local_hosts() {
        let hosts = on_loopback();
        for ok in
            ["localhost", "localhost:1111", "127.0.0.1:1111", "[::1]:1111", "[::1]", "app.localhost", "LOCALHOST."]
        {
            assert!(hosts.allows(ok), "{ok}");
        }
        for bad in [
            "example.com",
            "evil.example:1111",
            "127.0.0.1.nip.io",
            "localhost.evil.com",
            "[::2]:80",
            "192.168.1.5",
            "",
            "a:b",
            "[::1]x",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
    }

    #[test]
    fn beyond_loopback_addresses_and_the_machine_but_not_every_name() {
        let hosts = Hosts::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), &[]);
        for ok in ["localhost:1111", "192.168.1.5:1111", "10.0.0.2", "[fe80::1]:1111", "127.0.0.1"] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for bad in ["evil.example", "evil.example:1111", "192.168.1.5.nip.io", "localhost.evil.com"] {
            assert!(!hosts.allows(bad), "{bad}");
        }
        for name in machine_names() {
            assert!(hosts.allows(&name) && hosts.allows(&format!("{name}:1111")), "{name}");
        }
    }

    #[test]
    fn allowed_names_are_answered_in_any_case_and_with_any_port() {
        let allowed = vec![parse_allowed("Preview.Example.").unwrap()];
        let hosts = Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), &allowed);
        for ok in ["preview.example", "PREVIEW.EXAMPLE:1111", "preview.example."] {
            assert!(hosts.allows(ok), "{ok}");
        }
        assert!(!hosts.allows("other.preview.example") && !hosts.allows("example"));
    }

    #[test]
    fn allow_host_takes_names_alone() {
        assert_eq!(parse_allowed("MyLaptop.local"), Ok("mylaptop.local".into()));
        for address in ["192.168.1.5", "[::1]", "::1"] {
            assert!(parse_allowed(address).unwrap_err().contains("is an address"), "{address}");
        }
        for bad in ["", "*", "preview.example:1111", "http://preview.example", "a..b", "a b", "pré.example"] {
            let err = parse_allowed(bad).unwrap_err();
            assert!(err.contains("not a host name"), "{bad}: {err}");
        }
    }
}
