//! From loaded articles to a timeline: drafts left out, ids checked,
//! entries ordered, statuses settled against the as-of date, and the
//! people, places, tags and series gathered. Bodies are rendered here too,
//! with their links resolved, but only when asked: an article's page asks
//! for its own (so one body at a time is held, not the site's), and
//! [`Timeline::body_diagnostics`] asks for any not rendered yet.
//!
//! Order is total and depends only on the content: the first day a date can
//! denote, then the last (the shorter span first), then the id.

use std::cell::RefCell;
use std::collections::BTreeMap;

// foldhash: a timeline's ids, paths and names are hashed a quarter of a
// million times at 10,000 articles; the maps are only looked into, never
// walked, so their order never reaches the output.
use foldhash::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::{Settings, SlugStyle};
use crate::content::Texts;
use crate::content::citations::Cite;
use crate::content::markdown::{self, RenderedBody, Resolution};
use crate::date::{Day, EventDate, SortKey};
use crate::diagnostics::{Code, Diagnostic, LineIndex, did_you_mean};
use crate::files::{CONTENT_DIR, SETTINGS_FILE, to_slash};
use crate::fingerprint::{self, Fingerprint};
use crate::model::{Article, Registry, Source, Status, Taxonomy};
use crate::routes::Routes;

/// What rendering a body gives that is worth keeping between builds: all
/// but the HTML itself, which is made again only when a page needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyRecord {
    /// The hash of the HTML.
    pub hash: Fingerprint,
    pub first_paragraph: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Each internal link the body makes, and what it resolved to: the
    /// record holds only while every one still resolves the same.
    pub links: Vec<(String, Resolution)>,
    /// The ids of its headings and footnotes, sorted.
    pub ids: Vec<String>,
    /// Its links to parts of other articles: (path under `content/`,
    /// fragment), checked once every body's ids are known.
    pub fragments: Vec<(String, String)>,
    /// The sources the body cites, in the order first cited, each with
    /// its citations' anchor ids.
    pub cited: Vec<(String, Vec<String>)>,
    /// The fingerprint of all the above, made with them (the keys of the
    /// pages that show the body name it, every build).
    pub key: Fingerprint,
}

/// A body of an entry: its record once known, and its HTML once rendered.
#[derive(Debug, Default)]
pub struct Body {
    /// From the engine's memo (an earlier build rendered the same bytes
    /// with the same links), or set when the body is first rendered.
    record: OnceLock<Arc<BodyRecord>>,
    /// Rendered with the record and held until the one page that shows it
    /// takes it; rendered again if anything asks later.
    html: Mutex<Option<String>>,
}

/// A body rendered before for an article with the same bytes, if known.
pub type BodyMemo<'a> = &'a (dyn Fn(&Article) -> Option<Arc<BodyRecord>> + Sync);

/// An article placed on the timeline.
#[derive(Debug)]
pub struct Entry {
    /// Shared with the engine's memo, which keeps it between builds.
    pub article: Arc<Article>,
    pub status: Status,
    /// Whether the event is still to come on the as-of date.
    pub upcoming: bool,
    pub body: Body,
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

/// Where internal links lead, by the target's path under `content/`: a
/// published article's page, or a draft left out.
#[derive(Debug, Default)]
struct LinkIndex {
    by_path: HashMap<String, Resolution>,
}

const MISSING: Resolution = Resolution::Missing;

impl LinkIndex {
    fn new(routes: &Routes, articles: &[Arc<Article>], drafts: &[Arc<Article>]) -> LinkIndex {
        let drafts = drafts.iter().map(|a| (content_path(a), Resolution::Draft));
        let pages = articles
            .iter()
            .map(|a| (content_path(a), Resolution::Page(routes.article(&a.id).url)));
        LinkIndex {
            by_path: drafts.chain(pages).collect(),
        }
    }

