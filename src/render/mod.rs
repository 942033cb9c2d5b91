//! From a timeline to pages: the articles' bodies and the introduction
//! made from their markdown when a page asks (`bodies`), and every page
//! kind rendered through its Tera template, each page handed to the `Sink`
//! as soon as it is made, with the static files beside them; the `Site`
//! returned records what was made.
//!
//! Templates see only the view structs of `views`, never the model. Each
//! page kind is one function that lists its pages (a [`page::Page`] each,
//! with its route from the address book and a way to render it): the HTML
//! pages in `pages` and `articles`, the exports in `exports`, a file each.
//! The registry, `kinds`, names every kind in its phase; adding a kind, or
//! an export, is one new function and one line there.
//!
//! Every page is fingerprinted from its template set and its context. When
//! the caller knows a page's fingerprint from the last build and it has not
//! changed, the page is not rendered again: it is `kept`.

mod articles;
pub mod bodies;
mod exports;
mod kinds;
pub mod links;
mod page;
mod pages;
pub mod parts;
pub mod search;
pub mod statics;
pub mod templates;
pub mod views;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Order;
use crate::diagnostics::{Code, Diagnostic};
use crate::fingerprint::{self, Fingerprint, Hasher};
use crate::routes::Route;
use crate::site::{Made, Sink, Site};
use crate::timeline::Timeline;
pub use bodies::Bodies;
pub use templates::Templates;
use views::{EntryView, ListedEntry, SiteView, ViewBuilder};

/// The fingerprint the last build recorded for an output path, if the file
/// it made still stands as it was.
pub type StandingFingerprint<'a> = &'a (dyn Fn(&str) -> Option<Fingerprint> + Sync);

/// What rendering one page gave.
#[derive(Debug)]
pub enum Rendering {
    /// The fingerprint matched the last build's: the page stands.
    Unchanged(Fingerprint),
    Rendered(Fingerprint, String),
}

/// Each entry rendered through `entry.html`, by the fingerprint of its view
/// and the templates: kept between builds, so an entry is rendered once
/// however many listings show it, and not again until it changes.
/// `None` for a fragment an earlier build stored and this one has not
/// read: read from [`RenderMemo::stored`] only if a page that shows it is
/// rendered.
pub type Fragments = BTreeMap<Fingerprint, Option<Fragment>>;

/// Where the fragments an earlier build stored are read, one by one.
pub trait StoredFragments: Send + Sync {
    /// The fragment's HTML, if it can be read.
    fn html(&self, key: Fingerprint) -> Option<tera::Value>;
    /// An export's part (see [`parts`]), if it can be read.
    fn part(&self, key: Fingerprint) -> Option<String>;
}

/// The stored fragments, if the memo came from a store.
#[derive(Clone, Default)]
pub struct Stored(pub Option<std::sync::Arc<dyn StoredFragments>>);

impl std::fmt::Debug for Stored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "Stored" } else { "None" })
    }
}

/// Article pages by output path: the key each was made from (see
/// [`views::ViewBuilder::article_key`], with the templates) and the
/// fingerprint of its context then. A page whose key is the same is the
/// same page: it is kept without its context being made.
pub type PageKeys = BTreeMap<String, (Fingerprint, Fingerprint)>;

/// What rendering keeps for the next build: the entries' fragments, the
/// exports' parts, the article pages' keys, the search index's files, and
/// what each HTML page links to.
#[derive(Debug, Default, Serialize, serde::Deserialize)]
pub struct RenderMemo {
    pub fragments: Fragments,
    /// The exports' parts by key ([`parts`]), kept as fragments are.
    pub parts: parts::KnownParts,
    /// Where the fragments not read yet are.
    #[serde(skip)]
    pub stored: Stored,
    pub pages: PageKeys,
    pub search: search::SearchMemo,
    pub links: links::LinkMemo,
    /// What this build read of the pages it rendered (every language's),
    /// for [`check_links`] once the whole site is made.
    #[serde(skip)]
    pub read: Box<links::Pages>,
}

/// One entry as listings show it.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Fragment {
    /// The HTML, as the Tera string every listed value shares.
    #[serde(with = "text_value")]
    pub html: tera::Value,
}

