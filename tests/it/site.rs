//! Fixture sites, one folder per case under tests/fixtures/, built and read
//! back as parsed HTML.

use std::path::Path;

use crate::common::*;

fn entry_ids(html: &scraper::Html) -> Vec<String> {
    select(html, "ol.entries > li")
        .iter()
        .map(|li| li.value().attr("id").unwrap().to_string())
        .collect()
}

#[test]
fn order_mixes_precisions_and_breaks_ties() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("order"), out.path());
    let html = page(out.path(), "index.html");
    assert_eq!(
        entry_ids(&html),
        [
            "2023-eve",
            // Same first day: the single days (by id), then the shorter span.
            "2024-a-day",
            "2024-b-day",
            "2024-range",
            "2024-month",
            "2024-year",
            "2025-later",
        ]
    );
    // One section per year, headed `y<year>`, and a navigation to each.
    let years: Vec<String> = select(&html, "section h2")
        .iter()
        .map(|h| h.value().attr("id").unwrap().to_string())
        .collect();
    assert_eq!(years, ["y2023", "y2024", "y2025"]);
    let nav: Vec<&str> = select(&html, "nav.years a")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(nav, ["#y2023", "#y2024", "#y2025"]);
}

#[test]
fn descending_order_reverses_the_whole_list() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("order"), site.path());
    let index = site.path().join("content/_index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(&index, text.replace("as_of:", "order: descending\nas_of:")).unwrap();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path());
    let html = page(out.path(), "index.html");
    let ids = entry_ids(&html);
    assert_eq!(ids.first().unwrap(), "2025-later");
    assert_eq!(ids.last().unwrap(), "2023-eve");
    assert_eq!(
        ids[1..5],
        ["2024-year", "2024-month", "2024-range", "2024-b-day"]
    );
}

#[test]
fn every_date_form_displays_at_its_precision() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("dates"), out.path());
    let html = page(out.path(), "index.html");
    let expected = [
        ("year", "2024", "2024"),
        ("month", "2024-07", "July 2024"),
        ("day", "2023-08-18", "18 August 2023"),
        ("range-days", "2024-07-09", "9–11 July 2024"),
        ("approximate", "2024-07", "c. July 2024"),
        ("uncertain", "2024-07", "July 2024?"),
        ("both", "2024-07", "c. July 2024?"),
        (
            "across-years",
            "2023-12-30",
            "30 December 2023 – 2 January 2024",
        ),
        ("across-months", "2024-06-30", "30 June – 2 July 2024"),
        ("month-range", "2024-06", "June–August 2024"),
        ("year-range", "2020", "2020–2022"),
        ("approximate-year", "2018", "c. 2018"),
        ("unquoted-year", "2019", "2019"),
        ("decade", "2010", "2010s"),
        ("unspecified-day", "2023-08", "August 2023"),
        ("ongoing", "2024-07", "since July 2024"),
        ("until", "1950", "until 1950"),
        // Times, in the site's zone (Asia/Tokyo), the article's own, or
        // as written.
        (
            "time",
            "2023-08-18T10:30+09:00",
            "18 August 2023, 10:30 JST",
        ),
        (
            "time-range",
            "2023-08-18T13:00+09:00",
            "18 August 2023, 13:00–15:30 JST",
        ),
        (
            "time-own-zone",
            "2023-08-18T08:00-04:00",
            "18 August 2023, 08:00 EDT",
        ),
        (
            "time-offset",
            "2023-08-18T09:00-04:00",
            "18 August 2023, 09:00 UTC-04:00",
        ),
    ];
    for (id, datetime, human) in expected {
        let times = select(&html, &format!("li[id=\"{id}\"] time"));
        assert_eq!(times.len(), 1, "{id}");
        assert_eq!(times[0].value().attr("datetime"), Some(datetime), "{id}");
        assert_eq!(text(&times[0]), human, "{id}");
        // The article page shows the same date line.
        let article = page(out.path(), &format!("{id}/index.html"));
        assert_eq!(one_text(&article, ".page-header .entry-meta time"), human);
    }
}

