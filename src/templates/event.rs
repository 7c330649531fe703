//! How an event's time reads on a page, and its schema.org description.
//!
//! Readers must see the time the organiser meant, so an event is always
//! shown in its own zone, named by abbreviation and UTC offset ("09:00–17:30
//! CET (UTC+1)"); a range across a clock change names both. The machine
//! forms (`<time datetime>`, JSON-LD) carry the offset, so a browser or a
//! search engine can convert to the reader's zone without guessing.

use jiff::ZonedDateTime;
use jiff::tz::Offset;
use serde::Serialize;
use serde_json::{Value, json};

use crate::content::{Event, EventStatus, When};

/// `page.when`: the event's dates and times as text and as machine-readable values.
#[derive(Debug, Serialize, Default, PartialEq, Eq)]
pub struct WhenContext {
    /// The whole range as one line, e.g. "Tue 3 Mar 2026, 09:00–17:30 CET (UTC+1)".
    pub text: String,
    pub start_text: String,
    /// Null when the event has no end.
    pub end_text: Option<String>,
    /// What goes between start and end: "–" within a day, " – " across days.
    pub separator: &'static str,
    /// The zone, when start and end share one ("CET (UTC+1)"); null for all-day
    /// events and when each end names its own.
    pub zone: Option<String>,
    /// `<time datetime>` values: `2026-03-03T09:00:00+01:00`, or `2026-10-06` for a day.
    pub start_datetime: String,
    pub end_datetime: Option<String>,
}

const DAY: &str = "%a %-d %b %Y";

/// "UTC+1", "UTC+5:30", "UTC-3", "UTC+0".
pub fn offset_text(offset: Offset) -> String {
    let secs = offset.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let (h, m) = (secs.abs() / 3600, secs.abs() % 3600 / 60);
    if m == 0 { format!("UTC{sign}{h}") } else { format!("UTC{sign}{h}:{m:02}") }
}

/// The zone as readers see it: "CET (UTC+1)"; just the offset when the
/// zone's abbreviation is itself a number ("-03"); "UTC" for UTC.
pub fn zone_text(zdt: &ZonedDateTime) -> String {
    let abbreviation = zdt.time_zone().to_offset_info(zdt.timestamp()).abbreviation().to_string();
    let offset = offset_text(zdt.offset());
    if abbreviation == "UTC" && zdt.offset().seconds() == 0 {
        "UTC".to_string()
    } else if abbreviation.is_empty() || abbreviation.starts_with(['+', '-']) {
        offset
    } else {
        format!("{abbreviation} ({offset})")
    }
}

/// RFC 3339 with the offset, as `<time datetime>` and JSON-LD want it.
pub fn rfc3339(zdt: &ZonedDateTime) -> String {
    zdt.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

pub fn when(event: &Event) -> WhenContext {
    match (event.start, event.end) {
        (When::Day(start), end) => {
            let end = match end {
                Some(When::Day(e)) if e != start => Some(e),
                _ => None,
            };
            let start_text = start.strftime(DAY).to_string();
            let end_text = end.map(|e| e.strftime(DAY).to_string());
            let text = match &end_text {
                Some(e) => format!("{start_text} – {e} (all day)"),
                None => format!("{start_text} (all day)"),
            };
            WhenContext {
                text,
                start_text,
                end_text,
                separator: " – ",
                zone: None,
                start_datetime: start.to_string(),
                end_datetime: end.map(|e| e.to_string()),
            }
        }
        (When::At(_), end) => {
            let Some(start) = event.zoned(event.start) else { return WhenContext::default() };
            let end = end.and_then(|e| event.zoned(e));
            timed(&start, end.as_ref())
        }
    }
}

fn timed(start: &ZonedDateTime, end: Option<&ZonedDateTime>) -> WhenContext {
    let start_zone = zone_text(start);
    let at = |z: &ZonedDateTime| z.strftime("%a %-d %b %Y, %H:%M").to_string();
    let Some(end) = end else {
        let start_text = at(start);
        return WhenContext {
            text: format!("{start_text} {start_zone}"),
            start_text,
            separator: "–",
            zone: Some(start_zone),
            start_datetime: rfc3339(start),
            ..WhenContext::default()
        };
    };
    let same_day = start.date() == end.date();
    let end_zone = zone_text(end);
    let separator = if same_day { "–" } else { " – " };
    let mut start_text = at(start);
    let mut end_text = if same_day { end.strftime("%H:%M").to_string() } else { at(end) };
    let zone = if start_zone == end_zone {
        Some(start_zone)
    } else {
        start_text = format!("{start_text} {start_zone}");
        end_text = format!("{end_text} {end_zone}");
        None
    };
    let separator = if zone.is_none() { " – " } else { separator };
    let text = match &zone {
        Some(z) => format!("{start_text}{separator}{end_text} {z}"),
        None => format!("{start_text}{separator}{end_text}"),
    };
    WhenContext {
        text,
        start_text,
        end_text: Some(end_text),
        separator,
        zone,
        start_datetime: rfc3339(start),
        end_datetime: Some(rfc3339(end)),
    }
}

/// What JSON-LD needs of the page besides its event.
pub struct PageFacts<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub permalink: &'a str,
}

