//! The site's HTML pages but the articles' (`articles`): the timeline, a
//! page per participant, place, tag and series, each taxonomy's index, a
//! page per year, the 404 page, the search page and the interactive
//! timeline (`timeline-view/`, TimelineJS drawing the data that
//! `exports::timelinejs` makes). One function per page
//! kind, each listing its pages with their routes and how to render them;
//! the registry (`kinds`) names them.

use serde::Serialize;

use super::exports::json_ld;
use super::page::{Page, generated};
use super::views::{
    EntryRef, FilterView, HeldView, Listing, ListingPage, PageView, PaginationView, SiteView,
    TaxonomyView, TermView, YearLinkView, YearView, term_calendar_url,
};
use super::{Renderer, search};
use crate::date;
use crate::fingerprint::Fingerprint;
use crate::model::Taxonomy;

#[derive(Serialize)]
struct TimelineContext<'a> {
    site: &'a SiteView,
    page: PageView,
    /// The site's introduction, on the page a reader lands on.
    intro_html: &'a str,
    /// Whether this is that page (the newest entries).
    landing: bool,
    /// This page's span: "1990–1994" (empty on a timeline of one page).
    label: &'a str,
    years: Vec<YearView<'a>>,
    year_bar: Vec<YearLinkView>,
    pagination: PaginationView,
    upcoming_count: usize,
    first_upcoming: Option<EntryRef<'a>>,
    /// Where the first upcoming entry is: `#anchor` on this page, else its
    /// page's address with the anchor.
    first_upcoming_url: Option<String>,
    filter: FilterView,
}

/// The timeline: every entry, grouped by year, in pages of whole years.
pub(super) fn timeline(r: &Renderer<'_>) -> Vec<Page> {
    let listing = r.views.timeline_listing();
    let last = listing.pages.len() - 1;
    (0..listing.pages.len())
        .map(|p| {
            let render = move |r: &Renderer<'_>, previous: Option<Fingerprint>| {
                let listing = r.views.timeline_listing();
                let page = &listing.pages[p];
                let landing = p == last;
                let upcoming = r.views.upcoming();
                let title = if landing {
                    r.site.title.clone()
                } else {
                    format!("{} — {}", page.label, r.site.title)
                };
                let context = TimelineContext {
                    site: &r.site,
                    page: timeline_page_view(r, page, title),
                    intro_html: if landing { &r.bodies.intro_html } else { "" },
                    landing,
                    label: if listing.pages.len() > 1 {
                        &page.label
                    } else {
                        ""
                    },
                    years: r.views.years(page.entries.iter().copied(), r.descending),
                    year_bar: r.views.year_bar(p, r.descending),
                    pagination: r.views.pagination(listing, p, r.descending),
                    upcoming_count: upcoming.count,
                    first_upcoming: upcoming.first.map(|i| r.views.entry(i)),
                    first_upcoming_url: upcoming.first.map(|i| {
                        let url = &r.views.timeline_url(i);
                        match url.strip_prefix(&page.route.url) {
                            Some(anchor) => anchor.to_string(),
                            None => url.clone(),
                        }
                    }),
                    filter: r.views.filter(None),
                };
                r.finish_then("timeline.html", context, previous, |c| {
                    timeline_json_ld(r, page, &mut c.page)
                })
            };
            let page = &listing.pages[p];
            Page {
                route: page.route.clone(),
                origin: generated(&if p == last {
                    "the timeline page".to_string()
                } else {
                    format!("the timeline page of {}", page.label)
                }),
                render: Box::new(render),
            }
        })
        .collect()
}

/// What a page of the timeline says about itself, with the key of the
/// JSON-LD list of its events in the order shown (made by
/// [`timeline_json_ld`] only if the page is).
fn timeline_page_view(r: &Renderer<'_>, page: &ListingPage, title: String) -> PageView {
    let t = r.timeline;
    let mut view = r.views.page(
        title,
        t.settings.description.clone(),
        page.route.url.clone(),
    );
    if r.fingerprints {
        view.json_ld_key = Some(r.views.listing_ld_key(&shown(r, page), &view.headline));
    }
    view
}

