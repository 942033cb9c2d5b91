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

use crate::render::Site;

pub const MANIFEST: &str = ".chronicle-manifest";
pub const LOCK: &str = ".chronicle-lock";
pub const STAGING: &str = ".chronicle-staging";
const MANIFEST_HEADER: &str =
    "# chronicle: the files this folder's builds made; chronicle deletes only these";

/// Why the output could not be written.
#[derive(Debug)]
pub struct OutputError {
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for OutputError {}

fn refuse(message: String, hint: &str) -> OutputError {
    OutputError {
        message,
        hint: Some(hint.to_string()),
    }
}

fn io_error(what: &str, path: &Path, e: io::Error) -> OutputError {
    let hint = match e.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded | io::ErrorKind::FileTooLarge => {
            Some("free some space and build again; the site already published is unchanged".into())
        }
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            Some("choose an output folder you can write to, with --output".into())
        }
        _ => None,
    };
    OutputError {
        message: format!("cannot {what} {}: {e}", path.display()),
        hint,
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
    let root = resolve(root).map_err(|e| io_error("find the site root", root, e))?;
    let out = resolve(output).map_err(|e| io_error("find the output folder", output, e))?;
    if out == root {
        return Err(refuse(
            format!(
                "the output folder {} is the site root itself",
                output.display()
            ),
            "build into a folder of its own, such as public/ (the default)",
        ));
    }
    if root.starts_with(&out) {
        return Err(refuse(
            format!(
                "the output folder {} contains the site (and its content folder)",
                output.display()
            ),
            "build into a folder of its own, such as public/ (the default)",
        ));
    }
    for source in [
        crate::content::CONTENT_DIR,
        crate::render::TEMPLATES_DIR,
        crate::render::STATIC_DIR,
    ] {
        if out.starts_with(root.join(source)) {
            return Err(refuse(
                format!(
                    "the output folder {} is inside the site's {source}/ folder",
                    output.display()
                ),
                "build into a folder of its own, such as public/ (the default)",
            ));
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
        Err(e) => Err(io_error("read", &path, e)),
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
    fs::write(&tmp, text).map_err(|e| io_error("write", &tmp, e))?;
    let dest = out.join(MANIFEST);
    fs::rename(&tmp, &dest).map_err(|e| io_error("write", &dest, e))
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
        let rel_text = crate::content::to_slash(rel);
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

/// Writes `site` into `output` (see the module comment for the steps).
/// `on_wait` is called if another build holds the lock.
pub fn write(
    root: &Path,
    output: &Path,
    site: &Site,
    on_wait: &dyn Fn(),
) -> Result<WriteStats, OutputError> {
    let out = check_location(root, output)?;
    fs::create_dir_all(&out).map_err(|e| io_error("create the output folder", &out, e))?;
    let lock_path = out.join(LOCK);
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| io_error("write to the output folder", &out, e))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            on_wait();
            lock.lock().map_err(|e| io_error("lock", &lock_path, e))?;
        }
        Err(fs::TryLockError::Error(e)) => return Err(io_error("lock", &lock_path, e)),
    }

    let manifest = read_manifest(&out)?;
    let foreign = foreign_files(&out, manifest.as_ref());
    if !foreign.is_empty() {
        return Err(refuse(
            format!(
                "the output folder {} holds files chronicle did not make: {}",
                output.display(),
                foreign.join(", ")
            ),
            "chronicle deletes only what it made: empty the folder, choose another with --output, or put files to publish in static/",
        ));
    }
    let old: BTreeSet<String> = manifest.unwrap_or_default();

    let staging = out.join(STAGING);
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| io_error("clear", &staging, e))?;
    }
    fs::create_dir(&staging).map_err(|e| io_error("create", &staging, e))?;

    // 1. Stage every changed file.
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
            fs::write(&tmp, bytes).map_err(|e| io_error("write", &out.join(path), e))?;
            Ok(Some((path, tmp)))
        })
        .collect();
    let staged: Vec<(&String, PathBuf)> = match staged {
        Ok(s) => s.into_iter().flatten().collect(),
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    };

    // 2. The manifest names the old and the new files.
    let new: BTreeSet<&String> = site.files.keys().collect();
    let union: BTreeSet<&String> = old.iter().chain(new.iter().copied()).collect();
    if let Err(e) = write_manifest(&out, union.into_iter()) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }

    // 3. Remove what is gone, then move the new files into place.
    let mut removed = 0;
    let mut emptied: HashSet<PathBuf> = HashSet::new();
    for path in old.iter().filter(|p| !site.files.contains_key(*p)) {
        let dest = out.join(path);
        match fs::symlink_metadata(&dest) {
            Ok(m) if m.is_dir() => continue,
            Ok(_) => {
                fs::remove_file(&dest).map_err(|e| io_error("remove", &dest, e))?;
                removed += 1;
            }
            Err(_) => continue,
        }
        let mut parent = dest.parent();
        while let Some(p) = parent {
            if p == out {
                break;
            }
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
    for (path, tmp) in &staged {
        let dest = out.join(path);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error("create", parent, e))?;
        }
        fs::rename(tmp, &dest).map_err(|e| io_error("write", &dest, e))?;
    }

    // 4. The manifest names the new files only.
    write_manifest(&out, new.into_iter())?;
    fs::remove_dir_all(&staging).map_err(|e| io_error("clear", &staging, e))?;
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
