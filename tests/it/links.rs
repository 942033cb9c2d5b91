//! Every address the built sites link to resolves: each `href` and `src` on
//! every page (parsed HTML) names a file the build wrote, and each fragment
//! an id on that page. This is the proof that the address book and the
//! writer agree, for every fixture site and the bundled one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::*;
use scraper::{Html, Selector};

#[cfg(feature = "search")]
/// The sites that build, and the base URL each is built with.
fn sites() -> Vec<(std::path::PathBuf, Option<&'static str>)> {
    vec![
        (repo_root(), None),
        (repo_root().join("tests/browser/site"), None),
        (fixture("dates"), None),
        (fixture("drafts"), None),
        (fixture("escaping"), None),
        (fixture("links"), None),
        (fixture("order"), None),
        (fixture("order"), Some("https://example.org/deep/path/")),
        (fixture("template-override"), None),
        (fixture("snapshot"), None),
        (fixture("warnings"), None),
        (fixture("language"), None),
        (fixture("language-ja"), None),
        (fixture("language-ko"), None),
        (fixture("languages"), None),
        (fixture("paginated"), None),
        (fixture("media"), None),
        (fixture("media"), Some("https://example.org/deep/path/")),
    ]
}

/// Output path → the ids on that page (empty for files that are not HTML).
fn pages(out: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let any_id = Selector::parse("[id]").unwrap();
    tree(out)
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with(".chronicle"))
        .map(|(rel, bytes)| {
            let ids = if rel.ends_with(".html") {
                let html = Html::parse_document(&String::from_utf8(bytes).unwrap());
                html.select(&any_id)
                    .filter_map(|e| e.value().attr("id").map(str::to_string))
                    .collect()
            } else {
                BTreeSet::new()
            };
            (rel, ids)
        })
        .collect()
}

/// Where a link from `page` (an output path) lands: the output path and the
/// fragment, or `None` for an address outside the site.
fn target(page: &str, link: &str, site: &url::Url) -> Option<(String, Option<String>)> {
    let from = site.join(page).unwrap();
    let to = from.join(link).ok()?;
    if to.origin() != site.origin() || !to.path().starts_with(site.path()) {
        return None;
    }
    let mut path = to.path()[site.path().len()..].to_string();
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    let path = percent_decode(&path);
    Some((path, to.fragment().map(percent_decode)))
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn broken_links(out: &Path, base: &url::Url) -> (usize, Vec<String>) {
    let pages = pages(out);
    let links = Selector::parse("a[href], link[href], img[src], script[src]").unwrap();
    let mut checked = 0;
    let mut broken = Vec::new();
    for rel in pages.keys().filter(|r| r.ends_with(".html")) {
        let text = std::fs::read_to_string(out.join(rel)).unwrap();
        let html = Html::parse_document(&text);
        for element in html.select(&links) {
            let attr = element.value().attr("href").or(element.value().attr("src"));
            let link = attr.unwrap();
            let Some((path, fragment)) = target(rel, link, base) else {
                continue;
            };
            checked += 1;
            match pages.get(&path) {
                None => broken.push(format!("{rel}: {link} → no file {path}")),
                Some(ids) => {
                    if let Some(f) = fragment.filter(|f| !f.is_empty())
                        && !ids.contains(&f)
                    {
                        broken.push(format!("{rel}: {link} → no id `{f}` in {path}"));
                    }
                }
            }
        }
    }
    (checked, broken)
}

#[cfg(feature = "search")]
#[test]
fn every_link_in_every_built_site_resolves() {
    for (root, base_url) in sites() {
        let out = tempfile::tempdir().unwrap();
        let mut o = options(&root, out.path());
        o.base_url = base_url.map(str::to_string);
        let report = build_with(&o);
        // The site's own base URL, or a stand-in origin at the root.
        let base = base_url
            .map(str::to_string)
            .or(report_base(&root))
            .unwrap_or_else(|| "https://site.invalid/".to_string());
        let base = url::Url::parse(&format!("{}/", base.trim_end_matches('/'))).unwrap();
        let (checked, broken) = broken_links(out.path(), &base);
        assert!(
            checked > 20,
            "{}: only {checked} links checked",
            root.display()
        );
        assert!(
            broken.is_empty(),
            "{} ({} articles):\n{}",
            root.display(),
            report.rendered.articles,
            broken.join("\n")
        );
    }
}

#[cfg(feature = "search")]
/// The `base_url` a site's settings give, if any.
fn report_base(root: &Path) -> Option<String> {
    let loaded = chronicle::content::load(root);
    loaded.settings.and_then(|s| s.base_url)
}

#[test]
fn the_check_finds_a_broken_link_and_a_missing_id() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("order"), out.path());
    let base = url::Url::parse("https://site.invalid/").unwrap();
    let page = out.path().join("2024/month/index.html");
    let text = std::fs::read_to_string(&page).unwrap();
    let text = text.replacen(
        "</main>",
        "<a href=\"/nowhere/\">x</a><a href=\"/2024/year/#no-such-id\">y</a></main>",
        1,
    );
    std::fs::write(&page, text).unwrap();
    let (_, broken) = broken_links(out.path(), &base);
    assert_eq!(
        broken,
        [
            "2024/month/index.html: /nowhere/ → no file nowhere/index.html",
            "2024/month/index.html: /2024/year/#no-such-id → no id `no-such-id` in 2024/year/index.html",
        ]
    );
}

