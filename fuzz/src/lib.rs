//! What each fuzz target runs, and the invariants it checks.
//!
//! Shared by the cargo-fuzz targets in `fuzz/fuzz_targets/` and by
//! `tests/it/fuzz_regressions.rs`, which replays every saved crash and the
//! minimised corpus through these same functions in the normal `cargo test`.
//! Every function panics (with the offending values) when an invariant fails;
//! it must never hang or use unbounded memory on any input.

use std::fs;
use std::path::{Path, PathBuf};

use chronicle::content::{self, split, yaml};
use chronicle::date::{self, DateError, EventDate};
use chronicle::diagnostics::{Diagnostic, LineIndex, Location};
use chrono::NaiveDate;

/// The as-of date every fuzzed site is built with.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 4, 1).expect("a valid day")
}

// ---------------------------------------------------------------------------
// front_matter

/// Splits and parses the input as front matter, then loads it as a whole
/// article from its raw bytes.
pub fn front_matter(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(parts) = split::split(&text) {
        check_split(&text, &parts);
        match yaml::parse(parts.front_matter) {
            Ok(node) => check_node(&node),
            Err(e) => {
                if let Some((line, _)) = e.position {
                    assert!(line >= 1, "YAML error on line 0: {e:?}");
                }
                if let Some((_, line, _)) = &e.context {
                    assert!(*line >= 1, "YAML error context on line 0: {e:?}");
                }
            }
        }
    }
    let (article, diagnostics) = content::article_from_bytes(
        Path::new("content/fuzz.md"),
        "fuzz.md",
        data.to_vec(),
        chronicle::date::parse_zone("Europe/London").ok(),
    );
    let lines = line_count(data);
    for d in &diagnostics {
        check_diagnostic(d, lines);
    }
    if let Some(article) = article {
        // A parsed article's bytes decode, as a build reads them again.
        let text = chronicle::files::decode(Path::new("content/fuzz.md"), data.to_vec())
            .expect("a parsed article decodes");
        check_article(&article, &text, lines);
    }
}

/// Lines in the file as the diagnostics count them: a line feed, a carriage
/// return and line feed, or a lone carriage return (as YAML and CommonMark
/// read it) ends a line; a final line without an ending, or an empty one
/// after the last ending, counts.
fn line_count(data: &[u8]) -> usize {
    let lone_cr = data
        .windows(2)
        .filter(|w| w[0] == b'\r' && w[1] != b'\n')
        .count()
        + usize::from(data.last() == Some(&b'\r'));
    data.iter().filter(|&&b| b == b'\n').count() + lone_cr + 1
}

fn check_split(text: &str, parts: &split::Split<'_>) {
    let fm_end = parts.front_matter_offset + parts.front_matter.len();
    assert!(
        fm_end <= parts.body_offset,
        "front matter overlaps the body"
    );
    assert_eq!(
        text.get(parts.front_matter_offset..fm_end),
        Some(parts.front_matter),
        "front_matter_offset does not point at the front matter"
    );
    assert_eq!(
        text.get(parts.body_offset..),
        Some(parts.body),
        "body_offset does not point at the body"
    );
    assert!(parts.front_matter_line >= 1);
}

fn check_node(node: &yaml::Node) {
    assert!(node.span.line >= 1, "YAML node on line 0: {node:?}");
    assert!(node.span.width >= 1, "YAML node of width 0: {node:?}");
    match &node.value {
        yaml::Value::Seq(items) => items.iter().for_each(check_node),
        yaml::Value::Map(entries) => {
            for entry in entries {
                assert!(entry.key_span.line >= 1, "YAML key on line 0: {entry:?}");
                check_node(&entry.value);
            }
        }
        _ => {}
    }
}

/// A diagnostic's position is inside the file, and it renders.
pub fn check_diagnostic(d: &Diagnostic, lines: usize) {
    if let Some(loc) = &d.location {
        check_location(loc, lines, &d.message);
    }
    let rendered = d.render(Path::new(""));
    assert!(rendered.contains(&d.message), "{rendered}");
}

fn check_location(loc: &Location, lines: usize, what: &str) {
    assert!(loc.line >= 1, "line 0 for {what:?}: {loc:?}");
    assert!(loc.col >= 1, "column 0 for {what:?}: {loc:?}");
    assert!(loc.width >= 1, "width 0 for {what:?}: {loc:?}");
    assert!(
        loc.line <= lines,
        "line {} past the end of a file of {lines} lines for {what:?}",
        loc.line
    );
    let shown = loc.line_text.chars().count();
    assert!(
        loc.caret_col >= 1 && loc.caret_col <= shown + 1,
        "caret column outside the line shown for {what:?}: {loc:?}"
    );
    assert!(
        !loc.line_text.contains('\n'),
        "line text spans lines for {what:?}: {loc:?}"
    );
}

