//! Broken sites: every error reported, each with its file and line, exit 1,
//! no panic, and nothing written.

use crate::driver::{Site, clean};

/// Builds a broken fixture, checks the common promises, returns stderr.
fn broken(name: &str) -> String {
    let site = Site::fixture(name);
    let run = site.build().expect(1);
    assert!(!site.exists("public"), "{name}: a failed first build must not leave an output folder");
    clean(&run.stderr, &site)
}

#[test]
fn config_errors_name_site_toml_lines() {
    let err = broken("broken-config");
    assert!(
        err.contains("error: unknown key `descripton` (did you mean \"description\"?)\n  --> site.toml:4:1"),
        "{err}"
    );
    let err = broken("broken-config2");
    assert!(err.contains("--> site.toml:2:12"), "{err}");
    assert!(
        err.contains("unknown timezone \"Europe/Brusels\" (did you mean \"Europe/Brussels\"?)\n  --> site.toml:3:12")
    );
    assert!(err.contains("theme `missing` not found"));
    insta::assert_snapshot!("broken_config2", err);
}

#[test]
fn front_matter_errors_are_all_reported() {
    let err = broken("broken-frontmatter");
    for part in [
        "content/bad-toml.md:3:8",
        "content/no-front-matter.md:1:1",
        "error: missing required key `title`",
        "content/unclosed.md:1:1",
        "content/unknown-key.md:3:1",
        "did you mean \"explainer\"",
        "6 errors",
    ] {
        assert!(err.contains(part), "missing {part:?} in\n{err}");
    }
    insta::assert_snapshot!("broken_frontmatter", err);
}

#[test]
fn bad_values_point_at_the_value() {
    let err = broken("broken-values");
    assert!(err.contains(
        "error: unknown timezone \"Europe/Brusels\" (did you mean \"Europe/Brussels\"?)\n  --> content/events/open-models-workshop.md:4:12"
    ));
    assert!(err.contains(
        "event ends (2026-03-03T08:00) before it starts (2026-03-03T09:00)\n  --> content/events/backwards.md:4:7"
    ));
    insta::assert_snapshot!("broken_values", err);
}

#[test]
fn broken_links_and_anchors_are_errors_at_the_link() {
    let err = broken("broken-links");
    assert!(err.contains("link to missing page `@/nope.md`\n  --> content/a.md:7:8"), "{err}");
    assert!(err.contains("link to missing anchor `#absent` in `b.md`\n  --> content/a.md:7:35"));
    assert!(err.contains("link to missing anchor `#gone` in `a.md`\n  --> content/a.md:8:22"));
    assert!(err.contains("3 errors"));
}

#[test]
fn duplicate_urls_name_both_files() {
    let err = broken("duplicate-urls");
    assert!(err.contains("/same/ is produced by both content/first.md and content/second.md"), "{err}");
    assert!(err.contains("/same/ is produced by both content/first.md and content/third.md"));
    assert!(err.contains("2 errors"), "each clash is reported once:\n{err}");
}

#[test]
fn markdown_problems_are_errors() {
    let err = broken("broken-markdown");
    insta::assert_snapshot!("broken_markdown", err);
}

#[test]
fn template_errors_name_the_template_and_line() {
    let err = broken("broken-template");
    assert!(err.contains("Field `no_such_field` is not defined"), "{err}");
    assert!(err.contains("--> templates/page.html:4:15"));
    let err = broken("broken-template-syntax");
    assert!(err.contains("--> templates/page.html:3:"), "{err}");
}

#[test]
fn non_utf8_files_are_named() {
    let site = Site::fixture("minimal");
    site.write("content/latin1.md", b"+++\ntitle = \"Caf\xE9\"\n+++\n");
    let run = site.build().expect(1);
    assert!(
        run.stderr
            .contains("error: file is not valid UTF-8 (first bad byte at offset 16)\n  --> content/latin1.md:2:13"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_out_of_the_site_are_errors() {
    let site = Site::fixture("minimal");
    std::os::unix::fs::symlink(site.root.join("content"), site.root.join("content/loop")).unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "+++\ntitle = \"Secret\"\n+++\n").unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root.join("content/outside")).unwrap();
    let run = site.build().expect(1);
    assert!(run.stderr.contains("symbolic link loop"), "{}", run.stderr);
    assert!(run.stderr.contains("link points outside the site: content/outside"), "{}", run.stderr);
    assert!(!site.exists("public"));
}

#[cfg(unix)]
#[test]
fn templates_linked_from_outside_the_site_are_not_read() {
    let site = Site::fixture("minimal");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("page.html"), "{{ config.title }}").unwrap();
    std::fs::create_dir_all(site.root.join("templates")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("page.html"), site.root.join("templates/page.html")).unwrap();
    let run = site.build().expect(1);
    assert!(run.stderr.contains("link points outside the site: templates/page.html"), "{}", run.stderr);
}

