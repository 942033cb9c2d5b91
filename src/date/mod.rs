//! Event dates: a year, a month or a day (with a time of day, in a zone),
//! or an interval of two of those, each optionally qualified as uncertain
//! or approximate (EDTF level 1 syntax), from 13.8 billion years ago to
//! any year ahead.
//!
//! A news timeline knows some dates only to the month ("July 2024") and must
//! never invent the rest. So a date here is a calendar range, not an
//! instant: it displays at exactly the precision it was written with, and
//! it sorts by the first and the last day it can denote; a time of day
//! only orders the events of one day among themselves.
//!
//! Years are numbered as writers number them: `-0044` is 44 BC, and there
//! is no year 0. Days are in the proleptic Gregorian calendar.

mod clock;
mod human;
mod parse;

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

pub use clock::{Clock, Zone, ZoneTrouble, offset_text, parse_zone};
pub use human::{month_year, year_label, year_slug};
pub use parse::{DateError, parse_day};

/// The furthest year written with four digits; beyond it, the `Y` form.
pub const FOUR_DIGITS: i64 = 9999;

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

    pub fn is_approximate(self) -> bool {
        matches!(self, Qualifier::Approximate | Qualifier::Both)
    }

    pub fn is_uncertain(self) -> bool {
        matches!(self, Qualifier::Uncertain | Qualifier::Both)
    }
}

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

/// A calendar day, its year as writers number it (negative before AD 1,
/// no year 0), so days of any age compare in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    pub year: i64,
    pub month: u32,
    pub day: u32,
}

impl Day {
    /// The day as chrono has it, when chrono can (years within about
    /// 262,000 of AD 1).
    pub fn naive(&self) -> Option<NaiveDate> {
        let year = i32::try_from(astronomical(self.year)).ok()?;
        NaiveDate::from_ymd_opt(year, self.month, self.day)
    }

    /// Whether RFC 3339, iCalendar and HTML can write it: years 1 to 9999.
    pub fn is_common_era(&self) -> bool {
        (1..=FOUR_DIGITS).contains(&self.year)
    }
}

impl From<NaiveDate> for Day {
    fn from(d: NaiveDate) -> Day {
        let year = i64::from(d.year());
        Day {
            year: if year <= 0 { year - 1 } else { year },
            month: d.month(),
            day: d.day(),
        }
    }
}

impl fmt::Display for Day {
    /// `2023-08-18`, `-0044-03-15`, `-13800000000-01-01`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.year < 0 { "-" } else { "" };
        write!(
            f,
            "{sign}{:04}-{:02}-{:02}",
            self.year.unsigned_abs(),
            self.month,
            self.day
        )
    }
}

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The year chrono and ISO 8601 count: 1 BC is 0, 44 BC is -43.
fn astronomical(year: i64) -> i64 {
    if year < 0 { year + 1 } else { year }
}

