//! The registry of page kinds: every producer named once, in the phase it
//! is rendered in. Only the renderer (`mod.rs`) reads it; a kind that
//! needs other kinds' pages (the sitemap lists the HTML pages) is handed
//! them from here, so no producer imports the registry back.

use super::exports::{calendar, feeds, filter, sitemap, timelinejs};
use super::page::{Page, PageKind};
use super::{Renderer, articles, pages};

/// The page kinds that show no listing, rendered first: each article's page
/// takes its body, which is then let go, before the listings' entries are
/// made (so the two are never all held at once).
pub const SINGLE: &[PageKind] = &[pages::not_found, pages::search, articles::articles];

/// The page kinds that list entries (they need each entry's rendering).
pub const LISTINGS: &[PageKind] = &[
    pages::timeline,
    pages::term_pages,
    pages::taxonomy_indexes,
    pages::years,
    pages::timeline_view,
];

/// The exports, rendered last, once the listings' values are let go.
pub const EXPORTS: &[PageKind] = &[
    feeds::atom,
    feeds::json_feed,
    calendar::calendars,
    timelinejs::timeline_js,
    timelinejs::timeline_locale,
    filter::filter_index,
    sitemap_of_html,
    sitemap::robots,
];

/// The page kinds that make HTML pages: the ones without listings, then
/// the listings (for the sitemap, and for the other languages' links).
pub const HTML: [PageKind; SINGLE.len() + LISTINGS.len()] = concat(SINGLE, LISTINGS);

/// `a`, then `b`, as one constant.
const fn concat<const N: usize>(a: &[PageKind], b: &[PageKind]) -> [PageKind; N] {
    let mut all = [a[0]; N];
    let mut i = 0;
    while i < N {
        all[i] = if i < a.len() { a[i] } else { b[i - a.len()] };
        i += 1;
    }
    all
}

/// The sitemap, of the pages of the [`HTML`] kinds.
fn sitemap_of_html(r: &Renderer<'_>) -> Vec<Page> {
    sitemap::sitemap(r, &HTML)
}