/// The schema.org `Event` of a page, as text safe to put inside `<script>`.
pub fn json_ld(page: &PageFacts, event: &Event) -> String {
    let when = when(event);
    let status = match event.status {
        EventStatus::Scheduled => "EventScheduled",
        EventStatus::Cancelled => "EventCancelled",
        EventStatus::Postponed => "EventPostponed",
    };
    let mode = match (&event.location, &event.online) {
        (Some(_), Some(_)) => "MixedEventAttendanceMode",
        (None, Some(_)) => "OnlineEventAttendanceMode",
        _ => "OfflineEventAttendanceMode",
    };
    let mut locations = Vec::new();
    if let Some(place) = &event.location {
        locations.push(json!({"@type": "Place", "name": place, "address": place}));
    }
    if let Some(url) = &event.online {
        locations.push(json!({"@type": "VirtualLocation", "url": url}));
    }
    let mut doc = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": page.title,
        "url": page.permalink,
        "startDate": when.start_datetime,
        "eventStatus": format!("https://schema.org/{status}"),
        "eventAttendanceMode": format!("https://schema.org/{mode}"),
    });
    let Value::Object(map) = &mut doc else { return String::new() };
    if !page.description.is_empty() {
        map.insert("description".into(), page.description.into());
    }
    // schema.org reads a date-only endDate as the last day, as pages show it.
    let end = when.end_datetime.or_else(|| matches!(event.start, When::Day(_)).then_some(when.start_datetime));
    if let Some(end) = end {
        map.insert("endDate".into(), end.into());
    }
    match locations.len() {
        0 => {}
        1 => {
            map.insert("location".into(), locations.remove(0));
        }
        _ => {
            map.insert("location".into(), Value::Array(locations));
        }
    }
    if let Some(name) = &event.organizer {
        map.insert("organizer".into(), json!({"@type": "Organization", "name": name}));
    }
    // A cancelled event takes no registrations, though the link stays in its front matter.
    if let Some(url) = event.register.as_ref().filter(|_| event.status != EventStatus::Cancelled) {
        map.insert("offers".into(), json!({"@type": "Offer", "url": url}));
    }
    script_safe(&doc.to_string())
}