/// One end of a date: a year, a month of a year, or a day with perhaps a
/// time, plus a qualifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DatePoint {
    year: i64,
    month: Option<u32>,
    day: Option<u32>,
    time: Option<Clock>,
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

    /// The year as writers number it: -44 is 44 BC.
    pub fn year(&self) -> i64 {
        self.year
    }

    /// The month, when it is known.
    pub fn month(&self) -> Option<u32> {
        self.month
    }

    pub fn day(&self) -> Option<u32> {
        self.day
    }

    /// The time of day, when it is known.
    pub fn time(&self) -> Option<&Clock> {
        self.time.as_ref()
    }

    pub fn qualifier(&self) -> Qualifier {
        self.qualifier
    }

    /// Which digits were written as `X`.
    pub fn unspecified(&self) -> Unspecified {
        self.unspecified
    }

    /// A range from this point to `end` said as one day with two times:
    /// the times' readings joined ("10:30–14:00") and their zone's label
    /// ("JST", or empty), where both ends are unqualified, timed, on the
    /// same day and in zones labelled alike. English (`human`) and the
    /// other languages (`i18n::dates`) each put their words around it.
    pub fn same_day_times(&self, end: &DatePoint) -> Option<(String, String)> {
        let (a, b) = (self.time?, end.time?);
        let unqualified = self.qualifier == Qualifier::None && end.qualifier == Qualifier::None;
        if !unqualified || self.first_day() != end.first_day() {
            return None;
        }
        let naive = self.first_day().naive()?;
        let zone = a.zone_label(naive);
        if zone != b.zone_label(naive) {
            return None;
        }
        Some((format!("{}–{}", a.reading(), b.reading()), zone))
    }

    /// The first day this point can denote.
    pub fn first_day(&self) -> Day {
        Day {
            year: self.year,
            month: self.month.unwrap_or(1),
            day: self.day.unwrap_or(1),
        }
    }

    /// The last day this point can denote.
    pub fn last_day(&self) -> Day {
        let year = match self.unspecified {
            Unspecified::Decade => self.year + 9,
            Unspecified::Century => self.year + 99,
            _ => self.year,
        };
        let month = self.month.unwrap_or(12);
        let day = self
            .day
            .unwrap_or_else(|| days_in_month(year, month).unwrap_or(31));
        Day { year, month, day }
    }

    /// The instant of its time of day (seconds since 1970, UTC), if it has one.
    pub fn instant(&self) -> Option<i64> {
        let day = self.first_day().naive()?;
        self.time.map(|c| c.instant(day))
    }

    /// The point with a time written without an offset read in `tz`, and
    /// what is wrong with that reading, if anything.
    pub fn in_zone(self, tz: chrono_tz::Tz) -> (DatePoint, Option<ZoneTrouble>) {
        let (Some(time), Some(day)) = (self.time, self.first_day().naive()) else {
            return (self, None);
        };
        let (time, trouble) = time.in_zone(day, tz);
        (
            DatePoint {
                time: Some(time),
                ..self
            },
            trouble,
        )
    }

    /// The form HTML's `<time datetime>` accepts: `2024`, `2024-07`,
    /// `2023-08-18`, `2023-08-18T10:30+09:00`; empty for years HTML cannot
    /// write (before AD 1, after 9999).
    pub fn html_datetime(&self) -> String {
        if !(1..=FOUR_DIGITS).contains(&self.year) {
            return String::new();
        }
        let date = match (self.month, self.day) {
            (None, _) => format!("{:04}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
        };
        match (self.time, self.first_day().naive()) {
            (Some(clock), Some(day)) => format!("{date}T{}", clock.html(day)),
            _ => date,
        }
    }
}

impl fmt::Display for DatePoint {
    /// EDTF, unspecified digits as written: `201X`, `2023-08-XX~`,
    /// `-0044-03-15`, `Y-13800000000`, `2023-08-18T10:30+09:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let year = if self.year.abs() > FOUR_DIGITS {
            format!("Y{}", self.year)
        } else if self.year < 0 {
            format!("-{:04}", -self.year)
        } else {
            format!("{:04}", self.year)
        };
        let written = match self.unspecified {
            Unspecified::None => match (self.month, self.day) {
                (None, _) => year,
                (Some(m), None) => format!("{year}-{m:02}"),
                (Some(m), Some(d)) => format!("{year}-{m:02}-{d:02}"),
            },
            Unspecified::Decade => format!("{:03}X", self.year / 10),
            Unspecified::Century => format!("{:02}XX", self.year / 100),
            Unspecified::Month => format!("{year}-XX"),
            Unspecified::MonthAndDay => format!("{year}-XX-XX"),
            Unspecified::Day => format!("{year}-{:02}-XX", self.month.unwrap_or(1)),
        };
        let time = self.time.map(|c| c.to_string()).unwrap_or_default();
        write!(f, "{written}{time}{}", self.qualifier.suffix())
    }
}

/// Days in a month of a year as writers number it; `None` for a year
/// chrono cannot hold.
fn days_in_month(year: i64, month: u32) -> Option<u32> {
    let year = i32::try_from(astronomical(year)).ok()?;
    u8::try_from(month)
        .ok()
        .and_then(|m| chrono::Month::try_from(m).ok())
        .and_then(|m| m.num_days(year))
        .map(u32::from)
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

/// What the timeline orders dates by: the first day, then (on one day)
/// untimed before timed and timed by instant, then the last day and its
/// instant. Entries stay grouped by the day they show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SortKey {
    first: Day,
    first_instant: Option<i64>,
    last: Day,
    last_instant: Option<i64>,
}

impl EventDate {
    /// A single day, at day precision.
    pub fn day(day: NaiveDate) -> EventDate {
        let day = Day::from(day);
        EventDate {
            start: DatePoint {
                year: day.year,
                month: Some(day.month),
                day: Some(day.day),
                time: None,
                qualifier: Qualifier::None,
                unspecified: Unspecified::None,
            },
            end: None,
            open: Open::None,
        }
    }

