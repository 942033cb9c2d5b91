//! Watching the site's sources: `content/`, `templates/`, `static/` and `i18n/`,
//! recursively, through a debouncing watcher (native events, or polling
//! where a file system sends none). The site root itself is watched too,
//! so a source folder created after `serve` started is picked up.
//!
//! Editors save in many ways: write a temporary file and rename it over the
//! original, keep a backup, write a swap file. Every event under a source
//! folder is followed; the names editors leave behind are not (they would
//! only rebuild a site that did not change). Changes elsewhere (the output
//! folder, `target/`) are never looked at.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify_debouncer_full::notify::{
    self, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode,
};
use notify_debouncer_full::{DebounceEventResult, Debouncer, NoCache, RecommendedCache};

use crate::files::{CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR};
use crate::i18n::I18N_DIR;

/// How long the watcher waits for quiet before it reports a change.
const QUIET: Duration = Duration::from_millis(30);
/// How often a polling watcher looks.
const POLL: Duration = Duration::from_millis(200);

const SOURCES: [&str; 4] = [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR, I18N_DIR];

/// A batch of changes worth a rebuild.
#[derive(Debug, Default)]
pub struct Changes {
    pub paths: Vec<PathBuf>,
    /// The watcher lost track (an overflow): look at everything again.
    pub rescan: bool,
}

/// A running watcher; dropping it stops watching.
pub enum Watcher {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Watcher {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Watcher::Native(d) => d.watch(path, mode),
            Watcher::Poll(d) => d.watch(path, mode),
        }
    }

    /// Watches each source folder that exists and is not watched yet.
    pub fn watch_sources(&mut self, root: &Path, watched: &mut Vec<PathBuf>) -> notify::Result<()> {
        for source in SOURCES {
            let dir = root.join(source);
            if dir.is_dir() && !watched.contains(&dir) {
                self.watch(&dir, RecursiveMode::Recursive)?;
                watched.push(dir);
            }
        }
        Ok(())
    }
}

/// Starts watching `root`; batches of changes arrive on the receiver.
pub fn start(
    root: &Path,
    poll: bool,
) -> notify::Result<(Watcher, Vec<PathBuf>, mpsc::Receiver<DebounceEventResult>)> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = if poll {
        let config = notify::Config::default().with_poll_interval(POLL);
        Watcher::Poll(notify_debouncer_full::new_debouncer_opt(
            QUIET, None, tx, NoCache, config,
        )?)
    } else {
        Watcher::Native(notify_debouncer_full::new_debouncer(QUIET, None, tx)?)
    };
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    let mut watched = Vec::new();
    watcher.watch_sources(root, &mut watched)?;
    Ok((watcher, watched, rx))
}

/// The changes in a batch of events that could change the site.
pub fn relevant(root: &Path, result: DebounceEventResult) -> Changes {
    let mut changes = Changes::default();
    match result {
        Ok(events) => {
            for event in events {
                changes.rescan |= event.need_rescan();
                if !changes_contents(&event.kind) {
                    continue;
                }
                for path in &event.paths {
                    if is_source(root, path) && !changes.paths.contains(path) {
                        changes.paths.push(path.clone());
                    }
                }
            }
        }
        // An error from the watcher: the safe answer is to look again.
        Err(_) => changes.rescan = true,
    }
    changes
}

/// Whether an event can mean different bytes: not a read (which the
/// rebuild itself makes) or a new access time.
fn changes_contents(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

/// Whether `path` lies in a source folder and is not an editor's leftover.
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.iter();
    let in_sources = parts
        .next()
        .is_some_and(|first| SOURCES.iter().any(|s| first == *s));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    in_sources && !is_editor_leftover(&name)
}

/// Swap, backup, lock and probe files that editors write beside a file.
fn is_editor_leftover(name: &str) -> bool {
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|s| name.ends_with(s))
        || name == "4913"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_leftovers() {
        let root = Path::new("/site");
        assert!(is_source(root, Path::new("/site/content/2023/a.md")));
        assert!(is_source(root, Path::new("/site/templates/base.html")));
        assert!(is_source(root, Path::new("/site/static/.well-known/x")));
        assert!(is_source(root, Path::new("/site/content/2023")));
        assert!(!is_source(root, Path::new("/site/public/index.html")));
        assert!(!is_source(root, Path::new("/site/target/debug/x")));
        assert!(!is_source(root, Path::new("/elsewhere/content/a.md")));
        for leftover in [".a.md.swp", "a.md~", "#a.md#", ".#a.md", "4913", "a.md.tmp"] {
            let path = PathBuf::from("/site/content").join(leftover);
            assert!(!is_source(root, &path), "{leftover}");
        }
    }
}
