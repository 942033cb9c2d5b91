//! The incremental engine, one for `build`, `check` and `serve`: a build
//! is load → timeline → render as always, but what an earlier build
//! already knew is not worked out again.
//!
//! - An article file whose stat (size, times, inode) is the one recorded
//!   is not even read: its hash is the recorded one (`content::Stat`).
//! - An article file whose bytes are unchanged is not parsed again: its
//!   article and diagnostics come from the memo (keyed by path and hash).
//! - A body whose file is unchanged, and each of whose links still resolves
//!   to the same page, keeps its record (HTML hash, first paragraph,
//!   diagnostics); its HTML is rendered again only if a page needs it.
//! - A page is rendered only if its fingerprint (its template set and its
//!   whole context) differs from the one its standing file was made from.
//!   This is what makes an incremental build byte-identical to a cold one
//!   by construction: a page's bytes are a function of what it is
//!   fingerprinted from, whatever edit led here.
//! - When nothing read differs from the last build's inputs and every file
//!   it wrote still stands, nothing is done at all.
//!
//! The memo is versioned and keyed by the settings file, the templates and
//! the options that shape every page: any difference throws it away.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Options, Rendered};
use crate::content;
use crate::diagnostics::{self, Diagnostic};
use crate::files;
use crate::fingerprint::{Fingerprint, Hasher};
use crate::i18n;
use crate::model::Article;
use crate::render::{self, Fragments, Templates, statics};
use crate::site::Sink;
use crate::timeline::{self, BodyRecord};
use crate::translations;

/// Bumped whenever what the memo holds changes shape or meaning.
const MEMO_FORMAT: u32 = 14;

/// What the last build left for this one to ask about its output.
pub trait Previous: Sync {
    /// The fingerprint a file was made from, if it still stands as made.
    fn standing(&self, path: &str) -> Option<Fingerprint>;
    /// The inputs of the last build, if every file it made still stands.
    fn untouched_inputs(&self) -> Option<Fingerprint>;
}

/// Why a run stopped.
#[derive(Debug)]
pub enum Stop<E> {
    /// Content or template errors (and any warnings), sorted.
    Diagnostics(Vec<Diagnostic>),
    /// The sink could not take a file (a full disk, say), with the
    /// warnings found so far.
    Sink(E, Vec<Diagnostic>),
}

fn fail<E>(mut diagnostics: Vec<Diagnostic>) -> Stop<E> {
    diagnostics::sort_and_dedup(&mut diagnostics);
    Stop::Diagnostics(diagnostics)
}

/// What one run gave.
#[derive(Debug)]
pub enum Run {
    /// Nothing read differs from the last build, whose output stands.
    Unchanged {
        warnings: Vec<Diagnostic>,
        articles: usize,
        /// How many article files were read (the others were known by
        /// their stat).
        read: usize,
        /// Whether the engine learned something worth keeping (a file's
        /// stat settled): its memo is to be stored again.
        learned: bool,
    },
    /// A site (with the pages that did not change marked as kept).
    Built {
        rendered: Rendered,
        inputs: Fingerprint,
    },
}

/// An article file as last read.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct FileMemo {
    path: PathBuf,
    hash: Fingerprint,
    /// Without its text once stored (the file is read again anyway).
    article: Option<Arc<Article>>,
    diagnostics: Vec<Diagnostic>,
}

/// The last successful build.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct LastBuild {
    inputs: Fingerprint,
    warnings: Vec<Diagnostic>,
    articles: usize,
}

/// The small part of the memo, stored first so a build that changes
/// nothing reads only this.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Head {
    format: u32,
    version: String,
    key: Fingerprint,
    last: Option<LastBuild>,
    /// Each article file's stat, once settled, and the hash of its bytes:
    /// a file with the same stat is not read (kept when the rest of the
    /// memo is thrown away, since it holds only facts about files).
    known: Known,
    /// The hash of the large part's bytes where it is kept apart (see
    /// [`Engine::from_parts`]): a large part that is not those bytes (a
    /// build killed between storing the two) is thrown away.
    bulk: Fingerprint,
}

