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

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Options, RenderedSite};
use crate::content;
use crate::diagnostics::{self, Diagnostic};
use crate::files;
use crate::fingerprint::{Fingerprint, Hasher};
use crate::i18n;
use crate::model::Article;
pub use crate::output::store::Changes;
use crate::render::bodies::BodyRecord;
use crate::render::{self, Fragments, Input, Templates, statics};
use crate::site::Sink;
use crate::timeline;
use crate::translations;

/// Bumped whenever what the memo holds changes shape or meaning.
const MEMO_FORMAT: u32 = 21;

/// What the last build left for this one to ask about its output.
pub trait PreviousOutput: Sync {
    /// The fingerprint a file was made from, if it still stands as made.
    fn standing(&self, path: &str) -> Option<Fingerprint>;
    /// The inputs of the last build, if every file it made still stands.
    fn untouched_inputs(&self) -> Option<Fingerprint>;
    /// Calls `f` with the path of every file the last build made, in
    /// the paths' order, until it returns `false`.
    fn each_made(&self, f: &mut dyn FnMut(&str) -> bool);
}

/// The links check of the whole site, told what stands of the last build.
fn check_links(
    timeline: &timeline::Timeline,
    site: &crate::site::Site,
    previous: Option<&dyn PreviousOutput>,
    memo: &mut render::RenderMemo,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let standing = |path: &str| previous.and_then(|p| p.standing(path));
    let reserved = render::reserved(timeline);
    let before = render::links::Before {
        fingerprint: &standing,
        lost_files: previous.is_some_and(|p| lost_files(p, site, reserved)),
    };
    render::check_links(timeline, site, before, memo, diagnostics);
}

/// Whether a file the last build made, outside the `reserved` folders, is
/// not in this build's site (both in the paths' order: one pass).
fn lost_files(previous: &dyn PreviousOutput, site: &crate::site::Site, reserved: &[&str]) -> bool {
    let mut now = site.origins.keys().peekable();
    let mut lost = false;
    previous.each_made(&mut |path| {
        while now.next_if(|p| p.as_str() < path).is_some() {}
        lost = now.peek().is_none_or(|p| p.as_str() != path)
            && !reserved.iter().any(|r| path.starts_with(r));
        !lost
    });
    lost
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
        rendered: RenderedSite,
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

/// The small part of the memo, read by every build (a build that changes
/// nothing reads only this).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Head {
    format: u32,
    version: String,
    key: Fingerprint,
    last: Option<LastBuild>,
    /// Each article file's stat, once settled, and the hash of its bytes:
    /// a file with the same stat is not read (kept when the rest of the
    /// memo is thrown away, since it holds only facts about files).
    known: KnownFiles,
}

/// By the path's bytes under the root: compared byte by byte, where a
/// `Path` compares component by component (a tenth of a build that
/// changed one file, at 10,000 files, went to those comparisons).
type KnownFiles = BTreeMap<Vec<u8>, (content::Stat, Fingerprint)>;

fn known_key(rel: &Path) -> Vec<u8> {
    rel.as_os_str().as_encoded_bytes().to_vec()
}

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
    render: render::RenderMemo,
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