fn check_article(article: &chronicle::model::Article, text: &str, lines: usize) {
    assert!(!article.title.trim().is_empty(), "empty title accepted");
    assert!(!article.id.is_empty(), "empty id");
    check_event_date(&article.date);
    assert!(article.body_offset <= text.len());
    assert!(text.is_char_boundary(article.body_offset));
    let index = LineIndex::new(text);
    let located = article
        .participants
        .iter()
        .chain(&article.tags)
        .chain(&article.related)
        .chain(&article.series)
        .chain(&article.location);
    for value in located {
        assert!(
            !value.value.trim().is_empty(),
            "empty value kept: {value:?}"
        );
        assert!(value.pos.line >= 1, "position on line 0: {value:?}");
        check_location(&value.pos.locate(&index), lines, &value.value);
    }
    for loc in [
        &article.id_location,
        &article.date_location,
        &article.status_location,
    ]
    .into_iter()
    .flatten()
    {
        check_location(loc, lines, "a field of the article");
    }
    for source in &article.sources {
        if let Some(d) = &source.date {
            check_event_date(d);
        }
    }
}

// ---------------------------------------------------------------------------
// date

/// Parses the input as an event date and as a plain day.
pub fn date(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match EventDate::parse(&text) {
        Ok(d) => {
            check_event_date(&d);
            // Read in a zone with clock changes: gaps and repeats are
            // reported, never a panic, and the date still shows and sorts.
            if let Ok(tz) = date::parse_zone("America/New_York") {
                let (zoned, _) = d.in_zone(tz);
                assert!(!zoned.human().is_empty());
                assert_eq!(zoned.first_day(), d.first_day());
                let _ = zoned.sort_key();
            }
        }
        Err(e) => check_date_error(&text, &e),
    }
    match date::parse_day(&text) {
        Ok(day) => {
            let event = EventDate::parse(&text).expect("parse_day accepted it");
            assert_eq!(event.first_day(), day.into());
            assert_eq!(event.last_day(), day.into());
        }
        Err(e) => check_date_error(&text, &e),
    }
}

/// A parsed date displays, re-parses to itself and denotes at least a day.
pub fn check_event_date(d: &EventDate) {
    let canonical = d.to_string();
    assert_eq!(
        EventDate::parse(&canonical),
        Ok(*d),
        "{canonical:?} does not re-parse to {d:?}"
    );
    assert!(d.first_day() <= d.last_day(), "{d:?} ends before it starts");
    assert!(d.start().first_day() <= d.start().last_day());
    if let Some(end) = d.end() {
        assert!(end.first_day() <= end.last_day());
    }
    assert!(!d.human().is_empty(), "{d:?} has no human form");
    // HTML writes years 1 to 9999 only.
    assert_eq!(
        d.html_datetime().is_empty(),
        !(1..=9999).contains(&d.start().year()),
        "{d:?}"
    );
}

/// An error's span lies within the text, on character boundaries, so it can
/// be turned into a caret.
fn check_date_error(text: &str, e: &DateError) {
    let end = e.offset.checked_add(e.len).expect("span overflows");
    assert!(
        end <= text.len(),
        "error span {}..{end} past the end of {text:?} ({} bytes): {e:?}",
        e.offset,
        text.len()
    );
    assert!(
        text.is_char_boundary(e.offset) && text.is_char_boundary(end),
        "error span {}..{end} splits a character of {text:?}: {e:?}",
        e.offset
    );
    assert!(!e.message.is_empty());
}

// ---------------------------------------------------------------------------
// article_render

/// The site settings every fuzzed site uses.
const INDEX: &str = "---\n\
title: \"Fuzz timeline\"\n\
description: \"A site built around one fuzzed article.\"\n\
base_url: \"https://fuzz.example.org\"\n\
language: en\n\
as_of: 2024-04-01\n\
---\n\
An introduction with a [link](https://example.org).\n";

/// A fixed valid article next to the fuzzed one, so that `related`, links,
/// series, tags and participants in the input have something to meet.
const NEIGHBOUR: &str = "---\n\
title: \"A neighbour\"\n\
date: \"2023-08-18\"\n\
status: held\n\
kind: meeting\n\
series: \"Trilateral summits\"\n\
location: \"Camp David\"\n\
participants:\n  - \"Joe Biden\"\n  - \"Fumio Kishida\"\n\
tags:\n  - summit\n\
related:\n  - 2024/fuzz\n\
sources:\n  - title: \"A source\"\n    publisher: \"A publisher\"\n    date: \"2023-08-18\"\n    url: \"https://example.org/a\"\n\
---\n\
A body with a [link back](@/2024/fuzz.md).\n";

