//! The binary as a user runs it: diagnostics with file, line and column,
//! exit codes, help, and an output folder left alone by a failed run.

use crate::common::*;

/// Acceptance: ten distinct errors over six files, all reported in one run,
/// each at its file, line and column; a site built before stays as it was.
#[test]
fn check_reports_every_error_at_its_place_and_writes_nothing() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("order"), site.path());
    let built = chronicle(&["build", "--root", "."], site.path());
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let before = tree(&site.path().join("public"));
    assert!(before.contains_key("index.html"));

    std::fs::remove_dir_all(site.path().join("content")).unwrap();
    copy_dir(
        &fixture("ten-errors").join("content"),
        &site.path().join("content"),
    );

    for command in ["check", "build"] {
        let run = chronicle(&[command], site.path());
        assert_eq!(run.status.code(), Some(1), "{command}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(
            error_positions(&stderr),
            [
                "content/2023/a.md:3:8 date-invalid",    // 2023-02-30
                "content/2023/a.md:4:1 unknown-key",     // `locaton`
                "content/2023/b.md:3:7 date-invalid",    // range ends before it starts
                "content/2023/b.md:4:9 invalid-choice",  // status not one of the four
                "content/2023/c.md:1:1 missing-field",   // no title
                "content/2023/c.md:4:7 wrong-type",      // tags: a map, not a list
                "content/2024/d.md:5:5 unknown-related", // no such id
                "content/2024/d.md:7:9 broken-link",     // no such article
                "content/2024/e.md:3:5 yaml-syntax",
                "content/2024/f.md:2:11 encoding", // not UTF-8
            ],
            "{command}:\n{stderr}"
        );
        assert!(stderr.contains("did you mean `location`?"), "{stderr}");
        assert!(
            stderr.contains("4 | locaton: Madrid\n  | ^^^^^^^\n"),
            "{stderr}"
        );
        assert!(
            stderr.ends_with("error: 10 errors and 0 warnings; nothing was written\n"),
            "{stderr}"
        );
        assert!(run.stdout.is_empty());
        assert_eq!(
            tree(&site.path().join("public")),
            before,
            "{command} changed public/"
        );
    }
}

