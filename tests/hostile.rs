//! A catalogue of bad input: each case with the exact diagnostic (or the
//! documented behaviour) expected. None may panic, hang or use unbounded
//! memory; each runs through the whole pipeline in memory.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use chronicle::diagnostics::Diagnostic;
use chronicle::{Failure, render_site};
use common::*;

const INDEX: &str = "---\ntitle: Hostile\nas_of: 2024-04-01\n---\nIntro.\n";

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

fn render(dir: &Path) -> Result<chronicle::site::Rendered, Vec<Diagnostic>> {
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

/// The single error a one-article site gives, as `path:line:col: message`.
fn only_error(bytes: &[u8]) -> String {
    let dir = site(&[("2024/x.md", bytes)]);
    let diagnostics = render_err(dir.path());
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{diagnostics:#?}");
    let d = errors[0];
    format!(
        "{}:{}:{}: {}",
        d.path.display(),
        d.line(),
        d.col(),
        d.message
    )
}

fn builds(bytes: &[u8]) -> chronicle::site::Rendered {
    let dir = site(&[("2024/x.md", bytes)]);
    match render(dir.path()) {
        Ok(r) => r,
        Err(d) => panic!("{d:#?}"),
    }
}

fn page_text(rendered: &chronicle::site::Rendered, rel: &str) -> String {
    String::from_utf8(rendered.site.files[rel].clone()).unwrap()
}

#[test]
fn empty_and_unclosed_files() {
    assert_eq!(
        only_error(b""),
        "content/2024/x.md:1:1: the file is empty: an article starts with front matter between two `---` lines"
    );
    assert_eq!(
        only_error(b"---"),
        "content/2024/x.md:1:1: the front matter is never closed: no line `---` after the first one"
    );
    assert_eq!(
        only_error(b"---\ntitle: A\ndate: 2024\nBody without a fence.\n"),
        "content/2024/x.md:1:1: the front matter is never closed: no line `---` after the first one"
    );
    assert_eq!(
        only_error(b"Just text.\n"),
        "content/2024/x.md:1:1: expected front matter: the first line of the file must be `---`"
    );
}

#[test]
fn tabs_in_yaml() {
    let dir = site(&[("2024/x.md", b"---\ntitle: A\n\tdate: 2024\n---\n")]);
    let d = render_err(dir.path());
    assert_eq!((d[0].line(), d[0].col()), (3, 1));
    assert!(d[0].message.contains("tab"), "{}", d[0].message);
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
    let started = Instant::now();
    let message = only_error(text.as_bytes());
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(message.contains("repetition limit exceeded"), "{message}");
}

#[test]
fn very_deep_nesting_is_refused_quickly() {
    let started = Instant::now();
    let flow = format!(
        "---\ntitle: X\ndate: 2024\na: {}\n---\n",
        "[".repeat(1_000_000)
    );
    assert_eq!(
        only_error(flow.as_bytes()),
        "content/2024/x.md:4:132: front matter is not valid YAML: lists or sets of keys are nested more than 128 deep"
    );
    let block: String = (0..200)
        .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
        .collect();
    let message = only_error(format!("---\ntitle: X\ndate: 2024\n{block}---\n").as_bytes());
    assert!(message.contains("recursion limit exceeded"), "{message}");
    let markdown = format!(
        "---\ntitle: X\ndate: 2024\n---\n{}deep\n\n{}x\n",
        "> ".repeat(50_000),
        "* ".repeat(50_000)
    );
    builds(markdown.as_bytes());
    assert!(started.elapsed() < Duration::from_secs(20));
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
        "content/2024/x.md:2:9: the file contains a NUL byte"
    );
    assert_eq!(
        only_error(b"---\ntitle: caf\xe9\ndate: 2024\n---\n"),
        "content/2024/x.md:2:11: the file is not valid UTF-8 (byte 14)"
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "---\ntitle: A\n---\n"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        )
        .collect();
    assert_eq!(
        only_error(&utf16),
        "content/2024/x.md:1:1: the file is UTF-16 text; chronicle reads UTF-8"
    );
}

#[test]
fn invisible_line_breaks_in_front_matter() {
    assert_eq!(
        only_error("---\ntitle: T\u{2028}date: 2024\n---\n".as_bytes()),
        "content/2024/x.md:2:9: the front matter holds an invisible line break (U+2028)"
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
        "content/2024/x.md:3:8: impossible date: February 2023 has 28 days"
    );
}

const SCRIPT: &str = "<script>alert('x')</script> \\\"q\\\" javascript:alert(1)";

#[test]
fn markup_and_scripts_in_every_field_are_text() {
    let text = format!(
        "---\ntitle: \"{SCRIPT}\"\ndate: 2024\nsummary: \"{SCRIPT}\"\nlocation: \"{SCRIPT}\"\nparticipants: [\"{SCRIPT}\"]\ntags: [\"{SCRIPT}\"]\nseries: \"{SCRIPT}\"\nsources:\n  - title: \"{SCRIPT}\"\n    publisher: \"{SCRIPT}\"\n    url: \"https://example.org/?q=<script>\"\n---\nBody <script>alert(2)</script> and [a link](https://example.org/\"onmouseover=\"alert(3)).\n"
    );
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
        assert!(!html.contains("<script"), "{rel} has a script element");
        assert!(!html.contains("href=\"javascript:"), "{rel}");
        let doc = scraper::Html::parse_document(&html);
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
    assert_eq!(r.warnings.len(), 1);
    assert!(r.warnings[0].message.contains("raw HTML is left out"));
}

#[test]
fn javascript_addresses_are_refused() {
    assert_eq!(
        only_error(b"---\ntitle: A\ndate: 2024\nsources:\n  - title: S\n    url: \"javascript:alert(1)\"\n---\n"),
        "content/2024/x.md:6:10: `url`: addresses must start with http:// or https://, found a `javascript:` address"
    );
    assert_eq!(
        only_error(b"---\ntitle: A\ndate: 2024\n---\nA [link](javascript:alert(1)).\n"),
        "content/2024/x.md:5:10: this link's address could run a script when clicked"
    );
    assert_eq!(
        only_error(b"---\ntitle: A\ndate: 2024\n---\n![img](  JaVaScRiPt:alert(1))\n"),
        "content/2024/x.md:5:10: this link's address could run a script when clicked"
    );
}

#[test]
fn raw_html_is_allowed_only_by_the_site_setting() {
    let body = b"---\ntitle: A\ndate: 2024\n---\nText with <mark>a highlight</mark>.\n";
    let r = builds(body);
    assert!(!page_text(&r, "2024/x/index.html").contains("<mark>"));
    assert_eq!(r.warnings.len(), 1);
    let w = &r.warnings[0];
    assert_eq!((w.line(), w.col()), (5, 11));
    assert!(w.hint.as_deref().unwrap().contains("allow_raw_html: true"));

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
        "content/2024/x.md:4:7: `slug` may hold only lowercase letters a–z, digits and hyphens, found `../../etc`"
    );
    assert_eq!(
        only_error(&article("slug: /etc/passwd\n")),
        "content/2024/x.md:4:7: `slug` may hold only lowercase letters a–z, digits and hyphens, found `/etc/passwd`"
    );
    assert_eq!(
        only_error(&article("related: [/etc/passwd]\n")),
        "content/2024/x.md:4:11: `related`: there is no article with id `/etc/passwd`"
    );
    for (path, id) in [
        ("a\\b.md", "`a\\\\b` cannot be part of a page address"),
        ("404.md", "the id `404` would take `404`"),
        ("atom.xml.md", "the id `atom.xml` would take `atom.xml`"),
        (
            "participants/joe.md",
            "the id `participants/joe` would take `participants`",
        ),
        ("tags/x.md", "the id `tags/x` would take `tags`"),
        ("index.md", "the id `index` would take `index`"),
    ] {
        let dir = site(&[(path, &article(""))]);
        let d = render_err(dir.path());
        assert!(d[0].message.contains(id), "{path}: {}", d[0].message);
        assert_eq!((d[0].line(), d[0].col()), (1, 1), "{path}");
    }
    // Two articles that map to one page.
    let dir = site(&[
        ("2024/a.md", &article("")),
        ("2024/b.md", &article("slug: a\n")),
    ]);
    let d = render_err(dir.path());
    assert_eq!(d.len(), 2);
    assert!(
        d.iter()
            .all(|d| d.message.starts_with("two articles have the id `2024/a`"))
    );
    // An article and a static file that want one output path.
    let dir = site(&[("2024/a.md", &article(""))]);
    std::fs::create_dir_all(dir.path().join("static/2024/a")).unwrap();
    std::fs::write(dir.path().join("static/2024/a/index.html"), "static").unwrap();
    let d = render_err(dir.path());
    assert_eq!(d[0].path, Path::new("static/2024/a/index.html"));
    assert_eq!(
        d[0].message,
        "`2024/a/index.html` in the output is also made by content/2024/a.md"
    );
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

    let started = Instant::now();
    let r = render(dir.path()).unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(r.articles, 1);
    let warned: Vec<String> = r
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.path.display(), w.message))
        .collect();
    assert_eq!(
        warned,
        [
            "content/2024/loop: symbolic link not followed",
            "content/2024/outside.md: symbolic link not followed",
        ]
    );
    for html in r.site.files.values() {
        let html = String::from_utf8_lossy(html);
        assert!(!html.contains("Outside secret") && !html.contains("Hidden"));
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
    assert!(
        stderr.contains("content/2024/secret.md: error: cannot read this file: Permission denied"),
        "{stderr}"
    );
}
