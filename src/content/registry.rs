//! The registries of people (`content/_people.yaml`) and places
//! (`content/_places.yaml`), and the site's sources (`content/_sources.yaml`,
//! which every page may cite by id): each a YAML list of records, each
//! problem located like a front matter's.

use std::path::Path;

use super::fields::Fields;
use super::yaml::{self, Node, Value};
use crate::diagnostics::{Code, Diagnostic, LineIndex};
use crate::model::{Native, Office, Registry, RegistryRecord, Source};

pub const PEOPLE_FILE: &str = "_people.yaml";
pub const PLACES_FILE: &str = "_places.yaml";
pub const SOURCES_FILE: &str = "_sources.yaml";

/// Which registry a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    People,
    Places,
    Sources,
}

impl Kind {
    pub fn of(name: &str) -> Option<Kind> {
        match name {
            PEOPLE_FILE => Some(Kind::People),
            PLACES_FILE => Some(Kind::Places),
            SOURCES_FILE => Some(Kind::Sources),
            _ => None,
        }
    }

    fn keys(self) -> &'static [&'static str] {
        match self {
            Kind::People => &[
                "name",
                "slug",
                "native",
                "country",
                "offices",
                "description",
            ],
            Kind::Places => &[
                "name",
                "slug",
                "native",
                "country",
                "coordinates",
                "description",
            ],
            Kind::Sources => super::article::SOURCE_KEYS,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Kind::People => "a person's record",
            Kind::Places => "a place's record",
            Kind::Sources => "a source",
        }
    }
}

/// A registry file's YAML, or a `yaml-syntax` error at the place the
/// parser stopped (`what` begins its message: "the registry is").
fn parse(rel: &Path, text: &str, index: &LineIndex<'_>, what: &str) -> Result<Node, Diagnostic> {
    yaml::parse(text).map_err(|e| {
        let location = e.position.map_or_else(
            || index.locate(0, 1),
            |(l, c)| index.locate(index.offset_of(l, c), 1),
        );
        let message = format!("{what} not valid YAML: {}", e.message);
        Diagnostic::error(Code::YamlSyntax, rel, message).at(Some(location))
    })
}

/// Reads a registry from its text; `rel` is its path from the site root.
pub fn read(rel: &Path, text: &str, kind: Kind) -> (Registry, Vec<Diagnostic>) {
    let index = LineIndex::new(text);
    let mut registry = Registry {
        path: rel.to_path_buf(),
        records: Vec::new(),
    };
    let root = match parse(rel, text, &index, "the registry is") {
        Ok(root) => root,
        Err(d) => return (registry, vec![d]),
    };
    let mut fields = Fields::new(rel, &index, 1);
    match &root.value {
        Value::Seq(items) => {
            for item in items {
                if let Some(record) = read_record(&mut fields, item, kind) {
                    registry.records.push(record);
                }
            }
        }
        Value::Null => {}
        other => {
            let message = format!(
                "a registry is a list of records, found {}",
                other.describe()
            );
            fields.error(Code::WrongType, root.span, message).hint =
                Some("start each record with `- name: …`".into());
        }
    }
    check_duplicates(&mut fields, &registry);
    (registry, fields.diagnostics)
}

fn read_record(fields: &mut Fields<'_>, node: &Node, kind: Kind) -> Option<RegistryRecord> {
    let mut record = RegistryRecord {
        name: String::new(),
        location: fields.locate(node.span),
        slug: None,
        native: None,
        country: None,
        description: None,
        offices: Vec::new(),
        coordinates: None,
    };
    let mut named = false;
    for entry in fields.entries(node, kind.what()) {
        let value = &entry.value;
        match entry.key.as_str() {
            "name" => {
                if let Some(name) = fields.nonempty_text(value, "name") {
                    record.name = name;
                    record.location = fields.locate(value.span);
                    named = true;
                }
            }
            "slug" => record.slug = fields.slug(value),
            "native" => record.native = read_native(fields, value),
            "country" => record.country = fields.nonempty_text(value, "country"),
            "description" => record.description = fields.nonempty_text(value, "description"),
            "offices" if kind == Kind::People => record.offices = read_offices(fields, value),
            "coordinates" if kind == Kind::Places => {
                record.coordinates = read_coordinates(fields, value)
            }
            _ => fields.unknown_key(entry, kind.what(), kind.keys()),
        }
    }
    if !named {
        let message = format!("{} needs a `name`, as articles write it", kind.what());
        fields.error(Code::MissingField, node.span, message).hint =
            Some("add `name: …` to the record".into());
        return None;
    }
    Some(record)
}

