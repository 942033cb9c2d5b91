//! The site's exports, for the programs that read a timeline beside its
//! pages: the feeds (`atom.xml`, RFC 4287; `feed.json`, JSON Feed 1.1), the
//! calendars (`calendar.ics`, RFC 5545, and one per participant, place, tag
//! and series), the TimelineJS data (`timeline.json`) and the page that
//! shows it, the sitemap and `robots.txt`, and the schema.org JSON-LD the
//! article and timeline pages carry.
//!
//! Each export is a page kind like the HTML pages (see `pages.rs`), made by
//! [`Renderer::produce`]: made on every build (writing one costs what
//! fingerprinting its inputs would) and fingerprinted by its bytes, so it is
//! written again exactly when it changed.
//!
//! Dates: a feed entry is dated by when the article was published or
//! updated, never by its event, and never after the as-of date. A calendar
//! holds only events known to the day; TimelineJS and JSON-LD get the parts
//! of a date that are known, no more.

use chrono::NaiveDate;
use serde::Serialize;

use super::Renderer;
use super::pages::{Page, generated};
use super::views::LISTING_NAMES;
use crate::date::{DatePoint, Day, EventDate, Precision};
use crate::diagnostics::Diagnostic;
use crate::fingerprint::{Fingerprint, Hasher};
use crate::i18n::Language;
use crate::model::{Kind, Status, Taxonomy};
use crate::routes::{self, Route};
use crate::timeline::{MAX_NAMES, Timeline};

/// The sitemap protocol's limit of addresses per file.
const SITEMAP_LIMIT: usize = 50_000;

/// An entry's status as feeds and calendars say it in a title, in the
/// site's language: nothing for an event that took place, else
/// " (planned)", " (postponed)"...
fn status_suffix(status: Status, kind: Kind, language: &Language) -> String {
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

fn rfc3339(day: NaiveDate) -> String {
    format!("{}T00:00:00Z", day.format("%Y-%m-%d"))
}

/// Root-relative `href` and `src` addresses in rendered HTML made absolute
/// (`/news/x/` to `https://example.org/news/x/`), for HTML read away from
/// the site. Protocol-relative addresses (`//host`) are left as they are.
pub fn absolute_links(html: &str, origin: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    loop {
        let next = ["href=\"/", "src=\"/"]
            .iter()
            .filter_map(|pattern| rest.find(pattern).map(|at| at + pattern.len() - 1))
            .min();
        let Some(split) = next else { break };
        out.push_str(&rest[..split]);
        rest = &rest[split..];
        if !rest.starts_with("//") {
            out.push_str(origin);
        }
    }
    out.push_str(rest);
    out
}

/// Text for XML: `&`, `<`, `>` and `"` escaped.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// A name a feed entry is filed under, with the address of its
/// taxonomy's index as the scheme.
#[derive(Serialize)]
struct Category {
    term: String,
    scheme: String,
}

/// One feed entry: everything the two feeds write about an article.
#[derive(Serialize)]
struct FeedEntry {
    #[serde(skip)]
    index: usize,
    permalink: String,
    title: String,
    summary: String,
    published: NaiveDate,
    updated: NaiveDate,
    categories: Vec<Category>,
    /// The absolute address of the event's picture.
    image: Option<String>,
    event: EventExtension,
}

/// The event behind a JSON Feed item: `_chronicle`.
#[derive(Serialize)]
struct EventExtension {
    /// As written (EDTF).
    date: String,
    first_day: Day,
    last_day: Day,
    /// `day`, `month`, `year`, `decade` or `century`: the coarser of the
    /// two ends.
    precision: &'static str,
    /// An end that is not a date: `ongoing` (`2024-07/..`), `end-unknown`
    /// (`2024-07/`), `since` (`../1950`), `start-unknown` (`/1950`); the
    /// days are then the known end's.
    #[serde(skip_serializing_if = "Option::is_none")]
    open: Option<&'static str>,
    status: &'static str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    participants: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    series: Option<String>,
}

fn precision(date: &EventDate) -> &'static str {
    use crate::date::Unspecified;
    match date.start().unspecified() {
        Unspecified::Century => return "century",
        Unspecified::Decade => return "decade",
        _ => {}
    }
    let coarsest = [Some(date.start()), date.end()]
        .into_iter()
        .flatten()
        .map(DatePoint::precision)
        .min_by_key(|p| match p {
            Precision::Year => 0,
            Precision::Month => 1,
            Precision::Day => 2,
        });
    match coarsest {
        Some(Precision::Day) => "day",
        Some(Precision::Month) => "month",
        _ => "year",
    }
}

/// The feeds' shared context: the site's addresses and the entries most
/// recently published or updated first, at most `feed_limit`.
#[derive(Serialize)]
struct FeedContext {
    title: String,
    description: Option<String>,
    language: String,
    home: String,
    self_url: String,
    updated: NaiveDate,
    entries: Vec<FeedEntry>,
}

