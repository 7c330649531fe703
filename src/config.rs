//! `site.toml`: read strictly, then resolved into a [`Config`] the rest of the
//! build can trust (a parsed base URL, a known time zone, a theme that exists).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::{Diagnostic, Location, Problem, suggest};
use crate::paths::BaseUrl;
use crate::strict;

/// What `site.toml` may say. Unknown keys are errors.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default = "default_language")]
    language: Spanned<String>,
    #[serde(default)]
    theme: Option<Spanned<String>>,
    #[serde(default)]
    timezone: Option<Spanned<String>>,
    #[serde(default)]
    license: String,
    #[serde(default)]
    markdown: MarkdownConfig,
    #[serde(default)]
    glossary: GlossaryConfig,
    #[serde(default)]
    checks: ChecksConfig,
    #[serde(default)]
    catalog: CatalogConfig,
    #[serde(default)]
    feed: FeedConfig,
    #[serde(default)]
    search: SearchConfig,
    #[serde(default)]
    extra: toml::Table,
}

/// `[search]`: the search index and the theme's search page.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// Build the index under `/search/LANG/` and the page at `/search/`.
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// `[feed]`: the Atom feed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedConfig {
    /// The newest this many explainers and events; 0 for all of them.
    pub limit: usize,
}

impl Default for FeedConfig {
    fn default() -> Self {
        // Feed readers fetch the whole file every time they look.
        FeedConfig { limit: 50 }
    }
}

fn default_language() -> Spanned<String> {
    Spanned::new(0..0, "en".into())
}

/// Whether `tag` has the shape of a BCP 47 language tag (`en`, `fr-BE`,
/// `zh-Hant`): it names the language of pages and the search index's folder.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or_default();
    (2..=8).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// `[markdown]`: how Markdown is rendered.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Curly quotes, dashes and ellipses.
    pub smart_punctuation: bool,
    /// What to do with raw HTML in Markdown.
    pub raw_html: RawHtml,
    /// Highlight fenced code with syntect.
    pub highlight: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig { smart_punctuation: true, raw_html: RawHtml::Keep, highlight: true }
    }
}

/// Raw HTML in Markdown: kept (authors are trusted) or shown as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    Keep,
    Escape,
}

/// `[glossary]`: how glossary terms link themselves.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct GlossaryConfig {
    pub link: LinkMode,
}

impl Default for GlossaryConfig {
    fn default() -> Self {
        GlossaryConfig { link: LinkMode::First }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkMode {
    First,
    Every,
    Off,
}

/// `[checks]`: limits for the warnings `check` and `build` give.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChecksConfig {
    pub title_max: usize,
    pub description_max: usize,
    /// Turn every warning into an error.
    pub warnings_are_errors: bool,
}

impl Default for ChecksConfig {
    fn default() -> Self {
        ChecksConfig { title_max: 65, description_max: 160, warnings_are_errors: false }
    }
}

/// `[catalog]`: the tool categories a site allows (any, when empty).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct CatalogConfig {
    pub categories: Vec<String>,
}

/// Where a theme's files come from.
#[derive(Debug, Clone)]
pub enum ThemeSource {
    /// `themes/NAME/` in the site.
    Dir(PathBuf),
    /// The default theme compiled into pamphlet, used when the site has no
    /// `themes/default/` of its own.
    Builtin,
}

/// The validated configuration of one site.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    /// Parsed once; every URL the build writes is made from it.
    pub base_url: BaseUrl,
    pub description: String,
    pub language: String,
    pub theme_name: String,
    pub theme: ThemeSource,
    pub timezone_name: String,
    pub timezone: jiff::tz::TimeZone,
    pub license: String,
    pub markdown: MarkdownConfig,
    pub glossary: GlossaryConfig,
    pub checks: ChecksConfig,
    pub catalog: CatalogConfig,
    pub feed: FeedConfig,
    pub search: SearchConfig,
    pub extra: toml::Table,
}

impl Config {
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }
}

pub const FILE: &str = "site.toml";

