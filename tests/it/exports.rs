//! The exports read back by the programs that consume them: the feeds by a
//! feed library (feed-rs), the calendars by an iCalendar parser (the
//! `icalendar` crate), the sitemap by an XML parser (roxmltree), JSON-LD
//! and TimelineJS data by serde_json. The browser suite loads
//! `timeline.json` into TimelineJS itself.

#[cfg(feature = "search")]
use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;
use chrono::NaiveDate;
use icalendar::{Calendar, CalendarComponent, Component, EventLike};

#[cfg(feature = "search")]
const AS_OF: &str = "2024-04-01";
#[cfg(feature = "search")]
const JULY_SUMMIT: &str = "2024/washington-nato-trilateral";

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[cfg(feature = "search")]
/// Every published article of the bundled site by id, as parsed.
fn articles() -> BTreeMap<String, chronicle::model::Article> {
    let files = chronicle::content::read(&repo_root());
    let loaded = chronicle::content::parse(files, &|_, _| None);
    loaded
        .articles
        .iter()
        .filter(|a| !a.draft)
        .map(|a| (a.id.clone(), (**a).clone()))
        .collect()
}

#[cfg(feature = "search")]
fn as_of() -> NaiveDate {
    day(AS_OF)
}

#[cfg(feature = "search")]
fn permalink(id: &str) -> String {
    format!("https://chronicle.example.org/{id}/")
}

#[cfg(feature = "search")]
#[test]
fn atom_feed_reads_back_with_every_article_dated_by_publication() {
    let text = read(bundled(), "atom.xml");
    let feed = feed_rs::parser::parse(text.as_bytes()).expect("a valid Atom feed");
    let articles = articles();
    assert_eq!(feed.entries.len(), articles.len());
    let mut last = None;
    for entry in &feed.entries {
        let link = &entry.links[0].href;
        let id = link
            .strip_prefix("https://chronicle.example.org/")
            .and_then(|l| l.strip_suffix('/'))
            .unwrap_or_else(|| panic!("a permalink: {link}"));
        let article = &articles[id];
        assert_eq!(entry.id, permalink(id));
        let title = entry.title.as_ref().unwrap().content.clone();
        assert!(title.starts_with(&article.title), "{title}");
        let updated = entry.updated.expect("updated").date_naive();
        let published = entry.published.expect("published").date_naive();
        assert!(
            updated <= as_of() && published <= as_of(),
            "{id}: after the as-of date"
        );
        assert!(published <= updated);
        // Most recent first.
        if let Some(previous) = last {
            assert!(updated <= previous, "{id} out of order");
        }
        last = Some(updated);
        let terms: Vec<&str> = entry.categories.iter().map(|c| c.term.as_str()).collect();
        for p in &article.participants {
            assert!(
                terms.contains(&p.value.as_str()),
                "{id}: {} not a category",
                p.value
            );
        }
        for t in &article.tags {
            assert!(
                terms.contains(&t.value.as_str()),
                "{id}: {} not a category",
                t.value
            );
        }
        let content = entry.content.as_ref().unwrap().body.as_ref().unwrap();
        assert!(!content.is_empty());
        assert!(
            !content.contains("href=\"/"),
            "{id}: a relative link in the feed"
        );
        // Its citations came along, each linking to the numbered source
        // on the article's own page.
        let source_link = format!("href=\"{}#source-1\"", entry.links[0].href);
        assert!(
            content.contains("<sup class=\"citation\">"),
            "{id}: no citation"
        );
        assert!(content.contains(&source_link), "{id}: no {source_link}");
    }
    let july = feed
        .entries
        .iter()
        .find(|e| e.id == permalink(JULY_SUMMIT))
        .unwrap();
    assert!(july.title.as_ref().unwrap().content.ends_with("(planned)"));
}

#[cfg(feature = "search")]
#[test]
fn json_feed_reads_back_and_carries_the_event() {
    let text = read(bundled(), "feed.json");
    let feed = feed_rs::parser::parse(text.as_bytes()).expect("a valid JSON Feed");
    let articles = articles();
    assert_eq!(feed.entries.len(), articles.len());
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    for item in json["items"].as_array().unwrap() {
        let published = &item["date_published"].as_str().unwrap()[..10];
        assert!(day(published) <= as_of());
        assert!(item["content_html"].as_str().unwrap().len() > 10);
    }
    let july = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == permalink(JULY_SUMMIT))
        .unwrap();
    let event = &july["_chronicle"];
    assert_eq!(event["date"], "2024-07");
    assert_eq!(event["precision"], "month");
    assert_eq!(event["first_day"], "2024-07-01");
    assert_eq!(event["last_day"], "2024-07-31");
    assert_eq!(event["status"], "planned");
    assert!(july["title"].as_str().unwrap().ends_with("(planned)"));
}

