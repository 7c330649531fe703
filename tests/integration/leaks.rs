//! What a reader must never get from a site built with `raw_html =
//! "escape"`, looked for in every file of a build.
//!
//! HTML is read the way a browser tokenises it (tags, attributes, entity
//! references in attribute values; comments and raw-text elements skipped),
//! so escaped text such as `&lt;img onerror=…&gt;` is not taken for a tag,
//! and a real tag is never missed for looking like text. A finding is:
//! a `<script>` that is not one of the theme's own (its two scripts by
//! exact `src`, and JSON-LD that parses as JSON); an `on…` event
//! attribute; a script URL in any attribute that browsers follow or load;
//! an element that embeds another document; XML that does not parse (feeds,
//! sitemap), JSON that does not parse (the search index), a calendar line
//! that is not a property (a line break let through); and theme scripts or
//! styles that differ from a clean build's.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use pamphlet::paths::script_scheme;

/// Attributes whose value a browser follows or loads as a URL.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "cite",
    "background",
    "data",
    "ping",
    "manifest",
    "lowsrc",
    "dynsrc",
    "codebase",
    "longdesc",
];

/// Elements that embed a document (and its scripts) or change where links go.
const EMBEDDING: &[&str] = &["iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"];

/// The theme's scripts, by their path under the site's `base_url`.
const THEME_SCRIPTS: &[&str] = &["/js/glossary.js", "/js/search.js"];

/// Every finding in `files`, a build of a site whose `base_url` is
/// `base_url` (`https://example.org/hub`), as `file: what`.
pub fn find(files: &HashMap<PathBuf, Vec<u8>>, base_url: &str) -> Vec<String> {
    scan(files, Some(base_url))
}

/// The findings that hold for any site, its HTML kept or not: XML, JSON and
/// calendars that do not parse, theme files that changed.
pub fn malformed(files: &HashMap<PathBuf, Vec<u8>>) -> Vec<String> {
    scan(files, None)
}

/// With `base_url`, everything; without, only what [`malformed`] looks for.
fn scan(files: &HashMap<PathBuf, Vec<u8>>, base_url: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    let mut paths: Vec<&PathBuf> = files.keys().collect();
    paths.sort();
    for path in paths {
        let name = path.display().to_string();
        let bytes = &files[path];
        let mut found = Vec::new();
        match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
            "html" | "htm" => {
                if let Some(base_url) = base_url {
                    html(&String::from_utf8_lossy(bytes), base_url, &mut found);
                }
            }
            "xml" => xml(&String::from_utf8_lossy(bytes), base_url, &mut found),
            "json" => json(bytes, &mut found),
            "ics" => calendar(&String::from_utf8_lossy(bytes), &mut found),
            "js" | "css" => theme_file(path, bytes, &mut found),
            _ => {}
        }
        out.extend(found.into_iter().map(|f| format!("{name}: {f}")));
    }
    out
}

/// Scans HTML text (a page, or the HTML a feed entry carries).
pub fn html(text: &str, base_url: &str, out: &mut Vec<String>) {
    for e in elements(text) {
        element(&e.name, &e.attrs, base_url, out);
        if e.name == "script" {
            script_body(&e.attrs, e.raw_text, out);
        }
    }
}

/// A start tag as a browser reads it: its name in lower case, its
/// attributes decoded, and for a raw-text element (`<script>`, `<style>` …)
/// the text up to its end tag.
pub struct Element<'t> {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub raw_text: &'t str,
}

/// Every start tag of `text`, comments and end tags skipped.
pub fn elements(text: &str) -> Vec<Element<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        if rest.starts_with(['!', '?']) {
            rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
            continue;
        }
        let closing = rest.starts_with('/');
        let tag = if closing { &rest[1..] } else { rest };
        if !tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let name_len = tag.find(|c: char| is_space(c) || c == '/' || c == '>').unwrap_or(tag.len());
        let name = tag[..name_len].to_ascii_lowercase();
        let (attrs, after) = attributes(&tag[name_len..]);
        rest = after;
        if closing {
            continue;
        }
        let mut raw_text = "";
        if matches!(name.as_str(), "script" | "style" | "textarea" | "title" | "xmp" | "noembed" | "noframes") {
            let end = find_ascii_ci(rest, &format!("</{name}")).unwrap_or(rest.len());
            raw_text = &rest[..end];
            rest = &rest[end..];
        }
        out.push(Element { name, attrs, raw_text });
    }
    out
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(needle)
}