/// The entries a feed holds, most recently published or updated first, at
/// most `feed_limit`: each with its dates, published and updated.
fn feed_order(t: &Timeline) -> Vec<(NaiveDate, NaiveDate, usize)> {
    let mut order: Vec<(NaiveDate, NaiveDate, usize)> = (0..t.entries.len())
        .map(|i| {
            let (published, updated) = feed_dates(t, i);
            (updated, published, i)
        })
        .collect();
    // Most recent first; the same day in timeline order, later first.
    order.sort_unstable_by(|a, b| b.cmp(a));
    order.truncate(t.settings.feed_limit);
    order
}

fn feed_context(
    r: &Renderer<'_>,
    route: &Route,
    origin: &str,
    order: &[(NaiveDate, NaiveDate, usize)],
) -> FeedContext {
    let t = r.timeline;
    let abs = |url: &str| format!("{origin}{url}");
    let entries: Vec<FeedEntry> = order
        .iter()
        .map(|&(updated, published, i)| {
            feed_entry(t, i, (published, updated), origin, &r.templates.language)
        })
        .collect();
    let s = &t.settings;
    FeedContext {
        title: s.title.clone(),
        description: s.description.clone(),
        language: s.language.clone(),
        home: abs(&t.routes.home().url),
        self_url: abs(&route.url),
        updated: entries.iter().map(|e| e.updated).max().unwrap_or(t.as_of),
        entries,
    }
}

/// A feed is made from its entries (each named by its event key, which
/// holds its dates, its body and what every page shares, the address of
/// the feed among it), in their order, the templates (their words) and
/// its format: a feed whose key stands is kept without being made, so an
/// edit to an entry it does not hold leaves it alone.
fn feed_page(
    route: Route,
    (format, name): (&'static str, &str),
    write: fn(&Timeline, &FeedContext, &str) -> Result<String, Diagnostic>,
) -> Page {
    let own = route.clone();
    let render = move |r: &Renderer<'_>, previous: Option<Fingerprint>| {
        let (t, path) = (r.timeline, &own.path);
        let order = feed_order(t);
        let key = r.fingerprints.then(|| {
            let events = r.views.event_keys();
            let mut h = Hasher::new();
            h.part(b"feed 1")
                .part(format.as_bytes())
                .fingerprint(r.templates.fingerprint)
                .part(&(order.len() as u64).to_le_bytes());
            for &(_, _, i) in &order {
                h.fingerprint(events[i]);
            }
            h.finish()
        });
        if let Some(kept) = key.and_then(|key| r.kept_by(path, key, previous)) {
            return Ok(kept);
        }
        let origin = t.routes.origin().unwrap_or_default();
        let context = feed_context(r, &own, origin, &order);
        let rendering = r.produce(format, &context, previous, |c| write(t, c, origin));
        r.record_made(path, key, &rendering);
        rendering
    };
    Page {
        route,
        origin: generated(name),
        render: Box::new(render),
    }
}

/// Entry `i` as the feeds give it.
fn feed_entry(
    t: &Timeline,
    i: usize,
    (published, updated): (NaiveDate, NaiveDate),
    origin: &str,
    language: &Language,
) -> FeedEntry {
    let abs = |url: &str| format!("{origin}{url}");
    let e = &t.entries[i];
    let a = &e.article;
    let mut categories = Vec::new();
    for taxonomy in [Taxonomy::Participants, Taxonomy::Tags] {
        let scheme = abs(&t.routes.taxonomy(taxonomy).url);
        // The names with pages of their own, as on the article's.
        let names = a.names(taxonomy).iter().take(MAX_NAMES);
        categories.extend(names.map(|n| Category {
            term: n.value.clone(),
            scheme: scheme.clone(),
        }));
    }
    FeedEntry {
        index: i,
        permalink: abs(&t.routes.article(&a.id).url),
        title: format!("{}{}", a.title, status_suffix(e.status, a.kind, language)),
        summary: t.summary(i).to_string(),
        published,
        updated,
        categories,
        image: a.media.as_ref().and_then(|m| media_permalink(t, m)),
        event: EventExtension {
            date: a.date.to_string(),
            first_day: a.date.first_day(),
            last_day: a.date.last_day(),
            precision: precision(&a.date),
            open: match a.date.open() {
                crate::date::Open::None => None,
                crate::date::Open::Ongoing => Some("ongoing"),
                crate::date::Open::EndUnknown => Some("end-unknown"),
                crate::date::Open::Since => Some("since"),
                crate::date::Open::StartUnknown => Some("start-unknown"),
            },
            status: e.status.key(),
            kind: a.kind.key(),
            location: a.location.as_ref().map(|l| l.value.clone()),
            participants: a.participants.iter().map(|p| p.value.clone()).collect(),
            series: a.series.as_ref().map(|s| s.value.clone()),
        },
    }
}