/// The events of a calendar, read by the icalendar crate's parser.
fn events(text: &str) -> Vec<icalendar::Event> {
    let calendar: Calendar = text.parse().expect("a calendar the parser reads");
    calendar
        .components
        .into_iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

fn date_of(d: icalendar::DatePerhapsTime) -> NaiveDate {
    match d {
        icalendar::DatePerhapsTime::Date(d) => d,
        other => panic!("a date-time where a date was expected: {other:?}"),
    }
}

#[cfg(feature = "search")]
#[test]
fn calendar_holds_the_events_known_to_the_day() {
    let text = read(bundled(), "calendar.ics");
    for line in text.split_inclusive('\n') {
        assert!(line.ends_with("\r\n"), "a line without CRLF: {line:?}");
        assert!(line.len() - 2 <= 75, "a line over 75 octets: {line:?}");
    }
    let events = events(&text);
    let articles = articles();
    let day_precise: Vec<&chronicle::model::Article> = articles
        .values()
        .filter(|a| a.date.is_day_precise())
        .collect();
    assert_eq!(events.len(), day_precise.len());
    assert!(events.len() >= 5, "the bundled site has dated meetings");
    for a in day_precise {
        let uid = format!("{}@chronicle.example.org", a.id.replace('/', "-"));
        let event = events
            .iter()
            .find(|e| e.get_uid() == Some(uid.as_str()))
            .unwrap_or_else(|| panic!("no event {uid}"));
        assert!(event.get_summary().unwrap().starts_with(&a.title));
        assert_eq!(
            date_of(event.get_start().unwrap()),
            a.date.first_day().naive().unwrap()
        );
        // DTEND is exclusive: the day after the last.
        assert_eq!(
            date_of(event.get_end().unwrap()),
            a.date.last_day().naive().unwrap().succ_opt().unwrap()
        );
        assert_eq!(event.get_url(), Some(permalink(&a.id).as_str()), "{}", a.id);
    }
    let april = events
        .iter()
        .find(|e| {
            e.get_uid()
                .unwrap()
                .starts_with("2024-washington-us-japan-summit@")
        })
        .unwrap();
    assert_eq!(april.get_status(), Some(icalendar::EventStatus::Tentative));
    assert!(
        !events
            .iter()
            .any(|e| e.get_uid().unwrap().starts_with("2024-washington-nato")),
        "the July summit is known only to the month"
    );
    let held = events
        .iter()
        .find(|e| e.get_uid().unwrap().starts_with("2023-camp-david-summit@"))
        .unwrap();
    assert_eq!(held.get_status(), Some(icalendar::EventStatus::Confirmed));
}

#[cfg(feature = "search")]
#[test]
fn each_participant_has_a_calendar_of_their_own() {
    let text = read(bundled(), "participants/fumio-kishida/calendar.ics");
    let events = events(&text);
    assert!(events.len() >= 3);
    let html = page(bundled(), "participants/fumio-kishida/index.html");
    let link = select(&html, ".subscribe a[type='text/calendar']");
    assert_eq!(
        link[0].value().attr("href"),
        Some("/participants/fumio-kishida/calendar.ics")
    );
}

/// A site whose only event has every kind of text a calendar must escape.
#[test]
fn calendar_text_round_trips_through_a_parser() {
    let site = tempfile::tempdir().unwrap();
    let content = site.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        content.join("_index.md"),
        "---\ntitle: \"Escapes; a, b\"\nbase_url: https://example.org/\nas_of: 2024-04-01\n---\n",
    )
    .unwrap();
    let long_title = format!("{} 東京 🎌", "Long title, with; commas ".repeat(8));
    let long_title = long_title.trim();
    assert!(long_title.chars().count() >= 200);
    std::fs::write(
        content.join("event.md"),
        format!(
            "---\ntitle: \"{long_title}\"\ndate: 2023-08-18/2023-08-20\nstatus: cancelled\n\
             summary: \"Line one; a, b\\\\c\\nline two: 日本語 and 😀\"\n\
             location: \"Camp David, Maryland; USA\"\nparticipants: [\"A, B\", \"C; D\"]\n---\nBody.\n"
        ),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path());
    let text = read(out.path(), "calendar.ics");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let events = events(&text);
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(
        e.get_summary(),
        Some(format!("{long_title} (cancelled)").as_str())
    );
    // A summary is one paragraph: its line break is a space by then (the
    // calendar's own line breaks are tested in src/render/exports/calendar.rs).
    assert_eq!(
        e.get_description(),
        Some("Line one; a, b\\c line two: 日本語 and 😀")
    );
    assert_eq!(e.get_location(), Some("Camp David, Maryland; USA"));
    assert_eq!(e.get_status(), Some(icalendar::EventStatus::Cancelled));
    assert_eq!(date_of(e.get_start().unwrap()), day("2023-08-18"));
    assert_eq!(date_of(e.get_end().unwrap()), day("2023-08-21"));
    assert!(text.contains("CATEGORIES:A\\, B,C\\; D\r\n"));
}