type Known = BTreeMap<PathBuf, (content::Stat, Fingerprint)>;

/// Article files by the fingerprint of their path (see [`path_key`]): a
/// sorted map, so the stored memo is the same bytes for the same site.
type Files = BTreeMap<Fingerprint, FileMemo>;

/// Body records by the fingerprint of the file's path and bytes (see
/// [`body_key`]): a body's links resolve from where its file is.
type Bodies = BTreeMap<Fingerprint, Arc<BodyRecord>>;

/// The large part of the memo: article files, bodies, entries rendered
/// for listings, and the search index's files.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Bulk {
    files: Files,
    bodies: Bodies,
    render: render::Memo,
}

fn path_key(path: &Path) -> Fingerprint {
    crate::fingerprint::of_bytes(path.as_os_str().as_encoded_bytes())
}

fn body_key(article: &Article) -> Fingerprint {
    Hasher::new()
        .part(article.path.as_os_str().as_encoded_bytes())
        .fingerprint(article.source_hash)
        .finish()
}

/// Reads the large part of the memo from where it is kept, when a build
/// first needs it.
pub type BulkLoader = Box<dyn FnOnce() -> Option<Vec<u8>> + Send + Sync>;

/// The large part, read and decoded only when a build needs it.
enum Lazy {
    /// Kept apart, not read yet (`None` once its loader has run).
    Unread(Option<BulkLoader>),
    Stored(Vec<u8>),
    Decoded(Bulk),
}

impl std::fmt::Debug for Lazy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Lazy::Unread(_) => f.write_str("Unread"),
            Lazy::Stored(bytes) => write!(f, "Stored({} bytes)", bytes.len()),
            Lazy::Decoded(bulk) => f.debug_tuple("Decoded").field(bulk).finish(),
        }
    }
}

/// Writes to `inner` and hashes what it writes.
struct Hashing<'w> {
    inner: &'w mut dyn std::io::Write,
    hash: Hasher,
}

impl std::io::Write for Hashing<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        std::io::Write::write_all(&mut self.hash, &buf[..n])?;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The engine, and what it remembers between runs.
#[derive(Debug)]
pub struct Engine {
    head: Head,
    files: Lazy,
}

impl Default for Engine {
    fn default() -> Engine {
        Engine {
            head: Head {
                format: MEMO_FORMAT,
                version: env!("CARGO_PKG_VERSION").to_string(),
                ..Head::default()
            },
            files: Lazy::Decoded(Bulk::default()),
        }
    }
}

impl Engine {
    pub fn new() -> Engine {
        Engine::default()
    }

    /// An engine with the memo a build stored; an unreadable memo, or one
    /// from another chronicle, is thrown away.
    pub fn from_bytes(bytes: &[u8]) -> Engine {
        match postcard::take_from_bytes::<Head>(bytes) {
            Ok((head, rest))
                if head.format == MEMO_FORMAT && head.version == env!("CARGO_PKG_VERSION") =>
            {
                Engine {
                    head,
                    files: Lazy::Stored(rest.to_vec()),
                }
            }
            _ => Engine::new(),
        }
    }

    /// An engine with the memo a build stored in two parts: the small one
    /// (`head`, read now) and the large one, read by `bulk` only if the
    /// build needs it. A build that finds nothing changed reads a few
    /// hundred bytes per article, not the whole memo.
    pub fn from_parts(head: &[u8], bulk: BulkLoader) -> Engine {
        match postcard::take_from_bytes::<Head>(head) {
            Ok((head, _))
                if head.format == MEMO_FORMAT && head.version == env!("CARGO_PKG_VERSION") =>
            {
                Engine {
                    head,
                    files: Lazy::Unread(Some(bulk)),
                }
            }
            _ => Engine::new(),
        }
    }