    fn resolve(&self, path: &str) -> &Resolution {
        self.by_path.get(path).unwrap_or(&MISSING)
    }
}

#[derive(Debug)]
pub struct Timeline {
    pub settings: Settings,
    /// Every URL and output path, under the base URL's path.
    pub routes: Routes,
    pub as_of: NaiveDate,
    pub intro_html: String,
    /// Chronological, earliest first, whatever the display order.
    pub entries: Vec<Entry>,
    /// Per taxonomy, terms sorted by slug.
    pub terms: BTreeMap<Taxonomy, Vec<Term>>,
    /// In a site of several languages, every language's timeline (this
    /// one's too), the default's first; empty otherwise.
    pub editions: Vec<crate::translations::Other>,
    links: LinkIndex,
    texts: Texts,
}

impl Timeline {
    pub fn terms(&self, taxonomy: Taxonomy) -> &[Term] {
        self.terms.get(&taxonomy).map_or(&[], Vec::as_slice)
    }

    /// The record of entry `index`'s body: known, or rendered now (its
    /// HTML is then held for the page that shows it).
    pub fn body(&self, index: usize) -> Result<&BodyRecord, Diagnostic> {
        let body = &self.entries[index].body;
        if let Some(record) = body.record.get() {
            return Ok(record);
        }
        let (record, html) = self.render_body(index)?;
        if body.record.set(Arc::new(record)).is_ok() {
            *lock(&body.html) = Some(html);
        }
        Ok(body.record.get().expect("set just now"))
    }

    /// Lets go of entry `index`'s body HTML, if it is held (its page
    /// stood unchanged, so nothing took it).
    pub fn release_body_html(&self, index: usize) {
        lock(&self.entries[index].body.html).take();
    }

    /// The record of entry `index`'s body, if it is known.
    pub fn body_record(&self, index: usize) -> Option<&Arc<BodyRecord>> {
        self.entries[index].body.record.get()
    }

    /// The HTML of entry `index`'s body: the one rendered with its record,
    /// given up to the caller, or rendered now (its record came from a cache,
    /// or a page took it already).
    pub fn body_html(&self, index: usize) -> Result<String, Diagnostic> {
        if let Some(html) = lock(&self.entries[index].body.html).take() {
            return Ok(html);
        }
        self.render_body(index).map(|(_, html)| html)
    }

    fn render_body(&self, index: usize) -> Result<(BodyRecord, String), Diagnostic> {
        let article = &self.entries[index].article;
        let text = self.texts.read(article)?;
        Ok(render_body(
            &self.settings,
            &self.routes,
            &self.links,
            article,
            &text,
        ))
    }

    /// The summary of entry `index`: its front matter's, else its body's
    /// first paragraph (empty if the body is not rendered yet).
    pub fn summary(&self, index: usize) -> &str {
        let entry = &self.entries[index];
        entry
            .article
            .summary
            .as_deref()
            .or_else(|| entry.body.record.get()?.first_paragraph.as_deref())
            .unwrap_or("")
    }

