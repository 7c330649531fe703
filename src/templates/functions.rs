//! Filters and functions pamphlet adds to Tera: `date`, `bibtex`, `get_url`,
//! `get_page` and `get_section`.

use std::collections::HashMap;
use std::sync::{Arc, RwLock, RwLockReadGuard};

use serde::Serialize;
use tera::{Error, Kwargs, State, Tera, Value};

use super::context::{PageValue, SectionValue};

/// What the lookup functions can find: serialized pages and sections by
/// source path, and URLs by source path.
#[derive(Default)]
pub struct Lookup {
    pub pages: HashMap<String, PageValue>,
    pub sections: HashMap<String, SectionValue>,
    pub permalinks: HashMap<String, String>,
    /// Unset only before the first build fills the lookup in.
    pub base_url: Option<crate::paths::BaseUrl>,
}

pub fn register_filters(tera: &mut Tera) {
    tera.register_filter("date", date);
    tera.register_filter("bibtex", bibtex);
}

/// Where the lookup functions find their data. Templates are compiled before
/// content is rendered, so the data is filled in once it exists (and, in
/// `serve`, brought up to date after each edit).
pub type LookupSlot = Arc<RwLock<Lookup>>;

fn filled(slot: &LookupSlot) -> RwLockReadGuard<'_, Lookup> {
    slot.read().unwrap_or_else(|e| e.into_inner())
}

pub fn register_lookup(tera: &mut Tera, slot: &LookupSlot) {
    let l = slot.clone();
    tera.register_function("get_url", move |kwargs: Kwargs, _: &State| get_url(&filled(&l), kwargs));
    let l = slot.clone();
    tera.register_function("get_page", move |kwargs: Kwargs, _: &State| {
        find(&filled(&l).pages, kwargs, "page", "get_page(path=\"explainers/open-weights.md\")")
    });
    let l = slot.clone();
    tera.register_function("get_section", move |kwargs: Kwargs, _: &State| {
        find(&filled(&l).sections, kwargs, "section", "get_section(path=\"explainers/_index.md\")")
    });
}

fn source_key(path: &str) -> &str {
    path.trim_start_matches("@/").trim_start_matches('/')
}

fn find<T: Serialize>(map: &HashMap<String, T>, kwargs: Kwargs, what: &str, example: &str) -> Result<Value, Error> {
    let path: String = kwargs.must_get("path")?;
    map.get(source_key(&path)).map(Value::from_serializable).ok_or_else(|| {
        Error::message(format!("no {what} at `{path}` (paths are relative to content/, as in {example})"))
    })
}

/// `get_url(path="@/explainers/x.md")` for a page or section;
/// `get_url(path="css/site.css")` for a file of the site.
fn get_url(lookup: &Lookup, kwargs: Kwargs) -> Result<String, Error> {
    let path: String = kwargs.must_get("path")?;
    if let Some(rest) = path.strip_prefix("@/") {
        let (page, anchor) = rest.split_once('#').map_or((rest, None), |(p, a)| (p, Some(a)));
        let url = lookup
            .permalinks
            .get(source_key(page))
            .ok_or_else(|| Error::message(format!("get_url: no page or section at `{path}`")))?;
        return Ok(match anchor {
            Some(a) => format!("{url}#{a}"),
            None => url.clone(),
        });
    }
    let root_relative = format!("/{}", path.trim_start_matches('/'));
    Ok(lookup.base_url.as_ref().map_or(root_relative.clone(), |b| b.absolute(&root_relative)))
}

/// `{{ page.date | date(format="%-d %B %Y") }}` on `YYYY-MM-DD` or
/// `YYYY-MM-DDTHH:MM[:SS]` text. The default format is "3 March 2026".
fn date(value: &str, kwargs: Kwargs, _: &State) -> Result<String, Error> {
    let format: String = kwargs.get("format")?.unwrap_or_else(|| "%-d %B %Y".to_string());
    let formatted = if value.contains('T') {
        let dt: jiff::civil::DateTime = value.parse().map_err(|_| not_a_date(value))?;
        jiff::fmt::strtime::format(format.as_str(), dt)
    } else {
        let date: jiff::civil::Date = value.parse().map_err(|_| not_a_date(value))?;
        jiff::fmt::strtime::format(format.as_str(), date)
    };
    formatted.map_err(|e| Error::message(format!("date: cannot format `{value}` with `{format}`: {e}")))
}

/// `{{ page.title | bibtex }}`: text safe inside a BibTeX field in braces.
/// TeX's special characters are escaped, so a title like "R&D at 5% cost"
/// reaches a bibliography as written.
fn bibtex(value: &str, _: Kwargs, _: &State) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn not_a_date(value: &str) -> Error {
    Error::message(format!("date: `{value}` is not a date like 2026-03-02"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str) -> Result<String, tera::Error> {
        let mut tera = Tera::new();
        register_filters(&mut tera);
        let lookup = Lookup {
            permalinks: HashMap::from([("a/b.md".to_string(), "https://e.org/a/b/".to_string())]),
            base_url: crate::paths::BaseUrl::parse("https://e.org").ok(),
            ..Lookup::default()
        };
        let slot = LookupSlot::new(RwLock::new(lookup));
        register_lookup(&mut tera, &slot);
        tera.add_raw_template("t", template)?;
        tera.render("t", &tera::Context::new())
    }

    #[test]
    fn date_filter_formats_dates_and_times() {
        assert_eq!(render("{{ '2026-03-02' | date }}").unwrap(), "2 March 2026");
        assert_eq!(render("{{ '2026-03-02T09:05:00' | date(format='%H:%M') }}").unwrap(), "09:05");
        assert!(render("{{ 'soon' | date }}").is_err());
    }

    #[test]
    fn bibtex_filter_escapes_tex_specials() {
        assert_eq!(
            render(r"{{ 'R&D: 5% of $x_1 {a} #2 ~ ^ \\' | bibtex }}").unwrap(),
            r"R\&D: 5\% of \$x\_1 \{a\} \#2 \textasciitilde{} \textasciicircum{} \textbackslash{}"
        );
    }

    #[test]
    fn get_url_resolves_pages_and_files() {
        assert_eq!(render("{{ get_url(path='@/a/b.md#x') }}").unwrap(), "https://e.org/a/b/#x");
        assert_eq!(render("{{ get_url(path='/css/site.css') }}").unwrap(), "https://e.org/css/site.css");
        assert!(render("{{ get_url(path='@/nope.md') }}").is_err());
        assert!(render("{{ get_page(path='nope.md') }}").is_err());
    }
}