    /// Whether the large part must be stored again: it was read (so a
    /// build may have changed it), not left as stored apart.
    pub fn bulk_changed(&self) -> bool {
        !matches!(self.files, Lazy::Unread(_))
    }

    /// Stores the large part through `writer`, to be kept apart (see
    /// [`from_parts`](Self::from_parts)), and notes its hash for the small
    /// part, which is to be stored after it.
    pub fn write_bulk(&mut self, writer: &mut dyn std::io::Write) -> std::io::Result<()> {
        let fail = |e: postcard::Error| std::io::Error::other(e.to_string());
        self.read_bulk();
        let mut hashing = Hashing {
            inner: writer,
            hash: Hasher::new(),
        };
        match &self.files {
            Lazy::Stored(bytes) => std::io::Write::write_all(&mut hashing, bytes)?,
            Lazy::Decoded(bulk) => {
                postcard::to_io(bulk, &mut hashing).map_err(fail)?;
            }
            Lazy::Unread(_) => unreachable!("read above"),
        }
        self.head.bulk = hashing.hash.finish();
        Ok(())
    }

    /// Stores the small part through `writer` (after the large one).
    pub fn write_head(&self, writer: &mut dyn std::io::Write) -> std::io::Result<()> {
        postcard::to_io(&self.head, writer)
            .map(|_| ())
            .map_err(|e| std::io::Error::other(e.to_string()))
    }

    /// Lets go of the listed entries' template values, which only a process
    /// that builds again (`serve`) reuses; a build holds them no longer
    /// than its listings take to render.
    pub fn release_values(&mut self) {
        if let Lazy::Decoded(bulk) = &mut self.files {
            for fragment in bulk.render.fragments.values_mut() {
                fragment.value.take();
            }
        }
    }

    /// The memo, for the next build, written straight to `writer` (no copy
    /// of it is made in memory).
    pub fn write_to(&mut self, writer: &mut dyn std::io::Write) -> std::io::Result<()> {
        let fail = |e: postcard::Error| std::io::Error::other(e.to_string());
        self.read_bulk();
        let head = Head {
            bulk: Fingerprint::default(),
            ..std::mem::take(&mut self.head)
        };
        let written = postcard::to_io(&head, &mut *writer).map(|_| ());
        self.head = head;
        written.map_err(fail)?;
        match &self.files {
            // Never decoded (the build found nothing changed): as stored.
            Lazy::Stored(bytes) => writer.write_all(bytes)?,
            Lazy::Decoded(bulk) => {
                postcard::to_io(bulk, writer).map_err(fail)?;
            }
            Lazy::Unread(_) => unreachable!("read above"),
        }
        Ok(())
    }

    /// The large part's bytes, read now if they are kept apart; bytes that
    /// are not the ones the small part names are none.
    fn read_bulk(&mut self) {
        if let Lazy::Unread(loader) = &mut self.files {
            let bytes = loader
                .take()
                .and_then(|load| load())
                .filter(|b| crate::fingerprint::of_bytes(b) == self.head.bulk);
            self.files = Lazy::Stored(bytes.unwrap_or_default());
        }
    }

    /// The memo as bytes (for tests and tools).
    pub fn to_bytes(&mut self) -> Vec<u8> {
        let mut bytes = Vec::new();
        let _ = self.write_to(&mut bytes);
        bytes
    }

    /// The large part of the memo, decoded now if it was not yet (a memo
    /// that does not decode is thrown away).
    fn bulk(&mut self) -> &mut Bulk {
        self.read_bulk();
        if let Lazy::Stored(bytes) = &self.files {
            let bulk = postcard::from_bytes(bytes).unwrap_or_default();
            self.files = Lazy::Decoded(bulk);
        }
        match &mut self.files {
            Lazy::Decoded(bulk) => bulk,
            Lazy::Stored(_) | Lazy::Unread(_) => unreachable!("decoded above"),
        }
    }

    /// Forgets everything: the memo was for other settings or templates.
    fn reset(&mut self, key: Fingerprint) {
        let known = std::mem::take(&mut self.head.known);
        *self = Engine::new();
        self.head.key = key;
        self.head.known = known;
    }

