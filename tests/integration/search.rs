//! Search: the index a build writes under `/search/LANG/`, queried through
//! the default theme's own query code (`/js/search.js`, run in Node), and the
//! search page, header box and home form, on a small fixture of every kind.

use serde_json::Value;

use crate::browser::node;
use crate::driver::Site;

/// Results (paths, best first) of each query, run by `search-query.mjs`.
fn query(site: &Site, queries: Value) -> Vec<Vec<String>> {
    let index = site.root.join("public/search/en").display().to_string();
    let out = node("search-query.mjs", &["--index", &index, "--queries", &queries.to_string()]);
    let answers: Vec<Value> = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    answers
        .iter()
        .map(|a| a["results"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect())
        .collect()
}

#[test]
fn the_index_finds_exact_words_prefixes_synonyms_and_filters() {
    let site = Site::fixture("search");
    site.build().expect(0);
    let answers = query(
        &site,
        serde_json::json!([
            {"q": "procurement"},
            {"q": "procur"},
            {"q": "LLM"},
            {"q": "eu ai act"},
            {"q": "open weights"},
            {"q": "evaluation", "kind": "tool", "status": "approved"},
            {"q": "evaluation", "category": "Red teaming"},
            {"q": "evaluation", "kind": "event"},
            {"q": "zzzz"},
        ]),
    );
    let [exact, prefix, abbreviation, synonym, title, approved, red_teaming, events, none] = &answers[..] else {
        panic!("{answers:?}");
    };
    assert_eq!(exact, &["/hub/events/briefing/", "/hub/explainers/procurement/"]);
    assert_eq!(prefix, exact, "a prefix of the last word finds what the whole word does");
    // A term's abbreviation finds the term first, then the pages that use it.
    assert_eq!(abbreviation, &["/hub/glossary/large-language-model/", "/hub/explainers/procurement/"]);
    assert_eq!(synonym[0], "/hub/glossary/ai-act/");
    // The exact term ranks above an explainer with the same words in its title.
    assert_eq!(title[..2], ["/hub/glossary/open-weights/", "/hub/explainers/open-weights-explained/"]);
    assert_eq!(approved, &["/hub/tools/harness/"]);
    assert_eq!(red_teaming, &["/hub/tools/probe/"]);
    assert_eq!(events, &["/hub/events/briefing/"]);
    assert!(none.is_empty());
}

#[test]
fn the_index_is_a_manifest_sorted_shards_and_pages_four_to_a_file() {
    let site = Site::fixture("search");
    site.build().expect(0);
    let manifest: Value = serde_json::from_str(&site.read("public/search/en/index.json")).unwrap();
    assert_eq!(manifest["language"], "en");
    assert_eq!(manifest["pages"], 9);
    assert_eq!(manifest["shards"][0], "");
    let groups = manifest["groups"].as_array().unwrap();
    assert_eq!(groups[0], serde_json::json!(["term", "", "", 0]));
    assert!(groups.contains(&serde_json::json!(["tool", "Evaluation", "retired", 6])), "{groups:?}");
    assert_eq!(manifest["docs_per_file"], 4);
    let docs: Value = serde_json::from_str(&site.read("public/search/en/docs/0.json")).unwrap();
    let doc = &docs[0];
    assert_eq!(doc["path"], "/hub/glossary/ai-act/");
    assert_eq!(doc["synonyms"], serde_json::json!(["EU AI Act", "Artificial Intelligence Act"]));
    assert_eq!(doc["kind"], "term");
    assert_eq!(doc["text"], "It sorts AI systems by risk.");
    let shard: Value = serde_json::from_str(&site.read("public/search/en/shards/0.json")).unwrap();
    assert!(shard["names"]["llm"].is_string() && shard["words"]["procurement"].is_string(), "{shard}");
}

#[test]
fn the_search_page_header_box_and_home_form_are_built() {
    let site = Site::fixture("search");
    site.build().expect(0);
    let page = site.read("public/search/index.html");
    assert!(page.contains("data-search=\"/hub/search/\""), "{page}");
    assert!(page.contains("<p id=\"search-status\" class=\"search-status\" role=\"status\""), "{page}");
    assert!(page.contains("<option value=\"Red teaming\">Red teaming</option>"));
    assert!(page.contains("<option value=\"under-review\">Under review</option>"));
    assert!(page.contains("<a href=\"/hub/glossary/\">Glossary, A to Z</a>"), "without JavaScript: the A–Z glossary");
    assert!(page.contains("/hub/js/search.js"));
    assert!(!page.contains("id=\"site-search\""), "the search page has one search form");
    let home = site.read("public/index.html");
    assert!(
        home.contains("id=\"home-search\"") && home.contains("action=\"https://example.org/hub/search/\""),
        "{home}"
    );
    let term = site.read("public/glossary/ai-act/index.html");
    assert!(term.contains("id=\"site-search\"") && !term.contains("search.js"));
    assert!(site.exists("public/js/search.js"));
}

#[test]
fn search_can_be_turned_off() {
    let site = Site::fixture("search");
    let config = site.read("site.toml");
    site.write("site.toml", format!("{config}\n[search]\nenabled = false\n"));
    site.build().expect(0);
    assert!(!site.exists("public/search"));
    assert!(!site.read("public/index.html").contains("role=\"search\""));
}

#[test]
fn a_browser_finds_with_the_keyboard_filters_and_announces_the_count() {
    let site = Site::fixture("search");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port().to_string();
    site.run(&["build", "--today", "2026-11-28", "--base-url", &format!("http://127.0.0.1:{port}")]).expect(0);
    let public = site.root.join("public").display().to_string();
    node("search-page.mjs", &["--dir", &public, "--port", &port]);
}

#[test]
fn a_page_at_the_search_pages_address_is_an_error_naming_it() {
    let site = Site::fixture("search");
    site.write("content/search.md", "+++\ntitle = \"Find things\"\n+++\n\nHow to search.\n");
    let run = site.build().expect(1);
    assert!(run.stderr.contains("this page is at /search/, where the search page goes"), "{}", run.stderr);
    assert!(run.stderr.contains("content/search.md"), "{}", run.stderr);
    assert!(!run.stderr.contains("two things were built"), "{}", run.stderr);
}
