//! One article: its front matter read and checked field by field, its body
//! kept for the markdown stage.
//!
//! Every problem in the front matter is reported, not just the first: a
//! wrong `date` does not hide an unknown key three lines below.

use std::path::Path;

use super::fields::Fields;
use super::yaml::{Entry, Node, Span, Value};
use crate::date::{EventDate, ZoneTrouble};
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::model::{Article, Kind, Located, Media, Source, Status};
use crate::routes;

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
    "published",
    "media",
    "timezone",
    "draft",
];

pub(crate) const SOURCE_KEYS: &[&str] = &["id", "title", "publisher", "date", "url"];

const MEDIA_KEYS: &[&str] = &["src", "alt", "credit", "caption"];

const DATE_HINT: &str = "write the date as 2024, 2024-07 or 2023-08-18";

/// The front matter's values as they are read, before the required ones
/// are known to be there.
#[derive(Default)]
struct Keys {
    title: Option<String>,
    title_seen: bool,
    date: Option<(EventDate, Location)>,
    /// The date's node and text, to point into it once the zone is known.
    date_written: Option<(Span, String)>,
    date_seen: bool,
    timezone: Option<chrono_tz::Tz>,
    status: Option<(Status, Location)>,
    kind: Option<Kind>,
    summary: Option<String>,
    location: Option<Located<String>>,
    participants: Vec<Located<String>>,
    tags: Vec<Located<String>>,
    series: Option<Located<String>>,
    sources: Vec<Source>,
    related: Vec<Located<String>>,
    slug: Option<(String, Location)>,
    updated: Option<chrono::NaiveDate>,
    published: Option<chrono::NaiveDate>,
    media: Option<Media>,
    draft: Option<bool>,
}

impl Keys {
    /// Reads one `key: value` line into its field.
    fn read(&mut self, fields: &mut Fields<'_>, entry: &Entry) {
        let node = &entry.value;
        match entry.key.as_str() {
            "title" => {
                self.title_seen = true;
                self.title = fields.nonempty_text(node, "title");
            }
            "date" => {
                self.date_seen = true;
                self.date = read_date(fields, node);
                self.date_written = match &node.value {
                    Value::Str(text) => Some((node.span, text.clone())),
                    _ => None,
                };
            }
            "status" => {
                self.status = fields
                    .choice(node, "status", &Status::NAMES, Status::parse)
                    .map(|s| (s, fields.locate(node.span)));
            }
            "kind" => self.kind = fields.choice(node, "kind", &Kind::NAMES, Kind::parse),
            "summary" => {
                self.summary = fields
                    .text(node, "summary")
                    .map(|s| collapse_whitespace(&s))
                    .filter(|s| !s.is_empty());
            }
            "location" => self.location = located_text(fields, node, "location"),
            "participants" => self.participants = fields.text_list(node, "participants"),
            "tags" => self.tags = fields.text_list(node, "tags"),
            "series" => self.series = located_text(fields, node, "series"),
            "sources" => self.sources = read_sources(fields, node),
            "related" => self.related = fields.text_list(node, "related"),
            "slug" => self.slug = fields.slug(node).map(|s| (s, fields.locate(node.span))),
            "updated" => self.updated = fields.day(node, "updated"),
            "published" => self.published = fields.day(node, "published"),
            "media" => self.media = read_media(fields, node),
            "timezone" => self.timezone = fields.zone(node, "timezone"),
            "draft" => self.draft = fields.boolean(node, "draft"),
            _ => fields.unknown_key(entry, "an article's front matter", ARTICLE_KEYS),
        }
    }

