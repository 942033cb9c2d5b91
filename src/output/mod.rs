//! Writing a rendered `Site` to the output folder, so that no reader ever
//! sees half a file and a failed or interrupted build never loses the
//! published site.
//!
//! The output folder holds the site and nothing else, so `rsync -a public/
//! host:` publishes nothing of chronicle's own. chronicle's bookkeeping for
//! it lives in the cache folder (`.chronicle/` at the site root, or
//! `--cache-dir`), under `builds/<hash of the output folder's path>/`: the
//! lock, the manifest, the engine's memo, and the staging folder (beside
//! the output folder instead, as `.<name>.chronicle-staging`, when the
//! cache is on another file system, since a rename cannot cross one).
//!
//! chronicle deletes only what it made. The manifest lists the files its
//! builds wrote (see `manifest`); a folder with anything else in it is
//! refused, as is a folder that is, or contains, the site itself or its
//! cache (Zola once wiped a project through `--output-dir`, zola#1378).
//!
//! A build opens the folder first ([`OutputFolder::open`]): it takes the
//! lock (a second build waits) and reads the manifest, so the engine can ask
//! which pages stand as the last build made them. The write then goes in
//! steps, each safe to interrupt:
//! 1. every changed file is written into the staging folder as it is
//!    rendered (the folder is the build's sink; a full disk fails here,
//!    before anything visible has changed);
//! 2. the manifest is replaced by one listing the old and the new files,
//!    those about to change without a stamp, so whatever is on disk after a
//!    kill is still known to be ours and is never trusted;
//! 3. files that no longer exist are removed, and each staged file is renamed
//!    over its page (a rename is atomic: readers see the old or the new file);
//! 4. the manifest is replaced by the new list, and staging is removed.
//!
//! The next build after an interruption clears the staging folder and writes
//! its own site over whatever mix it finds, so the folder again holds exactly
//! one build.
//!
//! `serve` keeps one folder open (and locked) for its whole life, in its
//! cache, and builds into it again at every change ([`OutputFolder::prepare`]);
//! after a failed write it goes on from the manifest left on disk, as a
//! build opening the folder would.
//!
//! The build's folder also keeps the engine's memo (`store`: a database of
//! records, changed in one transaction after a successful write); this
//! module only stores its bytes.
//!
//! An output folder written by an older chronicle kept its bookkeeping
//! inside (`.chronicle-manifest`, `.chronicle-cache`, …): its manifest is
//! read once (its memo is of an older format), and those files go after
//! the next successful write.

mod error;
mod foreign;
pub mod manifest;
pub mod store;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::files::{self, CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR};
use crate::fingerprint::{self, Fingerprint};
use crate::site::{Made, Sink, Site, Staged};
use error::io_error;
pub use error::{OutputError, Refusal};
use manifest::{Manifest, ManifestRecord, Stamp};

/// The cache folder at the site root, unless `--cache-dir` names another.
pub const CACHE_DIR: &str = ".chronicle";
/// Inside the cache folder: a folder per output folder.
const BUILDS: &str = "builds";
/// Inside a build's folder.
const MANIFEST: &str = "manifest";
const LOCK: &str = "lock";
const STAGING: &str = "staging";
/// The memo as older chronicles kept it, in two files: removed on sight
/// (the memo is now the database in [`store`]).
const OLD_MEMO: [&str; 2] = ["memo", "memo-bulk"];
/// What the build's folder is for, written for people who look.
const ABOUT: &str = "output";

/// The bookkeeping an older chronicle kept inside the output folder.
const LEGACY_MANIFEST: &str = ".chronicle-manifest";
const LEGACY_MEMO: &str = ".chronicle-cache";
const LEGACY: [&str; 4] = [
    LEGACY_MANIFEST,
    ".chronicle-lock",
    ".chronicle-staging",
    LEGACY_MEMO,
];

/// What writing changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// `path` made absolute and free of `.`, `..` and symbolic links, even if it
/// does not exist yet.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut current = PathBuf::new();
    for component in std::path::absolute(path)?.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                current.pop();
            }
            Component::Normal(name) => {
                current.push(name);
                // Resolve links as they come, as the system would.
                if let Ok(canonical) = current.canonicalize() {
                    current = canonical;
                }
            }
            other => current.push(other),
        }
    }
    Ok(current)
}

