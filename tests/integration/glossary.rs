//! The glossary: automatic term links and their edge cases, term pages, the
//! A–Z page, and the glossary's checks, on a fixture of 102 terms.

use crate::driver::{Site, clean};

/// The rendered body of a page (what is inside `<div class="prose">`).
fn prose(html: &str) -> &str {
    let start = html.find("<div class=\"prose\">").expect("a prose block");
    let end = html[start..].find("\n  </div>").map_or(html.len(), |e| start + e);
    &html[start..end]
}

fn links_to(html: &str, slug: &str) -> usize {
    // Automatic links go to the term's path; links the author wrote, to its permalink.
    html.matches(&format!("/glossary/{slug}/\" aria-describedby=")).count()
}

#[test]
fn the_fixture_glossary_builds_without_warnings() {
    let site = Site::fixture("glossary");
    let run = site.build().expect(0);
    assert!(run.stderr.contains("0 errors, 0 warnings") || !run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(site.tree("public/glossary").iter().filter(|(p, _)| p.ends_with("index.html")).count(), 103);
}

#[test]
fn linking_edge_cases_match_snapshot() {
    let site = Site::fixture("glossary");
    site.build().expect(0);
    let html = site.read("public/notes/edge-cases/index.html");
    let body = prose(&html);
    // The longest name wins, any case, plurals, abbreviations only in capitals.
    assert!(body.contains("aria-describedby=\"tip-open-source-model\">open-source model</a>"), "{body}");
    assert!(body.contains(">Benchmarks</a>"));
    assert!(body.contains("BENCHMARK and\nbenchmarking"), "only the first mention links");
    assert!(body.contains(">LLMs</a>") && body.contains("llm in lower case is not LLM."));
    assert!(body.contains(">AI</a><span class=\"tip\"") && body.contains(">AI Act</a>"));
    assert!(body.contains(">biases</a>") && body.contains("pre-policy and policy-maker are not\n"));
    // Never in headings, code, links, alt text or raw HTML.
    assert!(body.contains("<h2 id=\"a-benchmark-in-a-heading-stays-plain\">A benchmark in a heading stays plain</h2>"));
    assert!(body.contains("<code>red teaming code</code>") && body.contains("red teaming in a code block"));
    assert!(body.contains("<a href=\"https://example.org/\">link about red teaming</a>"));
    assert!(body.contains("alt=\"A watermark in alt text\""));
    assert!(body.contains("<p>Raw HTML about fine-tuning stays as written.</p>"));
    // A link the author wrote carries the tooltip and counts as the first mention.
    assert!(body.contains(">weights link</a><span class=\"tip\""));
    assert!(body.contains("model weights later on the page"));
    // The tooltip: focusable link, described by the definition.
    assert!(body.contains(
        "<a class=\"gloss\" href=\"/glossary/model/\" aria-describedby=\"tip-model\">model</a>\
         <span class=\"tip\" id=\"tip-model\" role=\"tooltip\">A system learned from data.</span>"
    ));
    insta::assert_snapshot!("glossary_edge_cases", body);
}

#[test]
fn a_term_page_never_links_itself_and_lists_where_it_is_used() {
    let site = Site::fixture("glossary");
    site.build().expect(0);
    let html = site.read("public/glossary/open-source-model/index.html");
    // Its own name is not linked, and "model" inside it is not found either.
    assert!(!prose(&html).contains("class=\"gloss\""), "{}", prose(&html));
    let used = &html[html.find("id=\"used-in-title\"").unwrap()..];
    assert!(used.contains("<a href=\"/notes/edge-cases/\">Linking edge cases</a>"));
    assert!(used.contains("<a href=\"/notes/every-term/\">Every term</a>"));
    assert!(html.contains("<li><a href=\"/glossary/benchmark/\">Benchmark</a></li>"), "related terms are links");
    // Terms used on a page, with their definitions, for screen and print.
    let notes = site.read("public/notes/edge-cases/index.html");
    assert!(notes.contains("<dt><a href=\"/glossary/ai-act/\">AI Act</a></dt>"));
    assert!(notes.contains("<dd>The European Union&#39;s law on artificial intelligence.</dd>"));
}

#[test]
fn every_mention_links_when_the_site_asks() {
    let site = Site::fixture("glossary");
    site.write("site.toml", "title = \"G\"\nbase_url = \"https://example.org\"\n[glossary]\nlink = \"every\"\n");
    site.build().expect(0);
    let html = site.read("public/notes/edge-cases/index.html");
    let body = prose(&html);
    assert_eq!(links_to(body, "model"), 2, "{body}");
    assert_eq!(links_to(body, "benchmark"), 2);
    assert_eq!(links_to(body, "model-weights"), 2, "the written link and the later mention");
    // Each tooltip has its own id: the term's slug, then numbered.
    assert!(body.contains("aria-describedby=\"tip-model\">model</a>"));
    assert!(body.contains("aria-describedby=\"tip-model--1\">model</a>"));
    let ids: Vec<&str> = body.split(" id=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "duplicate ids: {ids:?}");
}

#[test]
fn with_linking_off_mentions_stay_plain_and_are_listed() {
    let site = Site::fixture("glossary");
    site.write("site.toml", "title = \"G\"\nbase_url = \"https://example.org\"\n[glossary]\nlink = \"off\"\n");
    let run = site.build().expect(0);
    let html = site.read("public/notes/edge-cases/index.html");
    let body = prose(&html);
    assert_eq!(body.matches("class=\"gloss\"").count(), 1, "only the link the author wrote: {body}");
    let err = clean(&run.stderr, &site);
    assert!(
        err.contains(
            "warning: glossary term \"Benchmark\" appears unlinked (linking is off) in \
             content/notes/every-term.md:17, content/notes/edge-cases.md:5\n  --> content/notes/every-term.md:17:18"
        ),
        "{err}"
    );
    // Terms still count as used, so the term pages list their pages.
    assert!(site.read("public/glossary/benchmark/index.html").contains("<a href=\"/notes/edge-cases/\">"));
}

#[test]
fn the_glossary_page_has_a_to_z_navigation_and_a_filter() {
    let site = Site::fixture("glossary");
    site.build().expect(0);
    let html = site.read("public/glossary/index.html");
    assert!(html.contains("<li><a href=\"#letter-a\">A</a></li>"));
    // No fixture term starts with Y: shown, but not as a link.
    assert!(html.contains("<span class=\"az-inactive\">Y<span class=\"visually-hidden\"> (no terms)</span></span>"));
    assert!(html.contains("<h2 id=\"letter-z\">Z</h2>"));
    // The filter is an enhancement: hidden until the script shows it; its count is a live region.
    assert!(html.contains("<form class=\"glossary-filter\" role=\"search\" data-glossary-filter hidden>"));
    assert!(html.contains("<p id=\"glossary-filter-status\" role=\"status\"></p>"));
    assert!(html.contains("Also called: LLM."));
    assert_eq!(html.matches("class=\"glossary-entry\"").count(), 102);
    assert!(site.exists("public/js/glossary.js"));
}

#[test]
fn glossary_problems_are_reported_with_both_files() {
    let site = Site::fixture("glossary");
    site.write(
        "content/glossary/llm-again.md",
        "+++\ntitle = \"Chat model\"\nshort = \"x\"\nsynonyms = [\"llm\"]\nrelated = [\"modle\"]\n+++\n",
    );
    site.write("content/glossary/dup-title.md", "+++\ntitle = \"BIAS\"\nshort = \"x\"\n+++\nUses the AI Act.\n");
    site.write("content/notes/broken.md", "+++\ntitle = \"Broken\"\n+++\nSee [x](@/glossary/no-such-term.md).\n");
    let run = site.build().expect(1);
    let err = clean(&run.stderr, &site);
    for part in [
        "error: \"llm\" names two glossary terms: content/glossary/large-language-model.md and \
         content/glossary/llm-again.md\n  --> content/glossary/llm-again.md:4:1",
        "error: \"BIAS\" names two glossary terms: content/glossary/bias.md and content/glossary/dup-title.md\n  \
         --> content/glossary/dup-title.md:2:1",
        "error: `related` names `modle`, but there is no glossary term with that slug (did you mean \"model\"?)\n  \
         --> content/glossary/llm-again.md:5:12",
        "error: link to missing page `@/glossary/no-such-term.md`\n  --> content/notes/broken.md:4:5",
        "warning: glossary term \"Chat model\" is not used on any page\n  --> content/glossary/llm-again.md:2:1",
    ] {
        assert!(err.contains(part), "missing {part:?} in\n{err}");
    }
}

#[test]
fn tooltips_work_by_mouse_keyboard_and_escape_in_a_browser() {
    let site = Site::fixture("glossary");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base_url = format!("http://127.0.0.1:{port}");
    site.run(&["build", "--today", "2026-11-28", "--base-url", &base_url]).expect(0);
    let public = site.root.join("public").display().to_string();
    let port = port.to_string();
    let out = crate::browser::node(
        "tooltips.mjs",
        &["--dir", &public, "--port", &port, "--page", "/notes/edge-cases/", "--glossary", "/glossary/"],
    );
    assert!(out.contains("all tooltip and filter checks passed"), "{out}");
}