#[test]
fn json_findings_for_tools() {
    let site = Site::fixture("broken-links");
    let run = site.run(&["check", "--format", "json"]).expect(1);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 3);
    assert_eq!(errors[0]["file"], "content/a.md");
    assert_eq!(errors[0]["line"], 7);
    assert_eq!(errors[0]["column"], 8);
}

#[test]
fn warnings_do_not_fail_a_build_unless_configured() {
    let site = Site::fixture("minimal");
    site.write("content/long.md", format!("+++\ntitle = \"{}\"\n+++\n", "Long ".repeat(20)));
    let run = site.build().expect(0);
    assert!(run.stderr.contains("warning: title is 100 characters"), "{}", run.stderr);
    let config = site.read("site.toml") + "[checks]\nwarnings_are_errors = true\n";
    site.write("site.toml", config);
    site.build().expect(1);
}

#[test]
fn odd_input_never_panics() {
    let site = Site::fixture("minimal");
    let inputs: [&[u8]; 10] = [
        b"",
        b"+++",
        b"+++\n+++\n",
        b"+++\ntitle = \"x\"\n+++\n[link](@/)",
        b"+++\ntitle = \"x\"\n+++\n[link](@/#)",
        b"+++\ntitle = \"x\"\nstart = 1979-05-27T07:32:00Z\n+++\n",
        b"+++\ntitle = \"x\"\ndate = 07:32:00\n+++\n",
        b"+++\ntitle = [\"x\"]\n+++\n",
        b"+++\ntitle = \"x\"\nweight = 99999999999999999999\n+++\n",
        b"+++\ntitle = \"\xF0\x9F\x98\x80\"\nkind = \"event\"\nstart = 2026-02-30\n+++\n![\xF0\x9F\x98\x80](x.png \"t\")\n#\n",
    ];
    for (i, input) in inputs.iter().enumerate() {
        site.write(&format!("content/odd{i}.md"), input);
    }
    let run = site.build();
    assert!(run.code == 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn title_description_and_template_findings_point_at_their_own_keys() {
    let site = Site::fixture("minimal");
    let long = "x".repeat(200);
    // "title", "description" and "template" appear earlier in other values:
    // a finding must point at the key's value, not at the first such word.
    site.write(
        "content/long.md",
        format!(
            "+++\nweight = 1\ntags = [\"title\", \"description\", \"template\"]\ntitle = \"{long}\"\ndescription = \"{long}\"\ntemplate = \"nope.html\"\n+++\nBody.\n"
        ),
    );
    let run = site.build().expect(1);
    assert!(run.stderr.contains("content/long.md:4:9"), "title: {}", run.stderr);
    assert!(run.stderr.contains("content/long.md:5:15"), "description: {}", run.stderr);
    assert!(run.stderr.contains("content/long.md:6:12"), "template: {}", run.stderr);
}

/// 20,000 broken links on one line: each error read the page from its start
/// and printed the whole 220 kB line (100 s in a debug build, 4 GB printed).
/// Now each shows the part of the line around it.
#[test]
fn errors_on_one_long_line_show_the_line_around_each() {
    let site = Site::fixture("glossary");
    site.write("content/notes/links.md", format!("+++\ntitle = \"Links\"\n+++\n\n{}\n", "[a](#nope) ".repeat(20_000)));
    let err = clean(&site.build().expect(1).stderr, &site);
    assert!(err.contains("20000 errors"), "{}", &err[err.len().saturating_sub(500)..]);
    assert!(err.len() < 20_000 * 1_000, "{} bytes of errors", err.len());
    let last = err.rfind("--> content/notes/links.md:5:219990\n").expect("the last link's error");
    let snippet: Vec<&str> = err[last..].lines().skip(2).take(2).collect();
    // Sixty characters before the link, then the link and the line's end.
    assert_eq!(snippet[0], format!("5 | …{}[a](#nope) ", &"[a](#nope) ".repeat(6)[6..]));
    assert_eq!(snippet[1], format!("  | {}^^^^^^^^^^", " ".repeat(61)));
}
