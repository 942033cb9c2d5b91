//! `chronicle import`: a TimelineJS timeline (its JSON, or the Google
//! Sheets template saved as CSV) made into a chronicle site's `content/`
//! (and `static/`, for pictures that sit beside the file).
//!
//! Reading (`json`, `sheet`) gives a [`source::TimelineJs`] in TimelineJS's
//! own terms; `plan` maps it (`dates`, `display`, `text`, `media`, `title`,
//! `order`) to files in memory, reads every one back through chronicle's
//! reader, and notes each event that could not be carried over exactly;
//! only then is anything written, and never over an existing file. The
//! report goes back to the binary (`cmd/import.rs`), which prints it.

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
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::diagnostics::printable_text;
use plan::ImportPlan;

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
    /// `file:line:column: message`, its control characters made visible
    /// (a terminal escape in the timeline must not reach the terminal).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", printable_text(&self.path.display().to_string()))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", printable_text(&self.message))
    }
}

/// Why the import did not happen. Every variant but `Leftover` means
/// nothing was written. The I/O error is in the message, not a source, so
/// the binary's chain of causes does not say it twice.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is not a timeline chronicle can import.
    #[error("{} problem(s) in the timeline", .0.len())]
    Invalid(Vec<Problem>),
    /// A file the import would write is there already.
    #[error(
        "{} already exists; the import writes no file over another, so nothing was written",
        .0.display()
    )]
    Exists(PathBuf),
    /// Where the import needs a folder, there is a file, or a symbolic link
    /// that leads out of the site's folder.
    #[error("{} {why}, so nothing was written", .path.display())]
    Blocked { path: PathBuf, why: &'static str },
    #[error("cannot read or write {path}: {1}; nothing was written", path = .0.display())]
    Io(PathBuf, io::Error),
    /// The import failed, and taking back what it had placed failed too:
    /// these files and folders are left.
    #[error("{error}, but these could not be removed again: {}", joined(left))]
    Leftover {
        error: Box<ImportError>,
        left: Vec<PathBuf>,
    },
}

/// Paths as a list in a sentence: `a, b`.
fn joined(paths: &[PathBuf]) -> String {
    let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    paths.join(", ")
}

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
            } => write!(f, "event {number} ({:?})", text::cut(headline, 80)),
            Subject::Era { number, headline } => {
                write!(f, "era {number} ({:?})", text::cut(headline, 80))
            }
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
    /// `subject: message`, its control characters made visible, as a
    /// build's diagnostics show them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = format!("{}: {}", self.subject, self.message);
        f.write_str(&printable_text(&line))
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
    let text = String::from_utf8(bytes)
        .map_err(|e| ImportError::Invalid(vec![not_utf8(file, e.as_bytes(), e.utf8_error())]))?;
    let plan = read_and_plan(format, file, &text)?;
    let written = write(into, &plan)?;
    Ok(Report {
        events: plan.events,
        written,
        warnings: plan.warnings,
    })
}

fn read_and_plan(format: Format, file: &Path, text: &str) -> Result<ImportPlan, ImportError> {
    let timeline = match format {
        Format::Json => json::read(file, text).map_err(|p| vec![p]),
        Format::Sheet => sheet::read(file, text),
    }
    .map_err(ImportError::Invalid)?;
    plan::plan(&timeline, file)
}

/// The files an import would write (path under the site's folder, with
/// `/`, and text) and its warnings.
pub type Planned = (Vec<(String, String)>, Vec<Warning>);

/// What an import of `text` (as read from `file`) would write, and its
/// warnings, without writing anything: each file's path under the site's
/// folder (with `/`) and its text. Pictures beside `file` are looked for
/// (and would be copied), not read. For the fuzz targets and tests.
pub fn plan_text(format: Format, file: &Path, text: &str) -> Result<Planned, ImportError> {
    let plan = read_and_plan(format, file, text)?;
    Ok((plan.files, plan.warnings))
}

/// A file that is not UTF-8, at the line and column of its first byte
/// that is not, and in what it probably is.
fn not_utf8(file: &Path, bytes: &[u8], e: std::str::Utf8Error) -> Problem {
    let at = e.valid_up_to();
    let utf16 = bytes.starts_with(&[0xff, 0xfe])
        || bytes.starts_with(&[0xfe, 0xff])
        || bytes.iter().take(64).filter(|b| **b == 0).count() > 8;
    let before = &bytes[..at];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    // `before` is UTF-8 up to `at`: its characters are countable.
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    let (line, column, message) = if utf16 {
        (1, 1, "UTF-16 text, not UTF-8".to_string())
    } else {
        (
            line,
            column,
            format!(
                "not UTF-8 text: byte 0x{:02X} here (byte {at} of the file) is not (Latin-1 or Windows-1252?)",
                bytes.get(at).copied().unwrap_or(0)
            ),
        )
    };
    Problem {
        path: file.to_path_buf(),
        line: Some(line as u64),
        column: Some(column as u64),
        message,
        hint: Some("save the file as UTF-8 (in a spreadsheet: CSV UTF-8)".into()),
    }
}

