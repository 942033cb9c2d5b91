//! Sites in Japanese and Korean (issue 15): no English word of the default
//! templates on their pages, CLDR's dates, slugs in their own script; a
//! label changed through a site's catalogue on every page type, in a cold
//! build and an incremental one alike.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use chronicle::diagnostics::Code;
use chronicle::i18n::{Language, catalogue};
use common::*;
use scraper::Html;

/// Every English text of the built-in catalogue, cut at its blanks, that
/// a reader could recognise as English: the pieces with a word of three
/// letters or more.
fn english_pieces() -> Vec<String> {
    let mut table = catalogue::Table::new();
    let en = catalogue::built_in("en").unwrap();
    catalogue::merge(&mut table, &en, &mut Vec::new());
    let mut pieces: Vec<String> = Vec::new();
    for (key, text) in &table {
        // Date patterns are about dates (tested below); separators are
        // punctuation.
        if key.starts_with("date-") || key.ends_with("-separator") {
            continue;
        }
        let texts: Vec<&String> = match text {
            catalogue::Text::Plain(t) => vec![t],
            catalogue::Text::Plural(forms) => forms.values().collect(),
        };
        for t in texts {
            for piece in t.split(['{', '}']).step_by(2) {
                let piece = piece
                    .trim()
                    .trim_matches(|c: char| c.is_ascii_punctuation());
                let piece = piece.trim();
                let wordy = piece
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .any(|w| w.len() >= 3);
                if wordy && !pieces.iter().any(|p| p == piece) {
                    pieces.push(piece.to_string());
                }
            }
        }
    }
    pieces
}

/// What a reader meets on a page: its text (without scripts and styles)
/// and the attributes that are read out or shown.
fn readable(html: &Html) -> String {
    let mut out = String::new();
    for node in html.root_element().descendants() {
        if let Some(text) = node.value().as_text() {
            let parent = node
                .parent()
                .and_then(|p| p.value().as_element().map(|e| e.name()));
            if !matches!(parent, Some("script" | "style")) {
                out.push_str(text);
                out.push('\n');
            }
        } else if let Some(element) = node.value().as_element() {
            for attr in ["aria-label", "title", "alt"] {
                if let Some(value) = element.attr(attr) {
                    out.push_str(value);
                    out.push('\n');
                }
            }
            // The filter script's words, without their blanks' names.
            for (name, value) in element.attrs() {
                if name.starts_with("data-l-") {
                    for piece in value.split(['{', '}']).step_by(2) {
                        out.push_str(piece);
                        out.push('\n');
                    }
                }
            }
        }
    }
    out
}

/// Whether `piece` is in `text` as whole words ("Timeline" is not in
/// "TimelineJS", a name).
fn contains_words(text: &str, piece: &str) -> bool {
    text.match_indices(piece).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + piece.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

fn html_pages(out: &Path) -> BTreeMap<String, Html> {
    tree(out)
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".html"))
        .map(|(rel, bytes)| {
            (
                rel,
                Html::parse_document(&String::from_utf8(bytes).unwrap()),
            )
        })
        .collect()
}

