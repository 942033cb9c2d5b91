//! Dates in a language other than English, through ICU4X's CLDR data: a
//! day, a month or a year, and a range of them, as CLDR writes them
//! (`2023年8月18日`, `2023년 8월 18일`, `2023年8月18日～20日`).
//!
//! Where CLDR has no pattern (approximate and uncertain dates, open ends,
//! decades, deep time, a time of day with chronicle's zone labels, a range
//! whose ends differ in precision), the catalogue's `date-…` patterns join
//! CLDR's pieces. English keeps chronicle's own forms (`date::human`), which
//! its pages have always shown.

use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::{D, M, MD, Y, YM, YMD};
use icu_datetime::{DateTimeFormatterPreferences, FixedCalendarDateTimeFormatter};
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;

use super::Language;
use crate::date::{DatePoint, EventDate, Open, Precision, Qualifier, Unspecified};

type Format<F> = FixedCalendarDateTimeFormatter<Gregorian, F>;

/// CLDR's formatters for one locale.
pub struct Cldr {
    day: Format<YMD>,
    month: Format<YM>,
    year: Format<Y>,
    /// The parts of a range that its other end says already: `20日`,
    /// `9月2日`, `9月`.
    day_only: Format<D>,
    month_day: Format<MD>,
    month_only: Format<M>,
    numbers: DecimalFormatter,
}

impl std::fmt::Debug for Cldr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cldr")
    }
}

impl Cldr {
    /// The formatters for `locale`, if ICU4X's compiled data has them.
    pub fn new(locale: &icu_locale_core::Locale) -> Option<Cldr> {
        let prefs = DateTimeFormatterPreferences::from(locale);
        Some(Cldr {
            day: Format::try_new(prefs, YMD::long()).ok()?,
            month: Format::try_new(prefs, YM::long()).ok()?,
            year: Format::try_new(prefs, Y::long()).ok()?,
            day_only: Format::try_new(prefs, D::long()).ok()?,
            month_day: Format::try_new(prefs, MD::long()).ok()?,
            month_only: Format::try_new(prefs, M::long()).ok()?,
            numbers: DecimalFormatter::try_new(locale.into(), Default::default()).ok()?,
        })
    }

    fn number(&self, n: u64) -> String {
        self.numbers.format(&Decimal::from(n)).to_string()
    }
}

/// A day in ICU's Gregorian calendar (a year 0 before AD 1), within the
/// years CLDR's patterns are made for.
fn gregorian(year: i64, month: u32, day: u32) -> Option<Date<Gregorian>> {
    if !(-9999..=9999).contains(&year) {
        return None;
    }
    let arithmetic = if year < 0 { year + 1 } else { year };
    Date::try_new_gregorian(
        i32::try_from(arithmetic).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    )
    .ok()
}

impl Language {
    /// A year in words: CLDR's within four digits, else the catalogue's
    /// `date-year`, `date-year-bc` or `date-years-ago` with the figure.
    pub(super) fn cldr_year(&self, cldr: &Cldr, year: i64) -> String {
        if let Some(date) = gregorian(year, 1, 1) {
            return cldr.year.format(&date).to_string();
        }
        let figure = cldr.number(year.unsigned_abs());
        let key = match year {
            y if y > 0 => "date-year",
            y if y <= -1_000_000 => "date-years-ago",
            _ => "date-year-bc",
        };
        self.fill(key, &[("year", &figure), ("n", &figure)])
    }

    /// A month of a year: `2023年8月`.
    pub(super) fn cldr_month(&self, cldr: &Cldr, year: i64, month: u32) -> String {
        match gregorian(year, month, 1) {
            Some(date) => cldr.month.format(&date).to_string(),
            None => self.cldr_year(cldr, year),
        }
    }

    fn cldr_day(&self, cldr: &Cldr, year: i64, month: u32, day: u32) -> String {
        match gregorian(year, month, day) {
            Some(date) => cldr.day.format(&date).to_string(),
            None => self.cldr_month(cldr, year, month),
        }
    }

    /// The day's words without qualifier or time.
    fn plain_day(&self, cldr: &Cldr, p: &DatePoint) -> String {
        if matches!(p.unspecified(), Unspecified::Decade | Unspecified::Century) {
            return self.fill("date-decade", &[("year", &p.year().to_string())]);
        }
        match (p.month(), p.day()) {
            (None, _) => self.cldr_year(cldr, p.year()),
            (Some(m), None) => self.cldr_month(cldr, p.year(), m),
            (Some(m), Some(d)) => self.cldr_day(cldr, p.year(), m, d),
        }
    }

