//! Reading the site settings out of `content/_index.md`'s front matter, with
//! every problem located like an article's.
//!
//! Reading only: the values, their defaults and rules are `config`'s, and
//! what a build adds to them (the command line, the as-of date, a
//! language's words) is the pipeline engine's (see `config`).

use std::path::Path;

use super::fields::Fields;
use super::yaml::{Entry, Node, Value};
use crate::config::{self, Order, SETTINGS_KEYS, Settings, SlugStyle};
use crate::diagnostics::{Code, Diagnostic, Location};

/// The settings' values as they are read.
#[derive(Default)]
struct Keys {
    title: Option<String>,
    title_seen: bool,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    timezone: Option<chrono_tz::Tz>,
    order: Option<Order>,
    as_of: Option<chrono::NaiveDate>,
    allow_raw_html: Option<bool>,
    page_size: Option<usize>,
    feed_limit: Option<usize>,
    require_citations: Option<bool>,
    search: Option<bool>,
    slug_style: Option<SlugStyle>,
    languages: Vec<String>,
}

impl Keys {
    fn read(&mut self, fields: &mut Fields<'_>, entry: &Entry) {
        let node = &entry.value;
        match entry.key.as_str() {
            "title" => {
                self.title_seen = true;
                self.title = fields.nonempty_text(node, "title");
            }
            "description" => self.description = fields.text(node, "description"),
            "base_url" => self.base_url = read_base_url(fields, node),
            "language" => self.language = read_language(fields, node),
            "languages" => self.languages = read_languages(fields, node),
            "timezone" => self.timezone = fields.zone(node, "timezone"),
            "order" => {
                self.order = fields.choice(node, "order", &["ascending", "descending"], |s| match s
                {
                    "ascending" => Some(Order::Ascending),
                    "descending" => Some(Order::Descending),
                    _ => None,
                })
            }
            "as_of" => self.as_of = fields.day(node, "as_of"),
            "allow_raw_html" => self.allow_raw_html = fields.boolean(node, "allow_raw_html"),
            "timeline_page_size" => {
                self.page_size = read_count(fields, node, "timeline_page_size", 500)
            }
            "feed_limit" => self.feed_limit = read_count(fields, node, "feed_limit", 100),
            "require_citations" => {
                self.require_citations = fields.boolean(node, "require_citations")
            }
            "search" => self.search = read_search(fields, node),
            "slug_style" => {
                self.slug_style =
                    fields.choice(node, "slug_style", &["ascii", "unicode"], |s| match s {
                        "ascii" => Some(SlugStyle::Ascii),
                        "unicode" => Some(SlugStyle::Unicode),
                        _ => None,
                    })
            }
            _ => fields.unknown_key(entry, "the site settings", SETTINGS_KEYS),
        }
    }
}

fn read_base_url(fields: &mut Fields<'_>, node: &Node) -> Option<String> {
    let text = fields.text(node, "base_url")?;
    match config::check_base_url(&text) {
        Ok(url) => Some(url),
        Err(message) => {
            fields
                .error(
                    Code::UrlInvalid,
                    node.span,
                    format!("`base_url`: {message}"),
                )
                .hint = Some(
                "write the address the site is published at, e.g. https://example.org/news/".into(),
            );
            None
        }
    }
}

/// `search`, which only a chronicle built with its `search` feature (on by
/// default) can honour: one built without says so at the setting, and
/// reads it as off, so nothing reaches for the index it cannot make.
fn read_search(fields: &mut Fields<'_>, node: &Node) -> Option<bool> {
    let search = fields.boolean(node, "search")?;
    if search && !cfg!(feature = "search") {
        let message = "`search: true`, but this chronicle was built without search (its `search` cargo feature)";
        fields.error(Code::SearchNotBuilt, node.span, message).hint = Some(
            "build chronicle with its default features (`cargo build --release`), or set `search: false`".into(),
        );
        return Some(false);
    }
    Some(search)
}

/// A count of entries, 1 or more (`timeline_page_size`, `feed_limit`).
fn read_count(fields: &mut Fields<'_>, node: &Node, key: &str, example: usize) -> Option<usize> {
    match &node.value {
        Value::Int(n) if *n >= 1 => usize::try_from(*n).ok(),
        Value::Null => None,
        other => {
            let message = format!(
                "`{key}` must be a whole number of entries, 1 or more, found {}",
                match other {
                    Value::Int(n) => n.to_string(),
                    v => v.describe().to_string(),
                }
            );
            fields.error(Code::WrongType, node.span, message).hint =
                Some(format!("write a number such as `{key}: {example}`"));
            None
        }
    }
}