/// A timeline page's entries in the order it shows them.
fn shown(r: &Renderer<'_>, page: &ListingPage) -> Vec<usize> {
    let mut shown = page.entries.clone();
    if r.descending {
        shown.reverse();
    }
    shown
}

/// Makes a timeline page's JSON-LD, once the page is to be made.
fn timeline_json_ld(r: &Renderer<'_>, page: &ListingPage, view: &mut PageView) {
    view.json_ld = Some(json_ld::timeline_json_ld(
        r.timeline,
        &shown(r, page),
        &view.headline,
    ));
}

#[derive(Serialize)]
struct NotFoundContext<'a> {
    site: &'a SiteView,
    page: PageView,
}

/// The page served at every missing address.
pub(super) fn not_found(r: &Renderer<'_>) -> Vec<Page> {
    let render = |r: &Renderer<'_>, previous: Option<Fingerprint>| {
        let page = r.site_page("not-found", r.timeline.routes.not_found().url);
        let context = NotFoundContext {
            site: &r.site,
            // Served at every missing address: it has no canonical one.
            page: PageView {
                permalink: None,
                ..page
            },
        };
        r.finish("404.html", &context, previous)
    };
    vec![Page {
        route: r.timeline.routes.not_found(),
        origin: generated("the 404 page"),
        render: Box::new(render),
    }]
}

#[derive(Serialize)]
struct SearchContext<'a> {
    site: &'a SiteView,
    page: PageView,
    /// Whether this build makes the index (not `serve`'s).
    indexed: bool,
    /// The folder of Pagefind's UI.
    bundle: String,
    /// The index's shards, newest first (see [`super::search`]).
    shards: Vec<String>,
}

/// The search page, unless the settings turn search off.
pub(super) fn search(r: &Renderer<'_>) -> Vec<Page> {
    if !r.timeline.settings.search {
        return Vec::new();
    }
    let render = |r: &Renderer<'_>, previous: Option<Fingerprint>| {
        let routes = &r.timeline.routes;
        let (bundle, shards) = search::bundles(r.timeline);
        let context = SearchContext {
            site: &r.site,
            page: r.site_page("search", routes.search().url),
            indexed: r.indexes,
            bundle,
            shards,
        };
        r.finish("search.html", &context, previous)
    };
    vec![Page {
        route: r.timeline.routes.search(),
        origin: generated("the search page"),
        render: Box::new(render),
    }]
}

#[derive(Serialize)]
struct TimelineViewContext<'a> {
    site: &'a SiteView,
    page: PageView,
    /// `timeline.json`'s address.
    data_url: String,
    /// `timelinejs-locale.json`'s.
    locale_url: String,
    /// The plain timeline's.
    timeline_url: String,
}

/// `timeline-view/`: the timeline shown by TimelineJS.
pub(super) fn timeline_view(r: &Renderer<'_>) -> Vec<Page> {
    let render = |r: &Renderer<'_>, previous: Option<Fingerprint>| {
        let routes = &r.timeline.routes;
        let context = TimelineViewContext {
            site: &r.site,
            page: r.site_page("interactive-timeline", routes.timeline_view().url),
            data_url: routes.timeline_data().url,
            locale_url: routes.timeline_locale().url,
            timeline_url: routes.home().url,
        };
        r.finish("timeline-view.html", &context, previous)
    };
    vec![Page {
        route: r.timeline.routes.timeline_view(),
        origin: generated("the interactive timeline page"),
        render: Box::new(render),
    }]
}

