//! What templates read: which templates each one is built on (through
//! `extends`, `include` and `import`), which fields of `site` and of the
//! pages it lists it uses, and whether it calls the lookup functions. Found
//! by reading the templates' source, so that an edit re-renders only what
//! reads what changed.

use std::collections::{HashMap, HashSet};

use crate::templates::Templates;

/// For each template, what it and the templates it extends, includes or
/// imports read.
#[derive(Default)]
pub struct TemplateUses {
    names: HashMap<String, HashSet<String>>,
    site: HashMap<String, SiteUse>,
}

/// What a template reads of `site`, and whether it calls `get_page` or
/// `get_section`.
#[derive(Default, Clone)]
struct SiteUse {
    whole: bool,
    fields: HashSet<String>,
    lookups: bool,
    /// Every name read as an attribute (`p.title` gives `title`), or `None`
    /// when values are passed on whole (`json_encode`).
    attributes: Option<HashSet<String>>,
}

impl TemplateUses {
    pub fn new(templates: &Templates) -> TemplateUses {
        let sources: HashMap<&str, &str> = templates.sources().collect();
        let mut uses = TemplateUses::default();
        for name in sources.keys() {
            let mut seen: HashSet<String> = HashSet::new();
            let mut todo = vec![name.to_string()];
            while let Some(next) = todo.pop() {
                if let Some(text) = sources.get(next.as_str()) {
                    todo.extend(referenced(text).into_iter().filter(|r| !seen.contains(r)));
                }
                seen.insert(next);
            }
            let mut site = SiteUse { attributes: Some(HashSet::new()), ..SiteUse::default() };
            for n in &seen {
                if let Some(text) = sources.get(n.as_str()) {
                    site.add(text);
                }
            }
            uses.site.insert(name.to_string(), site);
            uses.names.insert(name.to_string(), seen);
        }
        uses
    }

    /// Whether `template` (or one it builds on) is `name`.
    pub fn involves(&self, template: Option<&str>, name: &str) -> bool {
        template.is_some_and(|t| self.names.get(t).is_some_and(|n| n.contains(name)))
    }

    /// Whether `template` reads any of `fields` of `site`.
    pub fn reads(&self, template: Option<&str>, fields: &HashSet<String>) -> bool {
        let Some(uses) = template.and_then(|t| self.site.get(t)) else {
            return false;
        };
        !fields.is_empty() && (uses.whole || uses.fields.iter().any(|f| fields.contains(f)))
    }

    pub fn calls_lookups(&self, template: Option<&str>) -> bool {
        template.and_then(|t| self.site.get(t)).is_some_and(|u| u.lookups)
    }

    /// Whether `template` may read any of `fields` of a page it lists.
    pub fn reads_page(&self, template: Option<&str>, fields: &HashSet<String>) -> bool {
        let Some(uses) = template.and_then(|t| self.site.get(t)) else {
            return false;
        };
        !fields.is_empty() && uses.attributes.as_ref().is_none_or(|a| fields.iter().any(|f| a.contains(f)))
    }
}

impl SiteUse {
    fn add(&mut self, text: &str) {
        // `get_url` gives URLs, which an edit in place never changes.
        self.lookups |= text.contains("get_page") || text.contains("get_section");
        let bytes = text.as_bytes();
        let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        if text.contains("json_encode") {
            self.attributes = None;
        }
        if let Some(attributes) = &mut self.attributes {
            for (at, _) in text.match_indices('.') {
                let name: String = bytes[at + 1..].iter().take_while(|&&b| ident(b)).map(|&b| char::from(b)).collect();
                if !name.is_empty() {
                    attributes.insert(name);
                }
            }
        }
        for (at, _) in text.match_indices("site") {
            if at > 0 && (ident(bytes[at - 1]) || bytes[at - 1] == b'.') {
                continue;
            }
            let rest = &bytes[at + 4..];
            match rest.first() {
                Some(b'.') => {
                    let field: String = rest[1..].iter().take_while(|&&b| ident(b)).map(|&b| char::from(b)).collect();
                    self.fields.insert(field);
                }
                // `site` passed on whole: to a filter, a macro, a `set`, a subscript.
                _ => {
                    let next = rest.iter().find(|b| !b.is_ascii_whitespace());
                    if next.is_some_and(|b| b"|)}],[%".contains(b)) {
                        self.whole = true;
                    }
                }
            }
        }
    }
}

/// Templates named in `{% extends %}`, `{% include %}` and `{% import %}`.
fn referenced(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for keyword in ["extends", "include", "import"] {
        for (at, _) in text.match_indices(keyword) {
            let rest = text[at + keyword.len()..].trim_start();
            let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
                continue;
            };
            if let Some(end) = rest[1..].find(quote) {
                out.push(rest[1..1 + end].to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_use(text: &str) -> SiteUse {
        let mut site = SiteUse { attributes: Some(HashSet::new()), ..SiteUse::default() };
        site.add(text);
        site
    }

    #[test]
    fn reads_fields_of_site_and_of_pages() {
        let site = site_use("{% for t in site.terms %}{{ t.title }}{% endfor %}<p class=\"site-header\">");
        assert!(!site.whole && !site.lookups);
        assert!(site.fields.contains("terms"));
        assert!(site.attributes.as_ref().unwrap().contains("title"));
        assert!(site_use("{% set s = site %}").whole);
        assert!(site_use("{{ site | json_encode }}").whole);
        assert!(site_use("{{ get_page(path=\"a.md\").title }}").lookups);
        assert!(site_use("{{ page | json_encode }}").attributes.is_none());
    }

    #[test]
    fn finds_the_templates_a_template_builds_on() {
        let text = "{% extends \"base.html\" %}{% import 'macros.html' as m %}{%- include \"partials/header.html\" %}";
        let mut found = referenced(text);
        found.sort();
        assert_eq!(found, ["base.html", "macros.html", "partials/header.html"]);
    }
}
