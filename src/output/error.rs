//! Why the output could not be written: a refusal (the folder is one
//! chronicle must not touch), or a file operation that failed, with the
//! `io::Error` kept as the source.

use std::io;
use std::path::{Path, PathBuf};

/// Why an output folder was refused before anything was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// It is the site root itself.
    IsRoot,
    /// It contains the site (and so its content folder).
    ContainsSite,
    /// It lies inside one of the site's source folders.
    InsideSources(&'static str),
    /// It holds files that no build of ours made (the first few of them).
    ForeignFiles(Vec<String>),
    /// It is, holds or lies inside the cache folder (as given).
    OverlapsCache(PathBuf),
    /// The cache folder (as given) lies inside one of the site's source
    /// folders.
    CacheInsideSources(PathBuf, &'static str),
}

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{}", refused(output, refusal))]
    Refused { output: PathBuf, refusal: Refusal },
    /// A file operation failed: what was being done, to which path.
    #[error("cannot {action} {}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
}

/// What a refusal says, naming the output folder.
fn refused(output: &Path, refusal: &Refusal) -> String {
    let output = output.display();
    match refusal {
        Refusal::IsRoot => format!("the output folder {output} is the site root itself"),
        Refusal::ContainsSite => {
            format!("the output folder {output} contains the site (and its content folder)")
        }
        Refusal::InsideSources(folder) => {
            format!("the output folder {output} is inside the site's {folder}/ folder")
        }
        Refusal::ForeignFiles(names) => format!(
            "the output folder {output} holds files chronicle did not make: {}",
            names.join(", ")
        ),
        Refusal::OverlapsCache(cache) => format!(
            "the output folder {output} and the cache folder {} overlap",
            cache.display()
        ),
        Refusal::CacheInsideSources(cache, folder) => format!(
            "the cache folder {} is inside the site's {folder}/ folder",
            cache.display()
        ),
    }
}

impl OutputError {
    /// The kind of the I/O error behind this one, if there is one.
    pub fn io_kind(&self) -> Option<io::ErrorKind> {
        match self {
            OutputError::Io { source, .. } => Some(source.kind()),
            OutputError::Refused { .. } => None,
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            OutputError::Refused {
                refusal: Refusal::ForeignFiles(_),
                ..
            } => Some(
                "chronicle deletes only what it made: empty the folder, choose another with --output, or put files to publish in static/",
            ),
            OutputError::Refused {
                refusal: Refusal::OverlapsCache(_) | Refusal::CacheInsideSources(..),
                ..
            } => Some(
                "keep the output and the cache apart: the default cache is .chronicle/ at the site root; choose another with --cache-dir",
            ),
            OutputError::Refused { .. } => {
                Some("build into a folder of its own, such as public/ (the default)")
            }
            OutputError::Io { action, source, .. }
                if action.contains("cache folder")
                    && matches!(
                        source.kind(),
                        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
                    ) =>
            {
                Some("choose a cache folder you can write to, with --cache-dir")
            }
            OutputError::Io { source, .. } => match source.kind() {
                io::ErrorKind::StorageFull
                | io::ErrorKind::QuotaExceeded
                | io::ErrorKind::FileTooLarge => {
                    Some("free some space and build again; the site already published is unchanged")
                }
                io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
                    Some("choose an output folder you can write to, with --output")
                }
                _ => None,
            },
        }
    }
}

pub(super) fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> OutputError {
    let path = path.to_path_buf();
    move |source| OutputError::Io {
        action,
        path,
        source,
    }
}