/// Entry `i`'s body with absolute links.
fn feed_content(t: &Timeline, i: usize, origin: &str) -> Result<String, Diagnostic> {
    Ok(absolute_links(&t.body_html(i)?, origin))
}

/// `atom.xml`: the Atom feed (needs the site's base URL).
pub fn atom(r: &Renderer<'_>) -> Vec<Page> {
    if r.timeline.routes.origin().is_none() {
        return Vec::new();
    }
    let route = r.timeline.routes.atom();
    vec![feed_page(route, ("atom 1", "the Atom feed"), write_atom)]
}

fn write_atom(t: &Timeline, c: &FeedContext, origin: &str) -> Result<String, Diagnostic> {
    use std::fmt::Write;
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    let _ = writeln!(
        w,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        xml(&c.language)
    );
    let _ = writeln!(w, "  <title>{}</title>", xml(&c.title));
    if let Some(d) = &c.description {
        let _ = writeln!(w, "  <subtitle>{}</subtitle>", xml(d));
    }
    let _ = writeln!(w, "  <id>{}</id>", xml(&c.home));
    let _ = writeln!(
        w,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml(&c.self_url)
    );
    let _ = writeln!(
        w,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml(&c.home)
    );
    let _ = writeln!(w, "  <updated>{}</updated>", rfc3339(c.updated));
    let _ = writeln!(w, "  <author><name>{}</name></author>", xml(&c.title));
    let _ = writeln!(w, "  <generator>chronicle</generator>");
    for e in &c.entries {
        write_atom_entry(w, e, &feed_content(t, e.index, origin)?);
    }
    let _ = writeln!(w, "</feed>");
    Ok(out)
}

fn write_atom_entry(w: &mut String, e: &FeedEntry, content: &str) {
    use std::fmt::Write;
    let _ = writeln!(w, "  <entry>");
    let _ = writeln!(w, "    <title>{}</title>", xml(&e.title));
    let _ = writeln!(w, "    <id>{}</id>", xml(&e.permalink));
    let _ = writeln!(
        w,
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml(&e.permalink)
    );
    let _ = writeln!(w, "    <published>{}</published>", rfc3339(e.published));
    let _ = writeln!(w, "    <updated>{}</updated>", rfc3339(e.updated));
    for cat in &e.categories {
        let _ = writeln!(
            w,
            "    <category term=\"{}\" scheme=\"{}\"/>",
            xml(&cat.term),
            xml(&cat.scheme)
        );
    }
    if !e.summary.is_empty() {
        let _ = writeln!(w, "    <summary>{}</summary>", xml(&e.summary));
    }
    let _ = writeln!(
        w,
        "    <content type=\"html\" xml:base=\"{}\">{}</content>",
        xml(&e.permalink),
        xml(content)
    );
    let _ = writeln!(w, "  </entry>");
}

/// `feed.json`: the JSON Feed (needs the site's base URL).
pub fn json_feed(r: &Renderer<'_>) -> Vec<Page> {
    if r.timeline.routes.origin().is_none() {
        return Vec::new();
    }
    let route = r.timeline.routes.json_feed();
    let name = ("json feed 1", "the JSON feed");
    vec![feed_page(route, name, write_json_feed)]
}

/// JSON Feed 1.1's top-level object.
#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    language: &'a str,
    authors: [Author<'a>; 1],
    items: Vec<Item<'a>>,
}
#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
}
#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    summary: &'a str,
    content_html: String,
    date_published: String,
    date_modified: String,
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    _chronicle: &'a EventExtension,
}

fn write_json_feed(t: &Timeline, c: &FeedContext, origin: &str) -> Result<String, Diagnostic> {
    let items = c
        .entries
        .iter()
        .map(|e| {
            Ok(Item {
                id: &e.permalink,
                url: &e.permalink,
                title: &e.title,
                summary: &e.summary,
                content_html: feed_content(t, e.index, origin)?,
                date_published: rfc3339(e.published),
                date_modified: rfc3339(e.updated),
                tags: e.categories.iter().map(|c| c.term.as_str()).collect(),
                image: e.image.as_deref(),
                _chronicle: &e.event,
            })
        })
        .collect::<Result<Vec<_>, Diagnostic>>()?;
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &c.title,
        home_page_url: &c.home,
        feed_url: &c.self_url,
        description: c.description.as_deref(),
        language: &c.language,
        authors: [Author { name: &c.title }],
        items,
    };
    let mut text = serde_json::to_string_pretty(&feed).unwrap_or_default();
    text.push('\n');
    Ok(text)
}

