//! The site's language: the words its pages show and how they write dates
//! and counts. Owns the translation catalogues (`catalogue`), CLDR's plural
//! rules and date forms through ICU4X (`dates`), TimelineJS's locale
//! (`timelinejs`), and a site's own catalogues in `i18n/`.
//!
//! Every word the default templates show comes from here (templates call
//! `t(key=…)`), so a page in Japanese shows no English; a key a site's
//! catalogue lacks falls back to the built-in catalogue of its language,
//! then to English. A `Language` is fingerprinted by everything it was
//! made from, and that is part of every page's fingerprint: a changed label
//! renders every page again.

pub mod catalogue;
mod dates;
pub mod timelinejs;

use std::path::{Path, PathBuf};

use catalogue::{CatalogueFile, Table, Text};
use icu_plurals::{PluralCategory, PluralRules};

use crate::date::EventDate;
use crate::diagnostics::{Code, Diagnostic};
use crate::files;
use crate::fingerprint::{Fingerprint, Hasher};

/// The folder of a site's own catalogues, beside `content/`.
pub const I18N_DIR: &str = "i18n";

/// A site's catalogue files, as read (before the settings say which
/// language is wanted): every one is part of the build's inputs.
#[derive(Debug, Clone, Default)]
pub struct SiteCatalogues {
    files: Vec<(String, CatalogueFile)>,
}

impl SiteCatalogues {
    /// Reads every `i18n/*.toml` of the site (sorted by name).
    pub fn read(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> SiteCatalogues {
        let skip = |name: &str| name.starts_with('.');
        let mut files = Vec::new();
        for found in files::walk(root, I18N_DIR, skip, diagnostics) {
            let Some(tag) = found.name.strip_suffix(".toml") else {
                continue;
            };
            match files::read_text(root, &found.rel) {
                Ok(text) => files.push((
                    tag.to_string(),
                    CatalogueFile {
                        path: found.rel,
                        text,
                    },
                )),
                Err(d) => diagnostics.push(d),
            }
        }
        SiteCatalogues { files }
    }

    /// The hash of every file's name and text.
    pub fn fingerprint(&self) -> Fingerprint {
        let mut h = Hasher::new();
        for (tag, file) in &self.files {
            h.part(tag.as_bytes()).part(file.text.as_bytes());
        }
        h.finish()
    }

    fn get(&self, tag: &str) -> Option<&CatalogueFile> {
        self.files
            .iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(tag))
            .map(|(_, s)| s)
    }
}

/// The site's language: its catalogue, plural rules and date forms.
#[derive(Debug)]
pub struct Language {
    /// The `language` setting, as written.
    pub tag: String,
    table: Table,
    plurals: Option<PluralRules>,
    /// CLDR's date formatters; `None` for English, whose dates are
    /// chronicle's own forms.
    cldr: Option<dates::Cldr>,
    /// Of the tag and every catalogue text it was made from.
    pub fingerprint: Fingerprint,
}

impl Language {
    /// English with the built-in catalogue alone (for tests and tools).
    pub fn english() -> Language {
        Language::new(
            "en",
            &SiteCatalogues::default(),
            Path::new(""),
            &mut Vec::new(),
        )
    }

