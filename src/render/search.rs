//! The search index: Pagefind's (the `pagefind` crate, as a library) made
//! from the article pages' HTML, in shards along the timeline, written
//! through the sink like every other file, so the manifest, the atomic
//! publish and stale-file removal cover it. Pagefind splits each index into
//! small files, so a reader downloads only what a query needs.
//!
//! **Shards.** An article is indexed in the shard of the span of years its
//! date starts in: one year from 2000 on, a decade in the 1900s, a century
//! from 1000 to 1899, and one shard for everything before 1000 (ancient and
//! geological dates alike). The spans are fixed in the calendar, not drawn
//! from the content, so adding, removing or re-dating an article never
//! moves another between shards; and their number is bounded by the
//! calendar, not by the archive: at most 20 before 2000 and one a year
//! since (46 in 2025, at 100 articles or 100,000; a news archive of
//! 1990–2025 has 27). The width grows with age because a news timeline's
//! articles crowd its recent years, and its edits land there. A query
//! fetches each shard's entry file and metadata, so a few dozen shards
//! cost a few dozen small requests; a finer split (the timeline's page
//! spans) would cost hundreds, and one year holding a whole archive is the
//! case this scheme does not split (re-indexing it costs what the single
//! index did).
//!
//! **Layout.** Each shard is a Pagefind bundle in `pagefind/<span>/`
//! (`pagefind/2024/`, `pagefind/1990-1999/`, `pagefind/before-1000/`);
//! Pagefind's UI (`pagefind-ui.js`, `.css`) is in `pagefind/` once. Every
//! shard lies under `pagefind/`, a reserved first segment no article id can
//! take. The search page lists the shards newest first (`data-shards`,
//! from [`bundles`]) and its script hands them to Pagefind UI: the first as
//! `bundlePath` (Pagefind's primary index), the rest as `mergeIndex`,
//! Pagefind's own multi-index search, which queries every shard and sorts
//! their results together by score (each shard scores by its own page
//! counts and lengths). The primary loads Pagefind's runtime (its script,
//! web worker and WebAssembly) and lends it to the merged ones, so only
//! the newest shard carries it: it cannot live in `pagefind/` on its own,
//! since a primary index must have pages. A new newest span (the first
//! article of a new year) so makes the previous newest shard again,
//! without the runtime: once a year of content, not once an article.
//!
//! **Re-indexing only what changed.** A page that stands is not rendered
//! by the build; so each shard is fingerprinted by its article pages'
//! fingerprints (which say what each page's bytes are), in the timeline's
//! order, and kept while they are the same and its files still stand as
//! they were made (the memo names them). A shard whose pages changed has
//! its article pages rendered again, in batches, and is made anew: the
//! same bytes a cold build makes, since Pagefind's output depends only on
//! the pages and their order (it sorts what it keeps in hash maps, and
//! gzips with no time in the header).
//!
//! Pagefind's API is async, but does its work on blocking threads and in
//! rayon: a current-thread tokio runtime, made for the indexing and dropped
//! after, is all it needs (no thread pool of its own, and none left behind).
//!
//! **The `search` feature.** Pagefind (and tokio, which it drives through)
//! is compiled in only with chronicle's `search` cargo feature, on by
//! default: about 90 crates no other part needs. Only [`driver`] uses
//! them; the shards, their memo and the search page's list of bundles are
//! the same either way, so a memo and the engine do not depend on it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Renderer, StandingFingerprint, articles, page};
use crate::diagnostics::Diagnostic;
use crate::fingerprint::{Fingerprint, Hasher};
use crate::site::{Sink, Site};
use crate::timeline::Timeline;

/// Names Pagefind's version and how chronicle feeds it: a change to either
/// makes every shard anew.
const FORMAT: &str = "pagefind 1.6.0, chronicle search 2 (shards by span of years)";

/// What the last builds made: each shard's fingerprint and files, by its
/// folder in the output (`pagefind/2024/`; `pagefind/` for the UI). Every
/// language's are here: another language's lie under its own folder
/// (`ja/pagefind/`), and a language's build touches only its own.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct SearchMemo {
    pub shards: BTreeMap<String, Shard>,
}

