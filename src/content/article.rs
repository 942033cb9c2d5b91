//! One article: its front matter read and checked field by field, its body
//! kept for the markdown stage.
//!
//! Every problem in the front matter is reported, not just the first: a
//! wrong `date` does not hide an unknown key three lines below.

use std::path::Path;

use super::fields::Fields;
use super::yaml::{Node, Value};
use crate::date::{self, EventDate};
use crate::diagnostics::{Diagnostic, Location};
use crate::model::{Article, Kind, Located, Source, Status};

pub const ARTICLE_KEYS: &[&str] = &[
    "title",
    "date",
    "status",
    "kind",
    "summary",
    "location",
    "participants",
    "tags",
    "series",
    "sources",
    "related",
    "slug",
    "updated",
    "draft",
];

const SOURCE_KEYS: &[&str] = &["title", "publisher", "date", "url"];

/// First path segments the output needs for pages of its own.
pub const RESERVED_SEGMENTS: &[&str] = &[
    "participants",
    "places",
    "tags",
    "series",
    "404",
    "index",
    "atom.xml",
    "feed.xml",
    "calendar.ics",
    "timeline.json",
    "sitemap.xml",
    "robots.txt",
];

/// Reads an article from its front matter, already parsed. `rel` is the path
/// under `content/` with `/` separators.
pub fn read(
    fields: &mut Fields<'_>,
    root: &Node,
    path: &Path,
    rel: &str,
    whole_file: Location,
) -> Option<Article> {
    let mut title = None;
    let mut date = None;
    let mut status = None;
    let mut kind = None;
    let mut summary = None;
    let mut location = None;
    let mut participants = Vec::new();
    let mut tags = Vec::new();
    let mut series = None;
    let mut sources = Vec::new();
    let mut related = Vec::new();
    let mut slug = None;
    let mut updated = None;
    let mut draft = None;
    let mut title_seen = false;
    let mut date_seen = false;

    if matches!(root.value, Value::Null) {
        fields.push(
            Diagnostic::error(
                path,
                "the front matter is empty: `title` and `date` are required",
            )
            .at(Some(whole_file.clone()))
            .hint("add `title: ...` and `date: YYYY-MM-DD` between the `---` lines"),
        );
        return None;
    }
    for entry in fields.entries(root, "the front matter") {
        let node = &entry.value;
        match entry.key.as_str() {
            "title" => {
                title_seen = true;
                title = fields.nonempty_text(node, "title");
            }
            "date" => {
                date_seen = true;
                date = read_date(fields, node);
            }
            "status" => {
                status = fields
                    .choice(node, "status", &Status::NAMES, Status::parse)
                    .map(|s| (s, fields.locate(node.span)));
            }
            "kind" => kind = fields.choice(node, "kind", &Kind::NAMES, Kind::parse),
            "summary" => {
                summary = fields
                    .text(node, "summary")
                    .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|s| !s.is_empty());
            }
            "location" => {
                location = fields
                    .text(node, "location")
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .map(|value| Located {
                        value,
                        pos: fields.pos(node.span),
                    });
            }
            "participants" => participants = fields.text_list(node, "participants"),
            "tags" => tags = fields.text_list(node, "tags"),
            "series" => {
                series = fields.nonempty_text(node, "series").map(|value| Located {
                    value,
                    pos: fields.pos(node.span),
                });
            }
            "sources" => sources = read_sources(fields, node),
            "related" => related = fields.text_list(node, "related"),
            "slug" => {
                slug = read_slug(fields, node).map(|s| (s, fields.locate(node.span)));
            }
            "updated" => updated = read_day(fields, node, "updated"),
            "draft" => draft = fields.boolean(node, "draft"),
            _ => fields.unknown_key(entry, "an article's front matter", ARTICLE_KEYS),
        }
    }
    for (seen, key, example) in [
        (title_seen, "title", "title: Camp David summit"),
        (date_seen, "date", "date: 2023-08-18"),
    ] {
        if !seen {
            fields.push(
                Diagnostic::error(path, format!("missing required field `{key}`"))
                    .at(Some(whole_file.clone()))
                    .hint(format!(
                        "add a line such as `{example}` to the front matter"
                    )),
            );
        }
    }

    let id = article_id(
        fields,
        path,
        rel,
        slug.as_ref().map(|s| s.0.as_str()),
        &whole_file,
    );
    let (Some(title), Some((date, date_location)), Some(id)) = (title, date, id) else {
        return None;
    };
    Some(Article {
        id,
        id_location: Some(slug.map_or(whole_file, |s| s.1)),
        path: path.to_path_buf(),
        title,
        date,
        date_location: Some(date_location),
        status: status.as_ref().map(|(s, _)| *s),
        status_location: status.map(|(_, l)| l),
        kind: kind.unwrap_or(Kind::Meeting),
        summary,
        location,
        participants,
        tags,
        series,
        sources,
        related,
        updated,
        draft: draft.unwrap_or(false),
        text: String::new(),
        body_offset: 0,
    })
}

fn read_date(fields: &mut Fields<'_>, node: &Node) -> Option<(EventDate, Location)> {
    let parsed = match &node.value {
        Value::Int(year) => EventDate::from_year(*year).map_err(|e| (e, year.to_string())),
        Value::Str(text) => EventDate::parse(text).map_err(|e| (e, text.clone())),
        Value::Null => {
            fields.error(node.span, "`date` is empty").hint =
                Some("write the date as 2024, 2024-07 or 2023-08-18".into());
            return None;
        }
        other => {
            let message = format!("`date` must be a date, found {}", other.describe());
            fields.error(node.span, message).hint =
                Some("write the date as 2024, 2024-07 or 2023-08-18".into());
            return None;
        }
    };
    match parsed {
        Ok(date) => Some((date, fields.locate(node.span))),
        Err((e, text)) => {
            let location = fields.locate_within(node.span, &text, e.offset, e.len);
            fields.push(
                Diagnostic::error(fields_path(fields), e.message)
                    .at(Some(location))
                    .maybe_hint(e.hint),
            );
            None
        }
    }
}

