//! Rebuilding in part (`serve`): after each kind of edit, the site as
//! rebuilt in part must be byte for byte the site a whole build makes, and
//! the rebuild must have rendered only a part of it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use pamphlet::live::{Rebuild, Session};
use pamphlet::render::BuildOptions;

use crate::driver::Site;

fn options() -> BuildOptions {
    BuildOptions {
        drafts: false,
        today: Some("2026-11-28".parse().unwrap()),
        base_url: pamphlet::paths::BaseUrl::parse("http://127.0.0.1:1111").ok(),
    }
}

type Files = BTreeMap<PathBuf, Vec<u8>>;

fn whole(site: &Site) -> Files {
    let rebuild = Session::new(&site.root, options()).full();
    assert!(!rebuild.report.has_errors(), "{:?}", rebuild.report.diagnostics);
    rebuild.files.into_iter().collect()
}

/// Applies the changes of `paths` to the served files; returns what the rebuild wrote.
fn apply(session: &mut Session, served: &mut Files, site: &Site, paths: &[&str]) -> Rebuild {
    let paths: BTreeSet<PathBuf> = paths.iter().map(|p| site.root.join(p)).collect();
    let rebuild = session.apply(&paths);
    let errors: Vec<String> =
        rebuild.report.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
    if errors.is_empty() {
        if rebuild.whole {
            served.clear();
        }
        served.extend(rebuild.files.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    rebuild
}

/// A copy of the example hub, built in a session, and the files it serves.
fn start() -> (Site, Session, Files) {
    let site = Site::example();
    let mut session = Session::new(&site.root, options());
    let served = session.full().files.into_iter().collect();
    (site, session, served)
}

fn assert_same(served: &Files, site: &Site, what: &str) {
    let expected = whole(site);
    let differ: Vec<&PathBuf> =
        expected.keys().chain(served.keys()).filter(|k| expected.get(*k) != served.get(*k)).collect();
    assert!(differ.is_empty(), "after {what}, these files differ from a whole build: {differ:?}");
}

fn assert_part(rebuild: &Rebuild, what: &str, at_most: usize) {
    assert!(!rebuild.report.has_errors(), "{what}: {:?}", rebuild.report.diagnostics);
    assert!(!rebuild.whole, "{what} rebuilt the whole site");
    assert!(rebuild.files.len() <= at_most, "{what} wrote {} files: {:?}", rebuild.files.len(), rebuild.files.keys());
}

#[test]
fn each_kind_of_edit_rebuilds_in_part_and_matches_a_whole_build() {
    let (site, mut session, mut served) = start();
    let total = served.len();

    let explainer = "content/explainers/red-teaming.md";
    site.edit(explainer, "\n\n", "\n\nA new paragraph about red teaming and model weights.\n\n");
    let r = apply(&mut session, &mut served, &site, &[explainer]);
    assert_part(&r, "a body edit", total / 3);
    assert!(r.files.contains_key(&PathBuf::from("explainers/red-teaming/index.html")));
    assert_same(&served, &site, "a body edit");

    site.edit(explainer, "title = \"", "title = \"Testing by attack: ");
    let r = apply(&mut session, &mut served, &site, &[explainer]);
    assert_part(&r, "a title edit", total / 2);
    assert!(r.files.contains_key(&PathBuf::from("explainers/index.html")), "the section lists the title");
    assert_same(&served, &site, "a title edit");

    site.edit(explainer, "tags = [", "tags = [\"attacks\", ");
    let r = apply(&mut session, &mut served, &site, &[explainer]);
    // Every page's footer reads `site.tags`: all pages, but from kept bodies.
    assert_part(&r, "a tag edit", total);
    assert!(r.files.contains_key(&PathBuf::from("tags/attacks/index.html")));
    assert_same(&served, &site, "a tag edit");

    // A new link: the page it leads to lists the linking page.
    let linking = "content/explainers/evaluations.md";
    site.edit(linking, "\n\n", "\n\nSee also [provenance](@/explainers/provenance-and-watermarking.md).\n\n");
    let r = apply(&mut session, &mut served, &site, &[linking]);
    assert_part(&r, "a new link", total / 3);
    assert!(r.files.contains_key(&PathBuf::from("explainers/provenance-and-watermarking/index.html")), "backlinks");
    assert_same(&served, &site, "a new link");

    // A section's introduction, and then its title.
    let section = "content/explainers/_index.md";
    site.write(section, site.read(section) + "\nA new line about [red teaming](@/explainers/red-teaming.md).\n");
    let r = apply(&mut session, &mut served, &site, &[section]);
    assert_part(&r, "a section's body", 5);
    assert!(r.files.contains_key(&PathBuf::from("explainers/index.html")));
    assert_same(&served, &site, "a section's body");
    site.edit(section, "title = \"", "title = \"All the ");
    let r = apply(&mut session, &mut served, &site, &[section]);
    assert!(r.whole && !r.report.has_errors(), "{:?}", r.report.diagnostics);
    assert_same(&served, &site, "a section's title");

    let term = "content/glossary/red-teaming.md";
    site.edit(term, "short = \"", "short = \"(Plainly put) ");
    let r = apply(&mut session, &mut served, &site, &[term]);
    assert_part(&r, "a term's definition", total);
    assert_same(&served, &site, "a term's definition");

    let event = "content/events/example-provenance-clinic.md";
    let text = site.read(event);
    let start_line = text.lines().find(|l| l.starts_with("start")).unwrap().to_string();
    site.edit(event, &start_line, &start_line.replace(":00", ":30"));
    let r = apply(&mut session, &mut served, &site, &[event]);
    assert_part(&r, "an event's time", total);
    assert_same(&served, &site, "an event's time");

    let template = "themes/default/templates/term.html";
    site.edit(template, "</article>", "<p>Term page.</p></article>");
    let r = apply(&mut session, &mut served, &site, &[template]);
    assert_part(&r, "a term template edit", total / 2);
    assert!(r.files.keys().all(|k| !k.starts_with("explainers")), "explainers do not use term.html");
    assert_same(&served, &site, "a template edit");

    let css = "themes/default/static/css/site.css";
    if site.exists(css) {
        site.edit(css, "{", "{ /* edited */");
        let r = apply(&mut session, &mut served, &site, &[css]);
        assert_part(&r, "a stylesheet edit", 1);
        assert_same(&served, &site, "a stylesheet edit");
    }
}

#[test]
fn a_broken_edit_fails_then_the_fix_rebuilds() {
    let (site, mut session, mut served) = start();
    let page = "content/explainers/safety-cases.md";
    let good = site.read(page);
    site.write(page, good.replacen("title = \"", "title = \"\nbroken", 1));
    let r = apply(&mut session, &mut served, &site, &[page]);
    assert!(r.report.has_errors());
    let first = r.report.diagnostics.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(first.location.as_ref().unwrap().file, PathBuf::from(page));

    // An edit elsewhere does not hide that the page is still broken.
    let other = "content/explainers/evaluations.md";
    site.edit(other, "\n\n", "\n\nMore on evaluations.\n\n");
    let r = apply(&mut session, &mut served, &site, &[other]);
    assert!(r.report.has_errors(), "the broken page was forgotten");

    site.write(page, &good);
    let r = apply(&mut session, &mut served, &site, &[page]);
    assert!(!r.report.has_errors(), "{:?}", r.report.diagnostics);
    assert_same(&served, &site, "the fix");
}

#[test]
fn a_heading_others_link_to_cannot_go_unnoticed() {
    let (site, mut session, mut served) = start();
    let page = "content/explainers/open-and-closed-models.md";
    site.edit(page, "## Risks {#risks}", "## Dangers {#dangers}");
    let r = apply(&mut session, &mut served, &site, &[page]);
    let files: BTreeSet<PathBuf> = r
        .report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.location.as_ref().unwrap().file.clone())
        .collect();
    assert!(files.contains(&PathBuf::from("content/explainers/model-weights.md")), "{files:?}");
    site.edit(page, "## Dangers {#dangers}", "## Risks {#risks}");
    let r = apply(&mut session, &mut served, &site, &[page]);
    assert!(!r.report.has_errors(), "{:?}", r.report.diagnostics);
    assert_same(&served, &site, "the heading put back");
}

#[test]
fn new_and_removed_pages_rebuild_the_whole_site() {
    let (site, mut session, mut served) = start();
    let new = "content/explainers/a-new-explainer.md";
    site.write(new, "+++\ntitle = \"A new explainer\"\nsummary = \"New.\"\n+++\n\nText.\n");
    let r = apply(&mut session, &mut served, &site, &[new]);
    assert!(r.whole && !r.report.has_errors(), "{:?}", r.report.diagnostics);
    assert!(served.contains_key(&PathBuf::from("explainers/a-new-explainer/index.html")));
    std::fs::remove_file(site.root.join(new)).unwrap();
    let r = apply(&mut session, &mut served, &site, &[new]);
    assert!(r.whole);
    assert!(!served.contains_key(&PathBuf::from("explainers/a-new-explainer/index.html")));
    assert_same(&served, &site, "a removed page");
    // A temporary file that came and went changes nothing.
    let r = apply(&mut session, &mut served, &site, &["content/explainers/4913"]);
    assert!(!r.whole && r.files.is_empty());
}

#[test]
fn a_link_to_a_file_is_judged_in_part_and_a_new_file_can_be_linked_at_once() {
    let (site, mut session, mut served) = start();
    let page = "content/explainers/safety-cases.md";
    site.edit(page, "\n\n", "\n\nSee [the template](/files/safety-case-template.pdf).\n\n");
    let r = apply(&mut session, &mut served, &site, &[page]);
    let missing =
        r.report.diagnostics.iter().find(|d| matches!(d.problem, pamphlet::error::Problem::MissingFile { .. }));
    assert!(!r.whole && missing.is_some(), "{:?}", r.report.diagnostics);

    // The file arrives: the page that links to it builds, in part.
    let asset = "assets/files/safety-case-template.pdf";
    site.write(asset, "%PDF-1.4\n");
    let r = apply(&mut session, &mut served, &site, &[asset, page]);
    assert_part(&r, "a new file and the page linking to it", 40);
    assert!(served.contains_key(&PathBuf::from("files/safety-case-template.pdf")));

    // A file beside the pages, reached with `@/`, and a tag page new with the edit.
    let beside = "content/explainers/safety-case-diagram.png";
    site.write(
        beside,
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sites/full/assets/img/chart.png")).unwrap(),
    );
    site.edit(
        page,
        "See [the template]",
        "![A diagram](@/explainers/safety-case-diagram.png) [Tagged](/tags/new-tag/) See [the template]",
    );
    site.edit(page, "tags = [", "tags = [\"New tag\", ");
    let r = apply(&mut session, &mut served, &site, &[beside, page]);
    assert!(!r.report.has_errors(), "{:?}", r.report.diagnostics);
    assert_same(&served, &site, "a new file beside the pages and a new tag");
}

#[test]
fn fields_read_by_computed_names_count_as_read() {
    let site = Site::example();
    // No template names `word_count`, `upcoming_events` or `used_in`: these
    // templates reach them only by names computed as they render.
    let listing = "{% set f = 'word' ~ '_count' %}{% for p in section.pages %}{{ p.title }}: {{ p[f] }}\n{% endfor %}";
    site.write("templates/section.html", listing);
    let events =
        "{% set n = 'upcoming' ~ '_events' %}{% for e in site[n] %}{{ e.title }} at {{ e.start }}\n{% endfor %}";
    site.write("templates/explainer.html", format!("{events}{{{{ page.content | safe }}}}"));
    site.write("templates/term.html", "{% for u in page['used_' ~ 'in'] %}{{ u.title }}\n{% endfor %}");
    let mut session = Session::new(&site.root, options());
    let mut served: Files = session.full().files.into_iter().collect();
    let used_in_listed = served
        .iter()
        .filter(|(path, _)| path.starts_with("glossary") && path.components().count() == 3)
        .any(|(_, html)| !String::from_utf8_lossy(html).trim().is_empty());
    assert!(used_in_listed, "`used_in` was left empty for a template that reads it by a computed name");

    let explainer = "content/explainers/red-teaming.md";
    site.edit(explainer, "\n\n", "\n\nA few more words about red teaming.\n\n");
    let r = apply(&mut session, &mut served, &site, &[explainer]);
    assert!(!r.whole && r.files.contains_key(&PathBuf::from("explainers/index.html")), "the listing shows the count");
    assert_same(&served, &site, "a body edit");

    let event = "content/events/example-incident-reporting-webinar.md";
    site.edit(event, "start = 2027-01-20T11:00:00", "start = 2027-01-20T11:30:00");
    let r = apply(&mut session, &mut served, &site, &[event]);
    assert!(!r.whole && r.files.contains_key(&PathBuf::from("explainers/red-teaming/index.html")), "site[n]");
    assert_same(&served, &site, "an event's time");
}
