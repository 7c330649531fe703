//! `pamphlet new` and `pamphlet init`: starting pages and sites.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::error::{Diagnostic, Location, Problem};
use crate::paths::slugify;

/// The kinds `pamphlet new` can start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewKind {
    Explainer,
    Term,
    Event,
    Tool,
    Page,
}

impl NewKind {
    fn name(self) -> &'static str {
        match self {
            NewKind::Explainer => "explainer",
            NewKind::Term => "term",
            NewKind::Event => "event",
            NewKind::Tool => "tool",
            NewKind::Page => "page",
        }
    }

    /// The folder used when no section declares this kind.
    fn default_dir(self) -> &'static str {
        match self {
            NewKind::Explainer => "explainers",
            NewKind::Term => "glossary",
            NewKind::Event => "events",
            NewKind::Tool => "tools",
            NewKind::Page => "",
        }
    }

    fn front_matter(self, title: &str, today: jiff::civil::Date) -> String {
        let title = toml::Value::String(title.to_string());
        let common = format!("title = {title}\ndescription = \"\"\ndate = {today}\n");
        let own = match self {
            NewKind::Explainer => format!(
                "summary = \"\"\ntakeaways = []\naudience = [\"Policymakers\"]\nreviewed = {today}\nreview_due = {}\n",
                today.checked_add(jiff::Span::new().months(6)).unwrap_or(today)
            ),
            NewKind::Term => {
                "short = \"One plain sentence that defines the term.\"\nsynonyms = []\nrelated = []\n".into()
            }
            NewKind::Event => {
                format!("start = {today}T09:00:00\nend = {today}T17:00:00\nlocation = \"\"\nstatus = \"scheduled\"\n")
            }
            NewKind::Tool => format!(
                "url = \"https://example.org\"\nlicense = \"\"\nmaintainer = \"\"\ncategory = \"\"\nstatus = \"under-review\"\nreviewed = {today}\n"
            ),
            NewKind::Page => String::new(),
        };
        format!("+++\n{common}{own}+++\n\nWrite here.\n")
    }
}

fn io_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(Problem::Io { what: path.display().to_string(), reason: e.to_string() }, Location::file(path))
}

/// The folder of the first section (by path) whose `_index.md` has `kind = KIND`.
fn section_for(content: &Path, kind: NewKind) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "_index.md")
        .filter(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            let Ok(split) = crate::content::split(&text) else {
                return false;
            };
            let table: toml::Table = toml::from_str(split.front).unwrap_or_default();
            table.get("kind").and_then(|k| k.as_str()) == Some(kind.name())
        })
        .filter_map(|e| e.path().parent().map(Path::to_path_buf))
        .collect();
    found.sort();
    found.into_iter().next()
}

/// Writes a new page of `kind` titled `title`; returns its path.
pub fn new_page(root: &Path, kind: NewKind, title: &str) -> Result<PathBuf, Diagnostic> {
    let config = crate::config::load(root, None).map_err(|mut d| d.remove(0))?;
    let slug = slugify(title);
    if slug.is_empty() {
        let reason = "the title needs letters or digits to name the file".into();
        return Err(Diagnostic::global(Problem::BadValue { key: "title".into(), reason }));
    }
    let content = config.content_dir();
    let dir = match section_for(&content, kind) {
        Some(dir) => dir,
        None => start_section(&content, kind)?,
    };
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(Diagnostic::error(
            Problem::Output("a page with this name already exists".into()),
            Location::file(&path),
        ));
    }
    std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
    let today = jiff::ZonedDateTime::now().with_time_zone(config.timezone.clone()).date();
    std::fs::write(&path, kind.front_matter(title, today)).map_err(|e| io_error(&path, e))?;
    Ok(path)
}

/// Creates the section for a kind that has none yet (`content/events/_index.md`).
fn start_section(content: &Path, kind: NewKind) -> Result<PathBuf, Diagnostic> {
    let dir = content.join(kind.default_dir());
    let index = dir.join("_index.md");
    if kind == NewKind::Page || index.exists() {
        return Ok(dir);
    }
    std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
    let title = match kind {
        NewKind::Explainer => "Explainers",
        NewKind::Term => "Glossary",
        NewKind::Event => "Events",
        NewKind::Tool => "Tool catalog",
        NewKind::Page => "Pages",
    };
    let text = format!("+++\ntitle = \"{title}\"\nkind = \"{}\"\n+++\n", kind.name());
    std::fs::write(&index, text).map_err(|e| io_error(&index, e))?;
    Ok(dir)
}

const INIT_FILES: &[(&str, &str)] = &[
    (
        "site.toml",
        "title = \"My policy hub\"\nbase_url = \"https://example.org\"\ndescription = \"Plain explanations for policymakers.\"\n\
         language = \"en\"\ntimezone = \"UTC\"\nlicense = \"Text available under CC BY 4.0.\"\n",
    ),
    ("content/_index.md", "+++\ntitle = \"My policy hub\"\n+++\n\nWelcome. Start with the explainers.\n"),
    ("content/explainers/_index.md", "+++\ntitle = \"Explainers\"\nkind = \"explainer\"\nsort_by = \"title\"\n+++\n"),
    (
        "content/explainers/first-explainer.md",
        "+++\ntitle = \"A first explainer\"\ndescription = \"What an explainer looks like.\"\n\
         summary = \"Explainers open with a short summary.\"\ntakeaways = [\"Keep sentences short.\"]\n+++\n\n\
         ## Why it matters\n\nWrite for a busy reader. See the [glossary](@/glossary/_index.md).\n",
    ),
    ("content/glossary/_index.md", "+++\ntitle = \"Glossary\"\nkind = \"term\"\nsort_by = \"title\"\n+++\n"),
    (
        "content/glossary/explainer.md",
        "+++\ntitle = \"Explainer\"\nshort = \"A page that explains one policy topic in plain language.\"\n+++\n",
    ),
    (".gitignore", "/public/\n/.public.pamphlet-*\n"),
];

/// Creates a new site in `dir` that uses the built-in default theme.
pub fn init(dir: &Path) -> Result<PathBuf, Diagnostic> {
    if dir.exists() && std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(Diagnostic::error(
            Problem::Output("the folder exists and is not empty".into()),
            Location::file(dir),
        ));
    }
    for (rel, text) in INIT_FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| io_error(&path, e))?;
    }
    for empty in ["assets", "templates"] {
        std::fs::create_dir_all(dir.join(empty)).map_err(|e| io_error(dir, e))?;
    }
    Ok(dir.to_path_buf())
}
