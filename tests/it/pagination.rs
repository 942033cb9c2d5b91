//! A site longer than its page size (`tests/fixtures/paginated`, three
//! entries to a page): every listing is split into pages that each hold at
//! most three entries, the timeline's pages together list every entry once
//! and in order, and every way back to the timeline lands on its entry.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;

const PAGE_SIZE: usize = 3;

/// The output file an address of the site leads to, and its fragment.
fn target(link: &str) -> (String, Option<String>) {
    let link = link.strip_prefix("https://example.org").unwrap_or(link);
    let path = link.strip_prefix("/paged/").expect("under the base path");
    let (path, fragment) = match path.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (path, None),
    };
    (format!("{path}index.html"), fragment)
}

fn entry_ids(html: &scraper::Html) -> Vec<String> {
    select(html, "ol.entries > li")
        .iter()
        .map(|li| li.value().attr("id").unwrap().to_string())
        .collect()
}

/// The pages of a listing, from its first page through every `rel=prev`
/// (the landing page is the newest, the last in chronological order).
fn pages_of(out: &Path, landing: &str) -> Vec<String> {
    let mut pages = vec![landing.to_string()];
    loop {
        let html = page(out, pages.last().unwrap());
        let prev = select(&html, "nav.pagination a[rel=prev]");
        let Some(prev) = prev.first() else { break };
        let (file, _) = target(prev.value().attr("href").unwrap());
        assert!(!pages.contains(&file), "a loop through {file}");
        pages.push(file);
    }
    pages.reverse();
    pages
}

#[test]
fn the_timeline_pages_list_every_entry_once_in_order() {
    let out = tempfile::tempdir().unwrap();
    let report = build(&fixture("paginated"), out.path());
    let pages = pages_of(out.path(), "index.html");
    assert_eq!(pages.len(), 5, "{pages:?}");
    let mut seen = Vec::new();
    for p in &pages {
        let ids = entry_ids(&page(out.path(), p));
        assert!(!ids.is_empty() && ids.len() <= PAGE_SIZE, "{p}: {ids:?}");
        seen.extend(ids);
    }
    // Chronological order: the single-page build of the same site, with a
    // page size that holds everything, is the reference.
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("paginated"), site.path());
    let index = site.path().join("content/_index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(
        &index,
        text.replace("timeline_page_size: 3", "timeline_page_size: 500"),
    )
    .unwrap();
    let whole = tempfile::tempdir().unwrap();
    build(site.path(), whole.path());
    let all = entry_ids(&page(whole.path(), "index.html"));
    assert_eq!(seen, all);
    assert_eq!(seen.len(), report.rendered.articles);
}

#[test]
fn every_way_back_to_the_timeline_lands_on_its_entry() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("paginated"), out.path());
    let mut checked = 0;
    for (rel, _) in tree(out.path()) {
        if !rel.ends_with("index.html") || rel.matches('/').count() != 2 || !rel.starts_with("20") {
            continue;
        }
        let article = page(out.path(), &rel);
        let back: Vec<_> = select(&article, ".article-nav .back a");
        if back.is_empty() {
            continue; // a year page
        }
        let (file, fragment) = target(back[0].value().attr("href").unwrap());
        let fragment = fragment.expect("an anchor");
        let listing = page(out.path(), &file);
        assert!(
            entry_ids(&listing).contains(&fragment),
            "{rel}: back link to {file}#{fragment}, which does not list it"
        );
        checked += 1;
    }
    assert_eq!(checked, 15);
}

#[test]
fn the_year_bar_leads_to_each_year_on_the_page_that_holds_it() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("paginated"), out.path());
    for p in pages_of(out.path(), "index.html") {
        let html = page(out.path(), &p);
        let years: Vec<(String, String)> = select(&html, "nav.years a")
            .iter()
            .map(|a| (text(a), a.value().attr("href").unwrap().to_string()))
            .collect();
        assert_eq!(
            years.iter().map(|(y, _)| y.as_str()).collect::<Vec<_>>(),
            ["2019", "2020", "2021", "2022", "2023", "2024"]
        );
        for (year, href) in years {
            let (file, fragment) = match href.strip_prefix('#') {
                Some(f) => (p.clone(), f.to_string()),
                None => {
                    let (file, f) = target(&href);
                    (file, f.unwrap())
                }
            };
            assert_eq!(fragment, format!("y{year}"));
            let ids: Vec<String> = select(&page(out.path(), &file), "section h2")
                .iter()
                .filter_map(|h| h.value().attr("id").map(str::to_string))
                .collect();
            assert!(ids.contains(&fragment), "{p}: {href} → {file} has {ids:?}");
        }
    }
}

#[test]
fn every_listing_holds_at_most_a_page_of_entries() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("paginated"), out.path());
    let mut listings: BTreeMap<String, usize> = BTreeMap::new();
    for (rel, _) in tree(out.path()) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = page(out.path(), &rel);
        let entries = select(&html, "ol.entries > li").len();
        let terms = select(&html, "ul.terms > li").len();
        assert!(
            entries <= PAGE_SIZE && terms <= PAGE_SIZE,
            "{rel}: {entries} entries, {terms} terms"
        );
        if entries > 0 {
            listings.insert(rel, entries);
        }
    }
    // The river board is named by fourteen entries: five pages of its own.
    let board = pages_of(out.path(), "participants/river-board/index.html");
    assert_eq!(board.len(), 5, "{board:?}");
    let total: usize = board.iter().map(|p| listings[p]).sum();
    assert_eq!(total, 14);
}
