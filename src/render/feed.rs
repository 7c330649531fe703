//! `atom.xml` (RFC 4287): explainers and events, newest first, for feed
//! readers and the services that watch policy sites for changes.
//!
//! Every date comes from the content (`updated`, else `date`, else an
//! explainer's `reviewed` or an event's first day), never from the clock, so
//! the same site gives the same feed. Explainers with no date at all are
//! left out: a feed entry needs one, and inventing it would mislead.

use jiff::civil;

use super::extras::xml_escape;
use crate::content::{Kind, KindData, Page};
use crate::paths::UrlPath;
use crate::templates::context::Site;
use crate::templates::event::when;

struct Entry<'a> {
    page: &'a Page,
    updated: civil::Date,
    summary: String,
}

fn entry<'a>(page: &'a Page) -> Option<Entry<'a>> {
    let meta = &page.doc.meta;
    if page.doc.shadowed || !matches!(page.kind, Kind::Explainer | Kind::Event) {
        return None;
    }
    let (fallback, summary) = match &page.data {
        KindData::Explainer(e) => {
            let summary = if meta.description.is_empty() { e.summary.clone() } else { meta.description.clone() };
            (e.reviewed, summary)
        }
        KindData::Event(e) => {
            let mut summary = when(e).text;
            if !meta.description.is_empty() {
                summary = format!("{summary}. {}", meta.description);
            }
            (Some(e.start_day()), summary)
        }
        _ => return None,
    };
    let updated = meta.updated.or(meta.date).or(fallback)?;
    Some(Entry { page, updated, summary })
}

fn stamp(date: civil::Date) -> String {
    format!("{date}T00:00:00Z")
}

/// Text fit for XML 1.0: escaped, and without the control characters XML forbids.
fn text(s: &str) -> String {
    let kept: String = s.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect();
    xml_escape(&kept)
}

/// The whole feed.
pub fn atom(site: &Site) -> String {
    let config = site.config;
    let mut entries: Vec<Entry> = site.content.pages.iter().filter_map(entry).collect();
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.page.doc.url.cmp(&b.page.doc.url)));
    if config.feed.limit > 0 {
        entries.truncate(config.feed.limit);
    }
    let home = site.permalink(&UrlPath::root());
    let feed_url = site.permalink(&UrlPath::root().file("atom.xml"));
    let updated = entries.iter().map(|e| e.updated).max().map_or_else(|| "1970-01-01T00:00:00Z".into(), stamp);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n", text(&config.language)));
    xml.push_str(&format!("  <title type=\"text\">{}</title>\n", text(&config.title)));
    if !config.description.is_empty() {
        xml.push_str(&format!("  <subtitle type=\"text\">{}</subtitle>\n", text(&config.description)));
    }
    xml.push_str(&format!("  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", text(&home)));
    xml.push_str(&format!("  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n", text(&feed_url)));
    xml.push_str(&format!("  <id>{}</id>\n", text(&home)));
    xml.push_str(&format!("  <updated>{updated}</updated>\n"));
    xml.push_str(&format!("  <author><name>{}</name></author>\n", text(&config.title)));
    xml.push_str("  <generator>pamphlet</generator>\n");
    for e in &entries {
        let doc = &e.page.doc;
        let permalink = text(&site.permalink(&doc.url));
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <title type=\"text\">{}</title>\n", text(&doc.meta.title)));
        xml.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{permalink}\"/>\n"));
        xml.push_str(&format!("    <id>{permalink}</id>\n"));
        if let Some(date) = doc.meta.date {
            xml.push_str(&format!("    <published>{}</published>\n", stamp(date)));
        }
        xml.push_str(&format!("    <updated>{}</updated>\n", stamp(e.updated)));
        xml.push_str(&format!("    <category term=\"{}\"/>\n", e.page.kind.name()));
        if !e.summary.is_empty() {
            xml.push_str(&format!("    <summary type=\"text\">{}</summary>\n", text(&e.summary)));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_stripped_of_forbidden_characters() {
        assert_eq!(text("A <b> & \"c\"\u{0}\u{1b}"), "A &lt;b&gt; &amp; &quot;c&quot;");
        assert_eq!(stamp(civil::date(2026, 3, 2)), "2026-03-02T00:00:00Z");
    }
}
