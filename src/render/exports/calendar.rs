//! The calendars, for calendar programs: `calendar.ics` (iCalendar, RFC
//! 5545) and one per participant, place, tag and series. A calendar holds
//! only events known to the day (see [`EventDate::in_calendar`](crate::date::EventDate::in_calendar)); one without any is
//! not made. Each entry's VEVENT is written once, for every calendar that
//! holds it; the site's calendar is put together from each year's part,
//! and a term's is kept by the key of its events.

use chrono::NaiveDate;

use super::entry::status_suffix;
use crate::date::{DatePoint, EventDate};
use crate::fingerprint::{Fingerprint, Hasher};
use crate::i18n::Language;
use crate::model::{Status, Taxonomy};
use crate::render::Renderer;
use crate::render::bodies::Bodies;
use crate::render::page::{Page, generated};
use crate::render::views::{calendar_url, term_calendar_url};
use crate::routes;
use crate::timeline::{MAX_NAMES, Timeline};

/// One VEVENT.
struct CalendarEvent {
    uid: String,
    /// `;VALUE=DATE:20230818`, `:20230818T013000Z` (the property's
    /// parameters and value).
    start: String,
    /// For a day, the day after the last (DTEND is exclusive); for a time,
    /// the end's time, if the date has one.
    end: Option<String>,
    summary: String,
    description: String,
    location: Option<String>,
    url: Option<String>,
    categories: Vec<String>,
    status: &'static str,
}

/// The calendar status of an event: planned (and postponed, whose new day
/// is not known) TENTATIVE, held CONFIRMED, cancelled CANCELLED.
fn ical_status(status: Status) -> &'static str {
    match status {
        Status::Held => "CONFIRMED",
        Status::Planned | Status::Postponed => "TENTATIVE",
        Status::Cancelled => "CANCELLED",
    }
}

/// Entry `i` as a calendar event.
fn calendar_event(
    t: &Timeline,
    bodies: &Bodies,
    i: usize,
    host: &str,
    language: &Language,
) -> CalendarEvent {
    let e = &t.entries[i];
    let a = &e.article;
    let url = t.routes.article(&a.id).url;
    CalendarEvent {
        uid: format!("{}@{host}", routes::anchor(&a.id)),
        start: ical_start(&a.date),
        end: ical_end(&a.date),
        summary: format!("{}{}", a.title, status_suffix(e.status, a.kind, language)),
        description: bodies.summary(t, i).to_string(),
        location: a.location.as_ref().map(|l| l.value.clone()),
        url: t.routes.permalink(&url),
        categories: [Taxonomy::Participants, Taxonomy::Tags]
            .iter()
            .flat_map(|tx| a.names(*tx).iter().take(MAX_NAMES))
            .map(|n| n.value.clone())
            .collect(),
        status: ical_status(e.status),
    }
}

/// Entry `i`'s VEVENT, written the first time a calendar needs it and
/// shared by every calendar that holds it: empty for an entry not known
/// to the day.
fn vevent<'r>(r: &'r Renderer<'_>, i: usize) -> &'r str {
    let t = r.timeline;
    let (host, events) = r.vevents.get_or_init(|| {
        let host = t
            .routes
            .origin()
            .and_then(|o| url::Url::parse(o).ok())
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| "chronicle.invalid".into());
        let events = std::iter::repeat_with(std::sync::OnceLock::new)
            .take(t.entries.len())
            .collect();
        (host, events)
    });
    events[i].get_or_init(|| {
        if !t.entries[i].article.date.in_calendar() {
            return String::new();
        }
        let language = &r.templates.language;
        write_vevent(&calendar_event(t, r.bodies, i, host, language), t.as_of)
    })
}

/// Text for an iCalendar TEXT value: backslash, semicolon, comma and line
/// breaks escaped (RFC 5545, 3.3.11).
pub fn ical_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets (never inside a UTF-8 character),
/// each piece ended by CRLF, continuations starting with a space.
pub fn ical_fold(line: &str, out: &mut String) {
    let mut rest = line;
    let mut limit = 75;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        // The leading space counts toward the next line's 75 octets.
        limit = 74;
    }
}

