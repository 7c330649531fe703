//! What a template reads, found by lexing its source.
//!
//! Tera 2 keeps its syntax tree private: of a template it tells only
//! `get_template_variables`, the top-level names that it, its parents and
//! what it includes use (`site`, `page`), not which of their fields. So
//! pamphlet lexes each template's code the way Tera does: code is what lies
//! in `{{ … }}` and `{% … %}` (with `-` trim marks); text, `{# … #}`
//! comments and `{% raw %}` blocks are skipped; strings are quoted with
//! `"`, `'` or `` ` `` and may escape with `\`. From the tokens of each tag
//! it takes, exactly:
//!
//! - **`site`**: `site.NAME`, `site?.NAME` and `site["NAME"]` read the field
//!   NAME. Any other use of the name `site` reads every field: passed on
//!   whole (`{% set s = site %}`, `{{ site | f }}`, `f(x=site)`), or
//!   subscripted by anything but one string (`site[name]`, `site["a" ~ b]`).
//! - **attributes**: the names read as a field of any value (`.NAME`,
//!   `?.NAME`, `["NAME"]`), and the strings given to an `attribute=` or
//!   `key=` argument (`sort(attribute="date")`, `get(key="title")`; a dotted
//!   path names each part). They tell which fields of the pages it lists a
//!   template may show, and which of [`crate::templates::context::PageOwn`]'s
//!   fields are worth building. Every field counts as read when a subscript
//!   is not one string, one number or a slice (`page["used_" ~ x]`,
//!   `p[field]`; `xs[1:n]` names no field), when
//!   `attribute=` or `key=` gets anything but one string, and when a map is
//!   walked (`for k, v in …`, the filters `values`, `pairs` and `unique`,
//!   `sort` without `attribute`).
//! - **lookups**: whether `get_page` or `get_section` is named in code.
//! - **what it builds on**: the templates named by `extends` and `include`
//!   (Tera takes only a string there), and whether it defines a component
//!   (whose body any template may call, reading the caller's variables: a
//!   live rebuild counts such a template as built on by every other).
//!
//! What it cannot see: a page used whole without naming a field (printed
//! as a map with `{{ p }}`, `str` or `join`, or compared with `==` or `in`)
//! reads no field by these rules, and a template lexed with other
//! delimiters than Tera's defaults (pamphlet sets none) would be misread.
//! Everything else errs on the side of reading more: a name in code that is
//! not an access at all (`{% set terms = 1 %}` names no field, but
//! `{{ x.terms }}` does) only makes a live rebuild render a little more.

use std::collections::BTreeSet;

/// Names read, or all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Names {
    All,
    Only(BTreeSet<String>),
}

impl Default for Names {
    fn default() -> Self {
        Names::Only(BTreeSet::new())
    }
}

impl Names {
    fn add(&mut self, name: &str) {
        if let Names::Only(names) = self {
            names.insert(name.to_string());
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        match self {
            Names::All => true,
            Names::Only(names) => names.contains(name),
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Names::Only(names) if names.is_empty())
    }

    /// Whether any of `names` is read.
    pub fn any<'n>(&self, mut names: impl Iterator<Item = &'n str>) -> bool {
        names.any(|n| self.contains(n))
    }

    pub fn extend(&mut self, other: &Names) {
        match other {
            Names::All => *self = Names::All,
            Names::Only(names) => names.iter().for_each(|n| self.add(n)),
        }
    }
}

/// What one template's own source reads (see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reads {
    /// Fields of `site`.
    pub site: Names,
    /// Names read as a field of any value.
    pub attributes: Names,
    /// Whether it calls `get_page` or `get_section`.
    pub lookups: bool,
    /// Templates named by `extends` and `include`.
    pub builds_on: Vec<String>,
    pub defines_components: bool,
}

impl Reads {
    pub fn of(source: &str) -> Reads {
        let mut reads = Reads::default();
        for tag in tags(source) {
            reads.tag(&tag);
        }
        reads
    }

    /// Adds what `other` reads (not what it builds on).
    pub fn add(&mut self, other: &Reads) {
        self.site.extend(&other.site);
        self.attributes.extend(&other.attributes);
        self.lookups |= other.lookups;
    }

