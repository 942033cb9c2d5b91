//! Writing a rendered `Site` to the output folder, so that no reader ever
//! sees half a file and a failed or interrupted build never loses the
//! published site.
//!
//! chronicle deletes only what it made. The folder keeps a manifest of the
//! files its builds wrote; a folder with anything else in it is refused, as
//! is a folder that is, or contains, the site itself (Zola once wiped a
//! project through `--output-dir`, zola#1378).
//!
//! A write goes in steps, each safe to interrupt:
//! 1. every changed file is written into a hidden staging folder (a full
//!    disk fails here, before anything visible has changed);
//! 2. the manifest is replaced by one listing the old and the new files, so
//!    whatever is on disk after a kill is still known to be ours;
//! 3. files that no longer exist are removed, and each staged file is renamed
//!    over its page (a rename is atomic: readers see the old or the new file);
//! 4. the manifest is replaced by the new list, and staging is removed.
//!
//! The next build after an interruption clears the staging folder and writes
//! its own site over whatever mix it finds, so the folder again holds exactly
//! one build. A lock file makes a second build wait for the first.

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::files::{self, CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR};
use crate::site::Site;

pub const MANIFEST: &str = ".chronicle-manifest";
pub const LOCK: &str = ".chronicle-lock";
pub const STAGING: &str = ".chronicle-staging";
const MANIFEST_HEADER: &str =
    "# chronicle: the files this folder's builds made; chronicle deletes only these";

/// Why an output folder was refused before anything was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// It is the site root itself.
    IsRoot,
    /// It contains the site (and so its content folder).
    ContainsSite,
    /// It lies inside one of the site's source folders.
    InsideSources(&'static str),
    /// It holds files that no build of ours made (the first few of them).
    ForeignFiles(Vec<String>),
}

/// Why the output could not be written.
#[derive(Debug)]
pub enum OutputError {
    Refused {
        output: PathBuf,
        refusal: Refusal,
    },
    /// A file operation failed: what was being done, to which path.
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
}

impl OutputError {
    /// The kind of the I/O error behind this one, if there is one.
    pub fn io_kind(&self) -> Option<io::ErrorKind> {
        match self {
            OutputError::Io { source, .. } => Some(source.kind()),
            OutputError::Refused { .. } => None,
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            OutputError::Refused {
                refusal: Refusal::ForeignFiles(_),
                ..
            } => Some(
                "chronicle deletes only what it made: empty the folder, choose another with --output, or put files to publish in static/",
            ),
            OutputError::Refused { .. } => {
                Some("build into a folder of its own, such as public/ (the default)")
            }
            OutputError::Io { source, .. } => match source.kind() {
                io::ErrorKind::StorageFull
                | io::ErrorKind::QuotaExceeded
                | io::ErrorKind::FileTooLarge => {
                    Some("free some space and build again; the site already published is unchanged")
                }
                io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
                    Some("choose an output folder you can write to, with --output")
                }
                _ => None,
            },
        }
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::Io { action, path, .. } => {
                write!(f, "cannot {action} {}", path.display())
            }
            OutputError::Refused { output, refusal } => {
                let output = output.display();
                match refusal {
                    Refusal::IsRoot => {
                        write!(f, "the output folder {output} is the site root itself")
                    }
                    Refusal::ContainsSite => write!(
                        f,
                        "the output folder {output} contains the site (and its content folder)"
                    ),
                    Refusal::InsideSources(folder) => write!(
                        f,
                        "the output folder {output} is inside the site's {folder}/ folder"
                    ),
                    Refusal::ForeignFiles(names) => write!(
                        f,
                        "the output folder {output} holds files chronicle did not make: {}",
                        names.join(", ")
                    ),
                }
            }
        }
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OutputError::Io { source, .. } => Some(source),
            OutputError::Refused { .. } => None,
        }
    }
}

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> OutputError {
    let path = path.to_path_buf();
    move |source| OutputError::Io {
        action,
        path,
        source,
    }
}

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

/// Refuses an output folder that is the site root, contains it, or lies
/// inside the site's sources.
pub fn check_location(root: &Path, output: &Path) -> Result<PathBuf, OutputError> {
    let root = resolve(root).map_err(io_error("find the site root", root))?;
    let out = resolve(output).map_err(io_error("find the output folder", output))?;
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
    }
    Ok(out)
}

fn is_bookkeeping(rel: &Path) -> bool {
    matches!(
        rel.components().next(),
        Some(Component::Normal(n)) if n == MANIFEST || n == LOCK || n == STAGING
    )
}

fn read_manifest(out: &Path) -> Result<Option<BTreeSet<String>>, OutputError> {
    let path = out.join(MANIFEST);
    match fs::read_to_string(&path) {
        Ok(text) => Ok(Some(
            text.lines()
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect(),
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error("read", &path)(e)),
    }
}

/// Replaces the manifest atomically (through the staging folder).
fn write_manifest<'a>(
    out: &Path,
    files: impl Iterator<Item = &'a String>,
) -> Result<(), OutputError> {
    let mut text = String::from(MANIFEST_HEADER);
    text.push('\n');
    for f in files {
        text.push_str(f);
        text.push('\n');
    }
    let tmp = out.join(STAGING).join("manifest");
    fs::write(&tmp, text).map_err(io_error("write", &tmp))?;
    let dest = out.join(MANIFEST);
    fs::rename(&tmp, &dest).map_err(io_error("write", &dest))
}