/// A Tera string stored as text.
mod text_value {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &tera::Value, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(value.as_str().unwrap_or_default())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<tera::Value, D::Error> {
        String::deserialize(d).map(tera::Value::from)
    }
}

/// What one language's pages are made from: its timeline, plain data,
/// and its bodies, rendered as the pages ask for them.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub timeline: &'a Timeline,
    pub bodies: &'a Bodies,
}

/// What every page's rendering shares.
pub struct Renderer<'a> {
    pub timeline: &'a Timeline,
    /// The timeline's bodies (by entry index) and its introduction.
    pub bodies: &'a Bodies,
    pub views: ViewBuilder<'a>,
    pub site: SiteView,
    pub templates: &'a Templates,
    /// The display order of listings.
    pub descending: bool,
    /// Whether pages are fingerprinted (not when the sink keeps nothing).
    pub fingerprints: bool,
    /// The names of the site's static files (a site's own `robots.txt`
    /// replaces the generated one).
    pub statics: std::collections::BTreeSet<String>,
    /// The calendars' host name, and each entry's calendar event, written
    /// once for every calendar that holds it (see `exports::calendar`).
    pub vevents: std::sync::OnceLock<(String, Vec<std::sync::OnceLock<String>>)>,
    /// The exports' parts from the last build, and those used now.
    pub parts: parts::Parts,
    /// The sitemap's pages, listed once.
    pub sitemap: std::sync::OnceLock<Vec<exports::sitemap::SitemapUrl>>,
    /// Whether this build makes the search index (the settings allow it
    /// and the sink publishes).
    pub indexes: bool,
    /// Where the site lives, to read its pages' links.
    pub base: links::Base,
    /// What each HTML page rendered now links to, for the links check.
    pub scanned: std::sync::Mutex<links::Pages>,
    /// The article pages' keys as the last build left them, and as this
    /// one finds them.
    pub pages: PageKeys,
    pub made_pages: std::sync::Mutex<PageKeys>,
}

impl<'a> Renderer<'a> {
    fn new<S: Sink>(
        input: Input<'a>,
        templates: &'a Templates,
        statics: &[statics::StaticFile],
        sink: &S,
    ) -> Self {
        let Input { timeline, bodies } = input;
        let language = std::sync::Arc::clone(&templates.language);
        let views = ViewBuilder::new(timeline, bodies, language);
        Renderer {
            site: views.site(),
            views,
            timeline,
            bodies,
            templates,
            descending: timeline.settings.order == Order::Descending,
            fingerprints: sink.keeps(),
            statics: statics.iter().map(|f| f.name.clone()).collect(),
            vevents: std::sync::OnceLock::new(),
            parts: parts::Parts::default(),
            sitemap: std::sync::OnceLock::new(),
            // One index, of the default language's articles.
            indexes: sink.indexes() && timeline.settings.search && timeline.routes.dir().is_empty(),
            base: links_base(timeline),
            scanned: std::sync::Mutex::new(links::Pages::default()),
            pages: PageKeys::new(),
            made_pages: std::sync::Mutex::new(PageKeys::new()),
        }
    }

    /// The page at `path`, kept as it stands (`previous`) if the last
    /// build made it from the same `key`: then its context need not be
    /// made at all. Its key stays recorded for the next build, as it is in
    /// the keys this build was given.
    pub fn kept_by(
        &self,
        path: &str,
        key: Fingerprint,
        previous: Option<Fingerprint>,
    ) -> Option<Rendering> {
        let previous = previous?;
        if self.pages.get(path) != Some(&(key, previous)) {
            return None;
        }
        Some(Rendering::Unchanged(previous))
    }

    /// Records the key a page was made from, with the fingerprint its
    /// rendering came to, for the next build (nothing without a key, or
    /// for a page that failed).
    pub fn record_made(
        &self,
        path: &str,
        key: Option<Fingerprint>,
        rendering: &Result<Rendering, Diagnostic>,
    ) {
        if let (Some(key), Ok(Rendering::Unchanged(f) | Rendering::Rendered(f, _))) =
            (key, rendering)
        {
            self.record_page(path, key, *f);
        }
    }

    fn record_page(&self, path: &str, key: Fingerprint, fingerprint: Fingerprint) {
        let mut made = self.made_pages.lock().unwrap_or_else(|e| e.into_inner());
        made.insert(path.to_string(), (key, fingerprint));
    }
}

