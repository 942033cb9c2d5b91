//! Sites in Japanese and Korean (issue 15): no English word of the default
//! templates on their pages, CLDR's dates, slugs in their own script; a
//! label changed through a site's catalogue on every page type, in a cold
//! build and an incremental one alike.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;
use chronicle::diagnostics::Code;
#[cfg(feature = "search")]
use chronicle::i18n::Language;
use chronicle::i18n::catalogue;
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
            // Read out or shown: labels, tooltips, alternative text; and
            // what a search result or a shared link shows of the page.
            let meta = element.attr("name").or(element.attr("property"));
            let shown_meta = element.name() == "meta"
                && meta.is_some_and(|m| {
                    m == "description"
                        || m.ends_with(":title")
                        || m.ends_with(":description")
                        || m.ends_with(":alt")
                        || m == "og:site_name"
                });
            if let Some(value) = element.attr("content").filter(|_| shown_meta) {
                out.push_str(value);
                out.push('\n');
            }
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

#[cfg(feature = "search")]
/// Whether `piece` is in `text` as whole words ("Timeline" is not in
/// "TimelineJS", a name).
fn contains_words(text: &str, piece: &str) -> bool {
    // In any case: "Interactive timeline" is the catalogue's "interactive
    // timeline" at the start of a title.
    let (text, piece) = (text.to_ascii_lowercase(), piece.to_ascii_lowercase());
    text.match_indices(&piece).any(|(i, _)| {
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

#[cfg(feature = "search")]
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
    // The search page and a citation's link are in the language too.
    assert!(pages.contains_key("search/index.html"));
    let cited: Vec<String> = (pages.values())
        .flat_map(|html| select(html, "sup.citation a"))
        .filter_map(|a| a.value().attr("aria-label").map(str::to_string))
        .collect();
    assert!(!cited.is_empty(), "no citation on the {site} site");
    let backrefs: Vec<String> = (pages.values())
        .flat_map(|html| select(html, "a.footnote-backref"))
        .filter_map(|a| a.value().attr("aria-label").map(str::to_string))
        .collect();
    assert_eq!(backrefs.len(), 1, "{backrefs:?}");
    assert!(
        backrefs[0] == "注1の本文に戻る" || backrefs[0] == "주석 1의 본문으로 돌아가기",
        "{backrefs:?}"
    );
    for label in &cited {
        assert!(
            label == "出典1：共同声明" || label == "출처 1: 공동성명",
            "{label}"
        );
    }
    // The slides' words: their group and their link to the article.
    let slides = std::fs::read_to_string(out.path().join("timeline.json")).unwrap();
    for english in ["\"Context\"", "Read the article"] {
        assert!(
            !slides.contains(english),
            "{english} in {site}'s timeline.json"
        );
    }
    // TimelineJS's words: the catalogue's messages, its own month names.
    let locale: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("timelinejs-locale.json")).unwrap(),
    )
    .unwrap();
    for key in [
        "loading_timeline",
        "return_to_title",
        "go_to_end",
        "zoom_in",
        "zoom_out",
    ] {
        let text = locale["messages"][key].as_str().unwrap();
        assert!(!text.is_ascii(), "{site}: TimelineJS's {key} is {text:?}");
    }
    let january = locale["date"]["month"][0].as_str().unwrap();
    assert!(
        !january.chars().any(|c| c.is_ascii_alphabetic()),
        "{site}: January is {january:?}"
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

#[cfg(feature = "search")]
#[test]
fn a_japanese_site_shows_no_english_word_of_the_templates() {
    no_english_on("language-ja");
}

#[cfg(feature = "search")]
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

#[cfg(feature = "search")]
#[test]
fn dates_are_cldrs_japanese_and_korean_forms() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("language-ja"), out.path());
    let summit = page(out.path(), "2023/summit/index.html");
    assert_eq!(
        one_text(&summit, ".page-header .entry-meta time"),
        "2023年8月18日 10:30（日本時間）"
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
        "2023年8月18日 10:30（日本時間）",
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
        "2023년 8월 18일 10:30(한국 시간)"
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

#[cfg(feature = "search")]
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

#[cfg(feature = "search")]
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
         entries = { one = \"{n} event\", other = \"{n} events\" }\n\
         timelinejs-zoom-in = \"Closer\"\n",
    )
    .unwrap();
    build(site.path(), out.path());
    let pages = html_pages(out.path());
    // TimelineJS's words too.
    let locale = std::fs::read_to_string(out.path().join("timelinejs-locale.json")).unwrap();
    assert!(locale.contains("\"zoom_in\":\"Closer\""), "{locale}");
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

#[cfg(feature = "search")]
/// Regression (issue 28, item 5): placeholders were filled by looking
/// ahead from every `{`, so a label of 40,000 `{` took a 13-article build
/// past 60 s. Here a label of 1,000,000 `{` on an article citing two
/// sources: about a second now, past the bound by minutes with the
/// look-ahead (which took 0.8 s a label at 40,000, and grows as the
/// square). `i18n::fill`'s unit test holds the function itself to one pass.
#[test]
fn a_label_of_many_braces_is_filled_in_one_pass() {
    let site = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = site.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("content/_index.md", "---\ntitle: Site\n---\n");
    write(
        "content/2023/summit.md",
        "---\ntitle: The summit\ndate: 2023-08-18\nsources:\n  - id: a\n    title: One\n    \
         publisher: P\n  - id: b\n    title: Two\n    publisher: P\n---\n\
         They met [@a]. They agreed [@b].\n",
    );
    let braces = "{".repeat(1_000_000);
    write(
        "i18n/en.toml",
        &format!("citation-label = \"{braces}{{number}}\"\n"),
    );
    let out = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    build(site.path(), out.path());
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(90), "{took:?}");
    // Filled: the braces stay, the placeholder gives way to its value.
    let article = std::fs::read_to_string(out.path().join("2023/summit/index.html")).unwrap();
    assert!(article.contains(&format!("{braces}1")), "no label filled");
    assert!(article.contains(&format!("{braces}2")), "no second label");
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
    let d = build_fails(site.path(), out.path(), "a bad catalogue");
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

#[cfg(feature = "search")]
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

// A site in three languages (the second half).

/// Output path → its absolute address, for the languages fixture.
fn permalink_of(rel: &str) -> String {
    let path = rel.strip_suffix("index.html").unwrap_or(rel);
    format!("https://example.org/summits/{path}")
}

#[test]
fn three_languages_build_three_timelines() {
    let out = tempfile::tempdir().unwrap();
    let report = build(&fixture("languages"), out.path());
    assert!(
        report.rendered.warnings.is_empty(),
        "{:?}",
        report.rendered.warnings
    );
    for (home, lang, skip) in [
        ("index.html", "en", "Skip to main content"),
        ("ja/index.html", "ja", "本文へ移動"),
        ("ko/index.html", "ko", "본문으로 건너뛰기"),
    ] {
        let html = page(out.path(), home);
        assert_eq!(select(&html, "html")[0].value().attr("lang"), Some(lang));
        assert_eq!(one_text(&html, ".skip-link"), skip);
    }
    // Each timeline lists its own language's articles.
    let titles = |rel: &str| -> Vec<String> {
        select(&page(out.path(), rel), ".entry-title")
            .iter()
            .map(text)
            .collect()
    };
    assert_eq!(titles("index.html").len(), 3);
    assert_eq!(
        titles("ja/index.html"),
        [
            "韓国政府が徴用工問題の解決策を発表",
            "キャンプ・デービッドで日米韓首脳会談"
        ]
    );
    assert_eq!(titles("ko/index.html"), ["캠프 데이비드 한미일 정상회의"]);
    // A translation without a date takes its original's.
    let ruling = page(out.path(), "ja/2023/ruling/index.html");
    assert_eq!(
        one_text(&ruling, ".page-header .entry-meta time"),
        "2023年3月6日"
    );
    // The static files are shared, at the root; each language has its feeds.
    assert!(!out.path().join("ja/style.css").exists());
    assert!(out.path().join("ja/atom.xml").is_file());
    assert!(out.path().join("ko/filter-index.json").is_file());
    // One robots.txt, at the root, naming every language's sitemap.
    assert!(!out.path().join("ja/robots.txt").exists());
    let robots = std::fs::read_to_string(out.path().join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.org/summits/sitemap.xml\n"));
    assert!(robots.contains("Sitemap: https://example.org/summits/ja/sitemap.xml\n"));
    assert!(robots.contains("Sitemap: https://example.org/summits/ko/sitemap.xml\n"));
}

#[test]
fn hreflang_alternates_go_both_ways() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("languages"), out.path());
    let pages = html_pages(out.path());
    let mut checked = 0;
    for (rel, html) in &pages {
        let me = permalink_of(rel);
        for link in select(html, "link[rel=alternate][hreflang]") {
            let href = link.value().attr("href").unwrap();
            let target = href
                .strip_prefix("https://example.org/summits/")
                .unwrap_or_else(|| panic!("{rel}: {href}"));
            let target = format!("{target}index.html");
            let other = pages
                .get(&target)
                .unwrap_or_else(|| panic!("{rel}: hreflang to {href}, no {target}"));
            let back: Vec<&str> = select(other, "link[rel=alternate][hreflang]")
                .iter()
                .filter_map(|l| l.value().attr("href"))
                .collect();
            assert!(
                back.contains(&me.as_str()),
                "{target} does not link back to {me}"
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} alternates");
    let langs = |rel: &str| -> Vec<&str> {
        select(&pages[rel], "link[rel=alternate][hreflang]")
            .iter()
            .filter_map(|l| l.value().attr("hreflang"))
            .collect()
    };
    // Every kind of page names its counterparts: articles, the timeline,
    // year pages, the indexes of terms, the interactive view.
    for rel in [
        "2023/summit/index.html",
        "index.html",
        "2023/index.html",
        "ko/2023/index.html",
        "participants/index.html",
        "ja/places/index.html",
        "timeline-view/index.html",
    ] {
        assert_eq!(langs(rel), ["en", "ja", "ko"], "{rel}");
    }
    assert_eq!(langs("2023/ruling/index.html"), ["en", "ja"]);
    // A page alone in its language names none, not even itself; nor does
    // a page that is not found.
    for rel in ["2024/index.html", "participants/fumio-kishida/index.html"] {
        assert_eq!(langs(rel), Vec::<&str>::new(), "{rel}");
    }
    let not_found =
        Html::parse_document(&std::fs::read_to_string(out.path().join("ja/404.html")).unwrap());
    assert!(select(&not_found, "link[rel=alternate][hreflang]").is_empty());
}

#[test]
fn the_switcher_lands_on_the_translation_or_the_timeline() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("languages"), out.path());
    let switcher = |rel: &str| -> Vec<(String, String)> {
        select(&page(out.path(), rel), "nav.languages a")
            .iter()
            .map(|a| (text(a), a.value().attr("href").unwrap().to_string()))
            .collect()
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        switcher("2023/ruling/index.html"),
        pairs(&[
            ("English", "/summits/2023/ruling/"),
            ("日本語", "/summits/ja/2023/ruling/"),
            ("한국어", "/summits/ko/"),
        ])
    );
    assert_eq!(
        switcher("ko/2023/summit/index.html"),
        pairs(&[
            ("English", "/summits/2023/summit/"),
            ("日本語", "/summits/ja/2023/summit/"),
            ("한국어", "/summits/ko/2023/summit/"),
        ])
    );
    // A year page goes to the same year where the language has it, else
    // to the language's timeline.
    assert_eq!(
        switcher("ja/2023/index.html"),
        pairs(&[
            ("English", "/summits/2023/"),
            ("日本語", "/summits/ja/2023/"),
            ("한국어", "/summits/ko/2023/"),
        ])
    );
    assert_eq!(
        switcher("2024/index.html"),
        pairs(&[
            ("English", "/summits/2024/"),
            ("日本語", "/summits/ja/"),
            ("한국어", "/summits/ko/"),
        ])
    );
    let current = select(
        &page(out.path(), "ja/index.html"),
        "nav.languages [aria-current]",
    )
    .iter()
    .map(text)
    .collect::<Vec<_>>();
    assert_eq!(current, ["日本語"]);
}

#[test]
fn each_language_has_its_own_title_and_introduction() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("languages"), out.path());
    let ja = page(out.path(), "ja/index.html");
    assert_eq!(one_text(&ja, "title"), "日米韓首脳会談");
    assert!(text(&select(&ja, "main")[0]).contains("初の日米韓首脳会談までの歩み。"));
    assert_eq!(
        select(&ja, "meta[name=description]")[0]
            .value()
            .attr("content"),
        Some("日米韓3か国の首脳会談の年表。")
    );
    let article = page(out.path(), "ja/2023/summit/index.html");
    assert!(one_text(&article, "title").ends_with(" — 日米韓首脳会談"));
    let feed = std::fs::read_to_string(out.path().join("ja/atom.xml")).unwrap();
    assert!(feed.contains("<title>日米韓首脳会談</title>"), "{feed}");
    let ko = page(out.path(), "ko/index.html");
    assert_eq!(one_text(&ko, "title"), "한미일 정상회의");
    assert!(text(&select(&ko, "main")[0]).contains("첫 한미일 정상회의까지의 과정."));
    // The default language keeps its own.
    let en = page(out.path(), "index.html");
    assert_eq!(one_text(&en, "title"), "Trilateral summits");
    assert!(!text(&select(&en, "main")[0]).contains("初の"));
    assert!(!text(&select(&en, "main")[0]).contains("첫 "));
}