/// One VEVENT.
#[derive(Serialize)]
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
fn calendar_event(t: &Timeline, i: usize, host: &str, language: &Language) -> CalendarEvent {
    let e = &t.entries[i];
    let a = &e.article;
    let url = t.routes.article(&a.id).url;
    CalendarEvent {
        uid: format!("{}@{host}", routes::anchor(&a.id)),
        start: ical_start(&a.date),
        end: ical_end(&a.date),
        summary: format!("{}{}", a.title, status_suffix(e.status, a.kind, language)),
        description: t.summary(i).to_string(),
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
        if !in_calendar(&t.entries[i].article.date) {
            return String::new();
        }
        let language = &r.templates.language;
        write_vevent(&calendar_event(t, i, host, language), t.as_of)
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

/// Whether a calendar can hold the date: known to the day (ranges too,
/// not open ones), between AD 1 and 9999.
pub fn in_calendar(date: &EventDate) -> bool {
    date.is_day_precise() && date.first_day().is_common_era() && date.last_day().is_common_era()
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

/// The address of the site's calendar, if it has one (an event known to
/// the day).
pub fn calendar_url(t: &Timeline) -> Option<String> {
    t.entries
        .iter()
        .any(|e| in_calendar(&e.article.date))
        .then(|| t.routes.calendar().url)
}

/// The address of a term's calendar, if it has one.
pub fn term_calendar_url(t: &Timeline, taxonomy: Taxonomy, term: usize) -> Option<String> {
    let term = &t.terms(taxonomy)[term];
    term.entries
        .iter()
        .any(|&i| in_calendar(&t.entries[i].article.date))
        .then(|| t.routes.term_calendar(taxonomy, &term.slug).url)
}

/// A term's calendar is made from its name, its events (each named by its
/// event key, which holds what every page shares), the templates (their
/// words) and nothing else: a calendar whose key stands is kept without
/// its text being made, so an edit re-makes only its terms' calendars.
fn term_calendar_key(r: &Renderer<'_>, taxonomy: Taxonomy, index: usize) -> Fingerprint {
    let term = &r.timeline.terms(taxonomy)[index];
    let events = r.views.event_keys();
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
            r.produce("ics 1", &text, previous, |text| Ok(text.clone()))
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
                let rendering = r.produce("ics 1", &text, previous, |text| Ok(text.clone()));
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

/// A date as TimelineJS takes it: only the parts known, as strings.
#[derive(Serialize)]
struct TlDate {
    year: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<String>,
    /// The time as written, in the event's zone (TimelineJS has no zones:
    /// `display_date` names it).
    #[serde(skip_serializing_if = "Option::is_none")]
    hour: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    minute: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    second: Option<String>,
}

impl TlDate {
    /// TimelineJS numbers years as chronicle does: -44 is shown "44 BCE".
    fn of(point: &DatePoint) -> TlDate {
        let time = point.time();
        TlDate {
            year: point.year().to_string(),
            month: point.month().map(|m| m.to_string()),
            day: point.day().map(|d| d.to_string()),
            hour: time.map(|c| c.hour.to_string()),
            minute: time.map(|c| c.minute.to_string()),
            second: time.and_then(|c| c.second).map(|s| s.to_string()),
        }
    }
}

/// The furthest year from AD 1 a JavaScript `Date` holds (about 275,000
/// years); beyond it TimelineJS needs its cosmological scale.
const JS_DATE_YEARS: i64 = 270_000;

#[derive(Serialize)]
struct TlText {
    headline: String,
    text: String,
}

#[derive(Serialize)]
struct TlEvent {
    start_date: TlDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<TlDate>,
    display_date: String,
    text: TlText,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    unique_id: String,
    /// Always false: TimelineJS's `linkify` turns `www.` and everything
    /// after it up to a space into an `href='…'`, quotes included, so text
    /// with `www.x/'onmouseover='…` would gain an attribute. chronicle's
    /// text carries its links already.
    autolink: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    media: Option<TlMedia>,
}

/// TimelineJS's media slot: the event's picture.
#[derive(Serialize)]
struct TlMedia {
    url: String,
    alt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    caption: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credit: Option<String>,
}

/// The address of an article's picture: under the base path for an image
/// in `static/`, else as written.
fn media_url(t: &Timeline, media: &crate::model::Media) -> String {
    match media.local_path() {
        Some(path) => t.routes.asset(path),
        None => media.src.value.clone(),
    }
}

/// The absolute address of an article's picture, when it has one.
fn media_permalink(t: &Timeline, media: &crate::model::Media) -> Option<String> {
    match media.local_path() {
        Some(_) => t.routes.permalink(&media_url(t, media)),
        None => Some(media.src.value.clone()),
    }
}

#[derive(Serialize)]
struct TlTitle {
    text: TlText,
    /// As for events (see `TlEvent::autolink`).
    autolink: bool,
}

/// An entry id as ASCII (TimelineJS uses it as an HTML id and in the
/// address's hash): its anchor, any other character as `_xxxx`.
fn ascii_id(id: &str) -> String {
    let mut out = String::new();
    for c in routes::anchor(id).chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else {
            out.push_str(&format!("_{:04x}", c as u32));
        }
    }
    out
}

/// HTML text: `&`, `<`, `>`, `"` escaped. For the fields TimelineJS runs
/// through DOMPurify before it sets them as markup (`text.headline`,
/// `text.text`, `media.caption`, `media.credit`).
fn html(text: &str) -> String {
    xml(text)
}

/// Text for the fields TimelineJS reads as markup, takes the text of, and
/// then sets as markup again (`group` and `display_date`: its
/// `stripMarkup` parses them as HTML and keeps `textContent`, which decodes
/// `&lt;` to `<`, and `TimeGroup` and `addDateText` set that with
/// `innerHTML`). Escaped twice, the first pass's decoding leaves text that
/// the second shows as written: `&amp;lt;b&amp;gt;` becomes `&lt;b&gt;`,
/// shown as `<b>`, never an element.
fn html_twice(text: &str) -> String {
    xml(&xml(text))
}

/// A media address as TimelineJS may use it: it picks a media type by
/// matching the address and some types write it into markup unescaped (the
/// PDF type as `src='…'`), so every character outside RFC 3986's unreserved
/// and reserved sets but `'` (quotes, `<`, `>`, spaces, backslashes,
/// anything not ASCII) is percent-encoded. A browser reads the encoded
/// address as the same one.
fn tl_media_url(url: &str) -> String {
    const KEEP: &[u8] = b"-._~:/?#[]@!$&()*+,;=%";
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if b.is_ascii_alphanumeric() || KEEP.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Entry `i` as a TimelineJS event.
fn tl_event(t: &Timeline, i: usize, language: &Language) -> TlEvent {
    let e = &t.entries[i];
    let a = &e.article;
    let mut display = language.date(&a.date);
    if e.status != Status::Held {
        display.push_str(&status_suffix(e.status, a.kind, language));
    }
    let summary = t.summary(i);
    let url = t.routes.article(&a.id).url;
    let mut text = String::new();
    if !summary.is_empty() {
        text.push_str(&format!("<p>{}</p>", html(summary)));
    }
    text.push_str(&format!(
        "<p><a href=\"{}\">{}</a></p>",
        html(&url),
        html(language.label("read-the-article"))
    ));
    TlEvent {
        start_date: TlDate::of(a.date.start()),
        end_date: a.date.end().map(TlDate::of),
        display_date: html_twice(&display),
        text: TlText {
            headline: html(&a.title),
            text,
        },
        group: match a.kind {
            Kind::Context => Some(html_twice(language.label("context"))),
            Kind::Meeting => a.series.as_ref().map(|s| html_twice(&s.value)),
        },
        unique_id: ascii_id(&a.id),
        autolink: false,
        media: a.media.as_ref().map(|m| TlMedia {
            url: tl_media_url(&media_url(t, m)),
            // Set as the image's `alt` property: text, not markup.
            alt: m.alt.clone(),
            caption: m.caption.as_deref().map(html),
            credit: m.credit.as_deref().map(html),
        }),
    }
}

/// The title slide, from the site settings.
fn tl_title(t: &Timeline) -> TlTitle {
    let s = &t.settings;
    TlTitle {
        text: TlText {
            headline: html(&s.title),
            text: s
                .description
                .as_deref()
                .map(|d| format!("<p>{}</p>", html(d)))
                .unwrap_or_default(),
        },
        autolink: false,
    }
}

/// `timeline.json`: the timeline in TimelineJS3's format, its events from
/// each year's part (the events of a run of entries, as JSON, between
/// commas), so an edit writes its year's events again and no other.
pub fn timeline_js(r: &Renderer<'_>) -> Vec<Page> {
    let render = |r: &Renderer<'_>, previous: Option<Fingerprint>| {
        let t = r.timeline;
        let language = &*r.templates.language;
        let all: Vec<usize> = (0..t.entries.len()).collect();
        let parts = r.year_parts("timelinejs", &all, |run| {
            let mut out = String::new();
            for &i in run {
                if !out.is_empty() {
                    out.push(',');
                }
                let event = serde_json::to_string(&tl_event(t, i, language));
                out.push_str(&event.unwrap_or_default());
            }
            out
        });
        r.produce("timelinejs 1", &parts, previous, |parts| {
            Ok(timeline_data(t, parts))
        })
    };
    vec![Page {
        route: r.timeline.routes.timeline_data(),
        origin: generated("the TimelineJS data"),
        render: Box::new(render),
    }]
}

/// The TimelineJS data as serde_json writes an object of `title`, `events`
/// and (for dates beyond what JavaScript's dates hold) `scale`, compactly,
/// with `events` from the parts, and a line break.
fn timeline_data(t: &Timeline, parts: &[std::sync::Arc<str>]) -> String {
    let deep = t.entries.iter().any(|e| {
        let d = &e.article.date;
        d.first_day().year.abs() > JS_DATE_YEARS || d.last_day().year.abs() > JS_DATE_YEARS
    });
    let title = serde_json::to_string(&tl_title(t)).unwrap_or_default();
    let length: usize = parts.iter().map(|p| p.len() + 1).sum();
    let mut text = String::with_capacity(title.len() + length + 64);
    text.push_str("{\"title\":");
    text.push_str(&title);
    text.push_str(",\"events\":[");
    for (n, part) in parts.iter().enumerate() {
        if n > 0 {
            text.push(',');
        }
        text.push_str(part);
    }
    text.push(']');
    if deep {
        text.push_str(",\"scale\":\"cosmological\"");
    }
    text.push_str("}\n");
    text
}

/// `timelinejs-locale.json`: TimelineJS's words in the site's language
/// (see [`crate::i18n::timelinejs`]).
pub fn timeline_locale(r: &Renderer<'_>) -> Vec<Page> {
    let render = |r: &Renderer<'_>, previous: Option<Fingerprint>| {
        let language = &*r.templates.language;
        r.produce("timelinejs locale 1", language, previous, |l| {
            Ok(crate::i18n::timelinejs::locale(l))
        })
    };
    vec![Page {
        route: r.timeline.routes.timeline_locale(),
        origin: generated("the TimelineJS locale"),
        render: Box::new(render),
    }]
}

#[derive(Serialize)]
struct TimelineViewContext<'a> {
    site: &'a super::views::SiteView,
    page: super::views::PageView,
    /// `timeline.json`'s address.
    data_url: String,
    /// `timelinejs-locale.json`'s.
    locale_url: String,
    /// The plain timeline's.
    timeline_url: String,
}

/// `timeline-view/`: the timeline shown by TimelineJS.
pub fn timeline_view(r: &Renderer<'_>) -> Vec<Page> {
    let render = |r: &Renderer<'_>, previous: Option<Fingerprint>| {
        let routes = &r.timeline.routes;
        let context = TimelineViewContext {
            site: &r.site,
            page: r.site_page("interactive-timeline", routes.timeline_view().url),
            data_url: routes.timeline_data().url,
            locale_url: routes.timeline_locale().url,
            timeline_url: routes.home().url,
        };
        r.finish("timeline-view.html", &context, previous)
    };
    vec![Page {
        route: r.timeline.routes.timeline_view(),
        origin: generated("the interactive timeline page"),
        render: Box::new(render),
    }]
}