/// The addresses of the HTML pages the timeline's site has (nothing is
/// rendered): another language's pages link to them by `hreflang` and
/// from the language switcher when they have the same address there.
pub fn page_urls(input: Input<'_>, templates: &Templates) -> Vec<String> {
    let renderer = Renderer::new(input, templates, &[], &crate::site::Discard);
    let mut urls: Vec<String> = (kinds::HTML.iter())
        .flat_map(|kind| kind(&renderer))
        .map(|page| page.route.url)
        .collect();
    urls.sort_unstable();
    urls
}

impl Renderer<'_> {
    /// The view of a page the site makes of itself (the search page, the
    /// 404 page…): its title and description are the catalogue's
    /// `<key>-title` and `<key>-description`, with the site's title in
    /// `{site}`.
    pub fn site_page(&self, key: &str, url: String) -> views::PageView {
        let site = [("site", self.site.title.as_str())];
        let language = &self.templates.language;
        self.views.page(
            language.fill(&format!("{key}-title"), &site),
            Some(language.fill(&format!("{key}-description"), &site)),
            url,
        )
    }

    /// Renders `context` through `template`, unless its fingerprint is
    /// `previous`.
    pub fn finish<C: Serialize>(
        &self,
        template: &str,
        context: &C,
        previous: Option<Fingerprint>,
    ) -> Result<Rendering, Diagnostic> {
        if !self.fingerprints {
            let html = self.templates.render(template, context)?;
            return Ok(Rendering::Rendered(Fingerprint::default(), html));
        }
        let fingerprint = Hasher::new()
            .fingerprint(self.templates.fingerprint)
            .part(template.as_bytes())
            .fingerprint(fingerprint::of(context))
            .finish();
        if previous == Some(fingerprint) {
            return Ok(Rendering::Unchanged(fingerprint));
        }
        let html = self.templates.render(template, context)?;
        Ok(Rendering::Rendered(fingerprint, html))
    }

    /// As [`finish`](Self::finish), for a context whose costly parts stand
    /// in its fingerprint by their keys: `complete` makes them, only if the
    /// page is to be made.
    pub fn finish_then<C: Serialize>(
        &self,
        template: &str,
        mut context: C,
        previous: Option<Fingerprint>,
        complete: impl FnOnce(&mut C),
    ) -> Result<Rendering, Diagnostic> {
        let mut fingerprint = Fingerprint::default();
        if self.fingerprints {
            fingerprint = Hasher::new()
                .fingerprint(self.templates.fingerprint)
                .part(template.as_bytes())
                .fingerprint(fingerprint::of(&context))
                .finish();
            if previous == Some(fingerprint) {
                return Ok(Rendering::Unchanged(fingerprint));
            }
        }
        complete(&mut context);
        let html = self.templates.render(template, &context)?;
        Ok(Rendering::Rendered(fingerprint, html))
    }

    /// A file that no template renders (a feed, a calendar), made by its
    /// caller as `text`. Making one costs about what fingerprinting its
    /// context would, so it is always made, and fingerprinted by its bytes
    /// (with `kind`, which names the format and its version): if that is
    /// `previous`, the file stands and is not written again.
    pub fn produce(&self, kind: &str, text: String, previous: Option<Fingerprint>) -> Rendering {
        if !self.fingerprints {
            return Rendering::Rendered(Fingerprint::default(), text);
        }
        let fingerprint = Hasher::new()
            .part(kind.as_bytes())
            .part(text.as_bytes())
            .finish();
        if previous == Some(fingerprint) {
            return Rendering::Unchanged(fingerprint);
        }
        Rendering::Rendered(fingerprint, text)
    }
}

/// What a page or file came to before it joins the site.
type PageOutcome<E> = Result<(Fingerprint, Option<Made>), E>;

/// A rendered page: its path, what made it, and what came of it.
type RenderedPage<E> = (String, PathBuf, Result<PageOutcome<E>, Diagnostic>);