#[derive(Serialize)]
struct TermContext<'a> {
    site: &'a SiteView,
    page: PageView,
    taxonomy: TaxonomyView,
    term: TermView,
    /// The term's calendar, when it has an event known to the day.
    calendar_url: Option<String>,
    /// For a person with offices in the registry: the office held at each
    /// event on this page.
    offices_held: Vec<HeldView>,
    years: Vec<YearView<'a>>,
    pagination: PaginationView,
    filter: FilterView,
}

/// A series' sections numbered by each first entry's place in `all` (the
/// series' entries, in order); other listings as they are.
fn numbered<'a>(
    mut years: Vec<YearView<'a>>,
    all: Option<&Vec<usize>>,
    shown: &[usize],
    descending: bool,
) -> Vec<YearView<'a>> {
    let Some(all) = all else {
        return years;
    };
    let mut shown: Vec<usize> = shown.to_vec();
    if descending {
        shown.reverse();
    }
    let mut at = 0;
    for year in &mut years {
        year.start = shown
            .get(at)
            .and_then(|i| all.binary_search(i).ok())
            .map(|p| p + 1);
        at += year.entries.len();
    }
    years
}

/// A term's entries in pages: its page, and further pages by span.
fn term_listing(r: &Renderer<'_>, taxonomy: Taxonomy, index: usize) -> Listing {
    let term = &r.timeline.terms(taxonomy)[index];
    let routes = &r.timeline.routes;
    let first = routes.term(taxonomy, &term.slug);
    r.views.listing(&first, &term.entries, |span| {
        routes.listing_page(&first, span)
    })
}

/// A page per participant, place, tag and series, listing its entries.
pub(super) fn term_pages(r: &Renderer<'_>) -> Vec<Page> {
    let mut pages = Vec::new();
    for taxonomy in Taxonomy::ALL {
        for (index, term) in r.timeline.terms(taxonomy).iter().enumerate() {
            // Made once and shared by the term's pages: made again by each,
            // a term of n entries in n / page_size pages cost n² / page_size.
            let listing = std::sync::Arc::new(term_listing(r, taxonomy, index));
            // Once a term too: for a term with no entry on a day, each page
            // would walk all its entries to learn that it has no calendar.
            let calendar_url = term_calendar_url(r.timeline, taxonomy, index);
            for (p, page) in listing.pages.iter().enumerate() {
                let listing = std::sync::Arc::clone(&listing);
                let calendar_url = calendar_url.clone();
                let render = move |r: &Renderer<'_>, previous: Option<Fingerprint>| {
                    let term = &r.timeline.terms(taxonomy)[index];
                    let page = &listing.pages[p];
                    let count = term.entries.len();
                    let description = r.templates.language.count(
                        "entries-for-term",
                        count as u64,
                        &[("name", &term.name)],
                    );
                    let title = match listing.pages.len() {
                        1 => format!("{} — {}", term.name, r.site.title),
                        _ => format!("{}, {} — {}", term.name, page.label, r.site.title),
                    };
                    let context = TermContext {
                        site: &r.site,
                        page: r
                            .views
                            .page(title, Some(description), page.route.url.clone()),
                        taxonomy: r.views.taxonomy(taxonomy),
                        term: r.views.term(taxonomy, term),
                        calendar_url: calendar_url.clone(),
                        offices_held: r.views.offices_held(taxonomy, term, &page.entries),
                        years: numbered(
                            r.views.years(page.entries.iter().copied(), r.descending),
                            (taxonomy == Taxonomy::Series).then_some(&term.entries),
                            &page.entries,
                            r.descending,
                        ),
                        pagination: r.views.pagination(&listing, p, r.descending),
                        filter: r.views.filter(Some((taxonomy, term))),
                    };
                    r.finish("term.html", &context, previous)
                };
                pages.push(Page {
                    route: page.route.clone(),
                    origin: generated(&format!(
                        "the page of {} “{}”",
                        taxonomy.singular().to_lowercase(),
                        term.name
                    )),
                    render: Box::new(render),
                });
            }
        }
    }
    pages
}

