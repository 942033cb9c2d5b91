//! The values templates receive: made for templates, not the model's types,
//! so the model can change without breaking every site's templates.
//!
//! Every field is always present (absent values are `null` or empty lists),
//! so templates never trip over an undefined variable. URLs are paths that
//! start with the site's base path.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::bodies::{Bodies, citable};
use crate::date::EventDate;
use crate::fingerprint::{self, Fingerprint, Hasher};
use crate::i18n::Language;
use crate::model::{Kind, Taxonomy};
use crate::routes::{self, Route, Routes};
use crate::timeline::{Entry, Term, Timeline};
use rayon::prelude::*;

#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// For `<time datetime>`: `2024`, `2024-07`, `2023-08-18`.
    pub datetime: String,
    /// For readers: "July 2024", "9–11 July 2024", "c. 2018".
    pub human: String,
    /// The date as written (EDTF), for machines.
    pub edtf: String,
}

impl DateView {
    pub fn of(date: &EventDate, language: &Language) -> Self {
        DateView {
            datetime: date.html_datetime(),
            human: language.date(date),
            edtf: date.to_string(),
        }
    }

    pub fn of_day(day: chrono::NaiveDate, language: &Language) -> Self {
        DateView::of(&EventDate::day(day), language)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub name: String,
    /// Null for a name beyond the most an article may give pages to.
    pub url: Option<String>,
}

/// How many participants, and how many tags, an entry shows in a listing;
/// the article's page shows them all.
pub const LISTING_NAMES: usize = 10;

#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    /// `held`, `planned`, `postponed`, `cancelled`.
    pub key: &'static str,
    /// The status in words.
    pub label: String,
}

/// An entry as the timeline and lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    pub id: String,
    /// The entry's `id` on the timeline page (`2023-camp-david-summit`).
    pub anchor: String,
    /// The article's page.
    pub url: String,
    /// The entry on the timeline page (`/#2023-camp-david-summit`).
    pub timeline_url: String,
    pub title: String,
    pub date: DateView,
    pub status: StatusView,
    /// `meeting` or `context`.
    pub kind: &'static str,
    pub is_context: bool,
    pub upcoming: bool,
    pub location: Option<LinkView>,
    /// The first few ([`LISTING_NAMES`]); `participants_more` says how
    /// many more the article names.
    pub participants: Vec<LinkView>,
    pub participants_more: usize,
    pub tags: Vec<LinkView>,
    pub tags_more: usize,
    pub series: Option<LinkView>,
    /// Every term the entry has a page under, by slug, for the filter.
    pub slugs: SlugsView,
    pub summary: String,
    /// The event's picture, if it has one.
    pub media: Option<MediaView>,
}

/// The slugs of the terms an entry is listed under, space-separated, one
/// string per taxonomy: every name with a page, not only the few a listing
/// shows, so the filter script reads them from the entry's `data-`
/// attributes. Slugs, not positions in the filter's index, so an entry's
/// rendering does not change when a term is added elsewhere.
#[derive(Debug, Clone, Serialize)]
pub struct SlugsView {
    pub participants: String,
    pub places: String,
    pub tags: String,
    pub series: String,
}

/// An event's picture as pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct MediaView {
    /// Its address: under the base path for an image in `static/`.
    pub url: String,
    /// The absolute address, for link previews (when the site has a base
    /// URL, or the image is on the web).
    pub permalink: Option<String>,
    pub alt: String,
    pub credit: Option<String>,
    pub caption: Option<String>,
    /// In pixels, read from a local image (null for one on the web).
    pub width: Option<u32>,
    pub height: Option<u32>,
}

fn record_view(r: &crate::model::RegistryRecord, language: &Language) -> RecordView {
    RecordView {
        native: r.native.as_ref().map(|n| NativeView {
            name: n.name.clone(),
            lang: n.lang.clone(),
        }),
        country: r.country.clone(),
        description: r.description.clone(),
        offices: r
            .offices
            .iter()
            .map(|o| OfficeView {
                title: o.title.clone(),
                from: o.from.map(|d| DateView::of_day(d, language)),
                to: o.to.map(|d| DateView::of_day(d, language)),
            })
            .collect(),
        coordinates: r.coordinates.map(|(lat, lon)| [lat, lon]),
    }
}

/// A link to another article with its date: earlier, later, related.
#[derive(Debug, Clone, Serialize)]
pub struct NeighbourView {
    pub title: String,
    pub url: String,
    pub date: DateView,
    pub is_context: bool,
}

/// An article's place in its series: "3 of 5", and the series' own
/// earlier and later events (the page's `rel` pair stays the timeline's).
#[derive(Debug, Clone, Serialize)]
pub struct SeriesNavView {
    pub name: String,
    pub url: String,
    /// 1-based, in chronological order.
    pub number: usize,
    pub count: usize,
    pub earlier: Option<NeighbourView>,
    pub later: Option<NeighbourView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// Its number on the page: sources are numbered as first cited, then
    /// those listed and not cited.
    pub number: usize,
    /// Its id on the page (`source-3`), which citations link to.
    pub anchor: String,
    /// The ids of the citations of it, for links back.
    pub backlinks: Vec<String>,
    pub title: String,
    pub publisher: Option<String>,
    pub date: Option<DateView>,
    pub url: Option<String>,
}

/// A body's HTML as a template sees it; while a page is fingerprinted,
/// the hash of that HTML instead, so a fingerprint never needs the body
/// itself (it is rendered only for a page that must be). The page asks for
/// the body's record (see [`Bodies::body`]) before either.
#[derive(Debug, Clone, Copy)]
pub struct BodyView<'t> {
    timeline: &'t Timeline,
    bodies: &'t Bodies,
    index: usize,
}

impl Serialize for BodyView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        if fingerprint::is_fingerprinting() {
            let record = self.bodies.body_record(self.index);
            let hash = record.ok_or_else(|| S::Error::custom("a body not yet rendered"))?;
            // The hash's bits, not its 32 hex digits: no string per body.
            serializer.serialize_u128(hash.hash.0)
        } else {
            let html = self.bodies.body_html(self.timeline, self.index);
            serializer.serialize_str(&html.map_err(|d| S::Error::custom(d.message))?)
        }
    }
}

/// An article as its page shows it: its entry's fields, and the rest.
#[derive(Debug, Clone)]
pub struct ArticleView<'v> {
    pub entry: EntryView,
    pub rest: ArticleRest<'v>,
}

/// Everything an article's page shows beyond its entry.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleRest<'v> {
    /// Every participant and tag (the entry shows only the first few).
    pub all_participants: Vec<LinkView>,
    pub all_tags: Vec<LinkView>,
    /// Rendered markdown: already safe HTML.
    pub body_html: BodyView<'v>,
    pub sources: Vec<SourceView>,
    pub related: Vec<NeighbourView>,
    /// The articles that link to this one or name it in `related`, in
    /// timeline order.
    pub referenced_by: Vec<NeighbourView>,
    /// Where the article stands in its series, if it is in one.
    pub series_nav: Option<SeriesNavView>,
    /// The chronologically earlier and later articles (`rel="prev"`/`"next"`).
    pub earlier: Option<NeighbourView>,
    pub later: Option<NeighbourView>,
    pub updated: Option<DateView>,
    /// The event's year as readers write it ("2023", "44 BC"), for the
    /// search's year filter.
    pub year: String,
}

