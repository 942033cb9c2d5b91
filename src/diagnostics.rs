//! Diagnostics: every problem found in a site, with the file, line and column
//! it belongs to, the offending line, and a hint where one helps.
//!
//! The library never prints. Each stage collects `Diagnostic`s and keeps going,
//! so one run reports every problem in every file; the binary sorts and shows
//! them. Positions are 1-based lines and 1-based columns counted in
//! characters, as editors count them.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    Error,
    Warning,
    /// Worth knowing, nothing to fix (`check` lists the articles a
    /// language has no translation of).
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        })
    }
}

/// Where in a file a problem is, with the text of its line for the caret.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// Width of the bad part, in characters (at least 1).
    pub width: usize,
    /// The offending line without its line ending; for a very long line,
    /// only the stretch around the problem, with `…` where it was cut.
    pub line_text: String,
    /// The 1-based column of the problem within `line_text`.
    pub caret_col: usize,
}

/// A diagnostic's stable name, printed in its first line
/// (`error[unknown-key]`) as rustc and clippy name theirs. Tests and tools
/// match on codes, so the wording of messages can improve freely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Code {
    NoContent,
    NoSettings,
    MisplacedSettings,
    Unreadable,
    ChangedDuringBuild,
    Symlink,
    BadFileName,
    Encoding,
    NoFrontMatter,
    FrontMatterTooLarge,
    InvisibleLineBreak,
    YamlSyntax,
    EmptyFrontMatter,
    MissingField,
    UnknownKey,
    WrongType,
    EmptyValue,
    InvalidChoice,
    DateInvalid,
    TimezoneUnknown,
    TimeInGap,
    TimeAmbiguous,
    SlugInvalid,
    UrlInvalid,
    UrlRefused,
    LanguageInvalid,
    LanguageUnsupported,
    CatalogueInvalid,
    SlugReading,
    TranslationMismatch,
    TranslationMissing,
    IdInvalid,
    IdReserved,
    DuplicateId,
    BrokenLink,
    LinkToDraft,
    CitationUnknown,
    SourceUncited,
    CitationMissing,
    RawHtml,
    UnknownRelated,
    RelatedSelf,
    StatusMismatch,
    TermSpelling,
    UnregisteredName,
    UnusedRecord,
    TooManyNames,
    MediaMissing,
    NoBaseUrl,
    OutputCollision,
    CacheSetAside,
    SearchIndex,
    SearchNotBuilt,
    TemplateSyntax,
    TemplateRender,
}

