//! From loaded articles to a timeline, plain data: drafts set apart, ids
//! checked, entries ordered, statuses settled against the as-of date, who
//! links to whom, and the people, places, tags and series gathered
//! ([`terms`]), each step's problems reported ([`checks`]). Bodies are not
//! here: rendering makes them, from the articles' files, when a page asks
//! (`render::bodies`).
//!
//! Order is total and depends only on the content: the first day a date can
//! denote, then the last (the shorter span first), then the id.

pub mod checks;
pub mod terms;

use std::collections::BTreeMap;

// foldhash: a timeline's ids, paths and names are hashed a quarter of a
// million times at 10,000 articles; the maps are only looked into, never
// walked, so their order never reaches the output.
use foldhash::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::config::Settings;
use crate::content::Texts;
use crate::date::{Day, SortKey};
use crate::diagnostics::Diagnostic;
use crate::files::{CONTENT_DIR, to_slash};
use crate::model::{Article, Status, Taxonomy};
use crate::routes::Routes;
pub use checks::chinese_reading;
use checks::{check_duplicate_ids, check_name_counts, check_related, check_status, media_size};
pub use terms::{registry_of, term_slug};

/// An article placed on the timeline.
#[derive(Debug)]
pub struct Entry {
    /// Shared with the engine's memo, which keeps it between builds.
    pub article: Arc<Article>,
    pub status: Status,
    /// Whether the event is still to come on the as-of date.
    pub upcoming: bool,
    /// For each taxonomy (by [`Taxonomy::ALL`] order), the index in
    /// [`Timeline::terms`] of each name the article gives, in its order.
    pub terms: [Vec<usize>; 4],
    /// The pixel size of the article's local image, read from the file.
    pub media_size: Option<(u32, u32)>,
    /// The entries whose body links to this one or whose `related` names
    /// it, in timeline order.
    pub referenced_by: Vec<usize>,
}

impl Entry {
    /// The indices of the terms the entry names in one taxonomy.
    pub fn terms(&self, taxonomy: Taxonomy) -> &[usize] {
        &self.terms[taxonomy as usize]
    }
}

/// A person, place, tag or series, and the entries that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Made once, here; every link to the term uses it.
    pub slug: String,
    pub name: String,
    /// Indices into `Timeline::entries`, in chronological order.
    pub entries: Vec<usize>,
    /// The term's record in the people's or places' registry.
    pub record: Option<usize>,
}

#[derive(Debug)]
pub struct Timeline {
    pub settings: Settings,
    /// Every URL and output path, under the base URL's path.
    pub routes: Routes,
    pub as_of: NaiveDate,
    /// Chronological, earliest first, whatever the display order.
    pub entries: Vec<Entry>,
    /// The articles left out as drafts: a link to one is not broken.
    pub drafts: Vec<Arc<Article>>,
    /// Per taxonomy, terms sorted by slug.
    pub terms: BTreeMap<Taxonomy, Vec<Term>>,
    /// In a site of several languages, every language's timeline (this
    /// one's too), the default's first; empty otherwise.
    pub editions: Vec<crate::translations::Other>,
}

impl Timeline {
    pub fn terms(&self, taxonomy: Taxonomy) -> &[Term] {
        self.terms.get(&taxonomy).map_or(&[], Vec::as_slice)
    }
}

/// The most participants, and the most tags, an article gives pages of
/// their own; more is a warning, and the rest are listed as text on the
/// article's page, so one article cannot make thousands of pages.
pub const MAX_NAMES: usize = 100;

/// The sort key: the date's (first day, time on it, last day…), then id.
pub fn order_key(article: &Article) -> (SortKey, &str) {
    (article.date.sort_key(), article.id.as_str())
}

/// The articles by [`order_key`], then path, as a stable sort orders
/// them: each date's sort key made once, not at every comparison.
fn in_order(articles: Vec<Arc<Article>>) -> Vec<Arc<Article>> {
    let keys: Vec<SortKey> = articles.iter().map(|a| a.date.sort_key()).collect();
    let mut order: Vec<usize> = (0..articles.len()).collect();
    order.sort_by(|&x, &y| {
        let (a, b) = (&articles[x], &articles[y]);
        (keys[x].cmp(&keys[y]))
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.path.cmp(&b.path))
    });
    let mut slots: Vec<Option<Arc<Article>>> = articles.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// Builds the timeline. Errors and warnings go to `diagnostics`, located