    /// Reads the date's times written without an offset in the article's
    /// `timezone`, else the site's; a time the clocks skip there is an
    /// error, one they repeat a warning, each at the time in the date.
    fn read_times_in(&mut self, fields: &mut Fields<'_>, site_zone: Option<chrono_tz::Tz>) {
        let (Some(tz), Some((date, _))) = (self.timezone.or(site_zone), self.date.as_mut()) else {
            return;
        };
        let (zoned, troubles) = date.in_zone(tz);
        *date = zoned;
        let Some((span, text)) = &self.date_written else {
            return;
        };
        for (at_end, trouble) in troubles {
            let t = if at_end {
                text.rfind('T')
            } else {
                text.find('T')
            };
            let (offset, len) = t.map_or((0, text.len()), |t| (t + 1, 5));
            let location = fields.locate_within(*span, text, offset, len);
            let (code, message, hint) = match trouble {
                ZoneTrouble::Gap { message, hint } => (Code::TimeInGap, message, hint),
                ZoneTrouble::Ambiguous { message, hint } => (Code::TimeAmbiguous, message, hint),
            };
            let diagnostic = match code {
                Code::TimeInGap => Diagnostic::error(code, fields.path(), message),
                _ => Diagnostic::warning(code, fields.path(), message),
            };
            fields.push(diagnostic.at(Some(location)).hint(hint));
        }
    }

    /// Reports the required keys that never appeared (a translation's
    /// `date` is its original's if it gives none).
    fn require(
        &self,
        fields: &mut Fields<'_>,
        path: &Path,
        whole_file: &Location,
        translation: bool,
    ) {
        for (seen, key, example) in [
            (self.title_seen, "title", "title: Camp David summit"),
            (self.date_seen || translation, "date", "date: 2023-08-18"),
        ] {
            if !seen {
                fields.push(
                    Diagnostic::error(
                        Code::MissingField,
                        path,
                        format!("missing required field `{key}`"),
                    )
                    .at(Some(whole_file.clone()))
                    .hint(format!(
                        "add a line such as `{example}` to the front matter"
                    )),
                );
            }
        }
    }
}

/// An article file's path under `content/` (with `/` separators, for
/// its id), and whether it is a translation (`x.ja.md` in a site of
/// several languages), which may leave out its date.
#[derive(Debug, Clone, Copy)]
pub struct Name<'a> {
    pub rel: &'a str,
    pub translation: bool,
}

/// Reads an article from its front matter, already parsed.
pub fn read(
    fields: &mut Fields<'_>,
    root: &Node,
    path: &Path,
    Name { rel, translation }: Name<'_>,
    whole_file: Location,
    site_zone: Option<chrono_tz::Tz>,
) -> Option<Article> {
    if matches!(root.value, Value::Null) {
        fields.push(empty(path, whole_file));
        return None;
    }
    let mut keys = Keys::default();
    for entry in fields.entries(root, "the front matter") {
        keys.read(fields, entry);
    }
    keys.require(fields, path, &whole_file, translation);
    keys.read_times_in(fields, site_zone);
    let slug = keys.slug.as_ref().map(|s| s.0.as_str());
    let id = article_id(fields, path, rel, slug, &whole_file);
    let date_inherited = translation && keys.date.is_none();
    let (date, date_location) = match keys.date {
        Some((date, location)) => (Some(date), Some(location)),
        None if date_inherited => (EventDate::from_year(1).ok(), None),
        None => (None, None),
    };
    let (Some(title), Some(date), Some(id)) = (keys.title, date, id) else {
        return None;
    };
    Some(Article {
        id,
        id_location: Some(keys.slug.map_or(whole_file, |s| s.1)),
        path: path.to_path_buf(),
        title,
        date,
        date_location,
        date_inherited,
        status: keys.status.as_ref().map(|(s, _)| *s),
        status_location: keys.status.map(|(_, l)| l),
        kind: keys.kind.unwrap_or(Kind::Meeting),
        summary: keys.summary,
        location: keys.location,
        participants: keys.participants,
        tags: keys.tags,
        series: keys.series,
        sources: keys.sources,
        related: keys.related,
        updated: keys.updated,
        published: keys.published,
        media: keys.media,
        draft: keys.draft.unwrap_or(false),
        source_hash: Default::default(),
        body_offset: 0,
        body_links: Vec::new(),
    })
}

