//! Dates in words, at exactly the precision known: "2024", "July 2024",
//! "18 August 2023, 10:30 JST", "9–11 July 2024", "c. July 2024",
//! "44 BC", "13.8 billion years ago", "since July 2024".

use super::{DatePoint, EventDate, Open, Precision, Qualifier, Unspecified};

/// A year in words: "2023", "44 BC", "12,000 BC", "170,000,002", and for
/// a round number of millions or billions of years before AD 1, "66
/// million years ago", "13.8 billion years ago" (at that distance the two
/// thousand years since AD 1 are below the figure's precision).
pub fn year_label(year: i64) -> String {
    if year > 0 {
        return if year > super::FOUR_DIGITS {
            grouped(year.unsigned_abs())
        } else {
            year.to_string()
        };
    }
    let before = year.unsigned_abs();
    for (unit, name) in [(1_000_000_000, "billion"), (1_000_000, "million")] {
        // Up to three decimals: 13.8 billion, 2.58 million.
        if before >= unit && before.is_multiple_of(unit / 1000) {
            let whole = before / unit;
            let thousandths = (before % unit) / (unit / 1000);
            let figure = if thousandths == 0 {
                grouped(whole)
            } else {
                let decimals = format!("{thousandths:03}");
                format!("{}.{}", grouped(whole), decimals.trim_end_matches('0'))
            };
            return format!("{figure} {name} years ago");
        }
    }
    if before > super::FOUR_DIGITS.unsigned_abs() {
        format!("{} BC", grouped(before))
    } else {
        format!("{before} BC")
    }
}

/// A year in a URL or an id: "2023", "44-bc", "13800000000-bc".
pub fn year_slug(year: i64) -> String {
    if year < 0 {
        format!("{}-bc", year.unsigned_abs())
    } else {
        year.to_string()
    }
}

/// `12345678` as "12,345,678".
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A month of a year in words: "March 2023", "March 44 BC".
pub fn month_year(year: i64, month: u32) -> String {
    format!("{} {}", month_name(month), year_label(year))
}

/// The month's English name, from chrono.
pub(super) fn month_name(month: u32) -> &'static str {
    u8::try_from(month)
        .ok()
        .and_then(|m| chrono::Month::try_from(m).ok())
        .map_or("", |m| m.name())
}

impl DatePoint {
    /// The day's words without qualifier or time: "2024", "July 2024",
    /// "18 August 2023".
    fn plain_day(&self) -> String {
        if matches!(self.unspecified, Unspecified::Decade | Unspecified::Century) {
            return format!("{}s", self.year);
        }
        match (self.month, self.day) {
            (None, _) => year_label(self.year),
            (Some(m), None) => month_year(self.year, m),
            (Some(m), Some(d)) => format!("{d} {}", month_year(self.year, m)),
        }
    }

    /// The time of day in words, "10:30 JST", if there is one.
    fn time_words(&self) -> Option<String> {
        let day = self.first_day().naive()?;
        self.time.map(|c| c.human(day))
    }

    /// Without qualifier: "18 August 2023, 10:30 JST".
    fn plain_human(&self) -> String {
        match self.time_words() {
            Some(time) => format!("{}, {time}", self.plain_day()),
            None => self.plain_day(),
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

    /// The human form: "July 2024", "c. July 2024", "July 2024?",
    /// "18 August 2023, 10:30 JST".
    pub fn human(&self) -> String {
        self.qualify(self.plain_human())
    }
}

impl EventDate {
    /// The human form that keeps exactly the precision known:
    /// "2024", "July 2024", "18 August 2023", "9–11 July 2024", "c. July
    /// 2024", "since July 2024", "100–44 BC".
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
        let untimed = start.time.is_none() && end.time.is_none();
        if unqualified
            && untimed
            && start.precision() == end.precision()
            && let Some(short) = short_range(&start, &end)
        {
            return short;
        }
        if let Some((times, zone)) = start.same_day_times(&end) {
            // "18 August 2023, 10:30–14:00 JST".
            let times = match zone.is_empty() {
                true => times,
                false => format!("{times} {zone}"),
            };
            return format!("{}, {times}", start.plain_day());
        }
        let end_words = if start.year < 0 && end.year > 0 && end.precision() == Precision::Year {
            // "44 BC – AD 14", not "44 BC – 14".
            end.qualify(format!("AD {}", end.plain_human()))
        } else {
            end.human()
        };
        format!("{} – {end_words}", start.human())
    }
}

/// A range of one precision said once where the ends share it: "9–11 July
/// 2024", "July–August 2024", "2022–2024", "100–44 BC".
fn short_range(start: &DatePoint, end: &DatePoint) -> Option<String> {
    let same_year = start.year == end.year;
    let same_month = same_year && start.month == end.month;
    let year = year_label(end.year);
    let (sm, em) = (start.month.unwrap_or(1), end.month.unwrap_or(1));
    Some(match start.precision() {
        Precision::Year if start.year < 0 && end.year < 0 && !year.ends_with(" ago") => {
            let start_words = year_label(start.year);
            let bare = start_words.strip_suffix(" BC")?;
            format!("{bare}–{year}")
        }
        Precision::Year if start.year > 0 => {
            format!("{}–{}", start.plain_human(), end.plain_human())
        }
        Precision::Month if same_year => {
            format!("{}–{} {year}", month_name(sm), month_name(em))
        }
        Precision::Day if same_month => format!(
            "{}–{} {} {year}",
            start.day.unwrap_or(1),
            end.day.unwrap_or(1),
            month_name(em)
        ),
        Precision::Day if same_year => format!(
            "{} {} – {}",
            start.day.unwrap_or(1),
            month_name(sm),
            end.plain_human()
        ),
        _ => return None,
    })
}
