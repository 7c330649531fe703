//! iCalendar (RFC 5545): `event.ics` beside each event page and
//! `/events.ics` with every event, so readers can put events in their own
//! calendars at the right hour.
//!
//! Times are written as the organiser wrote them, in the event's zone, with
//! a `VTIMEZONE` built from the same tzdb data pamphlet uses (jiff's), so a
//! calendar that does not know the zone still works out the right instant.
//! Nothing depends on the wall clock: `DTSTAMP` comes from the page's own
//! dates, the `UID` from its URL, so rebuilding gives the same bytes.

use std::collections::BTreeMap;

use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ToSpan};

use crate::content::{Event, EventStatus, Page, When};
use crate::templates::context::Site;

/// One event and the page it is on.
pub type Entry<'a> = (&'a Page, &'a Event);

/// A whole calendar (`VCALENDAR`) holding `events`, with CRLF line ends.
pub fn calendar(site: &Site, name: &str, events: &[Entry]) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//pamphlet//pamphlet//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", escape(name)),
    ];
    for (zone, (tz, from, to)) in zones(events) {
        lines.extend(vtimezone(&zone, &tz, from, to));
    }
    for (page, event) in events {
        lines.extend(vevent(site, page, event));
    }
    lines.push("END:VCALENDAR".to_string());
    let mut out = String::new();
    for line in lines {
        fold_into(&line, &mut out);
    }
    out
}

/// The zones `events` use (other than UTC), each with the span of instants
/// its events cover, by name so the output is stable.
fn zones(events: &[Entry]) -> BTreeMap<String, (TimeZone, Timestamp, Timestamp)> {
    let mut out: BTreeMap<String, (TimeZone, Timestamp, Timestamp)> = BTreeMap::new();
    for (_, e) in events {
        if matches!(e.start, When::Day(_)) || is_utc(e) {
            continue;
        }
        let instants: Vec<Timestamp> =
            [Some(e.start), e.end].into_iter().flatten().filter_map(|w| e.instant(w)).collect();
        let (Some(&lo), Some(&hi)) = (instants.iter().min(), instants.iter().max()) else { continue };
        let entry = out.entry(e.timezone_name.clone()).or_insert_with(|| (e.timezone.clone(), lo, hi));
        entry.1 = entry.1.min(lo);
        entry.2 = entry.2.max(hi);
    }
    out
}

fn is_utc(e: &Event) -> bool {
    matches!(e.timezone_name.as_str(), "UTC" | "Etc/UTC" | "Etc/Zulu" | "Zulu" | "UCT" | "Etc/UCT")
}

/// A `VTIMEZONE` with the transition in force at `from` and every one up to
/// `to`, each as an explicit `STANDARD` or `DAYLIGHT` block (no `RRULE`).
pub fn vtimezone(name: &str, tz: &TimeZone, from: Timestamp, to: Timestamp) -> Vec<String> {
    let mut lines = vec!["BEGIN:VTIMEZONE".to_string(), format!("TZID:{name}")];
    let just_after = from.checked_add(1.second()).unwrap_or(from);
    let first = tz.preceding(just_after).next();
    let mut transitions: Vec<(Timestamp, Offset, String, bool)> = Vec::new();
    if let Some(t) = &first {
        transitions.push((t.timestamp(), t.offset(), t.abbreviation().to_string(), t.dst().is_dst()));
    }
    for t in tz.following(first.as_ref().map_or(from, |t| t.timestamp())) {
        if t.timestamp() > to {
            break;
        }
        transitions.push((t.timestamp(), t.offset(), t.abbreviation().to_string(), t.dst().is_dst()));
    }
    if transitions.is_empty() {
        // A zone that never changes: one block that has always applied.
        let info = tz.to_offset_info(from);
        let offset = ical_offset(info.offset());
        lines.extend([
            "BEGIN:STANDARD".to_string(),
            "DTSTART:19700101T000000".to_string(),
            format!("TZOFFSETFROM:{offset}"),
            format!("TZOFFSETTO:{offset}"),
            format!("TZNAME:{}", escape(info.abbreviation())),
            "END:STANDARD".to_string(),
        ]);
    }
    for (at, offset, abbreviation, dst) in transitions {
        let before = at.checked_sub(1.second()).map_or(offset, |t| tz.to_offset(t));
        let block = if dst { "DAYLIGHT" } else { "STANDARD" };
        lines.extend([
            format!("BEGIN:{block}"),
            // The moment of change, on the clocks of the time before it.
            format!("DTSTART:{}", before.to_datetime(at).strftime("%Y%m%dT%H%M%S")),
            format!("TZOFFSETFROM:{}", ical_offset(before)),
            format!("TZOFFSETTO:{}", ical_offset(offset)),
            format!("TZNAME:{}", escape(&abbreviation)),
            format!("END:{block}"),
        ]);
    }
    lines.push("END:VTIMEZONE".to_string());
    lines
}