/// One bundle as the last build made it.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Shard {
    pub fingerprint: Fingerprint,
    pub files: Vec<String>,
}

/// A span of years whose articles share a shard, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    first: i64,
    last: i64,
}

impl Span {
    /// The span a year's articles are indexed in: fixed by the calendar.
    pub fn of(year: i64) -> Span {
        let within = |width: i64| {
            let first = year - year.rem_euclid(width);
            Span {
                first,
                last: first + width - 1,
            }
        };
        match year {
            2000.. => within(1),
            1900..=1999 => within(10),
            1000..=1899 => within(100),
            _ => Span {
                first: i64::MIN,
                last: 999,
            },
        }
    }

    /// Its folder's name: `2024`, `1990-1999`, `before-1000`.
    pub fn name(&self) -> String {
        match (self.first, self.last) {
            (i64::MIN, last) => format!("before-{}", last + 1),
            (first, last) if first == last => first.to_string(),
            (first, last) => format!("{first}-{last}"),
        }
    }
}

/// The shards a timeline's articles fill, newest first, each with its
/// articles' positions in the timeline (in its order).
fn spans(timeline: &Timeline) -> Vec<(Span, Vec<usize>)> {
    let mut by_span: BTreeMap<Span, Vec<usize>> = BTreeMap::new();
    for (i, entry) in timeline.entries.iter().enumerate() {
        let span = Span::of(entry.article.date.year());
        by_span.entry(span).or_default().push(i);
    }
    by_span.into_iter().rev().collect()
}

/// What the search page loads: the folder of Pagefind's UI, and each
/// shard's bundle, newest first (the first is Pagefind's primary index,
/// the others are merged into it), as addresses.
pub fn bundles(timeline: &Timeline) -> (String, Vec<String>) {
    let routes = &timeline.routes;
    let shards = spans(timeline)
        .into_iter()
        .map(|(span, _)| routes.search_file(&format!("{}/", span.name())).url)
        .collect();
    (routes.search_file("").url, shards)
}

/// One bundle to keep or make: its folder under the search folder (empty
/// for the UI's, which indexes nothing), the article pages it indexes
/// (positions in the timeline), and whether it is the primary index (the
/// newest shard), which carries Pagefind's runtime.
struct Plan {
    dir: String,
    pages: Vec<usize>,
    primary: bool,
}

/// What making the bundles shares.
struct Indexing<'r, 'a, S> {
    renderer: &'r Renderer<'a>,
    previous: StandingFingerprint<'r>,
    sink: &'r S,
    articles: Vec<page::Page>,
}

/// Adds the search index to the site: each shard kept if it stands as the
/// last build made it from the same article pages, else made anew and put
/// in `sink`.
pub fn index<S: Sink>(
    renderer: &Renderer<'_>,
    previous: StandingFingerprint<'_>,
    memo: &mut SearchMemo,
    sink: &S,
    site: &mut Site,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), S::Error> {
    // A build that stops publishes nothing: no index to make.
    if !renderer.indexes || diagnostics.iter().any(Diagnostic::is_error) {
        return Ok(());
    }
    let routes = &renderer.timeline.routes;
    let mut plans = vec![Plan {
        dir: String::new(),
        pages: Vec::new(),
        primary: false,
    }];
    let shards = spans(renderer.timeline).into_iter().enumerate();
    plans.extend(shards.map(|(n, (span, pages))| Plan {
        dir: format!("{}/", span.name()),
        pages,
        primary: n == 0,
    }));
    // This language's shards the site no longer has are forgotten.
    let own = routes.search_file("").path;
    let folders: Vec<String> = (plans.iter())
        .map(|p| routes.search_file(&p.dir).path)
        .collect();
    memo.shards
        .retain(|folder, _| !folder.starts_with(&own) || folders.contains(folder));
    let indexing = Indexing {
        renderer,
        previous,
        sink,
        articles: articles::articles(renderer),
    };
    for plan in &plans {
        if !indexing.bundle(plan, memo, site, diagnostics)? {
            break;
        }
    }
    Ok(())
}