    /// Reads the tokens of one `{{ … }}` or `{% … %}`.
    fn tag(&mut self, t: &[Token]) {
        match t {
            [Token::Ident("extends" | "include"), Token::Str(name), ..] => self.builds_on.push(name.clone()),
            [Token::Ident("component"), ..] => self.defines_components = true,
            [Token::Ident("for"), Token::Ident(_), Token::Punct(','), ..] => self.attributes = Names::All,
            _ => {}
        }
        for i in 0..t.len() {
            match &t[i] {
                Token::Ident("get_page" | "get_section") => self.lookups = true,
                Token::Ident("site") if !after_dot(t, i) && !is_argument_name(t, i) => self.site_root(t, i),
                Token::Ident("attribute" | "key") if is_argument_name(t, i) => match (t.get(i + 2), t.get(i + 3)) {
                    (Some(Token::Str(path)), Some(Token::Punct(',' | ')')) | None) => {
                        path.split('.').for_each(|part| self.attributes.add(part))
                    }
                    _ => self.attributes = Names::All,
                },
                Token::Punct('.') => {
                    if let Some(Token::Ident(name)) = t.get(i + 1) {
                        self.attributes.add(name);
                    }
                }
                Token::Punct('[') if is_subscript(t, i) => match subscript(t, i) {
                    Subscript::Name(name) => self.attributes.add(name),
                    Subscript::Index => {}
                    Subscript::Computed => self.attributes = Names::All,
                },
                Token::Punct('|') => self.filter(t, i + 1),
                _ => {}
            }
        }
    }

    /// `site` at token `i`, not an attribute of something else.
    fn site_root(&mut self, t: &[Token], i: usize) {
        let next = if matches!(t.get(i + 1), Some(Token::Punct('?'))) { i + 2 } else { i + 1 };
        match (t.get(next), t.get(next + 1)) {
            (Some(Token::Punct('.')), Some(Token::Ident(field))) => self.site.add(field),
            (Some(Token::Punct('[')), _) => match subscript(t, next) {
                Subscript::Name(field) => self.site.add(field),
                _ => self.site = Names::All,
            },
            _ => self.site = Names::All,
        }
    }

    /// The filter named at token `i` (after a `|`).
    fn filter(&mut self, t: &[Token], i: usize) {
        let walks_maps = match t.get(i) {
            Some(Token::Ident("values" | "pairs" | "unique")) => true,
            // Sorting maps without `attribute` compares them whole.
            Some(Token::Ident("sort")) => {
                let args = match t.get(i + 1) {
                    Some(Token::Punct('(')) => &t[i + 1..],
                    _ => &[],
                };
                !args.iter().take_while(|x| **x != Token::Punct(')')).any(|x| *x == Token::Ident("attribute"))
            }
            _ => false,
        };
        if walks_maps {
            self.attributes = Names::All;
        }
    }
}

/// A token of Tera's expression language.
#[derive(Debug, Clone, PartialEq)]
enum Token<'s> {
    Ident(&'s str),
    /// A string literal, unescaped.
    Str(String),
    Number,
    Punct(char),
}

/// What a subscript `[…]` holds.
enum Subscript<'t> {
    /// One string: a field by name.
    Name(&'t str),
    /// One number, or a slice (`[1:]`, `[:n]`): items of a list.
    Index,
    /// Anything else.
    Computed,
}

/// The subscript opening at token `open`.
fn subscript<'t>(t: &'t [Token], open: usize) -> Subscript<'t> {
    let (mut depth, mut end, mut slice) = (0usize, t.len(), false);
    for (j, token) in t.iter().enumerate().skip(open) {
        match token {
            Token::Punct('[' | '(' | '{') => depth += 1,
            Token::Punct(']' | ')' | '}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    end = j;
                    break;
                }
            }
            Token::Punct(':') if depth == 1 => slice = true,
            _ => {}
        }
    }
    match &t[(open + 1).min(end)..end] {
        [Token::Str(name)] => Subscript::Name(name),
        [Token::Number] | [Token::Punct('-'), Token::Number] => Subscript::Index,
        _ if slice => Subscript::Index,
        _ => Subscript::Computed,
    }
}