#[cfg(feature = "search")]
#[test]
fn timelinejs_data_keeps_what_is_known() {
    let json: serde_json::Value = serde_json::from_str(&read(bundled(), "timeline.json")).unwrap();
    let articles = articles();
    let events = json["events"].as_array().unwrap();
    assert_eq!(events.len(), articles.len());
    assert!(
        json["title"]["text"]["headline"]
            .as_str()
            .unwrap()
            .starts_with("Three Leaders")
    );
    for e in events {
        let id = e["unique_id"].as_str().unwrap();
        assert!(id.is_ascii() && !id.is_empty());
        assert!(e["start_date"]["year"].is_string());
    }
    let july = events
        .iter()
        .find(|e| e["unique_id"] == "2024-washington-nato-trilateral")
        .unwrap();
    assert_eq!(july["start_date"]["year"], "2024");
    assert_eq!(july["start_date"]["month"], "7");
    assert!(july["start_date"].get("day").is_none(), "no invented day");
    assert_eq!(july["display_date"], "July 2024 (planned)");
    assert_eq!(july["group"], "Trilateral summits");
    let context = events
        .iter()
        .find(|e| e["unique_id"] == "2023-china-graphite-controls")
        .unwrap();
    assert_eq!(context["group"], "Context");
}

/// The JSON-LD of a page, parsed.
fn json_ld(html: &scraper::Html) -> serde_json::Value {
    let scripts = select(html, "script[type='application/ld+json']");
    assert_eq!(scripts.len(), 1);
    let text: String = scripts[0].text().collect();
    assert!(!text.contains("</"));
    serde_json::from_str(&text).expect("valid JSON-LD")
}

#[cfg(feature = "search")]
#[test]
fn articles_and_the_timeline_carry_schema_org_data() {
    let july = json_ld(&page(bundled(), &format!("{JULY_SUMMIT}/index.html")));
    assert_eq!(july["@context"], "https://schema.org");
    assert_eq!(july["@type"], "NewsArticle");
    assert!(july["headline"].is_string());
    assert!(day(july["datePublished"].as_str().unwrap()) <= as_of());
    let event = &july["about"];
    assert_eq!(event["@type"], "Event");
    assert_eq!(event["startDate"], "2024-07");
    assert_eq!(event["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(event["location"]["@type"], "Place");
    assert_eq!(event["attendee"].as_array().unwrap().len(), 3);
    assert_eq!(event["attendee"][0]["@type"], "Person");
    let camp_david = json_ld(&page(bundled(), "2023/camp-david-summit/index.html"));
    assert_eq!(camp_david["about"]["startDate"], "2023-08-18");
    let list = json_ld(&page(bundled(), "index.html"));
    assert_eq!(list["@type"], "ItemList");
    let items = list["itemListElement"].as_array().unwrap();
    assert_eq!(items.len(), articles().len());
    assert_eq!(items[0]["position"], 1);
    assert_eq!(items[0]["item"]["@type"], "Event");
}

#[cfg(feature = "search")]
/// Every HTML page of a built site but the 404 page, as paths.
fn html_pages(out: &Path) -> Vec<String> {
    tree(out)
        .into_keys()
        .filter(|p| p.ends_with(".html") && p != "404.html")
        .collect()
}

#[cfg(feature = "search")]
#[test]
fn sitemap_lists_every_page_once() {
    let text = read(bundled(), "sitemap.xml");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let locs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    let mut expected: Vec<String> = html_pages(bundled())
        .iter()
        .map(|p| {
            let url = p.strip_suffix("index.html").unwrap_or(p);
            format!("https://chronicle.example.org/{url}")
        })
        .collect();
    let mut sorted = locs.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(sorted, expected, "every page exactly once");
    let camp_david = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("loc")
                && n.text() == Some("https://chronicle.example.org/2023/camp-david-summit/")
        })
        .unwrap();
    let lastmod = camp_david.next_sibling_element().unwrap();
    assert!(lastmod.has_tag_name("lastmod"));
    let robots = read(bundled(), "robots.txt");
    assert!(robots.contains("Sitemap: https://chronicle.example.org/sitemap.xml\n"));
}

