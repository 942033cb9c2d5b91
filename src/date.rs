//! Event dates: a year, a month or a day, or an interval of two of those, each
//! optionally qualified as uncertain or approximate (EDTF level 1 syntax).
//!
//! A news timeline knows some dates only to the month ("July 2024") and must
//! never invent the rest. So a date here is a calendar range, not an instant:
//! it is never turned into a time in some zone, it displays at exactly the
//! precision it was written with, and it sorts by the first and the last day it
//! can denote.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How much of a single date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// EDTF qualifiers: `?` uncertain, `~` approximate, `%` both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Qualifier {
    #[default]
    None,
    Uncertain,
    Approximate,
    Both,
}

impl Qualifier {
    fn suffix(self) -> &'static str {
        match self {
            Qualifier::None => "",
            Qualifier::Uncertain => "?",
            Qualifier::Approximate => "~",
            Qualifier::Both => "%",
        }
    }

    fn is_approximate(self) -> bool {
        matches!(self, Qualifier::Approximate | Qualifier::Both)
    }

    fn is_uncertain(self) -> bool {
        matches!(self, Qualifier::Uncertain | Qualifier::Both)
    }
}

/// One end of a date: a year, a month of a year, or a day, plus a qualifier.
/// Digits written as `X` (EDTF's unspecified digits): the point is the
/// whole span they leave open, and is written back the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Unspecified {
    #[default]
    None,
    /// `201X`: the decade.
    Decade,
    /// `19XX`: the century.
    Century,
    /// `2023-XX`: the year.
    Month,
    /// `2023-XX-XX`: the year.
    MonthAndDay,
    /// `2023-08-XX`: the month.
    Day,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DatePoint {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
    qualifier: Qualifier,
    unspecified: Unspecified,
}

impl DatePoint {
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (None, _) => Precision::Year,
            (Some(_), None) => Precision::Month,
            (Some(_), Some(_)) => Precision::Day,
        }
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month, when it is known.
    pub fn month(&self) -> Option<u32> {
        self.month
    }

    pub fn day(&self) -> Option<u32> {
        self.day
    }

    pub fn qualifier(&self) -> Qualifier {
        self.qualifier
    }

    /// The first day this point can denote.
    pub fn first_day(&self) -> NaiveDate {
        let date =
            NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1));
        date.expect("validated when parsed")
    }

    /// The last day this point can denote.
    pub fn last_day(&self) -> NaiveDate {
        let last_year = match self.unspecified {
            Unspecified::Decade => self.year + 9,
            Unspecified::Century => self.year + 99,
            _ => self.year,
        };
        match (self.month, self.day) {
            (_, Some(day)) => NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), day),
            (Some(month), None) => {
                NaiveDate::from_ymd_opt(self.year, month, days_in_month(self.year, month))
            }
            (None, None) => NaiveDate::from_ymd_opt(last_year, 12, 31),
        }
        .expect("validated when parsed")
    }

    /// Which digits were written as `X`.
    pub fn unspecified(&self) -> Unspecified {
        self.unspecified
    }

    /// The form HTML's `<time datetime>` accepts: `2024`, `2024-07`, `2023-08-18`.
    pub fn html_datetime(&self) -> String {
        match (self.month, self.day) {
            (None, _) => format!("{:04}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
        }
    }

    /// The human form without qualifier: "2024", "July 2024", "18 August 2023".
    fn plain_human(&self) -> String {
        if matches!(self.unspecified, Unspecified::Decade | Unspecified::Century) {
            return format!("{}s", self.year);
        }
        match (self.month, self.day) {
            (None, _) => self.year.to_string(),
            (Some(m), None) => format!("{} {}", month_name(m), self.year),
            (Some(m), Some(d)) => format!("{d} {} {}", month_name(m), self.year),
        }
    }

    fn qualify(&self, text: String) -> String {
        let mut out = String::new();
        if self.qualifier.is_approximate() {
            out.push_str("c. ");
        }
        out.push_str(&text);
        if self.qualifier.is_uncertain() {
            out.push('?');
        }
        out
    }

    /// The human form: "July 2024", "c. July 2024", "July 2024?".
    pub fn human(&self) -> String {
        self.qualify(self.plain_human())
    }
}

