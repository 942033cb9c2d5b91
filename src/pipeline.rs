//! The pipeline end to end: load → timeline → render → write, and the report
//! of what a build did.
//!
//! Everything before `write` is pure: it reads files and returns values, so
//! `check` runs the same code as `build` and simply writes nothing. A content
//! or template error stops the pipeline before the output folder is touched.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::diagnostics::{self, Diagnostic};
use crate::output::{self, OutputError, WriteStats};
use crate::render;
use crate::site::Site;
use crate::{content, timeline};

/// What to build, and how.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// Where to write; `<root>/public` when `None`.
    pub output: Option<PathBuf>,
    /// `--as-of`: wins over the settings' `as_of`.
    pub as_of: Option<NaiveDate>,
    /// The as-of date when neither `--as-of` nor the settings give one
    /// (the binary passes `SOURCE_DATE_EPOCH`'s day, else today in UTC).
    pub default_as_of: NaiveDate,
    /// `--base-url`: wins over the settings' `base_url`.
    pub base_url: Option<String>,
    pub drafts: bool,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>, default_as_of: NaiveDate) -> Self {
        Options {
            root: root.into(),
            output: None,
            as_of: None,
            default_as_of,
            base_url: None,
            drafts: false,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// A site rendered in memory, with the warnings found on the way.
#[derive(Debug)]
pub struct Rendered {
    pub site: Site,
    pub articles: usize,
    pub as_of: NaiveDate,
    /// Warnings only (errors stop the pipeline), sorted.
    pub warnings: Vec<Diagnostic>,
}

/// Why a build failed.
#[derive(Debug)]
pub enum Failure {
    /// Content or template errors (and any warnings), sorted by path and line.
    Diagnostics(Vec<Diagnostic>),
    /// The output folder could not be written (or was refused).
    Output(OutputError, Vec<Diagnostic>),
}

/// Loads, checks and renders the site in memory. Writes nothing.
pub fn render_site(options: &Options) -> Result<Rendered, Failure> {
    let mut loaded = content::load(&options.root);
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    let templates = render::templates::load(&options.root, &mut diagnostics);

    let (Some(mut settings), Some(templates)) = (loaded.settings, templates) else {
        return Err(fail(diagnostics));
    };
    if let Some(base_url) = &options.base_url {
        settings.base_url = Some(base_url.clone());
    }
    let as_of = options
        .as_of
        .or(settings.as_of)
        .unwrap_or(options.default_as_of);
    let timeline = timeline::build(
        settings,
        loaded.articles,
        as_of,
        options.drafts,
        &mut diagnostics,
    );
    let articles = timeline.entries.len();
    let site = if diagnostics.iter().any(Diagnostic::is_error) {
        Site::default()
    } else {
        render::render(&options.root, &timeline, &templates, &mut diagnostics)
    };
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(fail(diagnostics));
    }
    diagnostics::sort_and_dedup(&mut diagnostics);
    Ok(Rendered {
        site,
        articles,
        as_of,
        warnings: diagnostics,
    })
}

fn fail(mut diagnostics: Vec<Diagnostic>) -> Failure {
    diagnostics::sort_and_dedup(&mut diagnostics);
    Failure::Diagnostics(diagnostics)
}

/// What a build did.
#[derive(Debug)]
pub struct Report {
    pub rendered: Rendered,
    pub output: PathBuf,
    pub stats: WriteStats,
}

/// Renders the site and, if it rendered cleanly, writes it.
pub fn build(options: &Options, on_wait: &dyn Fn()) -> Result<Report, Failure> {
    let rendered = render_site(options)?;
    let output = options.output_dir();
    match output::write(&options.root, &output, &rendered.site, on_wait) {
        Ok(stats) => Ok(Report {
            rendered,
            output,
            stats,
        }),
        Err(e) => Err(Failure::Output(e, rendered.warnings)),
    }
}