/// in the files `texts` reads; the caller decides whether the result may
/// be written.
pub fn build(
    settings: Settings,
    articles: Vec<Arc<Article>>,
    as_of: NaiveDate,
    include_drafts: bool,
    texts: &Texts,
    diagnostics: &mut Vec<Diagnostic>,
) -> Timeline {
    let (articles, drafts): (Vec<Arc<Article>>, Vec<Arc<Article>>) = articles
        .into_iter()
        .partition(|a| include_drafts || !a.draft);
    check_duplicate_ids(&articles, diagnostics);
    let articles = in_order(articles);
    let mut routes = Routes::new(settings.base_url.as_deref());
    if settings.languages.first() != Some(&settings.language) {
        routes = routes.in_language(&settings.language);
    }
    check_related(&articles, texts, diagnostics);

    let mut entries = Vec::with_capacity(articles.len());
    for article in articles {
        check_status(&article, as_of, diagnostics);
        check_name_counts(&article, texts, diagnostics);
        let media_size = media_size(&article, texts, diagnostics);
        entries.push(Entry {
            media_size,
            upcoming: article.date.first_day() > Day::from(as_of),
            status: article.effective_status(as_of),
            terms: Default::default(),
            referenced_by: Vec::new(),
            article,
        });
    }
    link_back(&mut entries);
    let terms = terms::gather_terms(&mut entries, &settings, texts, diagnostics);
    Timeline {
        settings,
        routes,
        as_of,
        entries,
        drafts,
        terms,
        editions: Vec::new(),
    }
}

/// Fills each entry's `referenced_by`: who links to it in a body, or names
/// it in `related`.
fn link_back(entries: &mut [Entry]) {
    let by_path: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (content_path(&e.article), i))
        .collect();
    let by_id: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.article.id.as_str(), i))
        .collect();
    let mut refs: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    for (i, e) in entries.iter().enumerate() {
        let linked = e.article.body_links.iter().filter_map(|p| by_path.get(p));
        let related = e
            .article
            .related
            .iter()
            .filter_map(|r| by_id.get(r.value.as_str()));
        for &j in linked.chain(related) {
            if j != i {
                refs[j].push(i);
            }
        }
    }
    for (e, mut r) in entries.iter_mut().zip(refs) {
        r.sort_unstable();
        r.dedup();
        e.referenced_by = r;
    }
}

/// The article's path under `content/`, with `/` separators.
pub fn content_path(a: &Article) -> String {
    content_path_of(&a.path)
}

fn content_path_of(path: &std::path::Path) -> String {
    if let Some(plain) = plain_content_path(path) {
        return plain.to_string();
    }
    let s = to_slash(path);
    s.strip_prefix(&format!("{CONTENT_DIR}/"))
        .unwrap_or(&s)
        .to_string()
}

/// The path under `content/` read off the path's text, when it is one
/// the walk makes (`content/2023/x.md`: `/` between names, none empty or
/// `.`), so that taking it apart name by name would give it back: four
/// times per article every build.
fn plain_content_path(path: &std::path::Path) -> Option<&str> {
    let text = path.to_str()?;
    let rest = text.strip_prefix(CONTENT_DIR)?.strip_prefix('/')?;
    let plain = std::path::MAIN_SEPARATOR == '/'
        && rest
            .split('/')
            .all(|name| !name.is_empty() && name != "." && name != "..");
    plain.then_some(rest)
}

