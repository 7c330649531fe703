//! Diagnostics: every problem pamphlet finds in a site, with where it is.
//!
//! A build never stops at the first problem. Each stage pushes [`Diagnostic`]s
//! into a list and goes on; the CLI prints them all at the end, as text for
//! people (`error: …`, `--> file:line:col`, the source line) or as JSON for
//! tools. The [`Problem`] enum is the one place that words each kind of
//! problem, so tests match on its variants rather than on message text.

mod location;

use std::fmt;
use std::path::Path;

use serde::Serialize;

pub use location::{Location, Locator, Snippet};

/// How serious a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Every kind of problem pamphlet reports.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
pub enum Problem {
    #[error("cannot read {what}: {reason}")]
    Io { what: String, reason: String },
    #[error("file is not valid UTF-8 (first bad byte at offset {offset})")]
    NotUtf8 { offset: usize },
    #[error("{0}")]
    Toml(String),
    #[error("unknown key `{key}`{}", did_you_mean(.suggestion))]
    UnknownKey { key: String, suggestion: Option<String> },
    #[error("missing required key `{0}`")]
    MissingKey(String),
    #[error("`{key}`: {reason}")]
    BadValue { key: String, reason: String },
    #[error("key `{key}` belongs to {owner} pages, but this page is a `{kind}`")]
    KeyNotForKind { key: String, owner: String, kind: String },
    #[error("missing front matter: a page starts with a `+++` line, its TOML, and a closing `+++` line")]
    NoFrontMatter,
    #[error("front matter is not closed: add a `+++` line after it")]
    UnclosedFrontMatter,
    #[error("unknown timezone \"{zone}\"{}", did_you_mean(.suggestion))]
    UnknownTimezone { zone: String, suggestion: Option<String> },
    #[error("event ends ({end}) before it starts ({start})")]
    EndBeforeStart { start: String, end: String },
    #[error("{url_path} is produced by both {first} and {second}")]
    DuplicateUrl { url_path: String, first: String, second: String },
    #[error("duplicate heading id `{0}` on this page")]
    DuplicateId(String),
    #[error(
        "link to missing {} `{link}`{}",
        if .link.ends_with(".md") { "page" } else { "file" },
        did_you_mean(.suggestion)
    )]
    BrokenLink { link: String, suggestion: Option<String> },
    #[error(
        "link to `{url}`, but the site has nothing at {path}{}{}",
        did_you_mean(.suggestion),
        if .url.starts_with('/') { "" } else { " (a relative link names a file beside the page's own file, else starts from the page's URL)" }
    )]
    MissingFile { url: String, path: String, suggestion: Option<String> },
    #[error(
        "`{0}` is left as text, not read as a link: write an address that holds spaces between angle brackets, \
         as in [text](<@/explainers/my page.md>), or percent-encode it (%20)"
    )]
    UnparsedLink(String),
    #[error("link to missing anchor `#{anchor}` in `{page}`")]
    BrokenAnchor { page: String, anchor: String },
    #[error(
        "image `{src}` has no alt text: {}",
        if *.html { "give the <img> an alt=\"…\" that describes it (alt=\"\" if it is only decoration)" }
        else { "describe it in the brackets, ![like this](…)" }
    )]
    ImageWithoutAlt { src: String, html: bool },
    #[error("cannot read the size of image {file}: {reason}")]
    BadImage { file: String, reason: String },
    #[error(
        "{section} makes this folder a section and {index} makes it a page: keep one (`_index.md` for a section, `index.md` for a page with its files beside it)"
    )]
    SectionAndBundle { section: String, index: String },
    #[error(
        "content/index.md would be the home page, which is content/_index.md: rename it, or move it into a folder (content/NAME/index.md) to make it a page"
    )]
    IndexAtRoot,
    #[error("heading level skips from h{from} to h{to}")]
    SkippedHeadingLevel { from: u8, to: u8 },
    #[error("no syntax highlighting for language `{0}`; the code is shown plain")]
    UnknownLanguage(String),
    #[error(
        "`{url}` is a `{scheme}:` URL, which can run script in a reader's browser; link to an http, https or mailto URL or a path on the site{}",
        if *.image { " (an image may also be a data: URL of a PNG, GIF, JPEG or WebP)" } else { "" }
    )]
    ScriptUrl { url: String, scheme: String, image: bool },
    #[error(
        "heading attribute `{0}` dropped: with raw_html = \"escape\", a heading keeps only its {{#id}} and {{.class}}"
    )]
    HeadingAttributeDropped(String),
    #[error("symbolic link loop: {0}")]
    LinkLoop(String),
    #[error("link points outside the site: {0}")]
    LinkOutsideSite(String),
    #[error("template error: {0}")]
    Template(String),
    #[error("theme `{0}` not found (looked in themes/{0}/)")]
    ThemeNotFound(String),
    #[error("{0}")]
    Output(String),
    #[error("cannot write {path}{}: {reason}; the last good site was left as it was", more_files(*.more))]
    Write { path: String, reason: String, more: usize },
    #[error("title is {len} characters; keep it to {max} so it fits in search results")]
    TitleTooLong { len: usize, max: usize },
    #[error("description is {len} characters; keep it to {max}")]
    DescriptionTooLong { len: usize, max: usize },
    #[error("review was due on {0}: check the page and update `reviewed` and `review_due`")]
    ReviewOverdue(String),
    #[error("`related` names `{slug}`, but there is no glossary term with that slug{}", did_you_mean(.suggestion))]
    UnknownRelatedTerm { slug: String, suggestion: Option<String> },
    #[error("\"{name}\" names two glossary terms: {first} and {second}")]
    DuplicateTermName { name: String, first: String, second: String },
    #[error("glossary term \"{0}\" is not used on any page")]
    UnusedTerm(String),
    #[error("glossary term \"{term}\" appears unlinked (linking is off) in {places}")]
    UnlinkedTerm { term: String, places: String },
}

