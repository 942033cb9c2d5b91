//! Times of day: `T10:30`, `T10:30:15`, with a written offset (`Z`,
//! `+09:00`) or in a named zone (an IANA name from the site's or the
//! article's `timezone`, resolved with chrono-tz's compiled-in database so
//! the output never depends on the machine).
//!
//! A time is a wall-clock reading on the point's day. Its instant (for
//! ordering events on one day) is that reading less the zone's offset on
//! that day; a time with no zone at all is shown without one and ordered as
//! if it were UTC.

use std::fmt;

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone};
use chrono_tz::{OffsetName, Tz};
use serde::{Deserialize, Serialize};

/// Where a time of day is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Zone {
    /// No offset written and no `timezone` set: shown without a zone.
    Unknown,
    /// `Z`.
    Utc,
    /// `+09:00`: seconds east of UTC, as written.
    Offset(i32),
    /// A named zone from `timezone`; a reading that happens twice (the
    /// clocks went back) is the first of them.
    Named(Tz),
}

/// A time of day on a point's day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Clock {
    pub hour: u32,
    pub minute: u32,
    /// Seconds, when they were written.
    pub second: Option<u32>,
    pub zone: Zone,
}

/// A local reading that a named zone skips or repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZoneTrouble {
    /// The clocks jumped over it: an error.
    Gap { message: String, hint: String },
    /// It happens twice: a warning; the first is taken.
    Ambiguous { message: String, hint: String },
}

impl Clock {
    fn naive_time(&self) -> NaiveTime {
        NaiveTime::from_hms_opt(self.hour, self.minute, self.second.unwrap_or(0))
            .expect("validated when parsed")
    }

    /// The offset from UTC on `day`; `None` for a time with no zone.
    pub fn offset(&self, day: NaiveDate) -> Option<FixedOffset> {
        let local = day.and_time(self.naive_time());
        match self.zone {
            Zone::Unknown => None,
            Zone::Utc => FixedOffset::east_opt(0),
            Zone::Offset(seconds) => FixedOffset::east_opt(seconds),
            Zone::Named(tz) => tz
                .offset_from_local_datetime(&local)
                .earliest()
                .map(|o| o.fix()),
        }
    }

    /// Seconds since 1970 in UTC (a time with no zone taken as UTC).
    pub fn instant(&self, day: NaiveDate) -> i64 {
        let local = day.and_time(self.naive_time());
        let offset = self
            .offset(day)
            .map_or(0, |o| i64::from(o.local_minus_utc()));
        local.and_utc().timestamp() - offset
    }

    /// `10:30` or `10:30:15`.
    pub fn reading(&self) -> String {
        match self.second {
            Some(s) => format!("{:02}:{:02}:{s:02}", self.hour, self.minute),
            None => format!("{:02}:{:02}", self.hour, self.minute),
        }
    }

    /// The zone as readers know it on `day`: "JST", "UTC", "UTC+05:30";
    /// empty for a time with no zone.
    pub fn zone_label(&self, day: NaiveDate) -> String {
        match self.zone {
            Zone::Unknown => String::new(),
            Zone::Utc => "UTC".into(),
            Zone::Offset(seconds) => utc_offset_label(seconds),
            Zone::Named(tz) => {
                let local = day.and_time(self.naive_time());
                let Some(offset) = tz.offset_from_local_datetime(&local).earliest() else {
                    return String::new();
                };
                match offset.abbreviation() {
                    // Zones without a letter abbreviation say "+04".
                    Some(abbr) if !abbr.starts_with(['+', '-']) => abbr.to_string(),
                    _ => utc_offset_label(offset.fix().local_minus_utc()),
                }
            }
        }
    }

    /// "10:30 JST", or "10:30" with no zone.
    pub fn human(&self, day: NaiveDate) -> String {
        let zone = self.zone_label(day);
        if zone.is_empty() {
            self.reading()
        } else {
            format!("{} {zone}", self.reading())
        }
    }