/// Where the memo's records are kept between builds (a table of byte keys
/// and values per kind of record; see [`Engine::changes`]), read only
/// when a build needs them.
pub trait Records: Send + Sync {
    /// Calls `f` with every record of `table`; `false` if they cannot be
    /// read.
    fn each(&self, table: &'static str, f: &mut dyn FnMut(&[u8], &[u8])) -> bool;
    /// One record of `table`, if it is there and can be read.
    fn get(&self, table: &'static str, key: &[u8]) -> Option<Vec<u8>>;
}

/// The fragments the store holds, read one by one when a page shows them.
struct StoredFragments(Arc<dyn Records>);

impl render::StoredFragments for StoredFragments {
    fn html(&self, key: Fingerprint) -> Option<tera::Value> {
        let bytes = self.0.get(tables::FRAGMENTS, &key_bytes(key))?;
        let fragment: render::Fragment = postcard::from_bytes(&bytes).ok()?;
        Some(fragment.html)
    }

    fn part(&self, key: Fingerprint) -> Option<String> {
        let bytes = self.0.get(tables::PARTS, &key_bytes(key))?;
        postcard::from_bytes(&bytes).ok()
    }
}

/// The tables of the memo's records.
pub mod tables {
    /// The small part: one record, [`HEAD`](self::HEAD).
    pub const HEAD: &str = "head";
    pub const FILES: &str = "files";
    pub const BODIES: &str = "bodies";
    /// Each fragment's HTML, read only when a page shows it.
    pub const FRAGMENTS: &str = "fragments";
    /// The fragments' keys alone (empty values), read every build.
    pub const FRAGMENT_KEYS: &str = "fragment-keys";
    /// The exports' parts, as the fragments are kept.
    pub const PARTS: &str = "parts";
    pub const PART_KEYS: &str = "part-keys";
    pub const PAGES: &str = "pages";
    /// What is kept whole: the links check's and the search index's memos.
    pub const WHOLE: &str = "whole";
    pub const LINKS: &[u8] = b"links";
    pub const SEARCH: &[u8] = b"search";
}

/// The large part, read and decoded only when a build needs it.
enum Lazy {
    /// In the store, not read yet (`None` once read).
    Unread(Option<Arc<dyn Records>>),
    Decoded(Box<Bulk>),
}

impl std::fmt::Debug for Lazy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Lazy::Unread(_) => f.write_str("Unread"),
            Lazy::Decoded(bulk) => f.debug_tuple("Decoded").field(bulk).finish(),
        }
    }
}

/// What the store held when the large part was read, so a build writes
/// only the records that differ.
#[derive(Debug, Default)]
struct Loaded {
    /// Article files by key, with the hash of the bytes each was read from.
    files: HashMap<Fingerprint, Fingerprint>,
    /// Bodies as read: a record still the same allocation is unchanged.
    bodies: HashMap<Fingerprint, Arc<BodyRecord>>,
    /// Fragments are named by what they were made from: a key says all.
    fragments: HashSet<Fingerprint>,
    parts: HashSet<Fingerprint>,
    pages: render::PageKeys,
    /// The hash of each whole record's bytes.
    whole: HashMap<&'static [u8], Fingerprint>,
}

/// The engine, and what it remembers between runs.
#[derive(Debug)]
pub struct Engine {
    head: Head,
    files: Lazy,
    loaded: Loaded,
    /// The store holds nothing this engine knows of (a new memo, or one
    /// thrown away): it is emptied before the records are written.
    clear: bool,
    /// Why the stored memo was not trusted, if it was there and was not.
    set_aside: Option<SetAside>,
}

/// Why a stored memo was thrown away rather than used (a memo for other
/// settings or templates is not one: it is simply out of date).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetAside {
    /// Written by another chronicle, or another shape of memo.
    #[error(
        "the cache was written by chronicle {version} (memo format {format}), this is {} \
         (format {MEMO_FORMAT})",
        env!("CARGO_PKG_VERSION")
    )]
    OtherVersion { version: String, format: u32 },
    /// Its head, or one of its records, does not decode.
    #[error("the cache is damaged (a record does not decode)")]
    Damaged,
}

/// The first two fields of every memo's head, whatever its format.
#[derive(Deserialize)]
struct Stamp {
    format: u32,
    version: String,
}

impl Default for Engine {
    fn default() -> Engine {
        Engine {
            head: Head {
                format: MEMO_FORMAT,
                version: env!("CARGO_PKG_VERSION").to_string(),
                ..Head::default()
            },
            files: Lazy::Decoded(Box::default()),
            loaded: Loaded::default(),
            clear: true,
            set_aside: None,
        }
    }
}

fn key_bytes(key: Fingerprint) -> Vec<u8> {
    key.0.to_le_bytes().to_vec()
}

fn key_of(bytes: &[u8]) -> Option<Fingerprint> {
    Some(Fingerprint(u128::from_le_bytes(bytes.try_into().ok()?)))
}

fn encode<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    postcard::to_stdvec(value).unwrap_or_default()
}

