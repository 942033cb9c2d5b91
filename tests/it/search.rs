//! The search index (Pagefind's, made by `build` from the article pages):
//! its files are in the output, the same bytes for the same input, left
//! out unless the settings say `search: true`, kept while no article page changes, and an
//! incremental build makes the same index as a cold one.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;

/// The published files of an output folder (without chronicle's own).
fn published(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = tree(dir);
    files.retain(|path, _| !path.starts_with(".chronicle-"));
    files
}

fn search_files(files: &BTreeMap<String, Vec<u8>>) -> Vec<&String> {
    files
        .keys()
        .filter(|p| p.starts_with("pagefind/"))
        .collect()
}

/// The bundled site, copied where a test may change it.
fn bundled() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("content"), &root.path().join("content"));
    root
}

#[test]
fn the_index_and_the_search_page_are_in_the_output() {
    let out = tempfile::tempdir().unwrap();
    build(&repo_root(), out.path());
    let files = published(out.path());
    for name in [
        "pagefind/pagefind-entry.json",
        "pagefind/pagefind.js",
        "pagefind/pagefind-ui.js",
        "pagefind/pagefind-ui.css",
        "search/index.html",
    ] {
        assert!(files.contains_key(name), "{name} is missing");
    }
    let search = search_files(&files);
    for kind in [".pf_meta", ".pf_fragment", ".pf_index", ".pf_filter"] {
        assert!(
            search.iter().any(|p| p.ends_with(kind)),
            "no {kind} file in {search:?}"
        );
    }
    // One fragment per article page, and nothing else indexed.
    let fragments = search.iter().filter(|p| p.ends_with(".pf_fragment"));
    let articles = files
        .keys()
        .filter(|p| p.starts_with("20") && p.matches('/').count() == 2);
    assert_eq!(fragments.count(), articles.count());
    let home = page(out.path(), "index.html");
    let link = one_text(&home, ".site-nav a[href='/search/']");
    assert_eq!(link, "Search");
}

#[test]
fn two_builds_make_the_same_index() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    build(&repo_root(), a.path());
    build(&repo_root(), b.path());
    let (a, b) = (published(a.path()), published(b.path()));
    assert!(!search_files(&a).is_empty());
    assert_eq!(search_files(&a), search_files(&b));
    for path in search_files(&a) {
        assert!(a[path] == b[path], "{path} differs between two builds");
    }
}

#[test]
fn without_search_true_the_index_and_the_page_are_left_out() {
    for setting in ["search: false\n", ""] {
        left_out_with(setting);
    }
}

fn left_out_with(setting: &str) {
    let root = bundled();
    let settings = root.path().join("content/_index.md");
    let text = std::fs::read_to_string(&settings).unwrap();
    assert!(
        text.contains("\nsearch: true\n"),
        "the bundled site searches"
    );
    std::fs::write(&settings, text.replacen("search: true\n", setting, 1)).unwrap();
    let out = tempfile::tempdir().unwrap();
    build(root.path(), out.path());
    let files = published(out.path());
    assert!(search_files(&files).is_empty());
    assert!(!files.contains_key("search/index.html"));
    let article = String::from_utf8(files["2023/camp-david-summit/index.html"].clone()).unwrap();
    assert!(!article.contains("data-pagefind"));
    assert!(!article.contains("/search/"));
}

#[test]
fn an_unchanged_site_keeps_its_index() {
    let root = bundled();
    let out = tempfile::tempdir().unwrap();
    build(root.path(), out.path());
    // A new static file: no article page changes.
    std::fs::create_dir_all(root.path().join("static")).unwrap();
    std::fs::write(root.path().join("static/note.txt"), "a note").unwrap();
    let report = build(root.path(), out.path());
    let site = &report.rendered.site;
    assert!(site.staged.contains_key("note.txt"));
    for path in site.origins.keys().filter(|p| p.starts_with("pagefind/")) {
        assert!(site.kept.contains(path), "{path} was made again");
    }
}

#[test]
fn an_incremental_build_after_adding_an_article_is_the_cold_build() {
    let root = bundled();
    let incremental = tempfile::tempdir().unwrap();
    build(root.path(), incremental.path());
    let before = published(incremental.path());
    std::fs::write(
        root.path().join("content/2023/added.md"),
        "---\ntitle: An added entry\ndate: \"2023-09-01\"\nstatus: held\nkind: meeting\n\
         participants: [Joe Biden]\nsources:\n  - title: A source\n    publisher: A publisher\n---\n\
         A body with the word quixotically in it.\n",
    )
    .unwrap();
    build(root.path(), incremental.path());
    let cold = tempfile::tempdir().unwrap();
    build(root.path(), cold.path());
    let (got, expected) = (published(incremental.path()), published(cold.path()));
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &expected {
        assert!(&got[path] == bytes, "{path} is stale");
    }
    assert_ne!(
        before["pagefind/pagefind-entry.json"], got["pagefind/pagefind-entry.json"],
        "the index was made anew"
    );
}