/// Reads and validates `ROOT/site.toml`, reporting every problem found.
/// `base_url`, when given (`--base-url`, or serve's own address), replaces
/// site.toml's.
pub fn load(root: &Path, base_url: Option<&BaseUrl>) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(FILE);
    let file = Path::new(FILE);
    let source = match std::fs::read(&path) {
        Ok(bytes) => crate::source::decode(file, bytes).map_err(|d| vec![d])?,
        Err(e) => {
            let what = format!("{} (is {} a pamphlet site?)", path.display(), root.display());
            return Err(vec![Diagnostic::global(Problem::Io { what, reason: e.to_string() })]);
        }
    };
    let raw: RawConfig = strict::parse(file, &source, 0, &source).map_err(|d| vec![d])?;
    let mut config = resolve(root, raw, &source)?;
    if let Some(url) = base_url {
        config.base_url = url.clone();
    }
    Ok(config)
}

fn resolve(root: &Path, raw: RawConfig, source: &str) -> Result<Config, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let at = |span: std::ops::Range<usize>| Location::at(FILE, source, span.start, span.len());

    let base_url = BaseUrl::parse(raw.base_url.get_ref()).unwrap_or_else(|reason| {
        errors.push(Diagnostic::error(Problem::BadValue { key: "base_url".into(), reason }, at(raw.base_url.span())));
        BaseUrl::parse("https://example.org").expect("a valid base URL")
    });

    if !is_language_tag(raw.language.get_ref()) {
        let reason = "must be a language tag, like \"en\" or \"fr-BE\"".into();
        errors.push(Diagnostic::error(Problem::BadValue { key: "language".into(), reason }, at(raw.language.span())));
    }

    let (timezone_name, timezone) = match &raw.timezone {
        None => ("UTC".to_string(), jiff::tz::TimeZone::UTC),
        Some(zone) => match resolve_zone(zone.get_ref()) {
            Ok(tz) => (zone.get_ref().clone(), tz),
            Err(problem) => {
                errors.push(Diagnostic::error(problem, at(zone.span())));
                ("UTC".to_string(), jiff::tz::TimeZone::UTC)
            }
        },
    };

    let theme_name = raw.theme.as_ref().map_or("default", |t| t.get_ref().as_str()).to_string();
    let theme = theme_source(root, &theme_name).unwrap_or_else(|problem| {
        let span = raw.theme.as_ref().map_or(0..0, |t| t.span());
        errors.push(Diagnostic::error(problem, at(span)));
        ThemeSource::Builtin
    });

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Config {
        root: root.to_path_buf(),
        title: raw.title,
        base_url,
        description: raw.description,
        language: raw.language.into_inner(),
        theme_name,
        theme,
        timezone_name,
        timezone,
        license: raw.license,
        markdown: raw.markdown,
        glossary: raw.glossary,
        checks: raw.checks,
        catalog: raw.catalog,
        feed: raw.feed,
        search: raw.search,
        extra: raw.extra,
    })
}

/// Where the theme `name` comes from: `themes/NAME/`, else the built-in
/// default theme.
fn theme_source(root: &Path, name: &str) -> Result<ThemeSource, Problem> {
    if !is_folder_name(name) {
        // `../../x` would read templates, and publish static files, from outside the site.
        let reason = "must be the name of a folder under themes/, like \"default\"".into();
        return Err(Problem::BadValue { key: "theme".into(), reason });
    }
    let dir = root.join("themes").join(name);
    if dir.is_dir() {
        Ok(ThemeSource::Dir(dir))
    } else if name == "default" {
        Ok(ThemeSource::Builtin)
    } else {
        Err(Problem::ThemeNotFound(name.to_string()))
    }
}

/// Whether `name` is one folder's name: not empty, no separator, not `.` or `..`.
fn is_folder_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0', ':'])
}

