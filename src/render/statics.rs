//! The site's static files: the defaults embedded in the binary, and
//! `static/` copied over them byte for byte (hidden files too: a site may
//! publish `.well-known/`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::files::{self, STATIC_DIR};

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

/// A file to publish as it is: its name in the output, bytes, and origin.
pub struct StaticFile {
    pub name: String,
    pub bytes: Vec<u8>,
    pub origin: PathBuf,
}

/// The defaults, with the site's `static/` files over them, sorted by name.
pub fn collect(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<StaticFile> {
    let mut out: BTreeMap<String, StaticFile> = DEFAULT_STATIC
        .iter()
        .map(|(name, bytes)| {
            let file = StaticFile {
                name: name.to_string(),
                bytes: bytes.to_vec(),
                origin: PathBuf::from(format!("{STATIC_DIR}/{name} (built-in)")),
            };
            (name.to_string(), file)
        })
        .collect();
    for found in files::walk(root, STATIC_DIR, |_| false, diagnostics) {
        match files::read_bytes(root, &found.rel) {
            Ok(bytes) => {
                let file = StaticFile {
                    name: found.name.clone(),
                    bytes,
                    origin: found.rel,
                };
                out.insert(found.name, file);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    out.into_values().collect()
}
