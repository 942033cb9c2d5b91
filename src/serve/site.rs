//! The site as `serve` holds it: every output file's bytes in memory, what
//! each was made from, and the errors of the last build if it failed.
//!
//! A rebuild runs the same engine as `build`, told which pages stand (all
//! of them are in memory, as made); the new snapshot shares the bytes of
//! every page that did not change with the old one. The snapshot is
//! replaced whole, so a request sees one build or the next, never a mix.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::content::Sources;
use crate::diagnostics::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::pipeline::engine::{Engine, Previous, Run};
use crate::pipeline::{Options, Stop};
use crate::site::Memory;

/// One build's site, as served.
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    /// Output path (`2023/camp-david/index.html`) to bytes.
    pub files: HashMap<String, Arc<Vec<u8>>>,
    pub fingerprints: HashMap<String, Fingerprint>,
    /// Everything the build read, for the engine's early way out.
    pub inputs: Option<Fingerprint>,
    /// The path every link starts with (`/news`, or empty).
    pub base_path: String,
    /// The last build's errors, as a terminal shows them, while the site
    /// served is an older one (or none).
    pub errors: Option<String>,
}

impl Previous for Snapshot {
    fn standing(&self, path: &str) -> Option<Fingerprint> {
        self.files
            .contains_key(path)
            .then(|| self.fingerprints.get(path).copied())
            .flatten()
    }

    fn untouched_inputs(&self) -> Option<Fingerprint> {
        self.inputs
    }
}

/// What one rebuild did.
#[derive(Debug)]
pub struct Outcome {
    pub snapshot: Snapshot,
    /// Files made anew (the rest were kept).
    pub rendered: usize,
    pub articles: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Rebuilds `current` through `engine`. On a content or template error, the
/// diagnostics; the caller keeps serving `current`.
pub fn rebuild(
    engine: &mut Engine,
    options: &Options,
    sources: &Sources,
    current: &Snapshot,
) -> Result<Outcome, Vec<Diagnostic>> {
    let run = engine
        .run_on(options, Some(current), sources.clone(), &Memory)
        .map_err(|stop| match stop {
            Stop::Diagnostics(d) => d,
            Stop::Sink(never, _) => match never {},
        })?;
    match run {
        Run::Unchanged {
            warnings, articles, ..
        } => Ok(Outcome {
            snapshot: Snapshot {
                errors: None,
                ..current.clone()
            },
            rendered: 0,
            articles,
            warnings,
        }),
        Run::Built { rendered, inputs } => {
            let site = rendered.site;
            let files = site
                .paths()
                .filter_map(|path| {
                    let bytes = match site.files.get(path) {
                        Some(bytes) => Arc::new(bytes.clone()),
                        None => current.files.get(path)?.clone(),
                    };
                    Some((path.clone(), bytes))
                })
                .collect();
            let snapshot = Snapshot {
                files,
                fingerprints: site.fingerprints.into_iter().collect(),
                inputs: Some(inputs),
                base_path: rendered.base_path,
                errors: None,
            };
            Ok(Outcome {
                snapshot,
                rendered: site.files.len(),
                articles: rendered.articles,
                warnings: rendered.warnings,
            })
        }
    }
}

/// Diagnostics as a terminal shows them, paths from the site root.
pub fn render_diagnostics(root: &Path, diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| d.render(root)).collect()
}
