//! Site settings: the front matter of `content/_index.md`, whose body is the
//! introduction shown on the timeline page.
//!
//! Settings live in the content folder, beside the articles, so an editor
//! changes the site's title the same way as an article's. This module holds
//! the values and their rules; `content::settings` reads them from the file.
//!
//! Four places touch the settings, one per stage, so that each sees only
//! what its stage knows: `content::settings` reads `_index.md` (and each
//! `_index.<lang>.md`'s [`SiteText`]) with located diagnostics, and
//! `content` adds the registries and the site's sources; this module owns
//! the values, their defaults and rules, and [`Settings::in_language`], a
//! language's edition of them, made from the values alone; the pipeline's
//! engine adds what one build brings (`effective_settings`: the command
//! line's `--base-url` and the as-of date; each language's [`Words`], from
//! its catalogue), since only it sees the options and the catalogues. This
//! module imports neither `content` nor `pipeline`.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::url_policy::{self, Allowed};

pub const SETTINGS_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "timezone",
    "order",
    "as_of",
    "allow_raw_html",
    "timeline_page_size",
    "feed_limit",
    "require_citations",
    "search",
    "slug_style",
    "languages",
];

/// How many entries a listing page holds unless the settings say.
pub const DEFAULT_PAGE_SIZE: usize = 500;

/// How many entries the feeds carry unless the settings say: the most
/// recently published or updated (a feed reader fetches the whole file
/// each time).
pub const DEFAULT_FEED_LIMIT: usize = 100;

/// The order of the timeline page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    #[default]
    Ascending,
    Descending,
}

/// How a term's slug is made from its name (a registry `slug` wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SlugStyle {
    /// Transliterated to ASCII (`岸田文雄` becomes `an-tian-wen-xiong`, a
    /// Chinese reading): addresses anyone can type.
    #[default]
    Ascii,
    /// Letters of every script kept, lowercased where the script has case;
    /// percent-encoded in addresses, as Hugo does.
    Unicode,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub title: String,
    pub description: Option<String>,
    /// Without a trailing slash: `https://example.org/news`.
    pub base_url: Option<String>,
    pub language: String,
    /// Every language the site is published in, the default (`language`)
    /// first: one entry unless the settings give `languages`.
    pub languages: Vec<String>,
    /// Where times of day written without an offset are read (an IANA
    /// zone), and the as-of date is taken.
    pub timezone: Option<chrono_tz::Tz>,
    /// `content/_people.yaml` and `content/_places.yaml`, when the site
    /// has them.
    pub people: Option<crate::model::Registry>,
    pub places: Option<crate::model::Registry>,
    pub order: Order,
    pub as_of: Option<NaiveDate>,
    /// Raw HTML in markdown is left out unless trusted editors turn this on.
    pub allow_raw_html: bool,
    /// The most entries one page of a listing holds (the timeline, a year,
    /// a participant…); longer listings are split into pages.
    pub page_size: usize,
    /// How many entries `atom.xml` and `feed.json` carry.
    pub feed_limit: usize,
    /// Whether a paragraph that states a date or a number must cite a
    /// source (`require_citations: true`).
    pub require_citations: bool,
    /// The site's sources (`content/_sources.yaml`), which every page may
    /// cite by id.
    pub sources: Vec<crate::model::Source>,
    /// Whether `build` makes the search index and the search page
    /// (`search: true`; off by default).
    pub search: bool,
    pub slug_style: SlugStyle,
    /// The `_index.md` file, relative to the root.
    pub path: PathBuf,
    /// The file's whole text, and where the introduction (markdown) starts.
    pub text: String,
    pub intro_offset: usize,
    /// The other languages' titles, descriptions and introductions
    /// (`_index.ja.md`), in the order of `languages`.
    pub texts: Vec<SiteText>,
    /// The words bodies' markup holds, in the site's language: the
    /// pipeline sets them from the catalogue for each language's timeline.
    pub words: Words,
}

/// The words a body's HTML holds (accessible names, read out), with their
/// blanks; the catalogue's `citation-label`, `footnote-back` and
/// `footnote-mark`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    /// A citation's link: `{number}` and `{title}`.
    pub citation: String,
    /// A footnote's link back to its reference: `{number}`.
    pub footnote_back: String,
    /// A footnote's mark in the text and before the note: `{number}`
    /// ("1"; Japanese "注1", apart from a citation's "[1]").
    pub footnote_mark: String,
}

impl Default for Words {
    /// English, as the built-in catalogue has them.
    fn default() -> Words {
        Words {
            citation: "Source {number}: {title}".into(),
            footnote_back: "Back to the text of note {number}".into(),
            footnote_mark: "{number}".into(),
        }
    }
}

/// The keys a language's `_index.<lang>.md` may give: what readers read.
/// Every other setting is the whole site's, in `_index.md`.
pub const SITE_TEXT_KEYS: &[&str] = &["title", "description"];

/// A language's own title, description and introduction, from
/// `content/_index.<lang>.md` (`_index.ja.md`); what it leaves out is the
/// site's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteText {
    pub language: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The file, relative to the root; its text and where its introduction
    /// starts.
    pub path: PathBuf,
    pub text: String,
    pub intro_offset: usize,
}

impl Settings {
    /// The introduction, in markdown.
    pub fn intro(&self) -> &str {
        self.text.get(self.intro_offset..).unwrap_or("")
    }

    /// The settings of the site's edition in `language`: its title,
    /// description and introduction where `_index.<language>.md` gives them.
    pub fn in_language(&self, language: &str) -> Settings {
        let mut settings = self.clone();
        settings.language = language.to_string();
        if let Some(own) = self.texts.iter().find(|t| t.language == language) {
            if let Some(title) = &own.title {
                settings.title = title.clone();
            }
            if own.description.is_some() {
                settings.description = own.description.clone();
            }
            settings.path = own.path.clone();
            settings.text = own.text.clone();
            settings.intro_offset = own.intro_offset;
        }
        settings
    }
}

/// Normalises a base URL, or says what is wrong with it: an absolute
/// `http`/`https` address without a query or fragment.
pub fn check_base_url(text: &str) -> Result<String, String> {
    match url_policy::check(text) {
        Ok(Allowed::Web) => {}
        Ok(_) => return Err("a base URL must be an absolute http:// or https:// address".into()),
        Err(refused) => return Err(refused.message()),
    }
    let url = text.trim();
    let parsed = url::Url::parse(url).map_err(|e| e.to_string())?;
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err("a base URL cannot have a `?query` or a `#fragment`".into());
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// A BCP 47 language tag, loosely: `en`, `en-GB`, `zh-Hant-TW`.
pub fn valid_language(tag: &str) -> bool {
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
