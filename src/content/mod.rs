//! Loading `content/`: finding the files, reading them safely, and turning
//! each into an `Article` (or the site `Settings`), with every problem as a
//! diagnostic.
//!
//! Discovery is sorted by name and never follows symbolic links, so the set
//! and order of files never depend on the file system. Files are read in
//! parallel; the results are put back in path order.
//!
//! An article file whose [`Stat`] (size, modification and change times,
//! inode) is the one recorded when it was last read is not read again, as
//! make, cargo and git's index decide: its hash is the recorded one, and
//! its bytes are read only if parsing needs them after all. A stat is
//! recorded only once it has settled (see [`Stat::settled`]), which is how
//! an edit made within the file system's timestamp granularity of the read
//! is never missed (git's "racy clean" case).

pub mod article;
pub mod citations;
pub mod fields;
pub mod markdown;
pub mod registry;
pub mod settings;
pub mod split;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::diagnostics::{Code, Diagnostic, LineIndex, Location};
use crate::files::{self, CONTENT_DIR, SETTINGS_FILE};
use crate::fingerprint::{self, Fingerprint};
use crate::model::Article;
use fields::Fields;

/// What `content/` holds.
#[derive(Debug, Default)]
pub struct Loaded {
    pub settings: Option<Settings>,
    /// The hash of the settings file's bytes.
    pub settings_hash: Fingerprint,
    /// Shared: the engine's memo keeps them between builds.
    pub articles: Vec<Arc<Article>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every article file read, in path order.
    pub files: Vec<FileRead>,
}

/// An article file: its path, the hash of its bytes, whether it was parsed
/// now (not taken from a memo), its stat if it has settled, and whether its
/// bytes were read by this build.
#[derive(Debug, Clone)]
pub struct FileRead {
    pub rel: PathBuf,
    pub hash: Fingerprint,
    pub fresh: bool,
    pub stat: Option<Stat>,
    pub read: bool,
}

/// What the file system says of a file, enough to know without reading it
/// that it did not change since: its size, its modification and status
/// change times (an editor that puts the modification time back still
/// moves the change time), and its inode (a file renamed over it is
/// another file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stat {
    pub size: u64,
    /// Nanoseconds since 1970.
    pub mtime: i128,
    pub ctime: i128,
    pub inode: u64,
}

impl Stat {
    pub fn of(meta: &std::fs::Metadata) -> Stat {
        use std::os::unix::fs::MetadataExt;
        let ns = |secs: i64, nsec: i64| i128::from(secs) * 1_000_000_000 + i128::from(nsec);
        Stat {
            size: meta.size(),
            mtime: ns(meta.mtime(), meta.mtime_nsec()),
            ctime: ns(meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
        }
    }

    /// Whether this stat, taken at `now`, may be trusted the next time it
    /// is seen. A file changed within the file system's timestamp
    /// granularity of `now` could change again without its times moving:
    /// it is read and hashed until its times are clearly in the past (by
    /// 100 ms where times have nanoseconds, 2 s where they are whole
    /// seconds).
    pub fn settled(&self, now: SystemTime) -> bool {
        let Ok(now) = now.duration_since(UNIX_EPOCH) else {
            return false;
        };
        let now = i128::try_from(now.as_nanos()).unwrap_or(i128::MAX);
        let whole_seconds = self.mtime % 1_000_000_000 == 0 && self.ctime % 1_000_000_000 == 0;
        let margin = if whole_seconds {
            Duration::from_secs(2)
        } else {
            Duration::from_millis(100)
        };
        let margin = i128::try_from(margin.as_nanos()).unwrap_or(i128::MAX);
        self.mtime.max(self.ctime) + margin <= now
    }
}

/// What an earlier build knew of an article file: its stat and the hash of
/// its bytes then.
pub type KnownStat<'a> = &'a (dyn Fn(&Path) -> Option<(Stat, Fingerprint)> + Sync);

/// An article file read earlier: what reading it gave (the article without
/// its text, and the file's diagnostics), if its bytes have not changed.
pub type ArticleMemo<'a> =
    &'a (dyn Fn(&Path, Fingerprint) -> Option<(Option<Arc<Article>>, Vec<Diagnostic>)> + Sync);

/// Editors' and systems' leftovers that are never articles.
fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~') || name.ends_with(".swp")
}

