//! The feeds, for feed readers: `atom.xml` (Atom, RFC 4287) and
//! `feed.json` (JSON Feed 1.1, with the event behind each item as
//! `_chronicle`). One builder makes both: the same entries (most recently
//! published or updated first, at most `feed_limit`), each with its body's
//! links made absolute, the same key, kept alike; a format only writes
//! them. A feed entry is dated by when the article was published or
//! updated, never by its event, and never after the as-of date.

use chrono::NaiveDate;
use html_escape::encode_double_quoted_attribute as xml;
use serde::Serialize;

use super::entry::{feed_dates, status_suffix};
use crate::date::{DatePoint, Day, EventDate, Precision};
use crate::diagnostics::Diagnostic;
use crate::fingerprint::{Fingerprint, Hasher};
use crate::i18n::Language;
use crate::model::Taxonomy;
use crate::render::Renderer;
use crate::render::bodies::Bodies;
use crate::render::page::{Page, generated};
use crate::routes::{Route, Routes};
use crate::timeline::{MAX_NAMES, Timeline};

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

/// A name a feed entry is filed under, with the address of its
/// taxonomy's index as the scheme.
struct Category {
    term: String,
    scheme: String,
}

/// One feed entry: everything the two feeds write about an article.
struct FeedEntry {
    /// The body, its links made absolute.
    content: String,
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
) -> Result<FeedContext, Diagnostic> {
    let t = r.timeline;
    let abs = |url: &str| format!("{origin}{url}");
    let entries: Vec<FeedEntry> = order
        .iter()
        .map(|&(updated, published, i)| {
            feed_entry(
                t,
                r.bodies,
                i,
                (published, updated),
                origin,
                &r.templates.language,
            )
        })
        .collect::<Result<_, _>>()?;
    let s = &t.settings;
    Ok(FeedContext {
        title: s.title.clone(),
        description: s.description.clone(),
        language: s.language.clone(),
        home: abs(&t.routes.home().url),
        self_url: abs(&route.url),
        updated: entries.iter().map(|e| e.updated).max().unwrap_or(t.as_of),
        entries,
    })
}

/// A feed is made from its entries (each named by its entry key, which
/// holds its dates, its body and what every page shares, the address of
/// the feed among it), in their order, the templates (their words) and
/// its format: a feed whose key stands is kept without being made, so an
/// edit to an entry it does not hold leaves it alone.
fn feed_page(route: Route, format: &'static Format) -> Page {
    let own = route.clone();
    let render = move |r: &Renderer<'_>, previous: Option<Fingerprint>| {
        let (t, path) = (r.timeline, &own.path);
        let order = feed_order(t);
        let key = r.fingerprints.then(|| {
            let events = r.views.entry_keys();
            let mut h = Hasher::new();
            h.part(b"feed 1")
                .part(format.kind.as_bytes())
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
        let context = feed_context(r, &own, origin, &order)?;
        let rendering = Ok(r.produce(format.kind, (format.write)(&context), previous));
        r.record_made(path, key, &rendering);
        rendering
    };
    Page {
        route,
        origin: generated(format.name),
        render: Box::new(render),
    }
}

/// Entry `i` as the feeds give it.
fn feed_entry(
    t: &Timeline,
    bodies: &Bodies,
    i: usize,
    (published, updated): (NaiveDate, NaiveDate),
    origin: &str,
    language: &Language,
) -> Result<FeedEntry, Diagnostic> {
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
    Ok(FeedEntry {
        content: feed_content(t, bodies, i, origin)?,
        permalink: abs(&t.routes.article(&a.id).url),
        title: format!("{}{}", a.title, status_suffix(e.status, a.kind, language)),
        summary: bodies.summary(t, i).to_string(),
        published,
        updated,
        categories,
        image: a.media.as_ref().and_then(|m| t.routes.media_permalink(m)),
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
    })
}

/// Entry `i`'s body with absolute links.
fn feed_content(
    t: &Timeline,
    bodies: &Bodies,
    i: usize,
    origin: &str,
) -> Result<String, Diagnostic> {
    Ok(absolute_links(&bodies.body_html(t, i)?, origin))
}

/// A feed's format: its name and version (in the feed's key and
/// fingerprint), what it is called in diagnostics, its address, and how
/// its text is written from the context.
struct Format {
    kind: &'static str,
    name: &'static str,
    route: fn(&Routes) -> Route,
    write: fn(&FeedContext) -> String,
}

const ATOM: Format = Format {
    kind: "atom 1",
    name: "the Atom feed",
    route: Routes::atom,
    write: write_atom,
};

const JSON_FEED: Format = Format {
    kind: "json feed 1",
    name: "the JSON feed",
    route: Routes::json_feed,
    write: write_json_feed,
};

/// `atom.xml`: the Atom feed (needs the site's base URL).
pub fn atom(r: &Renderer<'_>) -> Vec<Page> {
    feed(r, &ATOM)
}

/// `feed.json`: the JSON Feed (needs the site's base URL).
pub fn json_feed(r: &Renderer<'_>) -> Vec<Page> {
    feed(r, &JSON_FEED)
}

/// The feed in `format`, if the site has a base URL (a feed's addresses
/// are absolute).
fn feed(r: &Renderer<'_>, format: &'static Format) -> Vec<Page> {
    let routes = &r.timeline.routes;
    if routes.origin().is_none() {
        return Vec::new();
    }
    vec![feed_page((format.route)(routes), format)]
}

fn write_atom(c: &FeedContext) -> String {
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
        write_atom_entry(w, e);
    }
    let _ = writeln!(w, "</feed>");
    out
}

fn write_atom_entry(w: &mut String, e: &FeedEntry) {
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
        xml(&e.content)
    );
    let _ = writeln!(w, "  </entry>");
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
    content_html: &'a str,
    date_published: String,
    date_modified: String,
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    _chronicle: &'a EventExtension,
}

fn write_json_feed(c: &FeedContext) -> String {
    let items = c
        .entries
        .iter()
        .map(|e| Item {
            id: &e.permalink,
            url: &e.permalink,
            title: &e.title,
            summary: &e.summary,
            content_html: &e.content,
            date_published: rfc3339(e.published),
            date_modified: rfc3339(e.updated),
            tags: e.categories.iter().map(|c| c.term.as_str()).collect(),
            image: e.image.as_deref(),
            _chronicle: &e.event,
        })
        .collect();
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
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_relative_links_become_absolute() {
        let html = r##"<a href="/news/a/">a</a> <a href="//cdn.example/x">b</a> <img src="/news/i.png"> <a href="https://x.org/">c</a> <a href="#n">d</a>"##;
        assert_eq!(
            absolute_links(html, "https://example.org"),
            r##"<a href="https://example.org/news/a/">a</a> <a href="//cdn.example/x">b</a> <img src="https://example.org/news/i.png"> <a href="https://x.org/">c</a> <a href="#n">d</a>"##
        );
    }
}
