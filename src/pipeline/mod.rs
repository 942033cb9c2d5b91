//! The pipeline end to end: load → timeline → render → write, and the report
//! of what a build did.
//!
//! Everything before `write` is pure: it reads files and returns values, so
//! `check` runs the same code as `build` and simply writes nothing. A content
//! or template error stops the pipeline before the output folder is touched.

use std::path::PathBuf;

use chrono::NaiveDate;

pub mod engine;

use crate::diagnostics::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::output::{OpenOptions, OutputError, OutputFolder, WriteStats};
use crate::site::{Discard, Memory, Site};
pub use engine::{Engine, Run, Stop};

/// What to build, and how.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// Where to write; `<root>/public` when `None`.
    pub output: Option<PathBuf>,
    /// `--cache-dir`: where a build keeps what it knows of its output
    /// folder; `<root>/.chronicle` when `None`.
    pub cache_dir: Option<PathBuf>,
    /// `--fresh`: ignore what earlier builds learned (the cache), and build
    /// and write every page.
    pub fresh: bool,
    /// `--as-of`: wins over the settings' `as_of`.
    pub as_of: Option<NaiveDate>,
    /// The as-of date when neither `--as-of` nor the settings give one
    /// (the binary passes `SOURCE_DATE_EPOCH`'s day, else today in UTC).
    pub default_as_of: NaiveDate,
    /// The moment the binary runs (`SOURCE_DATE_EPOCH`, else the clock), in
    /// seconds since 1970: when set, the default as-of date is its day in
    /// the site's `timezone` rather than `default_as_of`.
    pub now: Option<i64>,
    /// `--base-url`: wins over the settings' `base_url`.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Whether to list notes (`check`'s: the articles a language lacks).
    pub notes: bool,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>, default_as_of: NaiveDate) -> Self {
        Options {
            root: root.into(),
            output: None,
            cache_dir: None,
            fresh: false,
            as_of: None,
            default_as_of,
            now: None,
            base_url: None,
            drafts: false,
            notes: false,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }

    /// The cache folder (see [`crate::output::cache_dir`]).
    pub fn cache_dir(&self) -> PathBuf {
        crate::output::cache_dir(&self.root, self.cache_dir.as_deref())
    }
}

/// A site rendered in memory, with the warnings found on the way.
#[derive(Debug)]
pub struct RenderedSite {
    pub site: Site,
    /// The path every link starts with (`/news`, or empty).
    pub base_path: String,
    pub articles: usize,
    /// How many article files this build read (the others were known by
    /// their stat, unchanged since the last build).
    pub read: usize,
    /// Warnings only (errors stop the pipeline), sorted.
    pub warnings: Vec<Diagnostic>,
}

/// Why a build failed.
#[derive(Debug)]
pub enum Failure {
    /// Content or template errors (and any warnings), sorted by path and line.
    Diagnostics(Vec<Diagnostic>),
    /// The output folder could not be written (or was refused).
    Output(OutputError, Vec<Diagnostic>),
}

/// Loads, checks and renders the site in memory, every page. Writes nothing.
pub fn render_site(options: &Options) -> Result<RenderedSite, Failure> {
    match Engine::new().run(options, None, &Memory) {
        Ok(Run::Built { rendered, .. }) => Ok(rendered),
        Ok(Run::Unchanged { .. }) => unreachable!("a run without a previous output builds"),
        Err(Stop::Diagnostics(d)) => Err(Failure::Diagnostics(d)),
        Err(Stop::Sink(never, _)) => match never {},
    }
}

/// Loads, checks and renders every page, as a build would, to find every
/// content and template error; keeps no page and writes nothing.
pub fn check(options: &Options) -> Result<RenderedSite, Failure> {
    let options = Options {
        notes: true,
        ..options.clone()
    };
    match Engine::new().run(&options, None, &Discard) {
        Ok(Run::Built { rendered, .. }) => Ok(rendered),
        Ok(Run::Unchanged { .. }) => unreachable!("a run without a previous output builds"),
        Err(Stop::Diagnostics(d)) => Err(Failure::Diagnostics(d)),
        Err(Stop::Sink(never, _)) => match never {},
    }
}

/// What a build did.
#[derive(Debug)]
pub struct Report {
    pub rendered: RenderedSite,
    pub output: PathBuf,
    pub stats: WriteStats,
}

impl engine::PreviousOutput for OutputFolder {
    fn standing(&self, path: &str) -> Option<Fingerprint> {
        OutputFolder::standing(self, path)
    }

    fn untouched_inputs(&self) -> Option<Fingerprint> {
        OutputFolder::untouched_inputs(self)
    }

    fn each_made(&self, f: &mut dyn FnMut(&str) -> bool) {
        OutputFolder::each_made(self, f);
    }
}

