//! Loading `content/`: finding the files, reading them safely, and turning
//! each into an `Article` (or the site `Settings`), with every problem as a
//! diagnostic.
//!
//! Discovery is sorted by name and never follows symbolic links, so the set
//! and order of files never depend on the file system. Files are read in
//! parallel; the results are put back in path order.

pub mod article;
pub mod fields;
pub mod markdown;
pub mod split;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::{self, Settings};
use crate::diagnostics::{Diagnostic, LineIndex, Location};
use crate::model::Article;
use fields::Fields;

/// What `content/` holds.
#[derive(Debug, Default)]
pub struct Loaded {
    pub settings: Option<Settings>,
    pub articles: Vec<Article>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The content folder's name under the site root.
pub const CONTENT_DIR: &str = "content";
pub const SETTINGS_FILE: &str = "_index.md";

/// A relative path with `/` between its parts on every system (a `\\` in a
/// name on Unix stays part of that name).
pub fn to_slash(path: &Path) -> String {
    path.iter()
        .map(|p| p.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Editors' and systems' leftovers that are never articles.
fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~') || name.ends_with(".swp")
}

/// Files found under `content/`: the settings file and the articles, as paths
/// relative to the root, with the path under `content/` for ids.
struct Found {
    settings: Option<PathBuf>,
    articles: Vec<(PathBuf, String)>,
    diagnostics: Vec<Diagnostic>,
}

fn discover(root: &Path) -> Found {
    let content = root.join(CONTENT_DIR);
    let mut found = Found {
        settings: None,
        articles: Vec::new(),
        diagnostics: Vec::new(),
    };
    if !content.is_dir() {
        found.diagnostics.push(
            Diagnostic::error(CONTENT_DIR, "there is no content folder").hint(format!(
                "create {} with an `_index.md` and one `.md` file per event",
                content.display()
            )),
        );
        return found;
    }
    let walker = WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map_or_else(|| PathBuf::from(CONTENT_DIR), Path::to_path_buf);
                let reason = e
                    .io_error()
                    .map_or_else(|| e.to_string(), |io| io.to_string());
                found.diagnostics.push(Diagnostic::error(
                    path,
                    format!("cannot read this folder: {reason}"),
                ));
                continue;
            }
        };
        let rel_root = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path_is_symlink() {
            found.diagnostics.push(
                Diagnostic::warning(rel_root, "symbolic link not followed")
                    .hint("chronicle reads only files that are really inside content/; copy the file in instead"),
            );
            continue;
        }
        if !entry.file_type().is_file() || !name.ends_with(".md") {
            continue;
        }
        let Ok(rel_content) = entry.path().strip_prefix(&content) else {
            continue;
        };
        // Joined with `/` whatever the system: a `\\` in a name stays in
        // the name (and is refused as part of an id).
        let parts: Option<Vec<&str>> = rel_content.iter().map(|p| p.to_str()).collect();
        let Some(rel_content) = parts.map(|p| p.join("/")) else {
            found.diagnostics.push(
                Diagnostic::error(rel_root, "the file name is not valid UTF-8")
                    .hint("rename the file using letters, digits and hyphens"),
            );
            continue;
        };
        if rel_content == SETTINGS_FILE {
            found.settings = Some(rel_root);
        } else if name == SETTINGS_FILE {
            found.diagnostics.push(
                Diagnostic::warning(
                    rel_root,
                    "only content/_index.md holds settings; this file is ignored",
                )
                .hint("move its text into an article, or delete it"),
            );
        } else {
            found.articles.push((rel_root, rel_content));
        }
    }
    found
}

/// The whole text of a file: UTF-8 checked, byte-order mark removed.
pub fn read_text(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    decode(rel, read_bytes(root, rel)?)
}

fn decode(rel: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(
            Diagnostic::error(rel, "the file is UTF-16 text; chronicle reads UTF-8")
                .at(Some(Location {
                    line: 1,
                    col: 1,
                    width: 1,
                    line_text: String::new(),
                    caret_col: 1,
                }))
                .hint("save the file as UTF-8 in your editor"),
        );
    }
    let mut bytes = bytes;
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    // A lone carriage return ends a line for YAML and for CommonMark; as a
    // line feed (one byte for one, so every offset stays) it ends one for the
    // fence split and the line index too, and their positions agree.
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
        i += 1;
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        // The valid prefix is the same in the lossy text, so positions agree.
        let lossy = String::from_utf8_lossy(e.as_bytes());
        let location = LineIndex::new(&lossy).locate(valid, 1);
        Diagnostic::error(rel, format!("the file is not valid UTF-8 (byte {valid})"))
            .at(Some(location))
            .hint("save the file as UTF-8 in your editor")
    })?;
    if let Some(nul) = text.find('\0') {
        let location = LineIndex::new(&text).locate(nul, 1);
        return Err(Diagnostic::error(rel, "the file contains a NUL byte")
            .at(Some(location))
            .hint("remove the character; a NUL byte usually means the file is not text"));
    }
    Ok(text)
}