impl fmt::Display for DatePoint {
    /// EDTF, unspecified digits as written: `201X`, `2023-08-XX~`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let written = match self.unspecified {
            Unspecified::None => self.html_datetime(),
            Unspecified::Decade => format!("{:03}X", self.year / 10),
            Unspecified::Century => format!("{:02}XX", self.year / 100),
            Unspecified::Month => format!("{:04}-XX", self.year),
            Unspecified::MonthAndDay => format!("{:04}-XX-XX", self.year),
            Unspecified::Day => format!("{:04}-{:02}-XX", self.year, self.month.unwrap_or(1)),
        };
        write!(f, "{written}{}", self.qualifier.suffix())
    }
}

/// A month of a year in words: "March 2023".
pub fn month_year(year: i32, month: u32) -> String {
    format!("{} {year}", month_name(month))
}

/// The month's English name, from chrono.
fn month_name(month: u32) -> &'static str {
    u8::try_from(month)
        .ok()
        .and_then(|m| chrono::Month::try_from(m).ok())
        .map_or("", |m| m.name())
}

fn days_in_month(year: i32, month: u32) -> u32 {
    u8::try_from(month)
        .ok()
        .and_then(|m| chrono::Month::try_from(m).ok())
        .and_then(|m| m.num_days(year))
        .map_or(31, u32::from)
}

/// An event's date: one point, or an interval `START/END`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventDate {
    /// The start; for a range whose start is open or unknown, the known
    /// end (so the date sorts and groups by what is known).
    start: DatePoint,
    end: Option<DatePoint>,
    open: Open,
}

/// An end of a range that is not a date (EDTF): still going (`2024-07/..`),
/// begun before records (`../1950`), or not known (`2024-07/`, `/1950`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Open {
    /// Both ends known, or a single date.
    #[default]
    None,
    /// `2024-07/..`: since then, and still going.
    Ongoing,
    /// `2024-07/`: began then; its end is not known.
    EndUnknown,
    /// `../1950`: until then, from before anyone says.
    Since,
    /// `/1950`: ended then; its start is not known.
    StartUnknown,
}

/// A date that could not be parsed: what was wrong, and where in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    pub message: String,
    /// Byte offset of the bad part within the parsed text.
    pub offset: usize,
    /// Byte length of the bad part (at least 1 when the text is not empty).
    pub len: usize,
    pub hint: Option<String>,
}

const DATE_FORMS: &str =
    "write the date as 2024, 2024-07 or 2023-08-18, or a range such as 2024-07-09/2024-07-11";