    /// One build. With `previous`, pages whose fingerprint it recorded and
    /// that still stand are kept, not rendered; without, every page renders.
    pub fn run<S: Sink>(
        &mut self,
        options: &Options,
        previous: Option<&dyn Previous>,
        sink: &S,
    ) -> Result<Run, Stop<S::Error>> {
        let known = &self.head.known;
        let sources = content::read_known(&options.root, &|rel| known.get(rel).copied());
        self.run_on(options, previous, sources, sink)
    }

    /// Reads `content/` as [`run`](Self::run) does: an article file whose
    /// stat the memo recorded is known by it, not read.
    pub fn read_sources(&self, root: &Path) -> content::Sources {
        let known = &self.head.known;
        content::read_known(root, &|rel| known.get(rel).copied())
    }

    /// One build from `content/` as already read (`serve` keeps it up to
    /// date from the watcher's events).
    pub fn run_on<S: Sink>(
        &mut self,
        options: &Options,
        previous: Option<&dyn Previous>,
        sources: content::Sources,
        sink: &S,
    ) -> Result<Run, Stop<S::Error>> {
        let mut diagnostics = Vec::new();
        let templates = render::templates::load(&options.root, &mut diagnostics);
        let catalogues = i18n::SiteCatalogues::read(&options.root, &mut diagnostics);
        let key = memo_key(options, templates.as_ref(), &catalogues, &sources);
        if self.head.key != key {
            self.reset(key);
        }
        let statics = statics::collect(&options.root, &mut diagnostics);
        let inputs = inputs(key, options, &sources, &statics, &diagnostics);
        if let Some(run) = self.unchanged(inputs, previous, &sources) {
            return Ok(run);
        }
        self.head.last = None;
        let files = &mut self.bulk().files;
        let mut loaded = content::parse(sources, &|rel, hash| {
            let f = files.get(&path_key(rel)).filter(|f| f.hash == hash)?;
            Some((f.article.clone(), f.diagnostics.clone()))
        });
        diagnostics.append(&mut loaded.diagnostics);
        remember_files(files, &loaded, &diagnostics);
        self.head.known = (loaded.files.iter())
            .filter_map(|f| Some((f.rel.clone(), (f.stat?, f.hash))))
            .collect();
        let read = loaded.files.iter().filter(|f| f.read).count();
        let (Some(settings), Some(templates)) = (loaded.settings, templates) else {
            return Err(fail(diagnostics));
        };
        let editions = translations::editions(&settings, loaded.articles, &mut diagnostics);
        if options.notes {
            diagnostics.extend(translations::missing(&settings, &editions));
        }
        let templates = localized(options, templates, &editions, &catalogues, &settings.path);
        let parts = Parts {
            settings,
            editions,
            templates: &templates.0,
            statics,
            previous,
        };
        diagnostics.extend(templates.1);
        let mut rendered = self.render(options, parts, sink, diagnostics)?;
        rendered.read = read;
        self.head.last = Some(LastBuild {
            inputs,
            warnings: rendered.warnings.clone(),
            articles: rendered.articles,
        });
        Ok(Run::Built { rendered, inputs })
    }

    /// The early way out: the same inputs as the last build, whose files
    /// all stand.
    /// The files' stats it found settled are kept (and the run says it
    /// learned something, so the memo is stored again).
    fn unchanged(
        &mut self,
        inputs: Fingerprint,
        previous: Option<&dyn Previous>,
        sources: &content::Sources,
    ) -> Option<Run> {
        let last = self.head.last.as_ref().filter(|l| l.inputs == inputs)?;
        if previous?.untouched_inputs()? != inputs {
            return None;
        }
        let read = (sources.articles.iter())
            .filter(|f| !matches!(f.bytes, Ok(None)))
            .count();
        let known: Known = (sources.articles.iter())
            .filter_map(|f| Some((f.rel.clone(), (f.stat?, f.hash))))
            .collect();
        let run = Run::Unchanged {
            warnings: last.warnings.clone(),
            articles: last.articles,
            read,
            learned: known != self.head.known,
        };
        self.head.known = known;
        Some(run)
    }