impl engine::Records for crate::output::store::Store {
    fn each(&self, table: &'static str, f: &mut dyn FnMut(&[u8], &[u8])) -> bool {
        crate::output::store::Store::each(self, table, f).is_ok()
    }

    fn get(&self, table: &'static str, key: &[u8]) -> Option<Vec<u8>> {
        crate::output::store::Store::get(self, table, key)
            .ok()
            .flatten()
    }
}

/// The engine with the memo the last build stored in `folder` (its small
/// part read now, the rest only if the build needs it), or a new one.
pub(crate) fn engine_for(folder: &OutputFolder) -> Engine {
    let head = |store: &crate::output::store::Store| {
        let key = engine::tables::HEAD;
        store.get(key, key.as_bytes()).ok().flatten()
    };
    match folder.memo().and_then(|store| Some((head(store)?, store))) {
        Some((head, store)) => Engine::from_store(&head, std::sync::Arc::new(store.clone())),
        None => Engine::new(),
    }
}

/// A note, when the memo the last build left was there and was not
/// trusted (another chronicle's, or damaged): this build made every page
/// anew, which an editor who sees it take long deserves to know.
pub(crate) fn memo_note(
    folder: &OutputFolder,
    engine: &Engine,
    root: &std::path::Path,
) -> Option<Diagnostic> {
    let why = match (folder.memo_remade(), engine.set_aside()) {
        (true, _) => "the cache would not open (damaged)".to_string(),
        (false, Some(why)) => why.to_string(),
        (false, None) => return None,
    };
    let path = folder.memo_path();
    let path = (path.strip_prefix(root)).map_or(path.clone(), std::path::Path::to_path_buf);
    let note = Diagnostic::note(
        crate::diagnostics::Code::CacheSetAside,
        path,
        format!("{why}: it was set aside, and this build made every page anew"),
    );
    Some(note.hint("nothing to do: the next build uses the cache this one stored"))
}

/// Stores the engine's memo for the next build: the records this build
/// changed.
fn store_memo(engine: &mut Engine, folder: &OutputFolder) -> Result<(), OutputError> {
    folder.store_memo(&engine.changes())
}

/// A build that found nothing changed: the memo is stored if the engine
/// learned something, and the staging folder goes.
fn nothing_to_write(
    engine: &mut Engine,
    folder: OutputFolder,
    rendered: RenderedSite,
    learned: bool,
    output: PathBuf,
) -> Result<Report, Failure> {
    let failed = |e| Failure::Output(e, rendered.warnings.clone());
    if learned {
        store_memo(engine, &folder).map_err(failed)?;
    }
    engine.release();
    let stats = WriteStats {
        unchanged: folder.len(),
        ..WriteStats::default()
    };
    folder.keep().map_err(failed)?;
    Ok(Report {
        rendered,
        output,
        stats,
    })
}

/// Builds the site into the output folder, rendering only the pages that
/// changed since the last build there; each page goes into the folder's
/// staging area as it is rendered, and the site is put in place if it all
/// rendered cleanly. `on_wait` is called if another build holds the folder.
pub fn build(options: &Options, on_wait: &dyn Fn()) -> Result<Report, Failure> {
    let output = options.output_dir();
    let cache = options.cache_dir();
    let open = OpenOptions {
        root: &options.root,
        output: &output,
        cache: &cache,
        fresh: options.fresh,
    };
    let mut folder =
        OutputFolder::open(open, on_wait).map_err(|e| Failure::Output(e, Vec::new()))?;
    let mut engine = engine_for(&folder);
    let (rendered, inputs) = match engine.run(options, Some(&folder), &folder) {
        Ok(Run::Built { rendered, inputs }) => (rendered, inputs),
        Ok(Run::Unchanged {
            warnings,
            articles,
            read,
            learned,
        }) => {
            let report = RenderedSite {
                site: Site::default(),
                base_path: String::new(),
                articles,
                read,
                warnings,
            };
            return nothing_to_write(&mut engine, folder, report, learned, output);
        }
        Err(stop) => {
            folder.discard();
            return Err(match stop {
                Stop::Diagnostics(d) => Failure::Diagnostics(d),
                Stop::Sink(e, d) => Failure::Output(e, d),
            });
        }
    };

    let mut rendered = rendered;
    rendered
        .warnings
        .extend(memo_note(&folder, &engine, &options.root));
    let written = folder
        .write(&rendered.site, inputs)
        .and_then(|stats| store_memo(&mut engine, &folder).map(|()| stats));
    engine.release();
    match written {
        Ok(stats) => Ok(Report {
            rendered,
            output,
            stats,
        }),
        Err(e) => {
            folder.discard();
            Err(Failure::Output(e, rendered.warnings))
        }
    }
}