#[test]
fn diagnostics_name_the_problem_and_suggest_the_fix() {
    let run = chronicle(
        &["check", "--root", "tests/fixtures/ten-errors"],
        &repo_root(),
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    // Wording may change; these say what the reader most needs: what was
    // found, what was expected, and the fix.
    let expect = [
        "a.md:3:8: error[date-invalid]: impossible date: February 2023 has 28 days",
        "b.md:3:7: error[date-invalid]: the range ends (1 September 2023) before it starts (10 September 2023)",
        "hint: did you mean 2023-09-01/2023-09-10?",
        "b.md:4:9: error[invalid-choice]: `status` must be one of held, planned, postponed, cancelled, found `finished`",
        "c.md:1:1: error[missing-field]: missing required field `title`",
        "c.md:4:7: error[wrong-type]: `tags` must be a list of text, found a set of keys",
        "d.md:5:5: error[unknown-related]: `related`: there is no article with id `2023/nope`",
        "d.md:7:9: error[broken-link]: broken internal link: no article at content/2023/zzz.md",
        "(while parsing a flow sequence that starts at line 2, column 8)",
        "hint: a value that starts with `[` or `{` is read as a list or a set of keys: put text in quotes",
        "f.md:2:11: error[encoding]: the file is not valid UTF-8",
    ];
    for line in expect {
        assert!(stderr.contains(line), "missing {line:?} in:\n{stderr}");
    }
    // Paths are shown as the user can open them.
    assert!(stderr.starts_with("tests/fixtures/ten-errors/content/2023/a.md:3:8: "));
}

/// Times of day read in a zone: a time the clocks skip is an error at the
/// time, one they repeat a warning, an unknown zone an error with the
/// closest name; a written offset needs no zone.
#[test]
fn times_the_clocks_skip_or_repeat_are_reported_where_they_are_written() {
    let run = chronicle(
        &["check", "--root", "tests/fixtures/zone-errors"],
        &repo_root(),
    );
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    let p = "tests/fixtures/zone-errors/content";
    assert_eq!(
        error_positions(&stderr),
        [
            format!("{p}/bad-zone.md:4:11 timezone-unknown"),
            format!("{p}/gap.md:3:19 time-in-gap"),
            format!("{p}/ny-gap.md:3:19 time-in-gap"),
            format!("{p}/range-gap.md:3:36 time-in-gap"),
        ]
    );
    assert_eq!(
        warning_positions(&stderr),
        [format!("{p}/twice.md:3:19 time-ambiguous")]
    );
    for line in [
        "hint: did you mean `America/New_York`?",
        "01:30 on 2023-03-26 does not exist in Europe/London: the clocks went forward",
        "hint: write a time from 02:00 on, or give the offset the source used, e.g. 2023-03-26T01:30+00:00",
        "02:30 on 2023-03-12 does not exist in America/New_York",
        "01:30 on 2023-10-29 happens twice in Europe/London (the clocks went back)",
        "2023-10-29T01:30+01:00 for the first, 2023-10-29T01:30+00:00 for the second",
    ] {
        assert!(stderr.contains(line), "missing {line:?} in:\n{stderr}");
    }
}

/// With registries: a link to a heading another article lacks is an error
/// at the link (with the closest id), a participant spelt unlike the
/// registry a warning at the name (with the registered spelling), and a
/// registered name no article uses a warning at its record.
#[test]
fn registries_and_links_to_parts_of_articles_are_checked() {
    let run = chronicle(
        &["check", "--root", "tests/fixtures/registry"],
        &repo_root(),
    );
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    let p = "tests/fixtures/registry/content";
    assert_eq!(
        error_positions(&stderr),
        [format!("{p}/2023/summit.md:9:44 broken-link")]
    );
    let warnings = warning_positions(&stderr);
    for expected in [
        format!("{p}/2023/summit.md:7:5 unregistered-name"),
        format!("{p}/_people.yaml:7:9 unused-record"),
        format!("{p}/_people.yaml:9:9 unused-record"),
    ] {
        assert!(
            warnings.contains(&expected),
            "{expected} not in {warnings:?}"
        );
    }
    for line in [
        "content/2023/talks.md has no part with the id `outcome`",
        "hint: did you mean `#outcomes`?",
        "“Yoon Suk-yeol” is not in content/_people.yaml",
        "hint: did you mean “Yoon Suk Yeol”?",
        "no article names “Shinzo Abe”",
    ] {
        assert!(stderr.contains(line), "missing {line:?} in:\n{stderr}");
    }
    // The link to a heading that exists is fine.
    assert!(!stderr.contains("`the-start`"));
}

/// A site with every date form (times in zones, years BC, deep time,
/// unspecified digits, open ends) checks clean.
#[test]
fn every_date_form_checks_clean() {
    let run = succeeds(&["check", "--root", "tests/fixtures/dates"], &repo_root());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(error_positions(&stderr).is_empty(), "{stderr}");
    assert_eq!(
        warning_positions(&stderr),
        ["tests/fixtures/dates/content/_index.md no-base-url"],
        "{stderr}"
    );
}

#[test]
fn duplicate_ids_name_both_files() {
    let run = chronicle(
        &["check", "--root", "tests/fixtures/duplicate-ids"],
        &repo_root(),
    );
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    let p = "tests/fixtures/duplicate-ids/content";
    assert_eq!(
        error_positions(&stderr),
        [
            format!("{p}/2023/a.md:1:1 duplicate-id"),
            format!("{p}/2023/b.md:4:7 duplicate-id"),
            format!("{p}/2023/c.md:4:7 slug-invalid"),
            format!("{p}/participants/x.md:1:1 id-reserved"),
        ]
    );
    assert!(stderr.contains("this file and content/2023/b.md"));
    assert!(stderr.contains("this file and content/2023/a.md"));
    assert!(stderr.contains("hint: did you mean `slug: not-valid`?"));
    assert!(stderr.contains("the id `participants/x` would take `participants`"));
}

#[test]
fn a_missing_settings_file_is_an_error() {
    let run = chronicle(
        &["check", "--root", "tests/fixtures/no-index"],
        &repo_root(),
    );
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(
        error_positions(&stderr),
        ["tests/fixtures/no-index/content/_index.md no-settings"]
    );
}

#[test]
fn template_errors_name_the_template_line_and_column() {
    let run = chronicle(
        &["check", "--root", "tests/fixtures/template-error"],
        &repo_root(),
    );
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(
        error_positions(&stderr),
        ["tests/fixtures/template-error/templates/article.html:3:22 template-syntax"]
    );
    assert!(
        stderr.contains("3 | <h1>{{ article.title }</h1>\n  |                      ^\n"),
        "{stderr}"
    );
}

#[test]
fn build_prints_one_summary_line() {
    let out = tempfile::tempdir().unwrap();
    let run = chronicle(
        &[
            "build",
            "--root",
            "tests/fixtures/order",
            "--output",
            out.path().to_str().unwrap(),
        ],
        &repo_root(),
    );
    assert!(run.status.success());
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("Built 7 articles into "), "{stdout}");
    assert!(stdout.contains("0 warnings"), "{stdout}");
    assert!(stdout.trim_end().ends_with(" ms"), "{stdout}");
    let check = chronicle(&["check", "--root", "tests/fixtures/order"], &repo_root());
    let check_out = String::from_utf8_lossy(&check.stdout);
    assert!(check_out.starts_with("Checked 7 articles: "), "{check_out}");
    // `check` keeps no page, but counts every one a build writes (all but
    // the search index, which `check` does not make).
    let written = tree(out.path())
        .keys()
        .filter(|p| !p.starts_with(".chronicle") && !p.starts_with("pagefind/"))
        .count();
    assert!(
        check_out.contains(&format!(": {written} files would be written;")),
        "{check_out} (a build wrote {written})"
    );
    assert!(!repo_root().join("tests/fixtures/order/public").exists());
}

