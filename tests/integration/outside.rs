//! Nothing outside the site is read or published: links out of assets/,
//! templates/ and themes/, and a theme named by a path, are errors naming
//! the path, as links out of content/ are.

use std::os::unix::fs::symlink;

use crate::driver::Site;

/// A folder outside the site holding a secret file and a template.
fn elsewhere() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    std::fs::write(dir.path().join("id_rsa"), "PRIVATE KEY").unwrap();
    std::fs::write(dir.path().join("static/id_rsa"), "PRIVATE KEY").unwrap();
    std::fs::write(dir.path().join("templates/index.html"), "{{ config.title }}").unwrap();
    dir
}

/// Builds and asserts it failed naming `path`, and that no secret was published.
fn refused(site: &Site, path: &str) {
    let run = site.build().expect(1);
    assert!(run.stderr.contains(&format!("link points outside the site: {path}")), "{path}: {}", run.stderr);
    assert!(!site.exists("public"), "{path}: a site was published");
}

#[test]
fn a_linked_assets_folder_is_refused() {
    let site = Site::fixture("minimal");
    let outside = elsewhere();
    symlink(outside.path(), site.root.join("assets")).unwrap();
    refused(&site, "assets");
}

#[test]
fn a_linked_folder_inside_assets_is_refused() {
    let site = Site::fixture("minimal");
    let outside = elsewhere();
    std::fs::create_dir_all(site.root.join("assets")).unwrap();
    symlink(outside.path(), site.root.join("assets/keys")).unwrap();
    refused(&site, "assets/keys");
}

#[test]
fn a_file_linked_into_assets_is_refused_not_skipped() {
    let site = Site::fixture("minimal");
    let outside = elsewhere();
    site.write("assets/logo.txt", "logo");
    symlink(outside.path().join("id_rsa"), site.root.join("assets/id_rsa")).unwrap();
    // A link that stays inside the site is fine.
    symlink(site.root.join("assets/logo.txt"), site.root.join("assets/logo-copy.txt")).unwrap();
    refused(&site, "assets/id_rsa");
    std::fs::remove_file(site.root.join("assets/id_rsa")).unwrap();
    site.build().expect(0);
    assert_eq!(site.read("public/logo-copy.txt"), "logo");
}

#[test]
fn a_linked_templates_folder_is_refused() {
    let site = Site::fixture("minimal");
    let outside = elsewhere();
    symlink(outside.path().join("templates"), site.root.join("templates")).unwrap();
    refused(&site, "templates");
}

#[test]
fn a_linked_theme_is_refused() {
    let site = Site::fixture("minimal");
    let outside = elsewhere();
    std::fs::create_dir_all(site.root.join("themes")).unwrap();
    symlink(outside.path(), site.root.join("themes/borrowed")).unwrap();
    site.edit("site.toml", "title", "theme = \"borrowed\"\ntitle");
    refused(&site, "themes/borrowed/templates");
}

#[test]
fn a_theme_named_by_a_path_is_refused() {
    let site = Site::fixture("minimal");
    let outside = elsewhere();
    let path = format!("../../../../../../..{}", outside.path().display());
    for theme in [path.as_str(), "../x", "/etc", "a/b", ".."] {
        site.write("site.toml", format!("title = \"T\"\nbase_url = \"https://example.org\"\ntheme = \"{theme}\"\n"));
        let run = site.build().expect(1);
        assert!(run.stderr.contains("`theme`: must be the name of a folder under themes/"), "{theme}: {}", run.stderr);
        assert!(run.stderr.contains("site.toml:3:9"), "{theme}: {}", run.stderr);
    }
}