/// Years HTML cannot write (before AD 1, beyond 9999) show in words, in a
/// plain span rather than a `<time>` with no valid value, and sort in
/// order; times on one day sort untimed first, then by instant.
#[test]
fn years_of_any_age_and_times_show_and_sort() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("dates"), out.path());
    let html = page(out.path(), "index.html");
    for (id, human) in [
        ("deep", "13.8 billion years ago"),
        ("bc-range", "100–44 BC"),
        ("bc-year", "44 BC"),
        ("bc", "15 March 44 BC"),
        ("far-future", "170,000,002"),
    ] {
        assert!(
            select(&html, &format!("li[id=\"{id}\"] time")).is_empty(),
            "{id}"
        );
        assert_eq!(
            one_text(&html, &format!("li[id=\"{id}\"] .entry-meta .date")),
            human
        );
    }
    let ids: Vec<String> = select(&html, "ol.entries > li")
        .iter()
        .map(|li| li.value().attr("id").unwrap().to_string())
        .collect();
    let position = |id: &str| ids.iter().position(|i| i == id).unwrap();
    let order = [
        "deep",
        "bc-range",
        "bc-year",
        "bc",
        "until",
        "decade",
        "unspecified-day",
        "day",
        "time",
        "time-range",
        "time-own-zone",
        "time-offset",
        "across-years",
        "far-future",
    ];
    for pair in order.windows(2) {
        assert!(position(pair[0]) < position(pair[1]), "{pair:?} in {ids:?}");
    }
    // Year sections and pages for years before AD 1.
    assert_eq!(one_text(&html, "h2#y44-bc"), "44 BC");
    assert_eq!(
        one_text(&html, "h2#y13800000000-bc"),
        "13.8 billion years ago"
    );
    let year = page(out.path(), "44-bc/index.html");
    assert_eq!(one_text(&year, "h1"), "44 BC");
    // TimelineJS needs its cosmological scale for 13.8 billion years.
    let tl: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("timeline.json")).unwrap()).unwrap();
    assert_eq!(tl["scale"], "cosmological");
    let bc = tl["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["unique_id"] == "bc")
        .unwrap();
    assert_eq!(bc["start_date"]["year"], "-44");
    assert_eq!(bc["display_date"], "15 March 44 BC");
    let time = tl["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["unique_id"] == "time")
        .unwrap();
    assert_eq!(time["start_date"]["hour"], "10");
    assert_eq!(time["start_date"]["minute"], "30");
}

#[test]
fn statuses_follow_the_as_of_date() {
    let out = tempfile::tempdir().unwrap();
    let mut o = options(&fixture("order"), out.path());
    // The fixture says 2025-06-01; --as-of wins.
    o.as_of = Some(day("2024-01-02"));
    build_with(&o);
    let html = page(out.path(), "index.html");
    let status = |id: &str| {
        one_text(
            &html,
            &format!("li[id=\"{id}\"] .entry-meta .badge[class*=status-]"),
        )
    };
    assert_eq!(status("2023-eve"), "Held");
    assert_eq!(status("2024-a-day"), "Held");
    // Some of its days are after the as-of date: still planned.
    assert_eq!(status("2024-range"), "Planned");
    assert_eq!(status("2025-later"), "Planned");
    // Upcoming: every day still to come.
    let upcoming: Vec<String> = select(&html, "li.entry-upcoming")
        .iter()
        .map(|li| li.value().attr("id").unwrap().to_string())
        .collect();
    assert_eq!(upcoming, ["2025-later"]);
    // A planned entry's status says it is to come: no second badge (in
    // Japanese both are 予定, issue 27).
    assert!(select(&html, "li[id=\"2025-later\"] .badge.upcoming").is_empty());
}

#[test]
fn earlier_and_later_links_at_both_ends() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("order"), out.path());
    let first = page(out.path(), "2023/eve/index.html");
    assert!(select(&first, "a[rel=prev]").is_empty());
    let next = select(&first, "a[rel=next]");
    assert_eq!(next[0].value().attr("href"), Some("/2024/a-day/"));
    assert!(text(&next[0]).contains("Day A"));
    assert!(text(&next[0]).contains("1 January 2024"));

    let middle = page(out.path(), "2024/range/index.html");
    assert_eq!(
        select(&middle, "a[rel=prev]")[0].value().attr("href"),
        Some("/2024/b-day/")
    );
    assert_eq!(
        select(&middle, "a[rel=next]")[0].value().attr("href"),
        Some("/2024/month/")
    );

    let last = page(out.path(), "2025/later/index.html");
    assert!(select(&last, "a[rel=next]").is_empty());
    assert_eq!(
        select(&last, "a[rel=prev]")[0].value().attr("href"),
        Some("/2024/year/")
    );
    // The way back lands on the entry.
    let back: Vec<_> = select(&last, "a")
        .into_iter()
        .filter(|a| text(a) == "Back to the timeline")
        .collect();
    assert_eq!(back[0].value().attr("href"), Some("/#2025-later"));
}

