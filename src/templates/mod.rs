//! Templates: Tera 2, themes and the site's own overrides.
//!
//! Templates are looked up by file name in the site's `templates/` first,
//! then in the theme's. A page renders with its `template`, else
//! `<kind>.html`, else `page.html`; a section with its `template`, else
//! `<kind>-section.html`, else `section.html`. Template errors point at the
//! template file and line.
//!
//! Templates also own what goes into them: the typed contexts
//! ([`context`]), `site` ([`site`]), and what each template reads of them
//! ([`reads`], worked out when templates are loaded).

pub mod catalog;
pub mod context;
pub mod event;
pub mod fields;
mod functions;
pub mod reads;
mod related;
pub mod site;
pub mod view;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tera::{Context, ErrorKind, Tera};

use crate::config::{Config, ThemeSource};
use crate::error::{Diagnostic, Location, Problem};
use context::template::TemplateContext;

pub use functions::Lookup;
pub use reads::Reads;
pub use view::Site;

/// The default theme, compiled in (see `build.rs`).
pub mod builtin {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

/// Loaded templates and where each came from, for error locations.
pub struct Templates {
    pub tera: Tera,
    sources: HashMap<String, (PathBuf, String)>,
    /// What each template's own source reads.
    reads: HashMap<String, Reads>,
    lookup: functions::LookupSlot,
}

/// Reads the theme's templates, then the site's over them.
pub fn load(config: &Config) -> Result<Templates, Vec<Diagnostic>> {
    let mut sources: HashMap<String, (PathBuf, String)> = HashMap::new();
    let mut diags = Vec::new();
    match &config.theme {
        ThemeSource::Dir(dir) => read_dir(&config.root, &dir.join("templates"), &mut sources, &mut diags),
        ThemeSource::Builtin => {
            for (name, bytes) in builtin::FILES {
                if let Some(name) = name.strip_prefix("templates/") {
                    let shown = PathBuf::from(format!("themes/default/templates/{name} (built in)"));
                    sources.insert(name.to_string(), (shown, String::from_utf8_lossy(bytes).into_owned()));
                }
            }
        }
    }
    read_dir(&config.root, &config.root.join("templates"), &mut sources, &mut diags);
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".htm", ".xml"]);
    let lookup = functions::LookupSlot::default();
    functions::register_filters(&mut tera);
    functions::register_lookup(&mut tera, &lookup);
    let mut names: Vec<&String> = sources.keys().collect();
    names.sort();
    let result = tera.add_raw_templates(names.iter().map(|n| (n.as_str(), sources[*n].1.as_str())));
    let reads = sources.iter().map(|(name, (_, text))| (name.clone(), Reads::of(text))).collect();
    let templates = Templates { tera, sources, reads, lookup };
    match result {
        Ok(()) => Ok(templates),
        Err(e) => Err(vec![templates.diagnostic(&e, None)]),
    }
}

fn read_dir(root: &Path, dir: &Path, out: &mut HashMap<String, (PathBuf, String)>, diags: &mut Vec<Diagnostic>) {
    if !dir.is_dir() {
        return;
    }
    for rel in crate::source::files(root, dir, diags) {
        let path = dir.join(&rel);
        let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let name = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        let text = std::fs::read(&path)
            .map_err(|e| Problem::Io { what: shown.display().to_string(), reason: e.to_string() })
            .and_then(|b| crate::source::decode(&shown, b).map_err(|d| d.problem));
        match text {
            Ok(text) => {
                out.insert(name, (shown, text));
            }
            Err(problem) => diags.push(Diagnostic::error(problem, Location::file(shown))),
        }
    }
}

impl Templates {
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Every template's name.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.sources.keys().map(String::as_str)
    }

    /// What template `name`'s own source reads (not what it builds on).
    pub fn reads(&self, name: &str) -> Option<&Reads> {
        self.reads.get(name)
    }

    /// Whether some template reads a field called `field` of some value:
    /// costly context fields (`used_in`, `terms_used`) are built only for
    /// themes that read them.
    pub fn some_read(&self, field: &str) -> bool {
        self.reads.values().any(|r| r.attributes.contains(field))
    }

    /// The top-level names template `name`, its parents and what it
    /// includes use, as Tera's parser found them; `None` when Tera cannot tell.
    pub fn variables(&self, name: &str) -> Option<std::collections::HashSet<&str>> {
        self.tera.get_template_variables(name).ok()
    }

    /// The first of `names` that exists.
    pub fn pick<'n>(&self, names: &[&'n str]) -> Option<&'n str> {
        names.iter().copied().find(|n| self.has(n))
    }

    /// Gives the lookup functions (`get_page` …) the loaded content.
    pub fn set_lookup(&self, lookup: Lookup) {
        *self.lookup.write().unwrap_or_else(|e| e.into_inner()) = lookup;
    }

    /// Takes what the lookup functions find, leaving them nothing (to move
    /// it to templates read again, without building it anew).
    pub fn take_lookup(&self) -> Lookup {
        std::mem::take(&mut *self.lookup.write().unwrap_or_else(|e| e.into_inner()))
    }

    /// Changes what the lookup functions find (after an edit, in `serve`).
    pub fn update_lookup(&self, change: impl FnOnce(&mut Lookup)) {
        change(&mut self.lookup.write().unwrap_or_else(|e| e.into_inner()));
    }

    /// Renders `name` with `context`; a failure becomes a diagnostic at the
    /// template's line (the same for every page that hits it, so it is
    /// reported once).
    pub fn render(&self, name: &str, context: &impl TemplateContext) -> Result<String, Diagnostic> {
        let context = self.context(name, context)?;
        self.tera.render(name, &context).map_err(|e| self.diagnostic(&e, Some(name)))
    }

    /// Renders `name` into a buffer that starts with `capacity` bytes.
    pub fn render_into(
        &self,
        name: &str,
        context: &impl TemplateContext,
        capacity: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let context = self.context(name, context)?;
        let mut out = Vec::with_capacity(capacity);
        self.tera.render_to(name, &context, &mut out).map_err(|e| self.diagnostic(&e, Some(name)))?;
        Ok(out)
    }

    /// Tera's context: the typed one, serialised.
    fn context(&self, name: &str, context: &impl TemplateContext) -> Result<Context, Diagnostic> {
        context.tera().map_err(|e| self.diagnostic(&e, Some(name)))
    }

    fn diagnostic(&self, err: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        let (report, location) = match err.kind() {
            ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
                let location = self.sources.get(r.filename()).map(|(file, source)| {
                    let span = r.span();
                    let offset = span.range.start.min(source.len());
                    Location::at(file, source, offset, span.range.len().max(1))
                });
                (r.message().to_string(), location)
            }
            _ => (err.to_string(), None),
        };
        let mut message = report;
        let mut source = std::error::Error::source(err);
        while let Some(cause) = source {
            message.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        let location = location
            .or_else(|| rendering.and_then(|name| self.sources.get(name)).map(|(f, _)| Location::file(f)))
            .unwrap_or_else(|| Location::file("templates"));
        Diagnostic::error(Problem::Template(message), location)
    }
}
