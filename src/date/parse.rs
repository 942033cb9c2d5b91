//! Reading a date's text: every form chronicle accepts, and for every
//! malformed one what is wrong, where in the text, and how to write it.

use chrono::NaiveDate;

use super::clock::{Clock, Zone};
use super::human::month_name;
use super::{
    DatePoint, EventDate, FOUR_DIGITS, Open, Precision, Qualifier, Unspecified, days_in_month,
};

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

const DATE_FORMS: &str = "write the date as 2024, 2024-07 or 2023-08-18 (a time: 2023-08-18T10:30), \
     or a range such as 2024-07-09/2024-07-11";

impl EventDate {
    /// Parses a point (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDThh:mm`,
    /// `-YYYY`, `Y-NNNNN`, …) or `START/END`, each part optionally followed
    /// by `?`, `~` or `%`.
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
        let Some((start_text, end_text)) = trimmed.split_once('/') else {
            return Ok(EventDate {
                start: parse_point(trimmed, leading)?,
                end: None,
                open: Open::None,
            });
        };
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
        let end = parse_point(end_text, leading + start_text.len() + 1)?;
        let date = EventDate {
            start,
            end: Some(end),
            open: Open::None,
        };
        let backwards = end.last_day() < start.first_day()
            || (end.last_day() == start.first_day()
                && matches!((start.instant(), end.instant()), (Some(a), Some(b)) if b < a));
        if backwards {
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
        Ok(date)
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
fn impossible_day(year: i64, month: u32, day: u32) -> Option<String> {
    let max = days_in_month(year, month).unwrap_or(31);
    (day == 0 || day > max).then(|| {
        format!(
            "impossible date: {} {} has {max} days",
            month_name(month),
            super::year_label(year)
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

/// An error at `offset..offset + len` of a point that starts at `base`.
fn error(base: usize, message: String, offset: usize, len: usize, hint: Option<&str>) -> DateError {
    DateError {
        message,
        offset: base + offset,
        len: len.max(1),
        hint: hint.map(str::to_string),
    }
}

/// Parses one point; `base` is its byte offset in the whole text.
fn parse_point(text: &str, base: usize) -> Result<DatePoint, DateError> {
    let (body, qualifier) = split_qualifier(text);
    let (body, time) = match body.find('T') {
        Some(t) => (&body[..t], Some((&body[t + 1..], t + 1))),
        None => (body, None),
    };
    let mut point = match body.strip_prefix('Y') {
        Some(digits) => long_year(digits, text, base)?,
        None => calendar_point(body, text, base)?,
    };
    point.qualifier = qualifier;
    if let Some((clock_text, at)) = time {
        if point.precision() != Precision::Day || point.unspecified != Unspecified::None {
            let message = format!(
                "`{}`: a time needs a whole day before it",
                text.escape_debug()
            );
            return Err(error(
                base,
                message,
                0,
                at - 1,
                Some("write it as 2023-08-18T10:30"),
            ));
        }
        if qualifier != Qualifier::None {
            let message = "a time of day cannot be qualified with `?`, `~` or `%`".to_string();
            let hint = "leave the time out and qualify the day: 2023-08-18~";
            return Err(error(base, message, text.len() - 1, 1, Some(hint)));
        }
        point.time = Some(parse_clock(clock_text, base + at)?);
    }
    Ok(point)
}

/// The `Y` form's year (`Y-13800000000`, `Y170000002`): more than four
/// digits, year precision only.
fn long_year(digits: &str, text: &str, base: usize) -> Result<DatePoint, DateError> {
    let shape = || {
        let message = format!("`{}` is not a date", text.escape_debug());
        let hint = "the Y form is a year of more than four digits: Y-13800000000, Y170000002";
        error(base, message, 0, text.len(), Some(hint))
    };
    let unsigned = digits.strip_prefix('-').unwrap_or(digits);
    if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return Err(shape());
    }
    // i64::MIN has no positive twin: taking its magnitude would overflow.
    let year: i64 = digits
        .parse()
        .ok()
        .filter(|y| *y != i64::MIN)
        .ok_or_else(|| {
            let message = "the year is too far away for chronicle".to_string();
            error(base, message, 0, text.len(), Some("years reach ±9 × 10¹⁸"))
        })?;
    if year.abs() <= FOUR_DIGITS {
        let written = if year < 0 {
            format!("-{:04}", -year)
        } else {
            format!("{year:04}")
        };
        let message = "the Y form is only for years beyond four digits".to_string();
        let hint = format!("write `{written}`");
        return Err(error(base, message, 0, text.len(), Some(&hint)));
    }
    Ok(point(year, None, None, Unspecified::None))
}

fn point(year: i64, month: Option<u32>, day: Option<u32>, unspecified: Unspecified) -> DatePoint {
    DatePoint {
        year,
        month,
        day,
        time: None,
        qualifier: Qualifier::None,
        unspecified,
    }
}

/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, each perhaps with `-` before it (BC)
/// or `X` digits; `text` is the whole point, for messages.
fn calendar_point(body: &str, text: &str, base: usize) -> Result<DatePoint, DateError> {
    let (negative, unsigned) = match body.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, body),
    };
    let sign = usize::from(negative);
    let shape_error = || {
        let message = format!("`{}` is not a date", text.escape_debug());
        error(base, message, 0, text.len(), Some(DATE_FORMS))
    };
    let unspecified_error = || {
        let message = format!(
            "`{}`: only the last digits can be unspecified",
            text.escape_debug()
        );
        error(base, message, 0, text.len(), Some(UNSPECIFIED_HINT))
    };
    let (digits, unspecified) = unspecified_digits(unsigned).ok_or_else(unspecified_error)?;
    if negative && unspecified != Unspecified::None {
        let message = "unspecified digits are not supported before AD 1".to_string();
        let hint = "write the years it spans as a range: -0049/-0040";
        return Err(error(base, message, 0, text.len(), Some(hint)));
    }
    let [year, month, day] = digit_groups(&digits).ok_or_else(shape_error)?;
    let year = year.ok_or_else(shape_error)?;
    if year == 0 {
        let message = "there is no year 0".to_string();
        let hint = "1 BC is -0001 and AD 1 is 0001 (a negative year counts years BC)";
        return Err(error(base, message, 0, 4 + sign, Some(hint)));
    }
    let year = if negative {
        -i64::from(year)
    } else {
        i64::from(year)
    };
    if let Some(month) = month.filter(|m| !(1..=12).contains(m)) {
        let message = format!("month {month} does not exist");
        return Err(error(
            base,
            message,
            5 + sign,
            2,
            Some("months run from 01 to 12"),
        ));
    }
    if let Some(message) = day.and_then(|d| impossible_day(year, month.unwrap_or(1), d)) {
        return Err(error(base, message, 0, body.len(), None));
    }
    Ok(point(year, month, day, unspecified))
}

/// `hh:mm` or `hh:mm:ss`, then `Z`, `±hh:mm` or nothing; `base` is where
/// the time starts in the whole text.
fn parse_clock(text: &str, base: usize) -> Result<Clock, DateError> {
    const TIME_HINT: &str = "write the time as 10:30 or 10:30:15, with Z or an offset such as +09:00 if the source gives one";
    let split = text.find(['Z', '+', '-']).unwrap_or(text.len());
    let (reading, zone_text) = text.split_at(split);
    let bad =
        |message: String, at: usize, len: usize| error(base, message, at, len, Some(TIME_HINT));
    let parts = two_digit_groups(reading, 3)
        .filter(|p| p.len() >= 2)
        .ok_or_else(|| {
            bad(
                format!("`{}` is not a time of day", reading.escape_debug()),
                0,
                reading.len(),
            )
        })?;
    let (hour, minute, second) = (parts[0], parts[1], parts.get(2).copied());
    if hour > 23 || minute > 59 || second.is_some_and(|s| s > 59) {
        let message =
            format!("{reading} is not a time of day: hours run to 23, minutes and seconds to 59");
        return Err(bad(message, 0, reading.len()));
    }
    let zone = match zone_text {
        "" => Zone::Unknown,
        "Z" => Zone::Utc,
        offset => {
            let sign = if offset.starts_with('-') { -1 } else { 1 };
            let hm = two_digit_groups(&offset[1..], 2).filter(|p| p.len() == 2);
            match hm {
                Some(p) if p[0] <= 14 && p[1] <= 59 => {
                    Zone::Offset(sign * (p[0] as i32 * 3600 + p[1] as i32 * 60))
                }
                _ => {
                    let message = format!("`{}` is not an offset from UTC", offset.escape_debug());
                    return Err(error(
                        base,
                        message,
                        split,
                        offset.len(),
                        Some("write Z, or ±hh:mm such as +09:00"),
                    ));
                }
            }
        }
    };
    Ok(Clock {
        hour,
        minute,
        second,
        zone,
    })
}

/// `hh:mm[:ss]` as numbers: up to `most` groups of two digits each.
fn two_digit_groups(text: &str, most: usize) -> Option<Vec<u32>> {
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() > most {
        return None;
    }
    parts
        .iter()
        .map(|p| {
            (p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect()
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
    let plain = date.end.is_none()
        && date.open == Open::None
        && date.start.precision() == Precision::Day
        && date.start.qualifier == Qualifier::None
        && date.start.time.is_none();
    match date
        .first_day()
        .naive()
        .filter(|_| plain && date.first_day().is_common_era())
    {
        Some(day) => Ok(day),
        None => Err(DateError {
            message: format!("`{}` is not a full date", text.trim().escape_debug()),
            offset: 0,
            len: text.len().max(1),
            hint: Some("write it as YYYY-MM-DD, e.g. 2024-04-01".into()),
        }),
    }
}
