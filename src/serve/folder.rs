//! The site as `serve` holds it: built on disk, into a folder of its own in
//! the cache (`<cache>/serve/<n>/site/`), through the same output folder,
//! manifest, staging and publish as `build`; memory holds only where that
//! folder is, the base path and the last build's errors, so it follows
//! what is open, not the archive.
//!
//! The folder is never the output folder (serve's site is built with its
//! own options, drafts say, and must not be published by accident), and it
//! outlives the process with its manifest and the engine's memo, so the
//! next `serve` starts incrementally too. Each running `serve` holds a slot
//! (`serve/0/`, `serve/1/`, …) by a lock for its whole life: a second
//! `serve` of the same site builds into the next slot instead of waiting
//! for the first to stop or writing under it.
//!
//! A rebuild writes the changed files into the folder's staging area and
//! renames them into place once the whole site rendered cleanly; only then
//! is the new state swapped in and are open pages told to reload. A request
//! during the publish sees each file whole, old or new.

use std::fs;
use std::path::{Path, PathBuf};

use crate::content::ContentFiles;
use crate::diagnostics::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::output::{OpenOptions, OutputError, OutputFolder};
use crate::pipeline::engine::{Engine, PreviousOutput, Run};
use crate::pipeline::{Failure, Options, RenderedSite, Stop};
use crate::site::{Made, Sink};

/// Inside the cache folder: a slot per running `serve`.
pub const SERVE_DIR: &str = "serve";
/// How many `serve`s of one site may run at once.
const SLOTS: usize = 16;

/// The state served between two builds.
#[derive(Debug, Default, Clone)]
pub struct Served {
    /// The folder the site's files are in (resolved); none before the
    /// first build of this process succeeded (the folder may hold a site
    /// an earlier `serve` made with other options).
    pub folder: Option<PathBuf>,
    /// The path every link starts with (`/news`, or empty).
    pub base_path: String,
    /// The last build's errors, as a terminal shows them, while the site
    /// served is an older one (or none).
    pub errors: Option<String>,
}

/// Why `serve` cannot build.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// Every slot is held by another `serve` of this site.
    #[error(
        "{} other `chronicle serve`s of this site are running (their folders are in {})",
        SLOTS,
        .0.display()
    )]
    Busy(PathBuf),
    /// The serve folder could not be made, locked or written.
    #[error(transparent)]
    Output(OutputError),
}

/// The folder `serve` builds into, held open (and locked) for the life of
/// the process, with the engine that builds it.
pub struct ServeFolder {
    folder: OutputFolder,
    pub engine: Engine,
    /// Whether the engine learned something since its memo was stored.
    memo_dirty: bool,
    /// Whether a build of this process succeeded.
    built: bool,
    /// The slot's lock, held until the process ends.
    _slot: fs::File,
}

/// The first free slot under `<cache>/serve/`, its lock taken.
fn take_slot(cache: &Path) -> Result<(PathBuf, fs::File), FolderError> {
    let serve = cache.join(SERVE_DIR);
    for n in 0..SLOTS {
        let slot = serve.join(n.to_string());
        fs::create_dir_all(&slot).map_err(|e| {
            FolderError::Output(OutputError::Io {
                action: "create the cache folder",
                path: slot.clone(),
                source: e,
            })
        })?;
        let path = slot.join("lock");
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| {
                FolderError::Output(OutputError::Io {
                    action: "write to the cache folder",
                    path: path.clone(),
                    source: e,
                })
            })?;
        match lock.try_lock() {
            Ok(()) => return Ok((slot, lock)),
            Err(fs::TryLockError::WouldBlock) => continue,
            Err(fs::TryLockError::Error(e)) => {
                return Err(FolderError::Output(OutputError::Io {
                    action: "lock",
                    path,
                    source: e,
                }));
            }
        }
    }
    Err(FolderError::Busy(serve))
}

impl ServeFolder {
    /// Takes a slot in the site's cache folder and opens its folder, with
    /// the memo an earlier `serve` left there.
    pub fn open(options: &Options) -> Result<ServeFolder, FolderError> {
        let (slot, lock) = take_slot(&options.cache_dir())?;
        let open = OpenOptions {
            root: &options.root,
            output: &slot.join("site"),
            cache: &slot.join("cache"),
            fresh: options.fresh,
        };
        // The slot's lock is ours: nobody else waits on this folder's.
        let folder = OutputFolder::open(open, &|| {}).map_err(FolderError::Output)?;
        let engine = crate::pipeline::engine_for(&folder);
        Ok(ServeFolder {
            folder,
            engine,
            memo_dirty: false,
            built: false,
            _slot: lock,
        })
    }