/// The attributes of a tag after its name, decoded, and the text after the tag.
fn attributes(mut s: &str) -> (Vec<(String, String)>, &str) {
    let mut attrs = Vec::new();
    loop {
        s = s.trim_start_matches(|c| is_space(c) || c == '/');
        let Some(first) = s.chars().next() else { return (attrs, s) };
        if first == '>' {
            return (attrs, &s[1..]);
        }
        let n = s[first.len_utf8()..]
            .find(|c: char| is_space(c) || matches!(c, '/' | '>' | '='))
            .map_or(s.len(), |i| i + first.len_utf8());
        let name = s[..n].to_ascii_lowercase();
        s = s[n..].trim_start_matches(is_space);
        let mut value = "";
        if let Some(after) = s.strip_prefix('=') {
            s = after.trim_start_matches(is_space);
            let (v, rest) = match s.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &s[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = s.find(|c: char| is_space(c) || c == '>').unwrap_or(s.len());
                    (&s[..end], &s[end..])
                }
            };
            value = v;
            s = rest;
        }
        attrs.push((name, decode(value)));
    }
}

/// An attribute value with its character references decoded (the numeric
/// ones, and the named ones that could spell a scheme).
fn decode(value: &str) -> String {
    const NAMED: &[(&str, char)] = &[
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("apos", '\''),
        ("colon", ':'),
        ("tab", '\t'),
        ("newline", '\n'),
        ("lpar", '('),
        ("rpar", ')'),
    ];
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        let end = rest.find(|c: char| !c.is_ascii_alphanumeric() && c != '#').unwrap_or(rest.len());
        let entity = &rest[..end];
        let number = match entity.strip_prefix('#') {
            Some(hex) if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16).ok(),
            Some(dec) => dec.parse().ok(),
            None => None,
        };
        let named = NAMED.iter().find(|(n, _)| n.eq_ignore_ascii_case(entity)).map(|(_, c)| *c);
        match number.and_then(char::from_u32).or(named) {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

fn element(name: &str, attrs: &[(String, String)], base_url: &str, out: &mut Vec<String>) {
    if EMBEDDING.contains(&name) {
        out.push(format!("<{name}> element"));
    }
    if name == "script" && !theme_script(attrs, base_url) {
        out.push(format!("<script> not the theme's: {attrs:?}"));
    }
    for (attr, value) in attrs {
        if attr.starts_with("on") {
            out.push(format!("event attribute {attr}={value:?} on <{name}>"));
        }
        if attr == "srcdoc" || (attr == "style" && value.to_ascii_lowercase().contains("expression(")) {
            out.push(format!("{attr}={value:?} on <{name}>"));
        }
        let urls: Vec<&str> = match attr.as_str() {
            "srcset" => value.split(',').filter_map(|c| c.split_whitespace().next()).collect(),
            "content" if attrs.iter().any(|(a, v)| a == "http-equiv" && v.eq_ignore_ascii_case("refresh")) => {
                value.split_once('=').map(|(_, url)| url).into_iter().collect()
            }
            a if URL_ATTRIBUTES.contains(&a) => vec![value.as_str()],
            _ => vec![],
        };
        let image = name == "img" && (attr == "src" || attr == "srcset");
        for url in urls {
            if let Some(scheme) = script_scheme(url, image) {
                out.push(format!("{scheme}: URL in {attr}={value:?} on <{name}>"));
            }
        }
    }
}

/// One of the theme's own script tags, exactly as the theme writes it.
fn theme_script(attrs: &[(String, String)], base_url: &str) -> bool {
    match attrs {
        [(src, path), (defer, empty)] if src == "src" && defer == "defer" && empty.is_empty() => {
            THEME_SCRIPTS.iter().any(|s| *path == format!("{base_url}{s}"))
        }
        [(kind, value)] => kind == "type" && value == "application/ld+json",
        _ => false,
    }
}

/// A JSON-LD block must be JSON from start to end: nothing broke out of it.
fn script_body(attrs: &[(String, String)], body: &str, out: &mut Vec<String>) {
    if !matches!(attrs, [(kind, value)] if kind == "type" && value == "application/ld+json") {
        return;
    }
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(value) => json_urls(&value, out),
        Err(e) => out.push(format!("JSON-LD does not parse ({e}): {body:?}")),
    }
}

