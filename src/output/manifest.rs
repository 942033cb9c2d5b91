//! The manifest: the files this folder's builds made, and for each what
//! chronicle knows of it: the hash of its bytes, its size and modification
//! time as written (its stamp), and the fingerprint it was made from.
//!
//! With the stamp, a build learns that a file is unchanged without reading
//! it back; with the fingerprint, that a page need not be rendered again.
//! A file whose size or time no longer match its stamp (someone edited or
//! replaced it) is not trusted. A file listed without a stamp (written by
//! an interrupted build, or by an older chronicle) is never trusted either.
//!
//! ```text
//! # chronicle: the files this folder's builds made; chronicle deletes only these
//! # chronicle-manifest 2 inputs <fingerprint or ->
//! <path>\t<hash of bytes>\t<size>\t<mtime in ns>\t<fingerprint>
//! <path>
//! <folder>/\t<mtime in ns>
//! ```
//!
//! A folder's line (`./` for the output folder) gives the time it had when
//! it was last seen to hold no file of anyone else's (see `foreign.rs`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;
use std::time::UNIX_EPOCH;

use crate::fingerprint::Fingerprint;

const HEADER: &str =
    "# chronicle: the files this folder's builds made; chronicle deletes only these";
const FORMAT: &str = "# chronicle-manifest 2 inputs ";

/// A file as chronicle wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// The hash of its bytes.
    pub hash: Fingerprint,
    pub size: u64,
    /// Modification time, in nanoseconds since 1970.
    pub mtime: u128,
}

impl Stamp {
    /// The stamp of the file at `path` now, given the hash of its bytes.
    pub fn of(path: &Path, hash: Fingerprint) -> io::Result<Stamp> {
        let meta = fs::symlink_metadata(path)?;
        Ok(Stamp {
            hash,
            size: meta.len(),
            mtime: mtime(&meta),
        })
    }

    /// Whether the file at `path` still has this stamp's size and time.
    pub fn stands(&self, path: &Path) -> bool {
        match fs::symlink_metadata(path) {
            Ok(meta) => meta.is_file() && meta.len() == self.size && mtime(&meta) == self.mtime,
            Err(_) => false,
        }
    }
}

fn mtime(meta: &fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// What the manifest knows of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ManifestRecord {
    pub stamp: Option<Stamp>,
    pub fingerprint: Option<Fingerprint>,
}

/// The files of ours in an output folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    pub files: BTreeMap<String, ManifestRecord>,
    /// Folders of ours (relative, `""` for the output folder) with the
    /// modification time each had when it was last seen to hold nothing
    /// foreign (see `foreign.rs`).
    pub dirs: BTreeMap<String, u128>,
    /// The fingerprint of everything the build that wrote this manifest
    /// read, when it finished.
    pub inputs: Option<Fingerprint>,
}

impl Manifest {
    pub fn parse(text: &str) -> Manifest {
        let mut manifest = Manifest::default();
        // Written in order: gathered, then built into the maps at once
        // (a later line for the same path wins, as an insert would).
        let (mut files, mut dirs) = (Vec::new(), Vec::new());
        for line in text.lines() {
            if let Some(inputs) = line.strip_prefix(FORMAT) {
                manifest.inputs = Fingerprint::parse(inputs);
                continue;
            }
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split('\t');
            let path = parts.next().unwrap_or_default();
            let mut rest = [""; 4];
            let mut count = 0;
            for part in parts {
                if let Some(slot) = rest.get_mut(count) {
                    *slot = part;
                }
                count += 1;
            }
            if let (Some(dir), 1) = (path.strip_suffix('/'), count) {
                if let Ok(mtime) = rest[0].parse() {
                    let dir = if dir == "." { "" } else { dir };
                    dirs.push((dir.to_string(), mtime));
                }
                continue;
            }
            let record = match count {
                4 => parse_record(&rest),
                _ => ManifestRecord::default(),
            };
            files.push((path.to_string(), record));
        }
        manifest.files = files.into_iter().collect();
        manifest.dirs = dirs.into_iter().collect();
        manifest
    }

    pub fn format(&self) -> String {
        let mut text = format!("{HEADER}\n{FORMAT}");
        match self.inputs {
            Some(inputs) => text.push_str(&inputs.to_string()),
            None => text.push('-'),
        }
        text.push('\n');
        for (path, record) in &self.files {
            text.push_str(path);
            if let (Some(s), Some(f)) = (record.stamp, record.fingerprint) {
                let _ = write!(text, "\t{}\t{}\t{}\t{f}", s.hash, s.size, s.mtime);
            }
            text.push('\n');
        }
        for (dir, mtime) in &self.dirs {
            // The output folder itself as `./`.
            let dir = if dir.is_empty() { "." } else { dir };
            let _ = writeln!(text, "{dir}/\t{mtime}");
        }
        text
    }
}

fn parse_record(parts: &[&str]) -> ManifestRecord {
    let [hash, size, mtime, fingerprint] = parts else {
        return ManifestRecord::default();
    };
    let stamp = (|| {
        Some(Stamp {
            hash: Fingerprint::parse(hash)?,
            size: size.parse().ok()?,
            mtime: mtime.parse().ok()?,
        })
    })();
    let fingerprint = Fingerprint::parse(fingerprint);
    match (stamp, fingerprint) {
        (Some(_), Some(_)) => ManifestRecord { stamp, fingerprint },
        _ => ManifestRecord::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_reads_the_first_format() {
        let mut m = Manifest {
            inputs: Some(Fingerprint(7)),
            ..Manifest::default()
        };
        m.files.insert(
            "a/index.html".into(),
            ManifestRecord {
                stamp: Some(Stamp {
                    hash: Fingerprint(1),
                    size: 10,
                    mtime: 1_700_000_000_123_456_789,
                }),
                fingerprint: Some(Fingerprint(2)),
            },
        );
        m.files.insert("b.css".into(), ManifestRecord::default());
        m.dirs.insert(String::new(), 1_700_000_000_000_000_001);
        m.dirs.insert("a".into(), 1_700_000_000_000_000_002);
        m.dirs.insert(".well-known".into(), 3);
        assert_eq!(Manifest::parse(&m.format()), m);
        // Format 1 listed paths only: every record is unknown.
        let old = Manifest::parse("# chronicle: …\nindex.html\nstyle.css\n");
        assert_eq!(old.inputs, None);
        assert_eq!(old.files.len(), 2);
        assert!(old.files.values().all(|r| *r == ManifestRecord::default()));
    }

    #[test]
    fn a_later_line_wins_and_a_malformed_record_is_unknown() {
        let f = Fingerprint(9);
        let text = format!(
            "{HEADER}\n{FORMAT}-\nb.html\t{f}\t1\t2\t{f}\na.html\tx\nb.html\nc.html\t{f}\t1\t2\t{f}\textra\nd/\t5\nd/\t6\n"
        );
        let m = Manifest::parse(&text);
        assert_eq!(m.files.len(), 3);
        assert!(
            m.files.values().all(|r| *r == ManifestRecord::default()),
            "{m:?}"
        );
        assert_eq!(m.dirs.get("d"), Some(&6));
    }

    #[test]
    fn a_file_changed_since_it_was_stamped_does_not_stand() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.html");
        fs::write(&path, "one").unwrap();
        let stamp = Stamp::of(&path, Fingerprint(1)).unwrap();
        assert!(stamp.stands(&path));
        fs::write(&path, "two!").unwrap();
        assert!(!stamp.stands(&path));
        fs::remove_file(&path).unwrap();
        assert!(!stamp.stands(&path));
    }
}