    /// The folder the site is built into (resolved).
    pub fn path(&self) -> &Path {
        self.folder.path()
    }

    /// Whether the engine's memo is worth storing (see [`store_memo`]).
    ///
    /// [`store_memo`]: Self::store_memo
    pub fn memo_dirty(&self) -> bool {
        self.memo_dirty
    }

    /// Stores the engine's memo in the slot, for the next `serve`'s start:
    /// the records changed since it was last stored. Not part of a
    /// rebuild (the pages are told to reload without waiting for it).
    pub fn store_memo(&mut self) -> Result<(), OutputError> {
        let ServeFolder { folder, engine, .. } = self;
        let stored = folder.store_memo(&engine.changes());
        engine.stored(stored.is_ok());
        stored?;
        self.memo_dirty = false;
        Ok(())
    }
}

/// The output folder as `serve`'s sink: the same staging, but no search
/// index is made (`serve` says so).
struct Serving<'a>(&'a OutputFolder);

impl Sink for Serving<'_> {
    type Error = OutputError;
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<Made, OutputError> {
        self.0.put(path, bytes)
    }
    fn copy(&self, path: &str, from: &Path, hash: Fingerprint) -> Result<Made, OutputError> {
        self.0.copy(path, from, hash)
    }
    fn indexes(&self) -> bool {
        false
    }
}

/// What the folder holds, for the engine. The first build of a process
/// is never "unchanged": it learns the base path from the pages it keeps.
struct Standing<'a> {
    folder: &'a OutputFolder,
    first: bool,
}

impl PreviousOutput for Standing<'_> {
    fn standing(&self, path: &str) -> Option<Fingerprint> {
        self.folder.standing(path)
    }

    fn untouched_inputs(&self) -> Option<Fingerprint> {
        if self.first {
            return None;
        }
        self.folder.untouched_inputs()
    }

    fn each_made(&self, f: &mut dyn FnMut(&str) -> bool) {
        self.folder.each_made(f);
    }
}

/// What one rebuild did.
#[derive(Debug)]
pub struct Outcome {
    pub served: Served,
    /// Files made anew (the rest were kept).
    pub rendered: usize,
    /// Whether a file of the folder was written or removed.
    pub changed: bool,
    pub articles: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Rebuilds the site into the folder through its engine, and publishes it
/// there once it rendered cleanly.
pub fn rebuild(
    serve: &mut ServeFolder,
    options: &Options,
    content: &ContentFiles,
    current: &Served,
) -> Result<Outcome, Failure> {
    serve
        .folder
        .prepare()
        .map_err(|e| Failure::Output(e, Vec::new()))?;
    let previous = Standing {
        folder: &serve.folder,
        first: !serve.built,
    };
    let sink = Serving(&serve.folder);
    let run = serve
        .engine
        .run_on(options, Some(&previous), content.clone(), &sink);
    let run = run.map_err(|stop| match stop {
        Stop::Diagnostics(d) => Failure::Diagnostics(d),
        Stop::Sink(e, d) => Failure::Output(e, d),
    })?;
    match run {
        Run::Unchanged {
            warnings,
            articles,
            learned,
            ..
        } => {
            serve.memo_dirty |= learned;
            Ok(Outcome {
                served: Served {
                    errors: None,
                    ..current.clone()
                },
                rendered: 0,
                changed: false,
                articles,
                warnings,
            })
        }
        Run::Built {
            mut rendered,
            inputs,
        } => {
            if !serve.built {
                let note = crate::pipeline::memo_note(&serve.folder, &serve.engine, &options.root);
                rendered.warnings.extend(note);
            }
            serve.publish(rendered, inputs)
        }
    }
}

impl ServeFolder {
    /// Puts a build's staged files in place in the folder.
    fn publish(&mut self, rendered: RenderedSite, inputs: Fingerprint) -> Result<Outcome, Failure> {
        let stats = (self.folder)
            .write(&rendered.site, inputs)
            .map_err(|e| Failure::Output(e, rendered.warnings.clone()))?;
        self.memo_dirty = true;
        self.built = true;
        Ok(Outcome {
            served: Served {
                folder: Some(self.folder.path().to_path_buf()),
                base_path: rendered.base_path,
                errors: None,
            },
            rendered: rendered.site.made(),
            changed: stats.written > 0 || stats.removed > 0,
            articles: rendered.articles,
            warnings: rendered.warnings,
        })
    }
}

/// Diagnostics as a terminal shows them, paths from the site root.
pub fn render_diagnostics(root: &Path, diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| d.render(root)).collect()
}
