//! Every address the built sites link to resolves: each `href` and `src` on
//! every page (parsed HTML) names a file the build wrote, and each fragment
//! an id on that page. This is the proof that the address book and the
//! writer agree, for every fixture site and the bundled one.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;
use scraper::{Html, Selector};

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