#[test]
fn internal_links_become_page_urls_under_the_base_path() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("links"), out.path());
    // `slug` replaces the last segment of the id.
    assert!(out.path().join("2023/opening/index.html").exists());
    assert!(!out.path().join("2023/first").exists());
    let first = page(out.path(), "2023/opening/index.html");
    let hrefs: Vec<&str> = select(&first, ".body a")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(hrefs, ["/news/2023/second/#why", "/news/2023/sub/third/"]);
    let second = page(out.path(), "2023/second/index.html");
    let hrefs: Vec<&str> = select(&second, ".body a")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(hrefs, ["/news/2023/opening/", "https://example.com/"]);
    // Related articles are links too.
    let related = select(&second, ".related a");
    assert_eq!(related[0].value().attr("href"), Some("/news/2023/opening/"));
    // The introduction's links resolve as well.
    let index = page(out.path(), "index.html");
    assert_eq!(
        select(&index, ".intro a")[0].value().attr("href"),
        Some("/news/2023/opening/")
    );
    assert_eq!(
        select(&index, "link[rel=canonical]")[0]
            .value()
            .attr("href"),
        Some("https://example.org/news/")
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let out = tempfile::tempdir().unwrap();
    let report = build(&fixture("drafts"), out.path());
    assert_eq!(report.rendered.articles, 1);
    assert!(!out.path().join("2023/unfinished").exists());
    assert_eq!(
        entry_ids(&page(out.path(), "index.html")),
        ["2023-published"]
    );

    let out = tempfile::tempdir().unwrap();
    let mut o = options(&fixture("drafts"), out.path());
    o.drafts = true;
    build_with(&o);
    assert!(out.path().join("2023/unfinished/index.html").exists());
    assert_eq!(
        entry_ids(&page(out.path(), "index.html")),
        ["2023-published", "2023-unfinished"]
    );
}

#[cfg(feature = "search")]
/// The published files of an output folder: everything but chronicle's
/// own bookkeeping.
fn published(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = tree(dir);
    files.retain(|path, _| !path.starts_with(".chronicle-"));
    files
}

#[cfg(feature = "search")]
#[test]
fn two_builds_are_byte_identical() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    build(&repo_root(), a.path());
    build(&repo_root(), b.path());
    // The site, that is: the manifest records when each file was written.
    let (ta, tb) = (published(a.path()), published(b.path()));
    assert!(ta.len() > 40);
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{path} differs between two builds");
    }
}

#[cfg(feature = "search")]
#[test]
fn the_bundled_site_builds_without_warnings() {
    let out = tempfile::tempdir().unwrap();
    let report = build(&repo_root(), out.path());
    let warnings: Vec<String> = report
        .rendered
        .warnings
        .iter()
        .map(|d| d.render(Path::new("")))
        .collect();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(report.rendered.articles, 13);
    let html = page(out.path(), "index.html");
    let ids = entry_ids(&html);
    assert_eq!(
        ids.first().unwrap(),
        "2018-supreme-court-forced-labour-rulings"
    );
    assert_eq!(ids.last().unwrap(), "2024-washington-nato-trilateral");
    let upcoming: Vec<String> = select(&html, "li.entry-upcoming")
        .iter()
        .map(|li| li.value().attr("id").unwrap().to_string())
        .collect();
    assert_eq!(
        upcoming,
        [
            "2024-washington-us-japan-summit",
            "2024-washington-nato-trilateral"
        ]
    );
    for id in &upcoming {
        assert_eq!(
            one_text(&html, &format!("li[id=\"{id}\"] .badge[class*=status-]")),
            "Planned"
        );
    }
}

#[test]
fn sites_without_templates_use_the_embedded_ones() {
    let out = tempfile::tempdir().unwrap();
    assert!(!fixture("order").join("templates").exists());
    assert!(!fixture("order").join("static").exists());
    build(&fixture("order"), out.path());
    let html = page(out.path(), "2024/range/index.html");
    assert_eq!(one_text(&html, "h1"), "First three days");
    // The default stylesheet comes with them.
    assert_eq!(
        std::fs::read(out.path().join("style.css")).unwrap(),
        std::fs::read(repo_root().join("static/style.css")).unwrap()
    );
}