/// Whether the `[` at token `i` subscripts a value (rather than opening a list).
fn is_subscript(t: &[Token], i: usize) -> bool {
    const OPERATORS: [&str; 8] = ["in", "and", "or", "not", "is", "if", "else", "elif"];
    match i.checked_sub(1).map(|p| &t[p]) {
        Some(Token::Ident(word)) => !OPERATORS.contains(word),
        Some(Token::Str(_) | Token::Number | Token::Punct(')' | ']' | '?')) => true,
        _ => false,
    }
}

fn after_dot(t: &[Token], i: usize) -> bool {
    i > 0 && t[i - 1] == Token::Punct('.')
}

/// Whether the name at token `i` names a keyword argument (`f(name=…)`).
fn is_argument_name(t: &[Token], i: usize) -> bool {
    let before = i.checked_sub(1).map(|p| &t[p]);
    matches!(before, Some(Token::Punct('(' | ',')))
        && t.get(i + 1) == Some(&Token::Punct('='))
        && t.get(i + 2) != Some(&Token::Punct('='))
}

/// The tokens of every `{{ … }}` and `{% … %}` in `source`, in order.
fn tags(source: &str) -> Vec<Vec<Token<'_>>> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find('{') {
        let opened = rest.as_bytes().get(at + 1).copied();
        rest = &rest[at + 1..];
        match opened {
            Some(b'#') => rest = rest.find("#}").map_or("", |end| &rest[end + 2..]),
            Some(b'{') | Some(b'%') => {
                let close = if opened == Some(b'{') { "}}" } else { "%}" };
                let (tokens, after) = lex(&rest[1..], close);
                rest = after;
                if close == "%}" && tokens == [Token::Ident("raw")] {
                    rest = after_raw(rest);
                } else {
                    out.push(tokens);
                }
            }
            _ => {}
        }
    }
    out
}

/// What follows the `{% endraw %}` that closes a raw block.
fn after_raw(mut rest: &str) -> &str {
    while let Some(at) = rest.find("{%") {
        let (tokens, after) = lex(&rest[at + 2..], "%}");
        if tokens == [Token::Ident("endraw")] {
            return after;
        }
        rest = &rest[at + 2..];
    }
    ""
}

/// Lexes code up to `close` (or the end); returns its tokens and what follows `close`.
fn lex<'s>(code: &'s str, close: &str) -> (Vec<Token<'s>>, &'s str) {
    let mut tokens = Vec::new();
    let mut rest = code.strip_prefix('-').unwrap_or(code);
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return (tokens, rest);
        }
        if let Some(after) = rest.strip_prefix(close).or_else(|| rest.strip_prefix('-')?.strip_prefix(close)) {
            return (tokens, after);
        }
        let c = rest.chars().next().unwrap_or(' ');
        let len = match c {
            '"' | '\'' | '`' => {
                let (text, len) = string(rest, c);
                tokens.push(Token::Str(text));
                len
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
                tokens.push(Token::Ident(&rest[..len]));
                len
            }
            c if c.is_ascii_digit() => {
                tokens.push(Token::Number);
                number_len(rest)
            }
            c => {
                tokens.push(Token::Punct(c));
                c.len_utf8()
            }
        };
        rest = &rest[len..];
    }
}

/// The string literal opening `rest` with `quote`: its text, and its length in the source.
fn string(rest: &str, quote: char) -> (String, usize) {
    let mut text = String::new();
    let mut chars = rest.char_indices().skip(1);
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, 'n')) => text.push('\n'),
                Some((_, 't')) => text.push('\t'),
                Some((_, 'r')) => text.push('\r'),
                Some((_, escaped)) => text.push(escaped),
                None => break,
            },
            c if c == quote => return (text, at + 1),
            c => text.push(c),
        }
    }
    (text, rest.len())
}

