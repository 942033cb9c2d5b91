//! chronicle: a static site generator for news timelines.
//!
//! Markdown articles with YAML front matter, one per event, go in; a linked
//! HTML timeline comes out. Data flows one way (see `pipeline`):
//!
//! ```text
//! content/*.md ─load─▶ Article[] ─timeline─▶ Timeline ─render─▶ Sink ─output─▶ public/
//! ```
//!
//! The timeline is plain data (ordered entries, terms, statuses); rendering
//! makes a body from its markdown when its page asks for it, and hands each
//! page to a `Sink` as soon as it is made: `build`'s is the output folder,
//! which stages it and puts the whole site in place once it rendered
//! cleanly (`check`'s drops it).
//!
//! `ARCHITECTURE.md` at the top of the repository maps the modules.
//!
//! The library never prints: it returns reports and diagnostics, and the
//! binary shows them.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod config;
pub mod content;
pub mod date;
pub mod diagnostics;
pub mod files;
pub mod fingerprint;
pub mod i18n;
pub mod import;
pub mod model;
pub mod output;
pub mod paginate;
pub mod pipeline;
pub mod render;
pub mod routes;
pub mod scaffold;
#[cfg(feature = "serve")]
pub mod serve;
pub mod site;
pub mod timeline;
pub mod translations;
pub mod url_policy;

pub use pipeline::{Failure, Options, Report, build, check, render_site};
