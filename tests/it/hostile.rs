//! A catalogue of bad input: each case with the diagnostic code and place
//! (or the documented behaviour) expected. None may panic, hang or use
//! unbounded memory; each runs through the whole pipeline in memory. No
//! case is timed (a busy machine would make that flaky): where work could
//! blow up, the test checks that the bound that prevents it is what
//! answered.

use std::path::Path;

use crate::common::*;
use chronicle::diagnostics::Diagnostic;
use chronicle::{Failure, render_site};

const INDEX: &str =
    "---\ntitle: Hostile\nbase_url: https://example.org/\nas_of: 2024-04-01\n---\nIntro.\n";

/// A site whose content is `_index.md` plus `files` (paths under content/).
fn site(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(content.join("_index.md"), INDEX).unwrap();
    for (path, bytes) in files {
        let path = content.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

fn render(dir: &Path) -> Result<chronicle::pipeline::RenderedSite, Vec<Diagnostic>> {
    render_site(&options(dir, &dir.join("public"))).map_err(|f| match f {
        Failure::Diagnostics(d) => d,
        Failure::Output(e, _) => panic!("{e}"),
    })
}

/// The diagnostics of a site that must fail (without dumping the site).
fn render_err(dir: &Path) -> Vec<Diagnostic> {
    match render(dir) {
        Ok(r) => panic!(
            "expected errors; the site rendered {} files",
            r.site.files.len()
        ),
        Err(d) => d,
    }
}

/// The single error a one-article site gives.
fn the_error(bytes: &[u8]) -> Diagnostic {
    let dir = site(&[("2024/x.md", bytes)]);
    let diagnostics = render_err(dir.path());
    let mut errors: Vec<Diagnostic> = diagnostics.into_iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors.remove(0)
}

/// The single error a one-article site gives, as `path:line:col code`.
fn only_error(bytes: &[u8]) -> String {
    positions(&[the_error(bytes)]).remove(0)
}

fn builds(bytes: &[u8]) -> chronicle::pipeline::RenderedSite {
    let dir = site(&[("2024/x.md", bytes)]);
    match render(dir.path()) {
        Ok(r) => r,
        Err(d) => panic!("{d:#?}"),
    }
}

fn page_text(rendered: &chronicle::pipeline::RenderedSite, rel: &str) -> String {
    String::from_utf8(rendered.site.files[rel].clone()).unwrap()
}

#[test]
fn empty_and_unclosed_files() {
    assert_eq!(only_error(b""), "content/2024/x.md:1:1 no-front-matter");
    assert_eq!(only_error(b"---"), "content/2024/x.md:1:1 no-front-matter");
    assert_eq!(
        the_error(b"---\ntitle: A\ndate: 2024\nBody without a fence.\n").message,
        "the front matter is never closed: no line `---` after the first one"
    );
    assert_eq!(
        only_error(b"Just text.\n"),
        "content/2024/x.md:1:1 no-front-matter"
    );
}

#[test]
fn tabs_in_yaml() {
    let dir = site(&[("2024/x.md", b"---\ntitle: A\n\tdate: 2024\n---\n")]);
    let d = render_err(dir.path());
    assert_eq!(positions(&d), ["content/2024/x.md:3:1 yaml-syntax"]);
    assert_eq!(
        d[0].hint.as_deref(),
        Some("YAML indents with spaces, not tabs")
    );
    // A tab after the colon is fine.
    builds(b"---\ntitle:\tA\ndate:\t2024\n---\n");
}

#[test]
fn an_alias_bomb_is_refused_quickly() {
    let mut text = String::from(
        "---\ntitle: X\ndate: 2024\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(",");
        text.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    text.push_str("---\n");
    // The parser's repetition limit is what stops it.
    let e = the_error(text.as_bytes());
    assert_eq!(e.code.as_str(), "yaml-syntax");
    assert!(
        e.message.contains("repetition limit exceeded"),
        "{}",
        e.message
    );
}

#[test]
fn very_deep_nesting_is_refused_quickly() {
    let flow = format!(
        "---\ntitle: X\ndate: 2024\na: {}\n---\n",
        "[".repeat(1_000_000)
    );
    // chronicle's own one-pass depth check refuses it, before libyaml's
    // scanner (quadratic in the depth) ever sees it.
    let e = the_error(flow.as_bytes());
    assert_eq!(
        positions(std::slice::from_ref(&e)),
        ["content/2024/x.md:4:132 yaml-syntax"]
    );
    assert!(
        e.message.ends_with("nested more than 128 deep"),
        "{}",
        e.message
    );
    let block: String = (0..200)
        .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
        .collect();
    let e = the_error(format!("---\ntitle: X\ndate: 2024\n{block}---\n").as_bytes());
    assert!(
        e.message.contains("recursion limit exceeded"),
        "{}",
        e.message
    );
    let markdown = format!(
        "---\ntitle: X\ndate: 2024\n---\n{}deep\n\n{}x\n",
        "> ".repeat(50_000),
        "* ".repeat(50_000)
    );
    builds(markdown.as_bytes());
}

/// Regression (issue 28, item 11): 160,000 `[x]` in one paragraph took
/// 16 s, each piece of text joined by copying the whole run so far
/// (pulldown-cmark gives `[`, `x` and `]` as pieces, and each was boxed
/// again, a reallocation of the whole run). In a test build it takes 0.7 s
/// now and took 6.5 s.
#[test]
fn many_brackets_in_one_paragraph_are_linear() {
    let started = std::time::Instant::now();
    let r = builds(
        format!(
            "---\ntitle: X\ndate: 2024\n---\n{}end\n",
            "[x] ".repeat(160_000)
        )
        .as_bytes(),
    );
    assert!(page_text(&r, "2024/x/index.html").contains("[x] [x] end"));
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(4), "{took:?}");
}

/// Runs the binary with `args` in `cwd`, and returns how it ended, its
/// standard error, and its own largest resident memory, as GNU time
/// reports it. Not the child's `ru_maxrss` from `wait4`: Linux carries the
/// resident set of the process a child was spawned from into the child's
/// `ru_maxrss` when it execs (a 1 MB `/bin/true` spawned from a process of
/// 500 MB reports 500 MB), and this test binary, running the other tests at
/// once, grows to hundreds of MB: `check` "peaked at 448 MiB" in a full run
/// and at 37 MiB alone. GNU time is small, so what it carries over is not
/// seen.
fn run_with_peak(args: &[&str], cwd: &Path) -> (std::process::ExitStatus, String, u64) {
    let report = tempfile::NamedTempFile::new().unwrap();
    let output = std::process::Command::new("/usr/bin/time")
        .arg("--format=%M")
        .arg("--output")
        .arg(report.path())
        .arg(env!("CARGO_BIN_EXE_chronicle"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("/usr/bin/time runs (Debian's `time`, which scripts/test installs)");
    // After a line saying how the command ended, if it failed: the figure
    // is the last line.
    let written = std::fs::read_to_string(report.path()).unwrap();
    let kib: u64 = written
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak in GNU time's report: {written:?}"));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status, stderr, kib * 1024)
}

/// Regression (issue 28, item 6): every static file was read whole, so
/// three sparse 1 GB files took `check` to 3.2 GB; they are hashed and
/// copied as streams now.
#[test]
fn memory_does_not_grow_with_static_files() {
    let dir = site(&[("2024/x.md", b"---\ntitle: X\ndate: 2024\n---\nText.\n")]);
    let statics = dir.path().join("static");
    std::fs::create_dir_all(&statics).unwrap();
    for name in ["a.bin", "b.bin"] {
        let file = std::fs::File::create(statics.join(name)).unwrap();
        file.set_len(1 << 30).unwrap(); // sparse: no disk, 1 GiB read
    }
    let (status, stderr, peak) = run_with_peak(&["check", "--root", "."], dir.path());
    assert!(status.success(), "{stderr}");
    assert!(peak < 400 << 20, "check peaked at {} MiB", peak >> 20);
}

#[test]
fn a_20_mb_article_and_a_1_mb_line() {
    let paragraph = "The leaders met again and talked about many things at length. ".repeat(20);
    let mut body = String::new();
    while body.len() < 20 << 20 {
        body.push_str("## Another section\n\n");
        body.push_str(&paragraph);
        body.push_str("\n\n");
    }
    body.push_str("The very end.\n");
    let r = builds(format!("---\ntitle: Big\ndate: 2024\n---\n{body}").as_bytes());
    assert!(page_text(&r, "2024/x/index.html").contains("The very end."));

    let line = "word ".repeat(200_000);
    let r = builds(format!("---\ntitle: \"{line}\"\ndate: 2024\n---\n{line}\n").as_bytes());
    assert!(r.site.files["2024/x/index.html"].len() > 2_000_000);

    // An error on a 1 MB line shows only the stretch around it.
    let dir = site(&[(
        "2024/x.md",
        format!("---\ntitle: {line}: oops\ndate: 2024\n---\n").as_bytes(),
    )]);
    let d = render_err(dir.path());
    assert_eq!(d[0].line(), 2);
    let shown = d[0].render(Path::new(""));
    assert!(shown.len() < 1000, "{} bytes", shown.len());
}

#[test]
fn nul_bytes_and_bytes_that_are_not_utf8() {
    assert_eq!(
        only_error(b"---\ntitle: A\x00B\ndate: 2024\n---\n"),
        "content/2024/x.md:2:9 encoding"
    );
    assert_eq!(
        only_error(b"---\ntitle: caf\xe9\ndate: 2024\n---\n"),
        "content/2024/x.md:2:11 encoding"
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "---\ntitle: A\n---\n"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        )
        .collect();
    assert_eq!(only_error(&utf16), "content/2024/x.md:1:1 encoding");
}

#[test]
fn invisible_line_breaks_in_front_matter() {
    assert_eq!(
        only_error("---\ntitle: T\u{2028}date: 2024\n---\n".as_bytes()),
        "content/2024/x.md:2:9 invisible-line-break"
    );
    // In the body they are only text.
    builds("---\ntitle: T\ndate: 2024\n---\nA\u{2029}B\u{85}\n".as_bytes());
}

#[test]
fn a_byte_order_mark_and_windows_line_endings() {
    let r = builds(b"\xEF\xBB\xBF---\r\ntitle: With BOM\r\ndate: 2024\r\n---\r\nBody.\r\n");
    assert!(page_text(&r, "2024/x/index.html").contains("<h1 id=\"article-title\">With BOM</h1>"));
    builds(b"---\ntitle: Mixed\r\ndate: 2024\n---\r\nBody.\n");
    // Positions in a CRLF file count lines as editors do.
    assert_eq!(
        only_error(b"---\r\ntitle: A\r\ndate: \"2023-02-30\"\r\n---\r\n"),
        "content/2024/x.md:3:8 date-invalid"
    );
}

const SCRIPT: &str = "<script>alert('x')</script> \\\"q\\\" javascript:alert(1)";

#[test]
fn markup_and_scripts_in_every_field_are_text() {
    let text = format!(
        "---\ntitle: \"{SCRIPT}\"\ndate: 2024\nsummary: \"{SCRIPT}\"\nlocation: \"{SCRIPT}\"\nparticipants: [\"{SCRIPT}\"]\ntags: [\"{SCRIPT}\"]\nseries: \"{SCRIPT}\"\nsources:\n  - title: \"{SCRIPT}\"\n    publisher: \"{SCRIPT}\"\n    url: \"https://example.org/?q=<script>\"\n---\nBody <script>alert(2)</script> and [a link](https://example.net/\"onmouseover=\"alert(3)).\n"
    );
    // (The link goes to another site: to this one, example.org, it would
    // name a page the site does not have, and fail the links check.)
    let dir = site(&[("2024/x.md", text.as_bytes())]);
    let r = render(dir.path()).unwrap();
    let html_files: Vec<&String> = r
        .site
        .files
        .keys()
        .filter(|k| k.ends_with(".html"))
        .collect();
    assert!(html_files.len() >= 8);
    for rel in html_files {
        let html = page_text(&r, rel);
        let doc = scraper::Html::parse_document(&html);
        // The one inline script a page may hold is its JSON-LD: data, whose
        // every `<` is escaped, so the hostile text cannot end it.
        for script in select(&doc, "script") {
            if rel == "timeline-view/index.html" {
                continue; // TimelineJS, from the site's static files.
            }
            if let Some(src) = script.value().attr("src") {
                // The filter, or the timeline page's script, from the
                // site's static files: nothing inline.
                assert!(
                    src == "/filter.js" || (rel == "index.html" && src == "/timeline.js"),
                    "{rel}: {src}"
                );
                assert_eq!(script.text().collect::<String>(), "", "{rel}");
                continue;
            }
            assert_eq!(
                script.value().attr("type"),
                Some("application/ld+json"),
                "{rel} has a script element"
            );
            let data: String = script.text().collect();
            assert!(!data.contains('<'), "{rel}: `<` in JSON-LD");
            let value: serde_json::Value = serde_json::from_str(&data).unwrap();
            assert!(value.is_object());
        }
        let without_json_ld = html
            .replace("<script type=\"application/ld+json\">", "")
            .replace("<script src=\"/filter.js\" defer></script>", "")
            .replacen(
                "<script src=\"/timeline.js\" defer></script>",
                "",
                usize::from(rel == "index.html"),
            );
        if rel != "timeline-view/index.html" {
            assert!(
                !without_json_ld.contains("<script"),
                "{rel} has a script element"
            );
        }
        assert!(!html.contains("href=\"javascript:"), "{rel}");
        for a in select(&doc, "a") {
            assert!(
                !a.value().attrs().any(|(k, _)| k.starts_with("on")),
                "{rel}: event handler on a link"
            );
        }
    }
    let article = scraper::Html::parse_document(&page_text(&r, "2024/x/index.html"));
    assert_eq!(
        one_text(&article, "h1"),
        "<script>alert('x')</script> \"q\" javascript:alert(1)"
    );
    // Raw HTML tags in the body are left out (with a warning); the text
    // between inline tags stays, as text.
    assert!(select(&article, ".body script").is_empty());
    assert!(one_text(&article, ".body").starts_with("Body alert(2) and a link"));
    assert_eq!(positions(&r.warnings), ["content/2024/x.md:14:6 raw-html"]);
    // The feeds and the calendar carry the text as text.
    let atom = String::from_utf8(r.site.files["atom.xml"].clone()).unwrap();
    assert!(!atom.contains("<script"), "{atom}");
    let feed = feed_rs::parser::parse(atom.as_bytes()).unwrap();
    let title = &feed.entries[0].title.as_ref().unwrap().content;
    assert!(
        title.starts_with("<script>alert('x')</script> \"q\" javascript:alert(1)"),
        "{title}"
    );
    let json: serde_json::Value = serde_json::from_slice(&r.site.files["feed.json"]).unwrap();
    assert!(
        !json["items"][0]["content_html"]
            .as_str()
            .unwrap()
            .contains("<script")
    );
}

#[test]
fn javascript_addresses_are_refused() {
    // One policy for front matter and markdown alike.
    assert_eq!(
        only_error(b"---\ntitle: A\ndate: 2024\nsources:\n  - title: S\n    url: \"javascript:alert(1)\"\n---\n"),
        "content/2024/x.md:6:10 url-refused"
    );
    assert_eq!(
        only_error(b"---\ntitle: A\ndate: 2024\n---\nA [link](javascript:alert(1)).\n"),
        "content/2024/x.md:5:10 url-refused"
    );
    assert_eq!(
        only_error(b"---\ntitle: A\ndate: 2024\n---\n![img](  JaVaScRiPt:alert(1))\n"),
        "content/2024/x.md:5:10 url-refused"
    );
    assert_eq!(
        only_error(b"---\ntitle: A\ndate: 2024\nsources:\n  - title: S\n    url: \"data:text/html,x\"\n---\n"),
        "content/2024/x.md:6:10 url-refused"
    );
}

#[test]
fn raw_html_is_allowed_only_by_the_site_setting() {
    let body = b"---\ntitle: A\ndate: 2024\n---\nText with <mark>a highlight</mark>.\n";
    let r = builds(body);
    assert!(!page_text(&r, "2024/x/index.html").contains("<mark>"));
    assert_eq!(positions(&r.warnings), ["content/2024/x.md:5:11 raw-html"]);
    assert!(
        r.warnings[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("allow_raw_html: true")
    );

    let dir = site(&[("2024/x.md", body)]);
    std::fs::write(
        dir.path().join("content/_index.md"),
        INDEX.replace("as_of:", "allow_raw_html: true\nas_of:"),
    )
    .unwrap();
    let r = render(dir.path()).unwrap();
    assert!(page_text(&r, "2024/x/index.html").contains("<mark>a highlight</mark>"));
    assert!(r.warnings.is_empty());
}

#[test]
fn ids_that_try_to_escape_or_collide() {
    let article = |extra: &str| format!("---\ntitle: A\ndate: 2024\n{extra}---\n").into_bytes();
    assert_eq!(
        only_error(&article("slug: ../../etc\n")),
        "content/2024/x.md:4:7 slug-invalid"
    );
    assert_eq!(
        only_error(&article("slug: /etc/passwd\n")),
        "content/2024/x.md:4:7 slug-invalid"
    );
    assert_eq!(
        only_error(&article("related: [/etc/passwd]\n")),
        "content/2024/x.md:4:11 unknown-related"
    );
    for (path, code) in [
        ("a\\b.md", "id-invalid"),
        ("404.md", "id-reserved"),
        ("atom.xml.md", "id-reserved"),
        ("participants/joe.md", "id-reserved"),
        ("tags/x.md", "id-reserved"),
        ("index.md", "id-reserved"),
    ] {
        let dir = site(&[(path, &article(""))]);
        let d = render_err(dir.path());
        assert_eq!(
            positions(&d),
            [format!("content/{path}:1:1 {code}")],
            "{path}"
        );
    }
    // Two articles that map to one page.
    let dir = site(&[
        ("2024/a.md", &article("")),
        ("2024/b.md", &article("slug: a\n")),
    ]);
    let d = render_err(dir.path());
    assert_eq!(
        positions(&d),
        [
            "content/2024/a.md:1:1 duplicate-id",
            "content/2024/b.md:4:7 duplicate-id"
        ]
    );
    // An article and a static file that want one output path.
    let dir = site(&[("2024/a.md", &article(""))]);
    std::fs::create_dir_all(dir.path().join("static/2024/a")).unwrap();
    std::fs::write(dir.path().join("static/2024/a/index.html"), "static").unwrap();
    let d = render_err(dir.path());
    assert_eq!(positions(&d), ["static/2024/a/index.html output-collision"]);
    assert!(d[0].message.ends_with("is also made by content/2024/a.md"));
}

#[test]
fn links_loops_folders_and_editor_leftovers() {
    let good = b"---\ntitle: Good\ndate: 2024\n---\nText.\n";
    let dir = site(&[
        ("2024/good.md", good),
        ("2024/.#good.md", b"lock file, not markdown"),
        ("2024/good.md~", b"backup"),
        ("2024/.good.md.swp", b"\x00\x01swap"),
        ("2024/#good.md#", b"autosave"),
        (
            ".hidden/secret.md",
            b"---\ntitle: Hidden\ndate: 2024\n---\n",
        ),
        ("2024/folder.md/inner.txt", b"not an article"),
    ]);
    let content = dir.path().join("content");
    std::os::unix::fs::symlink(&content, content.join("2024/loop")).unwrap();
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        outside.path(),
        "---\ntitle: Outside secret\ndate: 2024\n---\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), content.join("2024/outside.md")).unwrap();

    // The loop is never entered: links are not followed.
    let r = render(dir.path()).unwrap();
    assert_eq!(r.articles, 1);
    assert_eq!(
        positions(&r.warnings),
        [
            "content/2024/loop symlink",
            "content/2024/outside.md symlink"
        ]
    );
    let built_in: Vec<&str> = chronicle::render::statics::DEFAULT_STATIC
        .iter()
        .map(|(name, _)| *name)
        .collect();
    for (path, bytes) in &r.site.files {
        if built_in.contains(&path.as_str()) {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("Outside secret") && !text.contains("Hidden"),
            "{path}"
        );
    }
}

#[test]
fn an_unreadable_file_is_an_error_that_names_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = site(&[("2024/secret.md", b"---\ntitle: S\ndate: 2024\n---\n")]);
    for p in [
        dir.path(),
        &dir.path().join("content"),
        &dir.path().join("content/2024"),
    ] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::set_permissions(
        dir.path().join("content/_index.md"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    std::fs::set_permissions(
        dir.path().join("content/2024/secret.md"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    // Root reads every file: run the check as an unprivileged user then.
    let run = as_unprivileged(&["check", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(
        error_positions(&stderr),
        [format!(
            "{}/content/2024/secret.md unreadable",
            dir.path().display()
        )]
    );
    assert!(stderr.contains("Permission denied"), "{stderr}");
}

/// The output grows with the content, not with its square: an article that
/// names thousands of people gives pages to the first hundred (a warning
/// says so), and every listing shows ten names of it and a count.
#[test]
fn thousands_of_names_add_little_output() {
    let names = |n: usize, prefix: &str| -> String {
        (0..n)
            .map(|i| format!("  - {prefix} {i}\n"))
            .collect::<String>()
    };
    let article = |people: &str, tags: &str| {
        format!("---\ntitle: Crowded\ndate: 2024-01-01\nparticipants:\n{people}tags:\n{tags}---\nText.\n")
            .into_bytes()
    };
    let other = b"---\ntitle: Quiet\ndate: 2023\nparticipants: [Person 1]\n---\nText.\n";
    let size = |bytes: &[u8]| -> (usize, Vec<Diagnostic>) {
        let dir = site(&[("2024/crowded.md", bytes), ("2023/quiet.md", other)]);
        let r = render(dir.path()).unwrap();
        let total = r.site.files.values().map(Vec::len).sum();
        (total, r.warnings)
    };
    let (small, _) = size(&article(&names(3, "Person"), &names(3, "tag")));
    let (large, warnings) = size(&article(&names(3000, "Person"), &names(3, "tag")));
    assert!(
        large - small < 5 << 20,
        "3,000 participants added {} bytes",
        large - small
    );
    assert_eq!(
        positions(&warnings),
        ["content/2024/crowded.md:105:5 too-many-names"]
    );

    // 20,000 of each: it builds, each list warned about once.
    let (huge, warnings) = size(&article(&names(20_000, "Person"), &names(20_000, "tag")));
    assert!(huge < 10 << 20, "{huge} bytes");
    let codes: Vec<&str> = warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["too-many-names", "too-many-names"]);
}