/// A small site on disk for the tests of this folder's files: written into
/// a temporary folder, loaded as a build loads it, and ordered.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// A timeline ordered from a test's files, and what ordering reported;
    /// the folder lives as long as it does (diagnostics read it).
    pub struct Ordered {
        pub timeline: Timeline,
        pub diagnostics: Vec<Diagnostic>,
        folder: tempfile::TempDir,
    }

    impl Ordered {
        /// The entries' ids, in timeline order.
        pub fn ids(&self) -> Vec<&str> {
            let entries = self.timeline.entries.iter();
            entries.map(|e| e.article.id.as_str()).collect()
        }

        /// Where the site's files are read again.
        pub fn texts(&self) -> Texts {
            Texts::new(self.folder.path())
        }

        /// What ordering reported with `code`.
        pub fn found(&self, code: crate::diagnostics::Code) -> Vec<&Diagnostic> {
            self.diagnostics.iter().filter(|d| d.code == code).collect()
        }
    }

    /// An article's text: a title, the front matter lines `front` (from
    /// line 3 of the file), and a line of body.
    pub fn article(front: &str) -> String {
        format!("---\ntitle: An event\n{front}\n---\nWhat happened.\n")
    }

    /// The site of `files` (each a path under `content/` and its text; a
    /// plain `_index.md` unless one is given), ordered as of `as_of`. The
    /// files must load cleanly: only ordering's diagnostics are kept.
    pub fn order(files: &[(&str, &str)], as_of: &str) -> Ordered {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let content = folder.path().join(CONTENT_DIR);
        let index = [("_index.md", "---\ntitle: A test\n---\n")];
        let given = files.iter().any(|(p, _)| *p == "_index.md");
        for (path, text) in files.iter().chain(index.iter().filter(|_| !given)) {
            let path = content.join(path);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("written");
            std::fs::write(path, text).expect("written");
        }
        let loaded = crate::content::load(folder.path());
        assert_eq!(loaded.diagnostics, [], "the test's files load cleanly");
        let mut diagnostics = Vec::new();
        let timeline = build(
            loaded.settings.expect("settings"),
            loaded.articles,
            as_of.parse().expect("a day"),
            false,
            &Texts::new(folder.path()),
            &mut diagnostics,
        );
        Ordered {
            timeline,
            diagnostics,
            folder,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{article, order};
    use super::*;

    #[test]
    fn entries_are_ordered_by_first_day_then_last_then_id() {
        let site = order(
            &[
                ("2023/month.md", &article("date: 2023-05")),
                ("2023/day.md", &article("date: 2023-05-01")),
                ("2023/before.md", &article("date: 2023-04-30")),
                ("2023/zulu.md", &article("date: 2023-06-01")),
                ("2023/alpha.md", &article("date: 2023-06-01")),
                ("2022/year.md", &article("date: 2023")),
            ],
            "2024-01-01",
        );
        // The year 2023 starts first; May 1st and May start the same day,
        // and the day, the shorter span, comes first; a tie goes by id.
        assert_eq!(
            site.ids(),
            [
                "2022/year",
                "2023/before",
                "2023/day",
                "2023/month",
                "2023/alpha",
                "2023/zulu"
            ]
        );
        assert_eq!(site.diagnostics, []);
    }

    #[test]
    fn drafts_are_set_apart_and_statuses_follow_the_as_of_date() {
        let site = order(
            &[
                ("past.md", &article("date: 2024-03-01")),
                ("future.md", &article("date: 2024-05-01")),
                ("spans.md", &article("date: 2024-03-20/2024-04-10")),
                (
                    "called-off.md",
                    &article("date: 2024-05-02\nstatus: cancelled"),
                ),
                ("draft.md", &article("date: 2024-01-01\ndraft: true")),
            ],
            "2024-04-01",
        );
        let drafts: Vec<&str> = site.timeline.drafts.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(drafts, ["draft"]);
        let states: Vec<(&str, Status, bool)> = (site.timeline.entries.iter())
            .map(|e| (e.article.id.as_str(), e.status, e.upcoming))
            .collect();
        assert_eq!(
            states,
            [
                ("past", Status::Held, false),
                // Under way on the as-of date: planned, not upcoming.
                ("spans", Status::Planned, false),
                ("future", Status::Planned, true),
                ("called-off", Status::Cancelled, true),
            ]
        );
    }

    #[test]
    fn an_entry_knows_who_links_to_it_and_who_names_it_related() {
        let linking = "---\ntitle: A\ndate: 2023-01-01\n---\nSee [the summit](summit.md).\n";
        let site = order(
            &[
                ("summit.md", &article("date: 2023-02-01\nrelated: [summit]")),
                ("linking.md", linking),
                ("naming.md", &article("date: 2023-03-01\nrelated: [summit]")),
            ],
            "2024-01-01",
        );
        assert_eq!(site.ids(), ["linking", "summit", "naming"]);
        let entries = &site.timeline.entries;
        // Its own `related` does not count, and each names it once.
        assert_eq!(entries[1].referenced_by, [0, 2]);
        assert_eq!(entries[0].referenced_by, Vec::<usize>::new());
        assert_eq!(site.found(crate::diagnostics::Code::RelatedSelf).len(), 1);
    }

    #[test]
    fn a_content_path_read_off_its_text_is_the_one_taken_apart() {
        for path in [
            "content/2023/x.md",
            "content/x.md",
            "content/a b/é.md",
            "content//2023/x.md",
            "content/./2023/x.md",
            "content/2023/../x.md",
            "content/2023/",
            "contents/x.md",
            "./content/x.md",
            "x.md",
        ] {
            let path = std::path::Path::new(path);
            let slow = to_slash(path);
            let slow = slow.strip_prefix("content/").unwrap_or(&slow);
            assert_eq!(content_path_of(path), slow, "{path:?}");
        }
    }
}
