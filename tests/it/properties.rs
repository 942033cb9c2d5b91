//! Properties over generated input: the timeline's order is total and agrees
//! with the dates, whatever order the files were written in; every date the
//! parser accepts displays and re-parses to itself.

use std::collections::HashMap;

use crate::common::*;
use chronicle::date::EventDate;
use proptest::prelude::*;

/// A date in any accepted form: year, month or day, some digits perhaps
/// unspecified (`201X`, `2023-08-XX`), a year before AD 1 (`-0044`) or
/// beyond four digits (`Y-13800000000`), a time of day with or without an
/// offset, optionally a range or an open one, optionally qualified.
fn date_text() -> impl Strategy<Value = String> {
    let era = (0usize..10, 1i64..=9999, 10_000i64..100_000_000_000);
    let clock = (0usize..6, 0u32..24, 0u32..60, 0u32..60);
    let point = (
        era,
        1990i32..2030,
        0u32..=12,
        0u32..=31,
        0usize..4,
        0usize..10,
        clock,
    );
    let point = point.prop_map(|((kind, bc, deep), ad, m, d, q, x, clock)| {
        let q = ["", "?", "~", "%"][q];
        let year = match kind {
            0 => -bc,
            1 => deep,
            2 => -deep,
            _ => i64::from(ad),
        };
        if year.abs() > 9999 {
            return format!("Y{year}{q}");
        }
        let written = if year < 0 {
            format!("-{:04}", -year)
        } else {
            format!("{year:04}")
        };
        if year > 0 {
            let y = year;
            match (x, m) {
                (5, _) => return format!("{}X{q}", y / 10),
                (6, _) => return format!("{}XX{q}", y / 100),
                (7, _) => return format!("{y}-XX{q}"),
                (8, _) => return format!("{y}-XX-XX{q}"),
                (9, m) if m > 0 => return format!("{y}-{m:02}-XX{q}"),
                _ => {}
            }
        }
        match (m, d) {
            (0, _) => format!("{written}{q}"),
            (m, 0) => format!("{written}-{m:02}{q}"),
            (m, d) => {
                // The month's length in the proleptic Gregorian calendar
                // (chrono counts 1 BC as year 0).
                let astronomical = if year < 0 { year + 1 } else { year } as i32;
                let max = chrono::NaiveDate::from_ymd_opt(astronomical, m, 1)
                    .unwrap()
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap()
                    .pred_opt()
                    .unwrap()
                    .format("%d")
                    .to_string()
                    .parse::<u32>()
                    .unwrap();
                let day = format!("{written}-{m:02}-{:02}", d.min(max));
                let (c, hh, mm, ss) = clock;
                match c {
                    3 if q.is_empty() => format!("{day}T{hh:02}:{mm:02}"),
                    4 if q.is_empty() => format!("{day}T{hh:02}:{mm:02}:{ss:02}Z"),
                    5 if q.is_empty() => format!("{day}T{hh:02}:{mm:02}+09:00"),
                    _ => format!("{day}{q}"),
                }
            }
        }
    });
    (point.clone(), proptest::option::of(point), 0usize..12).prop_map(|(a, b, open)| match b {
        // An open or unknown end (`2024-07/..`, `../1950`, `2024-07/`, `/1950`).
        _ if open == 8 => format!("{a}/.."),
        _ if open == 9 => format!("../{a}"),
        _ if open == 10 => format!("{a}/"),
        _ if open == 11 => format!("/{a}"),
        None => a,
        // Whichever way round makes a range that does not end before it starts.
        Some(b) => [format!("{a}/{b}"), format!("{b}/{a}")]
            .into_iter()
            .find(|r| EventDate::parse(r).is_ok())
            .unwrap_or(a),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn accepted_dates_display_and_reparse_to_themselves(text in date_text()) {
        let date = EventDate::parse(&text).unwrap();
        let canonical = date.to_string();
        prop_assert_eq!(&canonical, &text);
        prop_assert_eq!(EventDate::parse(&canonical).unwrap(), date);
        prop_assert!(date.first_day() <= date.last_day());
        prop_assert!(!date.human().is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn the_order_is_total_and_agrees_with_the_dates(
        dates in proptest::collection::vec(date_text(), 1..12),
        seed in any::<u64>(),
    ) {
        let site = tempfile::tempdir().unwrap();
        let content = site.path().join("content");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(content.join("_index.md"), "---\ntitle: Property\nas_of: 2010-01-01\n---\n").unwrap();
        // Write the files in a scrambled order: the order must not depend on it.
        let mut order: Vec<usize> = (0..dates.len()).collect();
        let mut s = seed;
        for i in (1..order.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            order.swap(i, (s >> 33) as usize % (i + 1));
        }
        let mut by_anchor = HashMap::new();
        for i in order {
            let name = format!("e{:02}", (i * 7) % 13 + i * 13);
            std::fs::write(
                content.join(format!("{name}.md")),
                format!("---\ntitle: Event {i}\ndate: \"{}\"\n---\nText.\n", dates[i]),
            ).unwrap();
            by_anchor.insert(name, EventDate::parse(&dates[i]).unwrap());
        }
        let rendered = chronicle::render_site(&options(site.path(), &site.path().join("public")))
            .map_err(|e| format!("{e:?}")).unwrap();
        let html = scraper::Html::parse_document(std::str::from_utf8(&rendered.site.files["index.html"]).unwrap());
        let ids: Vec<String> = select(&html, "ol.entries > li")
            .iter().map(|li| li.value().attr("id").unwrap().to_string()).collect();
        prop_assert_eq!(ids.len(), dates.len());
        for pair in ids.windows(2) {
            let (a, b) = (&by_anchor[&pair[0]], &by_anchor[&pair[1]]);
            let key_a = (a.sort_key(), &pair[0]);
            let key_b = (b.sort_key(), &pair[1]);
            prop_assert!(key_a < key_b, "{:?} before {:?}", key_a, key_b);
        }
    }
}

/// YAML double-quoted form of any text.
fn yaml_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn element_count(html: &str) -> usize {
    scraper::Html::parse_document(html)
        .root_element()
        .descendants()
        .filter(|n| n.value().is_element())
        .count()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever text an editor writes in a field, it reaches the page as
    /// text: the page has exactly the elements it has for a plain title,
    /// and the text reads back unchanged.
    #[test]
    fn escaping_never_lets_markup_through(text in "[a-z<>&\"'/=:;! ]{0,30}[a-z<>&\"'/=:;!]") {
        let build = |value: &str| {
            let site = tempfile::tempdir().unwrap();
            let content = site.path().join("content/2024");
            std::fs::create_dir_all(&content).unwrap();
            std::fs::write(site.path().join("content/_index.md"), "---\ntitle: Escaping\n---\n").unwrap();
            let q = yaml_quoted(value);
            std::fs::write(
                content.join("x.md"),
                format!("---\ntitle: {q}\ndate: 2024\nsummary: {q}\nlocation: {q}\nparticipants: [{q}]\ntags: [{q}]\nseries: {q}\nsources:\n  - title: {q}\n    publisher: {q}\n---\nBody.\n"),
            ).unwrap();
            let rendered = chronicle::render_site(&options(site.path(), &site.path().join("public")))
                .map_err(|e| format!("{e:?}")).unwrap();
            rendered.site.files.iter()
                .filter(|(k, _)| k.ends_with(".html") && !k.starts_with("participants/") && !k.starts_with("places/") && !k.starts_with("tags/") && !k.starts_with("series/"))
                .map(|(k, v)| (k.clone(), String::from_utf8(v.clone()).unwrap()))
                .collect::<Vec<_>>()
        };
        let plain = build("plain");
        let hostile = build(&text);
        prop_assert_eq!(plain.len(), hostile.len());
        for ((path, a), (_, b)) in plain.iter().zip(&hostile) {
            prop_assert_eq!(element_count(a), element_count(b), "{} gained or lost elements", path);
        }
        let article = &hostile.iter().find(|(k, _)| k == "2024/x/index.html").unwrap().1;
        let doc = scraper::Html::parse_document(article);
        let expected = text.trim().to_string();
        prop_assert_eq!(one_text(&doc, "h1"), expected.split_whitespace().collect::<Vec<_>>().join(" "));
    }
}

proptest! {
    /// A title `chronicle new` quotes for YAML reads back as itself, whatever
    /// it holds: quotes, colons, `#`, brackets, control characters, any script.
    #[test]
    fn quoted_yaml_text_reads_back_as_itself(text in "\\PC{0,40}|[\"'\\\\:#\\[\\]{}\\t\\n\\r\u{85}\u{2028}é日本]{0,20}") {
        let yaml = format!("title: {}\n", chronicle::content::yaml::quote(&text));
        let node = chronicle::content::yaml::parse(&yaml).expect("valid YAML");
        let chronicle::content::yaml::Value::Map(entries) = node.value else {
            panic!("not a map: {yaml}");
        };
        prop_assert_eq!(&entries[0].value.value, &chronicle::content::yaml::Value::Str(text.clone()), "{}", yaml);
    }
}