#[test]
fn a_site_template_overrides_the_default_of_that_name() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("template-override"), out.path());
    let article = page(out.path(), "2023/a/index.html");
    assert_eq!(one_text(&article, "h1.custom-article"), "A");
    // Other templates are still the defaults.
    let index = page(out.path(), "index.html");
    assert_eq!(entry_ids(&index), ["2023-a"]);
}

#[test]
fn titles_and_places_with_markup_are_shown_as_text() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("escaping"), out.path());
    for rel in ["index.html", "2023/a/index.html"] {
        let html = page(out.path(), rel);
        assert!(select(&html, "main script").is_empty(), "{rel}");
        assert!(
            select(&html, "main b, main img, main i, main em").is_empty(),
            "{rel}"
        );
        let title = if rel == "index.html" {
            ".entry-title"
        } else {
            "h1"
        };
        assert_eq!(
            one_text(&html, title),
            "<script>alert('x')</script> \"Quoted\" title"
        );
        let place: Vec<_> = select(&html, "dd a")
            .into_iter()
            .map(|a| text(&a))
            .collect();
        assert!(
            place.contains(&"Seoul \"<b>HQ</b>\" & co".to_string()),
            "{place:?}"
        );
        assert!(
            place.contains(&"<img src=x onerror=alert(1)>".to_string()),
            "{place:?}"
        );
        let head_title = one_text(&html, "title");
        assert!(
            head_title.contains("Escaping <b>bold</b> & \"quotes\""),
            "{head_title}"
        );
    }
    let article = page(out.path(), "2023/a/index.html");
    let source = select(&article, ".sources cite a");
    assert_eq!(text(&source[0]), "<script>x</script>");
    assert_eq!(
        source[0].value().attr("href"),
        Some("https://example.org/?a=1&b=\"2\"")
    );
    let description = select(&article, "meta[name=description]");
    assert_eq!(
        description[0].value().attr("content"),
        Some("A summary with <em>tags</em> & ampersands")
    );
}

#[cfg(feature = "search")]
#[test]
fn participants_places_tags_and_series_have_pages() {
    let out = tempfile::tempdir().unwrap();
    build(&repo_root(), out.path());
    let biden = page(out.path(), "participants/joe-biden/index.html");
    assert_eq!(one_text(&biden, "h1"), "Joe Biden");
    let ids = entry_ids(&biden);
    assert!(ids.contains(&"2023-camp-david-summit".to_string()));
    assert!(!ids.contains(&"2023-vilnius-japan-korea-talks".to_string()));
    let index = page(out.path(), "participants/index.html");
    let names: Vec<String> = select(&index, "ul.terms a").iter().map(text).collect();
    assert!(names.contains(&"Yoon Suk Yeol".to_string()));
    assert!(out.path().join("places/madrid-spain/index.html").exists());
    assert!(
        out.path()
            .join("series/trilateral-summits/index.html")
            .exists()
    );
    assert!(out.path().join("404.html").exists());
}

#[test]
fn the_404_page_has_no_canonical_address() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("links"), out.path());
    let html = page(out.path(), "404.html");
    assert!(select(&html, "link[rel=canonical]").is_empty());
    // Its links start at the base path, so they work at any depth.
    assert_eq!(
        select(&html, "main a")[0].value().attr("href"),
        Some("/news/")
    );
    assert_eq!(
        select(&html, "link[rel=stylesheet]")[0]
            .value()
            .attr("href"),
        Some("/news/style.css")
    );
}

#[test]
fn static_files_are_copied_as_they_are_hidden_ones_too() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("drafts"), site.path());
    let files: [(&str, &[u8]); 3] = [
        (
            "static/.well-known/security.txt",
            b"Contact: mailto:desk@example.org\n",
        ),
        ("static/images/map.bin", &[0, 159, 146, 150, 255]),
        ("static/style.css", b"body { color: black; }\n"),
    ];
    for (path, bytes) in files {
        let path = site.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path());
    for (path, bytes) in files {
        let rel = path.strip_prefix("static/").unwrap();
        assert_eq!(std::fs::read(out.path().join(rel)).unwrap(), bytes, "{rel}");
    }
    // The default favicon still comes along; the site's style.css replaced the default.
    assert!(out.path().join("favicon.svg").exists());
}

