//! The built site in memory: every output file's path and bytes, and what
//! made each one. The pipeline fills it (rendered pages, static files); the
//! output step writes it; `check` only counts it.
//!
//! After an incremental build, a file whose fingerprint did not change is
//! `kept`: it stands as the last build wrote it, and has no bytes here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::diagnostics::{Code, Diagnostic};
use crate::fingerprint::Fingerprint;

/// Output path (with `/`) to bytes, and what made each.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Site {
    /// The files made by this build.
    pub files: BTreeMap<String, Vec<u8>>,
    /// The files that stand as the last build made them.
    pub kept: BTreeSet<String>,
    /// Every file's fingerprint (of what it was made from).
    pub fingerprints: BTreeMap<String, Fingerprint>,
    /// For each output path, the file or page kind that produced it, so two
    /// things that want one path can both be named.
    pub origins: BTreeMap<String, PathBuf>,
}

impl Site {
    /// Adds a file; a path already taken is an error naming both origins.
    pub fn insert(
        &mut self,
        path: String,
        bytes: Vec<u8>,
        origin: PathBuf,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        if let Some(first) = self.origins.get(&path) {
            diagnostics.push(
                Diagnostic::error(
                    Code::OutputCollision,
                    &origin,
                    format!("`{path}` in the output is also made by {}", first.display()),
                )
                .hint("two things cannot share one output file: rename one of them"),
            );
            return;
        }
        self.origins.insert(path.clone(), origin);
        self.files.insert(path, bytes);
    }

    /// Adds a file that stands as the last build made it.
    pub fn keep(&mut self, path: String, origin: PathBuf, diagnostics: &mut Vec<Diagnostic>) {
        if self.origins.contains_key(&path) {
            // Report the collision the same way as for new bytes.
            return self.insert(path, Vec::new(), origin, diagnostics);
        }
        self.origins.insert(path.clone(), origin);
        self.kept.insert(path);
    }

    /// How many files the site has, new and kept.
    pub fn len(&self) -> usize {
        self.files.len() + self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every output path, new and kept, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.origins.keys()
    }
}