/// Writes the planned files: every path checked first, every file written
/// into a staging folder inside `into`, then each put in place with a link
/// that fails rather than replace a file; if one cannot be, those placed
/// and the folders made are taken away again. Returns the paths written.
fn write(into: &Path, plan: &ImportPlan) -> Result<Vec<PathBuf>, ImportError> {
    let targets: Vec<PathBuf> = plan
        .files
        .iter()
        .map(|(rel, _)| rel)
        .chain(plan.copies.iter().map(|(_, rel)| rel))
        .map(PathBuf::from)
        .collect();
    check_targets(into, &targets)?;
    let mut undo = Undo::default();
    match stage_and_place(into, plan, &targets, &mut undo) {
        Ok(()) => Ok(targets),
        Err(error) => {
            let left = undo.run();
            if left.is_empty() {
                Err(error)
            } else {
                Err(ImportError::Leftover {
                    error: Box::new(error),
                    left,
                })
            }
        }
    }
}

/// Before anything is written: no target is there already or is the
/// folder of another, and every folder on the way that exists is a folder
/// that stays inside `into` once its symbolic links are followed.
fn check_targets(into: &Path, targets: &[PathBuf]) -> Result<(), ImportError> {
    let mut folders = std::collections::BTreeSet::new();
    for rel in targets {
        let mut folder = rel.parent();
        while let Some(f) = folder.filter(|f| !f.as_os_str().is_empty()) {
            folders.insert(f.to_path_buf());
            folder = f.parent();
        }
    }
    if let Some(both) = targets.iter().find(|t| folders.contains(*t)) {
        return Err(ImportError::Blocked {
            path: into.join(both),
            why: "would be both a file and a folder of the import",
        });
    }
    let inside = |path: &Path| crate::files::resolves_inside(into, path);
    for folder in &folders {
        let path = into.join(folder);
        match path.symlink_metadata() {
            Ok(m) if m.is_dir() => {}
            Ok(m) if m.file_type().is_symlink() => {
                if !inside(&path).map_err(|e| ImportError::Io(path.clone(), e))? || !path.is_dir() {
                    return Err(ImportError::Blocked {
                        path,
                        why: "is a symbolic link that does not lead to a folder inside the site's folder",
                    });
                }
            }
            Ok(_) => {
                return Err(ImportError::Blocked {
                    path,
                    why: "is a file where the import needs a folder",
                });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(ImportError::Io(path, e)),
        }
    }
    for rel in targets {
        let path = into.join(rel);
        if path.symlink_metadata().is_ok() {
            return Err(ImportError::Exists(path));
        }
    }
    Ok(())
}

/// What to take away if the import fails: files placed, folders made.
#[derive(Default)]
struct Undo {
    files: Vec<PathBuf>,
    folders: Vec<PathBuf>,
}

impl Undo {
    /// Takes away what was placed, newest first; returns what could not be.
    fn run(self) -> Vec<PathBuf> {
        let mut left = Vec::new();
        for file in self.files.into_iter().rev() {
            if fs::remove_file(&file).is_err() {
                left.push(file);
            }
        }
        for folder in self.folders.into_iter().rev() {
            let removed = if folder
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(STAGING))
            {
                fs::remove_dir_all(&folder)
            } else {
                fs::remove_dir(&folder)
            };
            if removed.is_err() && folder.symlink_metadata().is_ok() {
                left.push(folder);
            }
        }
        left
    }

    /// Makes `folder` and the folders above it that are not there.
    fn make_folders(&mut self, folder: &Path) -> Result<(), ImportError> {
        let mut missing = Vec::new();
        let mut at = Some(folder);
        while let Some(f) =
            at.filter(|f| !f.as_os_str().is_empty() && f.symlink_metadata().is_err())
        {
            missing.push(f.to_path_buf());
            at = f.parent();
        }
        for f in missing.into_iter().rev() {
            fs::create_dir(&f).map_err(|e| ImportError::Io(f.clone(), e))?;
            self.folders.push(f);
        }
        Ok(())
    }
}

/// The staging folder's name, inside `into`, before the process id.
const STAGING: &str = ".chronicle-import-";