    /// For `<time datetime>` and JSON-LD: `10:30+09:00`, `10:30Z`, or
    /// `10:30` with no zone.
    pub fn html(&self, day: NaiveDate) -> String {
        let offset = match self.zone {
            Zone::Unknown => String::new(),
            Zone::Utc => "Z".into(),
            _ => self
                .offset(day)
                .map_or(String::new(), |o| offset_text(o.local_minus_utc())),
        };
        format!("{}{offset}", self.reading())
    }

    /// The time read in `tz` when it was written with no offset, and what
    /// is wrong with that reading if the zone skips or repeats it.
    pub fn in_zone(self, day: NaiveDate, tz: Tz) -> (Clock, Option<ZoneTrouble>) {
        if self.zone != Zone::Unknown {
            return (self, None);
        }
        let named = Clock {
            zone: Zone::Named(tz),
            ..self
        };
        let local = day.and_time(self.naive_time());
        let trouble = match tz.offset_from_local_datetime(&local) {
            chrono::LocalResult::Single(_) => None,
            chrono::LocalResult::None => Some(gap(&local, tz)),
            chrono::LocalResult::Ambiguous(first, second) => {
                Some(ambiguous(&local, tz, &first, &second))
            }
        };
        (named, trouble)
    }
}

impl fmt::Display for Clock {
    /// `T10:30`, `T10:30:15Z`, `T10:30+09:00`; a named zone is not written
    /// (it comes from `timezone`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "T{}", self.reading())?;
        match self.zone {
            Zone::Utc => write!(f, "Z"),
            Zone::Offset(seconds) => write!(f, "{}", offset_text(seconds)),
            Zone::Unknown | Zone::Named(_) => Ok(()),
        }
    }
}

fn gap(local: &NaiveDateTime, tz: Tz) -> ZoneTrouble {
    // The first reading after the gap, and the offset before it, minute by
    // minute (gaps are short).
    let steps = || (1..=24 * 60).map(chrono::Duration::minutes);
    let after = steps()
        .map(|m| *local + m)
        .find(|t| tz.offset_from_local_datetime(t).single().is_some());
    let before = steps()
        .filter_map(|m| tz.offset_from_local_datetime(&(*local - m)).single())
        .next()
        .map(|o| offset_text(o.fix().local_minus_utc()));
    let example = format!(
        "{}T{}{}",
        local.format("%Y-%m-%d"),
        local.format("%H:%M"),
        before.unwrap_or_else(|| "+00:00".into())
    );
    ZoneTrouble::Gap {
        message: format!(
            "{} on {} does not exist in {}: the clocks went forward",
            local.format("%H:%M"),
            local.format("%Y-%m-%d"),
            tz.name()
        ),
        hint: match after {
            Some(t) => format!(
                "write a time from {} on, or give the offset the source used, e.g. {example}",
                t.format("%H:%M"),
            ),
            None => format!("give the offset the source used, e.g. {example}"),
        },
    }
}

fn ambiguous(
    local: &NaiveDateTime,
    tz: Tz,
    first: &chrono_tz::TzOffset,
    second: &chrono_tz::TzOffset,
) -> ZoneTrouble {
    let (a, b) = (
        first.fix().local_minus_utc(),
        second.fix().local_minus_utc(),
    );
    ZoneTrouble::Ambiguous {
        message: format!(
            "{} on {} happens twice in {} (the clocks went back); taken as the first, at {}",
            local.format("%H:%M"),
            local.format("%Y-%m-%d"),
            tz.name(),
            utc_offset_label(a)
        ),
        hint: {
            let written = format!("{}T{}", local.format("%Y-%m-%d"), local.format("%H:%M"));
            format!(
                "write the offset to say which: {written}{} for the first, {written}{} for the second",
                offset_text(a),
                offset_text(b)
            )
        },
    }
}