impl EventDate {
    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `START/END`, each part
    /// optionally followed by `?`, `~` or `%`.
    pub fn parse(text: &str) -> Result<EventDate, DateError> {
        let leading = text.len() - text.trim_start().len();
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(DateError {
                message: "the date is empty".into(),
                offset: 0,
                len: text.len(),
                hint: Some(DATE_FORMS.into()),
            });
        }
        match trimmed.split_once('/') {
            None => Ok(EventDate {
                start: parse_point(trimmed, leading)?,
                end: None,
                open: Open::None,
            }),
            Some((start_text, end_text)) => {
                if let Some(open) = open_end(start_text, end_text, leading)? {
                    let (known, offset) = match open {
                        Open::Ongoing | Open::EndUnknown => (start_text, leading),
                        _ => (end_text, leading + start_text.len() + 1),
                    };
                    return Ok(EventDate {
                        start: parse_point(known, offset)?,
                        end: None,
                        open,
                    });
                }
                let start = parse_point(start_text, leading)?;
                let end_offset = leading + start_text.len() + 1;
                let end = parse_point(end_text, end_offset)?;
                if end.last_day() < start.first_day() {
                    return Err(DateError {
                        message: format!(
                            "the range ends ({}) before it starts ({})",
                            end.human(),
                            start.human()
                        ),
                        offset: leading,
                        len: trimmed.len(),
                        hint: Some(format!("did you mean {end_text}/{start_text}?")),
                    });
                }
                Ok(EventDate {
                    start,
                    end: Some(end),
                    open: Open::None,
                })
            }
        }
    }

    /// A single day, at day precision.
    pub fn day(day: NaiveDate) -> EventDate {
        EventDate {
            start: DatePoint {
                year: day.year(),
                month: Some(day.month()),
                day: Some(day.day()),
                qualifier: Qualifier::None,
                unspecified: Unspecified::None,
            },
            end: None,
            open: Open::None,
        }
    }

    /// A year given as a YAML integer (`date: 2024`).
    pub fn from_year(year: i64) -> Result<EventDate, DateError> {
        let text = year.to_string();
        EventDate::parse(&text)
    }

    pub fn start(&self) -> &DatePoint {
        &self.start
    }

    /// Which end of a range is open or unknown, if one is.
    pub fn open(&self) -> Open {
        self.open
    }

    pub fn end(&self) -> Option<&DatePoint> {
        self.end.as_ref()
    }

    /// The first day the date can denote.
    pub fn first_day(&self) -> NaiveDate {
        self.start.first_day()
    }

    /// The last day the date can denote.
    pub fn last_day(&self) -> NaiveDate {
        self.end.as_ref().unwrap_or(&self.start).last_day()
    }

    /// The year an entry is filed under on the timeline: the year it starts.
    pub fn year(&self) -> i32 {
        self.start.year
    }

    /// Whether both ends are known to the day (what a calendar can hold).
    pub fn is_day_precise(&self) -> bool {
        self.open == Open::None
            && self.start.precision() == Precision::Day
            && self.end.is_none_or(|e| e.precision() == Precision::Day)
    }

    /// The machine-readable form for `<time datetime>`; a range gives its start.
    pub fn html_datetime(&self) -> String {
        self.start.html_datetime()
    }

    /// The human form that keeps exactly the precision known:
    /// "2024", "July 2024", "18 August 2023", "9–11 July 2024", "c. July 2024".
    pub fn human(&self) -> String {
        match self.open {
            Open::None => {}
            Open::Ongoing => return format!("since {}", self.start.human()),
            Open::EndUnknown => return format!("{} – ?", self.start.human()),
            Open::Since => return format!("until {}", self.start.human()),
            Open::StartUnknown => return format!("? – {}", self.start.human()),
        }
        let Some(end) = self.end else {
            return self.start.human();
        };
        let start = self.start;
        if start == end {
            return start.human();
        }
        let unqualified = start.qualifier == Qualifier::None && end.qualifier == Qualifier::None;
        if unqualified && start.precision() == end.precision() {
            let same_year = start.year == end.year;
            let same_month = same_year && start.month == end.month;
            match start.precision() {
                Precision::Year => {
                    return format!("{}–{}", start.plain_human(), end.plain_human());
                }
                Precision::Month if same_year => {
                    return format!(
                        "{}–{} {}",
                        month_name(start.month.unwrap_or(1)),
                        month_name(end.month.unwrap_or(1)),
                        end.year
                    );
                }
                Precision::Day if same_month => {
                    return format!(
                        "{}–{} {} {}",
                        start.day.unwrap_or(1),
                        end.day.unwrap_or(1),
                        month_name(end.month.unwrap_or(1)),
                        end.year
                    );
                }
                Precision::Day if same_year => {
                    return format!(
                        "{} {} – {}",
                        start.day.unwrap_or(1),
                        month_name(start.month.unwrap_or(1)),
                        end.plain_human()
                    );
                }
                _ => {}
            }
        }
        format!("{} – {}", start.human(), end.human())
    }
}

impl fmt::Display for EventDate {
    /// The canonical EDTF form, which [`EventDate::parse`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.end, self.open) {
            (_, Open::Ongoing) => write!(f, "{}/..", self.start),
            (_, Open::EndUnknown) => write!(f, "{}/", self.start),
            (_, Open::Since) => write!(f, "../{}", self.start),
            (_, Open::StartUnknown) => write!(f, "/{}", self.start),
            (None, Open::None) => write!(f, "{}", self.start),
            (Some(end), Open::None) => write!(f, "{}/{}", self.start, end),
        }
    }
}

/// Which end of a range, if either, is open (`..`) or unknown (empty);
/// an error when both are. `leading` is the range's offset in the text.
fn open_end(start_text: &str, end_text: &str, leading: usize) -> Result<Option<Open>, DateError> {
    Ok(match (start_text, end_text) {
        ("" | "..", "" | "..") => {
            // Point at the `/`, inside the text.
            return Err(DateError {
                message: "the range has neither a start nor an end".into(),
                offset: leading + start_text.len(),
                len: 1,
                hint: Some(DATE_FORMS.into()),
            });
        }
        (_, "..") => Some(Open::Ongoing),
        (_, "") => Some(Open::EndUnknown),
        ("..", _) => Some(Open::Since),
        ("", _) => Some(Open::StartUnknown),
        _ => None,
    })
}

