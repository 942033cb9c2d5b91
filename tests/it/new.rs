//! `chronicle new`: a new article that the site builds with at once, never
//! written over another, its date checked as `check` checks it.

use crate::common::*;

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("order"), dir.path());
    dir
}

#[test]
fn a_new_article_builds_with_no_error() {
    let site = site();
    let run = succeeds(
        &[
            "new",
            "Leaders meet: \"in Washington\"",
            "--date",
            "2025-09-10",
            "--status",
            "planned",
        ],
        site.path(),
    );
    let printed = String::from_utf8_lossy(&run.stdout).trim().to_string();
    assert_eq!(printed, "content/2025/leaders-meet-in-washington.md");
    let text = std::fs::read_to_string(site.path().join(&printed)).unwrap();
    assert!(text.starts_with("---\ntitle: \"Leaders meet: \\\"in Washington\\\"\"\ndate: 2025-09-10\nstatus: planned\n"), "{text}");
    // The optional keys are there to fill in, as comments.
    for key in [
        "# kind:",
        "# summary:",
        "# location:",
        "# participants:",
        "# sources:",
        "# related:",
    ] {
        assert!(text.contains(key), "{key} missing:\n{text}");
    }
    let out = tempfile::tempdir().unwrap();
    let report = build(site.path(), out.path());
    assert!(
        report.rendered.warnings.is_empty(),
        "{:?}",
        report.rendered.warnings
    );
    let html = page(out.path(), "2025/leaders-meet-in-washington/index.html");
    assert_eq!(one_text(&html, "h1"), "Leaders meet: \"in Washington\"");
}

#[test]
fn it_never_overwrites_and_checks_the_date_like_check() {
    let site = site();
    let args = ["new", "Day A", "--date", "2024-01-01"];
    // The fixture has content/2024/a-day.md; "Day A" slugs to day-a, so
    // make the clash explicit.
    assert!(chronicle(&args, site.path()).status.success());
    let before = std::fs::read(site.path().join("content/2024/day-a.md")).unwrap();
    let again = chronicle(&args, site.path());
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(
        std::fs::read(site.path().join("content/2024/day-a.md")).unwrap(),
        before
    );

    let bad = chronicle(&["new", "Bad", "--date", "2024-02-30"], site.path());
    assert_eq!(bad.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(error_positions(&stderr), ["--date:1:1 date-invalid"]);
    assert!(stderr.contains("February 2024 has 29 days"), "{stderr}");
    assert!(!site.path().join("content/2024/bad.md").exists());
}

#[test]
fn kind_folder_and_a_site_template() {
    let site = site();
    succeeds(
        &[
            "new",
            "Court ruling",
            "--date",
            "2018-10",
            "--kind",
            "context",
            "--dir",
            "content/background",
        ],
        site.path(),
    );
    let text =
        std::fs::read_to_string(site.path().join("content/background/court-ruling.md")).unwrap();
    assert!(text.contains("\nkind: context\n"), "{text}");

    let outside = chronicle(
        &["new", "Stray", "--date", "2018", "--dir", "elsewhere"],
        site.path(),
    );
    assert_eq!(outside.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&outside.stderr).contains("not inside the site's content folder")
    );

    std::fs::write(
        site.path().join("archetype.md"),
        "---\ntitle: {{ title }}\ndate: {{ date }}\nsummary: Written from the desk's archetype.\n---\nBy {{ slug }}.\n",
    )
    .unwrap();
    succeeds(
        &[
            "new",
            "From a template",
            "--date",
            "2023-05-05",
            "--template",
            "archetype.md",
        ],
        site.path(),
    );
    let text =
        std::fs::read_to_string(site.path().join("content/2023/from-a-template.md")).unwrap();
    assert_eq!(
        text,
        "---\ntitle: \"From a template\"\ndate: 2023-05-05\nsummary: Written from the desk's archetype.\n---\nBy from-a-template.\n"
    );
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path());
}

/// Regression (issue 28, items 4 and 12): `--dir content/../..` was refused
/// as `id-invalid` at 1:1 of a file that did not exist, and a folder in
/// `content/` that links out of it was written through.
#[test]
fn a_folder_that_leads_out_of_content_is_refused() {
    let site = site();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path().join("content/link")).unwrap();
    for dir in ["content/../..", "content/link", "content/link/2024"] {
        let run = chronicle(
            &["new", "Stray", "--date", "2018", "--dir", dir],
            site.path(),
        );
        assert_eq!(run.status.code(), Some(1), "{dir}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            stderr.contains("is not inside the site's content folder"),
            "{dir}: {stderr}"
        );
        assert!(!stderr.contains("id-invalid"), "{dir}: {stderr}");
    }
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    // A link that stays inside `content/` is followed.
    std::os::unix::fs::symlink(
        site.path().join("content"),
        site.path().join("content/inside"),
    )
    .unwrap();
    succeeds(
        &[
            "new",
            "Linked",
            "--date",
            "2018",
            "--dir",
            "content/inside/2018",
        ],
        site.path(),
    );
}