/// A page in the sitemap.
#[derive(Serialize)]
pub struct SitemapUrl {
    loc: String,
    lastmod: Option<NaiveDate>,
}

/// Every HTML page of the site but the 404 page, once each, in the order
/// the page kinds list them; an article's with its last change. Listed
/// once a build, for the sitemap and each of its parts.
fn sitemap_urls<'r>(r: &'r Renderer<'_>, origin: &str) -> &'r [SitemapUrl] {
    r.sitemap.get_or_init(|| list_sitemap_urls(r, origin))
}

fn list_sitemap_urls(r: &Renderer<'_>, origin: &str) -> Vec<SitemapUrl> {
    let t = r.timeline;
    let articles: std::collections::HashMap<String, usize> = t
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (t.routes.article(&e.article.id).path, i))
        .collect();
    let not_found = t.routes.not_found().path;
    super::pages::HTML
        .iter()
        .flat_map(|kind| kind(r))
        .filter(|p| p.route.path.ends_with(".html") && p.route.path != not_found)
        .map(|p| SitemapUrl {
            lastmod: articles.get(&p.route.path).map(|&i| feed_dates(t, i).1),
            loc: format!("{origin}{}", p.route.url),
        })
        .collect()
}

fn write_urlset(urls: &[SitemapUrl]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls {
        out.push_str("  <url><loc>");
        out.push_str(&xml(&u.loc));
        out.push_str("</loc>");
        if let Some(day) = u.lastmod {
            out.push_str(&format!("<lastmod>{}</lastmod>", day.format("%Y-%m-%d")));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `sitemap.xml` (needs the site's base URL): every page once. Over 50,000
/// pages, it is an index of `sitemap-1.xml`, `sitemap-2.xml`... each of at
/// most 50,000.
pub fn sitemap(r: &Renderer<'_>) -> Vec<Page> {
    let Some(origin) = r.timeline.routes.origin() else {
        return Vec::new();
    };
    let count = sitemap_urls(r, origin).len();
    let parts = if count > SITEMAP_LIMIT {
        count.div_ceil(SITEMAP_LIMIT)
    } else {
        0
    };
    let mut pages = Vec::new();
    let render = move |r: &Renderer<'_>, previous: Option<Fingerprint>| {
        let origin = r.timeline.routes.origin().unwrap_or_default();
        let urls = sitemap_urls(r, origin);
        if parts == 0 {
            return r.produce("sitemap 1", &urls, previous, |u| Ok(write_urlset(u)));
        }
        let locs: Vec<String> = (1..=parts)
            .map(|n| format!("{origin}{}", r.timeline.routes.sitemap_part(n).url))
            .collect();
        r.produce("sitemap index 1", &locs, previous, |locs| {
            let mut out = String::from(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                 <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
            );
            for loc in locs {
                out.push_str(&format!("  <sitemap><loc>{}</loc></sitemap>\n", xml(loc)));
            }
            out.push_str("</sitemapindex>\n");
            Ok(out)
        })
    };
    pages.push(Page {
        route: r.timeline.routes.sitemap(),
        origin: generated("the sitemap"),
        render: Box::new(render),
    });
    for n in 1..=parts {
        let render = move |r: &Renderer<'_>, previous: Option<Fingerprint>| {
            let origin = r.timeline.routes.origin().unwrap_or_default();
            let urls = sitemap_urls(r, origin);
            let start = (n - 1) * SITEMAP_LIMIT;
            let part = &urls[start.min(urls.len())..(start + SITEMAP_LIMIT).min(urls.len())];
            r.produce("sitemap 1", &part, previous, |u| Ok(write_urlset(u)))
        };
        pages.push(Page {
            route: r.timeline.routes.sitemap_part(n),
            origin: generated(&format!("part {n} of the sitemap")),
            render: Box::new(render),
        });
    }
    pages
}

/// `robots.txt` (needs the site's base URL), pointing at the sitemap,
/// unless the site's `static/` has its own.
pub fn robots(r: &Renderer<'_>) -> Vec<Page> {
    let routes = &r.timeline.routes;
    // One robots.txt, at the root: the default language's names every
    // language's sitemap (the static files, a site's own robots.txt among
    // them, go with the default language).
    let default = r.timeline.editions.first();
    let other_language = default.is_some_and(|d| d.language != r.timeline.settings.language);
    if routes.origin().is_none() || r.statics.contains("robots.txt") || other_language {
        return Vec::new();
    }
    let render = |r: &Renderer<'_>, previous: Option<Fingerprint>| {
        let routes = &r.timeline.routes;
        let mut sitemaps: Vec<String> = r
            .timeline
            .editions
            .iter()
            .filter_map(|e| e.routes.permalink(&e.routes.sitemap().url))
            .collect();
        if sitemaps.is_empty() {
            sitemaps.extend(routes.permalink(&routes.sitemap().url));
        }
        r.produce("robots 1", &sitemaps, previous, |s| {
            let lines: String = s.iter().map(|s| format!("Sitemap: {s}\n")).collect();
            Ok(format!("User-agent: *\nAllow: /\n\n{lines}"))
        })
    };
    vec![Page {
        route: routes.robots(),
        origin: generated("robots.txt"),
        render: Box::new(render),
    }]
}

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&`
/// escaped as `\u003c`..., so no `</script>` (or `<!--`) can end it early.
fn script_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A schema.org `Event` for entry `i`, its dates at the precision known,
/// with at most `attendees` of its participants.
fn event_ld(t: &Timeline, i: usize, attendees: usize) -> serde_json::Value {
    let e = &t.entries[i];
    let a = &e.article;
    use crate::date::Open;
    // The known point of a range open at its start is its end.
    let known = match a.date.open() {
        Open::Since | Open::StartUnknown => "endDate",
        _ => "startDate",
    };
    let mut event = serde_json::json!({
        "@type": "Event",
        "name": a.title,
        "eventStatus": format!("https://schema.org/{}", match e.status {
            Status::Held | Status::Planned => "EventScheduled",
            Status::Postponed => "EventPostponed",
            Status::Cancelled => "EventCancelled",
        }),
    });
    let map = event.as_object_mut().expect("an object");
    // ISO 8601 as HTML writes it; a year before AD 1 or after 9999 has no
    // such form, and is left out rather than misread.
    let iso = |point: &DatePoint| Some(point.html_datetime()).filter(|d| !d.is_empty());
    if let Some(start) = iso(a.date.start()) {
        map.insert(known.into(), start.into());
    }
    if let Some(end) = a.date.end().and_then(iso) {
        map.insert("endDate".into(), end.into());
    }
    if let Some(permalink) = t.routes.permalink(&t.routes.article(&a.id).url) {
        map.insert("url".into(), permalink.into());
    }
    if let Some(l) = &a.location {
        map.insert(
            "location".into(),
            serde_json::json!({"@type": "Place", "name": l.value}),
        );
    }
    if !a.participants.is_empty() {
        let people: Vec<serde_json::Value> = a
            .participants
            .iter()
            .take(attendees)
            .map(|p| serde_json::json!({"@type": "Person", "name": p.value}))
            .collect();
        map.insert("attendee".into(), people.into());
    }
    event
}

/// The JSON-LD of entry `i`'s page: a `NewsArticle` about its `Event`.
pub fn article_json_ld(t: &Timeline, i: usize) -> String {
    let a = &t.entries[i].article;
    let (published, updated) = feed_dates(t, i);
    let mut article = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "datePublished": published.format("%Y-%m-%d").to_string(),
        "dateModified": updated.format("%Y-%m-%d").to_string(),
        "inLanguage": t.settings.language,
        "publisher": {"@type": "Organization", "name": t.settings.title},
        "about": event_ld(t, i, usize::MAX),
    });
    let map = article.as_object_mut().expect("an object");
    let summary = t.summary(i);
    if !summary.is_empty() {
        map.insert("description".into(), summary.into());
    }
    if let Some(image) = a.media.as_ref().and_then(|m| media_permalink(t, m)) {
        map.insert("image".into(), image.into());
    }
    if let Some(permalink) = t.routes.permalink(&t.routes.article(&a.id).url) {
        map.insert("url".into(), permalink.clone().into());
        map.insert("mainEntityOfPage".into(), permalink.into());
    }
    script_json(&article)
}

/// The JSON-LD of a timeline page: an `ItemList` of its events, in the
/// order shown.
pub fn timeline_json_ld(t: &Timeline, indices: &[usize], name: &str) -> String {
    let items: Vec<serde_json::Value> = indices
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            serde_json::json!({
                "@type": "ListItem",
                "position": n + 1,
                // As the listing shows it: ten names at most.
                "item": event_ld(t, i, LISTING_NAMES),
            })
        })
        .collect();
    script_json(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": name,
        "numberOfItems": items.len(),
        "itemListElement": items,
    }))
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

    /// What TimelineJS's `stripMarkup` leaves: the text of the value read
    /// as HTML (entities decoded, tags dropped), which it then sets as
    /// markup. Enough of an HTML reader for text this module escaped.
    fn strip_markup(value: &str) -> String {
        html_escape::decode_html_entities(value).into_owned()
    }

    #[test]
    fn group_and_display_date_survive_timelinejs_decoding_as_text() {
        for hostile in [
            "<img src=x onerror=alert(1)>",
            "&lt;img src=x onerror=alert(1)&gt;",
            "&amp;lt;script&amp;gt;",
            "US & Japan <b>",
        ] {
            let sent = html_twice(hostile);
            let set_as_markup = strip_markup(&sent);
            assert!(!set_as_markup.contains('<'), "{hostile}: {set_as_markup}");
            // Shown as written once the browser reads the markup.
            assert_eq!(strip_markup(&set_as_markup), hostile);
        }
    }

    #[test]
    fn media_addresses_carry_no_quote_or_angle_bracket() {
        let url = "https://example.org/a.pdf?x=' onload='alert(1)\"<b>`é";
        let safe = tl_media_url(url);
        assert!(
            !safe.contains(['\'', '"', '<', '>', ' ', '`', '\\']),
            "{safe}"
        );
        assert!(safe.is_ascii());
        assert_eq!(
            safe,
            "https://example.org/a.pdf?x=%27%20onload=%27alert(1)%22%3Cb%3E%60%C3%A9"
        );
        let plain = "https://example.org/images/a-b_c.png?w=1&h=2#top";
        assert_eq!(tl_media_url(plain), plain);
        assert_eq!(
            tl_media_url("/base/images/%E6%9D%B1.png"),
            "/base/images/%E6%9D%B1.png"
        );
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

    #[test]
    fn root_relative_links_become_absolute() {
        let html = r##"<a href="/news/a/">a</a> <a href="//cdn.example/x">b</a> <img src="/news/i.png"> <a href="https://x.org/">c</a> <a href="#n">d</a>"##;
        assert_eq!(
            absolute_links(html, "https://example.org"),
            r##"<a href="https://example.org/news/a/">a</a> <a href="//cdn.example/x">b</a> <img src="https://example.org/news/i.png"> <a href="https://x.org/">c</a> <a href="#n">d</a>"##
        );
    }

    #[test]
    fn json_ld_cannot_close_its_script() {
        let text = script_json(&serde_json::json!({"name": "</script><!-- & >"}));
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], "</script><!-- & >");
    }
}
