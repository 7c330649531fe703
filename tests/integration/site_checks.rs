//! Checks on the built example hub that need no browser: every internal link
//! and anchor resolves, and every page stays within its CSS and JS budgets.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::driver::{Hub, example_hub};

/// Per page, before compression (DESIGN.md: small pages).
const CSS_BUDGET: usize = 40 * 1024;
const JS_BUDGET: usize = 20 * 1024;

/// Every `.html` file under `dir`, sorted.
pub fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(html_files(&path));
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The values of `name="…"` attributes in `html`, entities for `&` undone.
fn attributes(html: &str, name: &str) -> Vec<String> {
    let needle = format!("{name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        let preceded_by_space = rest[..at].ends_with(|c: char| c.is_ascii_whitespace());
        rest = &rest[at + needle.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        if preceded_by_space {
            out.push(rest[..end].replace("&amp;", "&").replace("&#x2F;", "/"));
        }
        rest = &rest[end..];
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The file a site URL path is served from, as a static host finds it.
fn served_file(public: &Path, path: &str) -> Option<PathBuf> {
    let rel = percent_decode(path);
    let mut parts: Vec<&str> = Vec::new();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let file = parts.iter().fold(public.to_path_buf(), |f, p| f.join(p));
    if rel.ends_with('/') {
        let index = file.join("index.html");
        return index.is_file().then_some(index);
    }
    file.is_file().then_some(file)
}

/// The URL path a link points to on this site, or `None` for other sites.
fn site_path(hub: &Hub, page_dir: &str, link: &str) -> Option<String> {
    let base = hub.base_url();
    if let Some(rest) = link.strip_prefix(&base) {
        return Some(if rest.is_empty() { "/".into() } else { rest.to_string() });
    }
    if link.starts_with("//") || link.contains(':') && !link.starts_with('/') && !link.starts_with('#') {
        let scheme_end = link.find(':').unwrap_or(0);
        if link[..scheme_end].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) {
            return None;
        }
    }
    if link.starts_with('/') {
        return Some(link.to_string());
    }
    if let Some(fragment) = link.strip_prefix('#') {
        return Some(format!("{page_dir}#{fragment}"));
    }
    Some(format!("{page_dir}{link}"))
}

#[test]
fn example_hub_has_no_broken_internal_links_or_anchors() {
    let hub = example_hub();
    let files = html_files(&hub.public);
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let mut texts: Vec<(PathBuf, String)> = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        ids.insert(file.clone(), attributes(&text, "id").into_iter().chain(attributes(&text, "name")).collect());
        texts.push((file.clone(), text));
    }
    let mut broken = Vec::new();
    let mut checked = 0;
    for (file, text) in &texts {
        let rel = file.strip_prefix(&hub.public).unwrap().to_string_lossy().replace('\\', "/");
        let page = format!("/{rel}");
        let page_dir = &page[..=page.rfind('/').unwrap()];
        for link in attributes(text, "href").into_iter().chain(attributes(text, "src")) {
            let Some(target) = site_path(hub, page_dir, &link) else { continue };
            checked += 1;
            let (path, fragment) = match target.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (target.clone(), None),
            };
            let path = path.split('?').next().unwrap_or("").to_string();
            let path = if path.is_empty() { page.clone() } else { path };
            let Some(served) = served_file(&hub.public, &path) else {
                broken.push(format!("{page}: {link}: no such page or file"));
                continue;
            };
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let known = ids.get(&served).is_some_and(|set| set.contains(&percent_decode(&fragment)));
                if !known {
                    broken.push(format!("{page}: {link}: no element with id \"{fragment}\""));
                }
            }
        }
    }
    assert!(files.len() > 50, "only {} pages built", files.len());
    assert!(checked > 1000, "only {checked} links checked");
    assert!(broken.is_empty(), "{} broken link(s) in the example hub:\n{}", broken.len(), broken.join("\n"));
}

/// The size of what a page loads of one kind: linked files plus inline text.
fn loaded(hub: &Hub, html: &str, tag: &str, attr: &str, is_wanted: impl Fn(&str) -> bool) -> usize {
    let mut total = 0;
    let open = format!("<{tag}");
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        rest = &rest[at + open.len()..];
        if !rest.starts_with(|c: char| c.is_ascii_whitespace() || c == '>') {
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len());
        let tag_text = &rest[..end];
        if !is_wanted(tag_text) {
            continue;
        }
        if let Some(link) = attributes(&format!(" {tag_text}"), attr).into_iter().next() {
            let path = site_path(hub, "/", &link).unwrap_or_else(|| panic!("a page loads {link} from another site"));
            let file = served_file(&hub.public, &path).unwrap_or_else(|| panic!("{link} is missing"));
            total += std::fs::metadata(file).unwrap().len() as usize;
        } else if tag != "link" {
            let close = format!("</{tag}>");
            total += rest[end..].find(&close).map_or(0, |n| n.saturating_sub(1));
        }
    }
    total
}

#[test]
fn every_page_of_the_example_hub_stays_within_its_css_and_js_budgets() {
    let hub = example_hub();
    let mut over = Vec::new();
    for file in html_files(&hub.public) {
        let html = std::fs::read_to_string(&file).unwrap();
        let page = file.strip_prefix(&hub.public).unwrap().display().to_string();
        let css = loaded(hub, &html, "link", "href", |t| t.contains("rel=\"stylesheet\""))
            + loaded(hub, &html, "style", "src", |_| true);
        let js = loaded(hub, &html, "script", "src", |t| !t.contains("application/ld+json"));
        if css > CSS_BUDGET {
            over.push(format!("{page}: {css} bytes of CSS (budget {CSS_BUDGET})"));
        }
        if js > JS_BUDGET {
            over.push(format!("{page}: {js} bytes of JavaScript (budget {JS_BUDGET})"));
        }
    }
    assert!(over.is_empty(), "pages over budget:\n{}", over.join("\n"));
}