impl Serialize for ArticleView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Full<'a> {
            #[serde(flatten)]
            entry: &'a EntryView,
            #[serde(flatten)]
            rest: &'a ArticleRest<'a>,
        }
        if fingerprint::is_fingerprinting() {
            (&self.entry, &self.rest).serialize(serializer)
        } else {
            Full {
                entry: &self.entry,
                rest: &self.rest,
            }
            .serialize(serializer)
        }
    }
}

/// An entry shown in a listing: its view's fields and `html`, the entry
/// rendered once through `entry.html`, as one value made once per build and
/// shared by every page that lists it. While a page is fingerprinted it
/// stands for the view by the view's own fingerprint, computed once.
///
/// Tera takes the value by reference however many pages list it: a listing
/// of ten thousand entries costs ten thousand pointer copies, not ten
/// thousand conversions.
#[derive(Clone, Copy)]
pub struct EntryRef<'v> {
    fingerprint: Fingerprint,
    index: usize,
    /// Where its value is made, when a page that shows it is rendered.
    views: &'v ViewBuilder<'v>,
}

/// An entry as listings hold it: the fingerprint of its view, its HTML,
/// and its value for templates (see [`listed_value`]), made the first time
/// a rendered page lists it: a page that is kept is fingerprinted from the
/// fingerprints alone, so an edit makes the values of the entries its
/// pages show, not of the whole timeline.
#[derive(Debug)]
pub struct ListedEntry {
    pub fingerprint: Fingerprint,
    html: Html,
    value: std::sync::OnceLock<tera::Value>,
}

/// Where a listed entry's HTML is.
#[derive(Debug)]
enum Html {
    Made(tera::Value),
    /// In the memo's store, under this key, not read yet.
    Stored(Fingerprint),
    /// Its `entry.html` failed (the build stops).
    Failed,
}

/// Where the listed entries' HTML comes from when it is not at hand: the
/// memo's store, or, should a fragment not read, `entry.html` again (the
/// same templates made it).
#[derive(Clone)]
pub struct EntrySource<'t> {
    pub templates: &'t super::Templates,
    pub stored: super::Stored,
}

impl ListedEntry {
    pub fn new(fingerprint: Fingerprint, html: tera::Value) -> ListedEntry {
        ListedEntry {
            fingerprint,
            html: Html::Made(html),
            value: std::sync::OnceLock::new(),
        }
    }

    /// An entry whose fragment an earlier build stored under `key`.
    pub fn stored(fingerprint: Fingerprint, key: Fingerprint) -> ListedEntry {
        ListedEntry {
            fingerprint,
            html: Html::Stored(key),
            value: std::sync::OnceLock::new(),
        }
    }

    /// An entry whose `entry.html` failed (the build stops).
    pub fn failed() -> ListedEntry {
        ListedEntry {
            fingerprint: Fingerprint::default(),
            html: Html::Failed,
            value: std::sync::OnceLock::new(),
        }
    }

    /// Gives it its value, made already.
    pub fn made(&self, value: tera::Value) {
        let _ = self.value.set(value);
    }
}

/// Values that many entries show, made once and shared: each term's link
/// and each status. Every entry's value is held while listings render, so
/// sharing these keeps the site's listings from costing kilobytes an entry.
#[derive(Debug, Default)]
pub struct SharedValues {
    /// By the term page's URL: the term's name and its link's value.
    links: HashMap<String, (String, tera::Value)>,
    statuses: HashMap<(&'static str, String), tera::Value>,
}

impl SharedValues {
    fn link(&self, link: &LinkView) -> tera::Value {
        let shared = link.url.as_ref().and_then(|url| self.links.get(url));
        match shared {
            Some((name, value)) if *name == link.name => value.clone(),
            _ => tera::Value::from_serializable(link),
        }
    }

    fn links(&self, links: &[LinkView]) -> tera::Value {
        tera::Value::from(links.iter().map(|l| self.link(l)).collect::<Vec<_>>())
    }

    fn optional_link(&self, link: Option<&LinkView>) -> tera::Value {
        link.map_or_else(tera::Value::none, |l| self.link(l))
    }

    fn status(&self, status: &StatusView) -> tera::Value {
        match self.statuses.get(&(status.key, status.label.clone())) {
            Some(value) => value.clone(),
            None => tera::Value::from_serializable(status),
        }
    }
}

impl std::fmt::Debug for EntryRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (f.debug_struct("EntryRef"))
            .field("fingerprint", &self.fingerprint)
            .field("index", &self.index)
            .finish()
    }
}

impl Serialize for EntryRef<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if fingerprint::is_fingerprinting() {
            // The key's bits, not its 32 hex digits: a build fingerprints
            // every listing page, and with them every entry they list.
            serializer.serialize_u128(self.fingerprint.0)
        } else {
            self.views.entry_value(self.index).serialize(serializer)
        }
    }
}

/// An entry as a listing hands it to Tera: the view's fields, and `html`.
/// [`EntryView`]'s fields, in order.
const ENTRY_FIELDS: [&str; 19] = [
    "id",
    "anchor",
    "url",
    "timeline_url",
    "title",
    "date",
    "status",
    "kind",
    "is_context",
    "upcoming",
    "location",
    "participants",
    "participants_more",
    "tags",
    "tags_more",
    "series",
    "slugs",
    "summary",
    "media",
];

/// Made for every entry and held while listings render, so it is kept
/// small: the scalar fields are serialized as a struct (its keys are
/// `&'static str`, not one allocation each as a flattened map's would be);
/// the links and the status are the shared values; `html` is the
/// fragment's own string, not a copy. The same value as serializing the
/// view with `html` added (a test holds the two equal).
pub fn listed_value(view: &EntryView, html: &tera::Value, shared: &SharedValues) -> tera::Value {
    #[derive(Serialize)]
    struct Scalars<'a> {
        id: &'a str,
        anchor: &'a str,
        url: &'a str,
        timeline_url: &'a str,
        title: &'a str,
        date: &'a DateView,
        kind: &'static str,
        is_context: bool,
        upcoming: bool,
        participants_more: usize,
        tags_more: usize,
        slugs: &'a SlugsView,
        summary: &'a str,
        media: Option<&'a MediaView>,
    }
    let scalars = Scalars {
        id: &view.id,
        anchor: &view.anchor,
        url: &view.url,
        timeline_url: &view.timeline_url,
        title: &view.title,
        date: &view.date,
        kind: view.kind,
        is_context: view.is_context,
        upcoming: view.upcoming,
        participants_more: view.participants_more,
        tags_more: view.tags_more,
        slugs: &view.slugs,
        summary: &view.summary,
        media: view.media.as_ref(),
    };
    // Our own view structs always serialize, as maps.
    let mut scalars = tera::Value::try_from_serializable(&scalars)
        .ok()
        .and_then(tera::Value::into_map)
        .unwrap_or_default();
    // In the view's field order, as serializing it gives them.
    let mut map = tera::Map::with_capacity(ENTRY_FIELDS.len() + 1);
    for field in ENTRY_FIELDS {
        let key = tera::value::Key::Str(field);
        let value = match field {
            "status" => shared.status(&view.status),
            "location" => shared.optional_link(view.location.as_ref()),
            "participants" => shared.links(&view.participants),
            "tags" => shared.links(&view.tags),
            "series" => shared.optional_link(view.series.as_ref()),
            _ => scalars.swap_remove(&key).unwrap_or_else(tera::Value::none),
        };
        map.insert(key, value);
    }
    map.insert(tera::value::Key::Str("html"), html.clone());
    tera::Value::from(map)
}