impl Code {
    /// Every code, in the order docs/diagnostics.md lists them.
    pub const ALL: [Code; 55] = [
        Code::NoContent,
        Code::NoSettings,
        Code::MisplacedSettings,
        Code::Unreadable,
        Code::ChangedDuringBuild,
        Code::Symlink,
        Code::BadFileName,
        Code::Encoding,
        Code::NoFrontMatter,
        Code::FrontMatterTooLarge,
        Code::InvisibleLineBreak,
        Code::YamlSyntax,
        Code::EmptyFrontMatter,
        Code::MissingField,
        Code::UnknownKey,
        Code::WrongType,
        Code::EmptyValue,
        Code::InvalidChoice,
        Code::DateInvalid,
        Code::TimezoneUnknown,
        Code::TimeInGap,
        Code::TimeAmbiguous,
        Code::SlugInvalid,
        Code::UrlInvalid,
        Code::UrlRefused,
        Code::LanguageInvalid,
        Code::LanguageUnsupported,
        Code::CatalogueInvalid,
        Code::SlugReading,
        Code::TranslationMismatch,
        Code::TranslationMissing,
        Code::IdInvalid,
        Code::IdReserved,
        Code::DuplicateId,
        Code::BrokenLink,
        Code::LinkToDraft,
        Code::CitationUnknown,
        Code::SourceUncited,
        Code::CitationMissing,
        Code::RawHtml,
        Code::UnknownRelated,
        Code::RelatedSelf,
        Code::StatusMismatch,
        Code::TermSpelling,
        Code::UnregisteredName,
        Code::UnusedRecord,
        Code::TooManyNames,
        Code::MediaMissing,
        Code::NoBaseUrl,
        Code::OutputCollision,
        Code::CacheSetAside,
        Code::SearchIndex,
        Code::SearchNotBuilt,
        Code::TemplateSyntax,
        Code::TemplateRender,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::NoContent => "no-content",
            Code::NoSettings => "no-settings",
            Code::MisplacedSettings => "misplaced-settings",
            Code::Unreadable => "unreadable",
            Code::ChangedDuringBuild => "changed-during-build",
            Code::Symlink => "symlink",
            Code::BadFileName => "bad-file-name",
            Code::Encoding => "encoding",
            Code::NoFrontMatter => "no-front-matter",
            Code::FrontMatterTooLarge => "front-matter-too-large",
            Code::InvisibleLineBreak => "invisible-line-break",
            Code::YamlSyntax => "yaml-syntax",
            Code::EmptyFrontMatter => "empty-front-matter",
            Code::MissingField => "missing-field",
            Code::UnknownKey => "unknown-key",
            Code::WrongType => "wrong-type",
            Code::EmptyValue => "empty-value",
            Code::InvalidChoice => "invalid-choice",
            Code::DateInvalid => "date-invalid",
            Code::TimezoneUnknown => "timezone-unknown",
            Code::TimeInGap => "time-in-gap",
            Code::TimeAmbiguous => "time-ambiguous",
            Code::SlugInvalid => "slug-invalid",
            Code::UrlInvalid => "url-invalid",
            Code::UrlRefused => "url-refused",
            Code::LanguageInvalid => "language-invalid",
            Code::LanguageUnsupported => "language-unsupported",
            Code::CatalogueInvalid => "catalogue-invalid",
            Code::SlugReading => "slug-reading",
            Code::TranslationMismatch => "translation-mismatch",
            Code::TranslationMissing => "translation-missing",
            Code::IdInvalid => "id-invalid",
            Code::IdReserved => "id-reserved",
            Code::DuplicateId => "duplicate-id",
            Code::BrokenLink => "broken-link",
            Code::LinkToDraft => "link-to-draft",
            Code::CitationUnknown => "citation-unknown",
            Code::SourceUncited => "source-uncited",
            Code::CitationMissing => "citation-missing",
            Code::RawHtml => "raw-html",
            Code::UnknownRelated => "unknown-related",
            Code::RelatedSelf => "related-self",
            Code::StatusMismatch => "status-mismatch",
            Code::TermSpelling => "term-spelling",
            Code::UnregisteredName => "unregistered-name",
            Code::UnusedRecord => "unused-record",
            Code::TooManyNames => "too-many-names",
            Code::MediaMissing => "media-missing",
            Code::NoBaseUrl => "no-base-url",
            Code::OutputCollision => "output-collision",
            Code::CacheSetAside => "cache-set-aside",
            Code::SearchIndex => "search-index",
            Code::SearchNotBuilt => "search-not-built",
            Code::TemplateSyntax => "template-syntax",
            Code::TemplateRender => "template-render",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// The file, relative to the site root (`content/2023/x.md`).
    pub path: PathBuf,
    /// Boxed to keep `Result<_, Diagnostic>` small.
    pub location: Option<Box<Location>>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            path: path.into(),
            location: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, path, message)
        }
    }

    pub fn note(code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(code, path, message)
        }
    }

    pub fn is_note(&self) -> bool {
        self.severity == Severity::Note
    }

    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location.map(Box::new);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn line(&self) -> usize {
        self.location.as_ref().map_or(0, |l| l.line)
    }

    pub fn col(&self) -> usize {
        self.location.as_ref().map_or(0, |l| l.col)
    }

    /// The first line, rustc-style: `path:line:col: error[code]: message`.
    pub fn headline(&self, prefix: &Path) -> String {
        let path = display_path(prefix, &self.path);
        let place = match &self.location {
            Some(loc) => format!("{path}:{}:{}", loc.line, loc.col),
            None => path,
        };
        format!(
            "{place}: {}[{}]: {}",
            self.severity, self.code, self.message
        )
    }

    /// Renders the diagnostic, its source line with a caret and its hint.
    /// `prefix` is joined before the path (the site root as the user gave it).
    pub fn render(&self, prefix: &Path) -> String {
        let mut out = self.headline(prefix);
        out.push('\n');
        if let Some(loc) = &self.location {
            out.push_str(&caret_lines(loc));
        }
        if let Some(hint) = &self.hint {
            out.push_str(&format!("  = hint: {hint}\n"));
        }
        out
    }
}