/// Front matter is a few short keys; a bound keeps a hostile file from
/// costing gigabytes (the YAML tree takes about 100 times its text).
pub const MAX_FRONT_MATTER: usize = 1 << 20;

/// A file's text split and its front matter parsed, ready for its fields.
struct Parsed<'a> {
    index: LineIndex<'a>,
    front_matter: yaml::Node,
    first_line: usize,
    body_offset: usize,
}

fn parse_file<'a>(rel: &Path, text: &'a str) -> Result<Parsed<'a>, Diagnostic> {
    let parts = split::split(text).map_err(|e| {
        let first_line = text.split_inclusive('\n').next().unwrap_or("");
        Diagnostic::error(rel, e.message())
            .at(Some(LineIndex::new(first_line).locate(0, 3)))
            .hint(e.hint())
    })?;
    // Problems found from here on lie in the front matter: index only that.
    let index = LineIndex::new(&text[..parts.body_offset]);
    let whole = index.locate(0, 3);
    if parts.front_matter.len() > MAX_FRONT_MATTER {
        return Err(Diagnostic::error(
            rel,
            format!(
                "the front matter is {} KiB; chronicle reads at most {} KiB of it",
                parts.front_matter.len() / 1024,
                MAX_FRONT_MATTER / 1024
            ),
        )
        .at(Some(index.locate(parts.front_matter_offset, 1)))
        .hint(
            "front matter holds short facts; move long text into the body, after the closing `---`",
        ));
    }
    // YAML ends a line at these, editors and the position map do not: the
    // keys would not be what the editor sees.
    let invisible = parts
        .front_matter
        .char_indices()
        .find(|(_, c)| matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}'));
    if let Some((i, c)) = invisible {
        return Err(Diagnostic::error(
            rel,
            format!(
                "the front matter holds an invisible line break (U+{:04X})",
                c as u32
            ),
        )
        .at(Some(index.locate(parts.front_matter_offset + i, c.len_utf8())))
        .hint("delete it, or put each key on a line of its own: YAML ends a line there, most editors do not show one"));
    }
    let front_matter = yaml::parse(parts.front_matter).map_err(|e| {
        let fm_index = LineIndex::new(parts.front_matter);
        let in_file = |line: usize, col0: usize| {
            index.locate(
                parts.front_matter_offset + fm_index.offset_of(line, col0),
                1,
            )
        };
        let location = e
            .position
            .map_or_else(|| whole.clone(), |(l, c)| in_file(l, c));
        let mut message = format!("front matter is not valid YAML: {}", e.message);
        if let Some((what, line, col0)) = &e.context {
            let start = in_file(*line, *col0);
            message.push_str(&format!(
                " ({what} that starts at line {}, column {})",
                start.line, start.col
            ));
        }
        let hint = yaml_hint(&e.message, e.context.as_ref().map(|c| c.0.as_str()));
        Diagnostic::error(rel, message)
            .at(Some(location))
            .maybe_hint(hint)
    })?;
    Ok(Parsed {
        index,
        front_matter,
        first_line: parts.front_matter_line,
        body_offset: parts.body_offset,
    })
}

fn yaml_hint(message: &str, context: Option<&str>) -> Option<String> {
    let context = context.unwrap_or("");
    if context.contains("flow sequence") || context.contains("flow mapping") {
        Some("a value that starts with `[` or `{` is read as a list or a set of keys: put text in quotes".into())
    } else if message.contains("tab") {
        Some("YAML indents with spaces, not tabs".into())
    } else if message.contains("duplicate") {
        Some("each key may appear once; remove or merge the repeated one".into())
    } else if message.contains("mapping values are not allowed") {
        Some("put text that contains `: ` in quotes".into())
    } else if message.contains("recursion limit") || message.contains("repetition limit") {
        Some("front matter holds plain keys and lists; anchors, aliases and deep nesting are not needed".into())
    } else {
        None
    }
}