#[test]
fn a_relative_output_is_relative_to_the_current_folder() {
    let cwd = tempfile::tempdir().unwrap();
    let root = fixture("order");
    let run = chronicle(
        &[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            "site-out",
        ],
        cwd.path(),
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(cwd.path().join("site-out/index.html").exists());
    assert!(!root.join("site-out").exists());
}

#[test]
fn bad_flags_get_clap_errors() {
    let run = chronicle(&["build", "--frobnicate"], &repo_root());
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("unexpected argument '--frobnicate'"));
    let run = chronicle(&["build", "--as-of", "2024-02-30"], &repo_root());
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("February 2024 has 29 days"));
    let run = chronicle(
        &["build", "--base-url", "javascript:alert(1)"],
        &repo_root(),
    );
    assert_eq!(run.status.code(), Some(2));
}

#[test]
fn help_shows_an_example() {
    for command in ["build", "check"] {
        let run = chronicle(&[command, "--help"], &repo_root());
        assert!(run.status.success());
        let stdout = String::from_utf8_lossy(&run.stdout);
        assert!(stdout.contains("Examples:"), "{stdout}");
        assert!(
            stdout.contains(&format!("chronicle {command} --root")),
            "{stdout}"
        );
        assert!(stdout.contains("--as-of <YYYY-MM-DD>"), "{stdout}");
    }
}

#[test]
fn source_date_epoch_sets_the_as_of_date_when_nothing_else_does() {
    let out = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args([
            "build",
            "--root",
            "tests/fixtures/drafts",
            "--output",
            out.path().to_str().unwrap(),
        ])
        .current_dir(repo_root())
        .env("SOURCE_DATE_EPOCH", "1700000000") // 14 November 2023
        .output()
        .unwrap();
    assert!(run.status.success());
    let html = page(out.path(), "index.html");
    assert_eq!(
        select(&html, ".as-of time")[0].value().attr("datetime"),
        Some("2023-11-14")
    );
}

/// A build that finds another holding the output folder says so, waits,
/// and then finishes.
#[test]
fn a_second_build_says_it_is_waiting_then_finishes() {
    use std::io::BufRead;
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("public");
    let cache = work.path().join("cache");
    let args = [
        "build",
        "--root",
        "tests/fixtures/order",
        "--output",
        out.to_str().unwrap(),
        "--cache-dir",
        cache.to_str().unwrap(),
    ];
    assert!(chronicle(&args, &repo_root()).status.success());
    let books = std::fs::read_dir(cache.join("builds"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(books.join("lock"))
        .unwrap();
    lock.lock().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(args)
        .current_dir(repo_root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Should the message never come, the test must fail, not hang: a
    // watchdog lets go of the lock (flock locks belong to the open file,
    // which the clone shares) after a generous while.
    let watchdog = lock.try_clone().unwrap();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(120));
        let _ = watchdog.unlock();
    });
    // The first line on standard error is the message, printed while the
    // build waits for the lock this test holds.
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert_eq!(
        line,
        "waiting for another chronicle build to finish writing the output folder…\n"
    );
    assert!(child.try_wait().unwrap().is_none(), "it did not wait");
    lock.unlock().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success());
}

