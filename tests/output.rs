//! The output folder's rules: chronicle refuses folders it must not touch,
//! deletes only what it made, removes pages that are gone, does not rewrite
//! unchanged files, and a failed build leaves the previous site as it was.

mod common;

use std::fs;
use std::path::Path;

use chronicle::Failure;
use chronicle::output::{OutputError, Refusal};
use common::*;

fn refusal(root: &Path, output: &Path) -> Refusal {
    match chronicle::build(&options(root, output), &|| {}) {
        Err(Failure::Output(OutputError::Refused { refusal, .. }, _)) => refusal,
        Err(Failure::Output(e, _)) => panic!("expected a refusal, got {e}"),
        Err(Failure::Diagnostics(d)) => panic!("expected a refusal, got diagnostics {d:?}"),
        Ok(_) => panic!("expected a refusal, the build wrote {}", output.display()),
    }
}

fn site_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("order"), dir.path());
    dir
}

#[test]
fn refuses_the_root_its_parents_and_its_sources() {
    let site = site_copy();
    let root = site.path();
    let before = tree(root);
    assert_eq!(refusal(root, root), Refusal::IsRoot);
    assert_eq!(refusal(root, root.parent().unwrap()), Refusal::ContainsSite);
    assert_eq!(
        refusal(root, &root.join("content")),
        Refusal::InsideSources("content")
    );
    assert_eq!(
        refusal(root, &root.join("content/2024")),
        Refusal::InsideSources("content")
    );
    assert_eq!(
        refusal(root, &root.join("templates/x")),
        Refusal::InsideSources("templates")
    );
    assert_eq!(refusal(root, &root.join("content/../.")), Refusal::IsRoot);
    assert_eq!(tree(root), before, "a refused build wrote something");
}

#[test]
fn refuses_a_folder_with_files_it_did_not_make() {
    let site = site_copy();
    let out = site.path().join("public");
    fs::create_dir_all(out.join("notes")).unwrap();
    fs::write(out.join("notes/mine.txt"), "keep me").unwrap();
    assert_eq!(
        refusal(site.path(), &out),
        Refusal::ForeignFiles(vec!["notes".into(), "notes/mine.txt".into()])
    );
    assert_eq!(
        fs::read_to_string(out.join("notes/mine.txt")).unwrap(),
        "keep me"
    );

    // After a build, a file someone added is refused too, and kept.
    fs::remove_dir_all(&out).unwrap();
    build(site.path(), &out);
    fs::write(out.join("2024/added.html"), "by hand").unwrap();
    assert_eq!(
        refusal(site.path(), &out),
        Refusal::ForeignFiles(vec!["2024/added.html".into()])
    );
    assert_eq!(
        fs::read_to_string(out.join("2024/added.html")).unwrap(),
        "by hand"
    );
}

#[test]
fn stale_pages_are_removed_and_unchanged_files_not_rewritten() {
    let site = site_copy();
    // With the search index, whose stale files must go too.
    let settings = site.path().join("content/_index.md");
    let text = fs::read_to_string(&settings).unwrap();
    fs::write(&settings, text.replacen("---\n", "---\nsearch: true\n", 1)).unwrap();
    let out = site.path().join("public");
    build(site.path(), &out);
    let index_time = fs::metadata(out.join("2024/year/index.html"))
        .unwrap()
        .modified()
        .unwrap();
    let css_time = fs::metadata(out.join("style.css"))
        .unwrap()
        .modified()
        .unwrap();
    assert!(out.join("2025/later/index.html").exists());

    let search_files = || -> std::collections::BTreeSet<String> {
        let files = tree(&out).into_keys();
        files.filter(|p| p.starts_with("pagefind/")).collect()
    };
    let search_before = search_files();
    fs::remove_file(site.path().join("content/2025/later.md")).unwrap();
    let report = build(site.path(), &out);
    // The search index's files are named by their contents: those that
    // changed went too.
    let search_gone = search_before.difference(&search_files()).count();
    assert!(search_gone > 0);
    assert!(
        !out.join("2025/later").exists(),
        "the page and its folder are gone"
    );
    // Its year's page went with it, and the empty folder.
    assert!(!out.join("2025").exists());
    assert_eq!(report.stats.removed, 2 + search_gone);
    // The timeline, the year's last entry and the year navigation changed;
    // an untouched page and the stylesheet were not written again.
    assert_eq!(
        fs::metadata(out.join("style.css"))
            .unwrap()
            .modified()
            .unwrap(),
        css_time
    );
    let again = fs::metadata(out.join("2024/year/index.html"))
        .unwrap()
        .modified()
        .unwrap();
    // 2024/year lost its later neighbour, so it was rewritten; 2024/month was not.
    assert_ne!(again, index_time);
    assert!(report.stats.unchanged > 0);

    // A third build of the same input writes nothing at all.
    let report = build(site.path(), &out);
    assert_eq!(report.stats.written, 0);
    assert_eq!(report.stats.removed, 0);
    // No bookkeeping left but the manifest and the lock.
    assert!(!out.join(".chronicle-staging").exists());
}

#[test]
fn a_failing_build_leaves_the_previous_site_intact() {
    let site = site_copy();
    let out = site.path().join("public");
    build(site.path(), &out);
    let before = tree(&out);
    fs::write(
        site.path().join("content/2024/broken.md"),
        "---\ntitle: Broken\ndate: 2024-13\n---\n",
    )
    .unwrap();
    match chronicle::build(&options(site.path(), &out), &|| {}) {
        Err(Failure::Diagnostics(d)) => assert!(d[0].message.contains("month 13")),
        other => panic!("expected diagnostics, got {other:?}"),
    }
    assert_eq!(tree(&out), before);
}

#[test]
fn two_builds_at_once_give_one_whole_site() {
    let site = site_copy();
    let out = site.path().join("public");
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_chronicle"))
            .args(["build", "--root", ".", "--as-of", "2024-04-01"])
            .current_dir(site.path())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut runs: Vec<_> = (0..4).map(|_| spawn()).collect();
    for run in &mut runs {
        assert!(run.wait().unwrap().success());
    }
    let together = tree(&out);
    let alone = tempfile::tempdir().unwrap();
    let mut o = options(site.path(), alone.path());
    o.as_of = Some(day("2024-04-01"));
    build_with(&o);
    let alone = tree(alone.path());
    let pages = |t: &std::collections::BTreeMap<String, Vec<u8>>| {
        t.iter()
            .filter(|(k, _)| !k.starts_with(".chronicle"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(pages(&together), pages(&alone));
}
