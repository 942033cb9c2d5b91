//! Inline citations in bodies: `[@K2]`, `[@K2; @W1]`, `[@F1, p. 3]`,
//! Pandoc's syntax. Each names a source the page lists or the site's
//! `content/_sources.yaml` holds; sources are numbered as they are first
//! cited, and each citation links to its numbered source in the page's
//! list (which links back). Also what a page owes its readers: every
//! listed source cited, and, with `require_citations`, every paragraph that
//! states a date or a number citing something.

use crate::diagnostics::Location;
use crate::model::Pos;

/// What a body may cite, given by the page it belongs to.
pub struct Cite<'a> {
    /// The title of the source an id names (the page's own, else the
    /// site's), if one does.
    pub title: &'a dyn Fn(&str) -> Option<String>,
    /// Every id the page may cite, for "did you mean".
    pub ids: Vec<&'a str>,
    /// The page's own sources: its id (if any) and where it is written.
    pub listed: Vec<(Option<&'a str>, Pos)>,
    /// Whether a paragraph that states a date or a number must cite.
    pub require: bool,
    /// The page's address, so a citation's link holds in a feed too.
    pub page_url: &'a str,
    /// A citation link's accessible name, in the page's language, with
    /// `{number}` and `{title}` (the catalogue's `citation-label`).
    pub label: &'a str,
}

/// One cited source within a citation: its id and locator (`p. 3`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cited<'t> {
    pub id: &'t str,
    pub locator: Option<&'t str>,
    /// Byte offset of the `@` within the text searched.
    pub at: usize,
}

/// A citation found in a text: where it starts and ends (bytes), and the
/// sources it cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation<'t> {
    pub start: usize,
    pub end: usize,
    pub cited: Vec<Cited<'t>>,
}

/// The first citation in `text` at or after `from`, if there is one.
/// `[@` that does not make a whole citation (`[@ x]`, no `]`) is text.
pub fn find(text: &str, from: usize) -> Option<Citation<'_>> {
    let mut search = from;
    while let Some(at) = text.get(search..)?.find("[@") {
        let start = search + at;
        if let Some(found) = parse_at(text, start) {
            return Some(found);
        }
        search = start + 2;
    }
    None
}

fn parse_at(text: &str, start: usize) -> Option<Citation<'_>> {
    let end = start + text[start..].find(']')?;
    let inner = &text[start + 1..end];
    if inner.contains('[') {
        return None;
    }
    let mut cited = Vec::new();
    let mut offset = start + 1;
    for part in inner.split(';') {
        let lead = part.len() - part.trim_start().len();
        let part_trimmed = part.trim();
        let rest = part_trimmed.strip_prefix('@')?;
        let id_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let id = &rest[..id_len];
        if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let after = rest[id_len..].trim();
        let locator = match after.strip_prefix(',') {
            Some(l) if !l.trim().is_empty() => Some(l.trim()),
            None if after.is_empty() => None,
            _ => return None,
        };
        cited.push(Cited {
            id,
            locator,
            at: offset + lead,
        });
        offset += part.len() + 1;
    }
    Some(Citation {
        start,
        end: end + 1,
        cited,
    })
}

/// Whether a text states a date or a number: a digit, or an English
/// month's name as a word.
pub fn states_a_date_or_number(text: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    text.bytes().any(|b| b.is_ascii_digit())
        || text
            .split(|c: char| !c.is_alphabetic())
            .any(|w| MONTHS.contains(&w))
}

/// A paragraph or list item being read: where it starts, and whether it
/// states a date or a number and cites anything.
#[derive(Debug, Clone, Copy)]
pub struct Block {
    pub start: usize,
    pub states: bool,
    pub cites: bool,
}

/// The location of a `Pos` in the file, for the warnings at a source.
pub fn locate(pos: Pos, index: &crate::diagnostics::LineIndex<'_>) -> Location {
    pos.locate(index)
}

/// The citation's HTML: each source's number linking to it in the list.
/// `numbered` gives each id its number and the id of this citation's
/// anchor.
pub fn html(
    citation: &Citation<'_>,
    cite: &Cite<'_>,
    mut numbered: impl FnMut(&str) -> (usize, String),
) -> String {
    let mut out = String::from("<sup class=\"citation\">[");
    for (i, cited) in citation.cited.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        let (number, anchor) = numbered(cited.id);
        let title = (cite.title)(cited.id).unwrap_or_default();
        let label = crate::i18n::fill(
            cite.label,
            &[("number", &number.to_string()), ("title", &title)],
        );
        out.push_str(&format!(
            "<a href=\"{}#source-{number}\" id=\"{anchor}\" aria-label=\"{}\">{number}</a>",
            escape(cite.page_url),
            escape(&label)
        ));
        if let Some(locator) = cited.locator {
            out.push_str(", ");
            out.push_str(&escape(locator));
        }
    }
    out.push_str("]</sup>");
    out
}

/// `&`, `<`, `>` and `"` escaped, for text and double-quoted attributes.
fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    html_escape::encode_double_quoted_attribute(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pandoc_citations() {
        let text = "Met [@K2]; agreed [@K2; @W1, p. 3], and [@F1, pp. 2–4].";
        let first = find(text, 0).unwrap();
        assert_eq!(&text[first.start..first.end], "[@K2]");
        assert_eq!(first.cited[0].id, "K2");
        assert_eq!(&text[first.cited[0].at..first.cited[0].at + 3], "@K2");
        let second = find(text, first.end).unwrap();
        let ids: Vec<_> = second.cited.iter().map(|c| (c.id, c.locator)).collect();
        assert_eq!(ids, [("K2", None), ("W1", Some("p. 3"))]);
        assert_eq!(&text[second.cited[1].at..second.cited[1].at + 3], "@W1");
        let third = find(text, second.end).unwrap();
        assert_eq!(third.cited[0].locator, Some("pp. 2–4"));
        assert!(find(text, third.end).is_none());
    }

    #[test]
    fn what_is_not_a_citation_stays_text() {
        for text in [
            "[@ K2]",
            "[@K2",
            "[@2x]",
            "mail [@K2 x]",
            "[@K2,]",
            "[see @K2]",
            "[@é]",
        ] {
            assert!(find(text, 0).is_none(), "{text}");
        }
        // A later citation is still found.
        assert_eq!(find("[@ x] then [@A1]", 0).unwrap().cited[0].id, "A1");
    }

    #[test]
    fn dates_and_numbers_are_statements() {
        assert!(states_a_date_or_number("It met in 2023."));
        assert!(states_a_date_or_number("It met in August."));
        assert!(!states_a_date_or_number("It may meet again."));
        assert!(!states_a_date_or_number("The leaders met."));
    }
}
