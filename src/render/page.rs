//! What a page kind gives the renderer: its pages, each with its route
//! from the address book, what made it (named when two pages collide), and
//! how it renders. Every producer of pages (`pages`, `articles`, the
//! exports) imports these types; this file imports none of them.

use std::path::PathBuf;

use super::{Renderer, Rendering};
use crate::diagnostics::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::routes::Route;

/// How a page renders, given the fingerprint the last build recorded for
/// it: its bytes (or that it stands unchanged), or a diagnostic (a
/// template error, say).
pub type RenderFn =
    Box<dyn Fn(&Renderer<'_>, Option<Fingerprint>) -> Result<Rendering, Diagnostic> + Send + Sync>;

/// A page to render. `render` builds its context when it runs, on the
/// thread that renders it.
pub struct Page {
    pub route: Route,
    /// The file or page kind that made it, named when two pages collide.
    pub origin: PathBuf,
    pub render: RenderFn,
}

/// A page kind: the pages of its kind that the site has.
pub type PageKind = fn(&Renderer<'_>) -> Vec<Page>;

/// The origin of a page the site makes of itself: `(the sitemap)`.
pub(super) fn generated(what: &str) -> PathBuf {
    PathBuf::from(format!("({what})"))
}
