//! The filter's index (`filter-index.json`) and the `data-` attributes the
//! filter script reads from each entry: the index holds every entry once,
//! in the timeline's order, agreeing with the entries' attributes; its
//! addresses resolve; two builds write the same bytes; a page of a listing
//! says how many entries each of its pages holds. The browser suite
//! (`tests/browser/suite/filter.test.js`) runs the script itself.

use std::path::Path;

use crate::common::*;
use serde_json::Value;

fn index(out: &Path) -> Value {
    let text = std::fs::read_to_string(out.join("filter-index.json")).unwrap();
    serde_json::from_str(&text).expect("filter-index.json is JSON")
}

fn array(value: &Value) -> &Vec<Value> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
}

fn attr(element: &scraper::ElementRef<'_>, name: &str) -> String {
    element.value().attr(name).unwrap_or_default().to_string()
}

/// What the index says of entry `i`, as the `data-` attributes write it:
/// (kind, status, [participants, places, tags, series] as slugs joined by
/// spaces).
fn indexed(index: &Value, i: usize) -> (String, String, Vec<(String, String)>) {
    let key = |table: &str, column: &str| {
        let n = index[column][i].as_u64().unwrap() as usize;
        index[table][n]["key"].as_str().unwrap().to_string()
    };
    let terms = array(&index["taxonomies"])
        .iter()
        .map(|t| {
            let slugs: Vec<&str> = array(&t["entries"][i])
                .iter()
                .map(|n| {
                    t["terms"][n.as_u64().unwrap() as usize][0]
                        .as_str()
                        .unwrap()
                })
                .collect();
            (t["key"].as_str().unwrap().to_string(), slugs.join(" "))
        })
        .collect();
    (key("kinds", "kind"), key("statuses", "status"), terms)
}

/// The same from an entry's `li`.
fn attributes(
    li: &scraper::ElementRef<'_>,
    index: &Value,
) -> (String, String, Vec<(String, String)>) {
    let terms = array(&index["taxonomies"])
        .iter()
        .map(|t| {
            let key = t["key"].as_str().unwrap();
            (key.to_string(), attr(li, &format!("data-{key}")))
        })
        .collect();
    (attr(li, "data-kind"), attr(li, "data-status"), terms)
}