/// Files found under `content/`: the settings file and the articles, as paths
/// relative to the root, with the path under `content/` for ids.
struct Discovered {
    settings: Option<PathBuf>,
    /// Other languages' `_index.<lang>.md`.
    site_texts: Vec<(PathBuf, String)>,
    /// `_people.yaml` and `_places.yaml`, at the top of `content/`.
    registries: Vec<(PathBuf, String)>,
    articles: Vec<(PathBuf, String)>,
    diagnostics: Vec<Diagnostic>,
}

fn discover(root: &Path) -> Discovered {
    let mut found = Discovered {
        settings: None,
        site_texts: Vec::new(),
        registries: Vec::new(),
        articles: Vec::new(),
        diagnostics: Vec::new(),
    };
    if !root.join(CONTENT_DIR).is_dir() {
        found.diagnostics.push(
            Diagnostic::error(Code::NoContent, CONTENT_DIR, "there is no content folder").hint(
                format!(
                    "create {} with an `_index.md` and one `.md` file per event",
                    root.join(CONTENT_DIR).display()
                ),
            ),
        );
        return found;
    }
    for file in files::walk(root, CONTENT_DIR, is_ignored_name, &mut found.diagnostics) {
        if registry::Kind::of(&file.name).is_some() {
            found.registries.push((file.rel, file.name));
            continue;
        }
        if !file.name.ends_with(".md") {
            continue;
        }
        if file.name == SETTINGS_FILE {
            found.settings = Some(file.rel);
        } else if site_text_language(&file.name).is_some() {
            found.site_texts.push((file.rel, file.name));
        } else if is_settings_name(&file.name) {
            found.diagnostics.push(
                Diagnostic::warning(
                    Code::MisplacedSettings,
                    file.rel,
                    "only content/_index.md holds settings; this file is ignored",
                )
                .hint("move its text into an article, or delete it"),
            );
        } else {
            found.articles.push((file.rel, file.name));
        }
    }
    found
}

/// The language of a language's site text: `ja` for `_index.ja.md` at the
/// top of `content/`.
pub fn site_text_language(name: &str) -> Option<&str> {
    let tag = name.strip_prefix("_index.")?.strip_suffix(".md")?;
    (!tag.is_empty() && !tag.contains(['/', '.'])).then_some(tag)
}

/// `_index.md` or `_index.<lang>.md`, in any folder (under `content/`).
fn is_settings_name(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    file == SETTINGS_FILE || site_text_language(file).is_some()
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
        Diagnostic::error(Code::NoFrontMatter, rel, e.message())
            .at(Some(LineIndex::new(first_line).locate(0, 3)))
            .hint(e.hint())
    })?;
    // Problems found from here on lie in the front matter: index only that.
    let index = LineIndex::new(&text[..parts.body_offset]);
    check_front_matter_text(rel, &parts, &index)?;
    let front_matter =
        yaml::parse(parts.front_matter).map_err(|e| yaml_diagnostic(rel, &e, &parts, &index))?;
    Ok(Parsed {
        index,
        front_matter,
        first_line: parts.front_matter_line,
        body_offset: parts.body_offset,
    })
}

/// Refuses front matter too large to parse safely, or holding line breaks
/// that YAML sees and editors do not.
fn check_front_matter_text(
    rel: &Path,
    parts: &split::Split<'_>,
    index: &LineIndex<'_>,
) -> Result<(), Diagnostic> {
    if parts.front_matter.len() > MAX_FRONT_MATTER {
        let message = format!(
            "the front matter is {} KiB; chronicle reads at most {} KiB of it",
            parts.front_matter.len() / 1024,
            MAX_FRONT_MATTER / 1024
        );
        return Err(Diagnostic::error(Code::FrontMatterTooLarge, rel, message)
            .at(Some(index.locate(parts.front_matter_offset, 1)))
            .hint("front matter holds short facts; move long text into the body, after the closing `---`"));
    }
    // YAML ends a line at these, editors and the position map do not: the
    // keys would not be what the editor sees.
    let invisible = parts
        .front_matter
        .char_indices()
        .find(|(_, c)| matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}'));
    if let Some((i, c)) = invisible {
        let message = format!(
            "the front matter holds an invisible line break (U+{:04X})",
            c as u32
        );
        return Err(Diagnostic::error(Code::InvisibleLineBreak, rel, message)
            .at(Some(index.locate(parts.front_matter_offset + i, c.len_utf8())))
            .hint("delete it, or put each key on a line of its own: YAML ends a line there, most editors do not show one"));
    }
    Ok(())
}