impl<S: Sink> Indexing<'_, '_, S> {
    /// One bundle kept or made; `false` if it could not be made (the
    /// diagnostic says why, and the build stops).
    fn bundle(
        &self,
        plan: &Plan,
        memo: &mut SearchMemo,
        site: &mut Site,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<bool, S::Error> {
        let routes = &self.renderer.timeline.routes;
        let folder = routes.search_file(&plan.dir).path;
        let fingerprint = self.fingerprint_of(plan, site);
        let origin = super::page::generated("the search index");
        let standing = (memo.shards.get(&folder)).filter(|s| {
            s.fingerprint == fingerprint
                && !s.files.is_empty()
                && s.files
                    .iter()
                    .all(|p| (self.previous)(p) == Some(fingerprint))
        });
        if let Some(shard) = standing {
            for path in &shard.files {
                let outcome = (fingerprint, None);
                super::add(site, path.clone(), origin.clone(), outcome, diagnostics);
            }
            return Ok(true);
        }
        memo.shards.remove(&folder);
        let files = match self.make(plan) {
            Ok(files) => files,
            Err(d) => {
                diagnostics.push(d);
                return Ok(false);
            }
        };
        let mut paths = Vec::with_capacity(files.len());
        for (name, bytes) in files {
            let path = routes.search_file(&format!("{}{name}", plan.dir)).path;
            let made = self.sink.put(&path, bytes)?;
            let outcome = (fingerprint, Some(made));
            super::add(site, path.clone(), origin.clone(), outcome, diagnostics);
            paths.push(path);
        }
        let shard = Shard {
            fingerprint,
            files: paths,
        };
        memo.shards.insert(folder, shard);
        Ok(true)
    }

    /// What a bundle is made from: its folder, its article pages by path
    /// and fingerprint, in the timeline's order, and the site's language.
    fn fingerprint_of(&self, plan: &Plan, site: &Site) -> Fingerprint {
        let mut hasher = Hasher::new();
        hasher
            .part(FORMAT.as_bytes())
            .part(self.renderer.timeline.settings.language.as_bytes())
            .part(plan.dir.as_bytes())
            .part(&[u8::from(plan.primary)]);
        for &i in &plan.pages {
            let path = &self.articles[i].route.path;
            hasher
                .part(path.as_bytes())
                .fingerprint(site.fingerprints.get(path).copied().unwrap_or_default());
        }
        hasher.finish()
    }
}

/// Pagefind, driven: what a bundle keeps of the files it makes, and the
/// making. Only with the `search` feature (on by default), which brings
/// Pagefind and tokio; without it, see the other `driver` below.
#[cfg(feature = "search")]
mod driver {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;
    use rayon::prelude::*;

    use super::{Indexing, Plan};
    use crate::diagnostics::{Code, Diagnostic};
    use crate::render::Rendering;
    use crate::site::Sink;

    /// How many article pages are rendered (in parallel) before they are
    /// handed to Pagefind, so memory holds a batch of pages, never the site's.
    const BATCH: usize = 64;

    /// At most this many fragment files a shard (above it Pagefind groups
    /// pages' fragments): a year of 280 articles (10,000 over 36 years) has
    /// groups of nine, about the ten pages' excerpts a result loaded when the
    /// site had one index of 1,000 fragment files.
    const MAX_FRAGMENTS: u32 = 32;

    /// Pagefind's UI, kept once, in the search bundle's own folder.
    const UI: &[&str] = &["pagefind-ui.js", "pagefind-ui.css"];

    /// Pagefind's runtime (its script, the web worker it starts and its
    /// WebAssembly, by name's start), kept in the primary shard only: the
    /// merged ones lend it theirs.
    const RUNTIME: &[&str] = &["pagefind.js", "pagefind-worker.js", "wasm."];

    /// Pagefind's files a chronicle site does not use: its other UIs, the
    /// script that highlights a query on the page a result opens, and its
    /// playground.
    const UNUSED: &[&str] = &[
        "pagefind-modular-ui.",
        "pagefind-component-ui.",
        "pagefind-highlight.",
        "playground/",
    ];

