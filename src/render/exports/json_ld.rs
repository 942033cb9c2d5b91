//! The schema.org JSON-LD the article and timeline pages carry: a
//! `NewsArticle` about its `Event` on an article's page, an `ItemList` of
//! the events shown on a timeline page. A date gets the parts that are
//! known, no more.

use serde::Serialize;

use super::entry::feed_dates;
use crate::date::DatePoint;
use crate::model::Status;
use crate::render::bodies::Bodies;
use crate::render::views::LISTING_NAMES;
use crate::timeline::Timeline;

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
pub fn article_json_ld(t: &Timeline, bodies: &Bodies, i: usize) -> String {
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
    let summary = bodies.summary(t, i);
    if !summary.is_empty() {
        map.insert("description".into(), summary.into());
    }
    if let Some(image) = a.media.as_ref().and_then(|m| t.routes.media_permalink(m)) {
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
    fn json_ld_cannot_close_its_script() {
        let text = script_json(&serde_json::json!({"name": "</script><!-- & >"}));
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], "</script><!-- & >");
    }
}