    /// A year given as a YAML integer (`date: 2024`, `date: -44`).
    pub fn from_year(year: i64) -> Result<EventDate, DateError> {
        let text = if year.abs() > FOUR_DIGITS {
            format!("Y{year}")
        } else if year < 0 {
            format!("-{:04}", -year)
        } else {
            format!("{year:04}")
        };
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
    pub fn first_day(&self) -> Day {
        self.start.first_day()
    }

    /// The last day the date can denote.
    pub fn last_day(&self) -> Day {
        self.end.as_ref().unwrap_or(&self.start).last_day()
    }

    /// The year an entry is filed under on the timeline: the year it starts.
    pub fn year(&self) -> i64 {
        self.start.year
    }

    /// What the timeline sorts by.
    pub fn sort_key(&self) -> SortKey {
        let last = self.end.as_ref().unwrap_or(&self.start);
        SortKey {
            first: self.first_day(),
            first_instant: self.start.instant(),
            last: self.last_day(),
            last_instant: last.instant(),
        }
    }

    /// Whether both ends are known to the day (what a calendar can hold).
    pub fn is_day_precise(&self) -> bool {
        self.open == Open::None
            && self.start.precision() == Precision::Day
            && self.end.is_none_or(|e| e.precision() == Precision::Day)
    }

    /// Whether a calendar can hold the date: known to the day (ranges
    /// too, not open ones), between AD 1 and 9999.
    pub fn in_calendar(&self) -> bool {
        self.is_day_precise() && self.first_day().is_common_era() && self.last_day().is_common_era()
    }

    /// The date with times written without an offset read in `tz` (the
    /// article's or the site's `timezone`), and what is wrong with those
    /// readings: a time the clocks skip, or one they repeat.
    /// Each trouble says whether it is the end's (`true`) or the start's.
    pub fn in_zone(self, tz: chrono_tz::Tz) -> (EventDate, Vec<(bool, ZoneTrouble)>) {
        let mut troubles = Vec::new();
        let (start, trouble) = self.start.in_zone(tz);
        troubles.extend(trouble.map(|t| (false, t)));
        let end = self.end.map(|end| {
            let (end, trouble) = end.in_zone(tz);
            troubles.extend(trouble.map(|t| (true, t)));
            end
        });
        (EventDate { start, end, ..self }, troubles)
    }

    /// The machine-readable form for `<time datetime>`; a range gives its
    /// start. Empty for a year HTML cannot write.
    pub fn html_datetime(&self) -> String {
        self.start.html_datetime()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: i64, month: u32, day: u32) -> Day {
        Day { year, month, day }
    }

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
        assert_eq!(EventDate::parse("-0044").unwrap().html_datetime(), "");
    }

    #[test]
    fn days_denoted() {
        let d = EventDate::parse("2024-02").unwrap();
        assert_eq!(d.first_day(), day(2024, 2, 1));
        assert_eq!(d.last_day(), day(2024, 2, 29));
        let y = EventDate::parse("2018").unwrap();
        assert_eq!(y.last_day(), day(2018, 12, 31));
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
        assert_eq!(decade.first_day(), day(2010, 1, 1));
        assert_eq!(decade.last_day(), day(2019, 12, 31));
        let century = EventDate::parse("19XX").unwrap();
        assert_eq!(century.human(), "1900s");
        assert_eq!(century.last_day(), day(1999, 12, 31));
        assert_eq!(human("2023-08-XX"), "August 2023");
        assert_eq!(human("2023-XX-XX"), "2023");
        assert_eq!(human("2023-XX"), "2023");
        assert_eq!(human("201X~"), "c. 2010s");
        assert_eq!(human("201X/202X"), "2010s–2020s");
        let month = EventDate::parse("2023-08-XX").unwrap();
        assert_eq!(month.last_day(), day(2023, 8, 31));
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
        assert_eq!(until.first_day(), day(1950, 1, 1));
        assert_eq!(until.year(), 1950);
        assert_eq!(until.open(), Open::Since);
        let since = EventDate::parse("2023-08-18/..").unwrap();
        assert!(!since.is_day_precise(), "a calendar cannot hold it");
        let e = EventDate::parse("../1950-13").unwrap_err();
        assert_eq!((e.offset, e.len), (8, 2));
    }

