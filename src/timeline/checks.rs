//! What ordering the timeline finds wrong in its content, as diagnostics
//! located in the articles' files (or the registries): two articles with
//! one id, a `related` id that names no article (or the article itself),
//! more names than get pages, a status the dates contradict, an image that
//! is not there, a name a registry lacks (or a record no article names),
//! two spellings that share a term's page, and a name whose ASCII slug
//! would read its kanji as Chinese. Each reports and the build goes on.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use foldhash::HashSet;

use super::{Entry, MAX_NAMES, Term};
use crate::content::Texts;
use crate::date::{Day, EventDate};
use crate::diagnostics::{Code, Diagnostic, LineIndex, Location, did_you_mean};
use crate::files::to_slash;
use crate::model::{Article, Located, Registry, Status, Taxonomy};

pub(super) fn check_duplicate_ids(articles: &[Arc<Article>], diagnostics: &mut Vec<Diagnostic>) {
    let mut by_id: BTreeMap<&str, Vec<&Article>> = BTreeMap::new();
    for a in articles {
        by_id.entry(&a.id).or_default().push(a.as_ref());
    }
    for (id, group) in by_id.into_iter().filter(|(_, g)| g.len() > 1) {
        for a in &group {
            let others: Vec<String> = group
                .iter()
                .filter(|o| o.path != a.path)
                .map(|o| o.path.display().to_string())
                .collect();
            let message = format!(
                "two articles have the id `{id}`: this file and {}",
                others.join(", ")
            );
            diagnostics.push(
                Diagnostic::error(Code::DuplicateId, &a.path, message)
                    .at(a.id_location.clone())
                    .hint("each article needs its own page: change `slug:` or rename one of the files"),
            );
        }
    }
}

/// Every id in `related` must be another published article.
pub(super) fn check_related(
    articles: &[Arc<Article>],
    texts: &Texts,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let known: HashSet<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    let known_ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    for a in articles {
        let text = std::cell::OnceCell::new();
        let mut suggested = 0;
        for related in &a.related {
            let (code, message) = if related.value == a.id {
                (
                    Code::RelatedSelf,
                    format!("`related` lists the article itself ({})", a.id),
                )
            } else if known.contains(related.value.as_str()) {
                continue;
            } else {
                (
                    Code::UnknownRelated,
                    format!("`related`: there is no article with id `{}`", related.value),
                )
            };
            // Suggestions compare with every id: a few per article suffice.
            suggested += 1;
            let suggestion = (suggested <= 20 && code == Code::UnknownRelated)
                .then(|| did_you_mean(&related.value, &known_ids))
                .flatten();
            let hint = suggestion.map_or_else(
                || "an id is the article's path under content/ without `.md`, e.g. 2023/camp-david-summit".to_string(),
                |k| format!("did you mean `{k}`?"),
            );
            let location = text
                .get_or_init(|| texts.read(a).ok())
                .as_deref()
                .map(|text| related.pos.locate(&LineIndex::new(text)));
            diagnostics.push(
                Diagnostic::error(code, &a.path, message)
                    .at(location)
                    .hint(hint),
            );
        }
    }
}

/// More names than get pages is a warning at the first one left out.
pub(super) fn check_name_counts(
    article: &Article,
    texts: &Texts,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (taxonomy, key) in [
        (Taxonomy::Participants, "participants"),
        (Taxonomy::Tags, "tags"),
    ] {
        let names = article.names(taxonomy);
        let Some(first_left_out) = names.get(MAX_NAMES) else {
            continue;
        };
        let message = format!(
            "`{key}` lists {} names; only the first {MAX_NAMES} get pages of their own, the rest are shown as text",
            names.len()
        );
        let location = texts.locate(article, first_left_out.pos);
        diagnostics.push(
            Diagnostic::warning(Code::TooManyNames, &article.path, message)
                .at(location)
                .hint("keep the people and topics the event is about here; a long list belongs in the body or a source"),
        );
    }
}

