//! Building good sites: what lands in the output, and how.

use crate::driver::Site;

#[test]
fn full_site_builds_with_pretty_urls_and_site_files() {
    let site = Site::fixture("full");
    let run = site.build().expect(0);
    assert!(run.stdout.contains("built 11 pages and 5 sections"), "{}", run.stdout);
    for file in [
        "public/index.html",
        "public/explainers/index.html",
        "public/explainers/open-weights/index.html",
        "public/glossary/benchmark/index.html",
        "public/events/workshop/index.html",
        "public/tools/inspect/index.html",
        "public/about/index.html",
        "public/404.html",
        "public/sitemap.xml",
        "public/robots.txt",
        "public/syntax.css",
        "public/img/chart.png",
        "public/explainers/data.csv",
        "public/tags/open-models/index.html",
        "public/tags/index.html",
    ] {
        assert!(site.exists(file), "{file} missing");
    }
    assert!(site.read("public/robots.txt").contains("Sitemap: https://example.org/hub/sitemap.xml"));
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/hub/explainers/open-weights/</loc><lastmod>2026-03-02</lastmod>")
    );
    assert!(!sitemap.contains("unfinished"), "drafts stay out of the sitemap");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::fixture("full");
    site.build().expect(0);
    assert!(!site.exists("public/explainers/draft-one/index.html"));
    site.run(&["build", "--drafts", "--today", "2026-11-28"]).expect(0);
    assert!(site.exists("public/explainers/draft-one/index.html"));
}

#[test]
fn internal_links_resolve_to_permalinks_with_anchors() {
    let site = Site::fixture("full");
    site.build().expect(0);
    let html = site.read("public/explainers/open-weights/index.html");
    assert!(html.contains("href=\"https://example.org/hub/explainers/safety-cases/#what-is-a-safety-case\""), "{html}");
    assert!(html.contains("href=\"#benefits\""));
    let home = site.read("public/index.html");
    assert!(home.contains("href=\"https://example.org/hub/explainers/\""));
}

#[test]
fn markdown_extensions_render() {
    let site = Site::fixture("full");
    site.build().expect(0);
    let html = site.read("public/explainers/open-weights/index.html");
    let expected = [
        "<h2 id=\"risks\">Risks</h2>",
        "<h2 id=\"benefits\">Benefits</h2>",
        "<h2 id=\"benefits-1\">Benefits</h2>",
        "<div class=\"callout callout-warning\" role=\"note\">",
        "<figure>\n<img src=\"/hub/img/chart.png\" alt=\"A chart of downloads\" width=\"8\" height=\"4\">\n<figcaption>Downloads per month</figcaption>",
        "<table>",
        "<input type=\"checkbox\" disabled checked aria-label=\"Done\">",
        "<del>old</del>",
        "“quote” – and",
        "<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup>",
        "<li id=\"fn-1\">",
        "<a href=\"#fnref-1\" class=\"footnote-back\"",
        "<pre class=\"code\" data-lang=\"python\"><code class=\"language-python\"><span class=\"hl-",
        "<code class=\"language-klingon\">Qapla'\n</code>",
        "<span class=\"raw\">kept</span>",
    ];
    for part in expected {
        assert!(html.contains(part), "missing {part:?} in\n{html}");
    }
}

#[test]
fn rendered_explainer_matches_snapshot() {
    let site = Site::fixture("full");
    site.build().expect(0);
    insta::assert_snapshot!("explainer_html", site.read("public/explainers/open-weights/index.html"));
}

#[test]
fn raw_html_can_be_escaped() {
    let site = Site::fixture("full");
    let config = site.read("site.toml").replace("[extra]", "[markdown]\nraw_html = \"escape\"\n\n[extra]");
    site.write("site.toml", config);
    site.build().expect(0);
    let html = site.read("public/explainers/open-weights/index.html");
    assert!(html.contains("&lt;span class=\"raw\"&gt;kept&lt;/span&gt;"), "{html}");
}

#[test]
fn front_matter_strings_reach_html_escaped() {
    let site = Site::fixture("full");
    site.build().expect(0);
    let html = site.read("public/about/index.html");
    assert!(html.contains("<title>About &lt;us&gt;</title>"), "{html}");
    assert!(!html.contains("About <us>"));
}

#[test]
fn template_functions_and_config_extra_work() {
    let site = Site::fixture("full");
    site.build().expect(0);
    let html = site.read("public/about/index.html");
    assert!(html.contains("<p>https://example.org/hub/explainers/open-weights/#risks</p>"), "{html}");
    assert!(html.contains("<p>A fixed test used to compare models.</p>"));
    assert!(html.contains("<p>Plain words</p>"));
}

#[test]
fn sections_paginate_and_sort() {
    let site = Site::fixture("full");
    site.build().expect(0);
    assert!(site.exists("public/explainers/page/2/index.html"));
    assert!(!site.exists("public/explainers/page/3/index.html"));
}

#[test]
fn slugs_folders_without_sections_and_redirects() {
    let site = Site::fixture("full");
    site.build().expect(0);
    assert!(site.exists("public/notes/loose-page/index.html"));
    let redirect = site.read("public/old/open-weights/index.html");
    assert!(redirect.contains("<link rel=\"canonical\" href=\"https://example.org/hub/explainers/open-weights/\">"));
    assert!(redirect.contains("http-equiv=\"refresh\""));
}

