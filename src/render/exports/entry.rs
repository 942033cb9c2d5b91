//! What the exports say of an entry alike: when it was published and last
//! updated (the feeds, the sitemap, JSON-LD), and its status in a title (the
//! feeds, the calendars, TimelineJS).

use chrono::NaiveDate;

use crate::date::Day;
use crate::i18n::Language;
use crate::model::{Kind, Status};
use crate::timeline::Timeline;

/// An entry's status as feeds and calendars say it in a title, in the
/// site's language: nothing for an event that took place, else
/// " (planned)", " (postponed)"...
pub fn status_suffix(status: Status, kind: Kind, language: &Language) -> String {
    match status {
        Status::Held => String::new(),
        s => format!(" ({})", language.label(s.label_key(kind)).to_lowercase()),
    }
}

/// When entry `i` was published and last updated, for feeds and the
/// sitemap: `published`, else the event's first day or the as-of date,
/// whichever is earlier; never after the as-of date.
pub fn feed_dates(t: &Timeline, i: usize) -> (NaiveDate, NaiveDate) {
    let a = &t.entries[i].article;
    // An event before AD 1 has no day a feed can write: the as-of date.
    let event_day = Some(a.date.first_day())
        .filter(Day::is_common_era)
        .and_then(|d| d.naive());
    let published = a
        .published
        .or(event_day)
        .map_or(t.as_of, |d| d.min(t.as_of));
    let updated = a
        .updated
        .map_or(published, |u| u.max(published))
        .min(t.as_of);
    (published, updated)
}
