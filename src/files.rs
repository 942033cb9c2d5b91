//! The site's folders on disk: their names, the one walker that lists
//! `content/`, `templates/` and `static/`, and reading a file as text.
//!
//! Every error names the file (relative to the site root). Walks are sorted
//! by name and never follow symbolic links, so what a site holds never
//! depends on the file system's order or on files outside the site.

use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Code, Diagnostic, LineIndex, Location};

/// The folders of a site, under its root.
pub const CONTENT_DIR: &str = "content";
pub const TEMPLATES_DIR: &str = "templates";
pub const STATIC_DIR: &str = "static";
/// The site settings, directly under `content/`.
pub const SETTINGS_FILE: &str = "_index.md";

/// A relative path with `/` between its parts on every system (a `\\` in a
/// name on Unix stays part of that name).
pub fn to_slash(path: &Path) -> String {
    path.iter()
        .map(|p| p.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A file found by [`walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkedFile {
    /// Its path inside the walked folder, with `/`: `2023/camp-david.md`.
    pub name: String,
    /// Its path from the site root, for diagnostics and reading.
    pub rel: PathBuf,
}

/// The files under `<root>/<folder>`, sorted by name. Names for which
/// `skip` is true are left out, and so is everything inside such a folder.
/// A symbolic link is a warning and is not followed; a folder that cannot
/// be read, or a name that could not be published (not UTF-8, or with a
/// control character), is an error.
/// Whether `path` lies inside `root` once every symbolic link in the part
/// of each that exists is followed (`..` after a link climbs from where
/// the link leads, as the system does). A dangling link counts as leading
/// out: what it would create is not known.
pub fn resolves_inside(root: &Path, path: &Path) -> io::Result<bool> {
    match (resolve(root)?, resolve(path)?) {
        (Some(root), Some(path)) => Ok(path.starts_with(root)),
        _ => Ok(false),
    }
}

/// `path` made absolute with the links of its existing part followed;
/// `None` if it passes through a dangling link.
fn resolve(path: &Path) -> io::Result<Option<PathBuf>> {
    let absolute = std::path::absolute(path)?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    let real = loop {
        match existing.canonicalize() {
            Ok(real) => break real,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if existing.symlink_metadata().is_ok() {
                    return Ok(None);
                }
                let last = existing.components().next_back();
                let (Some(parent), Some(last)) = (existing.parent(), last) else {
                    return Err(e);
                };
                rest.push(last.as_os_str().to_os_string());
                existing = parent;
            }
            Err(e) => return Err(e),
        }
    };
    let mut out = real;
    for name in rest.into_iter().rev() {
        match name.to_str() {
            Some("..") => {
                out.pop();
            }
            Some(".") => {}
            _ => out.push(name),
        }
    }
    Ok(Some(out))
}

pub fn walk(
    root: &Path,
    folder: &str,
    skip: fn(&str) -> bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<WalkedFile> {
    let dir = root.join(folder);
    if !dir.is_dir() {
        return Vec::new();
    }
    // Not sorted by the walker: its sort finds each name from the path at
    // every comparison, most of an unchanged build's time at 10,000
    // files. The files are sorted once below, into the same order.
    let walker = WalkDir::new(&dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skip(&e.file_name().to_string_lossy()));
    let mut out = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                diagnostics.push(unreadable_folder(root, folder, &e));
                continue;
            }
        };
        let (rel, name) = names(entry.path(), root, folder);
        if entry.path_is_symlink() {
            diagnostics.push(
                Diagnostic::warning(Code::Symlink, rel, "symbolic link not followed").hint(
                    format!("chronicle reads only what is really inside {folder}/; copy the file in instead"),
                ),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        match name {
            Some(name) if !name.chars().any(char::is_control) => out.push(WalkedFile { name, rel }),
            _ => diagnostics.push(
                Diagnostic::error(
                    Code::BadFileName,
                    rel,
                    "this file's name is not UTF-8 or holds a control character",
                )
                .hint("rename the file using letters, digits, `-`, `_` and `.`"),
            ),
        }
    }
    sort_as_walked(&mut out);
    out
}

/// In the order a walk that visits each folder's entries sorted by name
/// gives: by name, folder by folder (`a/b` before `a-c`, as `a` is before
/// `a-c`), which is the names' bytes compared with `/` below every other.
fn sort_as_walked(found: &mut [WalkedFile]) {
    fn key(f: &WalkedFile) -> impl Iterator<Item = u8> + '_ {
        f.name.bytes().map(|c| if c == b'/' { 0 } else { c })
    }
    found.sort_unstable_by(|a, b| key(a).cmp(key(b)));
}

/// A walked file's path below the site's root, and its name below
/// `folder` with `/` separators (`None` if it is not UTF-8). The walker's
/// paths start with the folder as given: on Unix, both are read off the
/// bytes (`Path::strip_prefix` compares component by component, a tenth
/// of a listing's cost at 10,000 files).
fn names(path: &Path, root: &Path, folder: &str) -> (PathBuf, Option<String>) {
    let fast = below(path, root);
    let name = fast.and_then(|rel| rel.strip_prefix(folder)?.strip_prefix('/'));
    if let (Some(rel), Some(name)) = (fast, name) {
        return (PathBuf::from(rel), Some(name.to_string()));
    }
    let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let inside = path.strip_prefix(root.join(folder)).unwrap_or(path);
    let parts: Option<Vec<&str>> = inside.iter().map(|p| p.to_str()).collect();
    (rel, parts.map(|p| p.join("/")))
}

/// `path` below `root`, as UTF-8 text, when `path` is `root`, a `/` and
/// the rest, on a system whose separator is `/`; else `None` (the caller
/// takes the slow way).
fn below<'p>(path: &'p Path, root: &Path) -> Option<&'p str> {
    if !cfg!(unix) {
        return None;
    }
    let bytes = path.as_os_str().as_encoded_bytes();
    let rest = bytes.strip_prefix(root.as_os_str().as_encoded_bytes())?;
    let rest = rest.strip_prefix(b"/")?;
    let rest = std::str::from_utf8(rest).ok()?;
    // `a//b` or `./` would read differently by components.
    let plain = rest
        .split('/')
        .all(|part| !part.is_empty() && part != "." && part != "..");
    plain.then_some(rest)
}

fn unreadable_folder(root: &Path, folder: &str, e: &walkdir::Error) -> Diagnostic {
    let path = e
        .path()
        .and_then(|p| p.strip_prefix(root).ok())
        .map_or_else(|| PathBuf::from(folder), Path::to_path_buf);
    let reason = e
        .io_error()
        .map_or_else(|| e.to_string(), |io| io.to_string());
    Diagnostic::error(
        Code::Unreadable,
        path,
        format!("cannot read this folder: {reason}"),
    )
}

/// A file's bytes; `rel` is its path from the root.
pub fn read_bytes(root: &Path, rel: &Path) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(root.join(rel)).map_err(|e| {
        Diagnostic::error(Code::Unreadable, rel, format!("cannot read this file: {e}"))
    })
}

/// The whole text of a file: UTF-8 checked, byte-order mark removed.
pub fn read_text(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    decode(rel, read_bytes(root, rel)?)
}

/// Bytes to text: UTF-16 and invalid UTF-8 refused at their place, a UTF-8
/// byte-order mark removed, a NUL byte refused, lone carriage returns made
/// line feeds.
pub fn decode(rel: &Path, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error(
            Code::Encoding,
            rel,
            "the file is UTF-16 text; chronicle reads UTF-8",
        )
        .at(Some(Location {
            line: 1,
            col: 1,
            width: 1,
            line_text: String::new(),
            caret_col: 1,
        }))
        .hint("save the file as UTF-8 in your editor"));
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    // A lone carriage return ends a line for YAML and for CommonMark; as a
    // line feed (one byte for one, so every offset stays) it ends one for the
    // fence split and the line index too, and their positions agree.
    if bytes.contains(&b'\r') {
        for i in 0..bytes.len() {
            if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
                bytes[i] = b'\n';
            }
        }
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        // The valid prefix is the same in the lossy text, so positions agree.
        let lossy = String::from_utf8_lossy(e.as_bytes());
        let location = LineIndex::new(&lossy).locate(valid, 1);
        Diagnostic::error(
            Code::Encoding,
            rel,
            format!("the file is not valid UTF-8 (byte {valid})"),
        )
        .at(Some(location))
        .hint("save the file as UTF-8 in your editor")
    })?;
    if let Some(nul) = text.find('\0') {
        let location = LineIndex::new(&text).locate(nul, 1);
        return Err(
            Diagnostic::error(Code::Encoding, rel, "the file contains a NUL byte")
                .at(Some(location))
                .hint("remove the character; a NUL byte usually means the file is not text"),
        );
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_come_in_the_order_a_walk_sorted_by_name_gives() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "a/b.md",
            "a-c.md",
            "a.md",
            "a/a/z.md",
            "a/a.md",
            "B.md",
            "é.md",
            "a b.md",
            "a.b/c.md",
            "2020/10.md",
            "2020/9.md",
            "2020-x.md",
            "_index.md",
        ] {
            let path = dir.path().join("content").join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        let found = walk(dir.path(), "content", |_| false, &mut Vec::new());
        let names: Vec<&str> = found.iter().map(|f| f.name.as_str()).collect();
        let sorted: Vec<String> = WalkDir::new(dir.path().join("content"))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir.path().join("content")).unwrap();
                rel.to_string_lossy().into_owned()
            })
            .collect();
        assert_eq!(names, sorted);
        assert_eq!(names[..3], ["2020/10.md", "2020/9.md", "2020-x.md"]);
    }

    #[test]
    fn a_path_below_the_root_is_read_off_its_bytes_as_by_components() {
        let root = Path::new("/site");
        for (path, below_root) in [
            ("/site/content/2020/a.md", Some("content/2020/a.md")),
            ("/site/content", Some("content")),
            ("/sites/content/a.md", None),
            ("/site//content/a.md", None),
            ("/site/./content/a.md", None),
            ("/site", None),
            ("/other/content/a.md", None),
        ] {
            let fast = below(Path::new(path), root);
            assert_eq!(fast, below_root, "{path}");
            if let Some(fast) = fast {
                let slow = Path::new(path).strip_prefix(root).unwrap();
                assert_eq!(Path::new(fast), slow, "{path}");
            }
        }
        assert_eq!(
            below(Path::new("./content/a.md"), Path::new(".")),
            Some("content/a.md")
        );
        // The fast way and the slow one (a root given with its `/`) agree.
        let want = (
            PathBuf::from("content/2020/a.md"),
            Some("2020/a.md".to_string()),
        );
        for root in ["/site", "/site/"] {
            let path = Path::new(root).join("content").join("2020/a.md");
            assert_eq!(names(&path, Path::new(root), "content"), want, "{root}");
        }
    }

    #[test]
    fn decoding() {
        let p = Path::new("x.md");
        assert_eq!(decode(p, b"\xEF\xBB\xBF---\n".to_vec()).unwrap(), "---\n");
        let e = decode(p, b"---\ntitle: caf\xE9\n".to_vec()).unwrap_err();
        let loc = e.location.unwrap();
        assert_eq!((e.code, loc.line, loc.col), (Code::Encoding, 2, 11));
        let e = decode(p, b"\xFF\xFE-\x00".to_vec()).unwrap_err();
        assert!(e.message.contains("UTF-16"));
        let e = decode(p, b"---\na: \x00\n".to_vec()).unwrap_err();
        assert_eq!(e.location.unwrap().col, 4);
    }

    /// Found by the `front_matter` fuzz target: YAML ends a line at a lone
    /// carriage return, the line index did not.
    #[test]
    fn lone_carriage_returns_end_lines() {
        let p = Path::new("x.md");
        assert_eq!(
            decode(p, b"---\rtitle: T\r\ndate: 2024\r---\r".to_vec()).unwrap(),
            "---\ntitle: T\r\ndate: 2024\n---\n"
        );
    }

    #[test]
    fn walks_sorted_skipping_and_warning() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "static/b.txt",
            "static/a/z.txt",
            "static/.hidden/x",
            "static/c~",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        std::os::unix::fs::symlink(root.join("static/b.txt"), root.join("static/link")).unwrap();
        let mut diagnostics = Vec::new();
        let names: Vec<String> = walk(root, STATIC_DIR, |n| n.starts_with('.'), &mut diagnostics)
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(names, ["a/z.txt", "b.txt", "c~"]);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, Code::Symlink);
        assert_eq!(diagnostics[0].path, Path::new("static/link"));
        assert!(walk(root, "nothing", |_| false, &mut diagnostics).is_empty());
    }
}

/// What reading an image in `static/` for its size found.
#[derive(Debug, PartialEq, Eq)]
pub enum ImageSize {
    /// Width and height in pixels.
    Known(u32, u32),
    /// There is no such file.
    Missing,
    /// A file whose size cannot be read: not a PNG, JPEG, GIF or WebP.
    Unreadable,
}

/// The pixel size of `static/<rel>`, read from the file's header.
pub fn image_size(root: &Path, rel: &str) -> ImageSize {
    let path = root.join(STATIC_DIR).join(rel);
    if !path.is_file() {
        return ImageSize::Missing;
    }
    match imagesize::size(&path) {
        Ok(size) => match (u32::try_from(size.width), u32::try_from(size.height)) {
            (Ok(w), Ok(h)) if w > 0 && h > 0 => ImageSize::Known(w, h),
            _ => ImageSize::Unreadable,
        },
        Err(_) => ImageSize::Unreadable,
    }
}
