//! The search index: Pagefind's (the `pagefind` crate, as a library) made
//! from the article pages' HTML, written through the sink like every other
//! file, so the manifest, the atomic publish and stale-file removal cover
//! it. Pagefind splits its index into small files, so a reader downloads
//! only what a query needs.
//!
//! The index is made from every article page, and a page that stands is
//! not rendered by the build; so the index is fingerprinted by the article
//! pages' fingerprints (which say what each page's bytes are) and kept
//! whole while none of them changed: the memo names its files, and each of
//! them must still stand as it was made. When one changed, every article
//! page is rendered again, in batches, and the index is made anew: the
//! same bytes a cold build makes, since Pagefind's output depends only on
//! the pages and their order (it sorts what it keeps in hash maps, and
//! gzips with no time in the header).
//!
//! Pagefind's API is async, but does its work on blocking threads and in
//! rayon: a current-thread tokio runtime, made for the indexing and dropped
//! after, is all it needs (no thread pool of its own, and none left behind).

use std::path::PathBuf;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Previous, Renderer, Rendering, pages};
use crate::diagnostics::{Code, Diagnostic};
use crate::fingerprint::{Fingerprint, Hasher};
use crate::site::{Sink, Site};

/// Names Pagefind's version and how chronicle feeds it: a change to either
/// makes the index anew.
const FORMAT: &str = "pagefind 1.6.0, chronicle search 1";

/// How many article pages are rendered (in parallel) before they are
/// handed to Pagefind, so memory holds a batch of pages, never the site's.
const BATCH: usize = 64;

/// At most this many fragment files (above it Pagefind groups pages'
/// fragments): at 10,000 articles, 1,159 index files (27 MB) instead of
/// 10,159 (32 MB); a result loads its group, about ten pages' excerpts.
const MAX_FRAGMENTS: u32 = 1000;

/// Pagefind's files a chronicle site does not use: its other UIs and its
/// playground.
const UNUSED: &[&str] = &[
    "pagefind-modular-ui.",
    "pagefind-component-ui.",
    "playground/",
];

/// What the last build made: the index's fingerprint and its files.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Memo {
    pub fingerprint: Fingerprint,
    pub files: Vec<String>,
}

/// Adds the search index to the site: kept if it stands as the last build
/// made it from the same article pages, else made anew and put in `sink`.
pub fn index<S: Sink>(
    renderer: &Renderer<'_>,
    previous: Previous<'_>,
    memo: &mut Memo,
    sink: &S,
    site: &mut Site,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), S::Error> {
    // A build that stops publishes nothing: no index to make.
    if !renderer.indexes || diagnostics.iter().any(Diagnostic::is_error) {
        return Ok(());
    }
    let articles = pages::articles(renderer);
    let fingerprint = fingerprint_of(renderer, &articles, site);
    let origin = super::pages::generated("the search index");
    let stands = memo.fingerprint == fingerprint
        && !memo.files.is_empty()
        && memo.files.iter().all(|p| previous(p) == Some(fingerprint));
    if stands {
        for path in &memo.files {
            super::add(
                site,
                path.clone(),
                origin.clone(),
                (fingerprint, None),
                diagnostics,
            );
        }
        return Ok(());
    }
    *memo = Memo::default();
    let files = match make(renderer, articles) {
        Ok(files) => files,
        Err(d) => {
            diagnostics.push(d);
            return Ok(());
        }
    };
    let mut paths = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let path = renderer.timeline.routes.search_file(&name).path;
        let made = sink.put(&path, bytes)?;
        super::add(
            site,
            path.clone(),
            origin.clone(),
            (fingerprint, Some(made)),
            diagnostics,
        );
        paths.push(path);
    }
    *memo = Memo {
        fingerprint,
        files: paths,
    };
    Ok(())
}

/// What the index is made from: the article pages, by path and
/// fingerprint, in the timeline's order, and the site's language.
fn fingerprint_of(renderer: &Renderer<'_>, articles: &[pages::Page], site: &Site) -> Fingerprint {
    let mut hasher = Hasher::new();
    hasher
        .part(FORMAT.as_bytes())
        .part(renderer.timeline.settings.language.as_bytes());
    for page in articles {
        let path = &page.route.path;
        hasher
            .part(path.as_bytes())
            .fingerprint(site.fingerprints.get(path).copied().unwrap_or_default());
    }
    hasher.finish()
}

/// Every article page rendered again and indexed; Pagefind's files, by
/// name within its folder, sorted.
fn make(
    renderer: &Renderer<'_>,
    articles: Vec<pages::Page>,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| failure(format!("could not start the indexing: {e}")))?;
    let config = PagefindServiceConfig::builder()
        .force_language(renderer.timeline.settings.language.clone())
        .max_fragments(MAX_FRAGMENTS)
        .build();
    let mut index = PagefindIndex::new(Some(config))
        .map_err(|e| failure(format!("Pagefind refused its options: {e}")))?;
    for batch in articles.chunks(BATCH) {
        let rendered: Vec<Result<(String, String), Diagnostic>> = batch
            .par_iter()
            .map(|page| match (page.render)(renderer, None)? {
                Rendering::Rendered(_, html) => Ok((page.route.url.clone(), html)),
                // Not with no previous fingerprint; named, never a panic.
                Rendering::Unchanged(_) => {
                    Err(failure(format!("{} was not rendered", page.route.url)))
                }
            })
            .collect();
        for result in rendered {
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
        .filter(|(name, _)| !UNUSED.iter().any(|u| name.starts_with(u)))
        .collect();
    files.sort();
    Ok(files)
}

fn failure(message: String) -> Diagnostic {
    Diagnostic::error(
        Code::SearchIndex,
        PathBuf::from("(the search index)"),
        message,
    )
}
