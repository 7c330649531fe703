#!/usr/bin/env python3
"""Checks a built pamphlet site's calendars and feed with real parsers.

    python3 tests/calendar_check.py PUBLIC_DIR

Every .ics file under PUBLIC_DIR is checked as bytes (CRLF line ends, no
line over 75 octets, every folded line valid UTF-8 on its own) and parsed
with `icalendar`. Each timed event's start and end are converted to UTC
three ways, which must agree: as icalendar reads them, with a time zone
built from the file's own VTIMEZONE only, and with Python's zoneinfo for
the TZID. All-day events must have a DATE start and an exclusive DATE end
after it. atom.xml is parsed with `feedparser` and must not be "bozo".

Prints a JSON summary (events by UID per file, feed entries) for the Rust
integration test to check values against; exits 1 listing every problem.
"""

import json
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

try:
    import feedparser
    import icalendar
    from icalendar.timezone import tzp
except ImportError as e:
    sys.exit(
        f"calendar_check.py needs the icalendar and feedparser modules ({e}).\n"
        "Install them with: pip install icalendar feedparser"
    )

problems = []


def problem(where, message):
    problems.append(f"{where}: {message}")


def check_lines(path, raw):
    if not raw.endswith(b"\r\n"):
        problem(path, "does not end with CRLF")
    lines = raw.split(b"\r\n")[:-1]
    for n, line in enumerate(lines, 1):
        if b"\n" in line or b"\r" in line:
            problem(f"{path}:{n}", "bare LF or CR (lines must end with CRLF)")
        if len(line) > 75:
            problem(f"{path}:{n}", f"{len(line)} octets (at most 75)")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problem(f"{path}:{n}", "folding split a UTF-8 character")


def utc(dt):
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def instant(path, uid, prop, own_zones):
    """The UTC instant of DTSTART/DTEND, checked three ways."""
    value = prop.dt
    tzid = prop.params.get("TZID")
    if isinstance(value, datetime) and tzid is None:
        if value.tzinfo is None:
            problem(f"{path} {uid}", "floating time (no TZID and not UTC)")
            return None
        return utc(value)
    naive = value.replace(tzinfo=None)
    if tzid not in own_zones:
        problem(f"{path} {uid}", f"TZID {tzid} has no VTIMEZONE in the file")
        return None
    from_vtimezone = utc(tzp.localize(naive, own_zones[tzid]))
    from_zoneinfo = utc(naive.replace(tzinfo=ZoneInfo(tzid)))
    from_parser = utc(value)
    if not from_vtimezone == from_zoneinfo == from_parser:
        problem(
            f"{path} {uid}",
            f"{naive} in {tzid}: VTIMEZONE gives {from_vtimezone}, "
            f"zoneinfo {from_zoneinfo}, icalendar {from_parser}",
        )
    return from_parser


def check_calendar(public, path):
    raw = path.read_bytes()
    rel = str(path.relative_to(public))
    check_lines(rel, raw)
    cal = icalendar.Calendar.from_ical(raw)
    own_zones = {str(tz["TZID"]): tzp.create_timezone(tz) for tz in cal.walk("VTIMEZONE")}
    events = {}
    for event in cal.walk("VEVENT"):
        uid = str(event.get("UID"))
        for required in ["UID", "DTSTAMP", "DTSTART", "SUMMARY", "URL", "STATUS"]:
            if required not in event:
                problem(f"{rel} {uid}", f"no {required}")
        start, end = event.get("DTSTART"), event.get("DTEND")
        summary = {
            "summary": str(event.get("SUMMARY")),
            "status": str(event.get("STATUS")),
            "location": str(event.get("LOCATION")) if "LOCATION" in event else None,
            "description": str(event.get("DESCRIPTION")),
            "url": str(event.get("URL")),
            "dtstamp": utc(event.get("DTSTAMP").dt),
        }
        if isinstance(start.dt, datetime):
            summary["start"] = instant(rel, uid, start, own_zones)
            summary["end"] = instant(rel, uid, end, own_zones) if end is not None else None
            if summary["end"] is not None and summary["start"] is not None and summary["end"] < summary["start"]:
                problem(f"{rel} {uid}", "ends before it starts")
        elif isinstance(start.dt, date):
            summary["all_day"] = True
            summary["start"] = start.dt.isoformat()
            if end is None or not isinstance(end.dt, date) or isinstance(end.dt, datetime):
                problem(f"{rel} {uid}", "an all-day event needs a DATE end")
            elif end.dt <= start.dt:
                problem(f"{rel} {uid}", "an all-day end must be after the start (it is exclusive)")
            else:
                summary["end"] = end.dt.isoformat()
        events[uid] = summary
    return rel, events


def check_feed(path):
    feed = feedparser.parse(path.read_bytes())
    if feed.bozo:
        problem("atom.xml", f"not well-formed: {feed.bozo_exception}")
    if feed.version != "atom10":
        problem("atom.xml", f"parsed as {feed.version!r}, not Atom 1.0")
    for entry in feed.entries:
        for key in ["id", "title", "link", "updated"]:
            if key not in entry:
                problem("atom.xml", f"an entry has no {key}")
    return {
        "bozo": int(bool(feed.bozo)),
        "title": feed.feed.get("title"),
        "updated": feed.feed.get("updated"),
        "entries": [
            {"title": e.get("title"), "link": e.get("link"), "updated": e.get("updated"), "summary": e.get("summary")}
            for e in feed.entries
        ],
    }


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: calendar_check.py PUBLIC_DIR")
    public = Path(sys.argv[1])
    calendars = dict(check_calendar(public, p) for p in sorted(public.rglob("*.ics")))
    if not calendars:
        problem(str(public), "no .ics files")
    feed = check_feed(public / "atom.xml")
    print(json.dumps({"calendars": calendars, "feed": feed}, indent=1, sort_keys=True))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)


main()