/// `20230818`: chrono's `%Y%m%d` (the year zero-padded to four digits),
/// without parsing the pattern again for each of a calendar's days.
fn ical_day(day: NaiveDate) -> String {
    use chrono::Datelike;
    use std::fmt::Write as _;
    let mut text = String::with_capacity(8);
    let _ = write!(text, "{:04}{:02}{:02}", day.year(), day.month(), day.day());
    text
}

/// A point's day, and its time when it has one: in UTC when its zone is
/// known, else floating (RFC 5545, 3.3.5).
fn ical_time(point: &DatePoint) -> Option<String> {
    let day = point.first_day().naive()?;
    let clock = point.time()?;
    Some(match clock.offset(day) {
        Some(_) => {
            let utc = chrono::DateTime::from_timestamp(clock.instant(day), 0)?;
            format!(":{}Z", utc.format("%Y%m%dT%H%M%S"))
        }
        None => format!(
            ":{}T{:02}{:02}{:02}",
            ical_day(day),
            clock.hour,
            clock.minute,
            clock.second.unwrap_or(0)
        ),
    })
}

/// DTSTART's parameters and value: a time when the start has one and the
/// end (if any) does too, else the first day.
fn ical_start(date: &EventDate) -> String {
    let end_untimed = date.end().is_some_and(|e| e.time().is_none());
    match ical_time(date.start()).filter(|_| !end_untimed) {
        Some(time) => time,
        None => format!(
            ";VALUE=DATE:{}",
            ical_day(date.first_day().naive().unwrap_or_default())
        ),
    }
}

/// DTEND's: the end's time for a timed date (none for a single time: the
/// event ends when it starts), else the day after the last.
fn ical_end(date: &EventDate) -> Option<String> {
    if ical_start(date).starts_with(':') {
        return date.end().and_then(ical_time);
    }
    let last = date.last_day().naive()?;
    Some(format!(
        ";VALUE=DATE:{}",
        ical_day(last.succ_opt().unwrap_or(last))
    ))
}

/// A calendar of `events` (VEVENTs as [`write_vevent`] writes them).
fn write_calendar<'e>(
    name: &str,
    description: Option<&str>,
    events: impl Iterator<Item = &'e str>,
) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//chronicle//chronicle//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        ical_fold(line, &mut out);
    }
    ical_fold(&format!("X-WR-CALNAME:{}", ical_text(name)), &mut out);
    if let Some(d) = description {
        ical_fold(&format!("X-WR-CALDESC:{}", ical_text(d)), &mut out);
    }
    for event in events {
        out.push_str(event);
    }
    ical_fold("END:VCALENDAR", &mut out);
    out
}

/// One VEVENT, its lines folded and ended by CRLF.
fn write_vevent(e: &CalendarEvent, stamp: NaiveDate) -> String {
    let mut out = String::new();
    let mut line = |text: String| ical_fold(&text, &mut out);
    line("BEGIN:VEVENT".into());
    line(format!("UID:{}", ical_text(&e.uid)));
    line(format!("DTSTAMP:{}T000000Z", ical_day(stamp)));
    line(format!("DTSTART{}", e.start));
    if let Some(end) = &e.end {
        line(format!("DTEND{end}"));
    }
    line(format!("SUMMARY:{}", ical_text(&e.summary)));
    if !e.description.is_empty() {
        line(format!("DESCRIPTION:{}", ical_text(&e.description)));
    }
    if let Some(l) = &e.location {
        line(format!("LOCATION:{}", ical_text(l)));
    }
    if let Some(u) = &e.url {
        line(format!("URL:{u}"));
    }
    if !e.categories.is_empty() {
        let list: Vec<String> = e.categories.iter().map(|c| ical_text(c)).collect();
        line(format!("CATEGORIES:{}", list.join(",")));
    }
    line(format!("STATUS:{}", e.status));
    line("TRANSP:TRANSPARENT".into());
    line("END:VEVENT".into());
    out
}

/// A term's calendar is made from its name, its events (each named by its
/// entry key, which holds what every page shares), the templates (their
/// words) and nothing else: a calendar whose key stands is kept without
/// its text being made, so an edit re-makes only its terms' calendars.
fn term_calendar_key(r: &Renderer<'_>, taxonomy: Taxonomy, index: usize) -> Fingerprint {
    let term = &r.timeline.terms(taxonomy)[index];
    let events = r.views.entry_keys();
    let mut h = Hasher::new();
    h.part(b"ics term 1")
        .fingerprint(r.templates.fingerprint)
        .part(taxonomy.singular().as_bytes())
        .part(term.name.as_bytes())
        .part(&(term.entries.len() as u64).to_le_bytes());
    for &i in &term.entries {
        h.fingerprint(events[i]);
    }
    h.finish()
}

