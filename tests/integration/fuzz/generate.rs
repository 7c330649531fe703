//! Random sites for the fuzz test, from a seed.
//!
//! A site is made of fragments an author, or an attacker, could write (see
//! `fragments`): hostile strings, script URLs in every disguise, raw HTML,
//! heading attributes, footnotes, tables, callouts, glossary words, template
//! syntax, Unicode and control characters, dates and numbers at TOML's
//! edges, paths that climb out of the site. Each is put where it belongs
//! (front matter keys by kind, site.toml tables) and, now and then, where it
//! does not; then some files are mutated byte by byte (bytes inserted,
//! dropped, repeated, cut), which breaks TOML, UTF-8 and Markdown in ways no
//! list of cases would think of. Fragments from the fixed corpus
//! (`tests/fuzz-corpus/`) are mixed in, mutated, as seeds of their own.

use super::fragments::{DATES, MARKDOWN, NUMBERS, PATHS, STRINGS, TIMEZONES, URLS};

/// splitmix64: small, fast, and the same sequence for a seed on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// What the built site must never show: it is written only outside the site.
pub const SECRET: &str = "PAMPHLET-FUZZ-SECRET-7f3a";

/// Front-matter keys, each with how it is filled.
type Keys = &'static [(&'static str, Value)];

/// Per kind: its section folder, its keys, and how each is filled.
const KINDS: &[(&str, &str, Keys)] = &[
    ("page", "", &[]),
    (
        "explainer",
        "explainers",
        &[
            ("summary", Value::Str),
            ("takeaways", Value::Strs),
            ("audience", Value::Strs),
            ("reviewed", Value::Date),
            ("review_due", Value::Date),
            ("changes", Value::Changes),
            ("further_reading", Value::Reading),
        ],
    ),
    (
        "term",
        "glossary",
        &[
            ("short", Value::Str),
            ("synonyms", Value::Strs),
            ("related", Value::Slugs),
            ("definitions", Value::Definitions),
        ],
    ),
    (
        "event",
        "events",
        &[
            ("start", Value::Date),
            ("end", Value::Date),
            ("timezone", Value::Zone),
            ("location", Value::Str),
            ("online", Value::Url),
            ("register", Value::Url),
            ("organizer", Value::Str),
            ("status", Value::Word(&["scheduled", "cancelled", "postponed", "canceled"])),
        ],
    ),
    (
        "tool",
        "tools",
        &[
            ("url", Value::Url),
            ("license", Value::Str),
            ("maintainer", Value::Str),
            ("category", Value::Str),
            ("status", Value::Word(&["approved", "under-review", "retired", "approve"])),
            ("reviewed", Value::Date),
        ],
    ),
];

/// Keys every page takes.
const COMMON: &[(&str, Value)] = &[
    ("description", Value::Str),
    ("date", Value::Date),
    ("updated", Value::Date),
    ("draft", Value::Raw(&["true", "false"])),
    ("slug", Value::Path),
    ("weight", Value::Number),
    ("template", Value::Word(&["page.html", "../../../etc/passwd", "nope.html"])),
    ("tags", Value::Strs),
    ("redirect_from", Value::Paths),
    ("kind", Value::Word(&["page", "explainer", "term", "event", "tool", "bogus"])),
    ("titel", Value::Str),
];

#[derive(Clone, Copy)]
enum Value {
    Str,
    Strs,
    Date,
    Number,
    Url,
    Zone,
    Path,
    Paths,
    Slugs,
    Changes,
    Reading,
    Definitions,
    /// One of these words, as a TOML string.
    Word(&'static [&'static str]),
    /// One of these, written as they are (already TOML).
    Raw(&'static [&'static str]),
}