/// Renders every page of the timeline whose fingerprint changed since
/// `previous`, and adds the static files; each made file goes to `sink` as
/// soon as it is made. A sink's error stops the rendering.
pub fn render<S: Sink>(
    input: Input<'_>,
    templates: &Templates,
    statics: Vec<statics::StaticFile>,
    previous: StandingFingerprint<'_>,
    memo: &mut RenderMemo,
    sink: &S,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Site, S::Error> {
    let mut renderer = Renderer::new(input, templates, &statics, sink);
    renderer.scanned = std::sync::Mutex::new(*std::mem::take(&mut memo.read));
    renderer.pages = std::mem::take(&mut memo.pages);
    warn_without_base_url(input.timeline, diagnostics);
    let mut site = Site::default();
    let RenderMemo {
        fragments,
        parts,
        stored,
        pages,
        search,
        links,
        read,
    } = memo;
    renderer.parts = parts::Parts::new(std::mem::take(parts), stored.clone());
    // A page that stands is kept only if the memo knows its links.
    let known = &*links;
    let previous_known = move |path: &str| {
        previous(path).filter(|f| !path.ends_with(".html") || known.knows(path, *f))
    };
    let finished = all_kinds(
        &mut renderer,
        &previous_known,
        Memos {
            search,
            fragments,
            stored,
        },
        sink,
        &mut site,
        diagnostics,
    );
    // Every language's pages are kept here: this one's made now replace
    // theirs (the engine lets go of pages the site no longer has).
    *pages = std::mem::take(&mut renderer.pages);
    pages.extend(std::mem::take(
        &mut *renderer
            .made_pages
            .lock()
            .unwrap_or_else(|e| e.into_inner()),
    ));
    let exported = matches!(finished, Ok(true));
    *parts = std::mem::take(&mut renderer.parts).into_memo(exported);
    if !finished? {
        return Ok(site);
    }
    add_statics(statics, previous, sink, &mut site, diagnostics)?;
    **read = std::mem::take(&mut *renderer.scanned.lock().unwrap_or_else(|e| e.into_inner()));
    Ok(site)
}

/// The parts of the memo the phases after the first use: the search
/// index's, the entries' fragments, and the store they are read from.
struct Memos<'m> {
    search: &'m mut search::SearchMemo,
    fragments: &'m mut Fragments,
    stored: &'m Stored,
}

/// Every kind of page, in its phase; `false` if a body's error stopped
/// the build.
fn all_kinds<S: Sink>(
    renderer: &mut Renderer<'_>,
    previous: StandingFingerprint<'_>,
    memos: Memos<'_>,
    sink: &S,
    site: &mut Site,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<bool, S::Error> {
    let Memos {
        search,
        fragments,
        stored,
    } = memos;
    if !singles(renderer, previous, search, sink, site, diagnostics)? {
        return Ok(false);
    }
    let shared = renderer.views.shared_values();
    let listed = list_entries(renderer, fragments, &shared, diagnostics);
    let source = views::EntrySource {
        templates: renderer.templates,
        stored: stored.clone(),
    };
    renderer.views.set_listed(listed, shared, Some(source));
    render_kinds(renderer, kinds::LISTINGS, previous, sink, site, diagnostics)?;
    renderer
        .views
        .set_listed(Vec::new(), views::SharedValues::default(), None);
    exports(renderer, previous, sink, site, diagnostics)?;
    Ok(true)
}

/// The links check over every HTML page of the whole site (every
/// language's), read now or kept (see [`links`]), unless the build has
/// failed already. Run once the site is made: links to parts of articles
/// are reported before it (located in their markdown), so it does not find
/// them again.
pub fn check_links(
    timeline: &Timeline,
    site: &Site,
    before: links::Before<'_>,
    memo: &mut RenderMemo,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let read = *std::mem::take(&mut memo.read);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return;
    }
    let base = links_base(timeline);
    let scope = links::Scope {
        origins: &site.origins,
        base: &base,
        reserved: reserved(timeline),
        before,
    };
    diagnostics.extend(links::check(read, &scope, &mut memo.links));
}

/// Where the site lives, for the links check.
fn links_base(timeline: &Timeline) -> links::Base {
    links::Base {
        absolute: (timeline.routes.origin()).map(|o| format!("{o}{}", timeline.routes.base_path())),
        path: timeline.routes.base_path().to_string(),
    }
}

/// Folders whose files the site makes outside rendering: Pagefind's, made
/// by `build` only.
pub fn reserved(timeline: &Timeline) -> &'static [&'static str] {
    match timeline.settings.search {
        true => &["pagefind/"],
        false => &[],
    }
}

