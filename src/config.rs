//! Site settings: the front matter of `content/_index.md`, whose body is the
//! introduction shown on the timeline page.
//!
//! Settings live in the content folder, beside the articles, so an editor
//! changes the site's title the same way as an article's.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::content::article::{check_url, read_day};
use crate::content::fields::Fields;
use crate::content::yaml::{Node, Value};
use crate::diagnostics::{Diagnostic, Location};

pub const SETTINGS_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "order",
    "as_of",
    "allow_raw_html",
];

/// The order of the timeline page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    #[default]
    Ascending,
    Descending,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub title: String,
    pub description: Option<String>,
    /// Without a trailing slash: `https://example.org/news`.
    pub base_url: Option<String>,
    pub language: String,
    pub order: Order,
    pub as_of: Option<NaiveDate>,
    /// Raw HTML in markdown is left out unless trusted editors turn this on.
    pub allow_raw_html: bool,
    /// The `_index.md` file, relative to the root.
    pub path: PathBuf,
    /// The file's whole text, and where the introduction (markdown) starts.
    pub text: String,
    pub intro_offset: usize,
}

impl Settings {
    /// The introduction, in markdown.
    pub fn intro(&self) -> &str {
        self.text.get(self.intro_offset..).unwrap_or("")
    }

    /// The path part of the base URL, without a trailing slash: `/news`, or
    /// empty at a domain's root. Every link in the site starts with it.
    pub fn base_path(&self) -> String {
        let Some(base) = &self.base_url else {
            return String::new();
        };
        match url::Url::parse(base) {
            Ok(u) => u.path().trim_end_matches('/').to_string(),
            Err(_) => String::new(),
        }
    }
}

/// Normalises a base URL, or says what is wrong with it.
pub fn check_base_url(text: &str) -> Result<String, String> {
    let url = check_url(text)?;
    let parsed = url::Url::parse(&url).map_err(|e| e.to_string())?;
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err("a base URL cannot have a `?query` or a `#fragment`".into());
    }
    Ok(url.trim_end_matches('/').to_string())
}

pub fn read(
    fields: &mut Fields<'_>,
    root: &Node,
    path: &Path,
    whole_file: Location,
) -> Option<Settings> {
    let mut title = None;
    let mut title_seen = false;
    let mut description = None;
    let mut base_url = None;
    let mut language = None;
    let mut order = None;
    let mut as_of = None;
    let mut allow_raw_html = None;
    if matches!(root.value, Value::Null) {
        fields.push(
            Diagnostic::error(path, "the site settings are empty: `title` is required")
                .at(Some(whole_file))
                .hint("add `title: ...` between the `---` lines"),
        );
        return None;
    }
    for entry in fields.entries(root, "the site settings") {
        let node = &entry.value;
        match entry.key.as_str() {
            "title" => {
                title_seen = true;
                title = fields.nonempty_text(node, "title");
            }
            "description" => description = fields.text(node, "description"),
            "base_url" => {
                if let Some(text) = fields.text(node, "base_url") {
                    match check_base_url(&text) {
                        Ok(u) => base_url = Some(u),
                        Err(message) => {
                            fields.error(node.span, format!("`base_url`: {message}")).hint =
                                Some("write the address the site is published at, e.g. https://example.org/news/".into());
                        }
                    }
                }
            }
            "language" => {
                if let Some(text) = fields.text(node, "language") {
                    if valid_language(text.trim()) {
                        language = Some(text.trim().to_string());
                    } else {
                        fields.error(node.span, format!("`language` must be a language tag such as `en` or `en-GB`, found `{}`", text.escape_debug()));
                    }
                }
            }
            "order" => {
                order = fields.choice(node, "order", &["ascending", "descending"], |s| match s {
                    "ascending" => Some(Order::Ascending),
                    "descending" => Some(Order::Descending),
                    _ => None,
                })
            }
            "as_of" => as_of = read_day(fields, node, "as_of"),
            "allow_raw_html" => allow_raw_html = fields.boolean(node, "allow_raw_html"),
            _ => fields.unknown_key(entry, "the site settings", SETTINGS_KEYS),
        }
    }
    if !title_seen {
        fields.push(
            Diagnostic::error(path, "missing required field `title`")
                .at(Some(whole_file))
                .hint("add a line such as `title: My timeline` to the front matter"),
        );
    }
    Some(Settings {
        title: title?,
        description: description
            .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|d| !d.is_empty()),
        base_url,
        language: language.unwrap_or_else(|| "en".into()),
        order: order.unwrap_or_default(),
        as_of,
        allow_raw_html: allow_raw_html.unwrap_or(false),
        path: path.to_path_buf(),
        text: String::new(),
        intro_offset: 0,
    })
}

fn valid_language(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            check_base_url("https://example.org/").unwrap(),
            "https://example.org"
        );
        assert_eq!(
            check_base_url("https://example.org/news/").unwrap(),
            "https://example.org/news"
        );
        assert!(check_base_url("javascript:alert(1)").is_err());
        assert!(check_base_url("example.org").is_err());
        assert!(check_base_url("https://example.org/?a=b").is_err());
    }

    #[test]
    fn language_tags() {
        assert!(valid_language("en"));
        assert!(valid_language("en-GB"));
        assert!(valid_language("zh-Hant-TW"));
        assert!(!valid_language("english language"));
        assert!(!valid_language("e"));
    }
}
