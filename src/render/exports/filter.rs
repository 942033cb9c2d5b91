//! `filter-index.json`: what the filter script (`static/filter.js`) needs
//! to filter a listing split into pages, without loading its pages: each
//! taxonomy's terms once, and for every entry, in chronological order, the
//! positions of its terms in those tables, its kind and its status; and
//! how many entries each page of each listing holds.
//!
//! It holds no titles, addresses or dates: at 10,000 articles those alone
//! would pass a megabyte. The script filters the entries of the page it is
//! on by their `data-` attributes, and counts the matches on the listing's
//! other pages from this index, linking to those pages with the same query.
//!
//! An export like the others (see `exports`): made on every build,
//! fingerprinted by its bytes. Vectors only, in the timeline's order, so
//! the same input gives the same bytes.

use serde::Serialize;

use crate::fingerprint::Fingerprint;
use crate::model::{Kind, Status, Taxonomy};
use crate::render::Renderer;
use crate::render::page::{Page, generated};

/// The query parameter that filters by a taxonomy's term
/// (`?participant=fumio-kishida`).
pub fn param(taxonomy: Taxonomy) -> &'static str {
    match taxonomy {
        Taxonomy::Participants => "participant",
        Taxonomy::Places => "place",
        Taxonomy::Tags => "tag",
        Taxonomy::Series => "series",
    }
}

/// A kind or a status: its key (the query's value) and its label.
#[derive(Serialize)]
struct Choice {
    key: &'static str,
    label: String,
}

/// One taxonomy: its terms, and each entry's terms as positions in them.
#[derive(Serialize)]
struct TaxonomyIndex<'t> {
    /// `participants`: the key term pages name it by (`data-taxonomy`).
    key: &'static str,
    /// `participant`: the query parameter.
    param: &'static str,
    name: String,
    singular: String,
    /// The taxonomy's index page.
    url: String,
    /// `[slug, name]`, sorted by slug.
    terms: Vec<(&'t str, &'t str)>,
    /// For each entry, the positions in `terms` of the names it is listed
    /// under (those with pages).
    entries: Vec<&'t [usize]>,
    /// For each term, how many entries each page of its listing holds, in
    /// chronological order (empty for a listing of one page); omitted when
    /// no term's listing has pages.
    #[serde(skip_serializing_if = "no_pages")]
    pages: Vec<Vec<usize>>,
}

fn no_pages(pages: &[Vec<usize>]) -> bool {
    pages.iter().all(Vec::is_empty)
}

/// The whole index.
#[derive(Serialize)]
struct FilterIndex<'t> {
    version: u32,
    /// Whether listings show the newest entry first; the pages of a
    /// listing are linked in that order.
    descending: bool,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    /// For each entry, its position in `kinds` and in `statuses`.
    kind: Vec<usize>,
    status: Vec<usize>,
    /// How many entries each page of the timeline holds, in chronological
    /// order; empty when it is one page. Not in the pages' links: there,
    /// an entry added to one page would change all of them.
    pages: Vec<usize>,
    /// The taxonomies that have terms.
    taxonomies: Vec<TaxonomyIndex<'t>>,
}

/// The kinds, with their catalogue keys.
const KINDS: [(Kind, &str); 2] = [
    (Kind::Meeting, "kind-meeting"),
    (Kind::Context, "kind-context"),
];

const STATUSES: [Status; 4] = [
    Status::Held,
    Status::Planned,
    Status::Postponed,
    Status::Cancelled,
];

impl<'t> FilterIndex<'t> {
    fn of(r: &Renderer<'t>) -> FilterIndex<'t> {
        let (t, descending, language) = (r.timeline, r.descending, &r.templates.language);
        let taxonomies = Taxonomy::ALL
            .into_iter()
            .filter(|&taxonomy| !t.terms(taxonomy).is_empty())
            .map(|taxonomy| TaxonomyIndex {
                key: taxonomy.dir(),
                param: param(taxonomy),
                name: language.label(taxonomy.plural_key()).to_string(),
                singular: language.label(taxonomy.singular_key()).to_string(),
                url: t.routes.taxonomy(taxonomy).url,
                terms: t
                    .terms(taxonomy)
                    .iter()
                    .map(|term| (term.slug.as_str(), term.name.as_str()))
                    .collect(),
                entries: t.entries.iter().map(|e| e.terms(taxonomy)).collect(),
                pages: t
                    .terms(taxonomy)
                    .iter()
                    .map(|term| r.views.page_sizes(&term.entries))
                    .collect(),
            })
            .collect();
        FilterIndex {
            version: 2,
            descending,
            kinds: KINDS
                .iter()
                .map(|&(kind, label)| Choice {
                    key: kind.key(),
                    label: language.label(label).to_string(),
                })
                .collect(),
            // A meeting's words ("Planned"), but for the past, which a
            // meeting calls "Held" and a context event "Took place": the
            // choice covers both, and says so.
            statuses: STATUSES
                .iter()
                .map(|&status| Choice {
                    key: status.key(),
                    label: match status {
                        Status::Held => language.label("filter-status-past"),
                        _ => language.label(status.label_key(Kind::Meeting)),
                    }
                    .to_string(),
                })
                .collect(),
            kind: t.entries.iter().map(|e| e.article.kind as usize).collect(),
            status: t.entries.iter().map(|e| e.status as usize).collect(),
            pages: timeline_page_sizes(r),
            taxonomies,
        }
    }
}

/// How many entries each page of the timeline holds (none for one page).
fn timeline_page_sizes(r: &Renderer<'_>) -> Vec<usize> {
    let pages = &r.views.timeline_listing().pages;
    if pages.len() < 2 {
        return Vec::new();
    }
    pages.iter().map(|p| p.entries.len()).collect()
}

/// `filter-index.json`: the filter's index of every entry.
pub fn filter_index(r: &Renderer<'_>) -> Vec<Page> {
    let render = |r: &Renderer<'_>, previous: Option<Fingerprint>| {
        let index = FilterIndex::of(r);
        let mut text = serde_json::to_string(&index).unwrap_or_default();
        text.push('\n');
        Ok(r.produce("filter index 2", text, previous))
    };
    vec![Page {
        route: r.timeline.routes.filter_index(),
        origin: generated("the filter's index"),
        render: Box::new(render),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An entry's kind and status are written as positions in the tables:
    /// the tables must list them in the enums' order.
    #[test]
    fn the_tables_follow_the_enums() {
        for (n, (kind, _)) in KINDS.iter().enumerate() {
            assert_eq!(*kind as usize, n);
        }
        for (n, status) in STATUSES.iter().enumerate() {
            assert_eq!(*status as usize, n);
            assert_eq!(status.key(), Status::NAMES[n]);
        }
    }
}
