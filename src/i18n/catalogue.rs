//! Translation catalogues: the built-in ones (`de.toml`, `en.toml`,
//! `ja.toml`, `ko.toml`, compiled into the binary) and a site's own `i18n/<lang>.toml`,
//! read into one table per language with every problem located.
//!
//! A plain TOML table rather than Fluent: chronicle's labels are short
//! texts with a few named blanks and one count, which TOML says plainly,
//! its parser gives byte spans for located diagnostics, and CLDR's plural
//! rules come from ICU4X (already needed for dates), so Fluent's one
//! advantage, plural selection, is had without a second message format.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, LineIndex};

/// The catalogues compiled into the binary, by language.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("de", include_str!("de.toml")),
    ("en", include_str!("en.toml")),
    ("ja", include_str!("ja.toml")),
    ("ko", include_str!("ko.toml")),
];

/// The CLDR plural categories a plural text may have.
pub const PLURAL_FORMS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// One catalogue value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Plain(String),
    /// By CLDR plural category; always has `other`.
    Plural(BTreeMap<String, String>),
}

/// Every key of one language, merged from its catalogues.
pub type Table = BTreeMap<String, Text>;

/// A catalogue file's text, and where it came from (for diagnostics).
#[derive(Debug, Clone)]
pub struct CatalogueFile {
    pub path: PathBuf,
    pub text: String,
}

/// Reads a catalogue's text into `table` (its keys replace those already
/// there); a value of the wrong shape, or text that is not TOML, is an
/// error located in the file, and the file's other keys still count.
pub fn merge(table: &mut Table, file: &CatalogueFile, diagnostics: &mut Vec<Diagnostic>) {
    let index = LineIndex::new(&file.text);
    let locate = |span: std::ops::Range<usize>| {
        index.locate(span.start, span.end.saturating_sub(span.start).max(1))
    };
    let error = |span: Option<std::ops::Range<usize>>, message: String| {
        Diagnostic::error(Code::CatalogueInvalid, &file.path, message)
            .at(span.map(locate))
            .hint("write `key = \"text\"`, or `key = { one = \"…\", other = \"…\" }` for a count")
    };
    let parsed: BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>> =
        match toml::from_str(&file.text) {
            Ok(parsed) => parsed,
            Err(e) => {
                let message = format!("the catalogue is not valid TOML: {}", e.message().trim());
                diagnostics.push(error(e.span(), message));
                return;
            }
        };
    for (key, value) in parsed {
        let span = value.span();
        match text(key.get_ref(), value.into_inner()) {
            Ok(text) => {
                table.insert(key.into_inner(), text);
            }
            Err(message) => diagnostics.push(error(Some(span), message)),
        }
    }
}

/// A catalogue value as text, or what is wrong with it.
fn text(key: &str, value: toml::Value) -> Result<Text, String> {
    let forms = match value {
        toml::Value::String(text) => return Ok(Text::Plain(text)),
        toml::Value::Table(forms) => forms,
        other => {
            return Err(format!(
                "`{key}` must be text or a table of plural forms, found {}",
                other.type_str()
            ));
        }
    };
    let mut out = BTreeMap::new();
    for (form, text) in forms {
        if !PLURAL_FORMS.contains(&form.as_str()) {
            return Err(format!(
                "`{key}`: `{form}` is not a plural form (zero, one, two, few, many, other)"
            ));
        }
        let toml::Value::String(text) = text else {
            return Err(format!("`{key}.{form}` must be text"));
        };
        out.insert(form, text);
    }
    if !out.contains_key("other") {
        return Err(format!("`{key}`: a count's text needs `other`"));
    }
    Ok(Text::Plural(out))
}

/// The built-in catalogue of a language, by its primary subtag.
pub fn built_in(language: &str) -> Option<CatalogueFile> {
    BUILT_IN
        .iter()
        .find(|(tag, _)| *tag == language)
        .map(|(tag, text)| CatalogueFile {
            path: Path::new("i18n").join(format!("{tag}.toml (built-in)")),
            text: (*text).to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Table, Vec<Diagnostic>) {
        let mut table = Table::new();
        let mut diagnostics = Vec::new();
        let file = CatalogueFile {
            path: PathBuf::from("i18n/en.toml"),
            text: text.to_string(),
        };
        merge(&mut table, &file, &mut diagnostics);
        (table, diagnostics)
    }

    #[test]
    fn every_built_in_catalogue_reads_cleanly_with_the_same_keys() {
        let (en, d) = read(built_in("en").unwrap().text.as_str());
        assert!(d.is_empty(), "{d:?}");
        for (tag, text) in BUILT_IN {
            let (table, d) = read(text);
            assert!(d.is_empty(), "{tag}: {d:?}");
            let missing: Vec<_> = en.keys().filter(|k| !table.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{tag} lacks {missing:?}");
            let extra: Vec<_> = table.keys().filter(|k| !en.contains_key(*k)).collect();
            assert!(extra.is_empty(), "{tag} has unknown {extra:?}");
        }
    }

    #[test]
    fn bad_catalogues_are_located() {
        let (_, d) = read("where = \"Où\"\nwho = [1, 2]\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::CatalogueInvalid);
        assert_eq!((d[0].line(), d[0].col()), (2, 7));
        let (_, d) = read("where = \"Où\"\nwho = \n");
        assert_eq!(d[0].line(), 2);
        let (table, d) = read("entries = { one = \"{n} entrée\" }\nwhere = \"Où\"\n");
        assert_eq!(d[0].line(), 1);
        assert!(d[0].message.contains("other"));
        assert_eq!(table.len(), 1, "the good keys still count");
        let (_, d) = read("entries = { single = \"x\", other = \"y\" }\n");
        assert!(d[0].message.contains("`single`"));
    }
}
