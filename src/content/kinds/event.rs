//! Events: when they start and end (a whole day, or a local time in the
//! event's own zone), their status, and the checks on their front matter.

use std::ops::Range;

use jiff::civil;
use serde::Serialize;
use toml::Spanned;
use toml::value::Datetime;

use super::{KindSettings, Problems, bad_choice, checked_url, date_of, take};
use crate::content::frontmatter::FrontMatter;
use crate::error::Problem;

/// When an event starts or ends: a whole day, or a local time in its zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Day(civil::Date),
    At(civil::DateTime),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    Scheduled,
    Cancelled,
    Postponed,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub start: When,
    pub end: Option<When>,
    pub timezone_name: String,
    pub timezone: jiff::tz::TimeZone,
    pub location: Option<String>,
    pub online: Option<String>,
    pub register: Option<String>,
    pub organizer: Option<String>,
    pub status: EventStatus,
}

impl Event {
    /// The instant `when` names in the event's zone; a day starts at midnight.
    pub fn instant(&self, when: When) -> Option<jiff::Timestamp> {
        let dt = match when {
            When::Day(d) => d.to_datetime(civil::Time::midnight()),
            When::At(dt) => dt,
        };
        self.timezone.to_timestamp(dt).ok()
    }

    pub fn start_instant(&self) -> Option<jiff::Timestamp> {
        self.instant(self.start)
    }

    /// `when` as a time in the event's zone. A local time that a clock change
    /// skips is moved forward past the gap, as clocks and calendars do.
    pub fn zoned(&self, when: When) -> Option<jiff::ZonedDateTime> {
        let dt = match when {
            When::Day(d) => d.to_datetime(civil::Time::midnight()),
            When::At(dt) => dt,
        };
        self.timezone.to_zoned_datetime(dt).ok()
    }

    /// The first day after the event, for calendars' exclusive all-day ends.
    pub fn day_after(&self) -> Option<civil::Date> {
        self.last_day().tomorrow().ok()
    }

    /// The calendar day the event starts on, in its own zone.
    pub fn start_day(&self) -> civil::Date {
        match self.start {
            When::Day(d) => d,
            When::At(dt) => dt.date(),
        }
    }

    /// The last calendar day the event runs on, in its own zone.
    pub fn last_day(&self) -> civil::Date {
        match self.end.unwrap_or(self.start) {
            When::Day(d) => d,
            When::At(dt) => dt.date(),
        }
    }
}

pub(super) fn event(fm: &mut FrontMatter, settings: &KindSettings, problems: &mut Problems) -> Option<Event> {
    let (timezone_name, timezone) = match fm.timezone.take() {
        None => (settings.timezone_name.to_string(), settings.timezone.clone()),
        Some(zone) => match crate::config::resolve_zone(zone.get_ref()) {
            Ok(tz) => (zone.into_inner(), tz),
            Err(problem) => {
                problems.push((problem, zone.span()));
                (settings.timezone_name.to_string(), settings.timezone.clone())
            }
        },
    };
    let Some(start_raw) = fm.start.take() else {
        problems.push((Problem::MissingKey("start".into()), fm.title.span()));
        return None;
    };
    let start = when_of("start", &start_raw, problems)?;
    let end = match fm.end.take() {
        None => None,
        Some(raw) => {
            let end = when_of("end", &raw, problems)?;
            check_order(start, end, &timezone, raw.span(), problems);
            Some(end)
        }
    };
    let status = match fm.status.take() {
        None => EventStatus::Scheduled,
        Some(s) => match s.get_ref().as_str() {
            "scheduled" => EventStatus::Scheduled,
            "cancelled" => EventStatus::Cancelled,
            "postponed" => EventStatus::Postponed,
            other => {
                problems.push((bad_choice("status", other, &["scheduled", "cancelled", "postponed"]), s.span()));
                EventStatus::Scheduled
            }
        },
    };
    Some(Event {
        start,
        end,
        timezone_name,
        timezone,
        location: take(&mut fm.location),
        online: fm.online.take().and_then(|u| checked_url("online", u, problems)),
        register: fm.register.take().and_then(|u| checked_url("register", u, problems)),
        organizer: take(&mut fm.organizer),
        status,
    })
}

fn check_order(start: When, end: When, tz: &jiff::tz::TimeZone, span: Range<usize>, problems: &mut Problems) {
    let before = match (start, end) {
        (When::Day(s), When::Day(e)) => e < s,
        (When::At(s), When::At(e)) => match (tz.to_timestamp(s), tz.to_timestamp(e)) {
            (Ok(s), Ok(e)) => e < s,
            _ => e < s,
        },
        _ => {
            let reason = "`start` and `end` must both be dates (all-day) or both be date-times".into();
            problems.push((Problem::BadValue { key: "end".into(), reason }, span));
            return;
        }
    };
    if before {
        problems.push((Problem::EndBeforeStart { start: when_text(start), end: when_text(end) }, span));
    }
}

fn when_text(w: When) -> String {
    match w {
        When::Day(d) => d.to_string(),
        When::At(dt) => dt.strftime("%Y-%m-%dT%H:%M").to_string(),
    }
}

/// An event time: a date (all day) or a local date-time in the event's zone.
fn when_of(key: &str, raw: &Spanned<Datetime>, problems: &mut Problems) -> Option<When> {
    let dt = raw.get_ref();
    let fail = |reason: &str, problems: &mut Problems| {
        problems.push((Problem::BadValue { key: key.into(), reason: reason.into() }, raw.span()));
        None
    };
    if dt.offset.is_some() {
        return fail("give a local time, like 2026-03-03T09:00:00, and set `timezone`", problems);
    }
    let date = date_of(key, raw, problems)?;
    match dt.time {
        None => Some(When::Day(date)),
        Some(t) => match civil::Time::new(t.hour as i8, t.minute as i8, t.second.unwrap_or(0) as i8, 0) {
            Ok(time) => Some(When::At(date.to_datetime(time))),
            Err(e) => fail(&e.to_string(), problems),
        },
    }
}
