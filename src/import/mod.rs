//! `chronicle import`: a TimelineJS timeline (its JSON, or the Google
//! Sheets template saved as CSV) made into a chronicle site's `content/`
//! (and `static/`, for pictures that sit beside the file).
//!
//! Reading (`json`, `sheet`) gives a [`source::Timeline`] in TimelineJS's
//! own terms; `plan` maps it (`dates`, `display`, `text`, `media`, `title`,
//! `order`) to files in memory, reads every one back through chronicle's
//! reader, and notes each event that could not be carried over exactly;
//! only then is anything written, and never over an existing file. The
//! report goes back to `main`, which prints it.

mod dates;
mod display;
mod json;
mod media;
mod order;
mod plan;
mod sheet;
mod source;
mod text;
mod title;

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Which TimelineJS format the file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TimelineJS's JSON.
    Json,
    /// The Google Sheets template, saved as CSV.
    Sheet,
}

/// A problem with the file imported, at its place where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for Problem {
    /// `file:line:column: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// Why nothing was written.
#[derive(Debug)]
pub enum ImportError {
    /// The file is not a timeline chronicle can import.
    Invalid(Vec<Problem>),
    /// A file the import would write is there already.
    Exists(PathBuf),
    Io(PathBuf, io::Error),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Invalid(problems) => {
                write!(f, "{} problem(s) in the timeline", problems.len())
            }
            ImportError::Exists(path) => write!(
                f,
                "{} already exists; the import writes no file over another, so nothing was written",
                path.display()
            ),
            ImportError::Io(path, e) => write!(f, "cannot read or write {}: {e}", path.display()),
        }
    }
}

impl std::error::Error for ImportError {}

/// What a warning is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// The whole timeline, every event alike.
    Timeline,
    Title,
    /// An event, counted from 1 in the file's order; a sheet's events
    /// also know their line.
    Event {
        number: usize,
        headline: String,
        line: Option<u64>,
    },
    Era {
        number: usize,
        headline: String,
    },
}

impl Subject {
    /// Title first, then events, then eras, each in the file's order.
    fn rank(&self) -> (u8, usize) {
        match self {
            Subject::Timeline => (0, 0),
            Subject::Title => (0, 1),
            Subject::Event { number, .. } => (1, *number),
            Subject::Era { number, .. } => (2, *number),
        }
    }
}

impl fmt::Display for Subject {
    /// `event 7 ("Headline")`, `era 1 ("Name")`, `the title slide`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Timeline => f.write_str("the timeline"),
            Subject::Title => f.write_str("the title slide"),
            Subject::Event {
                number, headline, ..
            } => write!(f, "event {number} ({headline:?})"),
            Subject::Era { number, headline } => write!(f, "era {number} ({headline:?})"),
        }
    }
}

/// Something that could not be carried over exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub subject: Subject,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.message)
    }
}

/// What an import did.
#[derive(Debug)]
pub struct Report {
    /// Events imported, one article each.
    pub events: usize,
    /// The files written, relative to the site's folder.
    pub written: Vec<PathBuf>,
    pub warnings: Vec<Warning>,
}

/// Imports `file` into the site folder `into`: all of it, or nothing.
pub fn import(format: Format, file: &Path, into: &Path) -> Result<Report, ImportError> {
    let bytes = fs::read(file).map_err(|e| ImportError::Io(file.to_path_buf(), e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        ImportError::Invalid(vec![Problem {
            path: file.to_path_buf(),
            line: None,
            column: None,
            message: format!(
                "not UTF-8 text (byte {} is not)",
                e.utf8_error().valid_up_to()
            ),
            hint: Some("save the file as UTF-8".into()),
        }])
    })?;
    let timeline = match format {
        Format::Json => json::read(file, &text),
        Format::Sheet => sheet::read(file, &text),
    }
    .map_err(|p| ImportError::Invalid(vec![p]))?;
    let site = plan::plan(&timeline, file)?;
    let written = write(into, &site)?;
    Ok(Report {
        events: site.events,
        written,
        warnings: site.warnings,
    })
}

/// Writes the planned files, after making sure none is there.
fn write(into: &Path, site: &plan::Site) -> Result<Vec<PathBuf>, ImportError> {
    let targets: Vec<PathBuf> = site
        .files
        .iter()
        .map(|(rel, _)| rel)
        .chain(site.copies.iter().map(|(_, rel)| rel))
        .map(PathBuf::from)
        .collect();
    if let Some(taken) = targets
        .iter()
        .find(|rel| into.join(rel).symlink_metadata().is_ok())
    {
        return Err(ImportError::Exists(into.join(taken)));
    }
    for (rel, text) in &site.files {
        create_new(&into.join(rel), text.as_bytes())?;
    }
    for (from, rel) in &site.copies {
        let bytes = fs::read(from).map_err(|e| ImportError::Io(from.clone(), e))?;
        create_new(&into.join(rel), &bytes)?;
    }
    Ok(targets)
}

fn create_new(path: &Path, bytes: &[u8]) -> Result<(), ImportError> {
    let io = |e| ImportError::Io(path.to_path_buf(), e);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io)?;
    }
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(ImportError::Exists(path.to_path_buf()));
        }
        Err(e) => return Err(io(e)),
    };
    file.write_all(bytes).map_err(io)
}