    /// The language `tag` (the settings' `language`, from `settings`): the
    /// built-in English catalogue, under the built-in one of its primary
    /// language, under the site's `i18n/<primary>.toml`, under the site's
    /// `i18n/<tag>.toml`. A language with no catalogue at all is a warning,
    /// and its pages are in English.
    pub fn new(
        tag: &str,
        site: &SiteCatalogues,
        settings: &Path,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Language {
        let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
        let mut files: Vec<CatalogueFile> = Vec::new();
        files.extend(catalogue::built_in("en"));
        let built_in = catalogue::built_in(&primary).filter(|_| primary != "en");
        let found = built_in.is_some() || primary == "en";
        files.extend(built_in);
        let own: Vec<CatalogueFile> = [primary.as_str(), tag]
            .iter()
            .filter_map(|t| site.get(t).cloned())
            .collect();
        let supported = found || !own.is_empty();
        files.extend(own);
        files.dedup_by(|a, b| a.path == b.path);
        if !supported {
            diagnostics.push(unsupported(tag, settings));
        }
        let mut table = Table::new();
        let mut h = Hasher::new();
        h.part(tag.as_bytes());
        for file in &files {
            catalogue::merge(&mut table, file, diagnostics);
            h.part(file.text.as_bytes());
        }
        let locale = icu_locale_core::Locale::try_from_str(tag).ok();
        let cldr = match (&locale, supported && primary != "en") {
            (Some(locale), true) => dates::Cldr::new(locale),
            _ => None,
        };
        let plural_locale = locale.filter(|_| supported);
        let plurals = plural_locale
            .or_else(|| icu_locale_core::Locale::try_from_str("en").ok())
            .and_then(|l| PluralRules::try_new_cardinal((&l).into()).ok());
        Language {
            tag: tag.to_string(),
            table,
            plurals,
            cldr,
            fingerprint: h.finish(),
        }
    }

    /// The text of `key`; for a count, its `other` form. A key no
    /// catalogue has is itself.
    pub fn label<'a>(&'a self, key: &'a str) -> &'a str {
        match self.table.get(key) {
            Some(Text::Plain(text)) => text,
            Some(Text::Plural(forms)) => forms.get("other").map_or(key, String::as_str),
            None => key,
        }
    }

    /// The unfilled text of `key`, in its plural form for the count `n`
    /// if it has forms; `None` if no catalogue has the key.
    pub fn text<'a>(&'a self, key: &'a str, n: Option<u64>) -> Option<&'a str> {
        match (self.table.get(key)?, n) {
            (Text::Plain(text), _) => Some(text),
            (Text::Plural(forms), n) => {
                let form = n.map_or("other", |n| self.plural_form(n));
                forms
                    .get(form)
                    .or_else(|| forms.get("other"))
                    .map(String::as_str)
            }
        }
    }

    /// The unfilled text of `key` in the plural form `form` (its `other`
    /// form if it has not that one; its text if it has no forms).
    pub fn text_form(&self, key: &str, form: &str) -> Option<&str> {
        match self.table.get(key)? {
            Text::Plain(text) => Some(text),
            Text::Plural(forms) => forms
                .get(form)
                .or_else(|| forms.get("other"))
                .map(String::as_str),
        }
    }

    /// The text of `key` for the count `n`, by the language's CLDR plural
    /// rules, with `{n}` filled in.
    pub fn count(&self, key: &str, n: u64, args: &[(&str, &str)]) -> String {
        let text = self.text(key, Some(n)).unwrap_or(key);
        let n = n.to_string();
        let mut all = vec![("n", n.as_str())];
        all.extend_from_slice(args);
        fill(text, &all)
    }

    /// CLDR's plural category of `n` in this language.
    pub fn plural_form(&self, n: u64) -> &'static str {
        let Some(rules) = &self.plurals else {
            return if n == 1 { "one" } else { "other" };
        };
        match rules.category_for(n) {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }

    /// The text of `key` with each `{name}` filled in.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.label(key), args)
    }

    /// An event's date in words, at exactly the precision known.
    pub fn date(&self, date: &EventDate) -> String {
        match &self.cldr {
            Some(cldr) => self.cldr_date(cldr, date),
            None => date.human(),
        }
    }

    /// A year in words: "2023", "44 BC", `2023年`.
    pub fn year(&self, year: i64) -> String {
        match &self.cldr {
            Some(cldr) => self.cldr_year(cldr, year),
            None => crate::date::year_label(year),
        }
    }

    /// A month of a year in words: "March 2023", `2023年3月`.
    pub fn month_year(&self, year: i64, month: u32) -> String {
        match &self.cldr {
            Some(cldr) => self.cldr_month(cldr, year, month),
            None => crate::date::month_year(year, month),
        }
    }
}

/// A language's name in itself (`日本語`, `한국어`): its built-in
/// catalogue's `language-name`, else the tag.
pub fn endonym(tag: &str) -> String {
    let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    let mut table = Table::new();
    if let Some(file) = catalogue::built_in(&primary) {
        catalogue::merge(&mut table, &file, &mut Vec::new());
    }
    match table.get("language-name") {
        Some(Text::Plain(name)) => name.clone(),
        _ => tag.to_string(),
    }
}