/// The memo's database in the build's folder (an older chronicle's memo
/// files there go: their format is not this one's).
/// Says too whether the database would not open and was made anew.
fn open_memo(books: &Path) -> Result<(store::Store, bool), OutputError> {
    for old in OLD_MEMO {
        let _ = fs::remove_file(books.join(old));
    }
    let memo = books.join(store::FILE);
    store::Store::open(books).map_err(io_error("open the memo", &memo))
}

/// The cache folder for the site at `root`: `cache` when given, else
/// `.chronicle/` at the root.
pub fn cache_dir(root: &Path, cache: Option<&Path>) -> PathBuf {
    cache.map_or_else(|| root.join(CACHE_DIR), Path::to_path_buf)
}

/// Where an output folder and its bookkeeping are, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The output folder, resolved.
    pub out: PathBuf,
    /// The cache folder, resolved.
    pub cache: PathBuf,
}

/// Refuses an output folder that is the site root, contains it, lies inside
/// the site's sources, or overlaps the cache folder (`cache`: the cache
/// folder as given, see [`cache_dir`]).
pub fn check_location(root: &Path, output: &Path, cache: &Path) -> Result<Location, OutputError> {
    let root = resolve(root).map_err(io_error("find the site root", root))?;
    let out = resolve(output).map_err(io_error("find the output folder", output))?;
    let cache_resolved = resolve(cache).map_err(io_error("find the cache folder", cache))?;
    let refused = |refusal| OutputError::Refused {
        output: output.to_path_buf(),
        refusal,
    };
    if out == root {
        return Err(refused(Refusal::IsRoot));
    }
    if root.starts_with(&out) {
        return Err(refused(Refusal::ContainsSite));
    }
    for source in [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR] {
        if out.starts_with(root.join(source)) {
            return Err(refused(Refusal::InsideSources(source)));
        }
        if cache_resolved.starts_with(root.join(source)) {
            return Err(refused(Refusal::CacheInsideSources(
                cache.to_path_buf(),
                source,
            )));
        }
    }
    if cache_resolved.starts_with(&out) || out.starts_with(&cache_resolved) {
        return Err(refused(Refusal::OverlapsCache(cache.to_path_buf())));
    }
    Ok(Location {
        out,
        cache: cache_resolved,
    })
}

/// The folder in the cache that keeps the bookkeeping for the output
/// folder `out` (resolved): named by the hash of its path, so two output
/// folders of one site never share a lock or a manifest.
fn build_dir(location: &Location) -> PathBuf {
    let key = fingerprint::of_bytes(location.out.as_os_str().as_encoded_bytes());
    location.cache.join(BUILDS).join(key.to_string())
}

/// Removes the build folders of output folders that no longer exist (built
/// into a temporary folder, say), unless a build holds them, so the cache
/// does not grow with every folder ever built into.
fn prune(builds: &Path, keep: &Path) {
    use std::os::unix::ffi::OsStringExt;
    let Ok(entries) = fs::read_dir(builds) else {
        return;
    };
    for dir in entries.flatten().map(|e| e.path()) {
        if dir == keep {
            continue;
        }
        // Without its note, a build folder is being made: left alone.
        let Ok(out) = fs::read(dir.join(ABOUT)) else {
            continue;
        };
        if Path::new(&std::ffi::OsString::from_vec(out)).exists() {
            continue;
        }
        let Ok(lock) = fs::OpenOptions::new().write(true).open(dir.join(LOCK)) else {
            continue;
        };
        if lock.try_lock().is_ok() {
            let _ = fs::remove_dir_all(&dir);
        }
    }
}

/// The manifest of the output folder `out` and whether it is an older
/// chronicle's (kept inside `out`); none if this build made the folder
/// (the files it listed are gone with it).
fn manifest_of(
    books: &Path,
    out: &Path,
    created: bool,
) -> Result<(Option<Manifest>, bool), OutputError> {
    Ok(match read_manifest(&books.join(MANIFEST))? {
        Some(_) if created => (None, false),
        Some(m) => (Some(m), out.join(LEGACY_MANIFEST).exists()),
        None => match read_manifest(&out.join(LEGACY_MANIFEST))? {
            Some(m) => (Some(m), true),
            None => (None, false),
        },
    })
}