fn more_files(more: usize) -> String {
    match more {
        0 => String::new(),
        1 => " (and 1 more file)".to_string(),
        n => format!(" (and {n} more files)"),
    }
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!(" (did you mean \"{s}\"?)"),
        None => String::new(),
    }
}

/// One finding of a run.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    pub problem: Problem,
    pub location: Option<Location>,
}

impl Diagnostic {
    pub fn error(problem: Problem, location: Location) -> Self {
        Diagnostic { severity: Severity::Error, problem, location: Some(location) }
    }

    pub fn warning(problem: Problem, location: Location) -> Self {
        Diagnostic { severity: Severity::Warning, problem, location: Some(location) }
    }

    /// A problem with no file to point at (a bad command-line value, say).
    pub fn global(problem: Problem) -> Self {
        Diagnostic { severity: Severity::Error, problem, location: None }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn file(&self) -> Option<&Path> {
        self.location.as_ref().map(|l| l.file.as_path())
    }
}

impl fmt::Display for Diagnostic {
    /// The rustc-like text form: message, `--> file:line:col`, and the line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.problem)?;
        let Some(loc) = &self.location else {
            return Ok(());
        };
        let file = loc.file.display().to_string().replace('\\', "/");
        match (loc.line, loc.column) {
            (0, _) => writeln!(f, "  --> {file}")?,
            (line, 0) => writeln!(f, "  --> {file}:{line}")?,
            (line, col) => writeln!(f, "  --> {file}:{line}:{col}")?,
        }
        if let Some(snippet) = &loc.snippet {
            let num = loc.line.to_string();
            let pad = " ".repeat(num.len());
            let indent = " ".repeat(snippet.before);
            writeln!(f, "{pad} |")?;
            writeln!(f, "{num} | {}", snippet.text.replace('\t', " "))?;
            writeln!(f, "{pad} | {indent}{}", "^".repeat(snippet.marked))?;
        }
        Ok(())
    }
}