/// The hash of a whole record's bytes, as [`Engine::changes`] compares it.
fn fingerprint_of<T: Serialize + ?Sized>(value: &T) -> Fingerprint {
    crate::fingerprint::of_bytes(&encode(value))
}

/// Each record of `table` decoded into `into`; `false` if one does not
/// decode or the table cannot be read.
fn read_table<K, V: serde::de::DeserializeOwned>(
    records: &dyn Records,
    table: &'static str,
    key: impl Fn(&[u8]) -> Option<K>,
    mut into: impl FnMut(K, V),
) -> bool {
    let mut whole = true;
    let read = records.each(table, &mut |k, v| {
        match (key(k), postcard::from_bytes::<V>(v)) {
            (Some(k), Ok(v)) => into(k, v),
            _ => whole = false,
        };
    });
    read && whole
}

impl Engine {
    pub fn new() -> Engine {
        Engine::default()
    }

    /// An engine with the memo a build stored: the small part (`head`,
    /// read now) and the records, read by `bulk` only if the build needs
    /// them. An unreadable memo, or one from another chronicle, is thrown
    /// away.
    pub fn from_store(head: &[u8], records: Arc<dyn Records>) -> Engine {
        let set_aside = match postcard::from_bytes::<Stamp>(head) {
            Ok(s) if s.format == MEMO_FORMAT && s.version == env!("CARGO_PKG_VERSION") => {
                match postcard::from_bytes::<Head>(head) {
                    Ok(head) => {
                        return Engine {
                            head,
                            files: Lazy::Unread(Some(records)),
                            loaded: Loaded::default(),
                            clear: false,
                            set_aside: None,
                        };
                    }
                    Err(_) => SetAside::Damaged,
                }
            }
            Ok(Stamp { format, version }) => SetAside::OtherVersion { version, format },
            Err(_) => SetAside::Damaged,
        };
        Engine {
            set_aside: Some(set_aside),
            ..Engine::new()
        }
    }

    /// Why the memo this engine was made from was not trusted, if it was
    /// not (found while the build runs: a record that does not decode is
    /// found only when the records are read).
    pub fn set_aside(&self) -> Option<&SetAside> {
        self.set_aside.as_ref()
    }

    /// The records this run changed, to store for the next build (the
    /// small part always; the large part's only where they differ from
    /// what was read, and none if it was not read). The exports' parts
    /// made now go to the changes rather than being copied: memory then
    /// holds them once, and the next build reads them from the store (or,
    /// if they were not stored, makes them again).
    pub fn changes(&mut self) -> Changes {
        let parts = match &mut self.files {
            Lazy::Decoded(bulk) => part_changes(&mut bulk.render.parts, &self.loaded.parts),
            Lazy::Unread(_) => Default::default(),
        };
        let mut changes = Changes {
            clear: self.clear,
            tables: vec![(
                tables::HEAD,
                vec![(tables::HEAD.as_bytes().to_vec(), Some(encode(&self.head)))],
            )],
        };
        let Lazy::Decoded(bulk) = &self.files else {
            return changes;
        };
        let loaded = &self.loaded;
        let files = diff(&bulk.files, loaded.files.keys(), |k, f| {
            loaded.files.get(k) != Some(&f.hash)
        });
        let bodies = diff(&bulk.bodies, loaded.bodies.keys(), |k, b| {
            !loaded.bodies.get(k).is_some_and(|old| Arc::ptr_eq(old, b))
        });
        let (fragments, fragment_keys) =
            fragment_changes(&bulk.render.fragments, &loaded.fragments);
        let mut pages: Vec<_> = (bulk.render.pages.iter())
            .filter(|(path, v)| loaded.pages.get(*path) != Some(*v))
            .map(|(path, v)| (path.as_bytes().to_vec(), Some(encode(v))))
            .collect();
        pages.extend(
            (loaded.pages.keys())
                .filter(|path| !bulk.render.pages.contains_key(*path))
                .map(|path| (path.as_bytes().to_vec(), None)),
        );
        let mut whole = Vec::new();
        for (name, bytes) in [
            (tables::LINKS, encode(&bulk.render.links)),
            (tables::SEARCH, encode(&bulk.render.search)),
        ] {
            let hash = crate::fingerprint::of_bytes(&bytes);
            if loaded.whole.get(name) != Some(&hash) {
                whole.push((name.to_vec(), Some(bytes)));
            }
        }
        changes.tables.extend([
            (tables::FILES, files),
            (tables::BODIES, bodies),
            (tables::FRAGMENTS, fragments),
            (tables::FRAGMENT_KEYS, fragment_keys),
            (tables::PARTS, parts.0),
            (tables::PART_KEYS, parts.1),
            (tables::PAGES, pages),
            (tables::WHOLE, whole),
        ]);
        changes
    }