/// Where the build's files wait: in its build folder, unless that is on
/// another file system than the output (a rename cannot cross one), then
/// beside the output folder.
fn staging_for(books: &Path, out: &Path) -> PathBuf {
    if same_file_system(books, out) {
        return books.join(STAGING);
    }
    let name = out.file_name().map_or_else(
        || "output".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    out.with_file_name(format!(".{name}.chronicle-staging"))
}

fn is_legacy(rel: &Path) -> bool {
    matches!(
        rel.components().next(),
        Some(Component::Normal(n)) if LEGACY.iter().any(|b| n == *b)
    )
}

fn read_manifest(path: &Path) -> Result<Option<Manifest>, OutputError> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(Manifest::parse(&text))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error("read", path)(e)),
    }
}

/// Replaces a bookkeeping file atomically, through a file beside it.
fn replace(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
    let tmp = dir.join(format!("{name}.new"));
    fs::write(&tmp, bytes).map_err(io_error("write", &tmp))?;
    let dest = dir.join(name);
    fs::rename(&tmp, &dest).map_err(io_error("write", &dest))
}

/// Whether two existing folders are on one file system (so a file can be
/// renamed from one into the other).
fn same_file_system(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev(),
        _ => false,
    }
}

/// Fails, as "cannot write to the output folder", if no file can be made
/// in `out`.
fn probe(out: &Path) -> Result<(), OutputError> {
    // Without a name where the file system allows it (O_TMPFILE), so a
    // build killed here leaves nothing in the folder.
    tempfile::tempfile_in(out)
        .map(drop)
        .map_err(io_error("write to the output folder", out))
}

/// Whether the file at `dest` already holds `bytes`, by its stamp when the
/// manifest has one that still stands, else by reading it back.
fn unchanged(
    dest: &Path,
    record: Option<&ManifestRecord>,
    hash: Fingerprint,
    bytes: &[u8],
) -> bool {
    if let Some(stamp) = record.and_then(|r| r.stamp) {
        return stamp.hash == hash && stamp.stands(dest);
    }
    match fs::symlink_metadata(dest) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::read(dest).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// [`unchanged`] for a file on disk whose bytes hash to `hash`: without a
/// stamp, the standing file is hashed as a stream, not read whole.
fn unchanged_file(
    dest: &Path,
    record: Option<&ManifestRecord>,
    hash: Fingerprint,
    from: &Path,
) -> bool {
    if let Some(stamp) = record.and_then(|r| r.stamp) {
        return stamp.hash == hash && stamp.stands(dest);
    }
    let same_size = match (fs::symlink_metadata(dest), fs::metadata(from)) {
        (Ok(d), Ok(f)) => d.is_file() && d.len() == f.len(),
        _ => false,
    };
    same_size
        && fs::File::open(dest)
            .and_then(fingerprint::of_reader)
            .is_ok_and(|h| h == hash)
}

/// Takes the output folder's lock (in its build folder `books`), waiting
/// (after calling `on_wait`) while another build holds it. The lock is held
/// until the file is dropped.
fn lock(books: &Path, on_wait: &dyn Fn()) -> Result<fs::File, OutputError> {
    let lock_path = books.join(LOCK);
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(io_error("write to the cache folder", books))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            on_wait();
            lock.lock().map_err(io_error("lock", &lock_path))?;
        }
        Err(fs::TryLockError::Error(e)) => return Err(io_error("lock", &lock_path)(e)),
    }
    Ok(lock)
}

/// An output folder, opened for one build: its location checked, its lock
/// held, its manifest read, its staging folder empty and ready. It is the
/// build's [`Sink`]: each page is written into staging as soon as it is
/// rendered (unless the same bytes already stand), so memory never holds
/// the whole site.
pub struct OutputFolder {
    /// Resolved.
    out: PathBuf,
    /// The folder in the cache that keeps this output folder's bookkeeping.
    books: PathBuf,
    /// Where changed files wait for the swap: on the output folder's file
    /// system.
    staging: PathBuf,
    /// Whether this build made the folder (and may remove it if it fails).
    created: bool,
    /// Whether the folder still holds an older chronicle's bookkeeping.
    legacy: bool,
    /// Whether the last build's memo is to be ignored (`--fresh`).
    fresh: bool,
    /// The engine's memo.
    store: store::Store,
    /// Whether the memo's database would not open and was made anew.
    memo_remade: bool,
    _lock: fs::File,
    manifest: Manifest,
    /// Folders seen on opening to hold nothing foreign, with their times.
    verified: BTreeMap<String, u128>,
}

