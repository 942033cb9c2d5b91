//! The site's static files: the defaults embedded in the binary, and
//! `static/` copied over them byte for byte (hidden files too: a site may
//! publish `.well-known/`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};
use crate::files::{self, STATIC_DIR};
use crate::fingerprint::{self, Fingerprint};

/// The filter's script, loaded by the timeline and term pages.
pub const FILTER_SCRIPT: &str = "filter.js";

/// The static files every site has unless it overrides them.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    (FILTER_SCRIPT, include_bytes!("../../static/filter.js")),
    // The timeline page's year bar and short introduction on a phone.
    ("timeline.js", include_bytes!("../../static/timeline.js")),
    // TimelineJS for the timeline-view/ page, as scripts/vendor-timelinejs
    // wrote it (keep this list in step with that script).
    (
        "timelinejs/LICENSE",
        include_bytes!("../../static/timelinejs/LICENSE"),
    ),
    (
        "timelinejs/README.txt",
        include_bytes!("../../static/timelinejs/README.txt"),
    ),
    (
        "timelinejs/css/icons/tl-icons.eot",
        include_bytes!("../../static/timelinejs/css/icons/tl-icons.eot"),
    ),
    (
        "timelinejs/css/icons/tl-icons.svg",
        include_bytes!("../../static/timelinejs/css/icons/tl-icons.svg"),
    ),
    (
        "timelinejs/css/icons/tl-icons.ttf",
        include_bytes!("../../static/timelinejs/css/icons/tl-icons.ttf"),
    ),
    (
        "timelinejs/css/icons/tl-icons.woff",
        include_bytes!("../../static/timelinejs/css/icons/tl-icons.woff"),
    ),
    (
        "timelinejs/css/icons/tl-icons.woff2",
        include_bytes!("../../static/timelinejs/css/icons/tl-icons.woff2"),
    ),
    (
        "timelinejs/css/timeline.css",
        include_bytes!("../../static/timelinejs/css/timeline.css"),
    ),
    (
        "timelinejs/js/timeline.js",
        include_bytes!("../../static/timelinejs/js/timeline.js"),
    ),
    (
        "timelinejs/js/timeline.js.LICENSE.txt",
        include_bytes!("../../static/timelinejs/js/timeline.js.LICENSE.txt"),
    ),
];

/// A file to publish as it is: its name in the output, where its bytes
/// are, their hash, and its origin. A site's file is not read into memory:
/// it is hashed as a stream here and copied as one by the sink, so memory
/// does not grow with `static/` (three 1 GB files took `check` to 3.2 GB).
pub struct StaticFile {
    pub name: String,
    pub bytes: Bytes,
    pub hash: Fingerprint,
    pub origin: PathBuf,
}

/// Where a static file's bytes are.
pub enum Bytes {
    BuiltIn(&'static [u8]),
    /// A file of the site's `static/`, by its path.
    File(PathBuf),
}

/// The defaults, with the site's `static/` files over them, sorted by name.
pub fn collect(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<StaticFile> {
    let mut out: BTreeMap<String, StaticFile> = DEFAULT_STATIC
        .iter()
        .map(|(name, bytes)| {
            let file = StaticFile {
                name: name.to_string(),
                bytes: Bytes::BuiltIn(bytes),
                hash: fingerprint::of_bytes(bytes),
                origin: PathBuf::from(format!("{STATIC_DIR}/{name} (built-in)")),
            };
            (name.to_string(), file)
        })
        .collect();
    for found in files::walk(root, STATIC_DIR, |_| false, diagnostics) {
        let path = root.join(&found.rel);
        match std::fs::File::open(&path).and_then(fingerprint::of_reader) {
            Ok(hash) => {
                let file = StaticFile {
                    name: found.name.clone(),
                    bytes: Bytes::File(path),
                    hash,
                    origin: found.rel,
                };
                out.insert(found.name, file);
            }
            Err(e) => diagnostics.push(Diagnostic::error(
                Code::Unreadable,
                found.rel,
                format!("cannot read this file: {e}"),
            )),
        }
    }
    out.into_values().collect()
}
