//! The content kinds (explainer, term, event, tool, page): their typed data
//! and the checks on their front matter values.

use std::ops::Range;

use jiff::civil;
use serde::Serialize;
use toml::Spanned;
use toml::value::Datetime;

use super::frontmatter::{FrontMatter, KIND_KEYS};
use crate::error::{Problem, suggest};
use crate::paths::is_allowed_url;

mod event;

use event::event;
pub use event::{Event, EventStatus, When};

/// What a page is, which decides its template and what the build derives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Explainer,
    Term,
    Event,
    Tool,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::Explainer, Kind::Term, Kind::Event, Kind::Tool, Kind::Page];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Explainer => "explainer",
            Kind::Term => "term",
            Kind::Event => "event",
            Kind::Tool => "tool",
            Kind::Page => "page",
        }
    }

    pub fn parse(name: &str) -> Result<Kind, Problem> {
        Kind::ALL.into_iter().find(|k| k.name() == name).ok_or_else(|| Problem::BadValue {
            key: "kind".into(),
            reason: format!(
                "unknown kind \"{name}\"{}; pamphlet knows explainer, term, event, tool and page",
                suggest(name, Kind::ALL.map(Kind::name))
                    .map(|s| format!(" (did you mean \"{s}\"?)"))
                    .unwrap_or_default()
            ),
        })
    }
}

/// The data only some kinds have.
#[derive(Debug, Clone)]
pub enum KindData {
    Explainer(Explainer),
    Term(Term),
    Event(Event),
    Tool(Tool),
    Page,
}