    /// Lets go of the memo's records on a thread of their own: freeing a
    /// large archive's takes a twentieth of a one-article build, and a
    /// process about to exit need not wait for it (the system takes the
    /// memory back at once). The store itself is let go here, so it is
    /// always closed as it should be.
    pub fn release(&mut self) {
        let bulk = match std::mem::replace(&mut self.files, Lazy::Unread(None)) {
            Lazy::Decoded(mut bulk) => {
                bulk.render.stored = render::Stored(None);
                bulk
            }
            Lazy::Unread(_) => return,
        };
        let loaded = std::mem::take(&mut self.loaded);
        let records = (bulk, loaded);
        let spawned = std::thread::Builder::new()
            .name("release".into())
            .spawn(move || drop(records));
        // Without a thread, freed here.
        drop(spawned);
    }

    /// Told whether the [`changes`](Self::changes) were stored: if so,
    /// they are what the store holds now (for a process that stores again,
    /// `serve`); if not, the store is in doubt and is written whole next.
    pub fn stored(&mut self, ok: bool) {
        self.clear = !ok;
        if let (true, Lazy::Decoded(bulk)) = (ok, &self.files) {
            self.loaded = Loaded {
                files: (bulk.files.iter()).map(|(k, f)| (*k, f.hash)).collect(),
                bodies: (bulk.bodies.iter())
                    .map(|(k, b)| (*k, Arc::clone(b)))
                    .collect(),
                fragments: bulk.render.fragments.keys().copied().collect(),
                parts: bulk.render.parts.keys().copied().collect(),
                pages: bulk.render.pages.clone(),
                whole: [
                    (tables::LINKS, fingerprint_of(&bulk.render.links)),
                    (tables::SEARCH, fingerprint_of(&bulk.render.search)),
                ]
                .into_iter()
                .collect(),
            };
        }
    }

    /// The large part of the memo, read from the store now if it was not
    /// yet (a memo one of whose records does not decode is thrown away).
    fn bulk(&mut self) -> &mut Bulk {
        if let Lazy::Unread(records) = &mut self.files {
            let read = records.take().and_then(|records| {
                let (mut bulk, loaded) = load(records.as_ref())?;
                let stored = Arc::new(StoredFragments(records));
                bulk.render.stored = render::Stored(Some(stored));
                Some((bulk, loaded))
            });
            let (bulk, loaded) = read.unwrap_or_else(|| {
                self.clear = true;
                self.set_aside = Some(SetAside::Damaged);
                Default::default()
            });
            self.loaded = loaded;
            self.files = Lazy::Decoded(Box::new(bulk));
        }
        match &mut self.files {
            Lazy::Decoded(bulk) => bulk,
            Lazy::Unread(_) => unreachable!("read above"),
        }
    }

    /// Forgets everything: the memo was for other settings or templates.
    fn reset(&mut self, key: Fingerprint) {
        let known = std::mem::take(&mut self.head.known);
        let set_aside = self.set_aside.take();
        *self = Engine {
            set_aside,
            ..Engine::new()
        };
        // `new` clears the store when its records are written.
        self.head.key = key;
        self.head.known = known;
    }