#[test]
fn a_language_without_its_own_file_takes_the_sites() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("languages"), site.path());
    std::fs::remove_file(site.path().join("content/_index.ko.md")).unwrap();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path());
    let ko = page(out.path(), "ko/index.html");
    assert_eq!(one_text(&ko, "title"), "Trilateral summits");
    assert!(text(&select(&ko, "main")[0]).contains("The road to the first trilateral summit."));
}

#[test]
fn a_language_file_gives_only_what_readers_read() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("languages"), site.path());
    let content = site.path().join("content");
    std::fs::write(
        content.join("_index.ja.md"),
        "---\ntitle: 年表\nbase_url: https://example.jp/\ntitel: x\n---\n本文。\n",
    )
    .unwrap();
    std::fs::write(
        content.join("_index.fr.md"),
        "---\ntitle: Chronologie\n---\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let d = build_fails(
        site.path(),
        out.path(),
        "a language file with the site's settings",
    );
    let found: Vec<String> = (d.iter())
        .map(|d| {
            let at = format!("{}:{}:{}", d.path.display(), d.line(), d.col());
            format!("{} {} {at}", d.severity, d.code.as_str())
        })
        .collect();
    assert_eq!(
        found,
        [
            "warning misplaced-settings content/_index.fr.md:0:0",
            "error unknown-key content/_index.ja.md:3:1",
            "error unknown-key content/_index.ja.md:4:1",
        ]
    );
    assert!(
        d[1].message
            .contains("`base_url` is a setting of the whole site")
    );
    assert_eq!(d[2].hint.as_deref(), Some("did you mean `title`?"));
    // Mended, the build takes the language's title and warns of the file
    // for a language the site is not in.
    std::fs::write(
        content.join("_index.ja.md"),
        "---\ntitle: 年表\n---\n本文。\n",
    )
    .unwrap();
    let report = build(site.path(), out.path());
    assert_eq!(
        one_text(&page(out.path(), "ja/index.html"), "title"),
        "年表"
    );
    assert_eq!(report.rendered.warnings.len(), 1);
    assert_eq!(report.rendered.warnings[0].code, Code::MisplacedSettings);
}