#[cfg(feature = "search")]
/// The bundled site's editorial bar: every article sourced, summarised,
/// placed and peopled.
#[test]
fn every_bundled_article_has_sources_a_summary_a_place_and_people() {
    let loaded = chronicle::content::load(&repo_root());
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(loaded.articles.len(), 13);
    let out = tempfile::tempdir().unwrap();
    build(&repo_root(), out.path());
    for a in &loaded.articles {
        let path = a.path.display();
        let html = page(out.path(), &format!("{}/index.html", a.id));
        assert!(
            !select(&html, ".sources li").is_empty(),
            "{path}: no source"
        );
        assert!(
            a.summary.as_deref().is_some_and(|s| !s.is_empty()),
            "{path}: no summary"
        );
        assert!(a.location.is_some(), "{path}: no location");
        assert!(!a.participants.is_empty(), "{path}: no participants");
        assert!(a.status.is_some(), "{path}: status left to be derived");
    }
}

/// Warnings do not stop a build; each is at its place, with its code.
#[test]
fn statuses_spellings_and_stray_settings_are_warnings() {
    let out = tempfile::tempdir().unwrap();
    let report = build(&fixture("warnings"), out.path());
    let p = "content";
    assert_eq!(
        positions(&report.rendered.warnings),
        [
            format!("{p}/2023/more/_index.md misplaced-settings"),
            // `status: planned` for a day entirely before the as-of date.
            format!("{p}/2023/still-planned.md:4:9 status-mismatch"),
            // `status: held` for a day after it.
            format!("{p}/2024/already-held.md:4:9 status-mismatch"),
            // Two spaces: another spelling of the same person's page.
            format!("{p}/2024/already-held.md:5:16 term-spelling"),
            format!("{p}/2024/spelling.md:6:5 term-spelling"),
        ]
    );
    // The spellings share the first one's page, which lists all three.
    let kishida = page(out.path(), "participants/fumio-kishida/index.html");
    assert_eq!(one_text(&kishida, "h1"), "Fumio Kishida");
    assert_eq!(entry_ids(&kishida).len(), 3);
    // The stray _index.md is neither an article nor settings.
    assert_eq!(report.rendered.articles, 3);
    assert_eq!(
        one_text(&page(out.path(), "index.html"), "h1"),
        "Warnings fixture"
    );
}

#[test]
fn an_article_that_names_itself_in_related_is_an_error() {
    match chronicle::render_site(&options(&fixture("related-self"), Path::new("unused"))) {
        Err(chronicle::Failure::Diagnostics(d)) => {
            assert_eq!(positions(&d), ["content/2023/a.md:6:5 related-self"])
        }
        other => panic!("expected one error, got {other:?}"),
    }
}

#[test]
fn the_language_reaches_every_page_and_updated_dates_are_shown() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("language"), out.path());
    for (rel, _) in tree(out.path())
        .iter()
        .filter(|(r, _)| r.ends_with(".html"))
    {
        let html = page(out.path(), rel);
        assert_eq!(
            select(&html, "html")[0].value().attr("lang"),
            Some("de-CH"),
            "{rel}"
        );
    }
    let revised = page(out.path(), "2023/revised/index.html");
    let updated: Vec<_> = select(&revised, ".facts div")
        .into_iter()
        .filter(|d| one_text_in(d, "dt") == "Aktualisiert")
        .collect();
    // German words and dates: `de-CH` takes chronicle's German catalogue.
    assert_eq!(updated.len(), 1);
    assert_eq!(one_text_in(&updated[0], "dd"), "5. Januar 2024");
    let time = select(&revised, ".facts time");
    assert_eq!(time[0].value().attr("datetime"), Some("2024-01-05"));
    let unrevised = page(out.path(), "2023/unrevised/index.html");
    let terms: Vec<String> = select(&unrevised, ".facts dt").iter().map(text).collect();
    assert!(!terms.contains(&"Aktualisiert".to_string()), "{terms:?}");
}