#[derive(Serialize)]
struct TaxonomyContext<'a> {
    site: &'a SiteView,
    page: PageView,
    taxonomy: TaxonomyView,
    terms: Vec<TermView>,
    pagination: PaginationView,
}

/// A taxonomy's terms in pages of at most the page size, alphabetically:
/// the first at the taxonomy's own address.
fn taxonomy_listing(r: &Renderer<'_>, taxonomy: Taxonomy) -> Listing {
    let routes = &r.timeline.routes;
    let size = r.timeline.settings.page_size.max(1);
    let terms = r.timeline.terms(taxonomy);
    let pages = (0..terms.len().div_ceil(size).max(1))
        .map(|n| {
            let range = (n * size)..((n + 1) * size).min(terms.len());
            let label = match (
                terms.get(range.start),
                terms.get(range.end.saturating_sub(1)),
            ) {
                (Some(a), Some(b)) => format!("{} – {}", a.name, b.name),
                _ => String::new(),
            };
            ListingPage {
                route: match n {
                    0 => routes.taxonomy(taxonomy),
                    n => routes.taxonomy_page(taxonomy, n + 1),
                },
                entries: range.collect(),
                label,
            }
        })
        .collect();
    Listing { pages }
}

/// The index of each taxonomy that has terms.
pub(super) fn taxonomy_indexes(r: &Renderer<'_>) -> Vec<Page> {
    let mut pages = Vec::new();
    for taxonomy in Taxonomy::ALL {
        if r.timeline.terms(taxonomy).is_empty() {
            continue;
        }
        let listing = taxonomy_listing(r, taxonomy);
        for (p, page) in listing.pages.iter().enumerate() {
            let render = move |r: &Renderer<'_>, previous: Option<Fingerprint>| {
                let view = r.views.taxonomy(taxonomy);
                let listing = taxonomy_listing(r, taxonomy);
                let page = &listing.pages[p];
                let terms = r.timeline.terms(taxonomy);
                let title = match p {
                    0 => format!("{} — {}", view.name, r.site.title),
                    _ => format!("{}, {} — {}", view.name, page.label, r.site.title),
                };
                let context = TaxonomyContext {
                    site: &r.site,
                    page: r.views.page(
                        title,
                        Some(
                            r.templates
                                .language
                                .fill("taxonomy-description", &[("name", &view.name)]),
                        ),
                        page.route.url.clone(),
                    ),
                    terms: page
                        .entries
                        .iter()
                        .map(|&t| r.views.term(taxonomy, &terms[t]))
                        .collect(),
                    // Alphabetical: the display order of the timeline does not apply.
                    pagination: r.views.pagination(&listing, p, false),
                    taxonomy: view,
                };
                r.finish("taxonomy.html", &context, previous)
            };
            pages.push(Page {
                route: page.route.clone(),
                origin: generated(&format!("the {} index", taxonomy.dir())),
                render: Box::new(render),
            });
        }
    }
    pages
}

#[derive(Serialize)]
struct YearContext<'a> {
    site: &'a SiteView,
    page: PageView,
    year: i64,
    /// "2023", "44 BC".
    year_label: String,
    /// How many entries the year has.
    count: usize,
    /// This page's entries by the month they start in; those known only
    /// to the year come first, in a group of their own.
    months: Vec<MonthGroup<'a>>,
    /// Every year with a page, for the year bar.
    years: Vec<YearLink>,
    pagination: PaginationView,
}

#[derive(Serialize)]
struct MonthGroup<'a> {
    /// "March 2023", or "2023" for the entries known only to the year.
    label: String,
    /// `m2023-03`, or `m2023`.
    anchor: String,
    entries: Vec<EntryRef<'a>>,
}

#[derive(Serialize)]
struct YearLink {
    year: i64,
    label: String,
    url: String,
    current: bool,
}