/// After rendering, every internal link of every generated page is
/// followed, whatever wrote it (here HTML in articles): a missing file or
/// a missing id is an error naming the page and the link, in `check` as
/// in `build`, and a failed build leaves the published site as it was.
#[test]
fn links_the_generated_pages_carry_are_checked() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("generated-links"), site.path());
    let first = site.path().join("content/2023/first.md");
    let text = std::fs::read_to_string(&first).unwrap();
    // Built once without the broken links: the published site.
    let good: String = text
        .lines()
        .filter(|l| !l.contains("nowhere") && !l.contains("map.png") && !l.contains("#outcome"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&first, &good).unwrap();
    let second = site.path().join("content/2023/second.md");
    let second_text = std::fs::read_to_string(&second).unwrap();
    std::fs::write(&second, second_text.replace("#missing", "#background")).unwrap();
    let out = site.path().join("public");
    let root = site.path().to_str().unwrap();
    let run = chronicle(
        &["build", "--root", root, "--output", "public"],
        site.path(),
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let published = || {
        let mut files = tree(&out);
        files.retain(|p, _| !p.starts_with(".chronicle"));
        files
    };
    let before = published();

    std::fs::write(&first, &text).unwrap();
    std::fs::write(&second, &second_text).unwrap();
    for command in ["check", "build"] {
        let args = match command {
            "check" => vec![command, "--root", root],
            _ => vec![command, "--root", root, "--output", "public"],
        };
        let run = chronicle(&args, site.path());
        assert_eq!(run.status.code(), Some(1), "{command}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        let errors = error_positions(&stderr);
        assert_eq!(errors.len(), 4, "{command}: {stderr}");
        for line in [
            "the generated page `2023/first/index.html` links to `/news/nowhere/`: no such file in the site",
            "links to `/news/2023/first/map.png`: no such file in the site",
            "links to `/news/2023/second/#outcome`: `2023/second/index.html` has no id `outcome`",
            "the generated page `2023/second/index.html` links to `/news/2023/first/#missing`: `2023/first/index.html` has no id `missing`",
        ] {
            assert!(
                stderr.contains(line),
                "{command}: missing {line:?} in:\n{stderr}"
            );
        }
        // A link to an id that is there, to this site by its absolute
        // address, to another site, in a comment: none is reported.
        for quiet in [
            "#talks",
            "#background",
            "example.com",
            "in-a-comment",
            "mailto",
        ] {
            assert!(
                !stderr.contains(quiet),
                "{command}: {quiet} reported:\n{stderr}"
            );
        }
    }
    assert!(
        published() == before,
        "the failed build left the site as it was"
    );
}

/// With `require_citations: true`: a citation of an unknown id is an error
/// at it (with the closest id), a listed source the text never cites and a
/// paragraph that states a number and cites nothing are warnings, each at
/// its line and column.
#[test]
fn citations_are_checked_at_their_places() {
    let run = chronicle(
        &["check", "--root", "tests/fixtures/citations"],
        &repo_root(),
    );
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    let p = "tests/fixtures/citations/content/2023/summit.md";
    assert_eq!(
        error_positions(&stderr),
        [format!("{p}:11:33 citation-unknown")]
    );
    let warnings = warning_positions(&stderr);
    for expected in [
        format!("{p}:5:5 source-uncited"),
        format!("{p}:13:1 citation-missing"),
    ] {
        assert!(
            warnings.contains(&expected),
            "{expected} not in {warnings:?}"
        );
    }
    assert_eq!(warnings.len(), 3, "{warnings:?}"); // and no-base-url
    for line in [
        "`[@K3]` cites a source this page does not list and the site does not have",
        "hint: did you mean `[@K2]`?",
        "the source `W1` is listed but the text never cites it",
        "this paragraph states a date or a number and cites no source",
    ] {
        assert!(stderr.contains(line), "missing {line:?} in:\n{stderr}");
    }
}

/// A chronicle built without its `search` feature cannot make the index
/// the bundled site asks for: `check` and `build` say so at the setting,
/// with a code of its own, and nothing is written.
#[cfg(not(feature = "search"))]
#[test]
fn search_true_without_the_search_feature_is_an_error_at_the_setting() {
    let settings = std::fs::read_to_string(repo_root().join("content/_index.md")).unwrap();
    let line = (settings.lines())
        .position(|l| l == "search: true")
        .expect("the bundled site searches")
        + 1;
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let build = ["build", "--output", output.to_str().unwrap()];
    for args in [&["check"][..], &build[..]] {
        let run = chronicle(args, &repo_root());
        assert_eq!(run.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&run.stderr);
        let at = format!("content/_index.md:{line}:9 search-not-built");
        assert_eq!(error_positions(&stderr), [at], "{stderr}");
        assert!(stderr.contains("built without search"), "{stderr}");
    }
    assert!(!output.exists());
}