/// `+09:00`, `-05:00`, `+05:45`.
pub fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// "UTC+09:00"; "UTC" for zero.
fn utc_offset_label(seconds: i32) -> String {
    if seconds == 0 {
        "UTC".into()
    } else {
        format!("UTC{}", offset_text(seconds))
    }
}

/// Reads an IANA zone name, or says which names are close.
pub fn parse_zone(name: &str) -> Result<Tz, String> {
    if let Ok(tz) = name.parse::<Tz>() {
        return Ok(tz);
    }
    let best = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| {
            (
                strsim::jaro_winkler(&name.to_lowercase(), &tz.name().to_lowercase()),
                tz,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    Err(match best {
        Some((_, tz)) => format!("did you mean `{}`?", tz.name()),
        None => "use an IANA zone name such as Asia/Tokyo, America/New_York or UTC".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(hour: u32, minute: u32, zone: Zone) -> Clock {
        Clock {
            hour,
            minute,
            second: None,
            zone,
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn named_zones_show_their_abbreviation() {
        let tokyo = clock(10, 30, Zone::Named(chrono_tz::Asia::Tokyo));
        assert_eq!(tokyo.human(day(2023, 8, 18)), "10:30 JST");
        assert_eq!(tokyo.html(day(2023, 8, 18)), "10:30+09:00");
        let dubai = clock(9, 0, Zone::Named(chrono_tz::Asia::Dubai));
        assert_eq!(dubai.human(day(2023, 8, 18)), "09:00 UTC+04:00");
        let ny = clock(9, 0, Zone::Named(chrono_tz::America::New_York));
        assert_eq!(ny.human(day(2023, 1, 5)), "09:00 EST");
        assert_eq!(ny.human(day(2023, 7, 5)), "09:00 EDT");
        assert_eq!(clock(9, 0, Zone::Unknown).human(day(2023, 7, 5)), "09:00");
        assert_eq!(clock(9, 0, Zone::Utc).html(day(2023, 7, 5)), "09:00Z");
    }

    #[test]
    fn instants_take_the_offset_away() {
        let d = day(2023, 8, 18);
        let tokyo = clock(10, 30, Zone::Named(chrono_tz::Asia::Tokyo));
        let utc = clock(1, 30, Zone::Utc);
        assert_eq!(tokyo.instant(d), utc.instant(d));
        let written = clock(10, 30, Zone::Offset(9 * 3600));
        assert_eq!(written.instant(d), utc.instant(d));
    }

    #[test]
    fn gaps_are_errors_and_repeats_warnings() {
        let london = chrono_tz::Europe::London;
        let (_, trouble) = clock(1, 30, Zone::Unknown).in_zone(day(2023, 3, 26), london);
        let Some(ZoneTrouble::Gap { message, hint }) = trouble else {
            panic!("{trouble:?}")
        };
        assert_eq!(
            message,
            "01:30 on 2023-03-26 does not exist in Europe/London: the clocks went forward"
        );
        assert!(hint.contains("from 02:00 on"), "{hint}");
        let (c, trouble) = clock(1, 30, Zone::Unknown).in_zone(day(2023, 10, 29), london);
        assert!(matches!(trouble, Some(ZoneTrouble::Ambiguous { .. })));
        // The first of the two: British Summer Time.
        assert_eq!(c.human(day(2023, 10, 29)), "01:30 BST");
        let (_, fine) = clock(12, 0, Zone::Unknown).in_zone(day(2023, 10, 29), london);
        assert_eq!(fine, None);
    }

    #[test]
    fn zone_names_suggest_the_closest() {
        assert_eq!(parse_zone("Asia/Tokyo").unwrap(), chrono_tz::Asia::Tokyo);
        assert_eq!(
            parse_zone("Asia/Tokio").unwrap_err(),
            "did you mean `Asia/Tokyo`?"
        );
        assert!(parse_zone("JST").is_err());
    }
}
