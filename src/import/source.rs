//! The timeline as a TimelineJS file gives it, before anything is mapped to
//! chronicle: TimelineJS's own fields, text still HTML, numbers checked only
//! as numbers. The JSON reader and the sheet reader both make one, so the
//! mapping is written once.
//!
//! TimelineJS's format read, for `chronicle import`; written, for a site's
//! `timeline.json`, by `render::exports::timelinejs`. The two share no
//! types: reading takes every field TimelineJS accepts (and its sheet's
//! columns) loosely, writing makes only the subset chronicle has.

/// A date as TimelineJS splits it: each part present or not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateParts {
    pub year: Option<i64>,
    pub month: Option<i64>,
    pub day: Option<i64>,
    pub hour: Option<i64>,
    pub minute: Option<i64>,
    pub second: Option<i64>,
    pub millisecond: Option<i64>,
    /// The date's own `display_date`.
    pub display_date: Option<String>,
}

impl DateParts {
    /// Where TimelineJS places the date on its axis: missing parts are the
    /// first month, the first day, midnight.
    pub fn timelinejs_key(&self) -> [i64; 7] {
        [
            self.year.unwrap_or(0),
            self.month.unwrap_or(1),
            self.day.unwrap_or(1),
            self.hour.unwrap_or(0),
            self.minute.unwrap_or(0),
            self.second.unwrap_or(0),
            self.millisecond.unwrap_or(0),
        ]
    }
}

/// A slide's picture or embed: the media slot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaRef {
    pub url: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub thumbnail: Option<String>,
    pub alt: Option<String>,
    pub title: Option<String>,
    pub link: Option<String>,
}

/// One slide: an event, the title slide or an era.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Slide {
    pub start: Option<DateParts>,
    pub end: Option<DateParts>,
    pub display_date: Option<String>,
    /// HTML, as TimelineJS shows it.
    pub headline: String,
    /// HTML.
    pub text: String,
    pub media: Option<MediaRef>,
    pub group: Option<String>,
    pub unique_id: Option<String>,
    /// A background colour or image was set.
    pub background: bool,
    /// The line it starts on, when the reader knows it (a sheet's row).
    pub line: Option<u64>,
}

/// A whole TimelineJS timeline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelineJs {
    pub title: Option<Slide>,
    pub events: Vec<Slide>,
    pub eras: Vec<Slide>,
}

/// A text that is there only when it holds more than whitespace.
pub fn nonempty(text: Option<String>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty())
}