/// The size of an article's image in `static/`, read from the file; an
/// image that is not there, or whose size cannot be read, is an error.
pub(super) fn media_size(
    article: &Article,
    texts: &Texts,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(u32, u32)> {
    let media = article.media.as_ref()?;
    let rel = media.local_path()?;
    let problem = match crate::files::image_size(texts.root(), rel) {
        crate::files::ImageSize::Known(w, h) => return Some((w, h)),
        crate::files::ImageSize::Missing => format!("the image `static/{rel}` does not exist"),
        crate::files::ImageSize::Unreadable => format!(
            "the size of `static/{rel}` cannot be read: it is not a PNG, JPEG, GIF or WebP image"
        ),
    };
    diagnostics.push(
        Diagnostic::error(Code::MediaMissing, &article.path, problem)
            .at(texts.locate(article, media.src.pos))
            .hint("put the image in the site's static/ folder and write its path there, e.g. `src: images/photo.jpg`"),
    );
    None
}

/// A status that contradicts the date and the as-of date is a warning.
pub(super) fn check_status(article: &Article, as_of: NaiveDate, diagnostics: &mut Vec<Diagnostic>) {
    let mismatch = match article.status {
        Some(Status::Planned) => article.date.last_day() < Day::from(as_of),
        Some(Status::Held) => article.date.first_day() > Day::from(as_of),
        _ => false,
    };
    if !mismatch {
        return;
    }
    let when = article.date.human();
    let as_of_text = EventDate::day(as_of).human();
    let (message, hint) = match article.status {
        Some(Status::Planned) => (
            format!(
                "`status: planned`, but {when} is entirely before the as-of date, {as_of_text}"
            ),
            "say what happened: `held`, `postponed` or `cancelled`",
        ),
        _ => (
            format!("`status: held`, but {when} is after the as-of date, {as_of_text}"),
            "an event still to come is `planned`; check the date or the as-of date",
        ),
    };
    let location = article
        .status_location
        .clone()
        .or_else(|| article.date_location.clone());
    diagnostics.push(
        Diagnostic::warning(Code::StatusMismatch, &article.path, message)
            .at(location)
            .hint(hint),
    );
}

/// With a registry: a name articles use that it lacks is a warning (with
/// the closest registered name), and so is a record no article uses.
pub(super) fn check_registry(
    entries: &[Entry],
    taxonomy: Taxonomy,
    registry: &Registry,
    terms: &[Term],
    texts: &Texts,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let names: Vec<&str> = registry.records.iter().map(|r| r.name.as_str()).collect();
    let registered: HashSet<&str> = names.iter().copied().collect();
    let mut warned: HashSet<&str> = HashSet::default();
    for e in entries {
        for name in e.article.names(taxonomy).iter().take(MAX_NAMES) {
            if registered.contains(name.value.as_str()) || !warned.insert(name.value.as_str()) {
                continue;
            }
            let file = to_slash(&registry.path);
            let mut d = Diagnostic::warning(
                Code::UnregisteredName,
                &e.article.path,
                format!("“{}” is not in {file}", name.value),
            )
            .at(texts.locate(&e.article, name.pos));
            d.hint = Some(match closest_name(&name.value, &names) {
                Some(close) => {
                    format!("did you mean “{close}”? Otherwise add a record for it to {file}")
                }
                None => format!("add a record for it to {file}"),
            });
            diagnostics.push(d);
        }
    }
    let used: HashSet<usize> = terms.iter().filter_map(|t| t.record).collect();
    for (i, record) in registry.records.iter().enumerate() {
        if !used.contains(&i) {
            diagnostics.push(
                Diagnostic::warning(
                    Code::UnusedRecord,
                    &registry.path,
                    format!("no article names “{}”", record.name),
                )
                .at(Some(record.location.clone()))
                .hint(format!(
                    "check the spelling against the articles' `{}`, or remove the record",
                    if taxonomy == Taxonomy::Places {
                        "location"
                    } else {
                        "participants"
                    }
                )),
            );
        }
    }
}

/// The registered name closest to `name`: the same letters and digits
/// in any case and punctuation ("Yoon Suk-yeol", "Yoon Suk Yeol"), else
/// the most alike by Jaro–Winkler, if alike enough.
fn closest_name<'n>(name: &str, names: &[&'n str]) -> Option<&'n str> {
    let bare = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = bare(name);
    if let Some(same) = names.iter().find(|n| bare(n) == wanted) {
        return Some(same);
    }
    names
        .iter()
        .map(|n| (strsim::jaro_winkler(&wanted, &bare(n)), *n))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}

pub(super) fn spelling_warning(
    a: &Article,
    taxonomy: Taxonomy,
    name: &str,
    location: Option<Location>,
    term: &Term,
) -> Diagnostic {
    Diagnostic::warning(
        Code::TermSpelling,
        &a.path,
        format!(
            "“{name}” and “{}” are spelt differently but share one {} page",
            term.name,
            taxonomy.singular().to_lowercase()
        ),
    )
    .at(location)
    .hint(format!("write “{}” everywhere", term.name))
}

