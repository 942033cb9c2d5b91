//! TimelineJS's date parts to the date text chronicle reads: `2023`,
//! `2023-08`, `2023-08-18`, `2023-08-18T10:30`, `2023-08-18T10:30:15`,
//! `-0044` (44 BC: TimelineJS shows year -44 as "44 BCE", and chronicle
//! reads a negative year as the years before Christ), `Y-13800000000` and
//! `Y170000002` (past four digits, the year only), and `START/END`.
//!
//! Exactly the parts given are written, so the precision is the one the
//! timeline had (but for a zero second, which says nothing). What chronicle cannot hold is said in a note (year 0, a
//! millisecond, a month of a year past four digits, a time without a day);
//! what is not a date at all (month 13, 30 February, no year) is an error.

use super::source::DateParts;

/// The date text and what could not be carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped {
    pub text: String,
    /// The start's year, as written (negative before Christ).
    pub year: i64,
    pub notes: Vec<String>,
}

/// A date that is not one: what is wrong and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateProblem {
    pub message: String,
    pub hint: &'static str,
}

const HINT: &str = "TimelineJS dates are whole numbers: a year (negative before Christ), a month 1–12, a day of that month, an hour 0–23, minutes and seconds 0–59";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Point {
    year: i64,
    month: Option<u32>,
    day: Option<u32>,
    /// Hour, minute, and the second when given.
    time: Option<(u32, u32, Option<u32>)>,
}

impl Point {
    fn text(&self) -> String {
        let mut out = if self.year.abs() > 9999 {
            format!("Y{}", self.year)
        } else if self.year < 0 {
            format!("-{:04}", -self.year)
        } else {
            format!("{:04}", self.year)
        };
        if let Some(m) = self.month {
            out.push_str(&format!("-{m:02}"));
        }
        if let Some(d) = self.day {
            out.push_str(&format!("-{d:02}"));
        }
        if let Some((h, min, s)) = self.time {
            out.push_str(&format!("T{h:02}:{min:02}"));
            if let Some(s) = s {
                out.push_str(&format!(":{s:02}"));
            }
        }
        out
    }

    /// The first and the last moment the point can mean, comparable.
    fn span(&self) -> ([i64; 6], [i64; 6]) {
        let (h, min, s) = self.time.map_or((None, None, None), |(h, m, s)| {
            (Some(h as i64), Some(m as i64), s.map(i64::from))
        });
        let month = self.month.map(i64::from);
        let day = self.day.map(i64::from);
        let first = [
            self.year,
            month.unwrap_or(1),
            day.unwrap_or(1),
            h.unwrap_or(0),
            min.unwrap_or(0),
            s.unwrap_or(0),
        ];
        let last = [
            self.year,
            month.unwrap_or(12),
            day.unwrap_or(31),
            h.unwrap_or(23),
            min.unwrap_or(59),
            s.unwrap_or(59),
        ];
        (first, last)
    }
}

/// Maps an event's start and end.
pub fn map(start: Option<&DateParts>, end: Option<&DateParts>) -> Result<Mapped, DateProblem> {
    let mut notes = Vec::new();
    let Some(start) = start else {
        return Err(DateProblem {
            message: "it has no `start_date`, which TimelineJS requires of an event".into(),
            hint: "give the event a start_date with at least a year",
        });
    };
    let first = point(start, "start_date", &mut notes)?;
    let end = match end.filter(|e| **e != DateParts::default()) {
        Some(e) => Some(point(e, "end_date", &mut notes)?),
        None => None,
    };
    let text = match end {
        None => first.text(),
        Some(last) if last.text() == first.text() => first.text(),
        Some(last) if last.span().1 < first.span().0 => {
            notes.push(format!(
                "its end_date ({}) is before its start_date ({}): the end was left out",
                last.text(),
                first.text()
            ));
            first.text()
        }
        Some(last) => format!("{}/{}", first.text(), last.text()),
    };
    Ok(Mapped {
        text,
        year: first.year,
        notes,
    })
}

/// The point's year: year 0 written as 1 BC (with a note); none, or one
/// further back than chronicle's years reach, refused.
fn year_of(p: &DateParts, which: &str, notes: &mut Vec<String>) -> Result<i64, String> {
    match p.year {
        None => Err("has no year".into()),
        // Its magnitude is not an i64: chronicle's years stop one short.
        Some(i64::MIN) => Err(format!(
            "has year {}, further back than chronicle's years reach (±9 × 10¹⁸)",
            i64::MIN
        )),
        Some(0) => {
            notes.push(format!(
                "its {which} is in year 0, which no calendar has (1 BC is followed by AD 1): written as 1 BC"
            ));
            Ok(-1)
        }
        Some(year) => Ok(year),
    }
}