/// How to open an output folder.
#[derive(Debug, Clone, Copy)]
pub struct OpenOptions<'a> {
    /// The site's root.
    pub root: &'a Path,
    pub output: &'a Path,
    /// The cache folder (see [`cache_dir`]).
    pub cache: &'a Path,
    /// Ignore what the last build learned: its memo and the fingerprints
    /// of its pages (the manifest still says which files are ours).
    pub fresh: bool,
}

impl OutputFolder {
    /// Opens the output folder for a build, creating it (and the cache
    /// folder) if needed; `on_wait` is called if another build holds it.
    pub fn open(options: OpenOptions, on_wait: &dyn Fn()) -> Result<Self, OutputError> {
        let output = options.output;
        let location = check_location(options.root, output, options.cache)?;
        let out = location.out.clone();
        let books = build_dir(&location);
        fs::create_dir_all(&books).map_err(io_error("create the cache folder", &books))?;
        // Under the lock, so another build's folder is never taken for one
        // this build made.
        let lock = lock(&books, on_wait)?;
        let created = !out.is_dir();
        fs::create_dir_all(&out).map_err(io_error("create the output folder", &out))?;
        probe(&out)?;
        prune(&location.cache.join(BUILDS), &books);
        let about = books.join(ABOUT);
        if fs::read(&about).ok().as_deref() != Some(out.as_os_str().as_encoded_bytes()) {
            fs::write(&about, out.as_os_str().as_encoded_bytes())
                .map_err(io_error("write", &about))?;
        }
        let (manifest, legacy) = manifest_of(&books, &out, created)?;
        let (store, memo_remade) = open_memo(&books)?;
        let found = foreign::foreign_files(&out, manifest.as_ref());
        if !found.foreign.is_empty() {
            return Err(OutputError::Refused {
                output: output.to_path_buf(),
                refusal: Refusal::ForeignFiles(found.foreign),
            });
        }
        let staging = staging_for(&books, &out);
        // An interrupted build's staging folder holds nothing anyone needs.
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io_error("clear", &staging))?;
        }
        fs::create_dir(&staging).map_err(io_error("create", &staging))?;
        let mut manifest = manifest.unwrap_or_default();
        if options.fresh {
            manifest.inputs = None;
            for record in manifest.files.values_mut() {
                record.fingerprint = None;
                if let Some(stamp) = &mut record.stamp {
                    // Unknown bytes: every file is compared anew.
                    stamp.size = u64::MAX;
                }
            }
        }
        Ok(OutputFolder {
            out,
            books,
            staging,
            created,
            legacy,
            fresh: options.fresh,
            store,
            memo_remade,
            _lock: lock,
            manifest,
            verified: found.verified,
        })
    }

    /// Readies the folder, kept open, for another build in this process
    /// (`serve` builds into its folder again at every change, holding the
    /// lock throughout): the staging folder emptied (a failed build's files
    /// go) and made again; the manifest is the one the last write left.
    pub fn prepare(&mut self) -> Result<(), OutputError> {
        if self.staging.exists() {
            fs::remove_dir_all(&self.staging).map_err(io_error("clear", &self.staging))?;
        }
        fs::create_dir(&self.staging).map_err(io_error("create", &self.staging))?;
        // The memo was read (or not) on opening; `--fresh` was for that build.
        self.fresh = false;
        Ok(())
    }

    /// The output folder, resolved.
    pub fn path(&self) -> &Path {
        &self.out
    }

    /// After a failed build: the staging folder goes, and so does the
    /// output folder if this build made it. What was published stays.
    pub fn discard(self) {
        let _ = fs::remove_dir_all(&self.staging);
        if self.created {
            let _ = fs::remove_dir(&self.out);
        }
    }

    /// After a build that found nothing to write: the staging folder goes,
    /// and an older chronicle's bookkeeping moves into the cache.
    pub fn keep(mut self) -> Result<(), OutputError> {
        fs::remove_dir_all(&self.staging).map_err(io_error("clear", &self.staging))?;
        // What opening learned of the folders, for the next build.
        if !self.legacy && self.manifest.dirs != self.verified {
            self.manifest.dirs = std::mem::take(&mut self.verified);
            replace(&self.books, MANIFEST, self.manifest.format().as_bytes())?;
        }
        if self.legacy {
            replace(&self.books, MANIFEST, self.manifest.format().as_bytes())?;
            self.remove_legacy();
        }
        Ok(())
    }

    fn remove_legacy(&self) {
        for name in LEGACY {
            let path = self.out.join(name);
            let _ = fs::remove_file(&path).or_else(|_| fs::remove_dir_all(&path));
        }
    }

    /// The fingerprint the last build recorded for `path`, if its file
    /// still stands exactly as that build wrote it.
    pub fn standing(&self, path: &str) -> Option<Fingerprint> {
        let record = self.manifest.files.get(path)?;
        let stamp = record.stamp?;
        stamp
            .stands(&self.out.join(path))
            .then_some(record.fingerprint?)
    }

    /// The inputs of the last build, if it finished and every file it wrote
    /// still stands.
    pub fn untouched_inputs(&self) -> Option<Fingerprint> {
        let inputs = self.manifest.inputs?;
        let all = self.manifest.files.par_iter().all(|(path, record)| {
            record
                .stamp
                .is_some_and(|stamp| stamp.stands(&self.out.join(path)))
        });
        all.then_some(inputs)
    }

    /// Calls `f` with the path of every file the last build made, in the
    /// paths' order, until it returns `false`.
    pub fn each_made(&self, f: &mut dyn FnMut(&str) -> bool) {
        for path in self.manifest.files.keys() {
            if !f(path) {
                return;
            }
        }
    }

    /// How many files the folder holds of ours.
    pub fn len(&self) -> usize {
        self.manifest.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.manifest.files.is_empty()
    }

    /// The last build's memo, unless this build ignores it (`--fresh`).
    pub fn memo(&self) -> Option<&store::Store> {
        (!self.fresh).then_some(&self.store)
    }

    /// The memo's database file.
    pub fn memo_path(&self) -> PathBuf {
        self.books.join(store::FILE)
    }

    /// Whether the memo's database was there but would not open, and was
    /// made anew (empty) when the folder was opened.
    pub fn memo_remade(&self) -> bool {
        self.memo_remade
    }

    /// Stores the engine's changes to its memo, after a successful write,
    /// in one transaction.
    pub fn store_memo(&self, changes: &store::Changes) -> Result<(), OutputError> {
        let path = self.books.join(store::FILE);
        self.store
            .apply(changes)
            .map_err(io_error("write", &path))?;
        if self.legacy {
            // The older chronicle's bookkeeping is all here now.
            self.remove_legacy();
        }
        Ok(())
    }

    /// Puts the site's staged files in place (see the module comment for
    /// the steps). `inputs` is the fingerprint of everything the build read.
    pub fn write(&mut self, site: &Site, inputs: Fingerprint) -> Result<WriteStats, OutputError> {
        let staging = self.staging.clone();
        // Files a sink held in memory are staged now.
        let mut staged = site.staged.clone();
        let mut unchanged = 0;
        for (path, bytes) in &site.files {
            match Sink::put(self, path, bytes.clone())? {
                Made::Staged(s) => {
                    staged.insert(path.clone(), s);
                }
                _ => unchanged += 1,
            }
        }
        // Step 2: nothing visible has changed if it fails.
        let union = self.union_manifest(site, &staged);
        if let Err(e) = replace(&self.books, MANIFEST, union.format().as_bytes()) {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
        // Steps 3 and 4. Should they fail, the manifest on disk is the
        // union, and so is the one kept (for a next write by this process,
        // `serve`'s, as for the next build that opens the folder).
        let removed = match self.put_in_place(site, &staged, inputs) {
            Ok(removed) => removed,
            Err(e) => {
                self.manifest = union;
                return Err(e);
            }
        };
        fs::remove_dir_all(&staging).map_err(io_error("clear", &staging))?;
        // Published: the folder is no longer this build's to take away.
        self.created = false;
        Ok(WriteStats {
            written: staged.len(),
            unchanged: site.kept.len() + unchanged,
            removed,
        })
    }

    /// Steps 3 and 4: the old site's files that are gone removed, the
    /// staged ones renamed into place, the manifest replaced by the new
    /// list. Returns how many files were removed.
    fn put_in_place(
        &mut self,
        site: &Site,
        staged: &BTreeMap<String, Staged>,
        inputs: Fingerprint,
    ) -> Result<usize, OutputError> {
        let removed = remove_gone(&self.out, &self.manifest, site)?;
        let stamps = move_into_place(&self.out, staged)?;
        let touched = touched_folders(self.manifest.files.keys(), site, staged);
        self.manifest = self.final_manifest(site, stamps, inputs);
        self.manifest.dirs = self.folder_times(&touched);
        // A folder this write changed is no longer known to hold nothing
        // foreign (for the next write, if the folder is kept open).
        self.verified.retain(|dir, _| !touched.contains(dir));
        replace(&self.books, MANIFEST, self.manifest.format().as_bytes())?;
        Ok(removed)
    }

    /// The folders of the new manifest with the times known to hold
    /// nothing foreign: those read on opening, unless this build changed
    /// them.
    fn folder_times(&self, touched: &BTreeSet<String>) -> BTreeMap<String, u128> {
        foreign::folders_of(&self.manifest)
            .into_iter()
            .filter(|dir| !touched.contains(dir))
            .filter_map(|dir| Some((dir.clone(), *self.verified.get(&dir)?)))
            .collect()
    }

    /// Step 2's manifest: every old file and every new one; those about to
    /// be replaced or added without a stamp, so nothing half-done is trusted.
    fn union_manifest(&self, site: &Site, staged: &BTreeMap<String, Staged>) -> Manifest {
        let mut union = self.manifest.clone();
        union.inputs = None;
        for path in site.paths() {
            union.files.entry(path.clone()).or_default();
        }
        for path in staged.keys() {
            union.files.insert(path.clone(), ManifestRecord::default());
        }
        union
    }

    /// Step 4's manifest: the site's files with their stamps and
    /// fingerprints.
    fn final_manifest(
        &self,
        site: &Site,
        mut stamps: BTreeMap<String, Stamp>,
        inputs: Fingerprint,
    ) -> Manifest {
        let files: BTreeMap<String, ManifestRecord> = site
            .paths()
            .map(|path| {
                let stamp = stamps
                    .remove(path)
                    .or_else(|| self.manifest.files.get(path).and_then(|r| r.stamp));
                let record = ManifestRecord {
                    stamp,
                    fingerprint: site.fingerprints.get(path).copied(),
                };
                (path.clone(), record)
            })
            .collect();
        let complete = files
            .values()
            .all(|r| r.stamp.is_some() && r.fingerprint.is_some());
        Manifest {
            files,
            inputs: complete.then_some(inputs),
            dirs: BTreeMap::new(),
        }
    }
}