fn one_text_in(element: &scraper::ElementRef<'_>, css: &str) -> String {
    let found: Vec<_> = element
        .select(&scraper::Selector::parse(css).unwrap())
        .collect();
    assert_eq!(found.len(), 1, "expected one `{css}`");
    text(&found[0])
}

#[test]
fn media_shows_as_a_figure_a_thumbnail_and_a_sharing_image() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("media"), out.path());
    let article = page(out.path(), "2023/summit/index.html");
    let img = select(&article, "figure.media img");
    assert_eq!(img.len(), 1);
    let attr = |name: &str| img[0].value().attr(name).map(str::to_string);
    assert_eq!(attr("src").as_deref(), Some("/images/summit.png"));
    assert_eq!(attr("alt").as_deref(), Some("Three flags on a table"));
    // Read from the file, so the page reserves its space.
    assert_eq!(attr("width").as_deref(), Some("600"));
    assert_eq!(attr("height").as_deref(), Some("400"));
    assert_eq!(
        one_text(&article, "figure.media figcaption"),
        "The table before the talks, 18 August. Example Photo Agency"
    );
    assert_eq!(
        one_text(&article, "figure.media .credit"),
        "Example Photo Agency"
    );
    let og = select(&article, "meta[property='og:image']");
    assert_eq!(
        og[0].value().attr("content"),
        Some("https://example.org/images/summit.png")
    );
    let og_alt = select(&article, "meta[property='og:image:alt']");
    assert_eq!(
        og_alt[0].value().attr("content"),
        Some("Three flags on a table")
    );
    let card = select(&article, "meta[name='twitter:card']");
    assert_eq!(card[0].value().attr("content"), Some("summary_large_image"));

    let timeline = page(out.path(), "index.html");
    let thumb = select(&timeline, "li[id='2023-summit'] img.entry-thumb");
    assert_eq!(thumb.len(), 1);
    assert_eq!(thumb[0].value().attr("loading"), Some("lazy"));
    assert_eq!(thumb[0].value().attr("width"), Some("600"));
    assert_eq!(thumb[0].value().attr("height"), Some("400"));

    // An image on the web: its address as written, no size to read.
    let remote = page(out.path(), "2024/remote/index.html");
    let img = select(&remote, "figure.media img");
    assert_eq!(
        img[0].value().attr("src"),
        Some("https://images.example.org/photo.jpg")
    );
    assert_eq!(img[0].value().attr("width"), None);
    assert!(select(&remote, "figure.media figcaption").is_empty());
    let og = select(&remote, "meta[property='og:image']");
    assert_eq!(
        og[0].value().attr("content"),
        Some("https://images.example.org/photo.jpg")
    );
    assert!(out.path().join("images/summit.png").is_file());
    // The exports carry it: TimelineJS's media slot, JSON Feed's image.
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("timeline.json")).unwrap()).unwrap();
    let media = &data["events"][0]["media"];
    assert_eq!(media["url"], "/images/summit.png");
    assert_eq!(media["credit"], "Example Photo Agency");
    let feed: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("feed.json")).unwrap()).unwrap();
    let summit = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "https://example.org/2023/summit/")
        .unwrap();
    assert_eq!(summit["image"], "https://example.org/images/summit.png");
}

#[test]
fn media_that_is_missing_or_wrong_is_an_error_at_its_place() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("media"), site.path());
    let articles = site.path().join("content/2024");
    std::fs::write(
        articles.join("missing.md"),
        "---\ntitle: Missing\ndate: 2024-01-02\nmedia:\n  src: images/nope.png\n  alt: Nothing\n---\n",
    )
    .unwrap();
    std::fs::write(site.path().join("static/images/notes.png"), "not an image").unwrap();
    std::fs::write(
        articles.join("not-an-image.md"),
        "---\ntitle: Not an image\ndate: 2024-01-03\nmedia:\n  src: images/notes.png\n  alt: Notes\n---\n",
    )
    .unwrap();
    std::fs::write(
        articles.join("escapes.md"),
        "---\ntitle: Escapes\ndate: 2024-01-04\nmedia:\n  src: ../secret.png\n  alt: Secret\n---\n",
    )
    .unwrap();
    std::fs::write(
        articles.join("no-alt.md"),
        "---\ntitle: No alt\ndate: 2024-01-05\nmedia:\n  src: images/summit.png\n---\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let failure = chronicle::build(&options(site.path(), out.path()), &|| {}).unwrap_err();
    let chronicle::Failure::Diagnostics(d) = failure else {
        panic!("diagnostics expected");
    };
    assert_eq!(
        positions(&d),
        [
            "content/2024/escapes.md:5:8 url-refused",
            "content/2024/missing.md:5:8 media-missing",
            "content/2024/no-alt.md:5:3 missing-field",
            "content/2024/not-an-image.md:5:8 media-missing",
        ]
    );
    assert!(
        !out.path().join("index.html").exists(),
        "a failed build writes nothing"
    );
}