fn fields_path(fields: &Fields<'_>) -> std::path::PathBuf {
    fields.path().to_path_buf()
}

/// A full `YYYY-MM-DD` day.
pub fn read_day(fields: &mut Fields<'_>, node: &Node, field: &str) -> Option<chrono::NaiveDate> {
    let text = fields.text(node, field)?;
    match date::parse_day(&text) {
        Ok(day) => Some(day),
        Err(e) => {
            let location = fields.locate_within(node.span, &text, e.offset, e.len);
            fields.push(
                Diagnostic::error(fields_path(fields), format!("`{field}`: {}", e.message))
                    .at(Some(location))
                    .maybe_hint(e.hint),
            );
            None
        }
    }
}

fn read_slug(fields: &mut Fields<'_>, node: &Node) -> Option<String> {
    let slug = fields.nonempty_text(node, "slug")?;
    if slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Some(slug)
    } else {
        let suggestion = slug::slugify(&slug);
        let message = format!(
            "`slug` may hold only lowercase letters a–z, digits and hyphens, found `{}`",
            slug.escape_debug()
        );
        fields.error(node.span, message).hint =
            (!suggestion.is_empty()).then(|| format!("did you mean `slug: {suggestion}`?"));
        None
    }
}

/// Checks a web address: http or https only, so no `javascript:` reaches a
/// reader's click.
pub fn check_url(text: &str) -> Result<String, String> {
    match url::Url::parse(text.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(text.trim().to_string()),
        Ok(u) => Err(format!(
            "addresses must start with http:// or https://, found a `{}:` address",
            u.scheme()
        )),
        Err(e) => Err(format!("not a web address ({e})")),
    }
}

fn read_sources(fields: &mut Fields<'_>, node: &Node) -> Vec<Source> {
    let items = match &node.value {
        Value::Null => return Vec::new(),
        Value::Seq(items) => items,
        other => {
            let message = format!(
                "`sources` must be a list of sources, found {}",
                other.describe()
            );
            fields.error(node.span, message).hint = Some(
                "write each source as `- title: ...` with `publisher`, `date` and `url` beneath"
                    .into(),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for item in items {
        if !matches!(item.value, Value::Map(_)) {
            let message = format!(
                "each source must have `title`, `publisher`, `date` and `url` keys, found {}",
                item.value.describe()
            );
            fields.error(item.span, message);
            continue;
        }
        let mut title = None;
        let mut title_seen = false;
        let mut publisher = None;
        let mut date = None;
        let mut url = None;
        for entry in fields.entries(item, "a source") {
            let value = &entry.value;
            match entry.key.as_str() {
                "title" => {
                    title_seen = true;
                    title = fields.nonempty_text(value, "title");
                }
                "publisher" => publisher = fields.text(value, "publisher"),
                "date" => date = read_date(fields, value).map(|(d, _)| d),
                "url" => {
                    if let Some(text) = fields.text(value, "url") {
                        match check_url(&text) {
                            Ok(u) => url = Some(u),
                            Err(message) => {
                                fields.error(value.span, format!("`url`: {message}"));
                            }
                        }
                    }
                }
                _ => fields.unknown_key(entry, "a source", SOURCE_KEYS),
            }
        }
        if !title_seen {
            fields.error(item.span, "this source has no `title`").hint =
                Some("every source needs at least `title:`".into());
        }
        if let Some(title) = title {
            out.push(Source {
                title,
                publisher: publisher.filter(|p| !p.trim().is_empty()),
                date,
                url,
            });
        }
    }
    out
}

/// The id: the path under `content/` without `.md`, `slug` replacing the last
/// segment. Segments are checked so no id escapes the output folder or takes
/// a name the output needs for itself.
fn article_id(
    fields: &mut Fields<'_>,
    path: &Path,
    rel: &str,
    slug: Option<&str>,
    whole_file: &Location,
) -> Option<String> {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let mut segments: Vec<&str> = stem.split('/').collect();
    if let (Some(slug), Some(last)) = (slug, segments.last_mut()) {
        *last = slug;
    }
    let bad = segments.iter().find(|s| !valid_segment(s));
    if let Some(bad) = bad {
        fields.push(
            Diagnostic::error(
                path,
                format!(
                    "`{}` cannot be part of a page address: use letters, digits, `-`, `_` and `.`, not starting with `.`",
                    bad.escape_debug()
                ),
            )
            .at(Some(whole_file.clone()))
            .hint("rename the file or folder, or set `slug:` in the front matter"),
        );
        return None;
    }
    let id = segments.join("/");
    let first = segments.first().copied().unwrap_or("");
    if RESERVED_SEGMENTS.contains(&first) {
        fields.push(
            Diagnostic::error(
                path,
                format!(
                    "the id `{id}` would take `{first}`, which chronicle needs for its own pages"
                ),
            )
            .at(Some(whole_file.clone()))
            .hint("move the article into another folder, or rename it"),
        );
        return None;
    }
    Some(id)
}

fn valid_segment(segment: &str) -> bool {
    !segment.is_empty()
        && !segment.starts_with('.')
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}
