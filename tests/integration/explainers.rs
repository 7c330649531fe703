//! The explainer page: related explainers, backlinks and "cite this page".

use crate::driver::Site;

fn explainer(site: &Site, slug: &str, title: &str, tags: &str) {
    site.write(
        &format!("content/explainers/{slug}.md"),
        format!("+++\ntitle = \"{title}\"\ndescription = \"About {title}.\"\ntags = [{tags}]\n+++\nBody.\n"),
    );
}

#[test]
fn related_explainers_are_those_sharing_most_tags_then_by_title_at_most_four() {
    let site = Site::fixture("full");
    explainer(&site, "zebra", "Zebra", r#""Open models", "Licensing""#);
    explainer(&site, "alpha", "Alpha", r#""Licensing""#);
    explainer(&site, "beta", "Beta", r#""Open models""#);
    explainer(&site, "delta", "Delta", r#""Licensing""#);
    explainer(&site, "gamma", "Gamma", r#""Licensing""#);
    explainer(&site, "untagged", "Untagged", "");
    site.write(
        "templates/explainer.html",
        "{% for r in page.related %}{{ r.title }}|{{ r.path }}|{{ r.permalink }}|{{ r.summary }}\n{% endfor %}",
    );
    site.build().expect(0);
    let related = site.read("public/explainers/open-weights/index.html");
    assert_eq!(
        related,
        "Zebra|/hub/explainers/zebra/|https://example.org/hub/explainers/zebra/|About Zebra.\n\
         Alpha|/hub/explainers/alpha/|https://example.org/hub/explainers/alpha/|About Alpha.\n\
         Beta|/hub/explainers/beta/|https://example.org/hub/explainers/beta/|About Beta.\n\
         Delta|/hub/explainers/delta/|https://example.org/hub/explainers/delta/|About Delta.\n"
    );
    assert_eq!(site.read("public/explainers/untagged/index.html"), "");
}

#[test]
fn backlinks_are_the_pages_linking_here_once_each_by_title() {
    let site = Site::fixture("full");
    let page = |slug: &str, title: &str, body: &str| {
        site.write(&format!("content/explainers/{slug}.md"), format!("+++\ntitle = \"{title}\"\n+++\n{body}\n"));
    };
    page("target", "Target", "Links to [itself](@/explainers/target.md).");
    page("zulu", "Zulu", "See [the target](@/explainers/target.md) and [again](@/explainers/target.md#x).");
    page("alpha", "alpha", "See [the target](@/explainers/target.md).");
    page("lonely", "Lonely", "No links.");
    site.write("content/explainers/target.md", "+++\ntitle = \"Target\"\n+++\n## X {#x}\n\nText.\n");
    site.write(
        "templates/explainer.html",
        "{% for b in page.backlinks %}{{ b.title }}|{{ b.kind }}|{{ b.path }}\n{% endfor %}",
    );
    site.build().expect(0);
    assert_eq!(
        site.read("public/explainers/target/index.html"),
        "alpha|explainer|/hub/explainers/alpha/\nZulu|explainer|/hub/explainers/zulu/\n"
    );
    assert_eq!(site.read("public/explainers/lonely/index.html"), "");
}

#[test]
fn cite_this_page_escapes_bibtex_specials_and_keys_by_slug_and_year() {
    let site = Site::fixture("full");
    std::fs::remove_file(site.root.join("templates/explainer.html")).unwrap();
    site.write(
        "content/explainers/costs.md",
        "+++\ntitle = \"R&D at 5% of $1_000\"\nreviewed = 2026-03-02\n+++\nBody.\n",
    );
    site.build().expect(0);
    let html = site.read("public/explainers/costs/index.html");
    for part in [
        "@misc{costs-2026,",
        r"title        = {R\&amp;D at 5\% of \$1\_000},",
        "year         = {2026},",
        "note         = {Last reviewed 2026-03-02},",
        "Page last reviewed: <time datetime=\"2026-03-02\">2 March 2026</time>",
    ] {
        assert!(html.contains(part), "missing {part:?} in\n{html}");
    }
}