impl Sink for OutputFolder {
    type Error = OutputError;

    /// Step 1, one file at a time: written into staging under a name of its
    /// own, unless the same bytes stand at its place already (known from the
    /// manifest's stamp, or, for a file without one, by reading it back).
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<Made, OutputError> {
        let dest = self.out.join(path);
        let hash = fingerprint::of_bytes(&bytes);
        if unchanged(&dest, self.manifest.files.get(path), hash, &bytes) {
            return Ok(Made::Unchanged);
        }
        let name = fingerprint::of_bytes(path.as_bytes()).to_string();
        let tmp = self.staging.join(name);
        fs::write(&tmp, &bytes).map_err(io_error("write", &dest))?;
        Ok(Made::Staged(Staged { tmp, hash }))
    }

    /// A static file: the same as `put`, but compared and copied as a
    /// stream, never read whole.
    fn copy(&self, path: &str, from: &Path, hash: Fingerprint) -> Result<Made, OutputError> {
        let dest = self.out.join(path);
        if unchanged_file(&dest, self.manifest.files.get(path), hash, from) {
            return Ok(Made::Unchanged);
        }
        let name = fingerprint::of_bytes(path.as_bytes()).to_string();
        let tmp = self.staging.join(name);
        fs::copy(from, &tmp).map_err(io_error("write", &dest))?;
        Ok(Made::Staged(Staged { tmp, hash }))
    }