#[derive(Debug, Clone, Default)]
pub struct Explainer {
    pub summary: String,
    pub takeaways: Vec<String>,
    pub audience: Vec<String>,
    pub reviewed: Option<civil::Date>,
    pub review_due: Option<(civil::Date, Range<usize>)>,
    pub changes: Vec<(civil::Date, String)>,
    pub further_reading: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct Term {
    pub short: String,
    pub synonyms: Vec<String>,
    /// Slugs of related terms, with their spans for "no such term" errors.
    pub related: Vec<(String, Range<usize>)>,
    pub definitions: Vec<Definition>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Definition {
    pub text: String,
    pub source: String,
    pub url: Option<String>,
    pub jurisdiction: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ToolStatus {
    Approved,
    UnderReview,
    Retired,
}

impl ToolStatus {
    /// The status as front matter and URLs write it.
    pub fn name(self) -> &'static str {
        match self {
            ToolStatus::Approved => "approved",
            ToolStatus::UnderReview => "under-review",
            ToolStatus::Retired => "retired",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Tool {
    pub url: Option<String>,
    pub license: Option<String>,
    pub maintainer: Option<String>,
    pub category: Option<String>,
    pub status: ToolStatus,
    pub reviewed: Option<civil::Date>,
}

/// Site-wide settings the kind checks need.
pub struct KindSettings<'c> {
    pub timezone_name: &'c str,
    pub timezone: &'c jiff::tz::TimeZone,
    pub categories: &'c [String],
}

/// Problems found in front matter, with byte spans into the front matter text.
pub type Problems = Vec<(Problem, Range<usize>)>;

/// Reads the data of `kind` out of `fm`, reporting keys of other kinds and
/// every bad value.
pub fn kind_data(kind: Kind, fm: &mut FrontMatter, settings: &KindSettings, problems: &mut Problems) -> KindData {
    for (key, span) in fm.kind_keys_set() {
        let owners = KIND_KEYS.iter().find(|(k, _)| *k == key).map_or(&[][..], |(_, o)| *o);
        if !owners.contains(&kind.name()) {
            let owner = owners.join(" and ");
            problems.push((Problem::KeyNotForKind { key: key.into(), owner, kind: kind.name().into() }, span));
        }
    }
    match kind {
        Kind::Explainer => KindData::Explainer(explainer(fm, problems)),
        Kind::Term => KindData::Term(term(fm, problems)),
        Kind::Event => event(fm, settings, problems).map_or(KindData::Page, KindData::Event),
        Kind::Tool => tool(fm, settings, problems).map_or(KindData::Page, KindData::Tool),
        Kind::Page => KindData::Page,
    }
}

fn explainer(fm: &mut FrontMatter, problems: &mut Problems) -> Explainer {
    let review_due = fm.review_due.take().and_then(|d| {
        let span = d.span();
        date_of("review_due", &d, problems).map(|date| (date, span))
    });
    Explainer {
        summary: take(&mut fm.summary).unwrap_or_default(),
        takeaways: take(&mut fm.takeaways).unwrap_or_default(),
        audience: take(&mut fm.audience).unwrap_or_default(),
        reviewed: fm.reviewed.take().and_then(|d| date_of("reviewed", &d, problems)),
        review_due,
        changes: take(&mut fm.changes)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|c| date_of("changes.date", &c.date, problems).map(|d| (d, c.note)))
            .collect(),
        further_reading: take(&mut fm.further_reading)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|r| checked_url("further_reading.url", r.url, problems).map(|u| (r.title, u)))
            .collect(),
    }
}

fn term(fm: &mut FrontMatter, problems: &mut Problems) -> Term {
    let short = match fm.short.take() {
        Some(s) if !s.get_ref().trim().is_empty() => s.into_inner(),
        Some(s) => {
            let reason = "give one plain sentence defining the term".into();
            problems.push((Problem::BadValue { key: "short".into(), reason }, s.span()));
            String::new()
        }
        None => {
            problems.push((Problem::MissingKey("short".into()), fm.title.span()));
            String::new()
        }
    };
    Term {
        short,
        synonyms: take(&mut fm.synonyms).unwrap_or_default(),
        related: take(&mut fm.related)
            .unwrap_or_default()
            .into_iter()
            .map(|s| (s.get_ref().clone(), s.span()))
            .collect(),
        definitions: take(&mut fm.definitions)
            .unwrap_or_default()
            .into_iter()
            .map(|d| Definition {
                url: d.url.and_then(|u| checked_url("definitions.url", u, problems)),
                text: d.text,
                source: d.source,
                jurisdiction: d.jurisdiction,
            })
            .collect(),
    }
}

fn tool(fm: &mut FrontMatter, settings: &KindSettings, problems: &mut Problems) -> Option<Tool> {
    let category = fm.category.take().map(|c| {
        let allowed = settings.categories;
        if !allowed.is_empty() && !allowed.contains(c.get_ref()) {
            let names: Vec<&str> = allowed.iter().map(String::as_str).collect();
            problems.push((bad_choice("category", c.get_ref(), &names), c.span()));
        }
        c.into_inner()
    });
    let url = fm.url.take().and_then(|u| checked_url("url", u, problems));
    let reviewed = fm.reviewed.take().and_then(|d| date_of("reviewed", &d, problems));
    let status = match fm.status.take() {
        None => {
            problems.push((Problem::MissingKey("status".into()), fm.title.span()));
            return None;
        }
        Some(s) => match s.get_ref().as_str() {
            "approved" => ToolStatus::Approved,
            "under-review" => ToolStatus::UnderReview,
            "retired" => ToolStatus::Retired,
            other => {
                problems.push((bad_choice("status", other, &["approved", "under-review", "retired"]), s.span()));
                return None;
            }
        },
    };
    Some(Tool { url, license: take(&mut fm.license), maintainer: take(&mut fm.maintainer), category, status, reviewed })
}

fn take<T>(field: &mut Option<Spanned<T>>) -> Option<T> {
    field.take().map(Spanned::into_inner)
}

fn bad_choice(key: &str, value: &str, allowed: &[&str]) -> Problem {
    let hint = suggest(value, allowed.iter().copied()).map(|s| format!(" (did you mean \"{s}\"?)")).unwrap_or_default();
    let reason = format!("\"{value}\" is not one of {}{hint}", allowed.join(", "));
    Problem::BadValue { key: key.into(), reason }
}

fn checked_url(key: &str, url: Spanned<String>, problems: &mut Problems) -> Option<String> {
    if is_allowed_url(url.get_ref()) {
        return Some(url.into_inner());
    }
    let reason = format!("\"{}\" is not an http, https or mailto link", url.get_ref());
    problems.push((Problem::BadValue { key: key.into(), reason }, url.span()));
    None
}

/// A calendar date from a TOML date or date-time (whose time is ignored).
pub fn date_of(key: &str, raw: &Spanned<Datetime>, problems: &mut Problems) -> Option<civil::Date> {
    let result = raw
        .get_ref()
        .date
        .ok_or_else(|| "needs a date, like 2026-03-02".to_string())
        .and_then(|d| civil::Date::new(d.year as i16, d.month as i8, d.day as i8).map_err(|e| e.to_string()));
    result.map_err(|reason| problems.push((Problem::BadValue { key: key.into(), reason }, raw.span()))).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> (jiff::tz::TimeZone, Vec<String>) {
        (jiff::tz::TimeZone::UTC, vec!["Evaluation".to_string()])
    }

    fn data(kind: Kind, text: &str) -> (KindData, Vec<Problem>, String) {
        let mut fm: FrontMatter = toml::from_str(text).unwrap();
        let (tz, cats) = settings();
        let s = KindSettings { timezone_name: "UTC", timezone: &tz, categories: &cats };
        let mut problems = Vec::new();
        let d = kind_data(kind, &mut fm, &s, &mut problems);
        let first_span = problems.first().map(|(_, r)| text[r.clone()].to_string()).unwrap_or_default();
        (d, problems.into_iter().map(|(p, _)| p).collect(), first_span)
    }

    #[test]
    fn an_event_with_a_bad_zone_gets_a_suggestion_at_the_value() {
        let (_, problems, span) =
            data(Kind::Event, "title = \"W\"\nstart = 2026-03-03T09:00:00\ntimezone = \"Europe/Brusels\"\n");
        assert_eq!(
            problems,
            [Problem::UnknownTimezone { zone: "Europe/Brusels".into(), suggestion: Some("Europe/Brussels".into()) }]
        );
        assert_eq!(span, "\"Europe/Brusels\"");
    }

    #[test]
    fn an_event_ending_before_it_starts_is_an_error() {
        let (_, problems, span) =
            data(Kind::Event, "title = \"W\"\nstart = 2026-03-03T09:00:00\nend = 2026-03-03T08:00:00\n");
        assert!(matches!(problems[0], Problem::EndBeforeStart { .. }));
        assert_eq!(span, "2026-03-03T08:00:00");
        let (d, problems, _) = data(Kind::Event, "title = \"W\"\nstart = 2026-03-03\nend = 2026-03-05\n");
        assert!(problems.is_empty());
        assert!(matches!(d, KindData::Event(Event { start: When::Day(_), end: Some(When::Day(_)), .. })));
    }

    #[test]
    fn an_event_compares_times_in_its_zone_across_a_dst_change() {
        // Clocks in Brussels go forward at 02:00 on 2027-03-28: 01:30 to 03:15 is 45 minutes.
        let text =
            "title = \"W\"\nstart = 2027-03-28T01:30:00\nend = 2027-03-28T03:15:00\ntimezone = \"Europe/Brussels\"\n";
        assert!(data(Kind::Event, text).1.is_empty());
    }

    #[test]
    fn event_links_must_be_web_links_and_times_local() {
        let (_, problems, _) =
            data(Kind::Event, "title = \"W\"\nstart = 2026-03-03T09:00:00Z\nregister = \"javascript:alert(1)\"\n");
        assert!(problems.iter().any(|p| matches!(p, Problem::BadValue { key, .. } if key == "start")));
        let (_, problems, span) =
            data(Kind::Event, "title = \"W\"\nstart = 2026-03-03T09:00:00\nregister = \"javascript:alert(1)\"\n");
        assert!(matches!(&problems[..], [Problem::BadValue { key, .. }] if key == "register"), "{problems:?}");
        assert_eq!(span, "\"javascript:alert(1)\"");
    }

    #[test]
    fn a_date_without_a_time_is_an_all_day_event() {
        let (d, problems, _) = data(Kind::Event, "title = \"W\"\nstart = 2026-10-06\n");
        assert!(problems.is_empty());
        let KindData::Event(e) = d else { panic!("not an event") };
        assert_eq!(e.start, When::Day(civil::date(2026, 10, 6)));
        assert_eq!(e.day_after(), Some(civil::date(2026, 10, 7)));
        let (_, problems, _) = data(Kind::Event, "title = \"W\"\nstart = 2026-10-06\nend = 2026-10-06T10:00:00\n");
        assert!(matches!(&problems[..], [Problem::BadValue { key, .. }] if key == "end"), "{problems:?}");
    }

    #[test]
    fn a_bad_status_does_not_hide_a_bad_category() {
        let (_, problems, _) = data(Kind::Tool, "title = \"T\"\nstatus = \"aproved\"\ncategory = \"Fun\"\n");
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn keys_of_other_kinds_are_errors() {
        let (_, problems, span) = data(Kind::Explainer, "title = \"E\"\nstart = 2026-03-03\n");
        assert_eq!(
            problems,
            [Problem::KeyNotForKind { key: "start".into(), owner: "event".into(), kind: "explainer".into() }]
        );
        assert_eq!(span, "2026-03-03");
    }

    #[test]
    fn tools_need_a_known_status_and_category() {
        let (_, problems, _) = data(Kind::Tool, "title = \"T\"\nstatus = \"aproved\"\n");
        assert!(
            matches!(&problems[0], Problem::BadValue { reason, .. } if reason.contains("did you mean \"approved\""))
        );
        let (_, problems, _) = data(Kind::Tool, "title = \"T\"\nstatus = \"approved\"\ncategory = \"Fun\"\n");
        assert!(matches!(&problems[0], Problem::BadValue { key, .. } if key == "category"));
        let (d, problems, _) = data(Kind::Tool, "title = \"T\"\nstatus = \"retired\"\ncategory = \"Evaluation\"\n");
        assert!(problems.is_empty());
        assert!(matches!(d, KindData::Tool(Tool { status: ToolStatus::Retired, .. })));
    }

    #[test]
    fn terms_need_a_short_definition() {
        let (_, problems, _) = data(Kind::Term, "title = \"T\"\n");
        assert_eq!(problems, [Problem::MissingKey("short".into())]);
    }

    #[test]
    fn unknown_kinds_get_a_suggestion() {
        assert!(
            matches!(Kind::parse("explaner"), Err(Problem::BadValue { reason, .. }) if reason.contains("\"explainer\""))
        );
        assert_eq!(Kind::parse("tool"), Ok(Kind::Tool));
    }
}