/// The pages without listings, then, unless a body has an error (which
/// stops the build: `false`), the search index made from the article pages.
fn singles<S: Sink>(
    renderer: &Renderer<'_>,
    previous: StandingFingerprint<'_>,
    memo: &mut search::SearchMemo,
    sink: &S,
    site: &mut Site,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<bool, S::Error> {
    render_kinds(renderer, kinds::SINGLE, previous, sink, site, diagnostics)?;
    // Every body is rendered now (by its page, or just here if its page
    // stands): its errors stop the build before the listings are made.
    let bodies = renderer.bodies.body_diagnostics(renderer.timeline);
    let stop = bodies.iter().any(Diagnostic::is_error);
    diagnostics.extend(bodies);
    if stop {
        return Ok(false);
    }
    search::index(renderer, previous, memo, sink, site, diagnostics)?;
    Ok(true)
}

/// The exports, made; or, for a sink that keeps nothing (`check`), only
/// counted: no template makes one and a body's errors are known already,
/// so making them could find nothing more.
fn exports<S: Sink>(
    renderer: &Renderer<'_>,
    previous: StandingFingerprint<'_>,
    sink: &S,
    site: &mut Site,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), S::Error> {
    if sink.keeps() {
        return render_kinds(renderer, kinds::EXPORTS, previous, sink, site, diagnostics);
    }
    for page in kinds::EXPORTS.iter().flat_map(|kind| kind(renderer)) {
        let outcome = (Fingerprint::default(), Some(Made::Dropped));
        add(site, page.route.path, page.origin, outcome, diagnostics);
    }
    Ok(())
}

/// The one warning a site without a base URL gets: its exports that need
/// absolute addresses are left out.
fn warn_without_base_url(timeline: &Timeline, diagnostics: &mut Vec<Diagnostic>) {
    if timeline.routes.origin().is_none() {
        diagnostics.push(
            Diagnostic::warning(
                Code::NoBaseUrl,
                &timeline.settings.path,
                "the site has no `base_url`: atom.xml, feed.json, sitemap.xml and robots.txt \
                 are left out (they need absolute addresses)",
            )
            .hint(
                "add the address the site is published at, e.g. `base_url: https://example.org/`",
            ),
        );
    }
}

/// Adds the static files, each to the sink unless it stands unchanged.
fn add_statics<S: Sink>(
    statics: Vec<statics::StaticFile>,
    previous: StandingFingerprint<'_>,
    sink: &S,
    site: &mut Site,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), S::Error> {
    for file in statics {
        let fingerprint = file.hash;
        let made = match (previous(&file.name) == Some(fingerprint), file.bytes) {
            (true, _) => None,
            (false, statics::Bytes::BuiltIn(bytes)) => Some(sink.put(&file.name, bytes.to_vec())?),
            (false, statics::Bytes::File(from)) => {
                Some(sink.copy(&file.name, &from, fingerprint)?)
            }
        };
        add(
            site,
            file.name,
            file.origin,
            (fingerprint, made),
            diagnostics,
        );
    }
    Ok(())
}

/// Renders the pages of `kinds` in parallel, each page's bytes straight to
/// the sink (its context is built on the thread that renders it and dropped
/// right after), and adds them to the site.
fn render_kinds<S: Sink>(
    renderer: &Renderer<'_>,
    kinds: &[page::PageKind],
    previous: StandingFingerprint<'_>,
    sink: &S,
    site: &mut Site,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), S::Error> {
    let planned: Vec<page::Page> = kinds.iter().flat_map(|kind| kind(renderer)).collect();
    let rendered: Vec<RenderedPage<S::Error>> = planned
        .into_par_iter()
        .map(|page| {
            let result = (page.render)(renderer, previous(&page.route.path)).map(|r| match r {
                Rendering::Rendered(f, html) => {
                    read_links(renderer, &page.route, f, &html);
                    sink.put(&page.route.path, html.into_bytes())
                        .map(|m| (f, Some(m)))
                }
                Rendering::Unchanged(f) => Ok((f, None)),
            });
            (page.route.path, page.origin, result)
        })
        .collect();
    for (path, origin, result) in rendered {
        match result {
            Ok(outcome) => add(site, path, origin, outcome?, diagnostics),
            Err(d) => diagnostics.push(d),
        }
    }
    Ok(())
}

/// Reads an HTML page's links and ids for the links check.
fn read_links(renderer: &Renderer<'_>, route: &Route, fingerprint: Fingerprint, html: &str) {
    if !route.path.ends_with(".html") {
        return;
    }
    let scanned = links::scan(html, &route.url, &renderer.base);
    let mut pages = renderer.scanned.lock().unwrap_or_else(|e| e.into_inner());
    pages.add(route.path.clone(), fingerprint, scanned);
}

/// Adds a file to the site: made anew (`Some`), or kept as it stands.
fn add(
    site: &mut Site,
    path: String,
    origin: PathBuf,
    (fingerprint, made): (Fingerprint, Option<Made>),
    diagnostics: &mut Vec<Diagnostic>,
) {
    site.fingerprints.insert(path.clone(), fingerprint);
    match made {
        Some(made) => site.add(path, made, origin, diagnostics),
        None => site.keep(path, origin, diagnostics),
    }
}

/// An entry listed: its value, and its fragment if it was rendered now.
type Listed = Result<(ListedEntry, Option<Fragment>), Diagnostic>;

/// Entry `i` listed, with its fragment's key: the fragment an earlier
/// build made for the same view, or one rendered now. Its value for
/// templates is made only if a page that lists it is rendered (see
/// [`ListedEntry`]), except for a fragment rendered now, whose view is at
/// hand.
fn list_one(
    renderer: &Renderer<'_>,
    i: usize,
    known: &Fragments,
    shared: &views::SharedValues,
) -> (Fingerprint, Listed) {
    let templates = renderer.templates;
    // The entry's key is the fingerprint of its view, made once for the
    // article pages' keys.
    let fingerprint = if renderer.fingerprints {
        renderer.views.entry_keys()[i]
    } else {
        Fingerprint::default()
    };
    let key = Hasher::new()
        .fingerprint(templates.fingerprint)
        .fingerprint(fingerprint)
        .finish();
    match known.get(&key).filter(|_| renderer.fingerprints) {
        Some(Some(fragment)) => {
            let listed = ListedEntry::new(fingerprint, fragment.html.clone());
            return (key, Ok((listed, None)));
        }
        Some(None) => return (key, Ok((ListedEntry::stored(fingerprint, key), None))),
        None => {}
    }
    let view = renderer.views.make_entry(i);
    let made = render_entry(templates, &view).map(|html| {
        let html = tera::Value::from(html);
        let listed = ListedEntry::new(fingerprint, html.clone());
        listed.made(views::listed_value(&view, &html, shared));
        (listed, Some(Fragment { html }))
    });
    (key, made)
}

/// An entry's fragment: its view through `entry.html`.
pub fn render_entry(templates: &Templates, view: &EntryView) -> Result<String, Diagnostic> {
    #[derive(Serialize)]
    struct EntryContext<'a> {
        entry: &'a EntryView,
    }
    templates.render("entry.html", &EntryContext { entry: view })
}

/// Every entry as listings hand it to Tera (in parallel): fingerprinted,
/// and rendered through `entry.html` unless `fragments` has it from an
/// earlier build; its value for templates is made when a listing that
/// shows it is rendered. `fragments` keeps only what this build used.
fn list_entries(
    renderer: &Renderer<'_>,
    fragments: &mut Fragments,
    shared: &views::SharedValues,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<ListedEntry> {
    let views = &renderer.views;
    let known: &Fragments = fragments;
    let listed: Vec<(Fingerprint, Listed)> = (0..views.len())
        .into_par_iter()
        .map(|i| list_one(renderer, i, known, shared))
        .collect();
    let used: std::collections::HashSet<Fingerprint> = listed.iter().map(|(k, _)| *k).collect();
    fragments.retain(|k, _| used.contains(k));
    let mut out = Vec::with_capacity(listed.len());
    for (key, result) in listed {
        match result {
            Ok((entry, fragment)) => {
                if let Some(fragment) = fragment.filter(|_| renderer.fingerprints) {
                    fragments.insert(key, Some(fragment));
                }
                out.push(entry);
            }
            Err(d) => {
                diagnostics.push(d);
                out.push(ListedEntry::failed());
            }
        }
    }
    out
}