fn no_english_on(site: &str) {
    let out = tempfile::tempdir().unwrap();
    let report = build(&fixture(site), out.path());
    assert!(
        report.rendered.warnings.is_empty(),
        "{:?}",
        report.rendered.warnings
    );
    let pieces = english_pieces();
    assert!(pieces.len() > 80, "only {} English pieces", pieces.len());
    let pages = html_pages(out.path());
    assert!(pages.len() > 15, "only {} pages", pages.len());
    let mut found = Vec::new();
    for (rel, html) in &pages {
        let text = readable(html);
        for piece in &pieces {
            if contains_words(&text, piece) {
                found.push(format!("{rel}: “{piece}”"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "English on the {site} site:\n{}",
        found.join("\n")
    );
    // The filter's index names kinds, statuses and taxonomies in the language.
    let index = std::fs::read_to_string(out.path().join("filter-index.json")).unwrap();
    for english in [
        "\"Held\"",
        "\"Meeting\"",
        "\"Participants\"",
        "\"Participant\"",
    ] {
        assert!(
            !index.contains(english),
            "{english} in {site}'s filter index"
        );
    }
}

#[test]
fn a_japanese_site_shows_no_english_word_of_the_templates() {
    no_english_on("language-ja");
}

#[test]
fn a_korean_site_shows_no_english_word_of_the_templates() {
    no_english_on("language-ko");
}

/// The English pieces are found where they are: the check can fail.
#[test]
fn the_english_check_finds_english() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("snapshot"), out.path());
    let html = page(out.path(), "2023/summit/index.html");
    let text = readable(&html);
    let pieces = english_pieces();
    for piece in [
        "Where",
        "Back to the timeline",
        "Skip to main content",
        "Sources",
    ] {
        assert!(pieces.iter().any(|p| p == piece), "{piece} not a piece");
        assert!(text.contains(piece), "{piece} not on the English page");
    }
}

#[test]
fn dates_are_cldrs_japanese_and_korean_forms() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("language-ja"), out.path());
    let summit = page(out.path(), "2023/summit/index.html");
    assert_eq!(
        one_text(&summit, ".page-header .entry-meta time"),
        "2023年8月18日 10:30 JST"
    );
    assert_eq!(one_text(&summit, ".facts dd time"), "2023年9月1日");
    let timeline = page(out.path(), "index.html");
    let dates: Vec<String> = select(&timeline, ".entry .entry-meta > :first-child")
        .iter()
        .map(text)
        .collect();
    for expected in [
        "2023年3月頃",
        "2023年7月13日～14日",
        "2023年8月18日 10:30 JST",
        "2024年1月以降",
        "2024年7月",
    ] {
        assert!(
            dates.iter().any(|d| d == expected),
            "{expected} not in {dates:?}"
        );
    }
    assert_eq!(one_text(&timeline, ".as-of time"), "2024年4月1日");
    let years: Vec<String> = select(&timeline, ".year-heading")
        .iter()
        .map(text)
        .collect();
    assert_eq!(years, ["2023年", "2024年"]);
    // The interactive view's slides and the feeds' titles say it the same way.
    let data = std::fs::read_to_string(out.path().join("timeline.json")).unwrap();
    assert!(
        data.contains("\"display_date\":\"2024年7月 (予定)\""),
        "{data}"
    );
    let atom = std::fs::read_to_string(out.path().join("atom.xml")).unwrap();
    assert!(atom.contains("次回の首脳会議 (予定)"), "{atom}");

    let out = tempfile::tempdir().unwrap();
    build(&fixture("language-ko"), out.path());
    let summit = page(out.path(), "2023/summit/index.html");
    assert_eq!(
        one_text(&summit, ".page-header .entry-meta time"),
        "2023년 8월 18일 10:30 KST"
    );
    let timeline = page(out.path(), "index.html");
    let dates: Vec<String> = select(&timeline, ".entry .entry-meta > :first-child")
        .iter()
        .map(text)
        .collect();
    for expected in [
        "2023년 3월경",
        "2023년 7월 13일 ~ 14일",
        "2024년 1월 이후",
        "2024년 7월",
    ] {
        assert!(
            dates.iter().any(|d| d == expected),
            "{expected} not in {dates:?}"
        );
    }
}

#[test]
fn counts_take_the_languages_plural_forms() {
    let en = Language::english();
    assert_eq!(en.count("entries", 1, &[]), "1 entry");
    assert_eq!(en.count("entries", 2, &[]), "2 entries");
    let out = tempfile::tempdir().unwrap();
    build(&fixture("language-ja"), out.path());
    let tags = page(out.path(), "tags/index.html");
    let mut counts: Vec<String> = select(&tags, ".count").iter().map(text).collect();
    counts.sort();
    assert_eq!(counts, ["1件", "2件", "2件"]);
}

#[test]
fn unicode_slugs_keep_the_script_and_are_percent_encoded_in_links() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("language-ja"), out.path());
    assert!(
        out.path()
            .join("participants/岸田文雄/index.html")
            .is_file()
    );
    assert!(
        out.path()
            .join("places/キャンプ-デービッド/index.html")
            .is_file()
    );
    let summit = page(out.path(), "2023/summit/index.html");
    let hrefs: Vec<&str> = select(&summit, ".facts a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.contains(&"/nikkan/participants/%E5%B2%B8%E7%94%B0%E6%96%87%E9%9B%84/"),
        "{hrefs:?}"
    );
}