/// The JSON form of one diagnostic, as `check --format json` and serve print it.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub severity: Severity,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl From<&Diagnostic> for JsonDiagnostic {
    fn from(d: &Diagnostic) -> Self {
        let loc = d.location.as_ref();
        JsonDiagnostic {
            severity: d.severity,
            file: loc.map(|l| l.file.display().to_string().replace('\\', "/")),
            line: loc.map(|l| l.line).filter(|&n| n > 0),
            column: loc.map(|l| l.column).filter(|&n| n > 0),
            message: d.problem.to_string(),
        }
    }
}

/// Prints diagnostics to standard error, with a count of errors and warnings.
pub fn print(diagnostics: &[Diagnostic]) {
    use std::io::Write;
    // Standard error is unbuffered: without a buffer, each piece of each
    // diagnostic would be a write of its own (tens of thousands on a big site).
    let mut err = std::io::BufWriter::with_capacity(64 * 1024, std::io::stderr().lock());
    for d in diagnostics {
        let _ = writeln!(err, "{d}");
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if errors + warnings > 0 {
        let _ = writeln!(
            err,
            "{errors} error{}, {warnings} warning{}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        );
    }
    let _ = err.flush();
}

/// Findings as a JSON document: `{"errors": […], "warnings": […]}`.
pub fn to_json(diagnostics: &[Diagnostic]) -> String {
    #[derive(Serialize)]
    struct Doc {
        errors: Vec<JsonDiagnostic>,
        warnings: Vec<JsonDiagnostic>,
    }
    let pick = |sev| diagnostics.iter().filter(|d| d.severity == sev).map(JsonDiagnostic::from).collect();
    let doc = Doc { errors: pick(Severity::Error), warnings: pick(Severity::Warning) };
    serde_json::to_string_pretty(&doc).expect("diagnostics serialize")
}

/// Sorts diagnostics by file and position and drops exact repeats, so that
/// output is stable whatever order parallel stages finished in.
pub fn normalize(diagnostics: &mut Vec<Diagnostic>) {
    // Each key once, not at every comparison: a page can have 100,000 problems.
    diagnostics.sort_by_cached_key(|d| {
        let loc = d.location.as_ref();
        (
            d.severity,
            loc.map(|l| l.file.clone()),
            loc.map_or(0, |l| l.line),
            loc.map_or(0, |l| l.column),
            d.problem.to_string(),
        )
    });
    diagnostics.dedup();
}

/// The closest candidate to `word` when it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    // Nothing a site names is close to a word this long, and comparing one
    // (a 500 kB URL, say) with every candidate would cost seconds.
    if word.len() > SUGGEST_MAX {
        return None;
    }
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}

/// The longest word [`suggest`] looks for near matches of, in bytes.
pub const SUGGEST_MAX: usize = 256;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_word_gets_no_suggestion_at_once() {
        let huge = "x".repeat(1_000_000);
        let many: Vec<String> = (0..2_000).map(|i| format!("/explainers/page-{i}/")).collect();
        let start = std::time::Instant::now();
        assert_eq!(suggest(&huge, many.iter().map(String::as_str)), None);
        assert!(start.elapsed() < std::time::Duration::from_secs(1), "took {:?}", start.elapsed());
    }

    #[test]
    fn suggestion_finds_close_zone_names() {
        let zones = ["Europe/Brussels", "Europe/Berlin", "Asia/Kolkata"];
        assert_eq!(suggest("Europe/Brusels", zones).as_deref(), Some("Europe/Brussels"));
        assert_eq!(suggest("Mars/Olympus", zones), None);
    }

    #[test]
    fn text_form_names_file_line_and_column() {
        let src = "timezone = \"Europe/Brusels\"\n";
        let d = Diagnostic::error(
            Problem::UnknownTimezone { zone: "Europe/Brusels".into(), suggestion: Some("Europe/Brussels".into()) },
            Location::at("content/events/w.md", src, 11, 16),
        );
        let text = d.to_string();
        assert!(text.starts_with(
            "error: unknown timezone \"Europe/Brusels\" (did you mean \"Europe/Brussels\"?)\n  --> content/events/w.md:1:12\n"
        ));
    }
}