fn stage_and_place(
    into: &Path,
    plan: &ImportPlan,
    targets: &[PathBuf],
    undo: &mut Undo,
) -> Result<(), ImportError> {
    undo.make_folders(into)?;
    let staging = into.join(format!("{STAGING}{}", std::process::id()));
    fs::create_dir(&staging).map_err(|e| ImportError::Io(staging.clone(), e))?;
    undo.folders.push(staging.clone());
    let mut staged = Vec::with_capacity(targets.len());
    for (i, (_, text)) in plan.files.iter().enumerate() {
        let path = staging.join(i.to_string());
        create_new(&path, text.as_bytes())?;
        staged.push(path);
    }
    for (i, (from, _)) in plan.copies.iter().enumerate() {
        let path = staging.join(format!("p{i}"));
        copy_picture(from, &path)?;
        staged.push(path);
    }
    for (from, rel) in staged.iter().zip(targets) {
        let to = into.join(rel);
        if let Some(parent) = to.parent() {
            undo.make_folders(parent)?;
        }
        place(from, &to)?;
        undo.files.push(to);
    }
    // Every file is in place: the staging folder goes, not the files.
    let staging = undo.folders.iter().position(|f| *f == staging);
    if let Some(i) = staging {
        let folder = undo.folders.remove(i);
        let _ = fs::remove_dir_all(folder);
    }
    Ok(())
}

/// Puts a staged file at `to`, never over a file: a hard link fails if
/// `to` is there (where links cannot be made, a rename after a check).
fn place(from: &Path, to: &Path) -> Result<(), ImportError> {
    match fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            Err(ImportError::Exists(to.to_path_buf()))
        }
        Err(e) if to.symlink_metadata().is_ok() => Err(ImportError::Io(to.to_path_buf(), e)),
        Err(link_error) => {
            fs::rename(from, to).map_err(|_| ImportError::Io(to.to_path_buf(), link_error))
        }
    }
}

/// Copies a picture from beside the timeline, as a stream: only a regular
/// file (the one `plan` checked, not a link put there since), never more
/// than its size.
fn copy_picture(from: &Path, to: &Path) -> Result<(), ImportError> {
    use std::os::unix::fs::MetadataExt;
    let io_error = |e| ImportError::Io(from.to_path_buf(), e);
    let checked = from.symlink_metadata().map_err(io_error)?;
    let mut source = fs::File::open(from).map_err(io_error)?;
    let opened = source.metadata().map_err(io_error)?;
    if !checked.is_file() || (checked.dev(), checked.ino()) != (opened.dev(), opened.ino()) {
        return Err(ImportError::Blocked {
            path: from.to_path_buf(),
            why: "is no longer the picture that was checked (a link, or replaced during the import)",
        });
    }
    let mut file = new_file(to)?;
    io::copy(&mut (&mut source).take(opened.len()), &mut file)
        .map_err(|e| ImportError::Io(to.to_path_buf(), e))?;
    Ok(())
}

fn new_file(path: &Path) -> Result<fs::File, ImportError> {
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(file) => Ok(file),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            Err(ImportError::Exists(path.to_path_buf()))
        }
        Err(e) => Err(ImportError::Io(path.to_path_buf(), e)),
    }
}

fn create_new(path: &Path, bytes: &[u8]) -> Result<(), ImportError> {
    new_file(path)?
        .write_all(bytes)
        .map_err(|e| ImportError::Io(path.to_path_buf(), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (issue 28, item 3): a failure midway left the files
    /// written before it, and said that nothing was written.
    #[test]
    fn a_failure_midway_takes_back_what_was_placed() {
        let into = tempfile::tempdir().unwrap();
        let plan = ImportPlan {
            files: vec![
                ("content/_index.md".into(), "---\ntitle: T\n---\n".into()),
                (
                    "content/2020/a.md".into(),
                    "---\ntitle: A\ndate: 2020\n---\n".into(),
                ),
            ],
            copies: vec![(
                into.path().join("no-such-picture.png"),
                "static/images/p.png".into(),
            )],
            warnings: Vec::new(),
            events: 1,
        };
        let error = write(into.path(), &plan).unwrap_err();
        assert!(matches!(error, ImportError::Io(..)), "{error:?}");
        assert!(
            error.to_string().ends_with("nothing was written"),
            "{error}"
        );
        assert_eq!(fs::read_dir(into.path()).unwrap().count(), 0);
        // Nothing stands in the way of the next attempt.
        let plan = ImportPlan {
            copies: Vec::new(),
            ..plan
        };
        assert_eq!(write(into.path(), &plan).unwrap().len(), 2);
        assert!(into.path().join("content/2020/a.md").is_file());
        assert_eq!(fs::read_dir(into.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_file_and_a_folder_of_one_name_are_refused() {
        let into = tempfile::tempdir().unwrap();
        let targets = [
            PathBuf::from("static/a.png"),
            PathBuf::from("static/a.png/b.png"),
        ];
        assert!(matches!(
            check_targets(into.path(), &targets),
            Err(ImportError::Blocked { .. })
        ));
    }
}