    fn indexes(&self) -> bool {
        true
    }
}

/// Step 3a: removes the files of the old site that the new one lacks, and
/// the folders that leaves empty. Returns how many files went.
fn remove_gone(out: &Path, old: &Manifest, site: &Site) -> Result<usize, OutputError> {
    let mut removed = 0;
    let mut emptied: HashSet<PathBuf> = HashSet::new();
    for path in old.files.keys().filter(|p| !site.origins.contains_key(*p)) {
        let dest = out.join(path);
        match fs::symlink_metadata(&dest) {
            Ok(m) if m.is_dir() => continue,
            Ok(_) => {
                fs::remove_file(&dest).map_err(io_error("remove", &dest))?;
                removed += 1;
            }
            Err(_) => continue,
        }
        let mut parent = dest.parent();
        while let Some(p) = parent.filter(|p| *p != out) {
            emptied.insert(p.to_path_buf());
            parent = p.parent();
        }
    }
    let mut emptied: Vec<PathBuf> = emptied.into_iter().collect();
    emptied.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    for dir in emptied {
        // Only empty folders go; one that still holds files stays.
        let _ = fs::remove_dir(&dir);
    }
    Ok(removed)
}

/// The folders a write changed: those of every file it put in place or
/// removed, and their ancestors (a folder made changes its parent).
fn touched_folders<'a>(
    old: impl Iterator<Item = &'a String>,
    site: &Site,
    staged: &'a BTreeMap<String, Staged>,
) -> BTreeSet<String> {
    let gone = old.filter(|p| !site.origins.contains_key(*p));
    let mut touched = BTreeSet::from([String::new()]);
    for path in gone.chain(staged.keys()) {
        foreign::add_folders(&mut touched, path);
    }
    touched
}