/// `calendar.ics`, and a calendar per term: every event known to the day
/// (a calendar must hold at least one event, so one with none is not made).
pub fn calendars(r: &Renderer<'_>) -> Vec<Page> {
    let t = r.timeline;
    let mut pages = Vec::new();
    if calendar_url(t).is_some() {
        // From each year's part: an edit writes its year's VEVENTs again.
        let render = |r: &Renderer<'_>, previous: Option<Fingerprint>| {
            let t = r.timeline;
            let all: Vec<usize> = (0..t.entries.len()).collect();
            let parts = r.year_parts("ics", &all, |run| {
                run.iter().map(|&i| vevent(r, i)).collect()
            });
            let events = parts.iter().map(|part| &**part);
            let text = write_calendar(&t.settings.title, t.settings.description.as_deref(), events);
            Ok(r.produce("ics 1", text, previous))
        };
        pages.push(Page {
            route: t.routes.calendar(),
            origin: generated("the calendar"),
            render: Box::new(render),
        });
    }
    for taxonomy in Taxonomy::ALL {
        for (index, term) in t.terms(taxonomy).iter().enumerate() {
            if term_calendar_url(t, taxonomy, index).is_none() {
                continue;
            }
            let route = t.routes.term_calendar(taxonomy, &term.slug);
            let path = route.path.clone();
            let render = move |r: &Renderer<'_>, previous: Option<Fingerprint>| {
                let key = r
                    .fingerprints
                    .then(|| term_calendar_key(r, taxonomy, index));
                if let Some(kept) = key.and_then(|key| r.kept_by(&path, key, previous)) {
                    return Ok(kept);
                }
                let t = r.timeline;
                let term = &t.terms(taxonomy)[index];
                let name = format!("{} — {}", term.name, t.settings.title);
                let events = term.entries.iter().map(|&i| vevent(r, i));
                let text = write_calendar(&name, t.settings.description.as_deref(), events);
                let rendering = Ok(r.produce("ics 1", text, previous));
                r.record_made(&path, key, &rendering);
                rendering
            };
            pages.push(Page {
                route,
                origin: generated(&format!(
                    "the calendar of {} “{}”",
                    taxonomy.singular().to_lowercase(),
                    term.name
                )),
                render: Box::new(render),
            });
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_calendar_day_is_written_as_chrono_writes_it() {
        for (y, m, d) in [(1, 1, 1), (999, 12, 31), (2023, 8, 18), (9999, 12, 31)] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(ical_day(day), day.format("%Y%m%d").to_string());
        }
    }

    #[test]
    fn lines_fold_at_75_octets_between_characters() {
        let long = format!("SUMMARY:{}", "日本".repeat(40));
        let mut out = String::new();
        ical_fold(&long, &mut out);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
    }

    #[test]
    fn text_is_escaped_for_icalendar() {
        assert_eq!(ical_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn a_calendar_reads_back_with_a_real_parser() {
        use icalendar::{Calendar, CalendarComponent, Component, EventLike};
        let text = "Two lines;\nthe second, with \\ and 東京 🎌";
        let event = write_vevent(
            &CalendarEvent {
                uid: "a@example.org".into(),
                start: ";VALUE=DATE:20240228".into(),
                end: Some(";VALUE=DATE:20240301".into()),
                summary: "x".repeat(300),
                description: text.into(),
                location: Some("Here, there".into()),
                url: None,
                categories: vec!["a,b".into(), "c".into()],
                status: "TENTATIVE",
            },
            NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
        );
        let written = write_calendar("A, b; c", None, [event.as_str()].into_iter());
        let calendar: Calendar = written.parse().unwrap();
        let CalendarComponent::Event(event) = &calendar.components[0] else {
            panic!("an event first");
        };
        assert_eq!(event.get_description(), Some(text));
        assert_eq!(event.get_summary(), Some("x".repeat(300).as_str()));
        assert_eq!(event.get_location(), Some("Here, there"));
        assert_eq!(event.get_status(), Some(icalendar::EventStatus::Tentative));
    }
}