#[cfg(feature = "search")]
#[test]
fn the_index_has_every_entry_once_in_the_timelines_order() {
    let out = bundled();
    let index = index(out);
    assert_eq!(index["version"], 2);
    assert_eq!(index["descending"], false);
    let timeline = page(out, "index.html");
    let entries = select(&timeline, "main li.entry");
    let articles = std::fs::read_dir(repo_root().join("content"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|d| d.path().is_dir())
        .flat_map(|d| std::fs::read_dir(d.path()).unwrap())
        .count();
    assert_eq!(entries.len(), articles, "the bundled timeline is one page");
    assert_eq!(array(&index["kind"]).len(), articles);
    assert_eq!(array(&index["status"]).len(), articles);
    let keys: Vec<&str> = array(&index["taxonomies"])
        .iter()
        .map(|t| t["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["participants", "places", "tags", "series"]);
    for t in array(&index["taxonomies"]) {
        assert_eq!(array(&t["entries"]).len(), articles, "{}", t["key"]);
        let slugs: Vec<&str> = array(&t["terms"])
            .iter()
            .map(|term| term[0].as_str().unwrap())
            .collect();
        let mut sorted = slugs.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(slugs, sorted, "{}: terms once each, by slug", t["key"]);
    }
    // Entry i of the index is the timeline's i-th entry: each says the same.
    for (i, li) in entries.iter().enumerate() {
        assert_eq!(
            indexed(&index, i),
            attributes(li, &index),
            "entry {i}: {}",
            attr(li, "id")
        );
    }
}

#[cfg(feature = "search")]
#[test]
fn the_entries_carry_their_terms_kind_and_status() {
    let timeline = page(bundled(), "index.html");
    let li = select(&timeline, "li[id='2023-camp-david-summit']");
    let li = li.first().expect("the Camp David entry");
    assert_eq!(attr(li, "data-kind"), "meeting");
    assert_eq!(attr(li, "data-status"), "held");
    let people = attr(li, "data-participants");
    for slug in ["joe-biden", "fumio-kishida", "yoon-suk-yeol"] {
        assert!(people.split(' ').any(|s| s == slug), "{slug} in {people:?}");
    }
    assert!(!attr(li, "data-places").is_empty());
    assert!(!attr(li, "data-series").is_empty());
    // A context event, and a planned one.
    let context = select(&timeline, "li.entry[data-kind='context']");
    assert!(!context.is_empty());
    assert!(!select(&timeline, "li.entry[data-status='planned']").is_empty());
}

/// A listing shows ten names; the attributes give every name with a page.
#[test]
fn the_attributes_name_every_term_not_only_those_shown() {
    let site = tempfile::tempdir().unwrap();
    let content = site.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(content.join("_index.md"), "---\ntitle: Many\n---\n").unwrap();
    let people: Vec<String> = (1..=12).map(|n| format!("Person {n:02}")).collect();
    std::fs::write(
        content.join("crowd.md"),
        format!(
            "---\ntitle: A crowd\ndate: 2023-01-02\nparticipants: [{}]\ntags: [a, b]\n---\nText.\n",
            people.join(", ")
        ),
    )
    .unwrap();
    let out = site.path().join("public");
    build(site.path(), &out);
    let timeline = page(&out, "index.html");
    let li = select(&timeline, "li.entry");
    let listed = select(&timeline, "li.entry .facts a[href*='/participants/']");
    assert_eq!(listed.len(), 10, "a listing shows ten names");
    let slugs: Vec<String> = (1..=12).map(|n| format!("person-{n:02}")).collect();
    assert_eq!(attr(&li[0], "data-participants"), slugs.join(" "));
    assert_eq!(attr(&li[0], "data-tags"), "a b");
    assert_eq!(
        li[0].value().attr("data-series"),
        None,
        "no empty attribute"
    );
    let index = index(&out);
    assert_eq!(
        array(&index["taxonomies"]).len(),
        2,
        "no table without terms"
    );
    assert_eq!(indexed(&index, 0), attributes(&li[0], &index));
}

#[cfg(feature = "search")]
#[test]
fn the_index_and_the_filter_addresses_resolve() {
    let out = bundled();
    let index = index(out);
    for t in array(&index["taxonomies"]) {
        let url = t["url"].as_str().unwrap();
        let dir = url.trim_start_matches('/');
        assert!(out.join(dir).join("index.html").exists(), "{url}");
        for term in array(&t["terms"]) {
            let slug = term[0].as_str().unwrap();
            assert!(
                out.join(dir).join(slug).join("index.html").exists(),
                "{url}{slug}/"
            );
        }
    }
    for rel in ["index.html", "participants/fumio-kishida/index.html"] {
        let html = page(out, rel);
        let filter = select(&html, "#filter");
        assert_eq!(filter.len(), 1, "{rel}");
        assert_eq!(
            attr(&filter[0], "data-index"),
            "/filter-index.json",
            "{rel}"
        );
        let script = select(&html, "head script[src][defer]");
        assert_eq!(attr(&script[0], "src"), "/filter.js");
        // The timeline page has its own script besides (timeline.js).
        let others: Vec<String> = script[1..].iter().map(|s| attr(s, "src")).collect();
        let expected: Vec<&str> = if rel == "index.html" {
            vec!["/timeline.js"]
        } else {
            vec![]
        };
        assert_eq!(others, expected, "{rel}");
        assert!(out.join("filter.js").exists());
        // Without JavaScript: links to every taxonomy's index.
        let links: Vec<String> = select(&html, "#filter .filter-links a")
            .iter()
            .map(|a| attr(a, "href"))
            .collect();
        assert_eq!(links, ["/participants/", "/places/", "/tags/", "/series/"]);
    }
    let term = page(out, "participants/fumio-kishida/index.html");
    let filter = &select(&term, "#filter")[0];
    assert_eq!(attr(filter, "data-taxonomy"), "participants");
    assert_eq!(attr(filter, "data-term"), "fumio-kishida");
    // No page script runs inline or from an attribute (a strict CSP holds).
    for rel in ["index.html", "participants/fumio-kishida/index.html"] {
        let html = page(out, rel);
        for script in select(&html, "script") {
            let src = script.value().attr("src");
            let kind = script.value().attr("type");
            assert!(
                src.is_some() || kind == Some("application/ld+json"),
                "{rel}"
            );
        }
    }
}

#[cfg(feature = "search")]
#[test]
fn two_builds_write_the_same_index() {
    let again = tempfile::tempdir().unwrap();
    build(&repo_root(), again.path());
    let read = |out: &Path| std::fs::read(out.join("filter-index.json")).unwrap();
    assert_eq!(read(bundled()), read(again.path()));
}

/// The entries on each page a listing's links lead to, in chronological
/// order, against the sizes the index gives for that listing.
fn assert_page_sizes(out: &Path, listing: &str, sizes: &Value, descending: bool) -> usize {
    let html = page(out, listing);
    let mut links: Vec<String> = select(&html, "nav.pagination .pages a")
        .iter()
        .map(|a| attr(a, "href"))
        .collect();
    if descending {
        links.reverse();
    }
    let sizes: Vec<usize> = array(sizes)
        .iter()
        .map(|n| n.as_u64().unwrap() as usize)
        .collect();
    assert_eq!(
        sizes.len(),
        links.len(),
        "{listing}: one size per page link"
    );
    for (href, size) in links.iter().zip(&sizes) {
        let rel = format!("{}index.html", href.trim_start_matches("/paged/"));
        let shown = select(&page(out, &rel), "main li.entry").len();
        assert_eq!(*size, shown, "{listing}: {href}");
    }
    sizes.iter().sum()
}

/// Under a base path, and in pages: the index says how many entries each
/// page of the timeline and of every term's listing holds, and those add
/// up to the listing. The page links carry no count (one would change
/// every page of a listing when any of them gains an entry).
#[test]
fn the_index_counts_each_pages_entries() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("paginated"), out.path());
    let index = index(out.path());
    let descending = index["descending"].as_bool().unwrap();
    let total = array(&index["kind"]).len();
    assert_eq!(total, 15);
    let timeline = page(out.path(), "index.html");
    assert_eq!(
        attr(&select(&timeline, "#filter")[0], "data-index"),
        "/paged/filter-index.json"
    );
    assert!(select(&timeline, "a[data-count]").is_empty());
    let sum = assert_page_sizes(out.path(), "index.html", &index["pages"], descending);
    assert_eq!(sum, total);
    let mut paged_terms = 0;
    for taxonomy in array(&index["taxonomies"]) {
        let Some(pages) = taxonomy.get("pages") else {
            continue;
        };
        let key = taxonomy["key"].as_str().unwrap();
        for (term, sizes) in array(&taxonomy["terms"]).iter().zip(array(pages)) {
            if array(sizes).is_empty() {
                continue;
            }
            let slug = term[0].as_str().unwrap();
            let listing = format!("{key}/{slug}/index.html");
            let sum = assert_page_sizes(out.path(), &listing, sizes, descending);
            let with_term = array(&taxonomy["entries"])
                .iter()
                .filter(|e| {
                    !array(e).is_empty() && {
                        let n = array(&taxonomy["terms"])
                            .iter()
                            .position(|t| t[0] == term[0])
                            .unwrap();
                        array(e).iter().any(|p| p.as_u64() == Some(n as u64))
                    }
                })
                .count();
            assert_eq!(sum, with_term, "{listing}");
            paged_terms += 1;
        }
    }
    assert!(
        paged_terms > 0,
        "the fixture has a term listed on several pages"
    );
}