    /// Orders and renders the site, keeping what `previous` says stands.
    fn render<S: Sink>(
        &mut self,
        options: &Options,
        parts: Parts<'_>,
        sink: &S,
        mut diagnostics: Vec<Diagnostic>,
    ) -> Result<Rendered, Stop<S::Error>> {
        let Parts {
            settings,
            editions,
            templates,
            statics,
            previous,
        } = parts;
        let (settings, as_of) = effective_settings(options, settings);
        let mut timelines = self.order_editions(
            options,
            &settings,
            (editions, templates),
            as_of,
            &mut diagnostics,
        );
        if diagnostics.iter().any(Diagnostic::is_error) {
            // Every content error at once: the bodies' too.
            for timeline in &timelines {
                diagnostics.extend(timeline.body_diagnostics());
            }
            return Err(fail(diagnostics));
        }
        link_editions(&mut timelines, templates);
        let site = match self.render_editions(
            (&timelines, templates),
            statics,
            previous,
            sink,
            &mut diagnostics,
        ) {
            Ok(site) => site,
            Err(e) => return Err(Stop::Sink(e, diagnostics)),
        };
        self.remember_bodies(&timelines);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(fail(diagnostics));
        }
        diagnostics::sort_and_dedup(&mut diagnostics);
        Ok(Rendered {
            site,
            base_path: timelines[0].routes.base_path().to_string(),
            articles: timelines[0].entries.len(),
            read: 0,
            as_of,
            warnings: diagnostics,
        })
    }
}

