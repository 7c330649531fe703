//! The typed template context: what themes can use, as `Serialize` structs
//! that borrow from the content model, one per template kind. Their fields
//! are the theme API that the README documents.
//!
//! Contexts stay typed until Tera serialises them. What many pages share is
//! serialised once per build and kept in a value of its own type
//! ([`PageValue`], [`SiteValue`], [`ConfigValue`], [`SectionValue`]), made
//! only from its typed struct and passed to templates whole: nothing opens
//! one again to patch it. Tera copies such a value into a context by
//! reference count. A page's own context is its listing value with its body
//! and what only it shows ([`PageOwn`]) beside it in one map: the typed
//! [`PageView`] says so (serde's `flatten`), and [`PageView::value`] makes
//! that map from the listing value's entries without serialising them
//! again, which on a 10,000-page site is a tenth of the page stage's work.
//!
//! - [`page`]: `page`, as listings show it and in its own template;
//! - [`section`]: `section`, `get_section` and `paginator`;
//! - [`listing`]: `tag`, `view` (the catalog's narrowed pages) and `search`;
//! - [`template`]: the whole context of each kind of template, and
//!   [`crate::templates::site`] makes `site`.

pub mod listing;
pub mod page;
pub mod section;
pub mod template;

use serde::{Serialize, Serializer};
use tera::Value;

pub use super::view::Site;
use crate::config::Config;
use crate::content::Page;
pub use page::{OwnFields, PageContext, PageOwn, PageView};
pub use section::{Paginator, SectionContext, SubsectionContext};

/// `config`: site.toml as templates see it.
#[derive(Serialize)]
pub struct ConfigContext<'a> {
    pub title: &'a str,
    pub base_url: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub license: &'a str,
    pub timezone: &'a str,
    pub search: &'a crate::config::SearchConfig,
    pub extra: serde_json::Value,
}

impl<'a> ConfigContext<'a> {
    pub fn new(config: &'a Config) -> Self {
        ConfigContext {
            title: &config.title,
            base_url: config.base_url.as_str(),
            description: &config.description,
            language: &config.language,
            license: &config.license,
            timezone: &config.timezone_name,
            search: &config.search,
            extra: toml_to_json(&toml::Value::Table(config.extra.clone())),
        }
    }
}

/// TOML as plain data for templates: dates become their TOML text.
pub fn toml_to_json(value: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => J::from(*f),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => J::Object(t.iter().map(|(k, v)| (k.clone(), toml_to_json(v))).collect()),
    }
}

/// Declares a context serialised once for many templates: made only from
/// its typed struct, and handed to Tera whole.
macro_rules! serialised_once {
    ($(#[$doc:meta])* $name:ident from $context:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(Value);

        impl $name {
            pub fn new(context: &$context<'_>) -> Self {
                $name(Value::from_serializable(context))
            }

            /// The serialised value, for a context assembled from its parts.
            pub fn value(&self) -> &Value {
                &self.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.0.serialize(serializer)
            }
        }
    };
}

serialised_once!(
    /// `config`, serialised once per build.
    ConfigValue from ConfigContext
);
serialised_once!(
    /// A page as listings, `site` and `get_page` show it (no body, none of
    /// [`PageOwn`]), serialised once per build and after an edit to it.
    PageValue from PageContext
);
serialised_once!(
    /// `site`, serialised once per build and after an edit that changes it.
    SiteValue from SiteContext
);
serialised_once!(
    /// A section as `get_section` gives it: with all its pages, without its body.
    SectionValue from SectionListing
);

pub use super::site::SiteContext;
pub use section::SectionListing;

/// HTML that pamphlet made (a rendered body), which templates print as it is.
pub struct TrustedHtml(Value);

impl TrustedHtml {
    pub fn new(html: &str) -> Self {
        TrustedHtml(Value::safe_string(html))
    }

    pub fn value(&self) -> &Value {
        &self.0
    }
}

impl Serialize for TrustedHtml {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// A link to another page: what lists and breadcrumbs need.
#[derive(Serialize, Clone)]
pub struct LinkContext {
    pub title: String,
    pub path: String,
    pub permalink: String,
}

#[derive(Serialize)]
pub struct TagRef {
    pub name: String,
    pub slug: String,
    pub path: String,
}

/// A related page: for a term, a term it names in `related`; for an
/// explainer, one of the explainers that share most tags with it.
#[derive(Serialize)]
pub struct Related {
    pub slug: String,
    pub title: String,
    pub path: String,
    pub permalink: String,
    /// A term's short definition; an explainer's description, else its summary.
    pub summary: String,
}

impl Related {
    pub fn new(site: &Site, page: &Page, summary: String) -> Self {
        let url = &page.doc.url;
        Related {
            slug: url.slug().to_string(),
            title: page.doc.meta.title.clone(),
            path: site.path(url),
            permalink: site.permalink(url),
            summary,
        }
    }
}

/// A glossary term as other pages list it.
#[derive(Serialize)]
pub struct TermRef<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub short: &'a str,
    pub path: String,
    pub permalink: String,
}

/// A page or section that uses a glossary term, or links to a page.
#[derive(Serialize)]
pub struct UsedIn<'a> {
    pub title: &'a str,
    /// The page's kind, or `section`.
    pub kind: &'a str,
    pub path: String,
    pub permalink: String,
}