    #[test]
    fn years_before_ad_1_count_back() {
        assert_eq!(human("-0044"), "44 BC");
        assert_eq!(human("-0044-03-15"), "15 March 44 BC");
        assert_eq!(human("-0100/-0044"), "100–44 BC");
        assert_eq!(human("-0044/0014"), "44 BC – AD 14");
        assert_eq!(human("-0001-02"), "February 1 BC");
        let caesar = EventDate::parse("-0044-03-15").unwrap();
        assert_eq!(caesar.year(), -44);
        assert!(caesar.sort_key() < EventDate::parse("-0043").unwrap().sort_key());
        assert!(EventDate::parse("-0045").unwrap().sort_key() < caesar.sort_key());
        assert!(caesar.sort_key() < EventDate::parse("0001").unwrap().sort_key());
        // 1 BC is a leap year in the proleptic Gregorian calendar (it is
        // year 0 to chrono), 2 BC is not.
        assert!(EventDate::parse("-0001-02-29").is_ok());
        let e = EventDate::parse("-0002-02-29").unwrap_err();
        assert_eq!(e.message, "impossible date: February 2 BC has 28 days");
        let e = EventDate::parse("-0000").unwrap_err();
        assert_eq!(e.message, "there is no year 0");
        assert_eq!((e.offset, e.len), (0, 5));
        let e = EventDate::parse("-0044-13").unwrap_err();
        assert_eq!((e.offset, e.len), (6, 2));
        assert!(EventDate::parse("-201X").is_err());
        assert_eq!(
            Day::from(NaiveDate::from_ymd_opt(-43, 3, 15).unwrap()),
            day(-44, 3, 15)
        );
        assert_eq!(day(-44, 3, 15).naive(), NaiveDate::from_ymd_opt(-43, 3, 15));
        assert_eq!(day(-44, 3, 15).to_string(), "-0044-03-15");
    }

