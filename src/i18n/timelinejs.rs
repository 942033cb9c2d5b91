//! TimelineJS's words in the site's language, for the `timeline-view/`
//! page: TimelineJS's own locale file for the language (its month and day
//! names and date patterns, vendored unmodified into `timelinejs/` by
//! `scripts/vendor-timelinejs`), over its English one (for what that file
//! leaves out), with the messages a reader meets (loading, zoom, the way
//! back to the title slide) taken from chronicle's catalogue, so a site's
//! own catalogue changes them as it changes every other label.
//!
//! Here, not with the export, because it is language data (the catalogue
//! and TimelineJS's vendored locale files) and knows nothing of pages:
//! `render::exports::timelinejs` writes it out as `timelinejs-locale.json`,
//! beside the data it makes itself, and `render::pages`' `timeline_view`
//! is the page that shows both.

use serde_json::{Map, Value};

use super::Language;

/// TimelineJS's English locale: every key its others may leave out.
const ENGLISH: &str = include_str!("timelinejs/en.json");

/// TimelineJS's locales for the languages chronicle has catalogues for.
const LOCALES: &[(&str, &str)] = &[
    ("de", include_str!("timelinejs/de.json")),
    ("ja", include_str!("timelinejs/ja.json")),
    ("ko", include_str!("timelinejs/ko.json")),
];

/// How TimelineJS 3.9.11 uses a message (read in its source: `ui/Message.js`,
/// `timeline/Timeline.js`, `media/Media.js`, `ui/MenuBar.js`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Use {
    /// Set with `innerHTML` (the loading and error messages): written
    /// HTML-escaped, so a catalogue's text can never become an element.
    Markup,
    /// Set with `setAttribute` (the buttons' `aria-label`s): written as it
    /// is, since the browser takes it as text.
    Attribute,
}

/// The messages TimelineJS shows a reader, by the catalogue key that
/// gives each, and how TimelineJS sets them.
const MESSAGES: &[(&str, &str, Use)] = &[
    ("loading", "timelinejs-loading", Use::Markup),
    (
        "loading_timeline",
        "timelinejs-loading-timeline",
        Use::Markup,
    ),
    // Unused by 3.9.11; escaped in case a later version shows it.
    ("loading_content", "timelinejs-loading-content", Use::Markup),
    (
        "return_to_title",
        "timelinejs-return-to-title",
        Use::Attribute,
    ),
    ("go_to_end", "timelinejs-go-to-end", Use::Attribute),
    ("zoom_in", "timelinejs-zoom-in", Use::Attribute),
    ("zoom_out", "timelinejs-zoom-out", Use::Attribute),
    ("error", "timelinejs-error", Use::Markup),
];

/// The locale file TimelineJS loads for `language`, as JSON (keys in
/// order, so the same language gives the same bytes).
pub fn locale(language: &Language) -> String {
    let mut locale = object(ENGLISH);
    let primary = language.tag.split('-').next().unwrap_or("");
    let own = (LOCALES.iter())
        .find(|(tag, _)| tag.eq_ignore_ascii_case(primary))
        .map(|(_, text)| object(text));
    for (key, value) in own.unwrap_or_default() {
        match (locale.get_mut(&key), value) {
            (Some(Value::Object(mine)), Value::Object(theirs)) => mine.extend(theirs),
            (_, value) => {
                locale.insert(key, value);
            }
        }
    }
    let mut messages = Map::new();
    for (name, key, usage) in MESSAGES {
        let text = language.label(key);
        let text = match usage {
            Use::Markup => html_escape::encode_text(text).into_owned(),
            Use::Attribute => text.to_string(),
        };
        messages.insert((*name).into(), text.into());
    }
    // Shown on touch screens: words, then TimelineJS's own button.
    let swipe = format!(
        "{}<br><span class='tl-button'>{}</span>",
        html_escape::encode_text(language.label("timelinejs-swipe-to-navigate")),
        html_escape::encode_text(language.label("timelinejs-ok"))
    );
    messages.insert("swipe_to_navigate".into(), swipe.into());
    if let Some(Value::Object(all)) = locale.get_mut("messages") {
        all.extend(messages);
    }
    locale.insert("lang".into(), language.tag.clone().into());
    let mut text = serde_json::to_string(&locale).unwrap_or_default();
    text.push('\n');
    text
}

/// A vendored file's object (they are checked by the tests below).
fn object(text: &str) -> Map<String, Value> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendored_locales_are_objects_with_dates_and_messages() {
        for (tag, text) in [("en", ENGLISH)].iter().chain(LOCALES) {
            let locale = object(text);
            assert_eq!(locale["lang"], *tag, "{tag}");
            assert_eq!(locale["date"]["month"].as_array().unwrap().len(), 12);
            assert!(locale["messages"].is_object(), "{tag}");
        }
    }

    #[test]
    fn messages_come_from_the_catalogue_and_dates_from_timelinejs() {
        let ja = Language::new(
            "ja",
            &super::super::SiteCatalogues::default(),
            std::path::Path::new(""),
            &mut Vec::new(),
        );
        let locale: Value = serde_json::from_str(&locale(&ja)).unwrap();
        assert_eq!(locale["lang"], "ja");
        assert_eq!(locale["messages"]["zoom_in"], "拡大");
        assert_eq!(locale["date"]["month"][7], "8月");
        // What the Japanese file leaves out comes from the English one.
        assert!(locale["messages"]["invalid_date_err"].is_string());
        assert!(locale["era_labels"].is_object());
        for (name, _, _) in MESSAGES {
            let text = locale["messages"][name].as_str().unwrap();
            assert!(!text.is_ascii(), "{name}: {text}");
        }
        let en: Value = serde_json::from_str(&locale_of("en")).unwrap();
        assert_eq!(en["messages"]["zoom_in"], "Zoom in");
        assert_eq!(en["date"]["month"][7], "August");
    }

    #[test]
    fn messages_timelinejs_sets_as_markup_are_escaped() {
        let hostile = "L<img src=x onerror=alert(1)>&";
        let text: String = (MESSAGES.iter())
            .map(|(_, key, _)| format!("{key} = {hostile:?}\n"))
            .collect();
        let catalogues = super::super::SiteCatalogues {
            files: vec![(
                "en".into(),
                super::super::catalogue::CatalogueFile {
                    path: "i18n/en.toml".into(),
                    text,
                },
            )],
        };
        let en = Language::new("en", &catalogues, std::path::Path::new(""), &mut Vec::new());
        let locale: Value = serde_json::from_str(&locale(&en)).unwrap();
        for (name, _, usage) in MESSAGES {
            let text = locale["messages"][name].as_str().unwrap();
            match usage {
                Use::Markup => assert_eq!(text, "L&lt;img src=x onerror=alert(1)&gt;&amp;"),
                Use::Attribute => assert_eq!(text, hostile),
            }
        }
    }

    fn locale_of(tag: &str) -> String {
        let language = Language::new(
            tag,
            &super::super::SiteCatalogues::default(),
            std::path::Path::new(""),
            &mut Vec::new(),
        );
        locale(&language)
    }
}