/// An empty folder `chronicle-<name>` under /dev/shm when it exists (the
/// fuzzers write a site per input), else the temporary folder; whatever it
/// held is removed.
fn scratch(name: &str) -> PathBuf {
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    let root = base.join(format!("chronicle-{name}"));
    let _ = fs::remove_dir_all(&root);
    root
}

/// A site folder (under /dev/shm when it exists) with fixed settings and a
/// neighbour; each `render` rewrites `content/2024/fuzz.md` and renders the
/// site in memory. The folder is removed when the value is dropped.
pub struct SiteDir {
    root: PathBuf,
}

impl SiteDir {
    /// `name` makes the folder unique (a process id, say).
    pub fn new(name: &str) -> SiteDir {
        let root = scratch(name);
        fs::create_dir_all(root.join("content/2024")).expect("create the site folder");
        fs::create_dir_all(root.join("content/2023")).expect("create the site folder");
        fs::write(root.join("content/_index.md"), INDEX).expect("write _index.md");
        fs::write(root.join("content/2023/neighbour.md"), NEIGHBOUR).expect("write neighbour");
        SiteDir { root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Renders the site with `data` as `content/2024/fuzz.md`.
    pub fn render(&self, data: &[u8]) {
        fs::write(self.root.join("content/2024/fuzz.md"), data).expect("write the input");
        let options = chronicle::Options::new(&self.root, as_of());
        match chronicle::render_site(&options) {
            Ok(rendered) => {
                for d in &rendered.warnings {
                    check_diagnostic(d, usize::MAX);
                }
                for (path, bytes) in &rendered.site.files {
                    if path.ends_with(".html") {
                        check_page(path, bytes);
                    }
                }
            }
            Err(chronicle::Failure::Diagnostics(diagnostics)) => {
                assert!(
                    diagnostics.iter().any(Diagnostic::is_error),
                    "a failed render without an error"
                );
                for d in &diagnostics {
                    check_diagnostic(d, usize::MAX);
                }
            }
            Err(chronicle::Failure::Output(e, _)) => {
                panic!("render_site wrote output and failed: {e}")
            }
        }
    }
}

impl Drop for SiteDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

// ---------------------------------------------------------------------------
// import_json, import_sheet

/// Plans an import of the input (a TimelineJS JSON file, or a sheet saved
/// as CSV), writing nothing: it never panics; a refusal is located
/// problems, each one short line with no control character (an echoed
/// 10 MB cell is cut); a plan is a site that builds, written into `site`
/// and rendered, with every warning a short line too.
pub fn import(format: chronicle::import::Format, data: &[u8], site: &ImportDir) {
    use chronicle::import::{ImportError, plan_text};
    let Ok(text) = std::str::from_utf8(data) else {
        return; // `import` refuses it before any reader sees it
    };
    let file = site.root.join("timeline");
    match plan_text(format, &file, text) {
        Ok((files, warnings)) => {
            for w in &warnings {
                check_line(&w.to_string());
            }
            site.render(&files);
        }
        Err(ImportError::Invalid(problems)) => {
            assert!(!problems.is_empty(), "refused without a problem");
            for p in &problems {
                assert!(p.line != Some(0) && p.column != Some(0), "{p:?}");
                check_line(&p.to_string());
                if let Some(hint) = &p.hint {
                    check_line(hint);
                }
            }
        }
        Err(other) => panic!("planning alone failed otherwise: {other}"),
    }
}

/// A message for a terminal: one line, no control character, and short
/// enough to read (the largest is a path, a subject cut to 80 characters,
/// and a value cut to 300).
fn check_line(line: &str) {
    assert!(
        !line.chars().any(|c| c.is_control() && c != '\t'),
        "a control character in {line:?}"
    );
    assert!(line.len() < 4000, "a message of {} bytes", line.len());
}

/// A folder for imported sites: each `render` writes the planned files
/// (after removing the last ones) and renders the site in memory, which
/// must build with no error.
pub struct ImportDir {
    root: PathBuf,
}

impl ImportDir {
    pub fn new(name: &str) -> ImportDir {
        let root = scratch(name);
        fs::create_dir_all(&root).expect("create the import folder");
        ImportDir { root }
    }

    fn render(&self, files: &[(String, String)]) {
        let site = self.root.join("site");
        let _ = fs::remove_dir_all(&site);
        for (rel, text) in files {
            let path = site.join(rel);
            fs::create_dir_all(path.parent().expect("a planned file has a folder"))
                .expect("create a planned folder");
            fs::write(&path, text).expect("write a planned file");
        }
        let options = chronicle::Options::new(&site, as_of());
        match chronicle::render_site(&options) {
            Ok(rendered) => {
                for d in &rendered.warnings {
                    check_diagnostic(d, usize::MAX);
                }
            }
            Err(chronicle::Failure::Diagnostics(diagnostics)) => {
                let shown: Vec<String> = diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .map(|d| d.render(Path::new("")))
                    .collect();
                panic!("the imported site does not build:\n{}", shown.join(""))
            }
            Err(chronicle::Failure::Output(e, _)) => {
                panic!("render_site wrote output and failed: {e}")
            }
        }
    }
}

impl Drop for ImportDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// The one page whose template runs a script (TimelineJS, from the site's
/// own static files); nothing of an article reaches it but through
/// `timeline.json`, which is data.
const SCRIPTED_PAGE: &str = "timeline-view/index.html";

/// The filter's script on the timeline and term pages: an empty element
/// whose address is the site's own `filter.js` (nothing of an article
/// reaches it but the entries' `data-` attributes, which are data).
fn is_filter_script(tag: &str, body: &str) -> bool {
    // The filter, or the timeline page's own script (its year bar and a
    // phone's short introduction): both the site's static files.
    let base = tag.strip_prefix("<script src=\"").and_then(|t| {
        t.strip_suffix("/filter.js\" defer>")
            .or_else(|| t.strip_suffix("/timeline.js\" defer>"))
    });
    base.is_some_and(|b| !b.contains(['"', '<', '>', ':'])) && body.is_empty()
}

/// A page is UTF-8, runs no script but the filter's and the timeline's
/// (its other `<script>`
/// elements hold JSON-LD, which no `<` can end early) and links to no
/// script address.
fn check_page(path: &str, bytes: &[u8]) {
    let html =
        std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{path} is not valid UTF-8: {e}"));
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<script").map(|a| a + from) {
        let open_end = lower[at..].find('>').map_or(lower.len(), |e| at + e + 1);
        let tag = &lower[at..open_end];
        let close = lower[open_end..]
            .find("</script")
            .map_or(lower.len(), |e| open_end + e);
        if tag == "<script type=\"application/ld+json\">" {
            let data = &html[open_end..close];
            assert!(
                !data.contains('<'),
                "{path}: a `<` inside JSON-LD: {}",
                excerpt(html, open_end)
            );
        } else if path != SCRIPTED_PAGE && !is_filter_script(tag, &html[open_end..close]) {
            panic!("{path} contains a script: {}", excerpt(html, at));
        }
        from = close.max(at + 1);
    }
    for (at, name, value) in attributes(html) {
        if !matches!(
            name.as_str(),
            "href" | "src" | "action" | "formaction" | "xlink:href"
        ) {
            continue;
        }
        // Browsers decode entities, then drop tabs, newlines and leading
        // spaces from addresses.
        let address: String = decode_entities(value)
            .chars()
            .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
            .collect::<String>()
            .to_ascii_lowercase();
        for scheme in ["javascript:", "vbscript:", "data:"] {
            assert!(
                !address.starts_with(scheme),
                "{path} links to a `{scheme}` address: {}",
                excerpt(html, at)
            );
        }
    }
}

/// The attributes of every tag, as (offset of the tag, lowercase name, raw
/// value). Text never holds a bare `<` (it is escaped), so every `<` that is
/// followed by a letter opens a tag.
fn attributes(html: &str) -> Vec<(usize, String, &str)> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(found) = html[i..].find('<') {
        let tag = i + found;
        i = tag + 1;
        if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !b">/".contains(&bytes[i]) {
            i += 1;
        }
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                break;
            }
            let name_start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !b"=>/".contains(&bytes[i])
            {
                i += 1;
            }
            let name = html[name_start..i].to_ascii_lowercase();
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if bytes.get(i) != Some(&b'=') {
                out.push((tag, name, ""));
                continue;
            }
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let value = match bytes.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let end = html[i + 1..]
                        .find(q as char)
                        .map_or(html.len(), |e| i + 1 + e);
                    let value = &html[i + 1..end];
                    i = (end + 1).min(html.len());
                    value
                }
                _ => {
                    let start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    &html[start..i]
                }
            };
            out.push((tag, name, value));
        }
    }
    out
}

/// Character references decoded in one pass, as a browser does in an
/// attribute (numeric ones, and the named ones that can spell a scheme).
fn decode_entities(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| {
            let entity = &rest[1..e];
            let number = match entity.strip_prefix('#') {
                Some(n) => match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                },
                None => match entity.to_ascii_lowercase().as_str() {
                    "amp" => Some(u32::from(b'&')),
                    "colon" => Some(u32::from(b':')),
                    "tab" => Some(u32::from(b'\t')),
                    "newline" => Some(u32::from(b'\n')),
                    _ => None,
                },
            };
            number.map(|n| (char::from_u32(n).unwrap_or('\u{fffd}'), e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn excerpt(text: &str, at: usize) -> &str {
    let mut start = at.saturating_sub(80);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + 160).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    &text[start..end]
}