#[derive(Debug, Clone, Serialize)]
pub struct YearView<'v> {
    pub year: i64,
    /// "2023", "44 BC".
    pub label: String,
    /// `y2023`.
    pub anchor: String,
    /// The year's own page, when it has one.
    pub url: Option<String>,
    pub entries: Vec<EntryRef<'v>>,
    /// On a series' page, the number of the section's first entry in the
    /// series (the list counts down when the order is descending).
    pub start: Option<usize>,
    pub reversed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyView {
    /// `participants`, `places`, `tags`, `series`.
    pub key: &'static str,
    pub name: String,
    pub singular: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TermView {
    pub name: String,
    pub url: String,
    pub count: usize,
    /// What the registry says of it, if it has a record.
    pub record: Option<RecordView>,
}

/// A person's or a place's record, for its page.
#[derive(Debug, Clone, Serialize)]
pub struct RecordView {
    /// `{name, lang}`: the name in its own script, marked with its language.
    pub native: Option<NativeView>,
    pub country: Option<String>,
    pub description: Option<String>,
    pub offices: Vec<OfficeView>,
    /// `[latitude, longitude]`.
    pub coordinates: Option<[f64; 2]>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NativeView {
    pub name: String,
    pub lang: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OfficeView {
    pub title: String,
    pub from: Option<DateView>,
    pub to: Option<DateView>,
}

/// On a person's page, the office they held at one of its events.
#[derive(Debug, Clone, Serialize)]
pub struct HeldView {
    pub title: String,
    pub url: String,
    pub date: DateView,
    /// Null when the registry gives no office for the whole event.
    pub office: Option<String>,
    /// How many rows, from this one, hold the same office: the table
    /// shows it once for them all (a span); 0 on the rows it spans.
    pub rows: usize,
}

/// What every page knows about the site.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    /// `https://example.org/news`, or null.
    pub base_url: Option<String>,
    /// `/news`, or empty: the start of every link.
    pub base_path: String,
    /// The timeline page.
    pub home_url: String,
    pub as_of: DateView,
    /// The taxonomies that have terms, for navigation.
    pub taxonomies: Vec<TaxonomyView>,
    /// The exports a reader can follow.
    pub feeds: FeedsView,
    /// The search page, unless the settings turn search off.
    pub search_url: Option<String>,
}

/// The addresses of the site's exports; a feed is null without a base URL,
/// the calendar without an event known to the day.
#[derive(Debug, Clone, Serialize)]
pub struct FeedsView {
    pub atom: Option<String>,
    pub json: Option<String>,
    pub calendar: Option<String>,
    /// The timeline in TimelineJS.
    pub timeline_view: String,
}

/// What a page says about itself (its `<title>`, description, address).
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub title: String,
    pub description: Option<String>,
    /// The page's path, from the base path.
    pub url: String,
    /// The absolute address, when the site has a base URL.
    pub permalink: Option<String>,
    /// What the page is called in a link preview (Open Graph, Twitter
    /// cards): the title without the site's name.
    pub headline: String,
    /// `website`, or `article` on an article's page (Open Graph).
    pub kind: &'static str,
    /// An image for link previews (absolute), when the page has one, and
    /// its text alternative.
    pub image: Option<String>,
    pub image_alt: Option<String>,
    /// schema.org JSON-LD, escaped for a `<script>` element.
    pub json_ld: Option<String>,
    /// What the JSON-LD is made from, when it is made only if the page is
    /// (see [`Renderer::finish_then`](super::Renderer::finish_then)): it
    /// stands for the JSON-LD in the page's fingerprint, and templates
    /// never see it.
    #[serde(skip_serializing_if = "not_fingerprinted")]
    pub json_ld_key: Option<Fingerprint>,
    /// In a site of several languages, the page in each (this one too):
    /// empty otherwise.
    pub alternates: Vec<AlternateView>,
}

/// The same page in one of the site's languages, for `hreflang` links and
/// the language switcher.
#[derive(Debug, Clone, Serialize)]
pub struct AlternateView {
    /// The language tag: `ja`.
    pub lang: String,
    /// The language's name in itself: `日本語`.
    pub name: String,
    /// The page in that language, or that language's timeline when the
    /// page has no counterpart there.
    pub url: String,
    /// Its absolute address, when the site has a base URL.
    pub permalink: Option<String>,
    /// Whether `url` is this page's counterpart (an `hreflang` alternate),
    /// not merely that language's timeline.
    pub same: bool,
    /// Whether the head names it as an `hreflang` alternate: a counterpart,
    /// on a page that has one in some other language (a page alone in its
    /// language names none, not even itself).
    pub hreflang: bool,
    /// Whether it is this page's own language.
    pub current: bool,
}

/// One page of a listing: where it is, the entries it holds (chronological
/// indices, in order), and what it is called.
#[derive(Debug, Clone)]
pub struct ListingPage {
    pub route: Route,
    pub entries: Vec<usize>,
    /// "1990–1994", "March 2024".
    pub label: String,
}

/// A listing (the timeline, a year, a participant…) split into pages, in
/// chronological order. The last, the newest, is the one a reader lands on:
/// it has the listing's own address.
#[derive(Debug, Clone)]
pub struct Listing {
    pub pages: Vec<ListingPage>,
}

/// A link to one page of a listing.
#[derive(Debug, Clone, Serialize)]
pub struct PageLinkView {
    pub label: String,
    pub url: String,
    pub current: bool,
}

/// What the filter script on a timeline or term page needs: its index,
/// the script, and on a term's pages the term the listing is of (the
/// filter then works within its entries).
#[derive(Debug, Clone, Serialize)]
pub struct FilterView {
    /// `filter-index.json`'s address.
    pub index_url: String,
    /// `filter.js`'s.
    pub script_url: String,
    /// `participants`, `places`, `tags` or `series`, on a term's pages.
    pub taxonomy: Option<&'static str>,
    /// The term's slug, on its pages.
    pub term: Option<String>,
}

/// How a page of a listing links to the others, in display order; empty
/// for a listing of one page.
#[derive(Debug, Clone, Serialize)]
pub struct PaginationView {
    pub pages: Vec<PageLinkView>,
    /// The page before this one and the page after it (`rel="prev"` and
    /// `rel="next"`).
    pub previous: Option<PageLinkView>,
    pub next: Option<PageLinkView>,
}

/// A year in the timeline's year bar: the page and section that hold it.
#[derive(Debug, Clone, Serialize)]
pub struct YearLinkView {
    pub year: i64,
    /// "2023", "44 BC".
    pub label: String,
    /// `#y2023` on the page that holds it, else that page's address with it.
    pub url: String,
}

/// A year of the timeline: its label, and the timeline page of its first
/// entry.
struct YearMark {
    year: i64,
    label: String,
    page: usize,
}

/// The timeline's upcoming entries: the first (by index), and how many.
#[derive(Debug, Clone, Copy)]
pub struct Upcoming {
    pub first: Option<usize>,
    pub count: usize,
}

pub struct ViewBuilder<'t> {
    timeline: &'t Timeline,
    bodies: &'t Bodies,
    routes: &'t Routes,
    by_id: HashMap<&'t str, usize>,
    /// The timeline's pages, and for each entry the page that holds it.
    timeline_listing: Listing,
    timeline_page_of: Vec<usize>,
    /// Each year of the timeline, in order, with its label and the page
    /// of its first entry: the year bar of every timeline page, made once
    /// (not by a pass over every entry per page).
    timeline_years: Vec<YearMark>,
    upcoming: Upcoming,
    /// The years that have a page of their own: every year with an entry,
    /// unless an article's id claims its address.
    year_pages: BTreeSet<i64>,
    /// Each entry as listings show it, for templates (see
    /// [`ViewBuilder::set_listed`]).
    listed: Vec<ListedEntry>,
    /// The values the listed entries share (see [`SharedValues`]).
    shared: SharedValues,
    /// Where a listed entry's HTML not at hand is read.
    source: Option<EntrySource<'t>>,
    /// The site's language: dates and the words views hold.
    language: std::sync::Arc<Language>,
    /// Each entry's key (see [`ViewBuilder::entry_keys`]), made once.
    entry_keys: std::sync::OnceLock<Vec<Fingerprint>>,
    /// Each term's address, by taxonomy (in [`Taxonomy::ALL`]'s order).
    term_urls: std::sync::OnceLock<[Vec<String>; 4]>,
    /// What every page of the site shares (see [`ViewBuilder::site_key`]).
    site_key: std::sync::OnceLock<Fingerprint>,
}