/// `+0100`, `+0530`, `-0300`, `+001730` (seconds only when there are some).
fn ical_offset(offset: Offset) -> String {
    let secs = offset.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let (h, m, s) = (secs.abs() / 3600, secs.abs() % 3600 / 60, secs.abs() % 60);
    if s == 0 { format!("{sign}{h:02}{m:02}") } else { format!("{sign}{h:02}{m:02}{s:02}") }
}

fn utc_stamp(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// `DTSTART`/`DTEND` for a time: local with `TZID`, or UTC.
fn time_property(name: &str, event: &Event, when: When) -> Option<String> {
    let zoned = event.zoned(when)?;
    if is_utc(event) {
        return Some(format!("{name}:{}", utc_stamp(zoned.timestamp())));
    }
    // The resolved local time: a time a clock change skips is moved past it.
    Some(format!("{name};TZID={}:{}", event.timezone_name, zoned.datetime().strftime("%Y%m%dT%H%M%S")))
}

/// One `VEVENT`.
fn vevent(site: &Site, page: &Page, event: &Event) -> Vec<String> {
    let doc = &page.doc;
    let permalink = site.permalink(&doc.url);
    let host = site.config.base_url.host();
    let uid = format!("{}@{host}", site.path(&doc.url).trim_matches('/'));
    let stamp = doc
        .meta
        .updated
        .or(doc.meta.date)
        .and_then(|d| d.to_zoned_datetime(TimeZone::UTC).ok())
        .map(|z| z.timestamp())
        .or_else(|| event.start_instant())
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let mut lines =
        vec!["BEGIN:VEVENT".to_string(), format!("UID:{}", escape(&uid)), format!("DTSTAMP:{}", utc_stamp(stamp))];
    match event.start {
        When::Day(day) => {
            lines.push(format!("DTSTART;VALUE=DATE:{}", day.strftime("%Y%m%d")));
            if let Some(after) = event.day_after() {
                lines.push(format!("DTEND;VALUE=DATE:{}", after.strftime("%Y%m%d")));
            }
        }
        When::At(_) => {
            lines.extend(time_property("DTSTART", event, event.start));
            lines.extend(event.end.and_then(|end| time_property("DTEND", event, end)));
        }
    }
    let (status, prefix) = match event.status {
        EventStatus::Scheduled => ("CONFIRMED", ""),
        EventStatus::Cancelled => ("CANCELLED", "Cancelled: "),
        EventStatus::Postponed => ("TENTATIVE", "Postponed: "),
    };
    lines.push(format!("SUMMARY:{}", escape(&format!("{prefix}{}", doc.meta.title))));
    lines.push(format!("DESCRIPTION:{}", escape(&description(page, event, &permalink))));
    if let Some(place) = event.location.as_ref().or(event.online.as_ref()) {
        lines.push(format!("LOCATION:{}", escape(place)));
    }
    lines.push(format!("URL:{permalink}"));
    lines.push(format!("STATUS:{status}"));
    lines.push("TRANSP:OPAQUE".to_string());
    lines.push("END:VEVENT".to_string());
    lines
}

fn description(page: &Page, event: &Event, permalink: &str) -> String {
    let mut parts = Vec::new();
    match event.status {
        EventStatus::Cancelled => parts.push("This event has been cancelled.".to_string()),
        EventStatus::Postponed => {
            parts.push("This event has been postponed; a new date will be announced.".to_string())
        }
        EventStatus::Scheduled => {}
    }
    if !page.doc.meta.description.is_empty() {
        parts.push(page.doc.meta.description.clone());
    }
    if let Some(url) = &event.online {
        parts.push(format!("Online: {url}"));
    }
    if let Some(url) = event.register.as_ref().filter(|_| event.status != EventStatus::Cancelled) {
        parts.push(format!("Register: {url}"));
    }
    if let Some(name) = &event.organizer {
        parts.push(format!("Organiser: {name}"));
    }
    parts.push(format!("Details: {permalink}"));
    parts.join("\n")
}

/// TEXT as RFC 5545 wants it: `\`, `;`, `,` and line ends escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded at 75 octets (continuations start with a space,
/// which counts), never inside a UTF-8 character, each line ending in CRLF.
pub fn fold_into(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(line: &str) -> String {
        let mut out = String::new();
        fold_into(line, &mut out);
        out
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let line = format!("SUMMARY:{}", "é".repeat(60));
        let out = folded(&line);
        assert!(out.ends_with("\r\n"));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert_eq!(out.replace("\r\n ", "").trim_end(), line);
        assert_eq!(folded("A:b"), "A:b\r\n");
        let exact = "X".repeat(75);
        assert_eq!(folded(&exact), format!("{exact}\r\n"));
        assert_eq!(folded(&format!("{exact}Y")), format!("{exact}\r\n Y\r\n"));
    }

    #[test]
    fn text_escapes_commas_semicolons_backslashes_and_newlines() {
        assert_eq!(escape("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    }

    #[test]
    fn offsets_are_written_with_minutes_and_seconds_when_needed() {
        assert_eq!(ical_offset(Offset::from_seconds(3600).unwrap()), "+0100");
        assert_eq!(ical_offset(Offset::from_seconds(19800).unwrap()), "+0530");
        assert_eq!(ical_offset(Offset::from_seconds(-10800).unwrap()), "-0300");
        assert_eq!(ical_offset(Offset::from_seconds(1050).unwrap()), "+001730");
    }

    #[test]
    fn vtimezone_has_the_transitions_around_the_events() {
        let tz = TimeZone::get("Europe/Brussels").unwrap();
        let from: Timestamp = "2027-03-27T19:00:00Z".parse().unwrap();
        let to: Timestamp = "2027-03-28T04:00:00Z".parse().unwrap();
        let lines = vtimezone("Europe/Brussels", &tz, from, to);
        let text = lines.join("\n");
        // In force at the start: winter time since October 2026.
        assert!(
            text.contains("BEGIN:STANDARD\nDTSTART:20261025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZNAME:CET"),
            "{text}"
        );
        // The change during the event.
        assert!(
            text.contains("BEGIN:DAYLIGHT\nDTSTART:20270328T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nTZNAME:CEST"),
            "{text}"
        );
        assert_eq!(text.matches("BEGIN:").count(), 3, "{text}");
    }

    #[test]
    fn a_zone_without_changes_gets_one_block() {
        let tz = TimeZone::get("Etc/GMT-3").unwrap();
        let at: Timestamp = "2027-03-27T19:00:00Z".parse().unwrap();
        let text = vtimezone("Etc/GMT-3", &tz, at, at).join("\n");
        assert!(text.contains("TZOFFSETFROM:+0300\nTZOFFSETTO:+0300"), "{text}");
    }
}