/// Decodes, splits and parses a file, then reads its front-matter fields
/// with `read`. On success, also the file's text and its body's offset.
fn from_bytes<T>(
    rel: &Path,
    bytes: Vec<u8>,
    read: impl FnOnce(&mut Fields<'_>, &yaml::Node, Location) -> Option<T>,
) -> (Option<(T, String, usize)>, Vec<Diagnostic>) {
    let text = match decode(rel, bytes) {
        Ok(t) => t,
        Err(d) => return (None, vec![d]),
    };
    let (value, diagnostics, body_offset) = {
        let parsed = match parse_file(rel, &text) {
            Ok(p) => p,
            Err(d) => return (None, vec![d]),
        };
        let mut fields = Fields::new(rel, &parsed.index, parsed.first_line);
        let whole = parsed.index.locate(0, 3);
        let value = read(&mut fields, &parsed.front_matter, whole);
        (value, fields.diagnostics, parsed.body_offset)
    };
    (value.map(|v| (v, text, body_offset)), diagnostics)
}

/// Reads one article from its bytes: `rel` is its path from the site root
/// (for diagnostics), `rel_content` its path under `content/` (for its id).
pub fn article_from_bytes(
    rel: &Path,
    rel_content: &str,
    bytes: Vec<u8>,
) -> (Option<Article>, Vec<Diagnostic>) {
    let (found, diagnostics) = from_bytes(rel, bytes, |fields, front_matter, whole| {
        article::read(fields, front_matter, rel, rel_content, whole)
    });
    let article = found.map(|(mut a, text, body_offset)| {
        a.text = text;
        a.body_offset = body_offset;
        a
    });
    (article, diagnostics)
}

/// Reads the site settings from the bytes of `content/_index.md`.
pub fn settings_from_bytes(rel: &Path, bytes: Vec<u8>) -> (Option<Settings>, Vec<Diagnostic>) {
    let (found, diagnostics) = from_bytes(rel, bytes, |fields, front_matter, whole| {
        config::read(fields, front_matter, rel, whole)
    });
    let settings = found.map(|(mut s, text, intro_offset)| {
        s.text = text;
        s.intro_offset = intro_offset;
        s
    });
    (settings, diagnostics)
}

fn read_bytes(root: &Path, rel: &Path) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(root.join(rel))
        .map_err(|e| Diagnostic::error(rel, format!("cannot read this file: {e}")))
}

/// Loads every file under `<root>/content`.
pub fn load(root: &Path) -> Loaded {
    let found = discover(root);
    let mut loaded = Loaded {
        diagnostics: found.diagnostics,
        ..Loaded::default()
    };
    match &found.settings {
        Some(rel) => {
            let (settings, diagnostics) = match read_bytes(root, rel) {
                Ok(bytes) => settings_from_bytes(rel, bytes),
                Err(d) => (None, vec![d]),
            };
            loaded.settings = settings;
            loaded.diagnostics.extend(diagnostics);
        }
        None if root.join(CONTENT_DIR).is_dir() => loaded.diagnostics.push(
            Diagnostic::error(
                Path::new(CONTENT_DIR).join(SETTINGS_FILE),
                "the site settings file is missing",
            )
            .hint(
                "create content/_index.md with front matter `title: ...` between two `---` lines",
            ),
        ),
        None => {}
    }
    let results: Vec<_> = found
        .articles
        .par_iter()
        .map(|(rel, rel_content)| match read_bytes(root, rel) {
            Ok(bytes) => article_from_bytes(rel, rel_content, bytes),
            Err(d) => (None, vec![d]),
        })
        .collect();
    for (article, diagnostics) in results {
        loaded.articles.extend(article);
        loaded.diagnostics.extend(diagnostics);
    }
    loaded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        let p = Path::new("x.md");
        assert_eq!(decode(p, b"\xEF\xBB\xBF---\n".to_vec()).unwrap(), "---\n");
        let e = decode(p, b"---\ntitle: caf\xE9\n".to_vec()).unwrap_err();
        let loc = e.location.unwrap();
        assert_eq!((loc.line, loc.col), (2, 11));
        let e = decode(p, b"\xFF\xFE-\x00".to_vec()).unwrap_err();
        assert!(e.message.contains("UTF-16"));
        let e = decode(p, b"---\na: \x00\n".to_vec()).unwrap_err();
        assert_eq!(e.location.unwrap().col, 4);
    }

    /// Found by the `front_matter` fuzz target: YAML ends a line at a lone
    /// carriage return, the line index did not, so a diagnostic in front
    /// matter with old-Mac or mixed line endings pointed at the wrong line
    /// (in the body) and past the end of it.
    #[test]
    fn lone_carriage_returns_end_lines() {
        let p = Path::new("x.md");
        assert_eq!(
            decode(p, b"---\rtitle: T\r\ndate: 2024\r---\r".to_vec()).unwrap(),
            "---\ntitle: T\r\ndate: 2024\n---\n"
        );
        let (article, diagnostics) = article_from_bytes(
            p,
            "x.md",
            b"---\ntitle: T\rdate: 2024\rtitel: x\n---\nBody\n".to_vec(),
        );
        assert!(article.is_some());
        let loc = diagnostics[0].location.as_deref().unwrap();
        assert_eq!((loc.line, loc.col, loc.width), (4, 1, 5));
        assert_eq!(loc.line_text, "titel: x");
    }

    #[test]
    fn ignored_names() {
        for name in [".#x.md", "x.md~", ".x.md.swp", "#x.md#", ".hidden.md"] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("x.md"));
    }
}