fn point(p: &DateParts, which: &str, notes: &mut Vec<String>) -> Result<Point, DateProblem> {
    let problem = |message: String| DateProblem {
        message: format!("its {which} {message}"),
        hint: HINT,
    };
    let year = year_of(p, which, notes).map_err(problem)?;
    let month = match p.month {
        None => None,
        Some(m @ 1..=12) => Some(m as u32),
        Some(m) => return Err(problem(format!("has month {m}, not 1 to 12"))),
    };
    let day = match (p.day, month) {
        (None, _) => None,
        (Some(d), None) => {
            notes.push(format!(
                "its {which} has a day ({d}) but no month: only the year was kept"
            ));
            None
        }
        (Some(d), Some(m)) if d >= 1 && d <= i64::from(days_in_month(year, m)) => Some(d as u32),
        (Some(d), Some(m)) => {
            return Err(problem(format!(
                "has day {d}, which month {m} does not have"
            )));
        }
    };
    let mut point = Point {
        year,
        month,
        day,
        time: None,
    };
    if year.abs() > 9999 && month.is_some() {
        notes.push(format!(
            "its {which} has a month or day, which chronicle gives only to years from -9999 to 9999: kept the year {year}"
        ));
        point.month = None;
        point.day = None;
    }
    point.time = time(p, which, point.day.is_some(), notes).map_err(problem)?;
    if let Some(ms) = p.millisecond.filter(|ms| *ms != 0) {
        notes.push(format!(
            "its {which}'s millisecond ({ms}) is not carried: chronicle's times stop at the second"
        ));
    }
    Ok(point)
}

type Time = Option<(u32, u32, Option<u32>)>;

/// The time of day, when the point has a day to give it to.
fn time(
    p: &DateParts,
    which: &str,
    has_day: bool,
    notes: &mut Vec<String>,
) -> Result<Time, String> {
    let Some(hour) = p.hour else {
        if p.minute.is_some() || p.second.is_some() {
            notes.push(format!(
                "its {which} has minutes or seconds but no hour: they were left out"
            ));
        }
        return Ok(None);
    };
    if !has_day {
        notes.push(format!(
            "its {which} has a time of day but no day: chronicle gives a time only to a day, so it was left out"
        ));
        return Ok(None);
    }
    let check = |value: i64, top: i64, name: &str| {
        if (0..=top).contains(&value) {
            Ok(value as u32)
        } else {
            Err(format!("has {name} {value}, not 0 to {top}"))
        }
    };
    let hour = check(hour, 23, "hour")?;
    let minute = check(p.minute.unwrap_or(0), 59, "minute")?;
    // A zero second says nothing a reader needs ("10:30", not "10:30:00").
    let second = (p.second.map(|s| check(s, 59, "second")).transpose()?).filter(|s| *s != 0);
    Ok(Some((hour, minute, second)))
}

