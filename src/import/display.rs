//! What a TimelineJS `display_date` says beyond the date itself.
//!
//! Where chronicle would show the same words for the date written, it says
//! nothing more and is dropped. chronicle's own `timeline.json` writes its
//! human date, with " (postponed)" or " (cancelled)" after it: the status
//! comes back from those words, and a date whose words only a richer form
//! gives ("c. July 2024", "since 2019", "2010s") comes back in that form.
//! Any other display date is kept as the article's last line.

use crate::date::EventDate;

/// What became of a display date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Display {
    /// The date to write: the one given, or the richer form its words name.
    pub date: String,
    /// `postponed` or `cancelled`, when the words say so.
    pub status: Option<&'static str>,
    /// The words, when they say more than chronicle shows.
    pub kept: Option<String>,
}

/// chronicle's words after a date that is not simply held; a planned or
/// expected event's status follows its date, so it is not written.
const STATUS_WORDS: [(&str, Option<&str>); 4] = [
    (" (postponed)", Some("postponed")),
    (" (cancelled)", Some("cancelled")),
    (" (planned)", None),
    (" (expected)", None),
];

/// Reads `display` against the date written as `date`.
pub fn read(date: &str, display: Option<&str>) -> Display {
    let same = Display {
        date: date.to_string(),
        status: None,
        kept: None,
    };
    let Some(display) = display.map(str::trim).filter(|d| !d.is_empty()) else {
        return same;
    };
    let (words, status) = STATUS_WORDS
        .iter()
        .find_map(|(suffix, status)| display.strip_suffix(suffix).map(|w| (w, *status)))
        .unwrap_or((display, None));
    let human = |text: &str| EventDate::parse(text).ok().map(|d| d.human());
    if human(date).as_deref() == Some(words) {
        return Display { status, ..same };
    }
    match richer_forms(date)
        .into_iter()
        .find(|c| human(c).as_deref() == Some(words))
    {
        Some(richer) => Display {
            date: richer,
            status,
            kept: None,
        },
        None => Display {
            kept: Some(display.to_string()),
            ..same
        },
    }
}

/// The forms chronicle exports as this date's parts alone: qualified,
/// open-ended, or with unspecified digits.
fn richer_forms(date: &str) -> Vec<String> {
    if date.contains('/') {
        return Vec::new();
    }
    let mut forms: Vec<String> = ["~", "?", "%", "/..", "/"]
        .iter()
        .map(|s| format!("{date}{s}"))
        .collect();
    forms.push(format!("../{date}"));
    forms.push(format!("/{date}"));
    if date.len() == 4 && date.bytes().all(|b| b.is_ascii_digit()) {
        if date.ends_with('0') {
            forms.push(format!("{}X", &date[..3]));
        }
        if date.ends_with("00") {
            forms.push(format!("{}XX", &date[..2]));
        }
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_chronicle_would_show_are_dropped() {
        assert_eq!(read("2023-08-18", Some("18 August 2023")).kept, None);
        assert_eq!(read("2024-07", Some("July 2024 (planned)")).kept, None);
        let d = read("2024-07", Some("July 2024 (postponed)"));
        assert_eq!((d.status, d.kept), (Some("postponed"), None));
        assert_eq!(read("2024", None), read("2024", Some("  ")));
    }

    #[test]
    fn a_richer_form_comes_back() {
        assert_eq!(read("2024-07", Some("since July 2024")).date, "2024-07/..");
        assert_eq!(read("2010", Some("2010s")).date, "201X");
    }

    #[test]
    fn other_words_are_kept() {
        let d = read("1066-03", Some("Spring 1066"));
        assert_eq!(
            (d.date.as_str(), d.kept.as_deref()),
            ("1066-03", Some("Spring 1066"))
        );
    }
}