impl<'t> ViewBuilder<'t> {
    pub fn new(
        timeline: &'t Timeline,
        bodies: &'t Bodies,
        language: std::sync::Arc<Language>,
    ) -> Self {
        let by_id: HashMap<&str, usize> = timeline
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.article.id.as_str(), i))
            .collect();
        let year_pages = timeline
            .entries
            .iter()
            .map(|e| e.article.date.year())
            .filter(|y| !by_id.contains_key(crate::date::year_slug(*y).as_str()))
            .collect();
        let mut views = ViewBuilder {
            routes: &timeline.routes,
            by_id,
            year_pages,
            timeline,
            bodies,
            timeline_listing: Listing { pages: Vec::new() },
            timeline_page_of: Vec::new(),
            timeline_years: Vec::new(),
            upcoming: Upcoming {
                first: timeline.entries.iter().position(|e| e.upcoming),
                count: timeline.entries.iter().filter(|e| e.upcoming).count(),
            },
            listed: Vec::new(),
            shared: SharedValues::default(),
            source: None,
            language,
            entry_keys: std::sync::OnceLock::new(),
            term_urls: std::sync::OnceLock::new(),
            site_key: std::sync::OnceLock::new(),
        };
        let all: Vec<usize> = (0..timeline.entries.len()).collect();
        views.timeline_listing = views.listing(&timeline.routes.home(), &all, |span| {
            timeline.routes.timeline_page(span)
        });
        views.timeline_page_of = vec![0; timeline.entries.len()];
        for (p, page) in views.timeline_listing.pages.iter().enumerate() {
            for &i in &page.entries {
                views.timeline_page_of[i] = p;
            }
        }
        views.timeline_years = views.year_marks();
        views
    }

    /// Each year of the timeline, in order, with the page of its first
    /// entry (`timeline_page_of` made).
    fn year_marks(&self) -> Vec<YearMark> {
        let mut marks: Vec<YearMark> = Vec::new();
        for (i, e) in self.timeline.entries.iter().enumerate() {
            let year = e.article.date.year();
            if marks.last().is_none_or(|y| y.year != year) {
                marks.push(YearMark {
                    year,
                    label: self.language.year(year),
                    page: self.timeline_page_of[i],
                });
            }
        }
        marks
    }

    /// The first upcoming entry, and how many entries are upcoming.
    pub fn upcoming(&self) -> Upcoming {
        self.upcoming
    }

    /// The values entries share in listings: each term's link, each
    /// status.
    pub fn shared_values(&self) -> SharedValues {
        let mut shared = SharedValues::default();
        for taxonomy in Taxonomy::ALL {
            for term in self.timeline.terms(taxonomy) {
                let link = LinkView {
                    name: term.name.clone(),
                    url: Some(self.routes.term(taxonomy, &term.slug).url),
                };
                let value = tera::Value::from_serializable(&link);
                let url = link.url.expect("just set");
                shared.links.insert(url, (link.name, value));
            }
        }
        for e in &self.timeline.entries {
            let status = StatusView {
                key: e.status.key(),
                label: self
                    .language
                    .label(e.status.label_key(e.article.kind))
                    .to_string(),
            };
            shared
                .statuses
                .entry((status.key, status.label.clone()))
                .or_insert_with(|| tera::Value::from_serializable(&status));
        }
        shared
    }

    /// `entries` (chronological indices, in order) split into pages of at
    /// most the page size: the newest at `first`, the others where
    /// `further` puts them by their span.
    pub fn listing(
        &self,
        first: &Route,
        entries: &[usize],
        further: impl Fn(&str) -> Route,
    ) -> Listing {
        let chunks = self.chunks(entries);
        let last = chunks.len().saturating_sub(1);
        let mut pages: Vec<ListingPage> = chunks
            .into_iter()
            .enumerate()
            .map(|(n, chunk)| ListingPage {
                route: if n == last {
                    first.clone()
                } else {
                    further(&chunk.span)
                },
                entries: entries[chunk.range].to_vec(),
                label: chunk.label,
            })
            .collect();
        if pages.is_empty() {
            pages.push(ListingPage {
                route: first.clone(),
                entries: Vec::new(),
                label: String::new(),
            });
        }
        Listing { pages }
    }

    /// How a listing of `entries` (in order) splits into pages.
    fn chunks(&self, entries: &[usize]) -> Vec<crate::paginate::Chunk> {
        let keys: Vec<crate::paginate::Key> = entries
            .iter()
            .map(|&i| {
                let day = self.timeline.entries[i].article.date.first_day();
                (day.year, day.month)
            })
            .collect();
        crate::paginate::paginate(&keys, self.timeline.settings.page_size, &self.language)
    }

    /// How many entries each page of a listing of `entries` holds, in
    /// chronological order; empty for a listing of one page. The filter
    /// script counts the matches on other pages by these (see
    /// `filter-index.json`): in the pages' links, they would change every
    /// page of a listing whenever one of them gains an entry.
    pub fn page_sizes(&self, entries: &[usize]) -> Vec<usize> {
        let chunks = self.chunks(entries);
        if chunks.len() < 2 {
            return Vec::new();
        }
        chunks.into_iter().map(|c| c.range.len()).collect()
    }

    /// The timeline's pages.
    pub fn timeline_listing(&self) -> &Listing {
        &self.timeline_listing
    }

    /// Where an entry is on the timeline: its page, and its anchor there.
    fn on_timeline(&self, id: &str, page: usize) -> String {
        let url = &self.timeline_listing.pages[page].route.url;
        format!("{url}#{}", routes::anchor(id))
    }

    /// How page `current` of `listing` links to the others, in display order.
    pub fn pagination(
        &self,
        listing: &Listing,
        current: usize,
        descending: bool,
    ) -> PaginationView {
        let mut pages: Vec<PageLinkView> = listing
            .pages
            .iter()
            .enumerate()
            .map(|(n, p)| PageLinkView {
                label: p.label.clone(),
                url: p.route.url.clone(),
                current: n == current,
            })
            .collect();
        if pages.len() < 2 {
            return PaginationView {
                pages: Vec::new(),
                previous: None,
                next: None,
            };
        }
        if descending {
            pages.reverse();
        }
        let at = pages.iter().position(|p| p.current).unwrap_or(0);
        PaginationView {
            previous: at.checked_sub(1).map(|i| pages[i].clone()),
            next: pages.get(at + 1).cloned(),
            pages,
        }
    }

    /// The timeline's year bar, as seen from timeline page `current`.
    pub fn year_bar(&self, current: usize, descending: bool) -> Vec<YearLinkView> {
        let mut bar: Vec<YearLinkView> = (self.timeline_years.iter())
            .map(|mark| {
                let anchor = routes::year_anchor(mark.year);
                let url = if mark.page == current {
                    format!("#{anchor}")
                } else {
                    format!(
                        "{}#{anchor}",
                        self.timeline_listing.pages[mark.page].route.url
                    )
                };
                YearLinkView {
                    year: mark.year,
                    label: mark.label.clone(),
                    url,
                }
            })
            .collect();
        if descending {
            bar.reverse();
        }
        bar
    }

    /// How many entries the timeline has.
    pub fn len(&self) -> usize {
        self.timeline.entries.len()
    }

    /// Each entry's key: everything its view as listings show it
    /// ([`make_entry`](Self::make_entry)) is made from, hashed without
    /// making the view. It holds everything an entry shows of itself
    /// anywhere (a neighbour's link shows less). Made once, in parallel,
    /// after every body's record is known (an entry's summary may come
    /// from its body).
    pub fn entry_keys(&self) -> &[Fingerprint] {
        self.entry_keys.get_or_init(|| {
            let site = self.site_key();
            (0..self.len())
                .into_par_iter()
                .map(|i| {
                    // A body that does not render leaves no summary; its
                    // error stops the build elsewhere.
                    let _ = self.bodies.body(self.timeline, i);
                    self.entry_key(site, i)
                })
                .collect()
        })
    }

    /// The inputs of entry `index`'s view: what every page shares (the
    /// settings, language, addresses and as-of date, from which with its
    /// fields follow its status and whether it is upcoming), its file's
    /// path and bytes (which hold every field), its body's record (its
    /// summary), the address of the timeline page that holds it, the
    /// slugs of the terms it names (their addresses), and its picture's
    /// size (read from the picture, not the article).
    fn entry_key(&self, site: Fingerprint, index: usize) -> Fingerprint {
        let e = &self.timeline.entries[index];
        let mut h = Hasher::new();
        h.fingerprint(site)
            .part(e.article.path.as_os_str().as_encoded_bytes())
            .fingerprint(e.article.source_hash)
            .fingerprint(self.body_key(index))
            .part(self.timeline_url(index).as_bytes());
        for taxonomy in Taxonomy::ALL {
            let terms = self.timeline.terms(taxonomy);
            h.part(&(e.terms(taxonomy).len() as u64).to_le_bytes());
            for &t in e.terms(taxonomy) {
                h.part(terms[t].slug.as_bytes());
            }
        }
        match e.media_size {
            Some((w, h_)) => h.part(b"+").part(&w.to_le_bytes()).part(&h_.to_le_bytes()),
            None => h.part(b"-"),
        };
        h.finish()
    }

    /// The key of entry `index`'s body record, if it is known.
    fn body_key(&self, index: usize) -> Fingerprint {
        (self.bodies.body_record(index)).map_or_else(Fingerprint::default, |r| r.key)
    }

    /// What every page shares beyond its own context: the settings (with
    /// the registries and the site's sources), the as-of date, the
    /// addresses, and the other languages' pages (for `hreflang`).
    fn site_key(&self) -> Fingerprint {
        *self.site_key.get_or_init(|| {
            let t = self.timeline;
            let mut h = Hasher::new();
            h.part(format!("{:?}", t.settings).as_bytes())
                .part(t.as_of.to_string().as_bytes())
                .part(format!("{:?}", t.routes).as_bytes())
                .fingerprint(crate::fingerprint::of(&self.site()));
            for other in &t.editions {
                h.part(other.language.as_bytes())
                    .part(format!("{:?}", other.routes).as_bytes());
                let mut pages: Vec<&String> = other.pages.iter().collect();
                pages.sort_unstable();
                for page in pages {
                    h.part(page.as_bytes());
                }
            }
            h.finish()
        })
    }

    /// The key of entry `index`'s article page: every input its page is
    /// made from, without making it. Its own entry and article (its file's
    /// bytes and path, which hold every field), its body's record, the
    /// names and addresses of all its terms, the entries it links to as
    /// neighbours (earlier, later, related, referencing, in its series,
    /// with its place there), whether its year has a page, and what every
    /// page shares. The templates are the caller's to add.
    pub fn article_key(&self, index: usize) -> Fingerprint {
        let keys = self.entry_keys();
        let t = self.timeline;
        let e = &t.entries[index];
        let mut h = Hasher::new();
        h.fingerprint(keys[index]);
        // A neighbour stands in by its entry key alone, which holds all it
        // shows; not by its index, which every earlier insertion shifts.
        let entry = |h: &mut Hasher, i: Option<usize>| {
            match i.and_then(|i| keys.get(i)) {
                Some(key) => h.part(b"+").fingerprint(*key),
                None => h.part(b"-"),
            };
        };
        entry(&mut h, index.checked_sub(1));
        entry(&mut h, Some(index + 1));
        for r in &e.article.related {
            entry(&mut h, self.by_id.get(r.value.as_str()).copied());
        }
        for &i in &e.referenced_by {
            entry(&mut h, Some(i));
        }
        if let Some(&s) = e.terms(Taxonomy::Series).first() {
            let term = &t.terms(Taxonomy::Series)[s];
            let at = term.entries.binary_search(&index).ok();
            let place = at.map_or(u64::MAX, |a| a as u64);
            h.part(&place.to_le_bytes())
                .part(&(term.entries.len() as u64).to_le_bytes());
            entry(
                &mut h,
                at.and_then(|a| a.checked_sub(1)).map(|p| term.entries[p]),
            );
            entry(&mut h, at.and_then(|a| term.entries.get(a + 1).copied()));
        }
        for taxonomy in Taxonomy::ALL {
            for &i in e.terms(taxonomy) {
                let term = &t.terms(taxonomy)[i];
                h.part(term.name.as_bytes())
                    .part(term.slug.as_bytes())
                    .part(&term.record.map_or(u64::MAX, |r| r as u64).to_le_bytes());
            }
            h.part(b"|");
        }
        let year = e.article.date.year();
        h.part(&year.to_le_bytes())
            .part(&[u8::from(self.year_pages.contains(&year))]);
        h.finish()
    }

    pub fn is_empty(&self) -> bool {
        self.timeline.entries.is_empty()
    }

    /// The key of a listing's JSON-LD (see `exports::json_ld::timeline_json_ld`):
    /// its name, what every page shares, and each entry it lists, in
    /// order, by its entry key and its file (whose bytes hold every field
    /// the JSON-LD reads).
    pub fn listing_ld_key(&self, indices: &[usize], name: &str) -> Fingerprint {
        let keys = self.entry_keys();
        let mut h = Hasher::new();
        h.fingerprint(self.site_key()).part(name.as_bytes());
        for &i in indices {
            let a = &self.timeline.entries[i].article;
            h.fingerprint(keys[i])
                .fingerprint(a.source_hash)
                .part(a.path.as_os_str().as_encoded_bytes());
        }
        h.finish()
    }

    /// Entry `index` as every listing shows it (once listings are set).
    pub fn entry(&self, index: usize) -> EntryRef<'_> {
        EntryRef {
            fingerprint: self.listed[index].fingerprint,
            index,
            views: self,
        }
    }

    /// Entry `index`'s value for templates, made the first time a page
    /// that shows it is rendered (see [`ListedEntry`]).
    fn entry_value(&self, index: usize) -> &tera::Value {
        let listed = &self.listed[index];
        listed.value.get_or_init(|| match &listed.html {
            Html::Made(html) => listed_value(&self.make_entry(index), html, &self.shared),
            Html::Stored(key) => {
                let view = self.make_entry(index);
                let html = self.source.as_ref().and_then(|source| {
                    let stored = source.stored.0.as_ref();
                    (stored.and_then(|s| s.html(*key))).or_else(|| {
                        let html = super::render_entry(source.templates, &view).ok()?;
                        Some(tera::Value::from(html))
                    })
                });
                // Rendered once already with these templates: it renders.
                let html = html.unwrap_or_else(|| tera::Value::from(""));
                listed_value(&view, &html, &self.shared)
            }
            Html::Failed => tera::Value::none(),
        })
    }

    /// Where entry `index` is on the timeline: its page and anchor.
    pub fn timeline_url(&self, index: usize) -> String {
        let id = &self.timeline.entries[index].article.id;
        self.on_timeline(id, self.timeline_page_of[index])
    }

    /// Gives each entry (by chronological index) the value listings hand
    /// templates (see [`listed_value`]).
    pub fn set_listed(
        &mut self,
        listed: Vec<ListedEntry>,
        shared: SharedValues,
        source: Option<EntrySource<'t>>,
    ) {
        self.listed = listed;
        self.shared = shared;
        self.source = source;
    }

    /// The years with a page of their own, in chronological order.
    pub fn year_pages(&self) -> impl Iterator<Item = i64> + '_ {
        self.year_pages.iter().copied()
    }

    pub fn site(&self) -> SiteView {
        let s = &self.timeline.settings;
        SiteView {
            title: s.title.clone(),
            description: s.description.clone(),
            language: s.language.clone(),
            base_url: s.base_url.clone(),
            base_path: self.routes.base_path().to_string(),
            home_url: self.routes.home().url,
            as_of: DateView::of_day(self.timeline.as_of, &self.language),
            taxonomies: Taxonomy::ALL
                .iter()
                .filter(|t| !self.timeline.terms(**t).is_empty())
                .map(|t| self.taxonomy(*t))
                .collect(),
            feeds: FeedsView {
                atom: self.routes.origin().map(|_| self.routes.atom().url),
                json: self.routes.origin().map(|_| self.routes.json_feed().url),
                calendar: calendar_url(self.timeline),
                timeline_view: self.routes.timeline_view().url,
            },
            search_url: s.search.then(|| self.routes.search().url),
        }
    }

    pub fn page(&self, title: String, description: Option<String>, url: String) -> PageView {
        let headline = match title.rsplit_once(" — ") {
            Some((head, site)) if site == self.timeline.settings.title => head.to_string(),
            _ => title.clone(),
        };
        let alternates = self.alternates(&url);
        PageView {
            permalink: self.routes.permalink(&url),
            title,
            description,
            url,
            headline,
            kind: "website",
            image: None,
            image_alt: None,
            json_ld: None,
            json_ld_key: None,
            alternates,
        }
    }

    /// The page at `url` in each of the site's languages: the page at the
    /// same address in that language where it has one (the same article,
    /// year, term or listing page), else that language's timeline.
    fn alternates(&self, url: &str) -> Vec<AlternateView> {
        let editions = &self.timeline.editions;
        let own_root = self.routes.language_root();
        let Some(rel) = url.strip_prefix(&own_root) else {
            return Vec::new();
        };
        let own = &self.timeline.settings.language;
        // Only pages are paired (`404.html` is not: the switcher there goes
        // to each language's timeline).
        let paired = |other: &crate::translations::Other| {
            (rel.is_empty() || rel.ends_with('/')) && other.pages.contains(rel)
        };
        let hreflang = editions.iter().filter(|o| paired(o)).count() > 1;
        editions
            .iter()
            .map(|other| {
                let same = paired(other);
                let url = match same {
                    true => format!("{}{rel}", other.routes.language_root()),
                    false => other.routes.home().url,
                };
                AlternateView {
                    lang: other.language.clone(),
                    name: other.name.clone(),
                    permalink: self.routes.permalink(&url),
                    url,
                    same,
                    hreflang: same && hreflang,
                    current: other.language == *own,
                }
            })
            .collect()
    }

    pub fn taxonomy(&self, t: Taxonomy) -> TaxonomyView {
        TaxonomyView {
            key: t.dir(),
            name: self.language.label(t.plural_key()).to_string(),
            singular: self.language.label(t.singular_key()).to_string(),
            url: self.routes.taxonomy(t).url,
        }
    }

    pub fn term(&self, taxonomy: Taxonomy, term: &Term) -> TermView {
        TermView {
            name: term.name.clone(),
            url: self.routes.term(taxonomy, &term.slug).url,
            count: term.entries.len(),
            record: term.record.and_then(|i| {
                let registry = crate::timeline::registry_of(&self.timeline.settings, taxonomy)?;
                Some(record_view(&registry.records[i], &self.language))
            }),
        }
    }

    /// For a person with offices in the registry, the office held at each
    /// of `entries` (on every day of the event); empty otherwise.
    pub fn offices_held(
        &self,
        taxonomy: Taxonomy,
        term: &Term,
        entries: &[usize],
    ) -> Vec<HeldView> {
        let Some(record) = term.record.and_then(|i| {
            let registry = crate::timeline::registry_of(&self.timeline.settings, taxonomy)?;
            registry.records.get(i)
        }) else {
            return Vec::new();
        };
        if record.offices.is_empty() {
            return Vec::new();
        }
        let mut held = entries
            .iter()
            .map(|&i| {
                let e = &self.timeline.entries[i];
                let (first, last) = (
                    e.article.date.first_day().naive(),
                    e.article.date.last_day().naive(),
                );
                let office = match (first, last) {
                    (Some(first), Some(last)) => {
                        record.offices.iter().find(|o| o.held(first, last))
                    }
                    _ => None,
                };
                HeldView {
                    title: e.article.title.clone(),
                    url: self.routes.article(&e.article.id).url,
                    date: DateView::of(&e.article.date, &self.language),
                    office: office.map(|o| o.title.clone()),
                    rows: 1,
                }
            })
            .collect::<Vec<_>>();
        span_offices(&mut held);
        held
    }

    /// The entry's names in one taxonomy, as written in the article, each
    /// linked to its term's page.
    /// The first `limit` of them, and the names beyond the most that get
    /// pages as text.
    fn term_links(&self, e: &Entry, taxonomy: Taxonomy, limit: usize) -> Vec<LinkView> {
        let linked = e.terms(taxonomy);
        e.article
            .names(taxonomy)
            .iter()
            .take(limit)
            .enumerate()
            .map(|(n, name)| LinkView {
                name: name.value.clone(),
                url: linked
                    .get(n)
                    .map(|&t| self.term_url(taxonomy, t).to_string()),
            })
            .collect()
    }

    /// The address of term `term` of `taxonomy`, made once a build: the
    /// entries link their terms tens of thousands of times, to a few
    /// hundred pages.
    fn term_url(&self, taxonomy: Taxonomy, term: usize) -> &str {
        let urls = self.term_urls.get_or_init(|| {
            Taxonomy::ALL.map(|taxonomy| {
                (self.timeline.terms(taxonomy).iter())
                    .map(|term| self.routes.term(taxonomy, &term.slug).url)
                    .collect()
            })
        });
        let at = Taxonomy::ALL.iter().position(|t| *t == taxonomy);
        at.and_then(|at| urls[at].get(term))
            .map_or("", String::as_str)
    }

    /// How many of the article's names in `taxonomy` a listing leaves out.
    fn names_beyond(e: &Entry, taxonomy: Taxonomy) -> usize {
        e.article
            .names(taxonomy)
            .len()
            .saturating_sub(LISTING_NAMES)
    }

    /// The view of entry `index`, as listings show it. Its body must be
    /// rendered (its summary may be the body's first paragraph).
    pub fn make_entry(&self, index: usize) -> EntryView {
        let e = &self.timeline.entries[index];
        let a = &e.article;
        EntryView {
            id: a.id.clone(),
            anchor: routes::anchor(&a.id),
            url: self.routes.article(&a.id).url,
            timeline_url: self.on_timeline(&a.id, self.timeline_page_of[index]),
            title: a.title.clone(),
            date: DateView::of(&a.date, &self.language),
            status: StatusView {
                key: e.status.key(),
                label: self.language.label(e.status.label_key(a.kind)).to_string(),
            },
            kind: a.kind.key(),
            is_context: a.kind == Kind::Context,
            upcoming: e.upcoming,
            location: self.term_links(e, Taxonomy::Places, 1).into_iter().next(),
            participants: self.term_links(e, Taxonomy::Participants, LISTING_NAMES),
            participants_more: Self::names_beyond(e, Taxonomy::Participants),
            tags: self.term_links(e, Taxonomy::Tags, LISTING_NAMES),
            tags_more: Self::names_beyond(e, Taxonomy::Tags),
            series: self.term_links(e, Taxonomy::Series, 1).into_iter().next(),
            slugs: self.slugs(e),
            summary: self.bodies.summary(self.timeline, index).to_string(),
            media: self.media(e),
        }
    }

    /// The slugs of every term entry `e` is listed under.
    fn slugs(&self, e: &Entry) -> SlugsView {
        let of = |taxonomy: Taxonomy| {
            let terms = self.timeline.terms(taxonomy);
            let slugs: Vec<&str> = e
                .terms(taxonomy)
                .iter()
                .map(|&t| terms[t].slug.as_str())
                .collect();
            slugs.join(" ")
        };
        SlugsView {
            participants: of(Taxonomy::Participants),
            places: of(Taxonomy::Places),
            tags: of(Taxonomy::Tags),
            series: of(Taxonomy::Series),
        }
    }

    /// What the filter script needs on the timeline (`term` none) or on
    /// a term's pages.
    pub fn filter(&self, term: Option<(Taxonomy, &Term)>) -> FilterView {
        FilterView {
            index_url: self.routes.filter_index().url,
            script_url: self.routes.asset(super::statics::FILTER_SCRIPT),
            taxonomy: term.map(|(taxonomy, _)| taxonomy.dir()),
            term: term.map(|(_, t)| t.slug.clone()),
        }
    }

    fn media(&self, e: &Entry) -> Option<MediaView> {
        let m = e.article.media.as_ref()?;
        Some(MediaView {
            permalink: self.routes.media_permalink(m),
            url: self.routes.media_url(m),
            alt: m.alt.clone(),
            credit: m.credit.clone(),
            caption: m.caption.clone(),
            width: e.media_size.map(|(w, _)| w),
            height: e.media_size.map(|(_, h)| h),
        })
    }

    pub fn neighbour(&self, e: &Entry) -> NeighbourView {
        NeighbourView {
            title: e.article.title.clone(),
            url: self.routes.article(&e.article.id).url,
            date: DateView::of(&e.article.date, &self.language),
            is_context: e.article.kind == Kind::Context,
        }
    }

    /// An article's sources as its page lists them: those its body
    /// cites, in the order first cited, then those it lists and does not
    /// cite (a source listed by id alone shows the site's record).
    fn sources(&self, index: usize) -> Vec<SourceView> {
        let settings = &self.timeline.settings;
        let article = &self.timeline.entries[index].article;
        let cited = (self.bodies.body_record(index)).map_or(&[][..], |r| r.cited.as_slice());
        let mut out: Vec<SourceView> = Vec::new();
        let mut push = |source: &crate::model::Source, backlinks: Vec<String>| {
            let number = out.len() + 1;
            out.push(SourceView {
                number,
                anchor: format!("source-{number}"),
                backlinks,
                title: source.title.clone(),
                publisher: source.publisher.clone(),
                date: source
                    .date
                    .as_ref()
                    .map(|d| DateView::of(d, &self.language)),
                url: source.url.clone(),
            });
        };
        for (id, anchors) in cited {
            if let Some(source) = citable(settings, article, id) {
                push(source, anchors.clone());
            }
        }
        for source in &article.sources {
            if source
                .id
                .as_ref()
                .is_some_and(|id| cited.iter().any(|(c, _)| c == id))
            {
                continue;
            }
            let id = source.id.as_deref().unwrap_or_default();
            match source.title.is_empty() {
                true => {
                    if let Some(s) = citable(settings, article, id) {
                        push(s, Vec::new());
                    }
                }
                false => push(source, Vec::new()),
            }
        }
        out
    }

    /// The article at `index` in chronological order, with its neighbours.
    /// Its body must be rendered (for the summary).
    pub fn article(&self, index: usize) -> ArticleView<'_> {
        let entries = &self.timeline.entries;
        let e = &entries[index];
        let entry = self.make_entry(index);
        let rest = ArticleRest {
            all_participants: self.term_links(e, Taxonomy::Participants, usize::MAX),
            all_tags: self.term_links(e, Taxonomy::Tags, usize::MAX),
            body_html: BodyView {
                timeline: self.timeline,
                bodies: self.bodies,
                index,
            },
            sources: self.sources(index),
            related: e
                .article
                .related
                .iter()
                .filter_map(|r| self.by_id.get(r.value.as_str()))
                .map(|&i| self.neighbour(&entries[i]))
                .collect(),
            referenced_by: e
                .referenced_by
                .iter()
                .map(|&i| self.neighbour(&entries[i]))
                .collect(),
            series_nav: self.series_nav(index),
            earlier: index.checked_sub(1).map(|i| self.neighbour(&entries[i])),
            later: entries.get(index + 1).map(|x| self.neighbour(x)),
            updated: e
                .article
                .updated
                .map(|d| DateView::of_day(d, &self.language)),
            year: crate::date::year_label(e.article.date.year()),
        };
        ArticleView { entry, rest }
    }

    /// Entry `index`'s place in its series.
    fn series_nav(&self, index: usize) -> Option<SeriesNavView> {
        let e = &self.timeline.entries[index];
        let &t = e.terms(Taxonomy::Series).first()?;
        let term = &self.timeline.terms(Taxonomy::Series)[t];
        let at = term.entries.binary_search(&index).ok()?;
        let entries = &self.timeline.entries;
        Some(SeriesNavView {
            name: term.name.clone(),
            url: self.routes.term(Taxonomy::Series, &term.slug).url,
            number: at + 1,
            count: term.entries.len(),
            earlier: at
                .checked_sub(1)
                .map(|p| self.neighbour(&entries[term.entries[p]])),
            later: term
                .entries
                .get(at + 1)
                .map(|&i| self.neighbour(&entries[i])),
        })
    }

    /// Entries grouped by year, in display order.
    pub fn years(
        &self,
        indices: impl Iterator<Item = usize>,
        descending: bool,
    ) -> Vec<YearView<'_>> {
        let mut years: Vec<YearView> = Vec::new();
        let mut indices: Vec<usize> = indices.collect();
        if descending {
            indices.reverse();
        }
        for i in indices {
            let e = &self.timeline.entries[i];
            let year = e.article.date.year();
            if years.last().is_none_or(|y| y.year != year) {
                years.push(YearView {
                    year,
                    label: self.language.year(year),
                    anchor: routes::year_anchor(year),
                    url: self
                        .year_pages
                        .contains(&year)
                        .then(|| self.routes.year(year).url),
                    entries: Vec::new(),
                    start: None,
                    reversed: descending,
                });
            }
            years
                .last_mut()
                .expect("just pushed")
                .entries
                .push(self.entry(i));
        }
        years
    }
}

