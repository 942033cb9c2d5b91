//! The people, places, tags and series the articles name: each distinct
//! name made a term once, with its slug (a registry's, else one made in the
//! site's slug style), the entries that name it in timeline order, and its
//! registry record; terms sorted by slug. The warnings found on the way
//! are `checks`'.

use std::collections::BTreeMap;

use foldhash::HashMap;

use super::checks::{check_reading, check_registry, spelling_warning};
use super::{Entry, MAX_NAMES, Term};
use crate::config::{Settings, SlugStyle};
use crate::content::Texts;
use crate::diagnostics::Diagnostic;
use crate::model::{Located, Registry, Taxonomy};

/// Gathers the terms of every taxonomy, and tells each entry which terms
/// it names. Two spellings that share a slug share a page, with a warning.
pub(super) fn gather_terms(
    entries: &mut [Entry],
    settings: &Settings,
    texts: &Texts,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<Taxonomy, Vec<Term>> {
    let mut out = BTreeMap::new();
    for taxonomy in Taxonomy::ALL {
        let registry = registry_of(settings, taxonomy);
        let style = settings.slug_style;
        let (terms, named) = terms_of(entries, taxonomy, style, registry, texts, diagnostics);
        if let Some(registry) = registry {
            check_registry(entries, taxonomy, registry, &terms, texts, diagnostics);
        }
        for (entry, indices) in entries.iter_mut().zip(named) {
            entry.terms[taxonomy as usize] = indices;
        }
        out.insert(taxonomy, terms);
    }
    out
}

/// One taxonomy's terms sorted by slug, and each entry's names as indices
/// into them. Names repeat across thousands of entries: each distinct
/// spelling is slugged once, and nothing is copied per mention.
///
/// Spellings that share a slug share a term, named by the registry's
/// spelling if one of them is a record's (its record too), else by the
/// first in timeline order; every other spelling is warned about.
fn terms_of(
    entries: &[Entry],
    taxonomy: Taxonomy,
    style: SlugStyle,
    registry: Option<&Registry>,
    texts: &Texts,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Term>, Vec<Vec<usize>>) {
    let naming = Naming {
        taxonomy,
        style,
        registry,
        texts,
    };
    let (mut terms, by_name) = naming.spellings(entries, diagnostics);
    let mut named: Vec<Vec<usize>> = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let a = &entry.article;
        let mut indices = Vec::new();
        for name in names_of(entry, taxonomy) {
            let t = by_name[name.value.as_str()];
            let term = &mut terms[t];
            if term.name != name.value {
                let location = texts.locate(a, name.pos);
                diagnostics.push(spelling_warning(a, taxonomy, &name.value, location, term));
            }
            if term.entries.last() != Some(&i) {
                term.entries.push(i);
            }
            indices.push(t);
        }
        named.push(indices);
    }
    sorted_by_slug(terms, named)
}

/// The names an entry gives in `taxonomy`, as many as are taken.
fn names_of(entry: &Entry, taxonomy: Taxonomy) -> &[Located<String>] {
    let names = entry.article.names(taxonomy);
    &names[..names.len().min(MAX_NAMES)]
}

/// How one taxonomy's names become terms.
struct Naming<'a> {
    taxonomy: Taxonomy,
    style: SlugStyle,
    registry: Option<&'a Registry>,
    texts: &'a Texts,
}

impl Naming<'_> {
    /// The terms (no entries yet), and each distinct spelling's term.
    fn spellings<'e>(
        &self,
        entries: &'e [Entry],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> (Vec<Term>, HashMap<&'e str, usize>) {
        let records: HashMap<&str, usize> = (self.registry.iter())
            .flat_map(|r| r.records.iter().enumerate())
            .map(|(i, r)| (r.name.as_str(), i))
            .collect();
        let mut terms: Vec<Term> = Vec::new();
        let mut by_name: HashMap<&str, usize> = HashMap::default();
        let mut by_slug: HashMap<String, usize> = HashMap::default();
        for entry in entries {
            for name in names_of(entry, self.taxonomy) {
                if by_name.contains_key(name.value.as_str()) {
                    continue;
                }
                let record = records.get(name.value.as_str()).copied();
                let slug = self.slug(entry, name, record, diagnostics);
                let t = *by_slug.entry(slug.clone()).or_insert_with(|| {
                    terms.push(Term {
                        slug,
                        name: name.value.clone(),
                        entries: Vec::new(),
                        record,
                    });
                    terms.len() - 1
                });
                if record.is_some() && terms[t].record.is_none() {
                    // The registry's spelling names the term, whatever came first.
                    terms[t].record = record;
                    terms[t].name = name.value.clone();
                }
                by_name.insert(name.value.as_str(), t);
            }
        }
        (terms, by_name)
    }

    /// A spelling's slug: its record's, else one made in the site's style
    /// (an ASCII one checked for how it reads the name).
    fn slug(
        &self,
        entry: &Entry,
        name: &Located<String>,
        record: Option<usize>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> String {
        let registered = record.and_then(|i| self.registry?.records[i].slug.clone());
        if let Some(slug) = registered {
            return slug;
        }
        let slug = term_slug(&name.value, self.style);
        if self.style == SlugStyle::Ascii {
            check_reading(&entry.article, name, &slug, self.texts, diagnostics);
        }
        slug
    }
}