/// Why `day` is not a day of the month, if it is not.
fn impossible_day(year: i32, month: u32, day: u32) -> Option<String> {
    let max = days_in_month(year, month);
    (day == 0 || day > max).then(|| {
        format!(
            "impossible date: {} {year} has {max} days",
            month_name(month)
        )
    })
}

const UNSPECIFIED_HINT: &str =
    "write X for the digits not known, from the end: 201X, 19XX, 2023-08-XX, 2023-XX-XX";

/// A point's text without its EDTF qualifier (`?`, `~`, `%`), and that.
fn split_qualifier(text: &str) -> (&str, Qualifier) {
    match text.as_bytes().last() {
        Some(b'?') => (&text[..text.len() - 1], Qualifier::Uncertain),
        Some(b'~') => (&text[..text.len() - 1], Qualifier::Approximate),
        Some(b'%') => (&text[..text.len() - 1], Qualifier::Both),
        _ => (text, Qualifier::None),
    }
}

/// Parses one point; `base` is its byte offset in the whole text.
fn parse_point(text: &str, base: usize) -> Result<DatePoint, DateError> {
    let err = |message: String, offset: usize, len: usize, hint: Option<String>| DateError {
        message,
        offset: base + offset,
        len: len.max(1),
        hint,
    };
    let (body, qualifier) = split_qualifier(text);
    let shape_error = || {
        err(
            format!("`{}` is not a date", text.escape_debug()),
            0,
            text.len(),
            Some(DATE_FORMS.into()),
        )
    };
    let unspecified_error = || {
        let message = format!(
            "`{}`: only the last digits can be unspecified",
            text.escape_debug()
        );
        err(message, 0, text.len(), Some(UNSPECIFIED_HINT.into()))
    };
    let (body, unspecified) = unspecified_digits(body).ok_or_else(unspecified_error)?;
    let [year, month, day] = digit_groups(&body).ok_or_else(shape_error)?;
    if year == Some(0) {
        return Err(err(
            "year 0000 is not supported".into(),
            0,
            4,
            Some("years run from 0001 to 9999".into()),
        ));
    }
    let year = year.ok_or_else(shape_error)? as i32;
    if let Some(month) = month.filter(|m| !(1..=12).contains(m)) {
        return Err(err(
            format!("month {month} does not exist"),
            5,
            2,
            Some("months run from 01 to 12".into()),
        ));
    }
    if let Some(message) = day.and_then(|d| impossible_day(year, month.unwrap_or(1), d)) {
        return Err(err(message, 0, body.len(), None));
    }
    Ok(DatePoint {
        year,
        month,
        day,
        qualifier,
        unspecified,
    })
}