#[test]
fn same_input_gives_byte_identical_output() {
    let site = Site::fixture("full");
    site.build().expect(0);
    let first = site.tree("public");
    site.build().expect(0);
    assert_eq!(first, site.tree("public"));
}

#[test]
fn bom_and_crlf_pages_build() {
    let site = Site::fixture("minimal");
    site.write(
        "content/windows.md",
        b"\xEF\xBB\xBF+++\r\ntitle = \"Windows\"\r\n+++\r\n\r\n## Saved on Windows\r\n\r\nText.\r\n",
    );
    site.build().expect(0);
    let html = site.read("public/windows/index.html");
    assert!(html.contains("Saved on Windows"), "{html}");
}

#[test]
fn a_failed_build_leaves_the_last_good_output() {
    let site = Site::fixture("full");
    site.build().expect(0);
    let good = site.tree("public");
    site.write("content/explainers/broken.md", "+++\ntitle = \"Broken\"\nnope = 1\n+++\n");
    let run = site.build().expect(1);
    assert!(run.stderr.contains("content/explainers/broken.md:3:1"), "{}", run.stderr);
    assert_eq!(good, site.tree("public"), "output changed after a failed build");
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("pamphlet") && n != ".public.pamphlet-lock")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn output_folders_that_are_not_pamphlets_are_refused() {
    let site = Site::fixture("minimal");
    site.write("docs/keep.txt", "mine");
    for target in ["content", ".", "docs", "content/out", ".."] {
        let run = site.run(&["build", "-o", target]).expect(1);
        assert!(run.stderr.contains("refusing to write the site"), "{target}: {}", run.stderr);
    }
    assert_eq!(site.read("docs/keep.txt"), "mine");
    assert!(site.exists("content/_index.md"));
    site.run(&["build", "-o", "elsewhere"]).expect(0);
    site.run(&["build", "-o", "elsewhere"]).expect(0);
}

#[test]
fn base_url_can_be_overridden() {
    let site = Site::fixture("full");
    site.run(&["build", "--base-url", "http://localhost:1111", "--today", "2026-11-28"]).expect(0);
    assert!(site.read("public/robots.txt").contains("http://localhost:1111/sitemap.xml"));
}

#[test]
fn bad_usage_exits_2() {
    let site = Site::fixture("minimal");
    site.run(&["build", "--nope"]).expect(2);
    site.run(&["build", "--today", "someday"]).expect(2);
    site.run(&["build", "--base-url", "example.org"]).expect(2);
    site.run(&["frobnicate"]).expect(2);
    let help = site.run(&["--help"]).expect(0);
    assert!(help.stdout.contains("build") && help.stdout.contains("check"));
}

#[test]
fn check_renders_without_writing() {
    let site = Site::fixture("full");
    let run = site.run(&["check"]).expect(0);
    assert!(run.stdout.contains("no errors"));
    assert!(!site.exists("public"));
}

#[test]
fn init_makes_a_site_that_builds_and_new_adds_pages_to_the_right_section() {
    let site = Site::fixture("minimal");
    site.run(&["init", "hub"]).expect(0);
    site.run(&["init", "hub"]).expect(1);
    let hub = site.root.join("hub");
    let hub = hub.to_str().unwrap();
    let created = site.run(&["new", "term", "Red teaming", "--root", hub]).expect(0);
    assert!(created.stdout.contains("glossary/red-teaming.md"), "{}", created.stdout);
    site.run(&["new", "term", "Red teaming", "--root", hub]).expect(1);
    site.run(&["new", "event", "Open models workshop", "--root", hub]).expect(0);
    site.run(&["new", "tool", "Inspect", "--root", hub]).expect(0);
    site.run(&["new", "explainer", "Open weights", "--root", hub]).expect(0);
    site.run(&["build", "--root", hub]).expect(0);
    assert!(site.exists("hub/public/glossary/red-teaming/index.html"));
    assert!(site.exists("hub/public/events/open-models-workshop/index.html"));
}

#[test]
fn readme_documents_every_page_field() {
    let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let site = Site::fixture("full");
    site.write("templates/page.html", "{% for key in page | keys %}{{ key }}\n{% endfor %}");
    site.build().expect(0);
    let fields = site.read("public/notes/loose-page/index.html");
    assert!(fields.lines().count() > 40, "{fields}");
    for field in fields.lines() {
        assert!(readme.contains(&format!("`{field}`")), "README's template reference does not mention page.{field}");
    }
}

/// Each of 30,000 identical headings searched for its number from the
/// first one on: the page took 40 s to build, and minutes in a debug build.
#[test]
fn a_page_of_30000_identical_headings_builds_with_numbered_ids() {
    let site = Site::fixture("glossary");
    let body = "## same\n\n".repeat(30_000);
    site.write("content/notes/same.md", format!("+++\ntitle = \"Same\"\nkind = \"explainer\"\n+++\n\n{body}"));
    site.build().expect(0);
    let html = site.read("public/notes/same/index.html");
    for id in ["same", "same-1", "same-29999"] {
        assert!(html.contains(&format!("<h2 id=\"{id}\">same</h2>")), "no heading {id}");
        assert!(html.contains(&format!("<a href=\"#{id}\">same</a>")), "no contents entry for {id}");
    }
    assert!(!html.contains("same-30000"));
}