/// The messages of a build that must fail.
fn failures(root: &Path, out: &Path) -> Vec<String> {
    match chronicle::build(&options(root, out), &|| {}) {
        Err(chronicle::Failure::Diagnostics(d)) => d.iter().map(|d| d.message.clone()).collect(),
        Ok(_) => panic!("the build succeeded"),
        Err(chronicle::Failure::Output(e, _)) => panic!("output failed: {e}"),
    }
}

/// A page that stands from the last build is not rendered again, but its
/// links are still checked (from what the memo kept of it): when the id
/// it links to goes from another page, the incremental build fails as a
/// cold build does.
#[test]
fn an_incremental_build_checks_the_links_of_pages_it_keeps() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("generated-links"), site.path());
    let first = site.path().join("content/2023/first.md");
    let text = std::fs::read_to_string(&first).unwrap();
    let good: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("nowhere") && !l.contains("map.png") && !l.contains("#outcome"))
        .collect();
    std::fs::write(&first, good.join("\n")).unwrap();
    let second = site.path().join("content/2023/second.md");
    let second_text = std::fs::read_to_string(&second).unwrap();
    std::fs::write(&second, second_text.replace("#missing", "#background")).unwrap();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path());

    // A change to the second article's words leaves the first page
    // standing (so its links are checked from the memo).
    let renamed = second_text.replace("#missing", "#background");
    std::fs::write(&second, renamed.replace("Back to", "Return to")).unwrap();
    let report = build(site.path(), out.path());
    assert!(report.rendered.site.kept.contains("2023/first/index.html"));
    assert!(!report.rendered.site.kept.contains("2023/second/index.html"));

    // The heading the first article links to is renamed.
    std::fs::write(&second, renamed.replace("## Talks", "## Negotiations")).unwrap();
    let incremental = failures(site.path(), out.path());
    let cold = failures(site.path(), tempfile::tempdir().unwrap().path());
    assert_eq!(incremental, cold);
    assert_eq!(
        cold,
        [
            "the generated page `2023/first/index.html` links to `/news/2023/second/#talks`: \
          `2023/second/index.html` has no id `talks`"
        ]
    );
    // The failed build left the first page standing: it is the one that
    // must have been checked from the memo.
    let kept = std::fs::read_to_string(out.path().join("2023/first/index.html")).unwrap();
    assert!(kept.contains("#talks"));
}
