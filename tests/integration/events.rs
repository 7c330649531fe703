//! Events and the tool catalog: times shown in each event's own zone,
//! upcoming and past against `--today`, calendars and the feed checked with
//! real parsers, catalog views, and errors at the value that is wrong.

use std::process::Command;

use crate::driver::Site;

/// The text of some HTML, tags dropped and white space collapsed. Block
/// tags part words; `<time>`, `<span>` and `<a>` do not.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut tag = String::new();
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' => {
                in_tag = false;
                let name = tag.trim_start_matches('/').split([' ', '/']).next().unwrap_or("");
                if !matches!(name, "time" | "span" | "a" | "strong" | "em") {
                    out.push(' ');
                }
            }
            c if in_tag => tag.push(c),
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// HTML text with the entities templates write turned back into characters.
fn unescape(text: &str) -> String {
    let entities = [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#x27;", "'"), ("&#39;", "'"), ("&#x2F;", "/")];
    let mut out = text.to_string();
    for (entity, c) in entities {
        out = out.replace(entity, c);
    }
    out.replace("&amp;", "&")
}

fn built(today: &str) -> Site {
    let site = Site::fixture("events");
    site.run(&["build", "--today", today]).expect(0);
    site
}

fn page_text(site: &Site, slug: &str) -> String {
    text_of(&site.read(&format!("public/events/{slug}/index.html")))
}

#[test]
fn event_pages_show_times_in_the_events_zone_with_abbreviation_and_offset() {
    let site = built("2026-11-28");
    let cases = [
        ("workshop", "Tue 3 Mar 2026, 09:00–17:30 CET (UTC+1)"),
        // Across the switch to summer time: each end names its own offset.
        ("overnight", "Sat 27 Mar 2027, 20:00 CET (UTC+1) – Sun 28 Mar 2027, 06:00 CEST (UTC+2)"),
        ("kolkata", "Thu 10 Dec 2026, 14:00–17:00 IST (UTC+5:30)"),
        ("adelaide", "Fri 15 Jan 2027, 09:30–11:00 ACDT (UTC+10:30)"),
        ("meetup", "Mon 1 Jun 2026, 18:00–20:00 CEST (UTC+2)"),
        ("clinic", "Tue 1 Dec 2026 (all day)"),
        ("summer-school", "Mon 14 Jun 2027 – Wed 16 Jun 2027 (all day)"),
    ];
    for (slug, when) in cases {
        let text = page_text(&site, slug);
        assert!(text.contains(&format!("When {when}")), "{slug}: no {when:?} in\n{text}");
    }
    let html = site.read("public/events/overnight/index.html");
    assert!(html.contains("<time datetime=\"2027-03-27T20:00:00+01:00\">"), "{html}");
    assert!(html.contains("<time datetime=\"2027-03-28T06:00:00+02:00\">"), "{html}");
    let html = site.read("public/events/clinic/index.html");
    assert!(html.contains("<time datetime=\"2026-12-01\">"), "{html}");
}

#[test]
fn event_pages_show_status_place_links_and_a_calendar_file() {
    let site = built("2026-11-28");
    let html = site.read("public/events/workshop/index.html");
    for part in [
        "<dt>Where</dt><dd>Example Hall, Brussels</dd>",
        "href=\"https://example.org/register\"",
        "href=\"/hub/events/workshop/event.ics\"",
        "Add to calendar",
        "<dt>Organiser</dt><dd>Example Network</dd>",
    ] {
        assert!(html.contains(part), "missing {part:?} in\n{html}");
    }
    assert!(site.exists("public/events/workshop/event.ics"));

    let text = page_text(&site, "cancelled");
    let notice = text.find("This event has been cancelled").expect("a cancelled event says so");
    assert!(notice < text.find("When").unwrap(), "the notice comes first:\n{text}");
    assert!(!site.read("public/events/cancelled/index.html").contains("sandbox/register"), "no registration");
    assert!(page_text(&site, "postponed").contains("This event has been postponed"));

    let html = site.read("public/events/adelaide/index.html");
    assert!(html.contains("href=\"https://example.org/adelaide/stream\""), "{html}");
}

/// The JSON-LD of an event page, parsed.
fn json_ld(site: &Site, slug: &str) -> (String, serde_json::Value) {
    let html = site.read(&format!("public/events/{slug}/index.html"));
    let start = html.find("<script type=\"application/ld+json\">").expect("JSON-LD") + 35;
    let raw = html[start..start + html[start..].find("</script>").unwrap()].to_string();
    let value = serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{e}: {raw}"));
    (raw, value)
}

#[test]
fn event_pages_carry_schema_org_json_ld_that_cannot_break_out_of_its_script() {
    let site = built("2026-11-28");
    let (_, v) = json_ld(&site, "workshop");
    assert_eq!(v["@type"], "Event");
    assert_eq!(v["name"], "Workshop");
    assert_eq!(v["startDate"], "2026-03-03T09:00:00+01:00");
    assert_eq!(v["endDate"], "2026-03-03T17:30:00+01:00");
    assert_eq!(v["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(v["eventAttendanceMode"], "https://schema.org/OfflineEventAttendanceMode");
    assert_eq!(v["location"]["@type"], "Place");
    assert_eq!(v["organizer"]["name"], "Example Network");
    assert_eq!(v["offers"]["url"], "https://example.org/register");

    let (raw, v) = json_ld(&site, "webinar");
    assert!(!raw.contains(['<', '>', '&']), "{raw}");
    assert_eq!(v["name"], "Webinar: </script> & \"tricks\", commas; semicolons \\ évaluation");
    assert_eq!(v["eventAttendanceMode"], "https://schema.org/OnlineEventAttendanceMode");
    assert_eq!(v["location"]["@type"], "VirtualLocation");
    assert_eq!(v["startDate"], "2027-01-20T11:00:00-05:00");

    let (_, cancelled) = json_ld(&site, "cancelled");
    assert_eq!(cancelled["eventStatus"], "https://schema.org/EventCancelled");
    assert!(cancelled.get("offers").is_none(), "a cancelled event takes no registrations");
    assert_eq!(json_ld(&site, "postponed").1["eventStatus"], "https://schema.org/EventPostponed");
    assert_eq!(json_ld(&site, "adelaide").1["eventAttendanceMode"], "https://schema.org/MixedEventAttendanceMode");
    assert_eq!(json_ld(&site, "clinic").1["startDate"], "2026-12-01");
}

/// Titles of the events listed in one part of the events page, in order.
fn listed(html: &str, class: &str) -> Vec<String> {
    let Some(start) = html.find(&format!("<section class=\"{class}\">")) else { return Vec::new() };
    let part = &html[start..start + html[start..].find("</section>").unwrap()];
    part.split("class=\"page-item-title\"")
        .skip(1)
        .map(|s| unescape(&text_of(&s[s.find('>').unwrap() + 1..s.find("</a>").unwrap()])))
        .collect()
}

#[test]
fn events_page_lists_upcoming_soonest_first_then_past_latest_first() {
    let site = built("2026-11-28");
    let html = site.read("public/events/index.html");
    let upcoming = [
        "Drop-in clinic",
        "Kolkata seminar",
        "Adelaide briefing",
        "Webinar: </script> & \"tricks\", commas; semicolons \\ évaluation",
        "Sandbox workshop",
        "Documentation forum",
        "Overnight sprint",
        "Summer school",
    ];
    assert_eq!(listed(&html, "events-upcoming"), upcoming);
    assert_eq!(listed(&html, "events-past"), ["Summer meetup", "Workshop"]);
    assert!(html.contains("href=\"https://example.org/hub/events.ics\""), "a link to every event as .ics");
    assert!(html.contains("href=\"/hub/events/kolkata/event.ics\""), "each listed event has its own .ics link");

    // An event running today is still upcoming; the day after, it is past.
    let site = built("2026-12-01");
    assert_eq!(listed(&site.read("public/events/index.html"), "events-upcoming")[0], "Drop-in clinic");
    let site = built("2026-12-02");
    let html = site.read("public/events/index.html");
    assert_eq!(listed(&html, "events-upcoming")[0], "Kolkata seminar");
    assert_eq!(listed(&html, "events-past"), ["Drop-in clinic", "Summer meetup", "Workshop"]);
}

#[test]
fn calendars_and_feed_parse_with_real_parsers_and_give_the_right_instants() {
    let site = built("2026-11-28");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/calendar_check.py");
    let out = Command::new("python3").arg(&script).arg(site.root.join("public")).output().unwrap_or_else(|e| {
        panic!("cannot run python3 ({e}); this test needs python3 with: pip install icalendar feedparser")
    });
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "tests/calendar_check.py failed:\n{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let all = &report["calendars"]["events.ics"];
    assert_eq!(all.as_object().unwrap().len(), 10, "{all:#}");
    let event = |slug: &str| all[format!("hub/events/{slug}@example.org")].clone();
    let instants = [
        ("workshop", "2026-03-03T08:00:00Z", "2026-03-03T16:30:00Z"),
        ("overnight", "2027-03-27T19:00:00Z", "2027-03-28T04:00:00Z"),
        ("kolkata", "2026-12-10T08:30:00Z", "2026-12-10T11:30:00Z"),
        ("adelaide", "2027-01-14T23:00:00Z", "2027-01-15T00:30:00Z"),
        ("webinar", "2027-01-20T16:00:00Z", "2027-01-20T17:30:00Z"),
        ("meetup", "2026-06-01T16:00:00Z", "2026-06-01T18:00:00Z"),
    ];
    for (slug, start, end) in instants {
        let e = event(slug);
        assert_eq!((e["start"].as_str(), e["end"].as_str()), (Some(start), Some(end)), "{slug}: {e:#}");
    }
    // All-day events end on the day after their last day.
    assert_eq!(
        (event("clinic")["start"].as_str(), event("clinic")["end"].as_str()),
        (Some("2026-12-01"), Some("2026-12-02"))
    );
    assert_eq!(event("summer-school")["end"], "2027-06-17");
    assert_eq!(event("cancelled")["status"], "CANCELLED");
    assert_eq!(event("postponed")["status"], "TENTATIVE");
    assert_eq!(event("workshop")["status"], "CONFIRMED");
    assert_eq!(event("workshop")["url"], "https://example.org/hub/events/workshop/");
    assert_eq!(event("workshop")["dtstamp"], "2026-01-10T00:00:00Z", "DTSTAMP is the page's date");
    let webinar = event("webinar");
    assert_eq!(webinar["summary"], "Webinar: </script> & \"tricks\", commas; semicolons \\ évaluation");
    assert!(
        webinar["description"]
            .as_str()
            .unwrap()
            .starts_with("Online only. Line one,\nline two; with a backslash \\ and")
    );
    assert_eq!(webinar["location"], "https://example.org/webinar/live");
    // Each event's own file holds just that event, with the same UID.
    let own = &report["calendars"]["events/overnight/event.ics"];
    assert_eq!(own.as_object().unwrap().keys().collect::<Vec<_>>(), ["hub/events/overnight@example.org"]);

    let feed = &report["feed"];
    assert_eq!(feed["bozo"], 0);
    assert_eq!(feed["title"], "Events & tools");
    let titles: Vec<&str> = feed["entries"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"Rules <and> tools & \"you\""), "{titles:?}");
    assert_eq!(titles.len(), 11, "every event and the explainer: {titles:?}");
}

#[test]
fn calendars_and_feed_are_the_same_on_every_build() {
    let site = built("2026-11-28");
    let files = ["public/events.ics", "public/events/overnight/event.ics", "public/atom.xml"];
    let first: Vec<String> = files.iter().map(|f| site.read(f)).collect();
    site.run(&["build", "--today", "2027-05-01"]).expect(0);
    let second: Vec<String> = files.iter().map(|f| site.read(f)).collect();
    assert_eq!(first, second);
    assert!(first[0].split("\r\n").all(|l| l.len() <= 75 && !l.contains('\n')));
    let home = site.read("public/index.html");
    assert!(home.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Events &amp; tools\" href=\"https://example.org/hub/atom.xml\">"
    ), "{home}");
    let atom = site.read("public/atom.xml");
    assert!(atom.contains("<title type=\"text\">Rules &lt;and&gt; tools &amp; &quot;you&quot;</title>"), "{atom}");
    assert!(atom.contains("<updated>2026-06-02T00:00:00Z</updated>\n    <category term=\"explainer\"/>"), "{atom}");
}

/// Tool titles in order, as listed on a page.
fn tools_on(html: &str) -> Vec<String> {
    html.split("<li class=\"tool-card")
        .skip(1)
        .map(|s| text_of(&s[s.find("<a ").unwrap()..s.find("</a>").unwrap()]))
        .collect()
}

#[test]
fn catalog_groups_by_category_with_retired_tools_last_and_has_views() {
    let site = built("2026-11-28");
    let html = site.read("public/tools/index.html");
    assert_eq!(tools_on(&html), ["Inspect", "Zeta eval", "Alpha old", "C2PA checker", "Probe"]);
    assert!(html.contains("Alpha old</a> <span class=\"retired-mark\">(retired)</span>"), "{html}");
    assert!(html.contains("<span class=\"status status-under-review\">Under review</span>"));
    for view in [
        "category/evaluation",
        "category/provenance",
        "category/red-teaming",
        "status/approved",
        "status/under-review",
        "status/retired",
    ] {
        assert!(html.contains(&format!("href=\"/hub/tools/{view}/\"")), "no link to {view}");
    }
    let evaluation = site.read("public/tools/category/evaluation/index.html");
    assert_eq!(tools_on(&evaluation), ["Inspect", "Zeta eval", "Alpha old"]);
    assert!(evaluation.contains("<h1>Evaluation tools</h1>"), "{evaluation}");
    assert!(
        evaluation.contains("<link rel=\"canonical\" href=\"https://example.org/hub/tools/category/evaluation/\">")
    );
    assert_eq!(tools_on(&site.read("public/tools/status/retired/index.html")), ["Alpha old", "Probe"]);
    assert_eq!(tools_on(&site.read("public/tools/status/approved/index.html")), ["C2PA checker", "Inspect"]);
    let tool = site.read("public/tools/alpha-old/index.html");
    assert!(tool.contains("This tool has been retired."), "{tool}");
    let tool = text_of(&site.read("public/tools/inspect/index.html"));
    for part in ["Status Approved", "Licence MIT", "Maintainer Example Institute", "Last reviewed 1 February 2026"] {
        assert!(tool.contains(part), "missing {part:?} in {tool}");
    }
}

#[test]
fn bad_event_and_tool_values_are_errors_at_their_line() {
    let site = Site::fixture("events");
    site.write("content/events/backwards.md", "+++\ntitle = \"B\"\nstart = 2027-03-28T03:30:00\nend = 2027-03-28T01:45:00\ntimezone = \"Europe/Brussels\"\n+++\n");
    site.write("content/events/days.md", "+++\ntitle = \"D\"\nstart = 2027-03-28\nend = 2027-03-27\n+++\n");
    site.write(
        "content/events/zone.md",
        "+++\ntitle = \"Z\"\nstart = 2027-03-28\ntimezone = \"Asia/Kolkatta\"\nonline = \"ftp://example.org/x\"\n+++\n",
    );
    site.write("content/events/status.md", "+++\ntitle = \"S\"\nstart = 2027-03-28\nstatus = \"delayed\"\n+++\n");
    site.write("content/tools/bad.md", "+++\ntitle = \"T\"\ncategory = \"Evaluaton\"\nstatus = \"aproved\"\n+++\n");
    site.write("content/tools/other.md", "+++\ntitle = \"U\"\ncategory = \"Fun\"\nstatus = \"approved\"\n+++\n");
    let run = site.run(&["build"]).expect(1);
    let err = run.stderr;
    for part in [
        "event ends (2027-03-28T01:45) before it starts (2027-03-28T03:30)\n  --> content/events/backwards.md:4:7",
        "event ends (2027-03-27) before it starts (2027-03-28)\n  --> content/events/days.md:4:7",
        "unknown timezone \"Asia/Kolkatta\" (did you mean \"Asia/Kolkata\"?)\n  --> content/events/zone.md:4:12",
        "`online`: \"ftp://example.org/x\" is not an http, https or mailto link\n  --> content/events/zone.md:5:10",
        "`status`: \"delayed\" is not one of scheduled, cancelled, postponed\n  --> content/events/status.md:4:10",
        "`category`: \"Evaluaton\" is not one of Evaluation, Provenance, Red teaming (did you mean \"Evaluation\"?)\n  --> content/tools/bad.md:3:12",
        "`status`: \"aproved\" is not one of approved, under-review, retired (did you mean \"approved\"?)\n  --> content/tools/bad.md:4:10",
        "`category`: \"Fun\" is not one of Evaluation, Provenance, Red teaming\n  --> content/tools/other.md:3:12",
    ] {
        assert!(err.contains(part), "missing {part:?} in\n{err}");
    }
    assert!(!site.exists("public"));
}

#[test]
fn events_in_utc_are_written_in_utc_without_a_vtimezone() {
    let site = Site::fixture("minimal");
    site.write("content/launch.md", "+++\ntitle = \"Launch\"\nkind = \"event\"\nstart = 2027-01-05T09:00:00\n+++\n");
    site.build().expect(0);
    let ics = site.read("public/launch/event.ics");
    assert!(ics.contains("\r\nDTSTART:20270105T090000Z\r\n"), "{ics}");
    assert!(!ics.contains("VTIMEZONE") && !ics.contains("DTEND"), "{ics}");
    let text = text_of(&site.read("public/launch/index.html"));
    assert!(text.contains("Tue 5 Jan 2027, 09:00 UTC"), "{text}");
}

#[test]
fn the_feed_carries_the_newest_entries_up_to_its_limit() {
    let site = built("2026-11-28");
    let all = site.read("public/atom.xml").matches("<entry>").count();
    assert!(all > 2, "the fixture's feed should have several entries, has {all}");
    let toml = site.read("site.toml");
    site.write("site.toml", format!("{toml}\n[feed]\nlimit = 2\n"));
    site.build().expect(0);
    let feed = site.read("public/atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 2);
    // The newest two: the first entries of the full feed, in the same order.
    site.write("site.toml", format!("{toml}\n[feed]\nlimit = 0\n"));
    site.build().expect(0);
    let full = site.read("public/atom.xml");
    assert_eq!(full.matches("<entry>").count(), all);
    // Each entry's id, in order (the first <id> is the feed's own).
    let ids = |xml: &str| -> Vec<String> {
        xml.split("<id>").skip(2).take(2).map(|e| e.split("</id>").next().unwrap_or("").to_string()).collect()
    };
    assert_eq!(ids(&feed), ids(&full));
}