/// The terms sorted by slug, and each entry's term indices following them.
fn sorted_by_slug(terms: Vec<Term>, mut named: Vec<Vec<usize>>) -> (Vec<Term>, Vec<Vec<usize>>) {
    let mut order: Vec<usize> = (0..terms.len()).collect();
    order.sort_by(|x, y| terms[*x].slug.cmp(&terms[*y].slug));
    let mut new_index = vec![0; terms.len()];
    for (new, old) in order.iter().enumerate() {
        new_index[*old] = new;
    }
    let mut slots: Vec<Option<Term>> = terms.into_iter().map(Some).collect();
    let terms = order.iter().filter_map(|old| slots[*old].take()).collect();
    for indices in &mut named {
        indices.iter_mut().for_each(|i| *i = new_index[*i]);
    }
    (terms, named)
}

/// The registry that describes a taxonomy's terms, if the site has one.
pub fn registry_of(settings: &Settings, taxonomy: Taxonomy) -> Option<&Registry> {
    match taxonomy {
        Taxonomy::Participants => settings.people.as_ref(),
        Taxonomy::Places => settings.places.as_ref(),
        _ => None,
    }
}

/// A term's slug: ASCII, lowercase, hyphenated (or, under
/// `slug_style: unicode`, letters of any script); never empty.
pub fn term_slug(name: &str, style: SlugStyle) -> String {
    let s = match style {
        SlugStyle::Ascii => slug::slugify(name),
        SlugStyle::Unicode => unicode_slug(name),
    };
    if s.is_empty() {
        // A name with no letters slug can use (only symbols): keep it apart
        // from others by its code points.
        name.chars()
            .map(|c| format!("u{:x}", c as u32))
            .collect::<Vec<_>>()
            .join("-")
    } else {
        s
    }
}

