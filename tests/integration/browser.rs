//! The reader's-site gates on the built example hub, run by the scripts in
//! `tests/browser/` (see its README): the Nu HTML Checker on every page, and
//! axe-core in headless Chromium on every page in the light and dark schemes.
//! They need Node.js, Java, Debian's Chromium and `npm ci`: `tests/setup`
//! installs what is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::driver::example_hub;

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Runs `node SCRIPT ARGS` in `tests/browser/`; panics with its findings
/// when it fails.
pub fn node(script: &str, args: &[&str]) -> String {
    let dir = browser_dir();
    assert!(
        dir.join("node_modules/playwright-core").is_dir(),
        "tests/browser/node_modules is missing: run tests/setup (it installs Chromium, Java and the npm packages)"
    );
    let out = Command::new("node")
        .arg(script)
        .args(args)
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node ({e}): install Node.js 20+, then run tests/setup"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "node {script} failed:\n{stdout}\n{stderr}");
    stdout.into_owned()
}

#[test]
fn example_hub_has_no_html_errors() {
    let hub = example_hub();
    node("html.mjs", &["--dir", &hub.public.display().to_string()]);
}

#[test]
fn example_hub_has_no_accessibility_violations_in_light_or_dark() {
    let hub = example_hub();
    let port = hub.port.to_string();
    let out = node("a11y.mjs", &["--dir", &hub.public.display().to_string(), "--port", &port]);
    assert!(out.contains(" 0 violation(s)"), "{out}");
}

#[test]
fn serve_reloads_an_open_page_and_shows_errors_over_it() {
    let site = crate::driver::Site::example();
    let server = crate::serve::Server::start(&site);
    node(
        "live-reload.mjs",
        &[
            "--url",
            &format!("http://127.0.0.1:{}", server.port),
            "--site",
            &site.root.display().to_string(),
            "--file",
            "content/explainers/red-teaming.md",
            "--page",
            "/explainers/red-teaming/",
        ],
    );
}