/// A year's entries in pages: its page, and further pages by months.
fn year_listing(r: &Renderer<'_>, year: i64) -> Listing {
    let t = r.timeline;
    let first = t.entries.partition_point(|e| e.article.date.year() < year);
    let last = t.entries.partition_point(|e| e.article.date.year() <= year);
    let entries: Vec<usize> = (first..last).collect();
    let route = t.routes.year(year);
    r.views
        .listing(&route, &entries, |span| t.routes.listing_page(&route, span))
}

/// A page per year, listing that year's entries month by month.
pub(super) fn years(r: &Renderer<'_>) -> Vec<Page> {
    let mut pages = Vec::new();
    for year in r.views.year_pages() {
        // Made once and shared by the year's pages (see `term_pages`).
        let listing = std::sync::Arc::new(year_listing(r, year));
        for (p, page) in listing.pages.iter().enumerate() {
            let listing = std::sync::Arc::clone(&listing);
            let render = move |r: &Renderer<'_>, previous: Option<Fingerprint>| {
                let page = &listing.pages[p];
                let count: usize = listing.pages.iter().map(|p| p.entries.len()).sum();
                let language = &r.templates.language;
                let label = language.year(year);
                let description =
                    language.count("entries-in-year", count as u64, &[("year", &label)]);
                let title = match listing.pages.len() {
                    1 => format!("{label} — {}", r.site.title),
                    _ => format!("{} — {}", page.label, r.site.title),
                };
                let context = YearContext {
                    site: &r.site,
                    page: r
                        .views
                        .page(title, Some(description), page.route.url.clone()),
                    year,
                    year_label: label.clone(),
                    count,
                    months: month_groups(r, year, &page.entries),
                    years: year_links(r, year),
                    pagination: r.views.pagination(&listing, p, r.descending),
                };
                r.finish("year.html", &context, previous)
            };
            pages.push(Page {
                route: page.route.clone(),
                origin: generated(&format!("the page of {}", date::year_label(year))),
                render: Box::new(render),
            });
        }
    }
    pages
}

/// The entries at `indices` (all in `year`) grouped by the month they
/// start in, in display order.
fn month_groups<'r>(r: &'r Renderer<'_>, year: i64, indices: &[usize]) -> Vec<MonthGroup<'r>> {
    let mut groups: Vec<(Option<u32>, MonthGroup<'_>)> = Vec::new();
    for &i in indices {
        let month = r.timeline.entries[i].article.date.start().month();
        let group = match groups.iter().position(|(m, _)| *m == month) {
            Some(g) => g,
            None => {
                let (label, anchor) = match month {
                    Some(m) => (
                        r.templates.language.month_year(year, m),
                        format!("m{}-{m:02}", date::year_slug(year)),
                    ),
                    None => (
                        r.templates.language.year(year),
                        format!("m{}", date::year_slug(year)),
                    ),
                };
                let entries = Vec::new();
                groups.push((
                    month,
                    MonthGroup {
                        label,
                        anchor,
                        entries,
                    },
                ));
                groups.len() - 1
            }
        };
        groups[group].1.entries.push(r.views.entry(i));
    }
    // Entries known only to the year sort first (they start on 1 January),
    // but so could a January entry: order the groups by month explicitly.
    groups.sort_by_key(|(m, _)| *m);
    let mut groups: Vec<MonthGroup<'_>> = groups.into_iter().map(|(_, g)| g).collect();
    if r.descending {
        groups.reverse();
        for g in &mut groups {
            g.entries.reverse();
        }
    }
    groups
}

/// The year bar of a year page, in display order.
fn year_links(r: &Renderer<'_>, current: i64) -> Vec<YearLink> {
    let mut links: Vec<YearLink> = r
        .views
        .year_pages()
        .map(|year| YearLink {
            year,
            label: r.templates.language.year(year),
            url: r.timeline.routes.year(year).url,
            current: year == current,
        })
        .collect();
    if r.descending {
        links.reverse();
    }
    links
}