/// The length of the number opening `rest`: digits, and a fraction.
fn number_len(rest: &str) -> usize {
    let digits = |s: &str| s.find(|c: char| !(c.is_ascii_digit() || c == '_')).unwrap_or(s.len());
    let whole = digits(rest);
    match rest[whole..].strip_prefix('.') {
        Some(fraction) if fraction.starts_with(|c: char| c.is_ascii_digit()) => whole + 1 + digits(fraction),
        _ => whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Names {
        Names::Only(list.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn reads_fields_of_site_and_of_pages() {
        let r = Reads::of("{% for t in site.terms %}{{ t.title }}{% endfor %}<p class=\"site-header\">");
        assert_eq!(r.site, names(&["terms"]));
        assert!(r.attributes.contains("title") && r.attributes.contains("terms") && !r.attributes.contains("slug"));
        assert!(!r.lookups);
        assert_eq!(Reads::of("{{ site?.tags | length }}{{ site['letters'] }}").site, names(&["letters", "tags"]));
        assert!(Reads::of("{{ get_page(path=\"a.md\").title }}").lookups);
    }

    #[test]
    fn site_passed_on_whole_reads_every_field() {
        for text in [
            "{% set s = site %}{{ s.terms }}",
            "{{ site | length }}",
            "{{ f(x=site) }}",
            "{% for k, v in site %}{% endfor %}",
            "{% if site %}x{% endif %}",
        ] {
            assert_eq!(Reads::of(text).site, Names::All, "{text}");
        }
        // A keyword argument named `site` is not the variable.
        assert_eq!(Reads::of("{{ f(site=1) }}").site, names(&[]));
    }

    #[test]
    fn dynamic_access_reads_everything() {
        assert_eq!(Reads::of("{{ site[name] }}").site, Names::All);
        assert_eq!(Reads::of("{{ site['a' ~ b].x }}").site, Names::All);
        assert_eq!(Reads::of("{{ site.upcoming_events[:3] }}").site, names(&["upcoming_events"]));
        for text in [
            "{{ page[\"used_\" ~ x] }}",
            "{% set f = 'terms_used' %}{{ page[f] }}",
            "{% for p in section.pages %}{{ p[field] }}{% endfor %}",
            "{{ pages | sort(attribute=key) }}",
            "{{ pages | sort(attribute='a' ~ b) }}",
            "{{ page | get(key=name) }}",
            "{% for k, v in page %}{{ v }}{% endfor %}",
            "{{ page | values | join(sep=',') }}",
            "{{ pages | sort }}",
            "{{ pages | unique }}",
        ] {
            assert_eq!(Reads::of(text).attributes, Names::All, "{text}");
        }
    }

    #[test]
    fn named_access_reads_just_those_names() {
        let r = Reads::of("{{ page['used_in'] }}{{ pages | sort(attribute=\"when.start_text\") | first }}");
        assert_eq!(r.attributes, names(&["start_text", "used_in", "when"]));
        assert_eq!(Reads::of("{{ page | get(key='backlinks') }}").attributes, names(&["backlinks"]));
        // Lists and indexes are not fields.
        let r = Reads::of("{% for x in ['a', 'b'] %}{{ xs[0] }}{{ xs[-1] }}{{ xs[1:n] }}{% endfor %}{% set y = [1] %}");
        assert_eq!(r.attributes, names(&[]));
        assert_eq!(Reads::of("{{ pages | sort(attribute='date') }}").attributes, names(&["date"]));
    }

    #[test]
    fn text_comments_strings_and_raw_blocks_are_not_code() {
        let text = "site.terms {# {{ site.tags }} #}{% raw %}{{ site.letters }}{% endraw %}\
                    {{ \"}} site.x\" }}{{- page.title -}}{%- if x -%}{% endif %}<a href='{{ site.catalog.path }}'>";
        let r = Reads::of(text);
        assert_eq!(r.site, names(&["catalog"]));
        assert_eq!(r.attributes, names(&["catalog", "path", "title"]));
    }

    #[test]
    fn finds_the_templates_a_template_builds_on() {
        let r =
            Reads::of("{% extends \"base.html\" %}{%- include 'partials/header.html' %}{% block x %}{% endblock %}");
        assert_eq!(r.builds_on, ["base.html", "partials/header.html"]);
        assert!(!r.defines_components);
        assert!(Reads::of("{% component Card(title) %}{{ title }}{% endcomponent %}").defines_components);
    }
}