    /// A time of day (or two) with its zone, the zone in the catalogue's
    /// words where it has them (`zone-JST`: "日本時間", not the English
    /// "JST"), set as its `time-zone` says ("10:30（日本時間）").
    fn clock(&self, reading: &str, zone: &str) -> String {
        if zone.is_empty() {
            return reading.to_string();
        }
        let key = format!("zone-{zone}");
        let name = if self.table.contains_key(&key) {
            self.label(&key)
        } else {
            zone
        };
        self.fill("time-zone", &[("time", reading), ("zone", name)])
    }

    /// A point with its time of day and qualifiers.
    fn point(&self, cldr: &Cldr, p: &DatePoint) -> String {
        let day = self.plain_day(cldr, p);
        let time = p.first_day().naive().and_then(|naive| {
            p.time()
                .map(|c| self.clock(&c.reading(), &c.zone_label(naive)))
        });
        let text = match time {
            Some(time) => self.fill("date-time", &[("date", &day), ("time", &time)]),
            None => day,
        };
        self.qualify(p, text)
    }

    fn qualify(&self, p: &DatePoint, text: String) -> String {
        let q = p.qualifier();
        let text = match q.is_approximate() {
            true => self.fill("date-approximate", &[("date", &text)]),
            false => text,
        };
        match q.is_uncertain() {
            true => self.fill("date-uncertain", &[("date", &text)]),
            false => text,
        }
    }

    /// An event's date in words, CLDR's where it has the form.
    pub(super) fn cldr_date(&self, cldr: &Cldr, date: &EventDate) -> String {
        let start = date.start();
        let key = match date.open() {
            Open::None => None,
            Open::Ongoing => Some("date-since"),
            Open::EndUnknown => Some("date-end-unknown"),
            Open::Since => Some("date-until"),
            Open::StartUnknown => Some("date-start-unknown"),
        };
        if let Some(key) = key {
            return self.fill(key, &[("date", &self.point(cldr, start))]);
        }
        let end = match date.end() {
            Some(end) if end != start => end,
            _ => return self.point(cldr, start),
        };
        if let Some(range) = self.short_range(cldr, start, end) {
            return range;
        }
        if let Some(times) = self.same_day_times(cldr, start, end) {
            return times;
        }
        let (start, end) = (self.point(cldr, start), self.point(cldr, end));
        self.fill("date-range", &[("start", &start), ("end", &end)])
    }

    /// Two times on one day in one zone: the day once, the times joined by
    /// the catalogue's `date-time`.
    fn same_day_times(&self, cldr: &Cldr, start: &DatePoint, end: &DatePoint) -> Option<String> {
        let (times, zone) = start.same_day_times(end)?;
        let times = self.clock(&times, &zone);
        let day = self.plain_day(cldr, start);
        Some(self.fill("date-time", &[("date", &day), ("time", &times)]))
    }
}

/// Whether a range's ends are days, months or years alike, unqualified,
/// without times or unspecified digits, within CLDR's years.
fn alike(start: &DatePoint, end: &DatePoint) -> bool {
    let plain = |p: &DatePoint| {
        p.qualifier() == Qualifier::None
            && p.time().is_none()
            && p.unspecified() == Unspecified::None
            && (-9999..=9999).contains(&p.year())
    };
    plain(start) && plain(end) && start.precision() == end.precision()
}

impl Language {
    /// A range of one precision with what its ends share said once, as
    /// CLDR's interval formats do (`2023年8月18日～20日`): the catalogue's
    /// `date-range-shared` says which end drops the shared year and month,
    /// `end` (year first, as in Japanese and Korean) or `start` (day first:
    /// `18.–20. August 2023`); `none` writes both ends whole.
    fn short_range(&self, cldr: &Cldr, start: &DatePoint, end: &DatePoint) -> Option<String> {
        if !alike(start, end) {
            return None;
        }
        let (a, b) = (start.first_day(), end.first_day());
        let (da, db) = (
            gregorian(a.year, a.month, a.day)?,
            gregorian(b.year, b.month, b.day)?,
        );
        let same_year = a.year == b.year;
        let same_month = same_year && a.month == b.month;
        let shortened = |d: &Date<Gregorian>| -> Option<String> {
            Some(match start.precision() {
                Precision::Day if same_month => cldr.day_only.format(d).to_string(),
                Precision::Day if same_year => cldr.month_day.format(d).to_string(),
                Precision::Month if same_year => cldr.month_only.format(d).to_string(),
                _ => return None,
            })
        };
        let whole = |p: &DatePoint| self.plain_day(cldr, p);
        let (first, last) = match self.label("date-range-shared") {
            "end" => (whole(start), shortened(&db).unwrap_or_else(|| whole(end))),
            "start" => (shortened(&da).unwrap_or_else(|| whole(start)), whole(end)),
            _ => (whole(start), whole(end)),
        };
        Some(self.fill("date-range", &[("start", &first), ("end", &last)]))
    }
}
