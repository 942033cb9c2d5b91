//! The built site in memory: every output file's path and bytes, and what
//! made each one. The pipeline fills it (rendered pages, static files); the
//! output step writes it; `check` only counts it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostics::{Code, Diagnostic};

/// Output path (with `/`) to bytes, and what made each.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Site {
    pub files: BTreeMap<String, Vec<u8>>,
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
}