    impl Plan {
        /// Whether the bundle keeps a file Pagefind made (by its name within
        /// the folder).
        fn keeps(&self, name: &str) -> bool {
            let among = |names: &[&str]| names.iter().any(|n| name.starts_with(n));
            if self.dir.is_empty() {
                return UI.contains(&name);
            }
            !UI.contains(&name) && !among(UNUSED) && (self.primary || !among(RUNTIME))
        }
    }

    impl<S: Sink> Indexing<'_, '_, S> {
        /// A bundle's article pages rendered again and indexed; the Pagefind
        /// files it keeps (the UI's, or a shard's: the rest), by name within
        /// its folder, sorted.
        pub(super) fn make(&self, plan: &Plan) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
            let renderer = self.renderer;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .map_err(|e| failure(format!("could not start the indexing: {e}")))?;
            let config = PagefindServiceConfig::builder()
                .force_language(renderer.timeline.settings.language.clone())
                .max_fragments(MAX_FRAGMENTS)
                .build();
            let mut index = PagefindIndex::new(Some(config))
                .map_err(|e| failure(format!("Pagefind refused its options: {e}")))?;
            for batch in plan.pages.chunks(BATCH) {
                for result in self.render(batch) {
                    let (url, html) = result?;
                    runtime
                        .block_on(index.add_html_file(None, Some(url.clone()), html))
                        .map_err(|e| failure(format!("Pagefind could not index {url}: {e}")))?;
                }
            }
            let files = runtime
                .block_on(index.get_files())
                .map_err(|e| failure(format!("Pagefind could not make the index: {e}")))?;
            let mut files: Vec<(String, Vec<u8>)> = files
                .into_iter()
                .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
                .filter(|(name, _)| plan.keeps(name))
                .collect();
            files.sort();
            Ok(files)
        }

        /// A batch of article pages rendered (in parallel): each one's address
        /// and HTML.
        fn render(&self, batch: &[usize]) -> Vec<Result<(String, String), Diagnostic>> {
            batch
                .par_iter()
                .map(|&i| {
                    let page = &self.articles[i];
                    match (page.render)(self.renderer, None)? {
                        Rendering::Rendered(_, html) => Ok((page.route.url.clone(), html)),
                        // Not with no previous fingerprint; named, never a panic.
                        Rendering::Unchanged(_) => {
                            Err(failure(format!("{} was not rendered", page.route.url)))
                        }
                    }
                })
                .collect()
        }
    }

    fn failure(message: String) -> Diagnostic {
        Diagnostic::error(Code::SearchIndex, "(the search index)", message)
    }
}

/// Without the `search` feature there is no Pagefind: the settings reader
/// already refused `search: true` where it was written
/// (`search-not-built`), so this is reached only by settings made in code,
/// and says the same, never skipping the index in silence.
#[cfg(not(feature = "search"))]
mod driver {
    use super::{Indexing, Plan};
    use crate::diagnostics::{Code, Diagnostic};
    use crate::site::Sink;

    impl<S: Sink> Indexing<'_, '_, S> {
        pub(super) fn make(&self, _plan: &Plan) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
            let message = "this chronicle was built without search (its `search` cargo feature)";
            let path = "(the search index)";
            Err(Diagnostic::error(Code::SearchNotBuilt, path, message))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Span;

    #[test]
    fn spans_are_fixed_by_the_calendar() {
        let name = |year| Span::of(year).name();
        assert_eq!(name(2024), "2024");
        assert_eq!(name(2000), "2000");
        assert_eq!(name(1999), "1990-1999");
        assert_eq!(name(1990), "1990-1999");
        assert_eq!(name(1900), "1900-1909");
        assert_eq!(name(1899), "1800-1899");
        assert_eq!(name(1000), "1000-1099");
        assert_eq!(name(999), "before-1000");
        assert_eq!(name(-44), "before-1000");
        assert_eq!(name(-13_800_000_000), "before-1000");
        assert!(Span::of(1999) < Span::of(2000));
        assert!(Span::of(-44) < Span::of(1000));
    }
}