/// Files in the folder that no build of ours made.
fn foreign_files(out: &Path, manifest: Option<&BTreeSet<String>>) -> Vec<String> {
    let mut foreign = Vec::new();
    for entry in walkdir::WalkDir::new(out)
        .follow_links(false)
        .min_depth(1)
        .sort_by_file_name()
    {
        let Ok(entry) = entry else { continue };
        let Ok(rel) = entry.path().strip_prefix(out) else {
            continue;
        };
        if is_bookkeeping(rel) {
            continue;
        }
        let rel_text = files::to_slash(rel);
        let ours = manifest.is_some_and(|m| m.contains(&rel_text));
        let is_dir = entry.file_type().is_dir();
        if !ours && (!is_dir || manifest.is_none()) {
            foreign.push(rel_text);
            if foreign.len() >= 5 {
                break;
            }
        }
    }
    foreign
}

fn unchanged(dest: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(dest) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::read(dest).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Holds the output folder's lock until dropped; waits (after calling
/// `on_wait`) while another build holds it.
fn lock(out: &Path, on_wait: &dyn Fn()) -> Result<fs::File, OutputError> {
    let lock_path = out.join(LOCK);
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(io_error("write to the output folder", out))?;
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

/// The files earlier builds made, after checking that nothing else is there.
fn previous_files(out: &Path, output: &Path) -> Result<BTreeSet<String>, OutputError> {
    let manifest = read_manifest(out)?;
    let foreign = foreign_files(out, manifest.as_ref());
    if !foreign.is_empty() {
        return Err(OutputError::Refused {
            output: output.to_path_buf(),
            refusal: Refusal::ForeignFiles(foreign),
        });
    }
    Ok(manifest.unwrap_or_default())
}

/// Step 1: writes every changed file into the (emptied) staging folder.
/// Returns each staged file's output path and staged path.
fn stage<'s>(out: &Path, site: &'s Site) -> Result<Vec<(&'s String, PathBuf)>, OutputError> {
    let staging = out.join(STAGING);
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(io_error("clear", &staging))?;
    }
    fs::create_dir(&staging).map_err(io_error("create", &staging))?;
    let files: Vec<(usize, &String, &Vec<u8>)> = site
        .files
        .iter()
        .enumerate()
        .map(|(i, (p, b))| (i, p, b))
        .collect();
    let staged: Result<Vec<Option<(&String, PathBuf)>>, OutputError> = files
        .par_iter()
        .map(|&(i, path, bytes)| {
            if unchanged(&out.join(path), bytes) {
                return Ok(None);
            }
            let tmp = staging.join(i.to_string());
            fs::write(&tmp, bytes).map_err(io_error("write", &out.join(path)))?;
            Ok(Some((path, tmp)))
        })
        .collect();
    staged.map(|s| s.into_iter().flatten().collect())
}

/// Step 3a: removes the files of the old site that the new one lacks, and
/// the folders that leaves empty. Returns how many files went.
fn remove_gone(out: &Path, old: &BTreeSet<String>, site: &Site) -> Result<usize, OutputError> {
    let mut removed = 0;
    let mut emptied: HashSet<PathBuf> = HashSet::new();
    for path in old.iter().filter(|p| !site.files.contains_key(*p)) {
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

/// Step 3b: renames each staged file over its page.
fn move_into_place(out: &Path, staged: &[(&String, PathBuf)]) -> Result<(), OutputError> {
    for (path, tmp) in staged {
        let dest = out.join(path);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(io_error("create", parent))?;
        }
        fs::rename(tmp, &dest).map_err(io_error("write", &dest))?;
    }
    Ok(())
}

/// Writes `site` into `output` (see the module comment for the steps).
/// `on_wait` is called if another build holds the lock.
pub fn write(
    root: &Path,
    output: &Path,
    site: &Site,
    on_wait: &dyn Fn(),
) -> Result<WriteStats, OutputError> {
    let out = check_location(root, output)?;
    fs::create_dir_all(&out).map_err(io_error("create the output folder", &out))?;
    let lock = lock(&out, on_wait)?;
    let old = previous_files(&out, output)?;
    let staging = out.join(STAGING);
    // Steps 1 and 2: nothing visible has changed if either fails.
    let staged = stage(&out, site).and_then(|staged| {
        let union: BTreeSet<&String> = old.iter().chain(site.files.keys()).collect();
        write_manifest(&out, union.into_iter()).map(|()| staged)
    });
    let staged = match staged {
        Ok(staged) => staged,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    // Step 3.
    let removed = remove_gone(&out, &old, site)?;
    move_into_place(&out, &staged)?;
    // Step 4: the manifest names the new files only.
    write_manifest(&out, site.files.keys())?;
    fs::remove_dir_all(&staging).map_err(io_error("clear", &staging))?;
    drop(lock);
    Ok(WriteStats {
        written: staged.len(),
        unchanged: site.files.len() - staged.len(),
        removed,
    })
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
        assert!(check_location(&root, &root).is_err());
        assert!(check_location(&root, dir.path()).is_err());
        assert!(check_location(&root, &root.join("content/out")).is_err());
        assert!(check_location(&root, &root.join("static")).is_err());
        assert!(check_location(&root, &root.join("public")).is_ok());
        assert!(check_location(&root, &dir.path().join("elsewhere")).is_ok());
    }
}