/// Days in a month of the proleptic Gregorian calendar; a negative year is
/// that many years BC (1 BC is the astronomers' year 0, a leap year).
fn days_in_month(year: i64, month: u32) -> u32 {
    let astronomical = if year < 0 { year + 1 } else { year };
    let leap = astronomical.rem_euclid(4) == 0
        && (astronomical.rem_euclid(100) != 0 || astronomical.rem_euclid(400) == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(year: i64, month: Option<i64>, day: Option<i64>) -> DateParts {
        DateParts {
            year: Some(year),
            month,
            day,
            ..DateParts::default()
        }
    }

    fn timed(h: i64, m: Option<i64>, s: Option<i64>) -> DateParts {
        DateParts {
            hour: Some(h),
            minute: m,
            second: s,
            ..parts(2023, Some(8), Some(18))
        }
    }

    fn text(start: DateParts, end: Option<DateParts>) -> (String, usize) {
        let m = map(Some(&start), end.as_ref()).unwrap();
        (m.text, m.notes.len())
    }

    #[test]
    fn dates_keep_the_precision_given() {
        assert_eq!(text(parts(2024, None, None), None), ("2024".into(), 0));
        assert_eq!(
            text(parts(2024, Some(7), None), None),
            ("2024-07".into(), 0)
        );
        assert_eq!(
            text(parts(2023, Some(8), Some(18)), None),
            ("2023-08-18".into(), 0)
        );
        assert_eq!(text(parts(476, None, None), None), ("0476".into(), 0));
        assert_eq!(
            text(
                parts(2024, Some(7), Some(9)),
                Some(parts(2024, Some(7), Some(11)))
            ),
            ("2024-07-09/2024-07-11".into(), 0)
        );
        assert_eq!(
            text(parts(2024, Some(7), None), Some(parts(2024, Some(7), None))),
            ("2024-07".into(), 0)
        );
    }

    #[test]
    fn times_have_no_offset_and_seconds_only_when_given() {
        assert_eq!(
            text(timed(10, Some(30), None), None),
            ("2023-08-18T10:30".into(), 0)
        );
        assert_eq!(
            text(timed(9, None, None), None),
            ("2023-08-18T09:00".into(), 0)
        );
        assert_eq!(
            text(timed(10, Some(30), Some(15)), None),
            ("2023-08-18T10:30:15".into(), 0)
        );
        assert_eq!(
            text(timed(10, Some(30), Some(0)), None),
            ("2023-08-18T10:30".into(), 0)
        );
        assert_eq!(
            text(timed(10, Some(30), None), Some(timed(23, Some(5), None))),
            ("2023-08-18T10:30/2023-08-18T23:05".into(), 0)
        );
        let ms = DateParts {
            millisecond: Some(250),
            ..timed(10, Some(30), Some(1))
        };
        assert_eq!(text(ms, None), ("2023-08-18T10:30:01".into(), 1));
        let zero_ms = DateParts {
            millisecond: Some(0),
            ..timed(10, Some(30), None)
        };
        assert_eq!(text(zero_ms, None), ("2023-08-18T10:30".into(), 0));
        let no_day = DateParts {
            hour: Some(10),
            ..parts(2023, Some(8), None)
        };
        assert_eq!(text(no_day, None), ("2023-08".into(), 1));
    }

    #[test]
    fn years_before_christ_and_past_four_digits() {
        assert_eq!(text(parts(-44, None, None), None), ("-0044".into(), 0));
        assert_eq!(
            text(parts(-44, Some(3), Some(15)), None),
            ("-0044-03-15".into(), 0)
        );
        assert_eq!(text(parts(-9999, None, None), None), ("-9999".into(), 0));
        assert_eq!(text(parts(9999, None, None), None), ("9999".into(), 0));
        assert_eq!(
            text(parts(-13_800_000_000, None, None), None),
            ("Y-13800000000".into(), 0)
        );
        assert_eq!(
            text(parts(170_000_002, None, None), None),
            ("Y170000002".into(), 0)
        );
        assert_eq!(
            text(parts(-10_000, Some(6), Some(1)), None),
            ("Y-10000".into(), 1)
        );
        let (t, notes) = text(parts(0, None, None), None);
        assert_eq!((t.as_str(), notes), ("-0001", 1));
    }

    #[test]
    fn what_cannot_be_carried_is_noted() {
        assert_eq!(text(parts(2023, None, Some(5)), None), ("2023".into(), 1));
        assert_eq!(
            text(parts(2024, Some(7), None), Some(parts(2023, None, None))),
            ("2024-07".into(), 1)
        );
        let m = map(
            Some(&parts(2023, Some(8), None)),
            Some(&parts(2022, None, None)),
        )
        .unwrap();
        assert!(
            m.notes[0].contains("before its start_date"),
            "{:?}",
            m.notes
        );
    }

    #[test]
    fn what_is_not_a_date_is_an_error() {
        let bad = |p: DateParts| map(Some(&p), None).unwrap_err().message;
        assert!(bad(parts(2023, Some(13), None)).contains("month 13"));
        assert!(bad(parts(2023, Some(2), Some(29))).contains("day 29"));
        assert!(bad(timed(24, None, None)).contains("hour 24"));
        assert!(bad(DateParts::default()).contains("no year"));
        // Regression (issue 28, item 7): negating it overflowed.
        assert!(bad(parts(i64::MIN, None, None)).contains("further back"));
        assert_eq!(
            text(parts(-i64::MAX, None, None), None).0,
            format!("Y{}", -i64::MAX)
        );
        assert!(map(None, None).is_err());
        // 2024 and 1 BC are leap years; 44 BC is not.
        assert!(map(Some(&parts(2024, Some(2), Some(29))), None).is_ok());
        assert!(map(Some(&parts(-1, Some(2), Some(29))), None).is_ok());
        assert!(map(Some(&parts(-44, Some(2), Some(29))), None).is_err());
    }
}