/// Runs of rows with the same office: the first row of each spans them.
fn span_offices(held: &mut [HeldView]) {
    let mut start = 0;
    while start < held.len() {
        let end = (start..held.len())
            .find(|&i| held[i].office != held[start].office)
            .unwrap_or(held.len());
        held[start].rows = end - start;
        for row in &mut held[start + 1..end] {
            row.rows = 0;
        }
        start = end;
    }
}

/// Whether a field that stands in a fingerprint only is left out: always,
/// except while a page is fingerprinted.
fn not_fingerprinted<T>(value: &Option<T>) -> bool {
    value.is_none() || !fingerprint::is_fingerprinting()
}

/// The address of the site's calendar, if it has one (an event known to
/// the day).
pub fn calendar_url(t: &Timeline) -> Option<String> {
    t.entries
        .iter()
        .any(|e| e.article.date.in_calendar())
        .then(|| t.routes.calendar().url)
}

/// The address of a term's calendar, if it has one.
pub fn term_calendar_url(t: &Timeline, taxonomy: Taxonomy, term: usize) -> Option<String> {
    let term = &t.terms(taxonomy)[term];
    term.entries
        .iter()
        .any(|&i| t.entries[i].article.date.in_calendar())
        .then(|| t.routes.term_calendar(taxonomy, &term.slug).url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(name: &str, url: Option<&str>) -> LinkView {
        LinkView {
            name: name.into(),
            url: url.map(Into::into),
        }
    }

    /// The listed value is built by hand from shared parts; templates must
    /// see exactly the view's fields and `html`, as serializing gives them.
    fn sample_view() -> EntryView {
        EntryView {
            id: "2023/camp-david-summit".into(),
            anchor: "2023-camp-david-summit".into(),
            url: "/2023/camp-david-summit/".into(),
            timeline_url: "/#2023-camp-david-summit".into(),
            title: "The Camp David summit".into(),
            date: DateView::of(
                &EventDate::parse("2023-08-18").unwrap(),
                &Language::english(),
            ),
            status: StatusView {
                key: "held",
                label: "Held".into(),
            },
            kind: "meeting",
            is_context: false,
            upcoming: false,
            location: Some(link("Camp David", Some("/places/camp-david/"))),
            participants: vec![
                link("Joe Biden", Some("/participants/joe-biden/")),
                link("Fumio Kishida", Some("/participants/fumio-kishida/")),
                link("Beyond the limit", None),
            ],
            participants_more: 2,
            tags: vec![link("security", Some("/tags/security/"))],
            tags_more: 0,
            series: None,
            slugs: SlugsView {
                participants: "joe-biden fumio-kishida".into(),
                places: "camp-david".into(),
                tags: "security".into(),
                series: String::new(),
            },
            summary: "The three leaders met.".into(),
            media: Some(MediaView {
                url: "/images/summit.png".into(),
                permalink: Some("https://example.org/images/summit.png".into()),
                alt: "Three flags".into(),
                credit: Some("An agency".into()),
                caption: None,
                width: Some(600),
                height: Some(400),
            }),
        }
    }

    #[test]
    fn a_listed_value_is_the_view_with_its_html() {
        let view = sample_view();
        let html = tera::Value::from("<li>the entry, rendered once</li>");
        #[derive(Serialize)]
        struct Listed<'a> {
            #[serde(flatten)]
            view: &'a EntryView,
            html: &'a str,
        }
        let expected = tera::Value::from_serializable(&Listed {
            view: &view,
            html: html.as_str().unwrap(),
        });
        let mut shared = SharedValues::default();
        assert_eq!(
            listed_value(&view, &html, &shared).to_string(),
            expected.to_string()
        );
        // Shared links (one spelt otherwise than the term) and statuses.
        for l in [
            link("Joe Biden", Some("/participants/joe-biden/")),
            link("Kishida Fumio", Some("/participants/fumio-kishida/")),
        ] {
            let value = tera::Value::from_serializable(&l);
            shared.links.insert(l.url.unwrap(), (l.name, value));
        }
        let status = StatusView {
            key: "held",
            label: "Held".into(),
        };
        shared.statuses.insert(
            ("held", "Held".into()),
            tera::Value::from_serializable(&status),
        );
        assert_eq!(
            listed_value(&view, &html, &shared).to_string(),
            expected.to_string()
        );
    }
}