fn read_native(fields: &mut Fields<'_>, node: &Node) -> Option<Native> {
    let (mut name, mut lang) = (None, None);
    for entry in fields.entries(node, "`native`") {
        match entry.key.as_str() {
            "name" => name = fields.nonempty_text(&entry.value, "native.name"),
            "lang" => {
                let text = fields.nonempty_text(&entry.value, "native.lang")?;
                if crate::config::valid_language(&text) {
                    lang = Some(text);
                } else {
                    let message = format!(
                        "`native.lang` must be a language tag such as `ja`, found `{text}`"
                    );
                    fields.error(Code::LanguageInvalid, entry.value.span, message);
                }
            }
            _ => fields.unknown_key(entry, "`native`", &["name", "lang"]),
        }
    }
    match (name, lang) {
        (Some(name), Some(lang)) => Some(Native { name, lang }),
        (Some(_), None) => {
            let message =
                "`native` needs a `lang` so readers' software reads the name in its language";
            fields.error(Code::MissingField, node.span, message).hint =
                Some("add `lang: ja` (or the name's language tag)".into());
            None
        }
        _ => None,
    }
}

fn read_offices(fields: &mut Fields<'_>, node: &Node) -> Vec<Office> {
    let Value::Seq(items) = &node.value else {
        if !matches!(node.value, Value::Null) {
            let message = format!("`offices` must be a list, found {}", node.value.describe());
            fields.error(Code::WrongType, node.span, message);
        }
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let (mut title, mut from, mut to) = (None, None, None);
        for entry in fields.entries(item, "an office") {
            match entry.key.as_str() {
                "title" => title = fields.nonempty_text(&entry.value, "title"),
                "from" => from = fields.day(&entry.value, "from"),
                "to" => to = fields.day(&entry.value, "to"),
                _ => fields.unknown_key(entry, "an office", &["title", "from", "to"]),
            }
        }
        match title {
            Some(title) => out.push(Office { title, from, to }),
            None => {
                fields.error(Code::MissingField, item.span, "an office needs a `title`");
            }
        }
    }
    out
}

fn read_coordinates(fields: &mut Fields<'_>, node: &Node) -> Option<(f64, f64)> {
    let number = |n: &Node| match n.value {
        Value::Int(i) => Some(i as f64),
        Value::Float(f) => Some(f),
        _ => None,
    };
    if let Value::Seq(items) = &node.value
        && let [lat, lon] = items.as_slice()
        && let (Some(lat), Some(lon)) = (number(lat), number(lon))
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon)
    {
        return Some((lat, lon));
    }
    let message = "`coordinates` must be [latitude, longitude] in degrees";
    fields.error(Code::WrongType, node.span, message).hint =
        Some("e.g. `coordinates: [39.6486, -77.4639]`".into());
    None
}

/// Reads the site's sources from `content/_sources.yaml`: a list like an
/// article's `sources`, where every source has an id, once.
pub fn read_sources(rel: &Path, text: &str) -> (Vec<Source>, Vec<Diagnostic>) {
    let index = LineIndex::new(text);
    let root = match parse(rel, text, &index, "the sources are") {
        Ok(root) => root,
        Err(d) => return (Vec::new(), vec![d]),
    };
    let mut fields = Fields::new(rel, &index, 1);
    let mut sources: Vec<Source> = Vec::new();
    let items = match &root.value {
        Value::Seq(items) => items.as_slice(),
        Value::Null => &[],
        other => {
            let message = format!("the site's sources are a list, found {}", other.describe());
            fields.error(Code::WrongType, root.span, message).hint =
                Some("start each source with `- id: …` and its `title:` beneath".into());
            &[]
        }
    };
    for item in items {
        let Some(source) = super::article::read_source(&mut fields, item) else {
            continue;
        };
        site_source(&mut fields, item, source, &mut sources);
    }
    (sources, fields.diagnostics)
}

