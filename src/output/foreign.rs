//! Finding files in the output folder that no build of ours made, without
//! reading every folder of it on every build.
//!
//! A folder's modification time changes whenever an entry is added to it,
//! removed or renamed. The manifest records, for each folder of ours, the
//! time it had when it was last seen to hold nothing foreign (the way
//! git's untracked cache does): a folder whose time is still that one is
//! not read again; one whose time differs, or that has none recorded, is.
//! A time is recorded only once it is clearly in the past (100 ms, or 2 s
//! on a file system with whole-second times), so a file added within the
//! same clock tick as the time was read is never missed.
//!
//! With no manifest (the folder was not ours), the whole folder is read.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use super::manifest::Manifest;
use super::{files, is_legacy};

/// At most this many foreign files are named.
const NAMED: usize = 5;

/// A folder's modification time, in nanoseconds since 1970.
pub fn dir_mtime(path: &Path) -> Option<u128> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.is_dir() {
        return None;
    }
    meta.modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()
        .map(|d| d.as_nanos())
}

/// Whether a time read at `now` may be recorded: it is far enough in the
/// past that nothing can still change the folder within its tick.
pub fn settled(mtime: u128, now: SystemTime) -> bool {
    let Ok(now) = now.duration_since(UNIX_EPOCH) else {
        return false;
    };
    let margin = if mtime.is_multiple_of(1_000_000_000) {
        Duration::from_secs(2)
    } else {
        Duration::from_millis(100)
    };
    mtime + margin.as_nanos() <= now.as_nanos()
}

/// The folders (relative, `""` for the output folder itself) that hold the
/// manifest's files: every ancestor of every file.
pub fn folders_of(manifest: &Manifest) -> BTreeSet<String> {
    folders_of_sorted(manifest.files.keys().map(String::as_str))
}

/// The folders that hold `paths` (sorted, as a map's keys are), and the
/// root. The paths under a folder are next to each other in sorted order,
/// so a folder met before is one the previous path is in: each folder is
/// found once, without looking it up, and the set is built at once.
fn folders_of_sorted<'p>(paths: impl Iterator<Item = &'p str>) -> BTreeSet<String> {
    let mut dirs: Vec<&str> = vec![""];
    let mut previous = "";
    for path in paths {
        let mut rest = path;
        while let Some((parent, _)) = rest.rsplit_once('/') {
            let known = (previous.strip_prefix(parent)).is_some_and(|r| r.starts_with('/'));
            if known {
                break;
            }
            dirs.push(parent);
            rest = parent;
        }
        previous = path;
    }
    dirs.sort_unstable();
    dirs.dedup();
    dirs.into_iter().map(str::to_string).collect()
}

/// Adds the folders that hold `path` (a relative, `/`-separated path) to
/// `dirs`, nearest first, stopping at one already there.
pub fn add_folders(dirs: &mut BTreeSet<String>, path: &str) {
    let mut rest = path;
    while let Some((parent, _)) = rest.rsplit_once('/') {
        if !dirs.insert(parent.to_string()) {
            break;
        }
        rest = parent;
    }
}

/// What looking for foreign files found.
#[derive(Debug, Default)]
pub struct ForeignScan {
    /// The first few foreign files and folders, sorted.
    pub foreign: Vec<String>,
    /// The folders seen to hold nothing foreign, with the time each had
    /// before it was read (settled ones only).
    pub verified: BTreeMap<String, u128>,
}

/// Files in the folder that no build of ours made (with no manifest,
/// folders too: the folder is not known to be ours at all).
pub fn foreign_files(out: &Path, manifest: Option<&Manifest>) -> ForeignScan {
    match manifest {
        None => ForeignScan {
            foreign: walk(out, Path::new("")),
            verified: BTreeMap::new(),
        },
        Some(m) => by_folder(out, m),
    }
}