#[cfg(feature = "search")]
#[test]
fn every_page_type_has_sharing_cards_and_alternates() {
    for rel in [
        "index.html",
        "2023/camp-david-summit/index.html",
        "participants/index.html",
        "participants/fumio-kishida/index.html",
        "2023/index.html",
        "timeline-view/index.html",
        "404.html",
    ] {
        let html = page(bundled(), rel);
        for css in [
            "meta[property='og:title']",
            "meta[property='og:type']",
            "meta[property='og:site_name']",
            "meta[name='twitter:card']",
            "link[rel='alternate'][type='application/atom+xml']",
            "link[rel='alternate'][type='application/feed+json']",
            "link[rel='alternate'][type='text/calendar']",
        ] {
            assert_eq!(select(&html, css).len(), 1, "{rel}: {css}");
        }
        if rel != "404.html" {
            assert_eq!(select(&html, "meta[property='og:url']").len(), 1, "{rel}");
        }
    }
    let article = page(bundled(), "2023/camp-david-summit/index.html");
    let og_type = select(&article, "meta[property='og:type']");
    assert_eq!(og_type[0].value().attr("content"), Some("article"));
    let timeline = page(bundled(), "index.html");
    let subscribe = select(&timeline, ".subscribe a");
    let hrefs: Vec<&str> = subscribe
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        hrefs,
        [
            "/atom.xml",
            "/feed.json",
            "/calendar.ics",
            "/timeline-view/"
        ]
    );
}

#[cfg(feature = "search")]
#[test]
fn without_a_base_url_the_exports_that_need_one_are_left_out_with_one_warning() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("content"), &site.path().join("content"));
    let index = site.path().join("content/_index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(
        &index,
        text.replace("base_url: \"https://chronicle.example.org\"\n", ""),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let report = build(site.path(), out.path());
    let warnings: Vec<_> = report
        .rendered
        .warnings
        .iter()
        .filter(|d| d.code.as_str() == "no-base-url")
        .collect();
    assert_eq!(warnings.len(), 1);
    for gone in ["atom.xml", "feed.json", "sitemap.xml", "robots.txt"] {
        assert!(!out.path().join(gone).exists(), "{gone}");
    }
    for kept in ["calendar.ics", "timeline.json", "timeline-view/index.html"] {
        assert!(out.path().join(kept).exists(), "{kept}");
    }
    let html = page(out.path(), "index.html");
    assert!(select(&html, "link[type='application/atom+xml']").is_empty());
}

#[cfg(feature = "search")]
#[test]
fn two_builds_give_the_same_exports() {
    let again = tempfile::tempdir().unwrap();
    build(&repo_root(), again.path());
    for rel in [
        "atom.xml",
        "feed.json",
        "calendar.ics",
        "timeline.json",
        "sitemap.xml",
    ] {
        assert_eq!(read(bundled(), rel), read(again.path(), rel), "{rel}");
    }
}

/// Times of day reach the calendar as UTC instants (floating when the
/// date has no zone), dates before AD 1 and beyond 9999 stay out of it
/// (iCalendar cannot write them), and the JSON-LD leaves out what ISO 8601
/// as HTML writes it cannot say.
#[test]
fn times_and_far_years_in_the_exports() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("dates"), out.path());
    let events = events(&read(out.path(), "calendar.ics"));
    let by_summary = |s: &str| {
        events
            .iter()
            .find(|e| e.get_summary() == Some(s))
            .unwrap_or_else(|| panic!("no event {s}"))
    };
    let utc = |d: icalendar::DatePerhapsTime| match d {
        icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t)) => t,
        other => panic!("not a UTC time: {other:?}"),
    };
    // 10:30 in Tokyo is 01:30 UTC.
    let time = by_summary("Form Time");
    assert_eq!(
        utc(time.get_start().unwrap()).to_rfc3339(),
        "2023-08-18T01:30:00+00:00"
    );
    assert!(time.get_end().is_none());
    let range = by_summary("Form Time range");
    assert_eq!(
        utc(range.get_end().unwrap()).to_rfc3339(),
        "2023-08-18T06:30:00+00:00"
    );
    let own = by_summary("Form Time own zone");
    assert_eq!(
        utc(own.get_start().unwrap()).to_rfc3339(),
        "2023-08-18T12:00:00+00:00"
    );
    for absent in ["Form Bc", "Form Deep", "Form Far future", "Form Bc year"] {
        assert!(
            events.iter().all(|e| e.get_summary() != Some(absent)),
            "{absent}"
        );
    }
    let ld = json_ld(&page(out.path(), "bc/index.html"));
    assert!(ld["about"].get("startDate").is_none(), "{ld}");
    let ld = json_ld(&page(out.path(), "time/index.html"));
    assert_eq!(ld["about"]["startDate"], "2023-08-18T10:30+09:00");
}
