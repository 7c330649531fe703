//! The output folder: what `-o` may name, links to it, two builds at once,
//! a folder that is not a site, and writes that fail. Each test names the
//! way a build once lost an author's files.

use std::path::Path;
use std::process::Command;

use crate::driver::Site;

/// Asserts the site's own files are all still there.
fn site_is_whole(site: &Site) {
    assert!(site.exists("site.toml"), "site.toml is gone");
    assert!(site.exists("content/_index.md"), "content/ was replaced");
    assert!(!site.exists("content/index.html"), "content/ holds built pages");
}

#[test]
fn dot_dot_through_a_missing_folder_cannot_replace_content_or_the_site() {
    let site = Site::fixture("minimal");
    let name = site.root.file_name().unwrap().to_str().unwrap().to_string();
    for target in ["nope/../content".to_string(), format!("nope/../../{name}"), "nope/../.".to_string()] {
        let run = site.run(&["build", "-o", &target]).expect(1);
        assert!(run.stderr.contains("refusing to write the site"), "{target}: {}", run.stderr);
        site_is_whole(&site);
        assert!(!site.exists("nope"), "{target}: a folder was made on the way");
    }
}

#[test]
fn dot_dot_cannot_replace_a_folder_elsewhere() {
    let site = Site::fixture("minimal");
    let victim = site.root.parent().unwrap().join("victim");
    std::fs::create_dir_all(victim.join("keep")).unwrap();
    std::fs::write(victim.join("keep/notes.txt"), "mine").unwrap();
    let sneaky = site.root.parent().unwrap().join("nope/../victim");
    let run = site.run(&["build", "-o", sneaky.to_str().unwrap()]).expect(1);
    assert!(run.stderr.contains("did not create"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(victim.join("keep/notes.txt")).unwrap(), "mine");
}

#[test]
fn links_to_content_or_the_site_are_refused_as_output() {
    let site = Site::fixture("minimal");
    std::os::unix::fs::symlink(site.root.join("content"), site.root.join("to-content")).unwrap();
    std::os::unix::fs::symlink(&site.root, site.root.join("to-site")).unwrap();
    for target in ["to-content", "to-site", "to-site/public/.."] {
        let run = site.run(&["build", "-o", target]).expect(1);
        assert!(run.stderr.contains("refusing to write the site"), "{target}: {}", run.stderr);
        site_is_whole(&site);
    }
}

#[test]
fn a_linked_output_folder_is_written_through_and_stays_whole() {
    let site = Site::fixture("full");
    site.run(&["build", "-o", "www", "--today", "2026-11-28"]).expect(0);
    std::os::unix::fs::symlink(site.root.join("www"), site.root.join("public")).unwrap();
    let first = site.tree("www");
    assert!(first.iter().any(|(p, _)| p.matches('/').count() >= 2), "the site has second-level folders");
    site.build().expect(0);
    let meta = std::fs::symlink_metadata(site.root.join("public")).unwrap();
    assert!(meta.file_type().is_symlink(), "public/ is still the link it was");
    assert_eq!(first, site.tree("www"), "the folder behind the link holds the whole site");
}

#[test]
fn a_second_build_into_one_output_fails_and_leaves_the_first_whole() {
    let site = Site::fixture("full");
    site.build().expect(0);
    let good = site.tree("public");
    // Another build holds the output's lock.
    let lock = std::fs::File::options().write(true).open(site.root.join(".public.pamphlet-lock")).unwrap();
    lock.lock().unwrap();
    let run = site.build().expect(1);
    assert!(run.stderr.contains("another build is writing to"), "{}", run.stderr);
    assert_eq!(good, site.tree("public"));
    drop(lock);
    site.build().expect(0);
}

#[test]
fn a_staging_folder_left_by_a_killed_build_is_cleaned() {
    let site = Site::fixture("minimal");
    site.write(".public.pamphlet-new/half/index.html", "half a build");
    site.build().expect(0);
    assert!(!site.exists(".public.pamphlet-new"));
    assert!(!site.exists("public/half"));
}

#[test]
fn a_folder_that_is_not_a_site_gets_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pamphlet"))
        .args(["build", "--root", "nope"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("site.toml"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing was created");
}

#[test]
fn failed_writes_are_one_error_per_cause_and_keep_the_last_good_site() {
    let site = Site::fixture("full");
    site.build().expect(0);
    let good = site.tree("public");
    // Files over 1 KiB cannot be written (EFBIG), as on a full disk: the
    // signal the limit raises is ignored, so the write fails instead.
    let bin = env!("CARGO_BIN_EXE_pamphlet");
    let script = format!("trap '' XFSZ; ulimit -f 1; exec '{bin}' build --today 2026-11-28");
    let out = Command::new("sh").args(["-c", &script]).current_dir(&site.root).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("cannot write") && errors[0].contains("more files"), "{stderr}");
    assert_eq!(good, site.tree("public"), "the last good site is untouched");
    assert!(!Path::new(&site.root.join(".public.pamphlet-new")).exists(), "no staging folder is left");
}
