//! Page bundles (a folder whose `index.md` is a page, its files beside it),
//! files beside plain pages, and the sizes of local images, on the
//! `bundles` fixture: in a build, in errors, and in a live rebuild.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use pamphlet::live::{Rebuild, Session};
use pamphlet::render::BuildOptions;

use crate::driver::{Site, clean};

#[test]
fn a_bundle_is_a_page_with_its_files_published_beside_it() {
    let site = Site::fixture("bundles");
    site.build().expect(0);
    for file in [
        "explainers/open-weights/index.html",
        "explainers/open-weights/chart.png",
        "explainers/open-weights/img/diagram.svg",
        "explainers/open-weights/data.csv",
        "explainers/open-weights/photo.jpg",
        // `slug` renames the bundle's page, and its files move with it.
        "explainers/short-name/index.html",
        "explainers/short-name/logo.gif",
        "about/index.html",
        "about/team.svg",
    ] {
        assert!(site.exists(&format!("public/{file}")), "{file} missing");
    }
    for gone in ["explainers/open-weights/index/index.html", "explainers/renamed/logo.gif", "about/index/index.html"] {
        assert!(!site.exists(&format!("public/{gone}")), "{gone} written");
    }
    let html = site.read("public/explainers/open-weights/index.html");
    for part in [
        r#"<img src="/hub/explainers/open-weights/chart.png" alt="Downloads per month, rising" width="8" height="4" />"#,
        "<figure>\n<img src=\"/hub/explainers/open-weights/img/diagram.svg\" alt=\"A diagram of a model’s weights\" width=\"320\" height=\"180\">\n<figcaption>How weights are shared</figcaption>",
        r#"<a href="/hub/explainers/open-weights/data.csv">data behind the chart</a>"#,
    ] {
        assert!(html.contains(part), "missing {part:?} in\n{html}");
    }
    let section = site.read("public/explainers/index.html");
    assert!(
        section.contains(r#"href="/hub/explainers/open-weights/">Open weights</a>"#),
        "the section lists the bundle"
    );
}

#[test]
fn files_beside_a_plain_page_keep_their_folder_url_and_references_to_them_lead_there() {
    let site = Site::fixture("bundles");
    site.build().expect(0);
    assert!(site.exists("public/explainers/diagram.png"));
    assert!(site.exists("public/explainers/notes.txt"));
    let html = site.read("public/explainers/first/index.html");
    for part in [
        // Named by where it sits beside `first.md`; written as where it is published.
        r#"<img src="/hub/explainers/diagram.png" alt="A diagram beside the page" width="8" height="4" />"#,
        r#"<a href="/hub/explainers/notes.txt#top">notes</a>"#,
        // A URL that already leads there is written as it is, with its size.
        r#"<img src="../diagram.png" alt="The diagram, by its URL" width="8" height="4" />"#,
        r#"<img src="https://example.org/hub/explainers/open-weights/chart.png" alt="The chart again" width="8" height="4" />"#,
    ] {
        assert!(html.contains(part), "missing {part:?} in\n{html}");
    }
}

#[test]
fn local_images_get_their_sizes_and_remote_ones_are_left_as_they_are() {
    let site = Site::fixture("bundles");
    site.build().expect(0);
    let first = site.read("public/explainers/first/index.html");
    assert!(first.contains(r#"<img src="https://example.com/remote.png" alt="A remote picture" />"#), "{first}");
    assert!(first.contains(r#"<img src="/hub/img/logo.gif" alt="The site logo" width="3" height="2" />"#), "{first}");
    // Stored 40×30 with an Exif orientation that turns it: shown 30×40.
    let bundle = site.read("public/explainers/open-weights/index.html");
    assert!(bundle.contains(r#"alt="A server room" width="30" height="40" />"#), "{bundle}");
    let about = site.read("public/about/index.html");
    assert!(about.contains(r#"<img src="/hub/about/team.svg" alt="Our team" width="120" height="60" />"#), "{about}");
    let small = site.read("public/explainers/short-name/index.html");
    assert!(small.contains(r#"alt="A small logo" width="3" height="2" />"#), "{small}");
}

#[test]
fn a_draft_bundle_keeps_its_files_out_until_drafts_are_asked_for() {
    let site = Site::fixture("bundles");
    site.build().expect(0);
    assert!(!site.exists("public/explainers/draft-bundle/secret.png"));
    assert!(!site.exists("public/explainers/draft-bundle/index.html"));
    // A draft section hides the files under it too.
    site.write("content/explainers/_index.md", "+++\ntitle = \"Explainers\"\ndraft = true\n+++\n");
    site.build().expect(0);
    assert!(!site.exists("public/explainers/open-weights/chart.png"));
    assert!(!site.exists("public/explainers/diagram.png"));
    site.run(&["build", "--drafts", "--today", "2026-11-28"]).expect(0);
    assert!(site.exists("public/explainers/draft-bundle/secret.png"));
    let html = site.read("public/explainers/draft-bundle/index.html");
    assert!(
        html.contains(r#"src="/hub/explainers/draft-bundle/secret.png" alt="A secret chart" width="2" height="2""#)
    );
}

#[test]
fn a_folder_is_a_section_or_a_bundle_not_both() {
    let site = Site::fixture("bundles");
    site.write("content/explainers/open-weights/_index.md", "+++\ntitle = \"Weights\"\n+++\n");
    site.write("content/index.md", "+++\ntitle = \"Home?\"\n+++\n");
    let run = site.build().expect(1);
    let err = clean(&run.stderr, &site);
    assert!(
        err.contains(
            "error: content/explainers/open-weights/_index.md makes this folder a section and content/explainers/open-weights/index.md makes it a page"
        ),
        "{err}"
    );
    assert!(err.contains("  --> content/explainers/open-weights/index.md\n"), "{err}");
    assert!(err.contains("error: content/index.md would be the home page, which is content/_index.md"), "{err}");
}

#[test]
fn a_bundle_and_a_page_of_the_same_name_are_one_url_too_many() {
    let site = Site::fixture("bundles");
    site.write("content/explainers/open-weights.md", "+++\ntitle = \"Open weights, again\"\n+++\n");
    let run = site.build().expect(1);
    let err = clean(&run.stderr, &site);
    assert!(err.contains("/explainers/open-weights/ is produced by both content/explainers/open-weights"), "{err}");
    // A file may not land on a page either.
    let site = Site::fixture("bundles");
    site.write("content/explainers/first/index.html", "<p>Hand-made</p>");
    let err = clean(&site.build().expect(1).stderr, &site);
    assert!(
        err.contains(
            "/explainers/first/index.html is produced by both content/explainers/first.md and content/explainers/first/index.html"
        ),
        "{err}"
    );
}

#[test]
fn an_unreadable_image_is_an_error_naming_it_and_the_line_that_shows_it() {
    let site = Site::fixture("bundles");
    site.write("content/explainers/open-weights/chart.png", b"\x89PNG\r\n");
    site.write("content/explainers/open-weights/img/diagram.svg", "<html>not a drawing</html>");
    let err = clean(&site.build().expect(1).stderr, &site);
    let chart = "error: cannot read the size of image content/explainers/open-weights/chart.png: it ends before its header gives a size (the file is cut short or damaged)\n  --> content/explainers/open-weights/index.md:4:26\n";
    assert!(err.contains(chart), "{err}");
    let diagram = "error: cannot read the size of image content/explainers/open-weights/img/diagram.svg: its root element is <html>, not <svg>\n  --> content/explainers/open-weights/index.md:6:1\n";
    assert!(err.contains(diagram), "{err}");
    // Read once, reported where each page shows it.
    assert!(err.contains("content/explainers/first.md:8:1"), "{err}");
    assert_eq!(err.matches("image content/explainers/open-weights/chart.png").count(), 2, "{err}");
}

#[test]
fn an_at_image_that_names_no_file_is_an_error() {
    let site = Site::fixture("bundles");
    site.edit(
        "content/explainers/first.md",
        "@/explainers/open-weights/chart.png",
        "@/explainers/open-weights/gone.png",
    );
    let err = clean(&site.build().expect(1).stderr, &site);
    assert!(
        err.contains(
            "error: link to missing file `@/explainers/open-weights/gone.png`\n  --> content/explainers/first.md:8:1"
        ),
        "{err}"
    );
}

fn options() -> BuildOptions {
    BuildOptions {
        drafts: false,
        today: Some("2026-11-28".parse().unwrap()),
        base_url: pamphlet::paths::BaseUrl::parse("http://127.0.0.1:1111").ok(),
    }
}

type Files = BTreeMap<PathBuf, Vec<u8>>;

/// Applies the changes of `paths`; returns the rebuild, after checking that
/// the files served are those of a whole build.
fn apply(session: &mut Session, served: &mut Files, site: &Site, paths: &[&str], what: &str) -> Rebuild {
    let paths: BTreeSet<PathBuf> = paths.iter().map(|p| site.root.join(p)).collect();
    let rebuild = session.apply(&paths);
    assert!(!rebuild.report.has_errors(), "{what}: {:?}", rebuild.report.diagnostics);
    if rebuild.whole {
        served.clear();
    }
    served.extend(rebuild.files.iter().map(|(k, v)| (k.clone(), v.clone())));
    let whole = Session::new(&site.root, options()).full();
    let expected: Files = whole.files.into_iter().collect();
    let differ: Vec<&PathBuf> =
        expected.keys().chain(served.keys()).filter(|k| expected.get(*k) != served.get(*k)).collect();
    assert!(differ.is_empty(), "after {what}, these files differ from a whole build: {differ:?}");
    rebuild
}

#[test]
fn bundle_files_added_changed_renamed_and_removed_rebuild_as_a_whole_build_would() {
    let site = Site::fixture("bundles");
    let mut session = Session::new(&site.root, options());
    let mut served: Files = session.full().files.into_iter().collect();
    let page = PathBuf::from("explainers/open-weights/index.html");

    let added = "content/explainers/open-weights/extra.csv";
    site.write(added, "a,b\n");
    apply(&mut session, &mut served, &site, &[added], "a file added to a bundle");
    assert!(served.contains_key(&PathBuf::from("explainers/open-weights/extra.csv")));

    let data = "content/explainers/open-weights/data.csv";
    site.write(data, "month,downloads\n2026-02,20\n");
    let r = apply(&mut session, &mut served, &site, &[data], "a bundle file changed");
    assert!(
        !r.whole && r.files.keys().eq([&PathBuf::from("explainers/open-weights/data.csv")]),
        "{:?}",
        r.files.keys()
    );

    // Same size: copied alone. Another size: the pages that show it say so.
    let chart = "content/explainers/open-weights/chart.png";
    let mut same = std::fs::read(site.root.join(chart)).unwrap();
    same.extend(b"trailing bytes");
    site.write(chart, &same);
    let r = apply(&mut session, &mut served, &site, &[chart], "an image changed, same size");
    assert!(!r.whole, "{:?}", r.files.keys());
    site.write(chart, std::fs::read(site.root.join("content/explainers/draft-bundle/secret.png")).unwrap());
    let r = apply(&mut session, &mut served, &site, &[chart], "an image changed size");
    assert!(r.whole);
    let html = String::from_utf8(served[&page].clone()).unwrap();
    assert!(html.contains(r#"alt="Downloads per month, rising" width="2" height="2""#), "{html}");

    let removed = "content/explainers/open-weights/extra.csv";
    std::fs::remove_file(site.root.join(removed)).unwrap();
    apply(&mut session, &mut served, &site, &[removed], "a bundle file removed");
    assert!(!served.contains_key(&PathBuf::from("explainers/open-weights/extra.csv")));

    let (from, to) = ("content/about", "content/team");
    std::fs::rename(site.root.join(from), site.root.join(to)).unwrap();
    apply(&mut session, &mut served, &site, &[from, to], "a bundle renamed");
    assert!(served.contains_key(&PathBuf::from("team/team.svg")));
    assert!(!served.contains_key(&PathBuf::from("about/team.svg")));
}
