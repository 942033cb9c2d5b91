//! The TimelineJS data: `timeline.json` (TimelineJS3's format: the title
//! slide and an event per entry, its date with only the parts that are
//! known) and `timelinejs-locale.json` (TimelineJS's words in the site's
//! language). TimelineJS sets some fields as markup: each is escaped for
//! what TimelineJS does with it, not for JSON's syntax.
//!
//! The data is made here; the locale's words are `i18n::timelinejs`'s (the
//! catalogue's), the page that shows both is `render::pages`' `timeline_view`, and
//! reading a TimelineJS file (`chronicle import`) is `import`'s.

use html_escape::encode_double_quoted_attribute;
use serde::Serialize;

use super::entry::status_suffix;
use crate::date::DatePoint;
use crate::fingerprint::Fingerprint;
use crate::i18n::Language;
use crate::model::{Kind, Status};
use crate::render::Renderer;
use crate::render::bodies::Bodies;
use crate::render::page::{Page, generated};
use crate::routes;
use crate::timeline::Timeline;

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
    encode_double_quoted_attribute(text).into_owned()
}

/// Text for the fields TimelineJS reads as markup, takes the text of, and
/// then sets as markup again (`group` and `display_date`: its
/// `stripMarkup` parses them as HTML and keeps `textContent`, which decodes
/// `&lt;` to `<`, and `TimeGroup` and `addDateText` set that with
/// `innerHTML`). Escaped twice, the first pass's decoding leaves text that
/// the second shows as written: `&amp;lt;b&amp;gt;` becomes `&lt;b&gt;`,
/// shown as `<b>`, never an element.
fn html_twice(text: &str) -> String {
    html(&html(text))
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
fn tl_event(t: &Timeline, bodies: &Bodies, i: usize, language: &Language) -> TlEvent {
    let e = &t.entries[i];
    let a = &e.article;
    let mut display = language.date(&a.date);
    if e.status != Status::Held {
        display.push_str(&status_suffix(e.status, a.kind, language));
    }
    let summary = bodies.summary(t, i);
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
            url: tl_media_url(&t.routes.media_url(m)),
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
                let event = serde_json::to_string(&tl_event(t, r.bodies, i, language));
                out.push_str(&event.unwrap_or_default());
            }
            out
        });
        Ok(r.produce("timelinejs 1", timeline_data(t, &parts), previous))
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
        let text = crate::i18n::timelinejs::locale(language);
        Ok(r.produce("timelinejs locale 1", text, previous))
    };
    vec![Page {
        route: r.timeline.routes.timeline_locale(),
        origin: generated("the TimelineJS locale"),
        render: Box::new(render),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