fn empty(path: &Path, whole_file: Location) -> Diagnostic {
    Diagnostic::error(
        Code::EmptyFrontMatter,
        path,
        "the front matter is empty: `title` and `date` are required",
    )
    .at(Some(whole_file))
    .hint("add `title: ...` and `date: YYYY-MM-DD` between the `---` lines")
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn located_text(fields: &mut Fields<'_>, node: &Node, field: &str) -> Option<Located<String>> {
    fields.nonempty_text(node, field).map(|value| Located {
        value,
        pos: fields.pos(node.span),
    })
}

fn read_date(fields: &mut Fields<'_>, node: &Node) -> Option<(EventDate, Location)> {
    let parsed = match &node.value {
        Value::Int(year) => EventDate::from_year(*year).map_err(|e| (e, year.to_string())),
        Value::Str(text) => EventDate::parse(text).map_err(|e| (e, text.clone())),
        Value::Null => {
            fields
                .error(Code::EmptyValue, node.span, "`date` is empty")
                .hint = Some(DATE_HINT.into());
            return None;
        }
        other => {
            let message = format!("`date` must be a date, found {}", other.describe());
            fields.error(Code::WrongType, node.span, message).hint = Some(DATE_HINT.into());
            return None;
        }
    };
    match parsed {
        Ok(date) => Some((date, fields.locate(node.span))),
        Err((e, text)) => {
            let location = fields.locate_within(node.span, &text, e.offset, e.len);
            let diagnostic = Diagnostic::error(Code::DateInvalid, fields.path(), e.message)
                .at(Some(location))
                .maybe_hint(e.hint);
            fields.push(diagnostic);
            None
        }
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
            fields.error(Code::WrongType, node.span, message).hint = Some(
                "write each source as `- title: ...` with `publisher`, `date` and `url` beneath"
                    .into(),
            );
            return Vec::new();
        }
    };
    items
        .iter()
        .filter_map(|item| read_source(fields, item))
        .collect()
}

/// One source; `None` (after a located error) if it cannot be read. A
/// source with an `id` and nothing else names a site source.
pub(crate) fn read_source(fields: &mut Fields<'_>, item: &Node) -> Option<Source> {
    if !matches!(item.value, Value::Map(_)) {
        let message = format!(
            "each source must have `title`, `publisher`, `date` and `url` keys, found {}",
            item.value.describe()
        );
        fields.error(Code::WrongType, item.span, message);
        return None;
    }
    let (mut title, mut title_seen, mut publisher, mut date, mut url) =
        (None, false, None, None, None);
    let mut id = None;
    for entry in fields.entries(item, "a source") {
        let value = &entry.value;
        match entry.key.as_str() {
            "id" => id = read_source_id(fields, value),
            "title" => {
                title_seen = true;
                title = fields.nonempty_text(value, "title");
            }
            "publisher" => publisher = fields.text(value, "publisher"),
            "date" => date = read_date(fields, value).map(|(d, _)| d),
            "url" => url = fields.url(value, "url"),
            _ => fields.unknown_key(entry, "a source", SOURCE_KEYS),
        }
    }
    let reference = id.is_some() && publisher.is_none() && date.is_none() && url.is_none();
    if !title_seen && !reference {
        fields
            .error(Code::MissingField, item.span, "this source has no `title`")
            .hint = Some("every source needs at least `title:` (or only `id:`, to name one of content/_sources.yaml)".into());
    }
    if !title_seen && reference {
        title = Some(String::new());
    }
    Some(Source {
        id,
        pos: fields.pos(item.span),
        title: title?,
        publisher: publisher.filter(|p: &String| !p.trim().is_empty()),
        date,
        url,
    })
}