/// JSON with `<`, `>` and `&` written as `\u003c`…, so nothing in it can
/// close the `<script>` element or open a comment; the JSON means the same.
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn event(start: When, end: Option<When>, zone: &str) -> Event {
        Event {
            start,
            end,
            timezone_name: zone.into(),
            timezone: jiff::tz::TimeZone::get(zone).unwrap(),
            location: None,
            online: None,
            register: None,
            organizer: None,
            status: EventStatus::Scheduled,
        }
    }

    fn at(y: i16, m: i8, d: i8, h: i8, min: i8) -> When {
        When::At(date(y, m, d).at(h, min, 0, 0))
    }

    #[test]
    fn a_day_event_reads_in_its_zone_with_abbreviation_and_offset() {
        let e = event(at(2026, 3, 3, 9, 0), Some(at(2026, 3, 3, 17, 30)), "Europe/Brussels");
        let w = when(&e);
        assert_eq!(w.text, "Tue 3 Mar 2026, 09:00–17:30 CET (UTC+1)");
        assert_eq!(w.start_datetime, "2026-03-03T09:00:00+01:00");
        assert_eq!(w.end_datetime.as_deref(), Some("2026-03-03T17:30:00+01:00"));
    }

    #[test]
    fn half_hour_offsets_and_numeric_abbreviations() {
        let e = event(at(2026, 9, 15, 9, 30), Some(at(2026, 9, 15, 11, 0)), "Australia/Adelaide");
        assert_eq!(when(&e).text, "Tue 15 Sep 2026, 09:30–11:00 ACST (UTC+9:30)");
        let e = event(at(2026, 7, 8, 14, 0), None, "Asia/Kolkata");
        assert_eq!(when(&e).text, "Wed 8 Jul 2026, 14:00 IST (UTC+5:30)");
        let e = event(at(2026, 7, 8, 14, 0), None, "America/Sao_Paulo");
        assert_eq!(when(&e).text, "Wed 8 Jul 2026, 14:00 UTC-3");
        let e = event(at(2026, 7, 8, 14, 0), None, "UTC");
        assert_eq!(when(&e).text, "Wed 8 Jul 2026, 14:00 UTC");
    }

    #[test]
    fn a_range_across_a_clock_change_names_both_zones() {
        let e = event(at(2027, 3, 27, 20, 0), Some(at(2027, 3, 28, 6, 0)), "Europe/Brussels");
        let w = when(&e);
        assert_eq!(w.text, "Sat 27 Mar 2027, 20:00 CET (UTC+1) – Sun 28 Mar 2027, 06:00 CEST (UTC+2)");
        assert_eq!(w.zone, None);
        assert_eq!(w.end_datetime.as_deref(), Some("2027-03-28T06:00:00+02:00"));
    }

    #[test]
    fn a_time_a_clock_change_skips_moves_past_the_gap() {
        let e = event(at(2027, 3, 28, 2, 30), None, "Europe/Brussels");
        assert_eq!(when(&e).start_datetime, "2027-03-28T03:30:00+02:00");
    }

    #[test]
    fn all_day_and_multi_day_events() {
        let e = event(When::Day(date(2026, 10, 6)), None, "Europe/Brussels");
        let w = when(&e);
        assert_eq!((w.text.as_str(), w.start_datetime.as_str()), ("Tue 6 Oct 2026 (all day)", "2026-10-06"));
        let e = event(When::Day(date(2027, 6, 14)), Some(When::Day(date(2027, 6, 16))), "Asia/Kolkata");
        assert_eq!(when(&e).text, "Mon 14 Jun 2027 – Wed 16 Jun 2027 (all day)");
        let e = event(at(2027, 6, 14, 9, 0), Some(at(2027, 6, 16, 17, 0)), "Asia/Kolkata");
        assert_eq!(when(&e).text, "Mon 14 Jun 2027, 09:00 – Wed 16 Jun 2027, 17:00 IST (UTC+5:30)");
    }

    #[test]
    fn json_ld_is_valid_json_that_cannot_close_its_script() {
        let mut e = event(at(2026, 3, 3, 9, 0), Some(at(2026, 3, 3, 17, 30)), "Europe/Brussels");
        e.location = Some("Hall & Co".into());
        e.online = Some("https://example.org/live".into());
        e.register = Some("https://example.org/register".into());
        e.organizer = Some("Example Network".into());
        e.status = EventStatus::Postponed;
        let page =
            PageFacts { title: "</script><script>alert(1)</script>", description: "", permalink: "https://e.org/x/" };
        let text = json_ld(&page, &e);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["name"], "</script><script>alert(1)</script>");
        assert_eq!(v["startDate"], "2026-03-03T09:00:00+01:00");
        assert_eq!(v["endDate"], "2026-03-03T17:30:00+01:00");
        assert_eq!(v["eventStatus"], "https://schema.org/EventPostponed");
        assert_eq!(v["eventAttendanceMode"], "https://schema.org/MixedEventAttendanceMode");
        assert_eq!(v["location"][0]["@type"], "Place");
        assert_eq!(v["location"][1]["@type"], "VirtualLocation");
        assert_eq!(v["organizer"]["name"], "Example Network");
        assert_eq!(v["offers"]["url"], "https://example.org/register");
    }
}