/// Step 3b: renames each staged file over its page, and stamps it.
fn move_into_place(
    out: &Path,
    staged: &BTreeMap<String, Staged>,
) -> Result<BTreeMap<String, Stamp>, OutputError> {
    let mut stamps = BTreeMap::new();
    for (path, s) in staged {
        let dest = out.join(path);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(io_error("create", parent))?;
        }
        fs::rename(&s.tmp, &dest).map_err(io_error("write", &dest))?;
        let stamp = Stamp::of(&dest, s.hash).map_err(io_error("read", &dest))?;
        stamps.insert(path.clone(), stamp);
    }
    Ok(stamps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_paths_that_do_not_exist_yet() {
        let dir = tempfile::tempdir().unwrap();
        let canonical = dir.path().canonicalize().unwrap();
        let p = resolve(&dir.path().join("a/../b/./c")).unwrap();
        assert_eq!(p, canonical.join("b/c"));
    }

    #[test]
    fn refuses_the_root_and_its_ancestors_and_sources() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        let cache = cache_dir(&root, None);
        let check = |out: &Path| check_location(&root, out, &cache);
        assert!(check(&root).is_err());
        assert!(check(dir.path()).is_err());
        assert!(check(&root.join("content/out")).is_err());
        assert!(check(&root.join("static")).is_err());
        assert!(check(&root.join(".chronicle")).is_err());
        assert!(check(&root.join(".chronicle/public")).is_err());
        assert!(check(&root.join("public")).is_ok());
        assert!(check(&dir.path().join("elsewhere")).is_ok());
        let inside = |cache: &str| check_location(&root, &root.join("public"), &root.join(cache));
        assert!(inside("public/.cache").is_err());
        assert!(inside("content/.cache").is_err());
        assert!(inside("cache").is_ok());
    }

    #[test]
    fn each_output_folder_has_its_own_bookkeeping() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let cache = cache_dir(&root, None);
        let a = check_location(&root, &root.join("public"), &cache).unwrap();
        let b = check_location(&root, &root.join("preview"), &cache).unwrap();
        let same = check_location(&root, &root.join("x/../public"), &cache).unwrap();
        assert_ne!(build_dir(&a), build_dir(&b));
        assert_eq!(build_dir(&a), build_dir(&same));
        assert!(build_dir(&a).starts_with(root.canonicalize().unwrap_or(root.clone())));
    }
}
