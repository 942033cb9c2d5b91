//! The search index (Pagefind's, made by `build` from the article pages):
//! its files are in the output, in shards by year that the search page
//! merges, the same bytes for the same input, left out unless the settings
//! say `search: true`, kept while no article page changes, re-made only in
//! the shard an edit touches, and an incremental build makes the same
//! index as a cold one.

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
        "pagefind/pagefind-ui.js",
        "pagefind/pagefind-ui.css",
        "pagefind/2024/pagefind-entry.json",
        "pagefind/2024/pagefind.js",
        "pagefind/2018/pagefind-entry.json",
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
        before["pagefind/2023/pagefind-entry.json"], got["pagefind/2023/pagefind-entry.json"],
        "the shard was made anew"
    );
}

/// The article pages of a built site by year (`2023/camp-david-summit/`).
fn articles_by_year(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<i64, usize> {
    let mut years = BTreeMap::new();
    for path in files.keys() {
        let parts: Vec<&str> = path.split('/').collect();
        if let [year, _, "index.html"] = parts[..]
            && let Ok(year) = year.parse::<i64>()
        {
            *years.entry(year).or_default() += 1;
        }
    }
    years
}

#[test]
fn the_index_is_in_shards_by_year_that_the_search_page_merges() {
    let out = tempfile::tempdir().unwrap();
    build(&repo_root(), out.path());
    let files = published(out.path());
    let years = articles_by_year(&files);
    assert_eq!(
        years.keys().collect::<Vec<_>>(),
        [&2018, &2022, &2023, &2024]
    );
    // The search page names every shard, newest first.
    let search = page(out.path(), "search/index.html");
    let shards = attr_of(&search, "#search", "data-shards");
    let expected: Vec<String> = (years.keys().rev())
        .map(|y| format!("/pagefind/{y}/"))
        .collect();
    assert_eq!(shards, expected.join(" "));
    // Each shard indexes its year's articles, and nothing else.
    for (year, count) in &years {
        let entry = &files[&format!("pagefind/{year}/pagefind-entry.json")];
        let entry: serde_json::Value = serde_json::from_slice(entry).unwrap();
        assert_eq!(entry["languages"]["en"]["page_count"], *count, "{year}");
    }
    // Pagefind's UI once, at the top; its runtime in the newest shard
    // (the primary index) only; every other file in a shard's folder.
    let newest = years.keys().last().unwrap();
    for name in ["pagefind.js", "pagefind-worker.js", "wasm.en.pagefind"] {
        assert!(
            files.contains_key(&format!("pagefind/{newest}/{name}")),
            "{name}"
        );
    }
    for path in search_files(&files) {
        let rest = path.strip_prefix("pagefind/").unwrap();
        let Some((shard, name)) = rest.split_once('/') else {
            assert!(
                ["pagefind-ui.js", "pagefind-ui.css"].contains(&rest),
                "{path}"
            );
            continue;
        };
        let year: i64 = shard.parse().unwrap_or_else(|_| panic!("{path}"));
        assert!(years.contains_key(&year), "{path}");
        let runtime = name == "pagefind.js" || name.starts_with("wasm.");
        assert!(!runtime || year == *newest, "{path}");
        assert!(!name.starts_with("pagefind-ui"), "{path}");
    }
}

fn attr_of(html: &scraper::Html, css: &str, name: &str) -> String {
    let found = select(html, css);
    assert_eq!(found.len(), 1, "{css}");
    found[0].value().attr(name).unwrap_or_default().to_string()
}

/// Builds `root` cold and checks that `incremental` holds the same files,
/// byte for byte.
fn assert_as_cold(root: &Path, incremental: &Path) {
    let cold = tempfile::tempdir().unwrap();
    build(root, cold.path());
    let (got, expected) = (published(incremental), published(cold.path()));
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &expected {
        assert!(&got[path] == bytes, "{path} is stale");
    }
}

/// The search files a build wrote, and those it kept.
fn written_and_kept(report: &chronicle::Report) -> (Vec<String>, Vec<String>) {
    let site = &report.rendered.site;
    let search = |p: &&String| p.starts_with("pagefind/");
    let written = site.staged.keys().filter(search).cloned().collect();
    let kept = site.kept.iter().filter(search).cloned().collect();
    (written, kept)
}

#[test]
fn an_edit_re_indexes_only_its_shard() {
    let root = bundled();
    let out = tempfile::tempdir().unwrap();
    build(root.path(), out.path());
    let article = root
        .path()
        .join("content/2023/vilnius-japan-korea-talks.md");
    let text = std::fs::read_to_string(&article).unwrap();
    let edited = text.replacen("Vilnius came after", "Vilnius, quixotically, came after", 1);
    assert_ne!(text, edited);
    std::fs::write(&article, edited).unwrap();
    let report = build(root.path(), out.path());
    let (written, kept) = written_and_kept(&report);
    assert!(
        written.contains(&"pagefind/2023/pagefind-entry.json".to_string()),
        "{written:?}"
    );
    for path in &written {
        assert!(path.starts_with("pagefind/2023/"), "{path} was written");
    }
    // Every other shard, and the UI, stand as they were.
    for shard in ["pagefind/2024/", "pagefind/2022/", "pagefind/2018/"] {
        assert!(kept.iter().any(|p| p.starts_with(shard)), "{shard}");
    }
    assert!(kept.contains(&"pagefind/pagefind-ui.js".to_string()));
    assert_as_cold(root.path(), out.path());
}

#[test]
fn a_new_newest_year_takes_the_runtime_and_leaves_the_old_years_be() {
    let root = bundled();
    let out = tempfile::tempdir().unwrap();
    build(root.path(), out.path());
    std::fs::create_dir_all(root.path().join("content/2025")).unwrap();
    std::fs::write(
        root.path().join("content/2025/planned.md"),
        "---\ntitle: A planned entry\ndate: \"2025-03-01\"\nkind: meeting\n\
         participants: [Joe Biden]\n---\nA body with the word quixotically in it.\n",
    )
    .unwrap();
    let report = build(root.path(), out.path());
    let (written, _) = written_and_kept(&report);
    assert!(written.contains(&"pagefind/2025/pagefind.js".to_string()));
    for path in &written {
        assert!(
            path.starts_with("pagefind/2025/") || path.starts_with("pagefind/2024/"),
            "{path} was written"
        );
    }
    let files = published(out.path());
    assert!(!files.contains_key("pagefind/2024/pagefind.js"));
    assert_as_cold(root.path(), out.path());
}