/// `text` with each `{name}` of `args` replaced by its value; other braces
/// stay as written. One pass: a name holds no brace, so from a `{` only the
/// next brace is looked for, and the text between is never scanned again
/// (looking ahead for the `}` from every `{` made a label of 40,000 `{`
/// quadratic).
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(next) = after.find(['{', '}']) else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = &after[..next];
        match args
            .iter()
            .find(|(n, _)| after[next..].starts_with('}') && *n == name)
        {
            Some((_, value)) => {
                out.push_str(value);
                rest = &after[next + 1..];
            }
            None => {
                // The `{` and what follows up to the next brace stay as
                // written; that brace is looked at next.
                out.push('{');
                out.push_str(name);
                rest = &after[next..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn unsupported(tag: &str, settings: &Path) -> Diagnostic {
    let built: Vec<&str> = catalogue::BUILT_IN.iter().map(|(t, _)| *t).collect();
    Diagnostic::warning(
        Code::LanguageUnsupported,
        PathBuf::from(settings),
        format!("no catalogue for the language `{tag}`: the pages' words and dates are in English"),
    )
    .hint(format!(
        "chronicle has {}; add your own as `{I18N_DIR}/{tag}.toml` (see docs/languages.md)",
        built.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn language(tag: &str) -> Language {
        Language::new(
            tag,
            &SiteCatalogues::default(),
            Path::new("content/_index.md"),
            &mut Vec::new(),
        )
    }

    fn date(lang: &Language, text: &str) -> String {
        lang.date(&EventDate::parse(text).unwrap())
    }

    #[test]
    fn fill_replaces_known_names_only() {
        assert_eq!(
            fill("{a} and {b} {c", &[("a", "1"), ("b", "{a}")]),
            "1 and {a} {c"
        );
        assert_eq!(fill("{{a}} {x}{b}", &[("a", "1"), ("b", "2")]), "{1} {x}2");
    }

    /// Regression (issue 28, item 5): every `{` looked ahead for a `}`,
    /// so a label of many `{` took the square of its length.
    #[test]
    fn fill_is_one_pass() {
        let label = "{".repeat(1_000_000) + "{a}";
        let started = std::time::Instant::now();
        let filled = fill(&label, &[("a", "1")]);
        assert_eq!(filled.len(), 1_000_001);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn counts_follow_cldr_plural_rules() {
        let en = language("en");
        assert_eq!(en.count("entries", 1, &[]), "1 entry");
        assert_eq!(en.count("entries", 2, &[]), "2 entries");
        assert_eq!(en.count("entries", 0, &[]), "0 entries");
        let ja = language("ja");
        assert_eq!(ja.plural_form(1), "other");
        assert_eq!(ja.count("entries", 1, &[]), "1件");
    }

    #[test]
    fn english_dates_stay_chronicles_own() {
        let en = language("en");
        assert_eq!(date(&en, "2023-08-18"), "18 August 2023");
        assert_eq!(date(&en, "2024-07-09/2024-07-11"), "9–11 July 2024");
    }

    #[test]
    fn japanese_and_korean_dates_are_cldrs() {
        let ja = language("ja");
        assert_eq!(date(&ja, "2023-08-18"), "2023年8月18日");
        assert_eq!(date(&ja, "2024-07"), "2024年7月");
        assert_eq!(date(&ja, "2024"), "2024年");
        assert_eq!(date(&ja, "2024-07-09/2024-07-11"), "2024年7月9日～11日");
        assert_eq!(date(&ja, "2024-07~"), "2024年7月頃");
        assert_eq!(date(&ja, "2024-07/.."), "2024年7月以降");
        assert_eq!(date(&ja, "201X"), "2010年代");
        assert_eq!(date(&ja, "-0044"), "紀元前44年");
        assert_eq!(date(&ja, "Y-13800000000"), "13,800,000,000年前");
        let de = language("de");
        assert_eq!(date(&de, "2023-08-18"), "18. August 2023");
        // CLDR's German day alone is "9", not "9.": both ends whole.
        assert_eq!(
            date(&de, "2024-07-09/2024-07-11"),
            "9. Juli 2024 – 11. Juli 2024"
        );
        assert_eq!(date(&de, "2024-07~"), "um Juli 2024");
        assert_eq!(date(&de, "-0044"), "44 v. Chr.");
        assert_eq!(de.count("entries", 1, &[]), "1 Eintrag");
        let ko = language("ko");
        assert_eq!(date(&ko, "2023-08-18"), "2023년 8월 18일");
        assert_eq!(date(&ko, "2024-07"), "2024년 7월");
        assert_eq!(date(&ko, "2024-07/.."), "2024년 7월 이후");
    }

    #[test]
    fn a_language_without_a_catalogue_is_a_warning_and_english() {
        let mut d = Vec::new();
        let xx = Language::new("xx", &SiteCatalogues::default(), Path::new("s"), &mut d);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::LanguageUnsupported);
        assert!(d[0].message.contains("`xx`"));
        assert_eq!(xx.label("where"), "Where");
        assert_eq!(date(&xx, "2023-08-18"), "18 August 2023");
        let mut d = Vec::new();
        Language::new("ja-JP", &SiteCatalogues::default(), Path::new("s"), &mut d);
        assert!(d.is_empty());
    }
}