/// A TOML basic string holding `text`.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Rng {
    fn string(&mut self) -> String {
        let mut s = self.pick(STRINGS).to_string();
        if self.chance(10) {
            s = s.repeat(1 + self.below(300));
        }
        quote(&s)
    }

    fn list(&mut self, item: impl Fn(&mut Rng) -> String) -> String {
        let items: Vec<String> = (0..self.below(4)).map(|_| item(self)).collect();
        format!("[{}]", items.join(", "))
    }

    fn value(&mut self, value: Value) -> String {
        match value {
            Value::Str => self.string(),
            Value::Strs => self.list(Rng::string),
            Value::Date => self.pick(DATES).to_string(),
            Value::Number => self.pick(NUMBERS).to_string(),
            Value::Url => quote(self.pick(URLS)),
            Value::Zone => quote(self.pick(TIMEZONES)),
            Value::Path => quote(self.pick(PATHS)),
            Value::Paths => self.list(|r| quote(r.pick(PATHS))),
            Value::Slugs => self.list(|r| quote(r.pick(&["widget", "nope", "", "../x"]))),
            Value::Changes => self.list(|r| format!("{{ date = {}, note = {} }}", r.pick(DATES), r.string())),
            Value::Reading => self.list(|r| format!("{{ title = {}, url = {} }}", r.string(), quote(r.pick(URLS)))),
            Value::Definitions => self.list(|r| {
                let (text, source, url, place) = (r.string(), r.string(), quote(r.pick(URLS)), r.string());
                format!("{{ text = {text}, source = {source}, url = {url}, jurisdiction = {place} }}")
            }),
            Value::Word(items) => quote(self.pick(items)),
            Value::Raw(items) => self.pick(items).to_string(),
        }
    }

    /// A body of Markdown fragments.
    pub fn markdown(&mut self) -> String {
        let mut body = String::new();
        for _ in 0..self.below(12) {
            body.push_str(self.pick(MARKDOWN));
            body.push_str(self.pick(&["\n\n", "\n", " ", "\r\n\r\n", ""]));
        }
        body
    }

    /// A page of `kind` (an index into `KINDS`): front matter and body.
    pub fn page(&mut self, kind: usize, title: &str) -> String {
        let mut front = String::new();
        if self.chance(95) {
            front.push_str(&format!("title = {}\n", if self.chance(50) { quote(title) } else { self.string() }));
        }
        let (_, _, own) = KINDS[kind];
        for (key, value) in own.iter().chain(COMMON.iter()) {
            let wanted = if COMMON.iter().any(|(k, _)| k == key) { 15 } else { 60 };
            if self.chance(wanted) {
                front.push_str(&format!("{key} = {}\n", self.value(*value)));
            }
        }
        if self.chance(10) {
            front.push_str(&format!("\n[extra]\nnote = {}\n", self.string()));
        }
        format!("+++\n{front}+++\n{}", self.markdown())
    }

    /// A section's `_index.md` for `kind`.
    pub fn section(&mut self, kind: usize) -> String {
        let mut front = format!("title = {}\n", self.string());
        if kind > 0 {
            front.push_str(&format!("kind = \"{}\"\n", KINDS[kind].0));
        }
        if self.chance(30) {
            front
                .push_str(&format!("sort_by = {}\n", quote(self.pick(&["date", "title", "weight", "start", "bogus"]))));
        }
        if self.chance(30) {
            front.push_str(&format!("paginate_by = {}\n", self.pick(NUMBERS)));
        }
        format!("+++\n{front}+++\n{}", self.markdown())
    }

    /// One of `tame`, or in a `wild` config one of `tame` and `wild_too`.
    fn either(&mut self, wild: bool, tame: &[&'static str], wild_too: &[&'static str]) -> &'static str {
        if wild && self.chance(50) { self.pick(wild_too) } else { self.pick(tame) }
    }

    /// `site.toml`, asking for escaped HTML most of the time. Most configs
    /// are sound, so that their content is built and checked; a wild one
    /// (one in five) has bad values, unknown keys and a theme out of the site.
    pub fn config(&mut self) -> String {
        let wild = self.chance(20);
        let base = self.either(
            wild,
            &[
                "https://example.org",
                "https://example.org/hub/",
                "http://127.0.0.1:1111",
                "https://example.org/a\"b<c>",
            ],
            &["javascript:alert(1)", "example.org", "https://exa mple.org"],
        );
        let mut text = format!("title = {}\nbase_url = {}\n", self.string(), quote(base));
        for (key, value) in [
            ("description", self.string()),
            ("license", self.string()),
            ("language", quote(self.either(wild, &["en", "fr-BE"], &["../x", ""]))),
            ("timezone", quote(self.either(wild, &["UTC", "Europe/Brussels", "Asia/Kolkata"], TIMEZONES))),
            ("theme", quote(self.either(wild, &["default"], &["../../outside/theme", "..", "nope"]))),
            ("unknown_key", self.string()),
        ] {
            let wanted = match key {
                "theme" | "unknown_key" if !wild => 0,
                _ => 40,
            };
            if self.chance(wanted) {
                text.push_str(&format!("{key} = {value}\n"));
            }
        }
        let raw_html = if self.chance(85) { "escape" } else { "keep" };
        let mut tables = std::collections::BTreeMap::from([("markdown", format!("raw_html = \"{raw_html}\"\n"))]);
        let number = |r: &mut Rng| r.either(wild, &["0", "1", "2", "65"], NUMBERS).to_string();
        for (table, key, value) in [
            ("markdown", "smart_punctuation", self.value(Value::Raw(&["true", "false"]))),
            ("markdown", "highlight", self.value(Value::Raw(&["true", "false"]))),
            ("glossary", "link", quote(self.either(wild, &["first", "every", "off"], &["all"]))),
            ("checks", "title_max", number(self)),
            ("checks", "warnings_are_errors", self.value(Value::Raw(&["true", "false"]))),
            ("catalog", "categories", self.value(Value::Strs)),
            ("feed", "limit", number(self)),
            ("search", "enabled", self.value(Value::Raw(&["true", "false"]))),
            ("extra", "motto", self.string()),
        ] {
            if self.chance(30) {
                tables.entry(table).or_default().push_str(&format!("{key} = {value}\n"));
            }
        }
        for (table, keys) in tables {
            text.push_str(&format!("\n[{table}]\n{keys}"));
        }
        text
    }

    /// `bytes` with a few random edits: insertions of fragments or odd
    /// bytes, deletions, repeats, a cut.
    pub fn mutate(&mut self, mut bytes: Vec<u8>) -> Vec<u8> {
        for _ in 0..1 + self.below(3) {
            let at = self.below(bytes.len() + 1);
            let len = self.below(16).min(bytes.len() - at);
            match self.below(5) {
                0 => {
                    let piece = self.pick(MARKDOWN).as_bytes().to_vec();
                    bytes.splice(at..at, piece);
                }
                1 => {
                    bytes.drain(at..at + len);
                }
                2 => {
                    let piece = bytes[at..at + len].to_vec();
                    bytes.splice(at..at, piece);
                }
                3 => {
                    let odd: &[&[u8]] =
                        &[b"\0", b"\r", b"\xEF\xBB\xBF", b"\xFF", b"\xE2\x80\xA8", b"\"", b"+++", b"\n[x]\n"];
                    bytes.splice(at..at, self.pick(odd).to_vec());
                }
                _ => bytes.truncate(at),
            }
        }
        bytes
    }
}

/// The kinds, for callers: (kind name, section folder).
pub fn kinds() -> impl Iterator<Item = (usize, &'static str, &'static str)> {
    KINDS.iter().enumerate().map(|(i, (name, dir, _))| (i, *name, *dir))
}