/// A YAML syntax error, positioned in the file (the parser counts from the
/// start of the front matter).
fn yaml_diagnostic(
    rel: &Path,
    e: &yaml::YamlError,
    parts: &split::Split<'_>,
    index: &LineIndex<'_>,
) -> Diagnostic {
    let fm_index = LineIndex::new(parts.front_matter);
    let in_file = |line: usize, col0: usize| {
        index.locate(
            parts.front_matter_offset + fm_index.offset_of(line, col0),
            1,
        )
    };
    let location = e
        .position
        .map_or_else(|| index.locate(0, 3), |(l, c)| in_file(l, c));
    let mut message = format!("front matter is not valid YAML: {}", e.message);
    if let Some((what, line, col0)) = &e.context {
        let start = in_file(*line, *col0);
        message.push_str(&format!(
            " ({what} that starts at line {}, column {})",
            start.line, start.col
        ));
    }
    let hint = yaml_hint(&e.message, e.context.as_ref().map(|c| c.0.as_str()));
    Diagnostic::error(Code::YamlSyntax, rel, message)
        .at(Some(location))
        .maybe_hint(hint)
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
    let text = match files::decode(rel, bytes) {
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
/// Times of day without an offset are read in the article's `timezone`,
/// else in `site_zone`.
pub fn article_from_bytes(
    rel: &Path,
    rel_content: &str,
    bytes: Vec<u8>,
    site_zone: Option<chrono_tz::Tz>,
) -> (Option<Article>, Vec<Diagnostic>) {
    translation_from_bytes(rel, rel_content, bytes, site_zone, false)
}

/// [`article_from_bytes`], for a `translation` too (`x.ja.md` in a site of
/// several languages), which may leave out its date.
pub fn translation_from_bytes(
    rel: &Path,
    rel_content: &str,
    bytes: Vec<u8>,
    site_zone: Option<chrono_tz::Tz>,
    translation: bool,
) -> (Option<Article>, Vec<Diagnostic>) {
    let source_hash = fingerprint::of_bytes(&bytes);
    let (found, diagnostics) = from_bytes(rel, bytes, |fields, front_matter, whole| {
        let name = article::Name {
            rel: rel_content,
            translation,
        };
        article::read(fields, front_matter, rel, name, whole, site_zone)
    });
    let article = found.map(|(mut a, text, body_offset)| {
        let rel_content = rel_content.replace('\\', "/");
        a.body_links = markdown::link_targets(text.get(body_offset..).unwrap_or(""), &rel_content);
        a.body_offset = body_offset;
        a.source_hash = source_hash;
        a
    });
    (article, diagnostics)
}

/// Parses one article file, or takes what parsing the same bytes gave
/// before. The last value says whether it was parsed now. The bytes are let
/// go either way (the body is read again when its page is made); they are
/// decoded without a copy when nothing else holds them.
fn parse_article(
    root: &Path,
    file: ContentFile,
    memo: ArticleMemo<'_>,
    site_zone: Option<chrono_tz::Tz>,
    languages: &[String],
) -> Parsed1 {
    let stem = file
        .rel_content
        .strip_suffix(".md")
        .unwrap_or(&file.rel_content);
    let translation = languages
        .iter()
        .skip(1)
        .any(|tag| stem.ends_with(&format!(".{tag}")));
    let bytes = match file.bytes {
        Ok(bytes) => bytes,
        Err(d) => return (None, vec![d], true, None),
    };
    if let Some((article, diagnostics)) = memo(&file.rel, file.hash) {
        return (article, diagnostics, false, None);
    }
    // Known by its stat but not by the memo: read now.
    let (owned, late) = match bytes {
        Some(bytes) => (
            Arc::try_unwrap(bytes).unwrap_or_else(|b| (*b).clone()),
            None,
        ),
        None => match files::read_bytes(root, &file.rel) {
            Ok(bytes) => {
                let hash = fingerprint::of_bytes(&bytes);
                (bytes, Some(hash))
            }
            Err(d) => return (None, vec![d], true, Some(Fingerprint::default())),
        },
    };
    let (article, diagnostics) =
        translation_from_bytes(&file.rel, &file.rel_content, owned, site_zone, translation);
    (article.map(Arc::new), diagnostics, true, late)
}

/// What parsing one article file gave: the article, its diagnostics,
/// whether it was parsed now, and the hash of its bytes if they were read
/// only now (known by their stat, but not by the memo).
type Parsed1 = (
    Option<Arc<Article>>,
    Vec<Diagnostic>,
    bool,
    Option<Fingerprint>,
);

/// Where an article's text comes from once it is parsed: its file, read
/// again. The site's texts together are as large as the content folder, so
/// none is held between parsing the front matter and making the page; the
/// file read again must be the file parsed (its hash says so), or the
/// build stops with `changed-during-build` rather than mix two versions.
#[derive(Debug, Clone)]
pub struct Texts {
    root: PathBuf,
}

impl Texts {
    pub fn new(root: impl Into<PathBuf>) -> Texts {
        Texts { root: root.into() }
    }

    /// The site's root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The article's whole text, as it was parsed.
    pub fn read(&self, article: &Article) -> Result<String, Diagnostic> {
        let bytes = files::read_bytes(&self.root, &article.path)?;
        if fingerprint::of_bytes(&bytes) != article.source_hash {
            return Err(Diagnostic::error(
                Code::ChangedDuringBuild,
                &article.path,
                "this file changed while the site was being built",
            )
            .hint("build again (`chronicle serve` does so by itself)"));
        }
        files::decode(&article.path, bytes)
    }

    /// Where `pos` is in the article's file, for a diagnostic; `None` if
    /// the file cannot be read as it was parsed.
    pub fn locate(&self, article: &Article, pos: crate::model::Pos) -> Option<Location> {
        let text = self.read(article).ok()?;
        Some(pos.locate(&LineIndex::new(&text)))
    }
}

/// Reads the site settings from the bytes of `content/_index.md`.
pub fn settings_from_bytes(rel: &Path, bytes: Vec<u8>) -> (Option<Settings>, Vec<Diagnostic>) {
    let (found, diagnostics) = from_bytes(rel, bytes, |fields, front_matter, whole| {
        settings::read(fields, front_matter, rel, whole)
    });
    let settings = found.map(|(mut s, text, intro_offset)| {
        s.text = text;
        s.intro_offset = intro_offset;
        s
    });
    (settings, diagnostics)
}

/// A file of `content/` as read: its paths, its bytes (or why they could
/// not be read; `None` for an article file known by its stat, not read)
/// and their hash, and its stat if it has settled. Cheap to clone: `serve`
/// keeps the files between builds and hands each build a copy.
#[derive(Debug, Clone)]
pub struct ContentFile {
    /// From the site root.
    pub rel: PathBuf,
    /// Under `content/`, with `/`.
    pub rel_content: String,
    pub bytes: Result<Option<Arc<Vec<u8>>>, Diagnostic>,
    pub hash: Fingerprint,
    pub stat: Option<Stat>,
}

impl ContentFile {
    fn read(root: &Path, rel: PathBuf, rel_content: String) -> ContentFile {
        ContentFile::read_known(root, rel, rel_content, &|_| None)
    }

    /// Reads the file, unless its stat is the one `known` recorded with its
    /// hash. The stat is taken before the bytes are read: a change in
    /// between moves the file's times past the recorded ones.
    fn read_known(
        root: &Path,
        rel: PathBuf,
        rel_content: String,
        known: KnownStat<'_>,
    ) -> ContentFile {
        let now = SystemTime::now();
        let stat = std::fs::symlink_metadata(root.join(&rel))
            .ok()
            .map(|meta| Stat::of(&meta));
        if let (Some(stat), Some((known_stat, hash))) = (stat, known(&rel))
            && stat == known_stat
        {
            return ContentFile {
                rel,
                rel_content,
                bytes: Ok(None),
                hash,
                stat: Some(stat),
            };
        }
        let bytes = files::read_bytes(root, &rel).map(|b| Some(Arc::new(b)));
        let hash = match &bytes {
            Ok(Some(b)) => fingerprint::of_bytes(b),
            _ => Fingerprint::default(),
        };
        ContentFile {
            rel,
            rel_content,
            stat: stat.filter(|s| bytes.is_ok() && s.settled(now)),
            bytes,
            hash,
        }
    }

    /// The bytes, read by now (only an article file may be known by its
    /// stat alone).
    fn bytes_read(&self) -> Result<Vec<u8>, Diagnostic> {
        match &self.bytes {
            Ok(Some(bytes)) => Ok(bytes.as_ref().clone()),
            Ok(None) => Err(Diagnostic::error(
                Code::Unreadable,
                &self.rel,
                "this file was not read",
            )),
            Err(d) => Err(d.clone()),
        }
    }
}

/// Every file of `content/`, read but not parsed.
#[derive(Debug, Default, Clone)]
pub struct ContentFiles {
    /// The site's root, where an article file known by its stat is read if
    /// parsing needs it after all.
    pub root: PathBuf,
    pub settings: Option<ContentFile>,
    /// The other languages' `_index.<lang>.md`, in path order.
    pub site_texts: Vec<ContentFile>,
    /// The people's and places' registries, if the site has them.
    pub registries: Vec<ContentFile>,
    /// In path order.
    pub articles: Vec<ContentFile>,
    /// What finding them reported (no content folder, a symbolic link…).
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads every file under `<root>/content`, in parallel.
pub fn read(root: &Path) -> ContentFiles {
    read_known(root, &|_| None)
}

/// Reads every file under `<root>/content`, in parallel, except the article
/// files whose stat is the one `known` recorded: their recorded hash is
/// taken, and their bytes are read only if parsing needs them.
pub fn read_known(root: &Path, known: KnownStat<'_>) -> ContentFiles {
    let found = discover(root);
    let settings = found
        .settings
        .map(|rel| ContentFile::read(root, rel, SETTINGS_FILE.to_string()));
    let mut diagnostics = found.diagnostics;
    if settings.is_none() && root.join(CONTENT_DIR).is_dir() {
        diagnostics.push(
            Diagnostic::error(
                Code::NoSettings,
                Path::new(CONTENT_DIR).join(SETTINGS_FILE),
                "the site settings file is missing",
            )
            .hint(
                "create content/_index.md with front matter `title: ...` between two `---` lines",
            ),
        );
    }
    let articles = found
        .articles
        .into_par_iter()
        .map(|(rel, rel_content)| ContentFile::read_known(root, rel, rel_content, known))
        .collect();
    let registries = found
        .registries
        .into_iter()
        .map(|(rel, name)| ContentFile::read(root, rel, name))
        .collect();
    let site_texts = found
        .site_texts
        .into_iter()
        .map(|(rel, name)| ContentFile::read(root, rel, name))
        .collect();
    ContentFiles {
        root: root.to_path_buf(),
        settings,
        site_texts,
        registries,
        articles,
        diagnostics,
    }
}

impl ContentFiles {
    /// Lets go of the bytes of every article file whose stat has settled:
    /// a build knows such a file by its stat and hash, and reads it again
    /// only if parsing needs it after all. `serve` keeps its files
    /// between builds; this keeps them the size of the paths, not of the
    /// archive's text.
    pub fn forget_settled_bytes(&mut self) {
        for file in &mut self.articles {
            if file.stat.is_some() && matches!(file.bytes, Ok(Some(_))) {
                file.bytes = Ok(None);
            }
        }
    }

    /// Brings the files up to date after changes to `paths` (absolute, or
    /// relative to the root): an article file is read again or dropped,
    /// nothing else is. A change that is not one article file (a folder, the
    /// settings, a link, a name discovery would warn about) reads everything
    /// again, so the result is always what [`read`] would give.
    pub fn refresh(&mut self, root: &Path, paths: &[PathBuf]) {
        for path in paths {
            if !self.refresh_one(root, path) {
                *self = read(root);
                return;
            }
        }
    }

    /// Updates one path; `false` when only a full read will do.
    fn refresh_one(&mut self, root: &Path, path: &Path) -> bool {
        let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        let Ok(inside) = rel.strip_prefix(CONTENT_DIR) else {
            // templates/ and static/ are read by every build anyway.
            return true;
        };
        let names: Option<Vec<&str>> = inside.iter().map(|p| p.to_str()).collect();
        let Some(names) = names.filter(|n| !n.is_empty()) else {
            return false;
        };
        if names.iter().any(|n| is_ignored_name(n)) {
            return true;
        }
        let name = names.join("/");
        if !name.ends_with(".md") || is_settings_name(&name) {
            return false;
        }
        let at = self.articles.binary_search_by(|s| s.rel.cmp(&rel));
        match (std::fs::symlink_metadata(root.join(&rel)), at) {
            (Ok(meta), at) if meta.is_file() => {
                let file = ContentFile::read(root, rel, name);
                match at {
                    Ok(i) => self.articles[i] = file,
                    Err(i) => self.articles.insert(i, file),
                }
                true
            }
            (Err(e), Ok(i)) if e.kind() == std::io::ErrorKind::NotFound => {
                self.articles.remove(i);
                true
            }
            (Err(e), Err(_)) => e.kind() == std::io::ErrorKind::NotFound,
            // A folder or a link where a file was: let discovery judge.
            _ => false,
        }
    }
}

/// A registry file read and checked.
fn registry_from(file: &ContentFile) -> (Option<crate::model::Registry>, Vec<Diagnostic>) {
    let Some(kind) = registry::Kind::of(&file.rel_content) else {
        return (None, Vec::new());
    };
    let bytes = match file.bytes_read() {
        Ok(bytes) => bytes,
        Err(d) => return (None, vec![d]),
    };
    match files::decode(&file.rel, bytes) {
        Ok(text) => {
            let (registry, diagnostics) = registry::read(&file.rel, &text, kind);
            (Some(registry), diagnostics)
        }
        Err(d) => (None, vec![d]),
    }
}

fn site_sources_from(file: &ContentFile) -> (Vec<crate::model::Source>, Vec<Diagnostic>) {
    let bytes = match file.bytes_read() {
        Ok(bytes) => bytes,
        Err(d) => return (Vec::new(), vec![d]),
    };
    match files::decode(&file.rel, bytes) {
        Ok(text) => registry::read_sources(&file.rel, &text),
        Err(d) => (Vec::new(), vec![d]),
    }
}

/// Reads the other languages' `_index.<lang>.md` into the settings. One
/// for a language the site is not in (or for its default language, whose
/// text is `_index.md`) is a warning, and is left out.
fn read_site_texts(files: &[ContentFile], loaded: &mut Loaded) {
    let Some(settings) = loaded.settings.as_mut() else {
        return;
    };
    for file in files {
        let language = site_text_language(&file.rel_content).unwrap_or_default();
        if !settings.languages.iter().skip(1).any(|l| l == language) {
            let others = match settings.languages.len() {
                0 | 1 => "no other".to_string(),
                _ => format!(
                    "the other languages `{}`",
                    settings.languages[1..].join("`, `")
                ),
            };
            let message = format!(
                "`{language}` is not another language of the site ({others}); this file is ignored"
            );
            loaded.diagnostics.push(
                Diagnostic::warning(Code::MisplacedSettings, &file.rel, message).hint(format!(
                    "add `{language}` to `languages` in content/_index.md, or delete the file \
                     (the default language's text is content/_index.md)"
                )),
            );
            continue;
        }
        let bytes = match file.bytes_read() {
            Ok(bytes) => bytes,
            Err(d) => {
                loaded.diagnostics.push(d);
                continue;
            }
        };
        let (found, diagnostics) = from_bytes(&file.rel, bytes, |fields, front_matter, _| {
            Some(settings::read_text(fields, front_matter, &file.rel))
        });
        loaded.diagnostics.extend(diagnostics);
        if let Some((mut text, whole, intro_offset)) = found {
            text.language = language.to_string();
            text.text = whole;
            text.intro_offset = intro_offset;
            settings.texts.push(text);
        }
    }
    let languages = settings.languages.clone();
    (settings.texts).sort_by_key(|t| languages.iter().position(|l| *l == t.language));
}

/// Loads every file under `<root>/content`.
pub fn load(root: &Path) -> Loaded {
    parse(read(root), &|_, _| None)
}

/// Parses what [`read`] read, taking from `memo` what parsing an article
/// file whose bytes have not changed gave before.
pub fn parse(files: ContentFiles, memo: ArticleMemo<'_>) -> Loaded {
    let mut loaded = Loaded {
        diagnostics: files.diagnostics,
        ..Loaded::default()
    };
    if let Some(file) = files.settings {
        loaded.settings_hash = file.hash;
        let (settings, diagnostics) = match file.bytes_read() {
            Ok(bytes) => settings_from_bytes(&file.rel, bytes),
            Err(d) => (None, vec![d]),
        };
        loaded.settings = settings;
        loaded.diagnostics.extend(diagnostics);
    }
    read_site_texts(&files.site_texts, &mut loaded);
    for file in &files.registries {
        if registry::Kind::of(&file.rel_content) == Some(registry::Kind::Sources) {
            let (found, diagnostics) = site_sources_from(file);
            loaded.diagnostics.extend(diagnostics);
            if let Some(settings) = loaded.settings.as_mut() {
                settings.sources = found;
            }
            continue;
        }
        let (registry, diagnostics) = registry_from(file);
        loaded.diagnostics.extend(diagnostics);
        if let (Some(settings), Some(registry)) = (loaded.settings.as_mut(), registry) {
            match registry::Kind::of(&file.rel_content) {
                Some(registry::Kind::People) => settings.people = Some(registry),
                _ => settings.places = Some(registry),
            }
        }
    }
    parse_articles(files.articles, &files.root, memo, &mut loaded);
    loaded
}

/// Parses the article files (in parallel), or takes what parsing the same
/// bytes gave from `memo`, into `loaded`.
fn parse_articles(
    articles: Vec<ContentFile>,
    root: &Path,
    memo: ArticleMemo<'_>,
    loaded: &mut Loaded,
) {
    // The memo is kept only while the settings file is unchanged, so an
    // article parsed in another zone is never taken from it.
    let site_zone = loaded.settings.as_ref().and_then(|s| s.timezone);
    let languages: Vec<String> =
        (loaded.settings.as_ref()).map_or_else(Vec::new, |s| s.languages.clone());
    let languages = languages.as_slice();
    let files: Vec<FileRead> = articles
        .iter()
        .map(|f| FileRead {
            rel: f.rel.clone(),
            hash: f.hash,
            fresh: false,
            stat: f.stat,
            read: !matches!(f.bytes, Ok(None)),
        })
        .collect();
    let results: Vec<_> = articles
        .into_par_iter()
        .map(|file| parse_article(root, file, memo, site_zone, languages))
        .collect();
    for (mut file, (article, diagnostics, fresh, late)) in files.into_iter().zip(results) {
        if let Some(hash) = late {
            // Read after all; should the bytes differ from what the stat
            // promised, the stat is not kept.
            file.read = true;
            if hash != file.hash {
                file.hash = hash;
                file.stat = None;
            }
        }
        file.fresh = fresh;
        loaded.articles.extend(article);
        loaded.diagnostics.extend(diagnostics);
        loaded.files.push(file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body is read again from its file; a file that changed since its
    /// front matter was read is refused, not mixed with the old front matter.
    #[test]
    fn a_text_read_again_must_be_the_text_parsed() {
        let dir = tempfile::tempdir().unwrap();
        let rel = Path::new("content/a.md");
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        let first = "---\ntitle: A\ndate: 2024\n---\nThe body.\n";
        std::fs::write(dir.path().join(rel), first).unwrap();
        let (article, d) = article_from_bytes(rel, "a.md", first.as_bytes().to_vec(), None);
        assert!(d.is_empty(), "{d:?}");
        let article = article.unwrap();
        let texts = Texts::new(dir.path());
        let text = texts.read(&article).unwrap();
        assert_eq!(&text[article.body_offset..], "The body.\n");

        std::fs::write(dir.path().join(rel), first.replace("The", "A new")).unwrap();
        let e = texts.read(&article).unwrap_err();
        assert_eq!(e.code, Code::ChangedDuringBuild);
        assert_eq!(e.path, rel);
    }

    /// Found by the `front_matter` fuzz target: YAML ends a line at a lone
    /// carriage return, the line index did not, so a diagnostic in front
    /// matter with old-Mac or mixed line endings pointed at the wrong line
    /// (in the body) and past the end of it.
    #[test]
    fn lone_carriage_returns_end_lines() {
        let p = Path::new("x.md");
        let (article, diagnostics) = article_from_bytes(
            p,
            "x.md",
            b"---\ntitle: T\rdate: 2024\rtitel: x\n---\nBody\n".to_vec(),
            None,
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