impl Engine {
    /// Renders each language's pages into `sink`, the default's first
    /// (with the static files, which every language shares), and merges
    /// them into one site.
    fn render_editions<S: Sink>(
        &mut self,
        (timelines, templates): (&[timeline::Timeline], &[Templates]),
        mut statics: Vec<statics::StaticFile>,
        previous: Option<&dyn Previous>,
        sink: &S,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<crate::site::Site, S::Error> {
        let standing = |path: &str| previous.and_then(|p| p.standing(path));
        let mut site = crate::site::Site::default();
        // Each language's entries are its own: a language is given every
        // fragment the memo has and keeps those it used, so the others'
        // stay for the next build.
        let several = timelines.len() > 1;
        let mut memo = std::mem::take(&mut self.bulk().render);
        let known = match several {
            true => std::mem::take(&mut memo.fragments),
            false => Fragments::new(),
        };
        let mut used = Fragments::new();
        for (timeline, templates) in timelines.iter().zip(templates) {
            if several {
                memo.fragments = known.clone();
            }
            let made = render::render(
                timeline,
                templates,
                std::mem::take(&mut statics),
                &standing,
                &mut memo,
                sink,
                diagnostics,
            );
            if several {
                used.extend(std::mem::take(&mut memo.fragments));
            }
            diagnostics.extend(timeline.fragment_diagnostics());
            let made = made?;
            site.merge(made, diagnostics);
        }
        if several {
            memo.fragments = used;
        }
        memo.pages.retain(|path, _| site.origins.contains_key(path));
        // Every language's pages are made: their links can be followed
        // (a language switcher's into the others).
        if let Some(first) = timelines.first() {
            render::check_links(first, &site, &mut memo, diagnostics);
        }
        self.bulk().render = memo;
        Ok(site)
    }

    /// A timeline per language, the default's first, each knowing the
    /// others' (for the links between translations).
    fn order_editions(
        &mut self,
        options: &Options,
        settings: &crate::config::Settings,
        (editions, templates): (Vec<translations::Edition>, &[Templates]),
        as_of: chrono::NaiveDate,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<timeline::Timeline> {
        editions
            .into_iter()
            .zip(templates)
            .map(|(edition, templates)| {
                let mut settings = settings.in_language(&edition.language);
                // Bodies name their citations' links in their language.
                let language = &templates.language;
                settings.words = crate::config::Words {
                    citation: language.label("citation-label").to_string(),
                    footnote_back: language.label("footnote-back").to_string(),
                    footnote_mark: language.label("footnote-mark").to_string(),
                };
                self.order(options, settings, edition.articles, as_of, diagnostics)
            })
            .collect()
    }

    /// The timeline, with the bodies the memo knows.
    fn order(
        &mut self,
        options: &Options,
        settings: crate::config::Settings,
        articles: Vec<Arc<Article>>,
        as_of: chrono::NaiveDate,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> timeline::Timeline {
        let bodies = &self.bulk().bodies;
        let memo = |a: &Article| bodies.get(&body_key(a)).cloned();
        timeline::build(
            settings,
            articles,
            as_of,
            options.drafts,
            &memo,
            content::Texts::new(&options.root),
            diagnostics,
        )
    }

    /// The memo keeps the bodies this build knows, in every language
    /// (drafts' and gone files' go).
    fn remember_bodies(&mut self, timelines: &[timeline::Timeline]) {
        self.bulk().bodies = timelines
            .iter()
            .flat_map(|timeline| {
                (0..timeline.entries.len()).filter_map(|i| {
                    let record = timeline.body_record(i)?;
                    Some((body_key(&timeline.entries[i].article), Arc::clone(record)))
                })
            })
            .collect();
    }
}

/// The settings with the command line's overrides, and the as-of date.
fn effective_settings(
    options: &Options,
    mut settings: crate::config::Settings,
) -> (crate::config::Settings, chrono::NaiveDate) {
    if let Some(base_url) = &options.base_url {
        settings.base_url = Some(base_url.clone());
    }
    // Today is taken in the site's zone when it has one.
    let today = match (options.now, settings.timezone) {
        (Some(now), Some(tz)) => chrono::DateTime::from_timestamp(now, 0)
            .map_or(options.default_as_of, |t| t.with_timezone(&tz).date_naive()),
        _ => options.default_as_of,
    };
    let as_of = options.as_of.or(settings.as_of).unwrap_or(today);
    (settings, as_of)
}

/// The templates once per language, each with its language's `t`, and
/// what making the languages reported (a language without catalogue).
fn localized(
    options: &Options,
    templates: Templates,
    editions: &[translations::Edition],
    catalogues: &i18n::SiteCatalogues,
    settings: &std::path::Path,
) -> (Vec<Templates>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut all = vec![templates];
    for _ in 1..editions.len() {
        // Loaded cleanly once already: their problems are reported.
        all.extend(render::templates::load(&options.root, &mut Vec::new()));
    }
    for (templates, edition) in all.iter_mut().zip(editions) {
        let language =
            i18n::Language::new(&edition.language, catalogues, settings, &mut diagnostics);
        templates.localize(Arc::new(language));
    }
    (all, diagnostics)
}

/// What a run has loaded, for rendering.
struct Parts<'a> {
    settings: crate::config::Settings,
    /// The articles of each language, the default's first.
    editions: Vec<translations::Edition>,
    templates: &'a [Templates],
    statics: Vec<statics::StaticFile>,
    previous: Option<&'a dyn Previous>,
}

/// Keeps what parsing each article file gave, for the next run: files
/// parsed now replace their entries, files gone lose theirs.
fn remember_files(files: &mut Files, loaded: &content::Loaded, diagnostics: &[Diagnostic]) {
    let present: HashMap<&Path, &content::FileRead> =
        loaded.files.iter().map(|f| (f.rel.as_path(), f)).collect();
    files.retain(|_, memo| present.contains_key(memo.path.as_path()));
    let mut fresh: HashMap<&Path, FileMemo> = loaded
        .files
        .iter()
        .filter(|f| f.fresh)
        .map(|f| {
            let memo = FileMemo {
                path: f.rel.clone(),
                hash: f.hash,
                article: None,
                diagnostics: Vec::new(),
            };
            (f.rel.as_path(), memo)
        })
        .collect();
    for d in diagnostics {
        if let Some(memo) = fresh.get_mut(d.path.as_path()) {
            memo.diagnostics.push(d.clone());
        }
    }
    for a in &loaded.articles {
        if let Some(memo) = fresh.get_mut(a.path.as_path()) {
            memo.article = Some(Arc::clone(a));
        }
    }
    for (path, memo) in fresh {
        files.insert(path_key(path), memo);
    }
}

/// For a site in several languages, tells each timeline every language's
/// pages, so a page links to the same page in the others (`hreflang`, the
/// language switcher) where they have it.
fn link_editions(timelines: &mut [timeline::Timeline], templates: &[Templates]) {
    if timelines.len() < 2 {
        return;
    }
    let all: Vec<translations::Other> = (timelines.iter().zip(templates))
        .map(|(t, templates)| {
            let root = t.routes.language_root();
            let pages = (render::page_urls(t, templates).into_iter())
                .filter_map(|url| url.strip_prefix(&root).map(str::to_string))
                .collect();
            translations::Other {
                language: t.settings.language.clone(),
                name: i18n::endonym(&t.settings.language),
                routes: t.routes.clone(),
                pages: Arc::new(pages),
            }
        })
        .collect();
    for timeline in timelines {
        timeline.editions = all.clone();
    }
}

/// What the memo is valid for: this chronicle, the settings files, the
/// templates, the site's catalogues (`i18n/`), and the options that shape every body.
fn memo_key(
    options: &Options,
    templates: Option<&Templates>,
    catalogues: &i18n::SiteCatalogues,
    sources: &content::Sources,
) -> Fingerprint {
    let settings = sources
        .settings
        .as_ref()
        .map(|s| s.hash)
        .unwrap_or_default();
    // A body's citations are rendered with the site's sources.
    let site_sources = (sources.registries.iter())
        .find(|f| f.rel_content == content::registry::SOURCES_FILE)
        .map(|f| f.hash)
        .unwrap_or_default();
    let mut h = Hasher::new();
    // The other languages' titles and introductions, like the settings.
    for text in &sources.site_texts {
        h.part(files::to_slash(&text.rel).as_bytes())
            .fingerprint(text.hash);
    }
    h.part(&MEMO_FORMAT.to_le_bytes())
        .fingerprint(site_sources)
        .part(env!("CARGO_PKG_VERSION").as_bytes())
        .fingerprint(settings)
        .fingerprint(templates.map_or_else(Fingerprint::default, |t| t.fingerprint))
        .fingerprint(catalogues.fingerprint())
        .part(&[u8::from(options.drafts)])
        .part(options.base_url.as_deref().unwrap_or("").as_bytes());
    h.finish()
}

/// Everything a build reads, as one fingerprint: the memo's key, the as-of
/// date, every article and static file's path and bytes, and what reading
/// them reported (a symbolic link found, say).
fn inputs(
    key: Fingerprint,
    options: &Options,
    sources: &content::Sources,
    statics: &[statics::StaticFile],
    diagnostics: &[Diagnostic],
) -> Fingerprint {
    let mut h = Hasher::new();
    h.fingerprint(key)
        // The quarter hour: today in the site's zone can change while the
        // day in UTC does not (offsets are whole quarter hours).
        .part(
            format!(
                "{:?} {} {:?}",
                options.as_of,
                options.default_as_of,
                options.now.map(|n| n.div_euclid(900))
            )
            .as_bytes(),
        )
        .fingerprint(crate::fingerprint::of(diagnostics))
        .fingerprint(crate::fingerprint::of(&sources.diagnostics));
    for file in sources.articles.iter().chain(&sources.registries) {
        h.part(files::to_slash(&file.rel).as_bytes())
            .fingerprint(file.hash);
    }
    for file in statics {
        h.part(file.name.as_bytes()).fingerprint(file.hash);
    }
    h.finish()
}