#[test]
fn a_translation_that_contradicts_its_original_is_an_error() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("languages"), site.path());
    let ko = site.path().join("content/2023/summit.ko.md");
    let text = std::fs::read_to_string(&ko).unwrap();
    std::fs::write(&ko, text.replace("date: 2023-08-18", "date: 2023-08-19")).unwrap();
    std::fs::write(
        site.path().join("content/2023/missing.ja.md"),
        "---\ntitle: 原文なし\ndate: 2023-01-01\n---\n本文。\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let d = build_fails(site.path(), out.path(), "contradicting translations");
    let found: Vec<(String, usize)> = d
        .iter()
        .filter(|d| d.code == Code::TranslationMismatch)
        .map(|d| (d.path.display().to_string(), d.line()))
        .collect();
    assert_eq!(
        found,
        [
            ("content/2023/missing.ja.md".to_string(), 1),
            ("content/2023/summit.ko.md".to_string(), 3)
        ]
    );
}

#[test]
fn a_multilingual_site_builds_the_same_bytes_cold_and_incrementally() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("languages"), site.path());
    let out = tempfile::tempdir().unwrap();
    build(site.path(), out.path());
    // A translation added, another retitled: every language they touch.
    std::fs::write(
        site.path().join("content/2024/next-summit.ko.md"),
        "---\ntitle: 다음 정상회의\ndate: 2024-07\nlocation: 워싱턴\n---\n예정.\n",
    )
    .unwrap();
    let ja = site.path().join("content/2023/ruling.ja.md");
    let text = std::fs::read_to_string(&ja).unwrap();
    std::fs::write(&ja, text.replace("韓国政府が", "韓国政府は")).unwrap();
    // And the Japanese title changed: every Japanese page, no other.
    let index = site.path().join("content/_index.ja.md");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(&index, text.replace("title: 日米韓首脳会談", "title: 年表")).unwrap();
    build(site.path(), out.path());
    assert_eq!(
        one_text(&page(out.path(), "ja/2023/index.html"), "title")
            .rsplit(" — ")
            .next(),
        Some("年表")
    );
    let cold = tempfile::tempdir().unwrap();
    build(site.path(), cold.path());
    let strip = |t: BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        t.into_iter()
            .filter(|(rel, _)| !rel.starts_with(".chronicle"))
            .collect()
    };
    let (warm, cold) = (strip(tree(out.path())), strip(tree(cold.path())));
    assert_eq!(
        warm.keys().collect::<Vec<_>>(),
        cold.keys().collect::<Vec<_>>()
    );
    assert!(warm == cold);
    let switcher: Vec<String> = select(
        &page(out.path(), "2024/next-summit/index.html"),
        "nav.languages a",
    )
    .iter()
    .filter_map(|a| a.value().attr("href").map(str::to_string))
    .collect();
    assert!(switcher.contains(&"/summits/ko/2024/next-summit/".to_string()));
    // The year page that stood alone now names its Korean counterpart.
    let year: Vec<String> = select(
        &page(out.path(), "2024/index.html"),
        "link[rel=alternate][hreflang]",
    )
    .iter()
    .filter_map(|l| l.value().attr("hreflang").map(str::to_string))
    .collect();
    assert_eq!(year, ["en", "ko"]);
}

#[test]
fn check_lists_the_articles_a_language_lacks_as_notes() {
    // The site's text untranslated into Korean, as the fixture once had it.
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture("languages"), site.path());
    std::fs::remove_file(site.path().join("content/_index.ko.md")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let rendered = chronicle::check(&options(site.path(), out.path())).unwrap();
    let mut notes: Vec<String> = rendered
        .warnings
        .iter()
        .filter(|d| d.code == Code::TranslationMissing)
        .map(|d| format!("{} {}", d.severity, d.path.display()))
        .collect();
    notes.sort();
    assert_eq!(
        notes,
        [
            "note content/2023/ruling.md",
            "note content/2024/next-summit.md",
            "note content/2024/next-summit.md",
            "note content/_index.md",
        ]
    );
    let site_text = (rendered.warnings.iter())
        .find(|d| d.path.ends_with("_index.md"))
        .unwrap();
    assert!(site_text.message.contains("`ko`"), "{site_text:?}");
    assert_eq!(
        site_text.hint.as_deref(),
        Some("translate them as content/_index.ko.md")
    );
    // A build does not list them.
    let report = build(site.path(), out.path());
    assert!(report.rendered.warnings.is_empty());
}