/// A site in ASCII slugs (the default) with a name in kanji alone: a
/// warning at the name, suggesting a registry slug or `unicode`; none for
/// a name with kana, or with a registry slug.
#[test]
fn kanji_read_as_chinese_is_a_warning() {
    let site = tempfile::tempdir().unwrap();
    let content = site.path().join("content/2023");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        site.path().join("content/_index.md"),
        "---\ntitle: 年表\nlanguage: ja\nas_of: 2024-04-01\n---\n",
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/_people.yaml"),
        "- name: 菅義偉\n  slug: yoshihide-suga\n",
    )
    .unwrap();
    std::fs::write(
        content.join("a.md"),
        "---\ntitle: 会談\ndate: 2023-08-18\nparticipants: [岸田文雄, 菅義偉, ジョー・バイデン, 河野 たろう]\n---\n本文。\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let report = build(site.path(), out.path());
    let warnings: Vec<_> = report
        .rendered
        .warnings
        .iter()
        .filter(|d| d.code == Code::SlugReading)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].message.contains("岸田文雄"));
    assert!(warnings[0].message.contains("an-tian-wen-xiong"));
    assert_eq!(warnings[0].line(), 4);
    assert!(
        warnings[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("slug_style: unicode")
    );
}

/// One label changed through a site catalogue shows on every page type;
/// a key left out keeps the built-in text; the incremental build that
/// follows the change is byte for byte a cold build.
#[test]
fn a_site_catalogue_changes_a_label_on_every_page_type() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("snapshot"), site.path());
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path());
    std::fs::create_dir_all(site.path().join("i18n")).unwrap();
    std::fs::write(
        site.path().join("i18n/en.toml"),
        "# The newsroom's words\nskip-link = \"Jump to the story\"\nwhere = \"Venue\"\n\
         entries = { one = \"{n} event\", other = \"{n} events\" }\n",
    )
    .unwrap();
    build(site.path(), out.path());
    let pages = html_pages(out.path());
    for kind in [
        "index.html",
        "2023/summit/index.html",
        "2023/index.html",
        "participants/index.html",
        "participants/leader-one/index.html",
        "404.html",
        "timeline-view/index.html",
    ] {
        let html = &pages[kind];
        assert_eq!(one_text(html, ".skip-link"), "Jump to the story", "{kind}");
    }
    for (rel, html) in &pages {
        assert_eq!(one_text(html, ".skip-link"), "Jump to the story", "{rel}");
    }
    let summit = &pages["2023/summit/index.html"];
    assert_eq!(text(&select(summit, ".facts dt")[0]), "Venue");
    assert_eq!(
        text(&select(summit, ".facts dt")[1]),
        "Who",
        "built-in kept"
    );
    let tags = &pages["tags/index.html"];
    assert!(select(tags, ".count").iter().any(|c| text(c) == "2 events"));

    // The incremental build is the cold build's bytes.
    let cold = tempfile::tempdir().unwrap();
    build(site.path(), cold.path());
    let strip = |t: BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        t.into_iter()
            .filter(|(rel, _)| !rel.starts_with(".chronicle"))
            .collect()
    };
    assert!(strip(tree(out.path())) == strip(tree(cold.path())));
}

#[test]
fn a_bad_catalogue_is_an_error_at_its_line_and_column() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("snapshot"), site.path());
    std::fs::create_dir_all(site.path().join("i18n")).unwrap();
    std::fs::write(
        site.path().join("i18n/en.toml"),
        "where = \"Venue\"\nentries = { one = \"{n} event\" }\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let Err(chronicle::Failure::Diagnostics(d)) =
        chronicle::build(&options(site.path(), out.path()), &|| {})
    else {
        panic!("a bad catalogue built");
    };
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, Code::CatalogueInvalid);
    assert_eq!(d[0].path, Path::new("i18n/en.toml"));
    assert_eq!((d[0].line(), d[0].col()), (2, 11));
}

#[test]
fn a_language_without_a_catalogue_is_a_warning_that_names_it() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("language"), site.path());
    let settings = site.path().join("content/_index.md");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, text.replace("language: de-CH", "language: tlh")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let report = build(site.path(), out.path());
    let warnings: Vec<_> = report
        .rendered
        .warnings
        .iter()
        .filter(|d| d.code == Code::LanguageUnsupported)
        .collect();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].message.contains("`tlh`"));
    let timeline = page(out.path(), "index.html");
    assert_eq!(one_text(&timeline, ".skip-link"), "Skip to main content");
}

#[test]
fn two_builds_of_a_japanese_site_are_the_same_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    build(&fixture("language-ja"), a.path());
    build(&fixture("language-ja"), b.path());
    let strip = |t: BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        t.into_iter()
            .filter(|(rel, _)| !rel.starts_with(".chronicle"))
            .collect()
    };
    assert!(strip(tree(a.path())) == strip(tree(b.path())));
}