/// Whether a name's ASCII slug would read it as Chinese: it has kanji
/// (CJK ideographs) and no kana, so it is Japanese written in kanji alone
/// (岸田文雄), or Chinese; a transliteration reads every ideograph in
/// Mandarin (`an-tian-wen-xiong`). A name with kana is surely Japanese and
/// its kanji are read as Chinese all the same, but its kana at least are
/// read right; the warning is for the names that come out wholly wrong.
pub fn chinese_reading(name: &str) -> bool {
    let kanji = |c: char| matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}');
    let kana = |c: char| matches!(c, '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}');
    name.chars().any(kanji) && !name.chars().any(kana)
}

/// The warning for a name whose ASCII slug reads its kanji as Chinese.
pub(super) fn check_reading(
    a: &Article,
    name: &Located<String>,
    slug: &str,
    texts: &Texts,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if !chinese_reading(&name.value) {
        return;
    }
    let location = texts.locate(a, name.pos);
    diagnostics.push(reading_warning(a, &name.value, slug, location));
}

fn reading_warning(a: &Article, name: &str, slug: &str, location: Option<Location>) -> Diagnostic {
    Diagnostic::warning(
        Code::SlugReading,
        &a.path,
        format!("“{name}” is slugged as `{slug}`, a Chinese reading of its kanji"),
    )
    .at(location)
    .hint(
        "give it a `slug` in content/_people.yaml or content/_places.yaml, \
         or set `slug_style: unicode` in content/_index.md",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::testing::{article, order};

    /// Where a diagnostic points: its line and column.
    fn at(d: &Diagnostic) -> Option<(usize, usize)> {
        d.location.as_ref().map(|l| (l.line, l.col))
    }

    #[test]
    fn a_duplicate_id_is_an_error_in_each_file_at_what_gives_the_id() {
        let site = order(
            &[
                ("2023/a.md", &article("date: 2023-05-01")),
                ("2023/b.md", &article("date: 2023-05-02\nslug: a")),
            ],
            "2024-01-01",
        );
        let found = site.found(Code::DuplicateId);
        assert_eq!(found.len(), 2, "{:#?}", site.diagnostics);
        assert!(found.iter().all(|d| d.is_error()));
        let b = found
            .iter()
            .find(|d| d.path.ends_with("b.md"))
            .expect("b.md's");
        // `slug: a` on line 4: its value, at column 7.
        assert_eq!(at(b), Some((4, 7)));
        assert!(b.message.contains("`2023/a`"), "{}", b.message);
        assert!(b.message.contains("content/2023/a.md"), "{}", b.message);
    }

    #[test]
    fn a_related_id_must_name_another_article_with_a_suggestion() {
        let site = order(
            &[
                ("camp-david-summit.md", &article("date: 2023-08-18")),
                (
                    "later.md",
                    &article("date: 2023-09-01\nrelated: [camp-david-sumit, later]"),
                ),
            ],
            "2024-01-01",
        );
        let unknown = site.found(Code::UnknownRelated);
        assert_eq!(unknown.len(), 1, "{:#?}", site.diagnostics);
        assert_eq!(at(unknown[0]), Some((4, 11)));
        let hint = unknown[0].hint.as_deref();
        assert_eq!(hint, Some("did you mean `camp-david-summit`?"));
        let own = site.found(Code::RelatedSelf);
        assert_eq!(own.len(), 1);
        assert_eq!(at(own[0]), Some((4, 29)));
    }

    #[test]
    fn a_status_is_checked_against_the_as_of_date() {
        let files = [
            ("planned.md", article("date: 2024-03-01\nstatus: planned")),
            ("held.md", article("date: 2024-05-01\nstatus: held")),
        ];
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        let mismatched = |as_of: &str| -> Vec<(String, Option<(usize, usize)>)> {
            let site = order(&files, as_of);
            (site.found(Code::StatusMismatch).into_iter())
                .map(|d| (crate::files::to_slash(&d.path), at(d)))
                .collect()
        };
        // Before both: the planned event is still to come, the held is not.
        assert_eq!(
            mismatched("2024-02-01"),
            [("content/held.md".to_string(), Some((4, 9)))]
        );
        assert_eq!(
            mismatched("2024-04-01"),
            [
                ("content/planned.md".to_string(), Some((4, 9))),
                ("content/held.md".to_string(), Some((4, 9)))
            ]
        );
        assert_eq!(
            mismatched("2024-06-01"),
            [("content/planned.md".to_string(), Some((4, 9)))]
        );
    }

    #[test]
    fn more_names_than_get_pages_is_a_warning_at_the_first_left_out() {
        let names: Vec<String> = (0..=MAX_NAMES).map(|i| format!("P{i}")).collect();
        let front = format!(
            "date: 2023-01-01\nparticipants:\n  - {}",
            names.join("\n  - ")
        );
        let site = order(&[("crowd.md", &article(&front))], "2024-01-01");
        let found = site.found(Code::TooManyNames);
        assert_eq!(found.len(), 1);
        // Line 4 is `participants:`, the names from line 5 on.
        assert_eq!(at(found[0]), Some((5 + MAX_NAMES, 5)));
        let terms = site.timeline.terms(Taxonomy::Participants);
        assert_eq!(terms.len(), MAX_NAMES);
    }

    #[test]
    fn an_image_that_is_not_there_is_an_error_at_its_src() {
        let front = "date: 2023-01-01\nmedia:\n  src: images/gone.png\n  alt: Nothing";
        let site = order(&[("pictured.md", &article(front))], "2024-01-01");
        let found = site.found(Code::MediaMissing);
        assert_eq!(found.len(), 1);
        assert!(found[0].is_error());
        assert_eq!(at(found[0]), Some((5, 8)));
        assert_eq!(site.timeline.entries[0].media_size, None);
    }

    #[test]
    fn a_misspelt_registered_name_is_told_the_registered_one() {
        let people = "- name: Yoon Suk Yeol\n- name: Fumio Kishida\n- name: Nobody Named\n";
        let site = order(
            &[
                ("_people.yaml", people),
                (
                    "a.md",
                    &article("date: 2023-01-01\nparticipants: [Yoon Suk-yeol]"),
                ),
                (
                    "b.md",
                    &article("date: 2023-02-01\nparticipants: [Fumio Kishda]"),
                ),
                (
                    "c.md",
                    &article("date: 2022-03-01\nparticipants: [Yoon Suk Yeol, Fumio Kishida]"),
                ),
            ],
            "2024-01-01",
        );
        let hints: Vec<(Option<(usize, usize)>, &str)> = (site.found(Code::UnregisteredName))
            .into_iter()
            .map(|d| (at(d), d.hint.as_deref().unwrap_or("")))
            .collect();
        let add = "Otherwise add a record for it to content/_people.yaml";
        assert_eq!(
            hints,
            [
                (
                    Some((4, 16)),
                    &*format!("did you mean “Yoon Suk Yeol”? {add}")
                ),
                (
                    Some((4, 16)),
                    &*format!("did you mean “Fumio Kishida”? {add}")
                ),
            ]
        );
        let unused = site.found(Code::UnusedRecord);
        assert_eq!(unused.len(), 1);
        assert_eq!(unused[0].message, "no article names “Nobody Named”");
        assert_eq!(at(unused[0]), Some((3, 9)));
    }

    #[test]
    fn the_closest_name_is_the_same_letters_else_the_most_alike() {
        let names = ["Yoon Suk Yeol", "Fumio Kishida", "Joe Biden"];
        assert_eq!(closest_name("yoon suk-yeol", &names), Some("Yoon Suk Yeol"));
        assert_eq!(closest_name("Fumio Kishda", &names), Some("Fumio Kishida"));
        assert_eq!(closest_name("Xi Jinping", &names), None);
    }

    #[test]
    fn two_spellings_of_one_slug_warn_at_the_later_one() {
        let site = order(
            &[
                ("a.md", &article("date: 2023-01-01\ntags: [Trade Policy]")),
                ("b.md", &article("date: 2023-02-01\ntags: [trade policy]")),
            ],
            "2024-01-01",
        );
        let found = site.found(Code::TermSpelling);
        assert_eq!(found.len(), 1);
        assert!(found[0].path.ends_with("b.md"));
        assert_eq!(at(found[0]), Some((4, 8)));
        assert_eq!(
            found[0].hint.as_deref(),
            Some("write “Trade Policy” everywhere")
        );
    }

    #[test]
    fn a_name_in_kanji_alone_is_read_as_chinese() {
        assert!(chinese_reading("岸田文雄"));
        assert!(chinese_reading("习近平"));
        assert!(!chinese_reading("きしだ ふみお"));
        assert!(!chinese_reading("岸田ふみお"));
        assert!(!chinese_reading("Kishida"));
        let site = order(
            &[(
                "a.md",
                &article("date: 2023-01-01\nparticipants: [岸田文雄, 윤석열]"),
            )],
            "2024-01-01",
        );
        let found = site.found(Code::SlugReading);
        assert_eq!(found.len(), 1, "{:#?}", site.diagnostics);
        assert_eq!(at(found[0]), Some((4, 16)));
        assert!(
            found[0].message.contains("`an-tian-wen-xiong`"),
            "{}",
            found[0].message
        );
    }
}