/// An IANA time zone by name, or the problem with a nearest-name suggestion.
pub fn resolve_zone(name: &str) -> Result<jiff::tz::TimeZone, Problem> {
    jiff::tz::db().get(name).map_err(|_| {
        let names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
        let suggestion = suggest(name, names.iter().map(String::as_str));
        Problem::UnknownTimezone { zone: name.to_string(), suggestion }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = strict::parse(Path::new(FILE), text, 0, text).map_err(|d| vec![d])?;
        resolve(Path::new("/nonexistent-site"), raw, text)
    }

    #[test]
    fn a_minimal_config_gets_defaults() {
        let c = load_str("title = \"Hub\"\nbase_url = \"https://example.org/\"\n").unwrap();
        assert_eq!(c.base_url.as_str(), "https://example.org");
        assert_eq!(c.language, "en");
        assert_eq!(c.timezone_name, "UTC");
        assert!(matches!(c.theme, ThemeSource::Builtin));
        assert!(c.markdown.smart_punctuation);
        assert!(c.search.enabled);
    }

    #[test]
    fn language_must_be_a_language_tag() {
        for good in ["en", "fr-BE", "zh-Hant", "de-CH-1996"] {
            let text = format!("title = \"H\"\nbase_url = \"https://e.org\"\nlanguage = \"{good}\"\n");
            assert_eq!(load_str(&text).unwrap().language, good);
        }
        for bad in ["", "e", "../x", "en_GB", "en-", "fr BE"] {
            let text = format!("title = \"H\"\nbase_url = \"https://e.org\"\nlanguage = \"{bad}\"\n");
            let errs = load_str(&text).unwrap_err();
            assert!(matches!(&errs[0].problem, Problem::BadValue { key, .. } if key == "language"), "{bad}");
            assert_eq!(errs[0].location.as_ref().unwrap().line, 3);
        }
    }

    #[test]
    fn search_can_be_turned_off_and_a_typo_is_named() {
        let c = load_str("title = \"H\"\nbase_url = \"https://e.org\"\n[search]\nenabled = false\n").unwrap();
        assert!(!c.search.enabled);
        let errs = load_str("title = \"H\"\nbase_url = \"https://e.org\"\n[search]\nenable = false\n").unwrap_err();
        assert_eq!(errs[0].problem, Problem::UnknownKey { key: "enable".into(), suggestion: Some("enabled".into()) });
        assert_eq!(errs[0].location.as_ref().unwrap().line, 4);
    }

    #[test]
    fn base_path_is_the_path_of_base_url() {
        let c = load_str("title = \"Hub\"\nbase_url = \"https://org.example/hub/\"\n").unwrap();
        assert_eq!(c.base_url.path(), "/hub");
        let c = load_str("title = \"Hub\"\nbase_url = \"https://org.example\"\n").unwrap();
        assert_eq!(c.base_url.path(), "");
    }

    #[test]
    fn unknown_key_has_line_and_suggestion() {
        let errs = load_str("title = \"Hub\"\nbase_url = \"https://e.org\"\ndescripton = \"x\"\n").unwrap_err();
        assert_eq!(
            errs[0].problem,
            Problem::UnknownKey { key: "descripton".into(), suggestion: Some("description".into()) }
        );
        assert_eq!(errs[0].location.as_ref().unwrap().line, 3);
    }

    #[test]
    fn every_bad_value_is_reported() {
        let text = "title = \"Hub\"\nbase_url = \"example.org\"\ntimezone = \"Europe/Brusels\"\ntheme = \"nope\"\n";
        let errs = load_str(text).unwrap_err();
        assert_eq!(errs.len(), 3);
        assert!(matches!(errs[0].problem, Problem::BadValue { .. }));
        assert_eq!(
            errs[1].problem,
            Problem::UnknownTimezone { zone: "Europe/Brusels".into(), suggestion: Some("Europe/Brussels".into()) }
        );
        assert_eq!(errs[1].location.as_ref().unwrap().column, 12);
        assert_eq!(errs[2].problem, Problem::ThemeNotFound("nope".into()));
    }

    #[test]
    fn a_theme_is_a_folder_under_themes_never_a_path_out_of_it() {
        for bad in ["../../elsewhere", "..", ".", "", "a/b", "a\\b", "/etc", "c:x"] {
            let text = format!("title = \"H\"\nbase_url = \"https://e.org\"\ntheme = {bad:?}\n");
            let errs = load_str(&text).unwrap_err();
            assert!(matches!(&errs[0].problem, Problem::BadValue { key, .. } if key == "theme"), "{bad}: {errs:?}");
            assert_eq!(errs[0].location.as_ref().unwrap().line, 3);
        }
    }

    #[test]
    fn nested_tables_are_strict_too() {
        let errs = load_str("title = \"H\"\nbase_url = \"https://e.org\"\n[markdown]\nsmart = true\n").unwrap_err();
        assert!(matches!(&errs[0].problem, Problem::UnknownKey { key, .. } if key == "smart"));
        assert_eq!(errs[0].location.as_ref().unwrap().line, 4);
    }
}