#[cfg(feature = "search")]
/// "Referenced by" lists the articles that link to a page or name it in
/// `related`, in timeline order; an article in a series shows its number
/// and the series' own earlier and later events; the series page numbers
/// its events across year sections.
#[test]
fn articles_say_what_refers_to_them_and_where_they_stand_in_their_series() {
    let out = tempfile::tempdir().unwrap();
    build(&repo_root(), out.path());
    let loaded = chronicle::content::load(&repo_root());
    let articles = &loaded.articles;
    let camp_david = articles
        .iter()
        .find(|a| a.id == "2023/camp-david-summit")
        .unwrap();
    let mut expected: Vec<&chronicle::model::Article> = articles
        .iter()
        .filter(|a| a.id != camp_david.id)
        .filter(|a| {
            a.related.iter().any(|r| r.value == camp_david.id)
                || a.body_links
                    .iter()
                    .any(|p| p == "2023/camp-david-summit.md")
        })
        .map(|a| a.as_ref())
        .collect();
    expected.sort_by_key(|a| (a.date.sort_key(), a.id.clone()));
    let titles: Vec<String> = expected.iter().map(|a| a.title.clone()).collect();
    assert!(!titles.is_empty());
    let html = page(out.path(), "2023/camp-david-summit/index.html");
    let listed: Vec<String> = select(&html, ".referenced-by li a")
        .iter()
        .map(|a| text(a))
        .collect();
    assert_eq!(listed, titles);

    // The series, in order, each summit pointing at its series neighbours.
    let series = page(out.path(), "series/trilateral-summits/index.html");
    let links: Vec<String> = select(&series, "ol.entries.numbered > li .entry-title a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert!(links.len() >= 3, "{links:?}");
    let starts: Vec<usize> = select(&series, "ol.entries.numbered")
        .iter()
        .map(|ol| ol.value().attr("start").unwrap().parse().unwrap())
        .collect();
    assert_eq!(starts[0], 1);
    for (n, href) in links.iter().enumerate() {
        let rel = href.trim_start_matches('/');
        let article = page(out.path(), &format!("{rel}index.html"));
        assert_eq!(
            one_text(&article, "#series-nav"),
            format!(
                "{} of {} in the series Trilateral summits",
                n + 1,
                links.len()
            )
        );
        let earlier = select(&article, ".series-nav .earlier a");
        let later = select(&article, ".series-nav .later a");
        assert_eq!(
            earlier.first().map(|a| a.value().attr("href").unwrap()),
            n.checked_sub(1).map(|p| links[p].as_str())
        );
        assert_eq!(
            later.first().map(|a| a.value().attr("href").unwrap()),
            links.get(n + 1).map(String::as_str)
        );
        // The page's rel pair stays the timeline's.
        assert!(select(&article, ".series-nav a[rel]").is_empty());
    }
}

#[cfg(feature = "search")]
/// A registered person's page shows the record: the name in its own
/// script marked with its language, the office held at each event, and
/// every event they attended, in order.
#[test]
fn a_registered_persons_page_shows_the_record_and_every_event() {
    let out = tempfile::tempdir().unwrap();
    build(&repo_root(), out.path());
    let html = page(out.path(), "participants/fumio-kishida/index.html");
    let native = select(&html, ".page-header .native");
    assert_eq!(native.len(), 1);
    assert_eq!(native[0].value().attr("lang"), Some("ja"));
    assert_eq!(text(&native[0]), "岸田文雄");
    let loaded = chronicle::content::load(&repo_root());
    let mut attended: Vec<&chronicle::model::Article> = loaded
        .articles
        .iter()
        .filter(|a| a.participants.iter().any(|p| p.value == "Fumio Kishida"))
        .map(|a| a.as_ref())
        .collect();
    attended.sort_by_key(|a| (a.date.sort_key(), a.id.clone()));
    let titles: Vec<String> = attended.iter().map(|a| a.title.clone()).collect();
    let listed: Vec<String> = select(&html, "ol.entries > li .entry-title a")
        .iter()
        .map(|a| text(a))
        .collect();
    assert_eq!(listed, titles);
    // One row per event; the office, unchanged through them all, once,
    // spanning them (issue 27: it was repeated on every row).
    assert_eq!(select(&html, ".offices-held tbody tr").len(), titles.len());
    let held: Vec<(String, Option<String>)> = select(&html, ".offices-held tbody td:nth-child(3)")
        .iter()
        .map(|td| (text(td), td.value().attr("rowspan").map(str::to_string)))
        .collect();
    assert_eq!(
        held,
        [(
            "Prime Minister of Japan".to_string(),
            Some(titles.len().to_string())
        )]
    );
}

/// A registry slug wins over the one made from the name: 菅義偉 gets the
/// romanisation the editor chose, not a Chinese reading.
#[test]
fn a_registry_slug_names_the_page() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("registry"), site.path());
    let summit = site.path().join("content/2023/summit.md");
    let text = std::fs::read_to_string(&summit).unwrap();
    std::fs::write(&summit, text.replace("#outcome)", "#outcomes)")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let report = build(site.path(), out.path());
    assert!(
        report
            .rendered
            .warnings
            .iter()
            .all(|w| w.code != chronicle::diagnostics::Code::BrokenLink)
    );
    let page = page(out.path(), "participants/yoshihide-suga/index.html");
    assert_eq!(one_text(&page, "h1"), "菅義偉");
    let talks = self::page(out.path(), "2023/talks/index.html");
    let hrefs: Vec<&str> = select(&talks, ".facts a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.contains(&"/participants/yoshihide-suga/"),
        "{hrefs:?}"
    );
}