    /// Links to a part of another article (`camp-david.md#outcomes`) whose
    /// target has no such id: errors at the link, once every body's ids are
    /// known (after the pages are made). Bodies not rendered are skipped.
    pub fn fragment_diagnostics(&self) -> Vec<Diagnostic> {
        let by_path: HashMap<String, usize> = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (content_path(&e.article), i))
            .collect();
        let mut out = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            let Some(record) = e.body.record.get() else {
                continue;
            };
            for (path, fragment) in &record.fragments {
                let Some(target) = by_path
                    .get(path)
                    .and_then(|&j| self.entries[j].body.record.get())
                else {
                    continue;
                };
                let known = target.ids.binary_search(fragment).is_ok()
                    || markdown::TEMPLATE_IDS.contains(&fragment.as_str());
                if !known {
                    out.push(self.missing_fragment(i, path, fragment, &target.ids));
                }
            }
        }
        out
    }

    fn missing_fragment(&self, i: usize, path: &str, fragment: &str, ids: &[String]) -> Diagnostic {
        let a = &self.entries[i].article;
        let written = format!("#{fragment}");
        // The link as written: the first place in the body naming the
        // fragment after the target's file name.
        let file = path.rsplit('/').next().unwrap_or(path);
        let location = self.texts.read(a).ok().and_then(|text| {
            let body = text.get(a.body_offset..)?;
            let at = body
                .match_indices(&written)
                .find(|(at, _)| body[..*at].ends_with(file))
                .map(|(at, _)| a.body_offset + at)?;
            Some(LineIndex::new(&text).locate(at, written.len()))
        });
        let candidates: Vec<&str> = ids.iter().map(String::as_str).collect();
        let hint = match did_you_mean(fragment, &candidates) {
            Some(close) => format!("did you mean `#{close}`?"),
            None if ids.is_empty() => format!("content/{path} has no headings to link to"),
            None => format!("its headings' ids: {}", candidates.join(", ")),
        };
        Diagnostic::error(
            Code::BrokenLink,
            &a.path,
            format!("broken internal link: content/{path} has no part with the id `{fragment}`"),
        )
        .at(location)
        .hint(hint)
    }

    /// Every body's diagnostics, in chronological order, rendering (in
    /// parallel, without keeping the HTML) each body not rendered yet. An
    /// article whose file cannot be read again gives that error instead.
    pub fn body_diagnostics(&self) -> Vec<Diagnostic> {
        let per_entry: Vec<Vec<Diagnostic>> = (0..self.entries.len())
            .into_par_iter()
            .map(|i| {
                let body = &self.entries[i].body;
                if let Some(record) = body.record.get() {
                    return record.diagnostics.clone();
                }
                match self.render_body(i) {
                    Ok((record, _)) => {
                        let diagnostics = record.diagnostics.clone();
                        let _ = body.record.set(Arc::new(record));
                        diagnostics
                    }
                    Err(d) => vec![d],
                }
            })
            .collect();
        per_entry.into_iter().flatten().collect()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
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

/// Builds the timeline. Errors and warnings go to `diagnostics`; the caller
/// decides whether the result may be written. `memo` offers bodies rendered
/// by an earlier build; the others are rendered when asked for, from the
/// files `texts` reads.
pub fn build(
    settings: Settings,
    articles: Vec<Arc<Article>>,
    as_of: NaiveDate,
    include_drafts: bool,
    memo: BodyMemo<'_>,
    texts: Texts,
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
    let links = LinkIndex::new(&routes, &articles, &drafts);
    let intro = intro_html(&settings, &routes, &links, diagnostics);
    check_related(&articles, &texts, diagnostics);

    let mut entries = Vec::with_capacity(articles.len());
    for article in articles {
        check_status(&article, as_of, diagnostics);
        check_name_counts(&article, &texts, diagnostics);
        let media_size = media_size(&article, &texts, diagnostics);
        entries.push(Entry {
            media_size,
            upcoming: article.date.first_day() > Day::from(as_of),
            status: article.effective_status(as_of),
            body: body_of(&links, &article, memo),
            terms: Default::default(),
            referenced_by: Vec::new(),
            article,
        });
    }
    link_back(&mut entries);
    let terms = gather_terms(&mut entries, &settings, &texts, diagnostics);
    Timeline {
        settings,
        routes,
        as_of,
        intro_html: intro,
        entries,
        terms,
        editions: Vec::new(),
        links,
        texts,
    }
}

/// Renders an article's body, noting what each internal link resolved to.
/// Returns the record and the HTML.
fn render_body(
    settings: &Settings,
    routes: &Routes,
    links: &LinkIndex,
    article: &Article,
    text: &str,
) -> (BodyRecord, String) {
    let seen = RefCell::new(Vec::new());
    let resolve = |path: &str| {
        let resolution = links.resolve(path).clone();
        seen.borrow_mut()
            .push((path.to_string(), resolution.clone()));
        resolution
    };
    let page_url = routes.article(&article.id).url;
    let title = |id: &str| citable(settings, article, id).map(|s| s.title.clone());
    let cite = Cite {
        title: &title,
        ids: (article.sources.iter().chain(&settings.sources))
            .filter_map(|s| s.id.as_deref())
            .collect(),
        listed: article
            .sources
            .iter()
            .map(|s| (s.id.as_deref(), s.pos))
            .collect(),
        require: settings.require_citations,
        page_url: &page_url,
        label: &settings.words.citation,
    };
    let source = markdown::BodyContext {
        path: &article.path,
        rel_content: &content_path(article),
        text,
        body_offset: article.body_offset,
        allow_raw_html: settings.allow_raw_html,
        routes,
        cite: Some(&cite),
        footnote_back: &settings.words.footnote_back,
        footnote_mark: &settings.words.footnote_mark,
    };
    let body = text.get(article.body_offset..).unwrap_or("");
    let mut rendered: RenderedBody = markdown::render(body, &source, &resolve);
    rendered
        .diagnostics
        .extend(unknown_references(settings, article, text));
    let mut record = BodyRecord {
        hash: fingerprint::of_bytes(rendered.html.as_bytes()),
        first_paragraph: rendered.first_paragraph,
        diagnostics: rendered.diagnostics,
        links: seen.into_inner(),
        ids: rendered.ids,
        fragments: rendered.fragments,
        cited: rendered.cited,
        key: Fingerprint::default(),
    };
    record.key = fingerprint::of(&record);
    (record, rendered.html)
}

/// The source an article may cite by `id`: one it lists with a title,
/// else the site's.
pub fn citable<'s>(settings: &'s Settings, article: &'s Article, id: &str) -> Option<&'s Source> {
    let own = (article.sources.iter()).find(|s| s.id.as_deref() == Some(id) && !s.title.is_empty());
    own.or_else(|| {
        settings
            .sources
            .iter()
            .find(|s| s.id.as_deref() == Some(id))
    })
}

/// A source listed by `id` alone that names no site source: an error at it.
fn unknown_references(settings: &Settings, article: &Article, text: &str) -> Vec<Diagnostic> {
    let index = std::cell::OnceCell::new();
    (article.sources.iter())
        .filter(|s| s.title.is_empty())
        .filter_map(|s| Some((s.id.as_deref()?, s.pos)))
        .filter(|(id, _)| !settings.sources.iter().any(|s| s.id.as_deref() == Some(id)))
        .map(|(id, pos)| {
            let index = index.get_or_init(|| crate::diagnostics::LineIndex::new(text));
            Diagnostic::error(
                Code::CitationUnknown,
                &article.path,
                format!("the source `{id}` is not in content/_sources.yaml"),
            )
            .at(Some(pos.locate(index)))
            .hint("add it there with a `title:`, or give it its `title:` here")
        })
        .collect()
}

/// An article's body: the record an earlier build made from the same
/// bytes, if each of its links still resolves the same, else none yet.
fn body_of(links: &LinkIndex, article: &Article, memo: BodyMemo<'_>) -> Body {
    let body = Body::default();
    if let Some(record) = memo(article)
        && record
            .links
            .iter()
            .all(|(path, was)| links.resolve(path) == was)
    {
        let _ = body.record.set(record);
    }
    body
}

/// The site's introduction, from `_index.md`'s body.
fn intro_html(
    settings: &Settings,
    routes: &Routes,
    links: &LinkIndex,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let source = markdown::BodyContext {
        path: &settings.path,
        rel_content: SETTINGS_FILE,
        text: &settings.text,
        body_offset: settings.intro_offset,
        allow_raw_html: settings.allow_raw_html,
        routes,
        cite: None,
        footnote_back: &settings.words.footnote_back,
        footnote_mark: &settings.words.footnote_mark,
    };
    let rendered = markdown::render(settings.intro(), &source, &|p| links.resolve(p).clone());
    diagnostics.extend(rendered.diagnostics);
    rendered.html
}

/// The article's path under `content/`, with `/` separators.
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

fn content_path(a: &Article) -> String {
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

fn check_duplicate_ids(articles: &[Arc<Article>], diagnostics: &mut Vec<Diagnostic>) {
    let mut by_id: BTreeMap<&str, Vec<&Article>> = BTreeMap::new();
    for a in articles {
        by_id.entry(&a.id).or_default().push(a.as_ref());
    }
    for (id, group) in by_id.into_iter().filter(|(_, g)| g.len() > 1) {
        for a in &group {
            let others: Vec<String> = group
                .iter()
                .filter(|o| o.path != a.path)
                .map(|o| o.path.display().to_string())
                .collect();
            let message = format!(
                "two articles have the id `{id}`: this file and {}",
                others.join(", ")
            );
            diagnostics.push(
                Diagnostic::error(Code::DuplicateId, &a.path, message)
                    .at(a.id_location.clone())
                    .hint("each article needs its own page: change `slug:` or rename one of the files"),
            );
        }
    }
}

/// Every id in `related` must be another published article.
fn check_related(articles: &[Arc<Article>], texts: &Texts, diagnostics: &mut Vec<Diagnostic>) {
    let known: HashSet<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    let known_ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    for a in articles {
        let text = std::cell::OnceCell::new();
        let mut suggested = 0;
        for related in &a.related {
            let (code, message) = if related.value == a.id {
                (
                    Code::RelatedSelf,
                    format!("`related` lists the article itself ({})", a.id),
                )
            } else if known.contains(related.value.as_str()) {
                continue;
            } else {
                (
                    Code::UnknownRelated,
                    format!("`related`: there is no article with id `{}`", related.value),
                )
            };
            // Suggestions compare with every id: a few per article suffice.
            suggested += 1;
            let suggestion = (suggested <= 20 && code == Code::UnknownRelated)
                .then(|| did_you_mean(&related.value, &known_ids))
                .flatten();
            let hint = suggestion.map_or_else(
                || "an id is the article's path under content/ without `.md`, e.g. 2023/camp-david-summit".to_string(),
                |k| format!("did you mean `{k}`?"),
            );
            let location = text
                .get_or_init(|| texts.read(a).ok())
                .as_deref()
                .map(|text| related.pos.locate(&LineIndex::new(text)));
            diagnostics.push(
                Diagnostic::error(code, &a.path, message)
                    .at(location)
                    .hint(hint),
            );
        }
    }
}

/// More names than get pages is a warning at the first one left out.
fn check_name_counts(article: &Article, texts: &Texts, diagnostics: &mut Vec<Diagnostic>) {
    for (taxonomy, key) in [
        (Taxonomy::Participants, "participants"),
        (Taxonomy::Tags, "tags"),
    ] {
        let names = article.names(taxonomy);
        let Some(first_left_out) = names.get(MAX_NAMES) else {
            continue;
        };
        let message = format!(
            "`{key}` lists {} names; only the first {MAX_NAMES} get pages of their own, the rest are shown as text",
            names.len()
        );
        let location = texts.locate(article, first_left_out.pos);
        diagnostics.push(
            Diagnostic::warning(Code::TooManyNames, &article.path, message)
                .at(location)
                .hint("keep the people and topics the event is about here; a long list belongs in the body or a source"),
        );
    }
}

/// The size of an article's image in `static/`, read from the file; an
/// image that is not there, or whose size cannot be read, is an error.
fn media_size(
    article: &Article,
    texts: &Texts,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(u32, u32)> {
    let media = article.media.as_ref()?;
    let rel = media.local_path()?;
    let problem = match crate::files::image_size(texts.root(), rel) {
        crate::files::ImageSize::Known(w, h) => return Some((w, h)),
        crate::files::ImageSize::Missing => format!("the image `static/{rel}` does not exist"),
        crate::files::ImageSize::Unreadable => format!(
            "the size of `static/{rel}` cannot be read: it is not a PNG, JPEG, GIF or WebP image"
        ),
    };
    diagnostics.push(
        Diagnostic::error(Code::MediaMissing, &article.path, problem)
            .at(texts.locate(article, media.src.pos))
            .hint("put the image in the site's static/ folder and write its path there, e.g. `src: images/photo.jpg`"),
    );
    None
}

/// A status that contradicts the date and the as-of date is a warning.
fn check_status(article: &Article, as_of: NaiveDate, diagnostics: &mut Vec<Diagnostic>) {
    let mismatch = match article.status {
        Some(Status::Planned) => article.date.last_day() < Day::from(as_of),
        Some(Status::Held) => article.date.first_day() > Day::from(as_of),
        _ => false,
    };
    if !mismatch {
        return;
    }
    let when = article.date.human();
    let as_of_text = EventDate::day(as_of).human();
    let (message, hint) = match article.status {
        Some(Status::Planned) => (
            format!(
                "`status: planned`, but {when} is entirely before the as-of date, {as_of_text}"
            ),
            "say what happened: `held`, `postponed` or `cancelled`",
        ),
        _ => (
            format!("`status: held`, but {when} is after the as-of date, {as_of_text}"),
            "an event still to come is `planned`; check the date or the as-of date",
        ),
    };
    let location = article
        .status_location
        .clone()
        .or_else(|| article.date_location.clone());
    diagnostics.push(
        Diagnostic::warning(Code::StatusMismatch, &article.path, message)
            .at(location)
            .hint(hint),
    );
}

/// Gathers the terms of every taxonomy, and tells each entry which terms
/// it names. Two spellings that share a slug share a page, with a warning.
fn gather_terms(
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
fn terms_of(
    entries: &[Entry],
    taxonomy: Taxonomy,
    style: SlugStyle,
    registry: Option<&Registry>,
    texts: &Texts,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Term>, Vec<Vec<usize>>) {
    let mut terms: Vec<Term> = Vec::new();
    let mut by_name: HashMap<&str, usize> = HashMap::default();
    let mut by_slug: HashMap<String, usize> = HashMap::default();
    let mut named: Vec<Vec<usize>> = Vec::with_capacity(entries.len());
    let records: HashMap<&str, usize> = registry
        .map(|r| {
            r.records
                .iter()
                .enumerate()
                .map(|(i, r)| (r.name.as_str(), i))
                .collect()
        })
        .unwrap_or_default();
    for (i, entry) in entries.iter().enumerate() {
        let a = &entry.article;
        let mut indices = Vec::new();
        for name in a.names(taxonomy).iter().take(MAX_NAMES) {
            let known = by_name.len();
            let record = records.get(name.value.as_str()).copied();
            let registered = record.and_then(|i| registry?.records[i].slug.clone());
            let unregistered = registered.is_none();
            let t = *by_name.entry(name.value.as_str()).or_insert_with(|| {
                let slug = registered.unwrap_or_else(|| term_slug(&name.value, style));
                *by_slug.entry(slug.clone()).or_insert_with(|| {
                    terms.push(Term {
                        slug,
                        name: name.value.clone(),
                        entries: Vec::new(),
                        record,
                    });
                    terms.len() - 1
                })
            });
            if by_name.len() > known && unregistered && style == SlugStyle::Ascii {
                check_reading(a, name, &terms[t].slug, texts, diagnostics);
            }
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

/// With a registry: a name articles use that it lacks is a warning (with
/// the closest registered name), and so is a record no article uses.
fn check_registry(
    entries: &[Entry],
    taxonomy: Taxonomy,
    registry: &Registry,
    terms: &[Term],
    texts: &Texts,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let names: Vec<&str> = registry.records.iter().map(|r| r.name.as_str()).collect();
    let registered: HashSet<&str> = names.iter().copied().collect();
    let mut warned: HashSet<&str> = HashSet::default();
    for e in entries {
        for name in e.article.names(taxonomy).iter().take(MAX_NAMES) {
            if registered.contains(name.value.as_str()) || !warned.insert(name.value.as_str()) {
                continue;
            }
            let file = to_slash(&registry.path);
            let mut d = Diagnostic::warning(
                Code::UnregisteredName,
                &e.article.path,
                format!("“{}” is not in {file}", name.value),
            )
            .at(texts.locate(&e.article, name.pos));
            d.hint = Some(match closest_name(&name.value, &names) {
                Some(close) => {
                    format!("did you mean “{close}”? Otherwise add a record for it to {file}")
                }
                None => format!("add a record for it to {file}"),
            });
            diagnostics.push(d);
        }
    }
    let used: HashSet<usize> = terms.iter().filter_map(|t| t.record).collect();
    for (i, record) in registry.records.iter().enumerate() {
        if !used.contains(&i) {
            diagnostics.push(
                Diagnostic::warning(
                    Code::UnusedRecord,
                    &registry.path,
                    format!("no article names “{}”", record.name),
                )
                .at(Some(record.location.clone()))
                .hint(format!(
                    "check the spelling against the articles' `{}`, or remove the record",
                    if taxonomy == Taxonomy::Places {
                        "location"
                    } else {
                        "participants"
                    }
                )),
            );
        }
    }
}

/// The registered name closest to `name`: the same letters and digits
/// in any case and punctuation ("Yoon Suk-yeol", "Yoon Suk Yeol"), else
/// the most alike by Jaro–Winkler, if alike enough.
fn closest_name<'n>(name: &str, names: &[&'n str]) -> Option<&'n str> {
    let bare = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = bare(name);
    if let Some(same) = names.iter().find(|n| bare(n) == wanted) {
        return Some(same);
    }
    names
        .iter()
        .map(|n| (strsim::jaro_winkler(&wanted, &bare(n)), *n))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}

fn spelling_warning(
    a: &Article,
    taxonomy: Taxonomy,
    name: &str,
    location: Option<crate::diagnostics::Location>,
    term: &Term,
) -> Diagnostic {
    Diagnostic::warning(
        Code::TermSpelling,
        &a.path,
        format!(
            "“{name}” and “{}” are spelt differently but share one {} page",
            term.name,
            taxonomy.singular().to_lowercase()
        ),
    )
    .at(location)
    .hint(format!("write “{}” everywhere", term.name))
}

/// Whether a name's ASCII slug would read it as Chinese: it has kanji
/// (CJK ideographs) and no kana, so it is Japanese written in kanji alone
/// (岸田文雄), or Chinese; a transliteration reads every ideograph in
/// Mandarin (`an-tian-wen-xiong`). A name with kana is surely Japanese and
/// its kanji are read as Chinese all the same, but its kana at least are
/// read right; the warning is for the names that come out wholly wrong.
pub fn chinese_reading(name: &str) -> bool {
    let kanji = |c: char| matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}');
    let kana = |c: char| matches!(c, '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}');
    name.chars().any(kanji) && !name.chars().any(kana)
}

/// The warning for a name whose ASCII slug reads its kanji as Chinese.
fn check_reading(
    a: &Article,
    name: &crate::model::Located<String>,
    slug: &str,
    texts: &Texts,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if !chinese_reading(&name.value) {
        return;
    }
    let location = texts.locate(a, name.pos);
    diagnostics.push(reading_warning(a, &name.value, slug, location));
}

fn reading_warning(
    a: &Article,
    name: &str,
    slug: &str,
    location: Option<crate::diagnostics::Location>,
) -> Diagnostic {
    Diagnostic::warning(
        Code::SlugReading,
        &a.path,
        format!("“{name}” is slugged as `{slug}`, a Chinese reading of its kanji"),
    )
    .at(location)
    .hint(
        "give it a `slug` in content/_people.yaml or content/_places.yaml, \
         or set `slug_style: unicode` in content/_index.md",
    )
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
