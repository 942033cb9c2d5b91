//! chronicle: a static site generator for news timelines.
//!
//! Markdown articles with YAML front matter, one per event, go in; a linked
//! HTML timeline comes out. Data flows one way (see `site`):
//!
//! ```text
//! content/*.md ─load─▶ Article[] ─timeline─▶ Timeline ─render─▶ Site ─output─▶ public/
//! ```
//!
//! The library never prints: it returns reports and diagnostics, and the
//! binary shows them.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod config;
pub mod content;
pub mod date;
pub mod diagnostics;
pub mod model;
pub mod output;
pub mod render;
pub mod site;
pub mod timeline;

pub use site::{Failure, Options, Report, build, render_site};