fn xml(text: &str, base_url: Option<&str>, out: &mut Vec<String>) {
    let doc = match roxmltree::Document::parse(text) {
        Ok(doc) => doc,
        Err(e) => return out.push(format!("XML does not parse: {e}")),
    };
    for node in doc.descendants().filter(|n| n.is_element()) {
        for attr in node.attributes() {
            if attr.name() == "href" || attr.name() == "src" {
                url_text("XML attribute", attr.value(), out);
            }
        }
        let tag = node.tag_name().name();
        let text: String = node.children().filter_map(|c| c.text()).collect();
        if matches!(tag, "loc" | "id" | "uri" | "icon" | "logo") {
            url_text(tag, text.trim(), out);
        }
        if let Some(base_url) = base_url
            && matches!(node.attribute("type"), Some("html" | "xhtml"))
        {
            html(&text, base_url, out);
        }
    }
}

fn url_text(what: &str, url: &str, out: &mut Vec<String>) {
    if let Some(scheme) = script_scheme(url, false) {
        out.push(format!("{scheme}: URL in {what}: {url:?}"));
    }
}

fn json(bytes: &[u8], out: &mut Vec<String>) {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(value) => json_urls(&value, out),
        Err(e) => out.push(format!("JSON does not parse: {e}")),
    }
}

/// Every string under a key that names a link (`url`, `path`, `href`, `@id`…).
fn json_urls(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                let linky = matches!(key.as_str(), "url" | "path" | "href" | "@id" | "sameAs" | "image" | "permalink");
                match v {
                    serde_json::Value::String(s) if linky => url_text(key, s, out),
                    other => json_urls(other, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| json_urls(v, out)),
        _ => {}
    }
}

/// An `.ics` file: CRLF lines, each (once unfolded) a property, so no
/// author's line break could start a property of its own.
fn calendar(text: &str, out: &mut Vec<String>) {
    if text.replace("\r\n", "").contains(['\n', '\r']) {
        out.push("a line break that is not CRLF".into());
    }
    for line in text.replace("\r\n ", "").split("\r\n").filter(|l| !l.is_empty()) {
        let name_end = line.find([':', ';']).unwrap_or(0);
        let name = &line[..name_end];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-') {
            out.push(format!("not a property: {line:?}"));
        }
        if name == "URL" || name == "ATTACH" {
            url_text(name, line.split_once(':').map_or("", |(_, v)| v), out);
        }
    }
}

/// The theme's scripts and styles, as a clean build of the minimal site has them.
fn theme_file(path: &Path, bytes: &[u8], out: &mut Vec<String>) {
    static CLEAN: OnceLock<HashMap<PathBuf, Vec<u8>>> = OnceLock::new();
    let clean = CLEAN.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/minimal");
        let (report, files) = build_in_memory(&root);
        assert!(!report.has_errors(), "{:?}", report.diagnostics);
        files
    });
    if clean.get(path).map(Vec::as_slice) != Some(bytes) {
        out.push("differs from the theme's file".into());
    }
}

/// Builds the site at `root` into memory, as of 2026-11-28.
pub fn build_in_memory(root: &Path) -> (pamphlet::render::Report, HashMap<PathBuf, Vec<u8>>) {
    let options = pamphlet::render::BuildOptions {
        today: Some(jiff::civil::date(2026, 11, 28)),
        ..pamphlet::render::BuildOptions::default()
    };
    let sink = pamphlet::output::MemorySink::default();
    let report = pamphlet::render::run(root, &options, &sink);
    (report, sink.into_files())
}