#[cfg(feature = "search")]
/// The bundled site cites sentence by sentence (`require_citations: true`,
/// so an uncited source or an uncited dated paragraph would be a warning
/// and fail the build-without-warnings test): every citation on every
/// page resolves to a source in that page's list, which links back to it;
/// every source in the list is cited; every site source is cited by some
/// page; and no citation is left as text.
#[test]
fn every_source_is_cited_and_every_citation_resolves() {
    let settings = std::fs::read_to_string(repo_root().join("content/_index.md")).unwrap();
    assert!(settings.contains("\nrequire_citations: true\n"));
    let out = tempfile::tempdir().unwrap();
    let report = build(&repo_root(), out.path());
    assert!(
        report.rendered.warnings.is_empty(),
        "{:?}",
        report.rendered.warnings
    );
    let loaded = chronicle::content::load(&repo_root());
    let site_sources = loaded.settings.unwrap().sources;
    assert_eq!(site_sources.len(), 16);
    let mut cited_titles = std::collections::BTreeSet::new();
    for a in &loaded.articles {
        let html = page(out.path(), &format!("{}/index.html", a.id));
        let citations = select(&html, "sup.citation a");
        assert!(
            citations.len() >= 3,
            "{}: {} citations",
            a.id,
            citations.len()
        );
        for c in &citations {
            let href = c.value().attr("href").unwrap();
            let (page_url, fragment) = href.split_once('#').unwrap();
            assert_eq!(page_url, format!("/{}/", a.id));
            let source = select(&html, &format!(".sources li#{fragment}"));
            assert_eq!(source.len(), 1, "{}: {href} has no source", a.id);
            let back = format!("#{}", c.value().attr("id").unwrap());
            let backlinks: Vec<_> = select(&html, &format!("#{fragment} a[href='{back}']"));
            assert_eq!(backlinks.len(), 1, "{}: no way back to {back}", a.id);
            cited_titles.insert(text(&select(&html, &format!("#{fragment} cite"))[0]));
        }
        for li in select(&html, ".sources li") {
            assert!(
                !select(
                    &html,
                    &format!("#{} .citation-backrefs a", li.value().attr("id").unwrap())
                )
                .is_empty(),
                "{}: a listed source is never cited",
                a.id
            );
        }
        let body = one_text(&html, ".body");
        assert!(!body.contains("[@"), "{}: a citation left as text", a.id);
    }
    for s in &site_sources {
        assert!(cited_titles.contains(&s.title), "{:?} is never cited", s.id);
    }
}