    /// One build. With `previous`, pages whose fingerprint it recorded and
    /// that still stand are kept, not rendered; without, every page renders.
    pub fn run<S: Sink>(
        &mut self,
        options: &Options,
        previous: Option<&dyn PreviousOutput>,
        sink: &S,
    ) -> Result<Run, Stop<S::Error>> {
        let known = &self.head.known;
        let content_files = content::read_known(&options.root, &|rel| {
            known.get(rel.as_os_str().as_encoded_bytes()).copied()
        });
        self.run_on(options, previous, content_files, sink)
    }

    /// Reads `content/` as [`run`](Self::run) does: an article file whose
    /// stat the memo recorded is known by it, not read.
    pub fn read_content(&self, root: &Path) -> content::ContentFiles {
        let known = &self.head.known;
        content::read_known(root, &|rel| {
            known.get(rel.as_os_str().as_encoded_bytes()).copied()
        })
    }

    /// One build from `content/` as already read (`serve` keeps it up to
    /// date from the watcher's events).
    pub fn run_on<S: Sink>(
        &mut self,
        options: &Options,
        previous: Option<&dyn PreviousOutput>,
        content_files: content::ContentFiles,
        sink: &S,
    ) -> Result<Run, Stop<S::Error>> {
        let mut diagnostics = Vec::new();
        let templates = render::templates::load(&options.root, &mut diagnostics);
        let catalogues = i18n::SiteCatalogues::read(&options.root, &mut diagnostics);
        let key = memo_key(options, templates.as_ref(), &catalogues, &content_files);
        if self.head.key != key {
            self.reset(key);
        }
        let statics = statics::collect(&options.root, &mut diagnostics);
        let inputs = inputs(key, options, &content_files, &statics, &diagnostics);
        if let Some(run) = self.unchanged(inputs, previous, &content_files) {
            return Ok(run);
        }
        self.head.last = None;
        let files = &mut self.bulk().files;
        let mut loaded = content::parse(content_files, &|rel, hash| {
            let f = files.get(&path_key(rel)).filter(|f| f.hash == hash)?;
            Some((f.article.clone(), f.diagnostics.clone()))
        });
        diagnostics.append(&mut loaded.diagnostics);
        remember_files(files, &loaded, &diagnostics);
        self.head.known = (loaded.files.iter())
            .filter_map(|f| Some((known_key(&f.rel), (f.stat?, f.hash))))
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
        previous: Option<&dyn PreviousOutput>,
        content_files: &content::ContentFiles,
    ) -> Option<Run> {
        let last = self.head.last.as_ref().filter(|l| l.inputs == inputs)?;
        if previous?.untouched_inputs()? != inputs {
            return None;
        }
        let read = (content_files.articles.iter())
            .filter(|f| !matches!(f.bytes, Ok(None)))
            .count();
        let known: KnownFiles = (content_files.articles.iter())
            .filter_map(|f| Some((known_key(&f.rel), (f.stat?, f.hash))))
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
    ) -> Result<RenderedSite, Stop<S::Error>> {
        let Parts {
            settings,
            editions,
            templates,
            statics,
            previous,
        } = parts;
        let (settings, as_of) = effective_settings(options, settings);
        let (mut timelines, bodies) = self.order_editions(
            options,
            &settings,
            editions,
            templates,
            as_of,
            &mut diagnostics,
        );
        if diagnostics.iter().any(Diagnostic::is_error) {
            // Every content error at once: the bodies' too.
            for (timeline, bodies) in timelines.iter().zip(&bodies) {
                diagnostics.extend(bodies.body_diagnostics(timeline));
            }
            return Err(fail(diagnostics));
        }
        link_editions(&mut timelines, &bodies, templates);
        let inputs: Vec<Input<'_>> = (timelines.iter().zip(&bodies))
            .map(|(timeline, bodies)| Input { timeline, bodies })
            .collect();
        let site = match self.render_editions(
            &inputs,
            templates,
            statics,
            previous,
            sink,
            &mut diagnostics,
        ) {
            Ok(site) => site,
            Err(e) => return Err(Stop::Sink(e, diagnostics)),
        };
        self.remember_bodies(&inputs);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(fail(diagnostics));
        }
        diagnostics::sort_and_dedup(&mut diagnostics);
        Ok(RenderedSite {
            site,
            base_path: timelines[0].routes.base_path().to_string(),
            articles: timelines[0].entries.len(),
            read: 0,
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
        inputs: &[Input<'_>],
        templates: &[Templates],
        mut statics: Vec<statics::StaticFile>,
        previous: Option<&dyn PreviousOutput>,
        sink: &S,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<crate::site::Site, S::Error> {
        let standing = |path: &str| previous.and_then(|p| p.standing(path));
        let mut site = crate::site::Site::default();
        // Each language's entries are its own: a language is given every
        // fragment and export part the memo has and keeps those it used,
        // so the others' stay for the next build.
        let several = inputs.len() > 1;
        let mut memo = std::mem::take(&mut self.bulk().render);
        let known = match several {
            true => (
                std::mem::take(&mut memo.fragments),
                std::mem::take(&mut memo.parts),
            ),
            false => Default::default(),
        };
        let mut used = (Fragments::new(), render::parts::KnownParts::new());
        for (&input, templates) in inputs.iter().zip(templates) {
            if several {
                (memo.fragments, memo.parts) = known.clone();
            }
            let made = render::render(
                input,
                templates,
                std::mem::take(&mut statics),
                &standing,
                &mut memo,
                sink,
                diagnostics,
            );
            if several {
                used.0.extend(std::mem::take(&mut memo.fragments));
                used.1.extend(std::mem::take(&mut memo.parts));
            }
            diagnostics.extend(input.bodies.fragment_diagnostics(input.timeline));
            let made = made?;
            site.merge(made, diagnostics);
        }
        if several {
            (memo.fragments, memo.parts) = used;
        }
        memo.pages.retain(|path, _| site.origins.contains_key(path));
        // Every language's pages are made: their links can be followed
        // (a language switcher's into the others).
        if let Some(first) = inputs.first() {
            check_links(first.timeline, &site, previous, &mut memo, diagnostics);
        }
        self.bulk().render = memo;
        Ok(site)
    }

    /// A timeline per language, the default's first, and its bodies.
    fn order_editions(
        &mut self,
        options: &Options,
        settings: &crate::config::Settings,
        editions: Vec<translations::Edition>,
        templates: &[Templates],
        as_of: chrono::NaiveDate,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> (Vec<timeline::Timeline>, Vec<render::Bodies>) {
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
            .unzip()
    }

    /// The timeline, and its bodies with those the memo knows.
    fn order(
        &mut self,
        options: &Options,
        settings: crate::config::Settings,
        articles: Vec<Arc<Article>>,
        as_of: chrono::NaiveDate,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> (timeline::Timeline, render::Bodies) {
        let texts = content::Texts::new(&options.root);
        let timeline = timeline::build(
            settings,
            articles,
            as_of,
            options.drafts,
            &texts,
            diagnostics,
        );
        let known = &self.bulk().bodies;
        let memo = |a: &Article| known.get(&body_key(a)).cloned();
        let bodies = render::Bodies::new(&timeline, &memo, texts, diagnostics);
        (timeline, bodies)
    }

    /// The memo keeps the bodies this build knows, in every language
    /// (drafts' and gone files' go).
    fn remember_bodies(&mut self, inputs: &[Input<'_>]) {
        self.bulk().bodies = inputs
            .iter()
            .flat_map(|&Input { timeline, bodies }| {
                (0..timeline.entries.len()).filter_map(move |i| {
                    let record = bodies.body_record(i)?;
                    Some((body_key(&timeline.entries[i].article), Arc::clone(record)))
                })
            })
            .collect();
    }
}

/// The settings with the command line's overrides, and the as-of date:
/// here, not in `config`, because the options are the pipeline's (see
/// `config` for who owns which part of the settings).
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
    previous: Option<&'a dyn PreviousOutput>,
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

/// The records of `now` that `changed` says differ from the store's, and
/// the store's keys (`before`) that `now` no longer has, to remove.
fn diff<'a, V: Serialize>(
    now: &BTreeMap<Fingerprint, V>,
    before: impl Iterator<Item = &'a Fingerprint>,
    changed: impl Fn(&Fingerprint, &V) -> bool,
) -> Vec<crate::output::store::RecordChange> {
    let mut records: Vec<_> = (now.iter())
        .filter(|(k, v)| changed(k, v))
        .map(|(k, v)| (key_bytes(*k), Some(encode(v))))
        .collect();
    records.extend(
        before
            .filter(|k| !now.contains_key(*k))
            .map(|k| (key_bytes(*k), None)),
    );
    records
}

/// The large part of the memo read from `records`, with what was read;
/// `None` if any of it does not read. The tables are read side by side.
fn load(records: &dyn Records) -> Option<(Bulk, Loaded)> {
    let ((files, bodies), ((fragments, parts), (pages, whole))) = rayon::join(
        || rayon::join(|| load_files(records), || load_bodies(records)),
        || {
            rayon::join(
                || {
                    rayon::join(
                        || load_keys(records, tables::FRAGMENT_KEYS),
                        || load_keys(records, tables::PART_KEYS),
                    )
                },
                || rayon::join(|| load_pages(records), || load_whole(records)),
            )
        },
    );
    let (mut bulk, mut loaded) = (Bulk::default(), Loaded::default());
    (bulk.files, loaded.files) = files?;
    (bulk.bodies, loaded.bodies) = bodies?;
    (bulk.render.fragments, loaded.fragments) = fragments?;
    (bulk.render.parts, loaded.parts) = parts?;
    bulk.render.pages = pages?;
    loaded.pages = bulk.render.pages.clone();
    let ((links, search), hashes) = whole?;
    (bulk.render.links, bulk.render.search, loaded.whole) = (links, search, hashes);
    Some((bulk, loaded))
}

fn load_files(records: &dyn Records) -> Option<(Files, HashMap<Fingerprint, Fingerprint>)> {
    let (mut files, mut hashes) = (Files::new(), HashMap::new());
    read_table(records, tables::FILES, key_of, |k, f: FileMemo| {
        hashes.insert(k, f.hash);
        files.insert(k, f);
    })
    .then_some((files, hashes))
}

type LoadedBodies = HashMap<Fingerprint, Arc<BodyRecord>>;

fn load_bodies(records: &dyn Records) -> Option<(Bodies, LoadedBodies)> {
    let (mut bodies, mut read) = (Bodies::new(), HashMap::new());
    read_table(records, tables::BODIES, key_of, |k, b: BodyRecord| {
        let b = Arc::new(b);
        read.insert(k, Arc::clone(&b));
        bodies.insert(k, b);
    })
    .then_some((bodies, read))
}

/// Records known by key alone (their values `None`, in the store), with
/// the keys.
type KeysRead<V> = (BTreeMap<Fingerprint, Option<V>>, HashSet<Fingerprint>);

/// The fragments' (or the parts') keys from their table of keys: their
/// text stays in the store until a page shows them.
fn load_keys<V>(records: &dyn Records, table: &'static str) -> Option<KeysRead<V>> {
    let (mut fragments, mut keys) = (BTreeMap::new(), HashSet::new());
    let mut whole = true;
    let read = records.each(table, &mut |k, _| match key_of(k) {
        Some(k) => {
            keys.insert(k);
            fragments.insert(k, None);
        }
        None => whole = false,
    });
    (read && whole).then_some((fragments, keys))
}

/// The fragments made now that the store lacks, and the store's that are
/// no longer used: for the HTML's table and the keys'.
fn fragment_changes(
    now: &Fragments,
    before: &HashSet<Fingerprint>,
) -> (
    Vec<crate::output::store::RecordChange>,
    Vec<crate::output::store::RecordChange>,
) {
    let (mut html, mut keys) = (Vec::new(), Vec::new());
    for (k, fragment) in now {
        if let Some(fragment) = fragment.as_ref().filter(|_| !before.contains(k)) {
            html.push((key_bytes(*k), Some(encode(fragment))));
            keys.push((key_bytes(*k), Some(Vec::new())));
        }
    }
    for k in before.iter().filter(|k| !now.contains_key(*k)) {
        html.push((key_bytes(*k), None));
        keys.push((key_bytes(*k), None));
    }
    (html, keys)
}

/// As [`fragment_changes`], for the exports' parts: the parts made now
/// are moved into their records (each let go once encoded, so memory holds
/// one copy), and `now` keeps their keys, to be read from the store.
fn part_changes(
    now: &mut render::parts::KnownParts,
    before: &HashSet<Fingerprint>,
) -> (
    Vec<crate::output::store::RecordChange>,
    Vec<crate::output::store::RecordChange>,
) {
    let (mut texts, mut keys) = (Vec::new(), Vec::new());
    *now = (std::mem::take(now).into_iter())
        .map(|(k, part)| {
            if let Some(part) = part.filter(|_| !before.contains(&k)) {
                texts.push((key_bytes(k), Some(encode(&part))));
                keys.push((key_bytes(k), Some(Vec::new())));
            }
            (k, None)
        })
        .collect();
    for k in before.iter().filter(|k| !now.contains_key(*k)) {
        texts.push((key_bytes(*k), None));
        keys.push((key_bytes(*k), None));
    }
    (texts, keys)
}

fn load_pages(records: &dyn Records) -> Option<render::PageKeys> {
    let mut pages = render::PageKeys::new();
    let path = |k: &[u8]| String::from_utf8(k.to_vec()).ok();
    read_table(records, tables::PAGES, path, |path, v| {
        pages.insert(path, v);
    })
    .then_some(pages)
}

type Whole = (render::links::LinkMemo, render::search::SearchMemo);

fn load_whole(records: &dyn Records) -> Option<(Whole, HashMap<&'static [u8], Fingerprint>)> {
    let (mut links, mut search) = (None, None);
    let mut hashes = HashMap::new();
    let read = records.each(tables::WHOLE, &mut |k, v| {
        let hash = crate::fingerprint::of_bytes(v);
        if k == tables::LINKS {
            links = postcard::from_bytes(v).ok();
            hashes.insert(tables::LINKS, hash);
        } else if k == tables::SEARCH {
            search = postcard::from_bytes(v).ok();
            hashes.insert(tables::SEARCH, hash);
        }
    });
    let whole = match (links, search) {
        (Some(l), Some(s)) => (l, s),
        // A memo that never had them (a first build's head only).
        (None, None) if hashes.is_empty() => Default::default(),
        _ => return None,
    };
    read.then_some((whole, hashes))
}

/// For a site in several languages, tells each timeline every language's
/// pages, so a page links to the same page in the others (`hreflang`, the
/// language switcher) where they have it.
fn link_editions(
    timelines: &mut [timeline::Timeline],
    bodies: &[render::Bodies],
    templates: &[Templates],
) {
    if timelines.len() < 2 {
        return;
    }
    let all: Vec<translations::Other> = (timelines.iter().zip(bodies).zip(templates))
        .map(|((t, bodies), templates)| {
            let root = t.routes.language_root();
            let input = Input {
                timeline: t,
                bodies,
            };
            let pages = (render::page_urls(input, templates).into_iter())
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
    content_files: &content::ContentFiles,
) -> Fingerprint {
    let settings = content_files
        .settings
        .as_ref()
        .map(|s| s.hash)
        .unwrap_or_default();
    // A body's citations are rendered with the site's sources.
    let site_sources = (content_files.registries.iter())
        .find(|f| f.rel_content == content::registry::SOURCES_FILE)
        .map(|f| f.hash)
        .unwrap_or_default();
    let mut h = Hasher::new();
    // The other languages' titles and introductions, like the settings.
    for text in &content_files.site_texts {
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
    content_files: &content::ContentFiles,
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
        .fingerprint(crate::fingerprint::of(&content_files.diagnostics));
    for file in content_files
        .articles
        .iter()
        .chain(&content_files.registries)
    {
        h.part(files::to_slash(&file.rel).as_bytes())
            .fingerprint(file.hash);
    }
    for file in statics {
        h.part(file.name.as_bytes()).fingerprint(file.hash);
    }
    h.finish()
}