/// The offending line with a caret under the problem.
fn caret_lines(loc: &Location) -> String {
    let number = loc.line.to_string();
    let pad = " ".repeat(number.len());
    let shown: String = loc.line_text.chars().map(printable).collect();
    let mut caret: String = loc
        .line_text
        .chars()
        .take(loc.caret_col.saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let room = shown
        .chars()
        .count()
        .saturating_sub(loc.caret_col.saturating_sub(1))
        .max(1);
    caret.push_str(&"^".repeat(loc.width.clamp(1, room)));
    format!("{pad} |\n{number} | {shown}\n{pad} | {caret}\n")
}

/// Control characters (a NUL, say, or an escape that retitles or clears
/// the terminal) would garble it: show them as the Unicode control
/// pictures, one character each so the caret still fits; the C1 controls
/// (which some terminals also obey), which have no pictures, as U+FFFD.
fn printable(c: char) -> char {
    match c {
        '\t' => '\t',
        c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
        '\u{7f}' => '\u{2421}',
        '\u{80}'..='\u{9f}' => '\u{fffd}',
        c => c,
    }
}

/// `text` safe to print on one line of a terminal: its control characters
/// shown as [`printable`] shows them in a diagnostic's source line.
pub fn printable_text(text: &str) -> String {
    text.chars().map(printable).collect()
}

pub fn display_path(prefix: &Path, path: &Path) -> String {
    let joined = if prefix.as_os_str().is_empty() || prefix == Path::new(".") {
        path.to_path_buf()
    } else {
        prefix.join(path)
    };
    joined.display().to_string()
}

/// Sorts diagnostics by path, then line and column, and drops repeats (a
/// template error hit by every page is one problem).
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line(), a.col(), a.severity, a.code, &a.message).cmp(&(
            &b.path,
            b.line(),
            b.col(),
            b.severity,
            b.code,
            &b.message,
        ))
    });
    diagnostics.dedup();
}

/// Maps byte offsets in a text to lines and columns.
///
/// Columns count characters. So that a file with one enormous line and many
/// problems on it stays cheap, character counts are kept every 512 bytes, and
/// a lookup scans at most one such block.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Characters before byte `k * BLOCK`.
    marks: Vec<usize>,
}

const BLOCK: usize = 512;
/// Lines longer than this are shown as an excerpt around the problem.
const EXCERPT: usize = 160;

fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut marks = vec![0];
        let mut total = 0;
        for block in text.as_bytes().chunks(BLOCK) {
            total += chars_in(block);
            marks.push(total);
        }
        LineIndex {
            text,
            starts,
            marks,
        }
    }

    /// Characters before byte `offset`.
    fn chars_before(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        let block = offset / BLOCK;
        self.marks[block] + chars_in(&self.text.as_bytes()[block * BLOCK..offset])
    }

    /// The byte offset of the `n`th character (or the end of the text).
    fn byte_of_char(&self, n: usize) -> usize {
        // At or past the last character: the last mark's block would start
        // past the end of the text.
        if n >= self.marks.last().copied().unwrap_or(0) {
            return self.text.len();
        }
        let block = self.marks.partition_point(|&m| m <= n).saturating_sub(1);
        let mut count = self.marks[block];
        for (i, &b) in self.text.as_bytes()[block * BLOCK..].iter().enumerate() {
            if (b & 0xC0) != 0x80 {
                if count == n {
                    return block * BLOCK + i;
                }
                count += 1;
            }
        }
        self.text.len()
    }

    /// The location of `len` bytes at byte `offset`.
    pub fn locate(&self, offset: usize, len: usize) -> Location {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line0 = self.starts.partition_point(|&s| s <= offset) - 1;
        let line_start = self.starts[line0];
        let line_end = line_start + self.line_text(line0 + 1).len();
        let end = floor_char_boundary(self.text, (offset + len).min(line_end).max(offset));
        let col = self.chars_before(offset) - self.chars_before(line_start) + 1;
        let width = self.chars_before(end) - self.chars_before(offset);
        // The excerpt: the whole line when short, else a window around the problem.
        let (from, to) = if line_end - line_start <= EXCERPT * 2 {
            (line_start, line_end)
        } else {
            (
                floor_char_boundary(
                    self.text,
                    offset.saturating_sub(EXCERPT / 2).max(line_start),
                ),
                floor_char_boundary(self.text, (offset + EXCERPT).min(line_end)),
            )
        };
        let mut line_text = String::new();
        if from > line_start {
            line_text.push('…');
        }
        line_text.push_str(&self.text[from..to]);
        if to < line_end {
            line_text.push('…');
        }
        let caret_col = usize::from(from > line_start) + self.chars_before(offset)
            - self.chars_before(from)
            + 1;
        Location {
            line: line0 + 1,
            col,
            width: width.max(1),
            line_text,
            caret_col,
        }
    }

    /// The location of `width` characters at 1-based `line`, 0-based
    /// character column `col0`.
    pub fn locate_line_col(&self, line: usize, col0: usize, width: usize) -> Location {
        let start = self.offset_of(line, col0);
        let end = self.offset_of(line, col0 + width.max(1));
        self.locate(start, end.saturating_sub(start).max(1))
    }

    /// The byte offset of a 1-based line and 0-based character column
    /// (clamped to the end of the line).
    pub fn offset_of(&self, line: usize, col0: usize) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let line_end = start + self.line_text(line).len();
        self.byte_of_char(self.chars_before(start) + col0)
            .min(line_end)
    }

    /// Line `line` (1-based), without its line ending.
    pub fn line_text(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    pub fn text(&self) -> &'a str {
        self.text
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// "Did you mean …?" for a misspelt word among known ones.
pub fn did_you_mean<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(&word.to_lowercase(), k), *k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// An error and its causes on one line: `what failed: why: …`.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        text.push_str(&format!(": {c}"));
        cause = c.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_offsets_in_characters() {
        let text = "a: 1\ntitle: “Ça”\n";
        let idx = LineIndex::new(text);
        let off = text.find('Ç').unwrap();
        let loc = idx.locate(off, 'Ç'.len_utf8() + 1);
        assert_eq!((loc.line, loc.col, loc.width), (2, 9, 2));
        assert_eq!(loc.line_text, "title: “Ça”");
        assert_eq!(idx.offset_of(2, 8), off);
        assert_eq!(idx.locate_line_col(2, 8, 2), loc);
    }

    /// Found by the `front_matter` fuzz target (`---\n[\n---`): a YAML error
    /// on the empty last line asked for the character at the very end of a
    /// short text, and `byte_of_char` sliced from byte 512 of 2.
    #[test]
    fn a_column_at_the_end_of_the_text_is_the_end() {
        let idx = LineIndex::new("[\n");
        assert_eq!(idx.offset_of(2, 0), 2);
        assert_eq!(idx.offset_of(2, 5), 2);
        assert_eq!(idx.offset_of(1, 9), 1);
        let long = "x".repeat(BLOCK);
        let idx = LineIndex::new(&long);
        assert_eq!(idx.offset_of(1, BLOCK), BLOCK);
        assert_eq!(idx.offset_of(1, BLOCK + 3), BLOCK);
        let loc = idx.locate_line_col(2, 0, 1);
        assert_eq!((loc.line, loc.col), (1, BLOCK + 1));
    }

    #[test]
    fn long_lines_are_cut_around_the_problem() {
        let text = format!("a: {}é{}\n", "x".repeat(10_000), "y".repeat(10_000));
        let idx = LineIndex::new(&text);
        let off = text.find('é').unwrap();
        let loc = idx.locate(off, 2);
        assert_eq!((loc.line, loc.col, loc.width), (1, 10_004, 1));
        assert!(loc.line_text.starts_with('…') && loc.line_text.ends_with('…'));
        assert!(loc.line_text.chars().count() < 300);
        assert_eq!(loc.line_text.chars().nth(loc.caret_col - 1), Some('é'));
        assert_eq!(idx.offset_of(1, 10_003), off);
        let rendered = Diagnostic::error(Code::DateInvalid, "x.md", "bad")
            .at(Some(loc))
            .render(Path::new(""));
        assert!(
            rendered.lines().count() == 4 && rendered.len() < 800,
            "{rendered}"
        );
    }

    #[test]
    fn renders_path_line_col_and_caret() {
        let idx = LineIndex::new("---\ndate: 2023-02-30\n---\n");
        let d = Diagnostic::error(Code::DateInvalid, "content/x.md", "impossible date")
            .at(Some(idx.locate(10, 10)))
            .hint("check the day");
        assert_eq!(
            d.render(Path::new("")),
            "content/x.md:2:7: error[date-invalid]: impossible date\n  |\n2 | date: 2023-02-30\n  |       ^^^^^^^^^^\n  = hint: check the day\n"
        );
    }

    #[test]
    fn suggests_close_words() {
        assert_eq!(did_you_mean("titel", &["title", "date"]), Some("title"));
        assert_eq!(
            did_you_mean("participant", &["participants"]),
            Some("participants")
        );
        assert_eq!(did_you_mean("zzz", &["title", "date"]), None);
    }
}
