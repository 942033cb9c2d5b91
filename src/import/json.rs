//! Reading TimelineJS's JSON format (`{title, events, eras, scale}`) into a
//! [`TimelineJs`]. TimelineJS takes its numbers as JSON numbers or as strings
//! ("2023"), and so does this reader; anything else in a date is an error
//! at its line and column, as serde_json finds it.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::Problem;
use super::source::{DateParts, MediaRef, Slide, TimelineJs, nonempty};

#[derive(Deserialize)]
#[serde(expecting = "a TimelineJS timeline: an object with `events`")]
struct JTimeline {
    title: Option<JSlide>,
    #[serde(default)]
    events: Vec<JSlide>,
    #[serde(default)]
    eras: Vec<JSlide>,
}

#[derive(Deserialize, Default)]
#[serde(default, expecting = "a slide: an object with `start_date` and `text`")]
struct JSlide {
    start_date: Option<JDate>,
    end_date: Option<JDate>,
    #[serde(deserialize_with = "loose_text")]
    display_date: Option<String>,
    text: Option<JText>,
    media: Option<JMedia>,
    #[serde(deserialize_with = "loose_text")]
    group: Option<String>,
    #[serde(deserialize_with = "loose_text")]
    unique_id: Option<String>,
    background: Option<serde_json::Value>,
}

#[derive(Deserialize, Default)]
#[serde(
    default,
    expecting = "a slide's text: an object with `headline` and `text`"
)]
struct JText {
    #[serde(deserialize_with = "loose_text")]
    headline: Option<String>,
    #[serde(deserialize_with = "loose_text")]
    text: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, expecting = "a date: an object with `year`, `month`, `day`…")]
struct JDate {
    #[serde(deserialize_with = "loose_int")]
    year: Option<i64>,
    #[serde(deserialize_with = "loose_int")]
    month: Option<i64>,
    #[serde(deserialize_with = "loose_int")]
    day: Option<i64>,
    #[serde(deserialize_with = "loose_int")]
    hour: Option<i64>,
    #[serde(deserialize_with = "loose_int")]
    minute: Option<i64>,
    #[serde(deserialize_with = "loose_int")]
    second: Option<i64>,
    #[serde(deserialize_with = "loose_int")]
    millisecond: Option<i64>,
    #[serde(deserialize_with = "loose_text")]
    display_date: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, expecting = "media: an object with `url`")]
struct JMedia {
    #[serde(deserialize_with = "loose_text")]
    url: Option<String>,
    #[serde(deserialize_with = "loose_text")]
    caption: Option<String>,
    #[serde(deserialize_with = "loose_text")]
    credit: Option<String>,
    #[serde(deserialize_with = "loose_text")]
    thumbnail: Option<String>,
    #[serde(deserialize_with = "loose_text")]
    alt: Option<String>,
    #[serde(deserialize_with = "loose_text")]
    title: Option<String>,
    #[serde(deserialize_with = "loose_text")]
    link: Option<String>,
}

/// Reads a TimelineJS JSON file's text.
pub fn read(path: &Path, text: &str) -> Result<TimelineJs, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    top_level_object(path, text)?;
    let parsed: JTimeline = serde_json::from_str(text).map_err(|e| problem(path, &e))?;
    Ok(TimelineJs {
        title: parsed.title.map(slide),
        events: parsed.events.into_iter().map(slide).collect(),
        eras: parsed.eras.into_iter().map(slide).collect(),
    })
}

/// A timeline is a JSON object: anything else (a list, above all, which
/// serde would read as the fields in order) is refused by what it is.
fn top_level_object(path: &Path, text: &str) -> Result<(), Problem> {
    let Some((at, first)) = text
        .char_indices()
        .find(|(_, c)| !matches!(c, ' ' | '\t' | '\n' | '\r'))
    else {
        return Err(Problem {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message: "not a TimelineJS timeline: the file is empty".into(),
            hint: Some(OBJECT_HINT.into()),
        });
    };
    let what = match first {
        '{' => return Ok(()),
        '[' => "a list",
        '"' => "a string",
        _ => return Ok(()), // not JSON at all: serde_json says where
    };
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Err(Problem {
        path: path.to_path_buf(),
        line: Some(line as u64),
        column: Some(column as u64),
        message: format!("not a TimelineJS timeline: the file holds {what}, not an object"),
        hint: Some(OBJECT_HINT.into()),
    })
}

const OBJECT_HINT: &str = "a TimelineJS timeline is one JSON object, `{\"title\": {…}, \"events\": [{…}, …]}` (timeline.knightlab.com/docs/json-format.html)";

/// serde_json's error at its line and column, with what to do about it.
fn problem(path: &Path, e: &serde_json::Error) -> Problem {
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    };
    // serde_json echoes a bad value whole: a 10 MB string stays readable.
    let message = super::text::cut(&message, 300);
    let hint = if message.starts_with("recursion limit exceeded") {
        "the JSON is nested more than 128 deep, which no TimelineJS timeline is: look for brackets that never close"
    } else if e.is_syntax() || e.is_eof() {
        "this is not valid JSON here: look for a missing comma, quote or bracket just before it"
    } else {
        "TimelineJS's format (timeline.knightlab.com/docs/json-format.html): `events` is a list of slides, and each date part a whole number such as 2023 or \"2023\""
    };
    Problem {
        path: path.to_path_buf(),
        line: (e.line() > 0).then_some(e.line() as u64),
        column: (e.column() > 0).then_some(e.column() as u64),
        message: format!("not a TimelineJS timeline: {message}"),
        hint: Some(hint.into()),
    }
}