/// The text with its `X` digits taken away (`201X` to `2010`, `2023-08-XX`
/// to `2023-08`), and which they were; `None` when an `X` stands before a
/// known digit (`20X3`, `2023-XX-18`). Text without `X` comes back as is.
fn unspecified_digits(body: &str) -> Option<(String, Unspecified)> {
    if !body.contains('X') {
        return Some((body.to_string(), Unspecified::None));
    }
    let parts: Vec<&str> = body.split('-').collect();
    let all_x = |p: &str| !p.is_empty() && p.bytes().all(|b| b == b'X');
    match parts.as_slice() {
        [year] if year.len() == 4 && year.ends_with("XX") && !year[..2].contains('X') => {
            Some((format!("{}00", &year[..2]), Unspecified::Century))
        }
        [year] if year.len() == 4 && year.ends_with('X') && !year[..3].contains('X') => {
            Some((format!("{}0", &year[..3]), Unspecified::Decade))
        }
        [year, month] if all_x(month) && month.len() == 2 && !year.contains('X') => {
            Some((year.to_string(), Unspecified::Month))
        }
        [year, month, day]
            if all_x(month)
                && all_x(day)
                && month.len() == 2
                && day.len() == 2
                && !year.contains('X') =>
        {
            Some((year.to_string(), Unspecified::MonthAndDay))
        }
        [year, month, day]
            if all_x(day) && day.len() == 2 && !year.contains('X') && !month.contains('X') =>
        {
            Some((format!("{year}-{month}"), Unspecified::Day))
        }
        _ => None,
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as numbers, or `None` when the text
/// has another shape.
fn digit_groups(body: &str) -> Option<[Option<u32>; 3]> {
    let parts: Vec<&str> = body.split('-').collect();
    if parts.len() > 3 {
        return None;
    }
    let mut out = [None; 3];
    for ((part, width), slot) in parts.iter().zip([4, 2, 2]).zip(out.iter_mut()) {
        if part.len() != width || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *slot = Some(part.parse().ok()?);
    }
    Some(out)
}

/// Parses a plain `YYYY-MM-DD` calendar date (as-of dates, `updated`).
pub fn parse_day(text: &str) -> Result<NaiveDate, DateError> {
    let date = EventDate::parse(text)?;
    if date.end.is_some()
        || date.open != Open::None
        || date.start.precision() != Precision::Day
        || date.start.qualifier != Qualifier::None
    {
        return Err(DateError {
            message: format!("`{}` is not a full date", text.trim().escape_debug()),
            offset: 0,
            len: text.len().max(1),
            hint: Some("write it as YYYY-MM-DD, e.g. 2024-04-01".into()),
        });
    }
    Ok(date.first_day())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn human(text: &str) -> String {
        EventDate::parse(text).unwrap().human()
    }

    #[test]
    fn displays_at_the_precision_known() {
        assert_eq!(human("2024"), "2024");
        assert_eq!(human("2024-07"), "July 2024");
        assert_eq!(human("2023-08-18"), "18 August 2023");
        assert_eq!(human("2024-07-09/2024-07-11"), "9–11 July 2024");
        assert_eq!(human("2024-06-30/2024-07-02"), "30 June – 2 July 2024");
        assert_eq!(
            human("2023-12-30/2024-01-02"),
            "30 December 2023 – 2 January 2024"
        );
        assert_eq!(human("2024-07/2024-08"), "July–August 2024");
        assert_eq!(human("2023-12/2024-01"), "December 2023 – January 2024");
        assert_eq!(human("2022/2024"), "2022–2024");
        assert_eq!(human("2024-07~"), "c. July 2024");
        assert_eq!(human("2024-07?"), "July 2024?");
        assert_eq!(human("2024-07%"), "c. July 2024?");
        assert_eq!(human("2024/2024-07-09"), "2024 – 9 July 2024");
        assert_eq!(human("2024-07~/2024-08"), "c. July 2024 – August 2024");
    }

    #[test]
    fn html_form_gives_the_start() {
        let d = EventDate::parse("2024-07-09/2024-07-11").unwrap();
        assert_eq!(d.html_datetime(), "2024-07-09");
        assert_eq!(
            EventDate::parse("2024-07~").unwrap().html_datetime(),
            "2024-07"
        );
        assert_eq!(EventDate::parse("0987").unwrap().html_datetime(), "0987");
    }

    #[test]
    fn days_denoted() {
        let d = EventDate::parse("2024-02").unwrap();
        assert_eq!(d.first_day(), NaiveDate::from_ymd_opt(2024, 2, 1).unwrap());
        assert_eq!(d.last_day(), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        let y = EventDate::parse("2018").unwrap();
        assert_eq!(y.last_day(), NaiveDate::from_ymd_opt(2018, 12, 31).unwrap());
    }

    #[test]
    fn impossible_dates_are_errors_with_a_position() {
        let e = EventDate::parse("2023-02-30").unwrap_err();
        assert_eq!(e.message, "impossible date: February 2023 has 28 days");
        assert_eq!((e.offset, e.len), (0, 10));
        let e = EventDate::parse("2023-13").unwrap_err();
        assert_eq!(e.message, "month 13 does not exist");
        assert_eq!((e.offset, e.len), (5, 2));
        let e = EventDate::parse("2024-01-01/2023-13-01").unwrap_err();
        assert_eq!((e.offset, e.len), (16, 2));
        let e = EventDate::parse("2024-07-11/2024-07-09").unwrap_err();
        assert!(
            e.message
                .starts_with("the range ends (9 July 2024) before it starts")
        );
        assert!(EventDate::parse("24-07").is_err());
        assert!(EventDate::parse("2024-7").is_err());
        assert!(EventDate::parse("July 2024").is_err());
        assert!(EventDate::parse("/").is_err());
        assert!(EventDate::parse("").is_err());
        assert!(EventDate::parse("2024-07-09/2024-07-11/2024").is_err());
    }

    #[test]
    fn canonical_form_round_trips() {
        for text in [
            "2024",
            "2024-07?",
            "2023-08-18~",
            "2024-07-09/2024-07-11%",
            "2022/2024-03",
            "201X",
            "19XX?",
            "2023-XX",
            "2023-XX-XX",
            "2023-08-XX~",
            "201X/2023-08-XX",
            "2024-07/..",
            "2024-07~/",
            "../1950",
            "/1950?",
        ] {
            let d = EventDate::parse(text).unwrap();
            assert_eq!(d.to_string(), text);
            assert_eq!(EventDate::parse(&d.to_string()).unwrap(), d);
        }
    }

    #[test]
    fn unspecified_digits_are_the_span_they_leave_open() {
        let decade = EventDate::parse("201X").unwrap();
        assert_eq!(decade.human(), "2010s");
        assert_eq!(
            decade.first_day(),
            NaiveDate::from_ymd_opt(2010, 1, 1).unwrap()
        );
        assert_eq!(
            decade.last_day(),
            NaiveDate::from_ymd_opt(2019, 12, 31).unwrap()
        );
        let century = EventDate::parse("19XX").unwrap();
        assert_eq!(century.human(), "1900s");
        assert_eq!(
            century.last_day(),
            NaiveDate::from_ymd_opt(1999, 12, 31).unwrap()
        );
        assert_eq!(human("2023-08-XX"), "August 2023");
        assert_eq!(human("2023-XX-XX"), "2023");
        assert_eq!(human("2023-XX"), "2023");
        assert_eq!(human("201X~"), "c. 2010s");
        assert_eq!(human("201X/202X"), "2010s–2020s");
        let month = EventDate::parse("2023-08-XX").unwrap();
        assert_eq!(
            month.last_day(),
            NaiveDate::from_ymd_opt(2023, 8, 31).unwrap()
        );
        assert!(!month.is_day_precise());
        for bad in ["20X3", "2023-XX-18", "2023-0X", "X023", "2023-08-1X"] {
            let e = EventDate::parse(bad).unwrap_err();
            assert!(e.hint.is_some(), "{bad}: {}", e.message);
        }
    }

    #[test]
    fn full_days_only_for_parse_day() {
        assert!(parse_day("2024-04-01").is_ok());
        assert!(parse_day("2024-04").is_err());
        assert!(parse_day("2024-04-01~").is_err());
        assert!(parse_day("2024-04-01/..").is_err());
        assert!(parse_day("/2024-04-01").is_err());
    }

    /// Found by the `date` fuzz target: `2024/` reported its empty end at
    /// bytes 5..6 of a 5-byte text, a span past the end.
    #[test]
    fn a_range_without_either_end_points_inside_the_text() {
        let e = EventDate::parse(" /").unwrap_err();
        assert_eq!(e.message, "the range has neither a start nor an end");
        assert_eq!((e.offset, e.len), (1, 1));
        let e = EventDate::parse("../..").unwrap_err();
        assert_eq!((e.offset, e.len), (2, 1));
    }

    #[test]
    fn open_and_unknown_ends() {
        assert_eq!(human("2024-07/.."), "since July 2024");
        assert_eq!(human("2024-07/"), "July 2024 – ?");
        assert_eq!(human("../1950"), "until 1950");
        assert_eq!(human("/1950"), "? – 1950");
        // Ordered and grouped by the end that is known.
        let until = EventDate::parse("../1950").unwrap();
        assert_eq!(
            until.first_day(),
            NaiveDate::from_ymd_opt(1950, 1, 1).unwrap()
        );
        assert_eq!(until.year(), 1950);
        assert_eq!(until.open(), Open::Since);
        let since = EventDate::parse("2023-08-18/..").unwrap();
        assert!(!since.is_day_precise(), "a calendar cannot hold it");
        let e = EventDate::parse("../1950-13").unwrap_err();
        assert_eq!((e.offset, e.len), (8, 2));
    }
}
