//! The built site: every output file's path, what made it, and where its
//! bytes went. Rendering hands each file to a [`Sink`] as soon as it is
//! made: `build`'s sink writes it into the output folder's staging area
//! (so memory holds one file per thread, not the site), and so does
//! `serve`'s (into its folder in the cache), `check`'s lets them go, and
//! tests' keep the bytes here. The output step then moves the staged
//! files into place.
//!
//! After an incremental build, a file whose fingerprint did not change is
//! `kept`: it stands as the last build wrote it, and has no bytes here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};
use crate::fingerprint::Fingerprint;

/// A file written into the output folder's staging area, to be moved into
/// place when the whole site is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staged {
    pub tmp: PathBuf,
    /// The hash of its bytes.
    pub hash: Fingerprint,
}

/// Where a made file went.
#[derive(Debug)]
pub enum Made {
    /// Kept in memory, in [`Site::files`].
    Held(Vec<u8>),
    Staged(Staged),
    /// The same bytes stand in the output folder already.
    Unchanged,
    /// Made and let go: only `check` wanted to know it could be made.
    Dropped,
}

/// Takes each file as it is made.
pub trait Sink: Sync {
    type Error: Send;
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<Made, Self::Error>;
    /// Takes a file that is on disk already (a static file), whose bytes
    /// hash to `hash`, without holding it in memory where the sink does
    /// not keep it. This default, for sinks that hold bytes, reads it; a
    /// file gone since it was hashed is held empty (the watcher that
    /// removed it starts the next build).
    fn copy(&self, path: &str, from: &Path, hash: Fingerprint) -> Result<Made, Self::Error> {
        let _ = hash;
        self.put(path, std::fs::read(from).unwrap_or_default())
    }
    /// Whether pages need their fingerprints (to be kept next time). A
    /// sink that keeps nothing spares the rendering the hashing.
    fn keeps(&self) -> bool {
        true
    }
    /// Whether the search index is worth making for this sink: only a
    /// published site is searched (`serve` and `check` skip the cost).
    fn indexes(&self) -> bool {
        false
    }
}

/// Keeps every file in memory (`render_site`, for tests).
pub struct Memory;

impl Sink for Memory {
    type Error = std::convert::Infallible;
    fn put(&self, _: &str, bytes: Vec<u8>) -> Result<Made, Self::Error> {
        Ok(Made::Held(bytes))
    }
}

/// Makes every file and keeps none (`check`: every page is rendered, so
/// every template error is found, but nothing is held or written).
pub struct Discard;

impl Sink for Discard {
    type Error = std::convert::Infallible;
    fn put(&self, _: &str, _: Vec<u8>) -> Result<Made, Self::Error> {
        Ok(Made::Dropped)
    }
    fn copy(&self, _: &str, _: &Path, _: Fingerprint) -> Result<Made, Self::Error> {
        Ok(Made::Dropped)
    }
    fn keeps(&self) -> bool {
        false
    }
}

/// Output path (with `/`) to bytes, and what made each.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Site {
    /// The files made by this build and held in memory.
    pub files: BTreeMap<String, Vec<u8>>,
    /// The files made by this build and staged in the output folder.
    pub staged: BTreeMap<String, Staged>,
    /// The files that stand as the last build made them.
    pub kept: BTreeSet<String>,
    /// How many files were made and let go (see [`Discard`]).
    pub dropped: usize,
    /// Every file's fingerprint (of what it was made from).
    pub fingerprints: BTreeMap<String, Fingerprint>,
    /// For each output path, the file or page kind that produced it, so two
    /// things that want one path can both be named.
    pub origins: BTreeMap<String, PathBuf>,
}

impl Site {
    /// Adds a file held in memory; a path already taken is an error
    /// naming both origins.
    pub fn insert(
        &mut self,
        path: String,
        bytes: Vec<u8>,
        origin: PathBuf,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        if self.claim(&path, &origin, diagnostics) {
            self.files.insert(path, bytes);
        }
    }

    /// Adds a file as its sink took it.
    pub fn add(
        &mut self,
        path: String,
        made: Made,
        origin: PathBuf,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        match made {
            Made::Held(bytes) => self.insert(path, bytes, origin, diagnostics),
            Made::Staged(staged) => {
                if self.claim(&path, &origin, diagnostics) {
                    self.staged.insert(path, staged);
                }
            }
            Made::Unchanged => self.keep(path, origin, diagnostics),
            Made::Dropped => {
                if self.claim(&path, &origin, diagnostics) {
                    self.dropped += 1;
                }
            }
        }
    }

    /// Records who makes `path`; `false` (and an error) if it is taken.
    fn claim(
        &mut self,
        path: &str,
        origin: &std::path::Path,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> bool {
        if let Some(first) = self.origins.get(path) {
            diagnostics.push(
                Diagnostic::error(
                    Code::OutputCollision,
                    origin,
                    format!("`{path}` in the output is also made by {}", first.display()),
                )
                .hint("two things cannot share one output file: rename one of them"),
            );
            return false;
        }
        self.origins.insert(path.to_string(), origin.to_path_buf());
        true
    }

    /// Adds a file that stands as the last build made it.
    pub fn keep(&mut self, path: String, origin: PathBuf, diagnostics: &mut Vec<Diagnostic>) {
        if self.claim(&path, &origin, diagnostics) {
            self.kept.insert(path);
        }
    }

    /// Adds every file of `other` (another language's pages, rendered on
    /// their own); a path both make is an error, as within one.
    pub fn merge(&mut self, other: Site, diagnostics: &mut Vec<Diagnostic>) {
        // Into nothing (the first language, or the only one): taken whole,
        // its paths already claimed once each.
        if self.origins.is_empty() && self.is_empty() {
            *self = other;
            return;
        }
        for (path, origin) in &other.origins {
            self.claim(path, origin, diagnostics);
        }
        self.files.extend(other.files);
        self.staged.extend(other.staged);
        self.kept.extend(other.kept);
        self.dropped += other.dropped;
        self.fingerprints.extend(other.fingerprints);
    }

    /// How many files the site has, new and kept.
    pub fn len(&self) -> usize {
        self.files.len() + self.staged.len() + self.kept.len() + self.dropped
    }

    /// How many files this build made anew.
    pub fn made(&self) -> usize {
        self.files.len() + self.staged.len() + self.dropped
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every output path, new and kept, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.origins.keys()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(paths: &[(&str, &str)]) -> Site {
        let mut site = Site::default();
        let mut diagnostics = Vec::new();
        for (path, origin) in paths {
            site.keep(path.to_string(), PathBuf::from(origin), &mut diagnostics);
            site.fingerprints.insert(path.to_string(), Fingerprint(1));
        }
        assert!(diagnostics.is_empty());
        site
    }

    #[test]
    fn merged_sites_keep_every_file_and_refuse_a_path_made_twice() {
        let mut diagnostics = Vec::new();
        let mut all = Site::default();
        all.merge(
            site(&[("a.html", "x.md"), ("b.html", "y.md")]),
            &mut diagnostics,
        );
        all.merge(
            site(&[("ja/a.html", "x.ja.md"), ("b.html", "z.md")]),
            &mut diagnostics,
        );
        let paths: Vec<&String> = all.paths().collect();
        assert_eq!(paths, ["a.html", "b.html", "ja/a.html"]);
        assert_eq!(all.origins["b.html"], PathBuf::from("y.md"));
        assert_eq!(all.len(), 3);
        let codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::OutputCollision]);
        assert!(diagnostics[0].message.contains("`b.html`"));
    }
}