    #[test]
    fn deep_time_in_the_y_form() {
        assert_eq!(human("Y-13800000000"), "13.8 billion years ago");
        assert_eq!(human("Y-66000000"), "66 million years ago");
        assert_eq!(human("Y-2580000"), "2.58 million years ago");
        assert_eq!(human("Y-12000"), "12,000 BC");
        assert_eq!(human("Y-66043123"), "66,043,123 BC");
        assert_eq!(human("Y170000002"), "170,000,002");
        assert_eq!(human("Y-13800000000~"), "c. 13.8 billion years ago");
        assert_eq!(
            human("Y-13800000000/Y-66000000"),
            "13.8 billion years ago – 66 million years ago"
        );
        let big_bang = EventDate::parse("Y-13800000000").unwrap();
        assert_eq!(big_bang.year(), -13_800_000_000);
        assert_eq!(big_bang.first_day(), day(-13_800_000_000, 1, 1));
        assert_eq!(big_bang.last_day(), day(-13_800_000_000, 12, 31));
        assert!(big_bang.sort_key() < EventDate::parse("Y-66000000").unwrap().sort_key());
        assert!(
            EventDate::parse("Y-12000").unwrap().sort_key()
                < EventDate::parse("-9999").unwrap().sort_key()
        );
        assert!(
            EventDate::parse("9999").unwrap().sort_key()
                < EventDate::parse("Y10000").unwrap().sort_key()
        );
        assert_eq!(big_bang.html_datetime(), "");
        let e = EventDate::parse("Y2024").unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("write `2024`"));
        assert_eq!(
            EventDate::parse("Y-44").unwrap_err().hint.as_deref(),
            Some("write `-0044`")
        );
        assert!(EventDate::parse("Y-13800000000-01").is_err());
        assert!(EventDate::parse("Y99999999999999999999").is_err());
        // Its magnitude overflowed an i64 (a panic in a debug build).
        assert!(EventDate::parse("Y-9223372036854775808").is_err());
        assert!(EventDate::parse("Y-9223372036854775807").is_ok());
        assert!(EventDate::parse("Y").is_err());
        assert_eq!(EventDate::from_year(-44).unwrap().to_string(), "-0044");
        assert_eq!(
            EventDate::from_year(-13_800_000_000).unwrap().to_string(),
            "Y-13800000000"
        );
    }

    #[test]
    fn same_day_times_are_the_readings_and_the_zone() {
        let times = |text: &str| {
            let d = EventDate::parse(text).unwrap();
            d.start().same_day_times(d.end()?)
        };
        let pair = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        assert_eq!(
            times("2023-08-18T10:30Z/2023-08-18T14:00Z"),
            pair("10:30–14:00", "UTC")
        );
        assert_eq!(
            times("2023-08-18T10:30/2023-08-18T14:00"),
            pair("10:30–14:00", "")
        );
        assert_eq!(times("2023-08-18T22:00/2023-08-19T02:00"), None);
        assert_eq!(times("2023-08-18T10:30Z/2023-08-18T23:00+09:00"), None);
        assert_eq!(times("2023-08-18/2023-08-18T14:00"), None);
    }

    #[test]
    fn times_of_day() {
        assert_eq!(human("2023-08-18T10:30"), "18 August 2023, 10:30");
        assert_eq!(human("2023-08-18T10:30Z"), "18 August 2023, 10:30 UTC");
        assert_eq!(
            human("2023-08-18T10:30:15+09:00"),
            "18 August 2023, 10:30:15 UTC+09:00"
        );
        assert_eq!(
            human("2023-08-18T10:30+09:00/2023-08-18T14:00+09:00"),
            "18 August 2023, 10:30–14:00 UTC+09:00"
        );
        assert_eq!(
            human("2023-08-18T22:00/2023-08-19T02:00"),
            "18 August 2023, 22:00 – 19 August 2023, 02:00"
        );
        let tokyo = chrono_tz::Asia::Tokyo;
        let (d, trouble) = EventDate::parse("2023-08-18T10:30").unwrap().in_zone(tokyo);
        assert!(trouble.is_empty());
        assert_eq!(d.human(), "18 August 2023, 10:30 JST");
        assert_eq!(d.html_datetime(), "2023-08-18T10:30+09:00");
        assert_eq!(d.to_string(), "2023-08-18T10:30");
        // A written offset is kept.
        let (d, _) = EventDate::parse("2023-08-18T10:30-04:00")
            .unwrap()
            .in_zone(tokyo);
        assert_eq!(d.human(), "18 August 2023, 10:30 UTC-04:00");
    }

    #[test]
    fn times_order_events_on_a_day_and_are_checked() {
        let tokyo = chrono_tz::Asia::Tokyo;
        // On one day: untimed first, then by instant across zones.
        let untimed = EventDate::parse("2023-08-18").unwrap().sort_key();
        let (tokyo_morning, _) = EventDate::parse("2023-08-18T10:30").unwrap().in_zone(tokyo);
        let utc_early = EventDate::parse("2023-08-18T00:30Z").unwrap();
        let ny = EventDate::parse("2023-08-18T09:00-04:00").unwrap();
        let mut keys = [
            ny.sort_key(),
            tokyo_morning.sort_key(),
            untimed,
            utc_early.sort_key(),
        ];
        keys.sort();
        assert_eq!(
            keys,
            [
                untimed,
                utc_early.sort_key(),
                tokyo_morning.sort_key(),
                ny.sort_key()
            ]
        );
        // A later day still comes later, whatever the instant.
        assert!(
            ny.sort_key()
                < EventDate::parse("2023-08-19T00:10+14:00")
                    .unwrap()
                    .sort_key()
        );

        let e = EventDate::parse("2023-08-18T14:00/2023-08-18T10:30").unwrap_err();
        assert!(e.message.starts_with("the range ends"), "{}", e.message);
        for (bad, at) in [
            ("2023-08T10:30", 0),
            ("2023-08-18T25:00", 11),
            ("2023-08-18T10", 11),
            ("2023-08-18T10:30+9", 16),
            ("2023-08-18T10:30~", 16),
            ("2023-08-XXT10:30", 0),
        ] {
            let e = EventDate::parse(bad).unwrap_err();
            assert_eq!(e.offset, at, "{bad}: {}", e.message);
            assert!(e.hint.is_some(), "{bad}");
        }
    }

    #[test]
    fn new_forms_round_trip() {
        for text in [
            "-0044",
            "-0044-03-15?",
            "-0100/-0044",
            "Y-13800000000",
            "Y170000002~",
            "Y-13800000000/-0044",
            "2023-08-18T10:30",
            "2023-08-18T10:30:15Z",
            "2023-08-18T10:30+09:00/2023-08-19T09:00-05:00",
            "-0044-03-15T12:00",
        ] {
            let d = EventDate::parse(text).unwrap();
            assert_eq!(d.to_string(), text);
            assert_eq!(EventDate::parse(&d.to_string()).unwrap(), d);
        }
    }
}
