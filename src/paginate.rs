//! Splitting a chronological listing into pages a reader can open: whole
//! years to a page while they fit, a year too large for one page by
//! months, a month too large by parts; never more than the page size.
//!
//! A page is named by the span it holds (`1990-to-1994`, `2024-03`,
//! `2024-03-part-2`), not by a number, so adding an article changes the
//! names of at most the pages around it, and a link to a page keeps
//! meaning the same years.

use crate::i18n::Language;

/// Where an entry falls: the year and month of the first day it can denote.
pub type Key = (i64, u32);

/// One page of a listing: the positions it holds and what it is called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// Positions in the listing, in order.
    pub range: std::ops::Range<usize>,
    /// `1990-to-1994`, `2023`, `2024-01-to-2024-03`, `2024-03-part-2`.
    pub span: String,
    /// For readers: "1990–1994", "2023", "January 2024 – March 2024",
    /// "March 2024 (part 2)".
    pub label: String,
    /// The first year the page holds (for the year bar).
    pub first_year: i64,
}

/// A unit that is never split across pages unless it alone is too big.
#[derive(Debug, Clone)]
struct Unit {
    range: std::ops::Range<usize>,
    name: String,
    label: String,
    year: i64,
    /// A whole year, not a month or a part of one.
    whole_year: bool,
}

/// Splits a listing whose entries fall at `keys` (in order) into pages of
/// at most `limit` entries, labelled in `language`. A listing that fits is
/// one page.
pub fn paginate(keys: &[Key], limit: usize, language: &Language) -> Vec<Chunk> {
    let limit = limit.max(1);
    let mut units = Vec::new();
    for (year, range) in runs(keys, |k| k.0) {
        if range.len() <= limit {
            units.push(Unit {
                range,
                name: crate::date::year_slug(year),
                label: language.year(year),
                year,
                whole_year: true,
            });
            continue;
        }
        let month_label = |m: u32| language.month_year(year, m);
        // A year too large for a page: by months.
        for (month, months) in runs(&keys[range.clone()], |k| k.1) {
            let months = (range.start + months.start)..(range.start + months.end);
            let name = format!("{}-{month:02}", crate::date::year_slug(year));
            if months.len() <= limit {
                units.push(unit(months, name, month_label(month), year));
                continue;
            }
            // A month too large for a page: by parts.
            let parts = months.len().div_ceil(limit);
            for part in 0..parts {
                let start = months.start + part * limit;
                let end = (start + limit).min(months.end);
                let (name, label) = if part == 0 {
                    (name.clone(), month_label(month))
                } else {
                    (
                        format!("{name}-part-{}", part + 1),
                        language.fill(
                            "page-part",
                            &[
                                ("label", &month_label(month)),
                                ("n", &(part + 1).to_string()),
                            ],
                        ),
                    )
                };
                units.push(unit(start..end, name, label, year));
            }
        }
    }
    pack(units, limit)
}

fn unit(range: std::ops::Range<usize>, name: String, label: String, year: i64) -> Unit {
    Unit {
        range,
        name,
        label,
        year,
        whole_year: false,
    }
}

/// Runs of equal `key` among `keys`, with their ranges.
fn runs<K: PartialEq + Copy>(
    keys: &[Key],
    key: impl Fn(&Key) -> K,
) -> Vec<(K, std::ops::Range<usize>)> {
    let mut out: Vec<(K, std::ops::Range<usize>)> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        match out.last_mut() {
            Some((current, range)) if *current == key(k) => range.end = i + 1,
            _ => out.push((key(k), i..i + 1)),
        }
    }
    out
}

/// Packs units into pages, greedily, each page at most `limit` entries.
fn pack(units: Vec<Unit>, limit: usize) -> Vec<Chunk> {
    let mut pages: Vec<(Unit, Unit)> = Vec::new();
    for u in units {
        match pages.last_mut() {
            Some((first, last)) if u.range.end - first.range.start <= limit => *last = u,
            _ => pages.push((u.clone(), u)),
        }
    }
    pages
        .into_iter()
        .map(|(first, last)| {
            let single = first.name == last.name;
            Chunk {
                range: first.range.start..last.range.end,
                span: if single {
                    first.name.clone()
                } else {
                    format!("{}-to-{}", first.name, last.name)
                },
                label: if single {
                    first.label.clone()
                } else if first.whole_year && last.whole_year {
                    format!("{}–{}", first.label, last.label)
                } else {
                    format!("{} – {}", first.label, last.label)
                },
                first_year: first.year,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(spec: &[(i64, u32, usize)]) -> Vec<Key> {
        spec.iter()
            .flat_map(|&(y, m, n)| std::iter::repeat_n((y, m), n))
            .collect()
    }

    fn spans(chunks: &[Chunk]) -> Vec<(&str, usize)> {
        chunks
            .iter()
            .map(|c| (c.span.as_str(), c.range.len()))
            .collect()
    }

    #[test]
    fn whole_years_to_a_page_while_they_fit() {
        let k = keys(&[(1990, 1, 2), (1991, 5, 2), (1992, 1, 1), (1994, 3, 3)]);
        assert_eq!(
            spans(&paginate(&k, 100, &Language::english())),
            [("1990-to-1994", 8)]
        );
        assert_eq!(
            spans(&paginate(&k, 4, &Language::english())),
            [("1990-to-1991", 4), ("1992-to-1994", 4)]
        );
    }

    #[test]
    fn a_year_too_big_splits_by_month_and_a_month_by_parts() {
        let k = keys(&[
            (2023, 1, 1),
            (2024, 1, 2),
            (2024, 2, 2),
            (2024, 3, 7),
            (2025, 1, 1),
        ]);
        assert_eq!(
            spans(&paginate(&k, 4, &Language::english())),
            [
                ("2023-to-2024-01", 3),
                ("2024-02", 2),
                ("2024-03", 4),
                ("2024-03-part-2-to-2025", 4),
            ]
        );
    }

    #[test]
    fn pages_cover_everything_in_order_and_never_exceed_the_limit() {
        let k = keys(&[(2000, 1, 13), (2001, 2, 1), (2001, 3, 30), (2002, 1, 5)]);
        for limit in 1..40 {
            let chunks = paginate(&k, limit, &Language::english());
            let mut next = 0;
            for c in &chunks {
                assert_eq!(c.range.start, next);
                assert!(
                    !c.range.is_empty() && c.range.len() <= limit,
                    "{limit}: {c:?}"
                );
                next = c.range.end;
            }
            assert_eq!(next, k.len());
        }
        assert!(paginate(&[], 10, &Language::english()).is_empty());
    }
}