/// `media: {src, alt, credit, caption}`: `src` an `https://` address or a
/// path in `static/` (its existence is checked with the timeline), `alt`
/// required and not empty.
fn read_media(fields: &mut Fields<'_>, node: &Node) -> Option<Media> {
    if !matches!(node.value, Value::Map(_)) {
        let message = format!(
            "`media` must have `src` and `alt` keys (and may have `credit` and `caption`), found {}",
            node.value.describe()
        );
        fields.error(Code::WrongType, node.span, message).hint =
            Some("write `media:` with `src: images/photo.jpg` and `alt: ...` beneath".into());
        return None;
    }
    let (mut src, mut src_seen, mut alt, mut alt_seen) = (None, false, None, false);
    let (mut credit, mut caption) = (None, None);
    for entry in fields.entries(node, "`media`") {
        let value = &entry.value;
        match entry.key.as_str() {
            "src" => {
                src_seen = true;
                src = read_media_src(fields, value);
            }
            "alt" => {
                alt_seen = true;
                alt = fields
                    .nonempty_text(value, "alt")
                    .map(|a| collapse_whitespace(&a));
            }
            "credit" => {
                credit = fields
                    .text(value, "credit")
                    .map(|c| collapse_whitespace(&c))
            }
            "caption" => {
                caption = fields
                    .text(value, "caption")
                    .map(|c| collapse_whitespace(&c))
            }
            _ => fields.unknown_key(entry, "`media`", MEDIA_KEYS),
        }
    }
    if !alt_seen {
        fields
            .error(Code::MissingField, node.span, "`media` has no `alt`")
            .hint = Some(
            "describe the image for readers who cannot see it: `alt: Three leaders at a lectern`"
                .into(),
        );
    }
    if !src_seen {
        fields
            .error(Code::MissingField, node.span, "`media` has no `src`")
            .hint = Some("write the image's path in static/, or its https:// address".into());
    }
    Some(Media {
        src: src?,
        alt: alt?,
        credit: credit.filter(|c| !c.is_empty()),
        caption: caption.filter(|c| !c.is_empty()),
    })
}

/// An image's address: `https://...`, or a path in `static/` with no `..`.
fn read_media_src(fields: &mut Fields<'_>, node: &Node) -> Option<Located<String>> {
    let text = fields.nonempty_text(node, "src")?;
    let text = text.trim().to_string();
    let local = !text.contains(':');
    let ok = if local {
        !text.split('/').any(|s| s == ".." || s == ".")
            && !text.contains('\\')
            && !text.starts_with("//")
    } else {
        text.starts_with("https://") && url::Url::parse(&text).is_ok()
    };
    if !ok {
        let message = format!(
            "`src` must be a path in static/ (such as `images/photo.jpg`) or an https:// address, found `{}`",
            text.escape_debug()
        );
        fields.error(Code::UrlRefused, node.span, message).hint =
            Some("put the image in static/ and write its path there".into());
        return None;
    }
    Some(Located {
        value: text,
        pos: fields.pos(node.span),
    })
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
    if let Some(bad) = segments.iter().find(|s| !valid_segment(s)) {
        let message = format!(
            "`{}` cannot be part of a page address: use letters, digits, `-`, `_` and `.`, not starting with `.`",
            bad.escape_debug()
        );
        fields.push(
            Diagnostic::error(Code::IdInvalid, path, message)
                .at(Some(whole_file.clone()))
                .hint("rename the file or folder, or set `slug:` in the front matter"),
        );
        return None;
    }
    let id = segments.join("/");
    let first = segments.first().copied().unwrap_or("");
    if routes::RESERVED.contains(&first) {
        let message =
            format!("the id `{id}` would take `{first}`, which chronicle needs for its own pages");
        fields.push(
            Diagnostic::error(Code::IdReserved, path, message)
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

/// A source's `id`: a letter, then letters, digits, `_` or `-` (what
/// `[@id]` can cite).
fn read_source_id(fields: &mut Fields<'_>, node: &Node) -> Option<String> {
    let id = fields.nonempty_text(node, "id")?;
    let valid = id.starts_with(|c: char| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid {
        let message = format!(
            "`{}` cannot be cited as `[@{}]`",
            id.escape_debug(),
            id.escape_debug()
        );
        fields.error(Code::WrongType, node.span, message).hint = Some(
            "an id is a letter, then letters, digits, `_` or `-`: `K2`, `white-house-1`".into(),
        );
        return None;
    }
    Some(id)
}