/// The default language and every language: `language` (`en` unless
/// given) alone, or `languages`, which must start with `language`.
fn languages(
    keys: &mut Keys,
    fields: &mut Fields<'_>,
    path: &Path,
    whole_file: &Location,
) -> (String, Vec<String>) {
    let language = keys
        .language
        .take()
        .or_else(|| keys.languages.first().cloned())
        .unwrap_or_else(|| "en".into());
    let mut languages = std::mem::take(&mut keys.languages);
    if languages.is_empty() {
        languages.push(language.clone());
    } else if languages[0] != language {
        let message = format!(
            "`language` is `{language}` but `languages` starts with `{}`: the first is the default",
            languages[0]
        );
        fields.push(
            Diagnostic::error(Code::LanguageInvalid, path, message)
                .at(Some(whole_file.clone()))
                .hint("leave `language` out, or list it first in `languages`"),
        );
    }
    (language, languages)
}

/// `languages: [en, ja, ko]`: language tags, each once, the default first.
fn read_languages(fields: &mut Fields<'_>, node: &Node) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in fields.text_list(node, "languages") {
        let value = tag.value.trim().to_string();
        let span = node.span;
        if !config::valid_language(&value) {
            let message = format!(
                "`languages` must list language tags such as `en` or `ja`, found `{}`",
                value.escape_debug()
            );
            fields.error(Code::LanguageInvalid, span, message);
        } else if out.contains(&value) {
            let message = format!("`languages` lists `{value}` twice");
            fields.error(Code::LanguageInvalid, span, message);
        } else {
            out.push(value);
        }
    }
    out
}

fn read_language(fields: &mut Fields<'_>, node: &Node) -> Option<String> {
    let text = fields.text(node, "language")?;
    if config::valid_language(text.trim()) {
        return Some(text.trim().to_string());
    }
    let message = format!(
        "`language` must be a language tag such as `en` or `en-GB`, found `{}`",
        text.escape_debug()
    );
    fields.error(Code::LanguageInvalid, node.span, message);
    None
}

/// Reads the settings from the front matter of `content/_index.md`, already
/// parsed. The text and the introduction's offset are filled in by the caller.
pub fn read(
    fields: &mut Fields<'_>,
    root: &Node,
    path: &Path,
    whole_file: Location,
) -> Option<Settings> {
    if matches!(root.value, Value::Null) {
        fields.push(
            Diagnostic::error(
                Code::EmptyFrontMatter,
                path,
                "the site settings are empty: `title` is required",
            )
            .at(Some(whole_file))
            .hint("add `title: ...` between the `---` lines"),
        );
        return None;
    }
    let mut keys = Keys::default();
    for entry in fields.entries(root, "the site settings") {
        keys.read(fields, entry);
    }
    let (language, languages) = languages(&mut keys, fields, path, &whole_file);
    if !keys.title_seen {
        fields.push(
            Diagnostic::error(Code::MissingField, path, "missing required field `title`")
                .at(Some(whole_file))
                .hint("add a line such as `title: My timeline` to the front matter"),
        );
    }
    Some(Settings {
        title: keys.title?,
        description: keys
            .description
            .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|d| !d.is_empty()),
        base_url: keys.base_url,
        language,
        languages,
        timezone: keys.timezone,
        people: None,
        places: None,
        order: keys.order.unwrap_or_default(),
        as_of: keys.as_of,
        allow_raw_html: keys.allow_raw_html.unwrap_or(false),
        page_size: keys.page_size.unwrap_or(config::DEFAULT_PAGE_SIZE),
        feed_limit: keys.feed_limit.unwrap_or(config::DEFAULT_FEED_LIMIT),
        require_citations: keys.require_citations.unwrap_or(false),
        sources: Vec::new(),
        search: keys.search.unwrap_or(false),
        slug_style: keys.slug_style.unwrap_or_default(),
        path: path.to_path_buf(),
        text: String::new(),
        intro_offset: 0,
        texts: Vec::new(),
        words: config::Words::default(),
    })
}

/// Reads a language's title and description from the front matter of
/// `content/_index.<language>.md`, already parsed (empty front matter is
/// allowed: the file may give only an introduction). A setting of the
/// whole site there is an error that says where it belongs.
pub fn read_text(fields: &mut Fields<'_>, root: &Node, path: &Path) -> config::SiteText {
    let mut text = config::SiteText {
        language: String::new(),
        title: None,
        description: None,
        path: path.to_path_buf(),
        text: String::new(),
        intro_offset: 0,
    };
    if matches!(root.value, Value::Null) {
        return text;
    }
    for entry in fields.entries(root, "a language's site text") {
        let node = &entry.value;
        match entry.key.as_str() {
            "title" => text.title = fields.nonempty_text(node, "title"),
            "description" => {
                text.description = fields
                    .text(node, "description")
                    .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|d| !d.is_empty())
            }
            key if SETTINGS_KEYS.contains(&key) => {
                let message =
                    format!("`{key}` is a setting of the whole site, not of one language");
                fields.error(Code::UnknownKey, entry.key_span, message).hint = Some(format!(
                    "set it in content/_index.md; a language's file gives only {}",
                    config::SITE_TEXT_KEYS.join(" and ")
                ));
            }
            _ => fields.unknown_key(entry, "a language's site text", config::SITE_TEXT_KEYS),
        }
    }
    text
}