fn slide(j: JSlide) -> Slide {
    let text = j.text.unwrap_or_default();
    Slide {
        start: j.start_date.map(parts),
        end: j.end_date.map(parts),
        display_date: nonempty(j.display_date),
        headline: text.headline.unwrap_or_default(),
        text: text.text.unwrap_or_default(),
        media: j.media.and_then(media),
        group: nonempty(j.group),
        unique_id: nonempty(j.unique_id),
        background: j
            .background
            .is_some_and(|b| !b.is_null() && b != serde_json::json!({})),
        line: None,
    }
}

fn parts(d: JDate) -> DateParts {
    DateParts {
        year: d.year,
        month: d.month,
        day: d.day,
        hour: d.hour,
        minute: d.minute,
        second: d.second,
        millisecond: d.millisecond,
        display_date: nonempty(d.display_date),
    }
}

fn media(m: JMedia) -> Option<MediaRef> {
    Some(MediaRef {
        url: nonempty(m.url)?.trim().to_string(),
        caption: nonempty(m.caption),
        credit: nonempty(m.credit),
        thumbnail: nonempty(m.thumbnail),
        alt: nonempty(m.alt),
        title: nonempty(m.title),
        link: nonempty(m.link),
    })
}

/// A whole number given as a JSON number or a string ("2023", " -44 ");
/// an empty string or `null` is no number.
fn loose_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    struct Loose;
    impl<'de> Visitor<'de> for Loose {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a whole number (such as 2023 or \"2023\")")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            i64::try_from(v)
                .map(Some)
                .map_err(|_| E::custom("a number too large"))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            // A float with many digits is read to within its last bit
            // (`8999999999999999.0` came back as 8999999999999998): below
            // 2⁵² that bit is a fraction, so a misread shows as one and is
            // refused; above, a misread is another whole number, so a large
            // float is refused rather than silently changed.
            const EXACT: f64 = 4_503_599_627_370_496.0;
            if v.fract() == 0.0 && v.abs() >= EXACT {
                Err(E::custom(format!(
                    "the number {v} is written as a float too large to be read exactly: write it without `.0` (as 2023 or \"2023\")"
                )))
            } else if v.fract() == 0.0 {
                Ok(Some(v as i64))
            } else {
                Err(E::invalid_value(de::Unexpected::Float(v), &self))
            }
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let t = v.trim();
            if t.is_empty() {
                return Ok(None);
            }
            t.parse::<i64>()
                .map(Some)
                .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(Loose)
}

/// A text given as a string, a number or a boolean (`"unique_id": 7`);
/// `null` is no text.
fn loose_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct Loose;
    impl<'de> Visitor<'de> for Loose {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a text")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(Loose)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_arrive_as_numbers_or_strings() {
        let t = read(
            Path::new("t.json"),
            r#"{"events":[{"start_date":{"year":"2023","month":8,"day":" 18 ","hour":""},
                "text":{"headline":"A"},"unique_id":7}]}"#,
        )
        .unwrap();
        let start = t.events[0].start.clone().unwrap();
        assert_eq!(
            (start.year, start.month, start.day, start.hour),
            (Some(2023), Some(8), Some(18), None)
        );
        assert_eq!(t.events[0].unique_id.as_deref(), Some("7"));
    }

    #[test]
    fn a_bad_number_is_located() {
        let e = read(
            Path::new("t.json"),
            "{\"events\": [\n  {\"start_date\": {\"year\": \"c. 1200\"}}\n]}",
        )
        .unwrap_err();
        // serde_json points at the end of the bad value.
        assert_eq!((e.line, e.column), (Some(2), Some(35)));
        assert!(e.message.contains("c. 1200"), "{}", e.message);
        let e = read(Path::new("t.json"), "{\"events\": [\n  {,}]}").unwrap_err();
        assert_eq!(e.line, Some(2));
    }

    /// Regression (issue 28, item 12): messages that misled.
    #[test]
    fn messages_say_what_is_wrong() {
        let e = read(Path::new("t.json"), "\n  [{\"events\": []}]").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(3)));
        assert!(
            e.message.contains("holds a list, not an object"),
            "{}",
            e.message
        );
        assert!(!e.message.contains("JTimeline"), "{}", e.message);
        let e = read(Path::new("t.json"), &"[".repeat(200)).unwrap_err();
        assert!(e.message.contains("list"), "{}", e.message);
        let deep = format!("{{\"events\": [{{\"background\": {}", "[".repeat(200));
        let e = read(Path::new("t.json"), &deep).unwrap_err();
        assert!(e.message.contains("recursion limit"), "{}", e.message);
        assert!(!e.hint.unwrap().contains("comma"));
        let e = read(
            Path::new("t.json"),
            r#"{"events": [{"start_date": {"year": 8999999999999999.0}}]}"#,
        )
        .unwrap_err();
        assert!(
            e.message.contains("too large to be read exactly"),
            "{}",
            e.message
        );
        let e = read(Path::new("t.json"), r#"{"events": [["a"]]}"#).unwrap_err();
        assert!(
            e.message.contains("expected a date: an object"),
            "{}",
            e.message
        );
        let huge = format!(
            r#"{{"events": [{{"start_date": {{"year": "{}"}}}}]}}"#,
            "x".repeat(1 << 20)
        );
        let e = read(Path::new("t.json"), &huge).unwrap_err();
        assert!(e.message.len() < 1000, "{} bytes", e.message.len());
    }
}