/// A slug that keeps letters and digits of every script, lowercased where
/// the script has case, with one hyphen for each run of anything else
/// (spaces, punctuation, symbols): `윤석열`, `岸田文雄`, `élysée-palace`.
fn unicode_slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.chars() {
        if c.is_alphanumeric() || is_combining_mark(c) {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

/// The combining marks of the commonest scripts that write vowels with
/// them (Devanagari and its neighbours, Thai, Hebrew and Arabic points),
/// and the general combining diacritics: part of a letter, not a gap.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0591}'..='\u{05C7}'
        | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0900}'..='\u{0903}'
        | '\u{093A}'..='\u{094F}'
        | '\u{0951}'..='\u{0957}'
        | '\u{0962}'..='\u{0963}'
        | '\u{0981}'..='\u{0983}'
        | '\u{09BC}'..='\u{09D7}'
        | '\u{0E31}'
        | '\u{0E34}'..='\u{0E3A}'
        | '\u{0E47}'..='\u{0E4E}'
        | '\u{3099}'..='\u{309A}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::testing::{article, order};

    #[test]
    fn a_term_slug_in_each_style() {
        let ascii = |name| term_slug(name, SlugStyle::Ascii);
        let unicode = |name| term_slug(name, SlugStyle::Unicode);
        assert_eq!(ascii("Élysée Palace"), "elysee-palace");
        assert_eq!(unicode("Élysée Palace"), "élysée-palace");
        assert_eq!(ascii("Yoon Suk-yeol"), "yoon-suk-yeol");
        assert_eq!(unicode("  Yoon, Suk-yeol!  "), "yoon-suk-yeol");
        assert_eq!(ascii("岸田文雄"), "an-tian-wen-xiong");
        assert_eq!(unicode("岸田文雄"), "岸田文雄");
        assert_eq!(unicode("윤석열"), "윤석열");
        // A name with nothing a slug can use is kept apart by code point.
        assert_eq!(ascii("★ ☆"), "u2605-u20-u2606");
        assert_eq!(unicode("★"), "u2605");
    }

    #[test]
    fn a_unicode_slug_keeps_combining_marks_as_part_of_the_letter() {
        // Devanagari vowel signs and virama, Thai vowels, Hebrew points.
        assert_eq!(unicode_slug("नरेन्द्र मोदी"), "नरेन्द्र-मोदी");
        assert_eq!(unicode_slug("กรุงเทพ"), "กรุงเทพ");
        assert_eq!(unicode_slug("שָׁלוֹם עולם"), "שָׁלוֹם-עולם");
        assert_eq!(unicode_slug("Straße — ΑΘΗΝΑ"), "straße-αθηνα");
    }

    #[test]
    fn terms_are_sorted_by_slug_and_spellings_of_one_slug_share_one() {
        let site = order(
            &[
                (
                    "a.md",
                    &article("date: 2023-01-01\ntags: [Zinc, Trade Policy]"),
                ),
                (
                    "b.md",
                    &article("date: 2023-02-01\ntags: [trade policy, Aluminium]"),
                ),
            ],
            "2024-01-01",
        );
        let tags = site.timeline.terms(Taxonomy::Tags);
        let found: Vec<(&str, &str, &[usize])> = (tags.iter())
            .map(|t| (t.slug.as_str(), t.name.as_str(), t.entries.as_slice()))
            .collect();
        assert_eq!(
            found,
            [
                ("aluminium", "Aluminium", &[1][..]),
                ("trade-policy", "Trade Policy", &[0, 1][..]),
                ("zinc", "Zinc", &[0][..]),
            ]
        );
        // Each entry's names, in its order, as indices into the sorted terms.
        let entries = &site.timeline.entries;
        assert_eq!(entries[0].terms(Taxonomy::Tags), [2, 1]);
        assert_eq!(entries[1].terms(Taxonomy::Tags), [1, 0]);
    }

    #[test]
    fn a_registry_slug_wins_and_unicode_sites_slug_in_their_script() {
        let people = "- name: 岸田文雄\n  slug: fumio-kishida\n- name: 윤석열\n";
        let site = order(
            &[
                (
                    "_index.md",
                    "---\ntitle: A test\nslug_style: unicode\n---\n",
                ),
                ("_people.yaml", people),
                (
                    "a.md",
                    &article("date: 2023-01-01\nparticipants: [岸田文雄, 윤석열]"),
                ),
            ],
            "2024-01-01",
        );
        let people = site.timeline.terms(Taxonomy::Participants);
        let found: Vec<(&str, Option<usize>)> =
            people.iter().map(|t| (t.slug.as_str(), t.record)).collect();
        assert_eq!(found, [("fumio-kishida", Some(0)), ("윤석열", Some(1))]);
        assert_eq!(site.diagnostics, []);
    }

    #[test]
    fn a_registered_spelling_names_its_term_whichever_comes_first() {
        let people = "- name: Joe Biden\n";
        let site = order(
            &[
                ("_people.yaml", people),
                (
                    "a.md",
                    &article("date: 2023-01-01\nparticipants: [joe biden]"),
                ),
                (
                    "b.md",
                    &article("date: 2023-02-01\nparticipants: [Joe Biden]"),
                ),
            ],
            "2024-01-01",
        );
        let people = site.timeline.terms(Taxonomy::Participants);
        let found: Vec<(&str, &str, Option<usize>, &[usize])> = (people.iter())
            .map(|t| {
                (
                    t.slug.as_str(),
                    t.name.as_str(),
                    t.record,
                    t.entries.as_slice(),
                )
            })
            .collect();
        assert_eq!(found, [("joe-biden", "Joe Biden", Some(0), &[0, 1][..])]);
        // The record is used; the other spelling is warned about, where it is.
        use crate::diagnostics::Code;
        assert_eq!(site.found(Code::UnusedRecord).len(), 0);
        let spelling = site.found(Code::TermSpelling);
        assert_eq!(spelling.len(), 1);
        assert_eq!(spelling[0].path, std::path::Path::new("content/a.md"));
        assert!(spelling[0].message.contains("“joe biden” and “Joe Biden”"));
    }

    #[test]
    fn only_participants_and_places_have_registries() {
        let people = "- name: Joe Biden\n";
        let places = "- name: Camp David\n";
        let site = order(
            &[
                ("_people.yaml", people),
                ("_places.yaml", places),
                (
                    "a.md",
                    &article("date: 2023-01-01\nparticipants: [Joe Biden]\nlocation: Camp David"),
                ),
            ],
            "2024-01-01",
        );
        let settings = &site.timeline.settings;
        let names = |taxonomy| registry_of(settings, taxonomy).map(|r| r.records[0].name.as_str());
        assert_eq!(names(Taxonomy::Participants), Some("Joe Biden"));
        assert_eq!(names(Taxonomy::Places), Some("Camp David"));
        assert_eq!(names(Taxonomy::Tags), None);
        assert_eq!(names(Taxonomy::Series), None);
    }
}