/// Everything under `out/rel` (and `rel` itself, unless it is the root),
/// in name order, but an older chronicle's bookkeeping.
fn walk(out: &Path, rel: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let start = out.join(rel);
    let min_depth = usize::from(rel.as_os_str().is_empty());
    for entry in walkdir::WalkDir::new(&start)
        .follow_links(false)
        .min_depth(min_depth)
        .sort_by_file_name()
    {
        let Ok(entry) = entry else { continue };
        let Ok(path) = entry.path().strip_prefix(out) else {
            continue;
        };
        if is_legacy(path) {
            continue;
        }
        found.push(files::to_slash(path));
        if found.len() >= NAMED {
            break;
        }
    }
    found
}

/// The folders of ours, each read only if its time changed since it was
/// last seen to hold nothing foreign. The folders are looked at side by
/// side (at 100,000 articles, a stat each of 100,000 folders), then taken
/// in order, as one pass through them would: the first few foreign files
/// found, and the folders verified.
fn by_folder(out: &Path, manifest: &Manifest) -> ForeignScan {
    let now = SystemTime::now();
    let ours = folders_of(manifest);
    let folders: Vec<&String> = ours.iter().collect();
    let seen: Vec<Option<Seen>> = folders
        .par_iter()
        .map(|dir| {
            // Gone, or no longer a folder: nothing in it to refuse.
            let mtime = dir_mtime(&out.join(dir))?;
            if manifest.dirs.get(*dir) == Some(&mtime) {
                return Some(Seen { mtime, read: None });
            }
            let mut foreign = Vec::new();
            read_folder(out, dir, manifest, &ours, &mut foreign);
            Some(Seen {
                mtime,
                read: Some(foreign),
            })
        })
        .collect();
    let mut found = ForeignScan::default();
    for (dir, seen) in folders.into_iter().zip(seen) {
        let Some(Seen { mtime, read }) = seen else {
            continue;
        };
        let clean = match read {
            None => true,
            Some(foreign) => {
                let clean = foreign.is_empty();
                found.foreign.extend(foreign);
                if found.foreign.len() >= NAMED {
                    found.foreign.truncate(NAMED);
                    break;
                }
                clean && settled(mtime, now)
            }
        };
        if clean {
            found.verified.insert(dir.clone(), mtime);
        }
    }
    found.foreign.sort();
    found
}

/// What was seen of one folder: its time, and, if it was read, what in it
/// is foreign.
struct Seen {
    mtime: u128,
    read: Option<Vec<String>>,
}

/// The entries of folder `dir` that are not ours (for a folder not of
/// ours, the files in it).
fn read_folder(
    out: &Path,
    dir: &str,
    manifest: &Manifest,
    ours: &BTreeSet<String>,
    foreign: &mut Vec<String>,
) {
    let Ok(entries) = fs::read_dir(out.join(dir)) else {
        return;
    };
    let mut names: Vec<_> = entries.filter_map(Result::ok).collect();
    names.sort_by_key(fs::DirEntry::file_name);
    for entry in names {
        let name = entry.file_name();
        let rel = Path::new(dir).join(&name);
        if is_legacy(&rel) {
            continue;
        }
        let text = files::to_slash(&rel);
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && !ours.contains(&text) {
            // As a whole walk finds it: the files in it, not the folder.
            foreign.extend(
                walk(out, &rel)
                    .into_iter()
                    .filter(|p| !out.join(p).is_dir()),
            );
        } else if !is_dir && !manifest.files.contains_key(&text) {
            foreign.push(text);
        }
        if foreign.len() >= NAMED {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folders_of_sorted_paths_are_every_ancestor_once() {
        let paths = [
            "2020/a-b/index.html",
            "2020/a.txt",
            "2020/a/b/c/index.html",
            "2020/a/b/d.css",
            "2020/a/z/index.html",
            "2020/ab/index.html",
            "2021/index.html",
            "index.html",
            "x/y/z/w.html",
        ];
        let mut slow = BTreeSet::from([String::new()]);
        for path in paths {
            add_folders(&mut slow, path);
        }
        assert_eq!(folders_of_sorted(paths.into_iter()), slow);
        assert_eq!(
            folders_of_sorted(std::iter::empty()),
            BTreeSet::from([String::new()])
        );
    }
}
