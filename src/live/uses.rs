//! What each template reads, counting what it builds on: the templates it
//! extends and includes (all the way down), and every template that
//! defines a component (a component can be called from any template and
//! read its caller's variables). What one template's source reads is
//! [`crate::templates::reads`]'s to find, and its module docs say exactly
//! what it sees and what it cannot; this module adds them up, so that an
//! edit re-renders only what reads what changed.
//!
//! Tera's own parser checks the sum: when `get_template_variables` (the
//! top-level names a template, its parents and its includes use) names
//! `site` but no reading of `site` was found, or Tera cannot tell, the
//! template reads all of `site`.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::templates::Templates;
use crate::templates::reads::{Names, Reads};

/// For each template, what it and the templates it builds on read.
#[derive(Default)]
pub struct TemplateUses {
    /// The templates each template is built on, itself included.
    names: HashMap<String, HashSet<String>>,
    reads: HashMap<String, Reads>,
}

impl TemplateUses {
    pub fn new(templates: &Templates) -> TemplateUses {
        let components: Vec<&str> =
            templates.names().filter(|n| templates.reads(n).is_some_and(|r| r.defines_components)).collect();
        let mut uses = TemplateUses::default();
        for name in templates.names() {
            let mut seen: HashSet<String> = HashSet::new();
            let mut todo: Vec<String> = components.iter().map(|c| c.to_string()).collect();
            todo.push(name.to_string());
            while let Some(next) = todo.pop() {
                if let Some(reads) = templates.reads(&next).filter(|_| !seen.contains(&next)) {
                    todo.extend(reads.builds_on.iter().filter(|r| !seen.contains(*r)).cloned());
                }
                seen.insert(next);
            }
            let mut reads = Reads::default();
            for n in &seen {
                if let Some(r) = templates.reads(n) {
                    reads.add(r);
                }
            }
            if reads.site.is_empty() && templates.variables(name).is_none_or(|v| v.contains("site")) {
                reads.site = Names::All;
            }
            uses.reads.insert(name.to_string(), reads);
            uses.names.insert(name.to_string(), seen);
        }
        uses
    }

    /// Whether `template` (or one it builds on) is `name`.
    pub fn involves(&self, template: Option<&str>, name: &str) -> bool {
        template.is_some_and(|t| self.names.get(t).is_some_and(|n| n.contains(name)))
    }

    /// Whether `template` reads any of `fields` of `site`.
    pub fn reads(&self, template: Option<&str>, fields: &BTreeSet<&str>) -> bool {
        let Some(reads) = template.and_then(|t| self.reads.get(t)) else {
            return false;
        };
        reads.site.any(fields.iter().copied())
    }

    pub fn calls_lookups(&self, template: Option<&str>) -> bool {
        template.and_then(|t| self.reads.get(t)).is_some_and(|r| r.lookups)
    }

    /// Whether `template` may read any of `fields` of a page it lists.
    pub fn reads_page(&self, template: Option<&str>, fields: &BTreeSet<&str>) -> bool {
        let Some(reads) = template.and_then(|t| self.reads.get(t)) else {
            return false;
        };
        reads.attributes.any(fields.iter().copied())
    }
}