/// Keeps a site source that has an id and a title, and an id no earlier
/// one took.
fn site_source(fields: &mut Fields<'_>, item: &Node, source: Source, sources: &mut Vec<Source>) {
    let Some(id) = source.id.as_deref() else {
        // An `id` that is there but cannot be cited has its own error.
        let has_id =
            matches!(&item.value, Value::Map(entries) if entries.iter().any(|e| e.key == "id"));
        if !has_id {
            fields
                .error(Code::MissingField, item.span, "this source has no `id`")
                .hint = Some("a site source is cited by its id: add `id: K2` (say)".into());
        }
        return;
    };
    if source.title.is_empty() {
        fields.error(Code::MissingField, item.span, "this source has no `title`");
        return;
    }
    if let Some(e) = sources.iter().find(|s| s.id.as_deref() == Some(id)) {
        let message = format!("the id `{id}` is taken already, at line {}", e.pos.line);
        fields.error(Code::DuplicateId, item.span, message).hint =
            Some("give each source its own id".into());
        return;
    }
    sources.push(source);
}

/// Two records of one name, or of one slug, are an error at the second.
fn check_duplicates(fields: &mut Fields<'_>, registry: &Registry) {
    for (i, r) in registry.records.iter().enumerate() {
        let earlier = registry.records[..i]
            .iter()
            .find(|e| e.name == r.name || (r.slug.is_some() && e.slug == r.slug));
        if let Some(e) = earlier {
            let d = Diagnostic::error(
                Code::DuplicateId,
                fields.path(),
                format!(
                    "“{}” has a record already, at line {}",
                    r.name, e.location.line
                ),
            )
            .at(Some(r.location.clone()))
            .hint("keep one record per name and slug");
            fields.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> (Registry, Vec<String>) {
        let (registry, diagnostics) = read(Path::new("content/_people.yaml"), text, Kind::People);
        let found = diagnostics
            .iter()
            .map(|d| {
                let l = d.location.as_deref().unwrap();
                format!("{}:{} {}", l.line, l.col, d.code.as_str())
            })
            .collect();
        (registry, found)
    }

    #[test]
    fn a_record_reads_every_key() {
        let (registry, found) = read_text(
            "- name: Fumio Kishida\n  slug: fumio-kishida\n  native: {name: 岸田文雄, lang: ja}\n  country: Japan\n  offices:\n    - {title: Prime Minister of Japan, from: 2021-10-04, to: 2024-10-01}\n  description: One sentence.\n",
        );
        assert!(found.is_empty(), "{found:?}");
        let r = &registry.records[0];
        assert_eq!(r.slug.as_deref(), Some("fumio-kishida"));
        assert_eq!(r.native.as_ref().unwrap().lang, "ja");
        assert_eq!(
            r.offices[0].to,
            chrono::NaiveDate::from_ymd_opt(2024, 10, 1)
        );
        assert_eq!((r.location.line, r.location.col), (1, 9));
    }

    #[test]
    fn problems_are_located_like_front_matter() {
        let (registry, found) = read_text(
            "- name: A\n  nmae: x\n- slug: b\n- name: C\n  native: {name: 岸田}\n- name: D\n  offices: [{title: T, from: 2021-13-01}]\n- name: A\n",
        );
        assert_eq!(
            found,
            [
                "2:3 unknown-key",
                "3:3 missing-field",
                "5:11 missing-field",
                "7:35 date-invalid",
                "8:9 duplicate-id",
            ]
        );
        assert_eq!(registry.records.len(), 4);
        let (_, found) = read(
            Path::new("p.yaml"),
            "- name: X\n  coordinates: [91, 0]\n",
            Kind::Places,
        );
        assert_eq!(found[0].code, Code::WrongType);
        let (_, found) = read_text("name: not a list\n");
        assert_eq!(found, ["1:1 wrong-type"]);
        let (_, found) = read_text("- name: [unclosed\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].ends_with("yaml-syntax"), "{found:?}");
    }

    /// Regression (issue 28, item 12): an id that cannot be cited was also
    /// reported as missing.
    #[test]
    fn an_invalid_source_id_is_one_error() {
        let (sources, found) = read_sources(
            Path::new("content/_sources.yaml"),
            "- id: 1bad\n  title: T\n- title: U\n",
        );
        assert!(sources.is_empty());
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("cannot be cited"), "{messages:?}");
        assert!(messages[1].contains("has no `id`"), "{messages:?}");
    }
}
