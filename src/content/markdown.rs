//! Markdown bodies to HTML: pulldown-cmark with tables, footnotes,
//! strikethrough and ids on headings; links between articles resolved;
//! raw HTML left out unless the site trusts its editors; the first paragraph
//! kept as plain text for summaries.
//!
//! Internal links are resolved here, during the one pass over the events, so
//! a broken link is reported at its own line and column.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, LineIndex};

/// What an internal link's target turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// A published article, at this URL.
    Page(String),
    /// An article that is a draft, left out of this build.
    Draft,
    Missing,
}

/// What rendering a body produces.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// The first paragraph as plain text, whitespace collapsed.
    pub first_paragraph: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The context a body is rendered in.
pub struct Source<'a> {
    /// The file, relative to the site root, for diagnostics.
    pub path: &'a std::path::Path,
    /// The file's path under `content/` (`2023/camp-david.md`), for relative links.
    pub rel_content: &'a str,
    /// The whole file's text and the body's byte offset in it.
    pub text: &'a str,
    pub body_offset: usize,
    pub allow_raw_html: bool,
    /// The path the site is published under (`/news`, or empty): links that
    /// start with `/` are relative to the site's root, so they get it too.
    pub base_path: &'a str,
}

/// Ids the page templates use themselves; headings never take them.
pub const TEMPLATE_IDS: &[&str] = &[
    "main",
    "top",
    "site-header",
    "sources",
    "related",
    "article-nav",
    "years",
    "upcoming",
    "article-title",
];

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Where an internal link points, if it is one: the target's path under
/// `content/`, resolved against the linking file. `Err` holds why a target
/// that looks internal cannot be resolved.
pub fn internal_target(dest: &str, rel_content: &str) -> Option<Result<(String, String), String>> {
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, format!("#{f}")),
        None => (dest, String::new()),
    };
    if let Some(rest) = path.strip_prefix("@/") {
        return Some(normalise(rest).map(|p| (p, fragment)));
    }
    if has_scheme(path) || path.starts_with('/') || !path.ends_with(".md") {
        return None;
    }
    let dir = rel_content.rsplit_once('/').map_or("", |(d, _)| d);
    let joined = if dir.is_empty() {
        path.to_string()
    } else {
        format!("{dir}/{path}")
    };
    Some(normalise(&joined).map(|p| (p, fragment)))
}

fn normalise(path: &str) -> Result<String, String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err("it points outside the content folder".into());
                }
            }
            p => parts.push(p),
        }
    }
    Ok(parts.join("/"))
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Schemes that run code or smuggle documents when clicked.
pub fn is_dangerous_url(dest: &str) -> bool {
    let cleaned: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| cleaned.starts_with(s))
}

/// A summary taken from the body stops after this many words.
pub const SUMMARY_WORDS: usize = 80;

/// The first `words` words of `text`, whitespace collapsed, with `…` if cut.
fn excerpt(text: &str, words: usize) -> String {
    let mut out: Vec<&str> = text.split_whitespace().take(words + 1).collect();
    if out.len() > words {
        out.truncate(words);
        let mut cut = out.join(" ");
        cut.truncate(
            cut.trim_end_matches(|c: char| c.is_ascii_punctuation())
                .len(),
        );
        cut.push('…');
        return cut;
    }
    out.join(" ")
}

/// Plain text of inline events (for heading ids and summaries).
fn push_plain(event: &Event<'_>, out: &mut String) {
    match event {
        Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
            out.push_str(t)
        }
        Event::SoftBreak | Event::HardBreak => out.push(' '),
        _ => {}
    }
}

/// The ids of one page's body: unique among themselves and never one the
/// templates use.
struct Ids {
    used: HashSet<String>,
    /// The next suffix to try for each wanted id, so a thousand headings of
    /// one name cost a thousand lookups, not half a million.
    next_suffix: HashMap<String, usize>,
}

impl Default for Ids {
    fn default() -> Self {
        Ids {
            used: TEMPLATE_IDS.iter().map(|s| s.to_string()).collect(),
            next_suffix: HashMap::new(),
        }
    }
}

impl Ids {
    /// `wanted` if it is free, else `wanted-1`, `wanted-2`…
    fn claim(&mut self, wanted: String) -> String {
        let mut unique = wanted.clone();
        let n = self.next_suffix.entry(wanted.clone()).or_insert(1);
        while !self.used.insert(unique.clone()) {
            unique = format!("{wanted}-{n}");
            *n += 1;
        }
        unique
    }
}

/// A footnote: its number, its id, and the id of its first citation.
#[derive(Debug, Clone)]
struct Note {
    number: usize,
    id: String,
    ref_id: String,
}

fn note_for(notes: &mut HashMap<String, Note>, ids: &mut Ids, label: &str) -> Note {
    if let Some(note) = notes.get(label) {
        return note.clone();
    }
    let number = notes.len() + 1;
    let base = match slug::slugify(label) {
        s if s.is_empty() => number.to_string(),
        s => s,
    };
    let note = Note {
        number,
        id: ids.claim(format!("fn-{base}")),
        // Reserved now, so the note can link back even when it comes first.
        ref_id: ids.claim(format!("fnref-{base}")),
    };
    notes.insert(label.to_string(), note.clone());
    note
}

/// A heading whose events are held back until its id is known.
struct PendingHeading<'a> {
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    inner: Vec<Event<'a>>,
}

/// Renders `body`. `resolve` maps a content path (`2023/camp-david.md`) to the
/// URL of that article's page, if there is one.
pub fn render<'b>(
    body: &'b str,
    source: &Source<'_>,
    resolve: &dyn Fn(&str) -> Resolution,
) -> Rendered {
    let mut out = Rendered::default();
    // Only needed for diagnostics: built on the first one.
    let index = std::cell::OnceCell::new();
    let index = || index.get_or_init(|| LineIndex::new(source.text));
    let mut ids = Ids::default();
    let mut notes: HashMap<String, Note> = HashMap::new();
    let mut open_notes: Vec<Note> = Vec::new();
    let mut cited: HashSet<String> = HashSet::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    // A heading's events are held back until its text, and so its id, is known.
    let mut heading: Option<PendingHeading<'_>> = None;
    let mut paragraph: Option<String> = None;
    let mut raw_html_reported = false;

    let locate = |range: &std::ops::Range<usize>| {
        Some(index().locate(source.body_offset + range.start, range.len().max(1)))
    };
    // The destination's own position inside `[text](dest)`, when it is there.
    let locate_dest = |range: &std::ops::Range<usize>, dest: &str| {
        let slice = &body[range.clone()];
        let at = if dest.is_empty() {
            None
        } else {
            slice.rfind(dest)
        };
        match at {
            Some(i) => Some(index().locate(source.body_offset + range.start + i, dest.len())),
            None => locate(range),
        }
    };

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let mut check_dest = |dest: CowStr<'b>| -> CowStr<'b> {
            check_link(&dest, source, resolve, &mut out.diagnostics, || {
                locate_dest(&range, &dest)
            })
        };
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                dest_url: check_dest(dest_url),
                link_type,
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                dest_url: check_dest(dest_url),
                link_type,
                title,
                id,
            }),
            Event::Html(html) | Event::InlineHtml(html) if !source.allow_raw_html => {
                let is_comment = html.trim_start().starts_with("<!--");
                if !is_comment && !raw_html_reported {
                    raw_html_reported = true;
                    out.diagnostics.push(
                        Diagnostic::warning(source.path, "raw HTML is left out of the page")
                            .at(locate(&range))
                            .hint("write it in markdown, or set `allow_raw_html: true` in content/_index.md if every editor is trusted"),
                    );
                }
                continue;
            }
            // Footnotes get ids of their own, numbered as they appear, and a
            // way back from each note to where it was cited.
            Event::FootnoteReference(label) => {
                let note = note_for(&mut notes, &mut ids, &label);
                // The first citation takes the id reserved for it.
                let id = if cited.insert(label.to_string()) {
                    note.ref_id.clone()
                } else {
                    ids.claim(note.ref_id.clone())
                };
                Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"footnote-reference\" id=\"{id}\"><a href=\"#{}\">{}</a></sup>",
                    note.id, note.number
                )))
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let note = note_for(&mut notes, &mut ids, &label);
                let html = format!(
                    "<div class=\"footnote-definition\" id=\"{}\"><sup class=\"footnote-definition-label\">{}</sup>\n",
                    note.id, note.number
                );
                open_notes.push(note);
                Event::Html(CowStr::from(html))
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                let html = match open_notes.pop() {
                    Some(note) => format!(
                        "<a class=\"footnote-backref\" href=\"#{}\" aria-label=\"Back to the text of note {}\">↩</a></div>\n",
                        note.ref_id, note.number
                    ),
                    None => "</div>\n".to_string(),
                };
                Event::Html(CowStr::from(html))
            }
            other => other,
        };

        // Collect the first paragraph's text.
        match &event {
            Event::Start(Tag::Paragraph)
                if out.first_paragraph.is_none() && paragraph.is_none() =>
            {
                paragraph = Some(String::new());
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(text) = paragraph.take() {
                    let text = excerpt(&text, SUMMARY_WORDS);
                    if !text.is_empty() {
                        out.first_paragraph = Some(text);
                    }
                }
            }
            e => {
                if let Some(p) = paragraph.as_mut() {
                    push_plain(e, p);
                }
            }
        }

        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some(PendingHeading {
                    level,
                    id,
                    classes,
                    attrs,
                    inner: Vec::new(),
                })
            }
            Event::End(TagEnd::Heading(_)) if heading.is_some() => {
                let PendingHeading {
                    level,
                    id,
                    classes,
                    attrs,
                    inner,
                } = heading.take().expect("checked");
                let mut text = String::new();
                inner.iter().for_each(|e| push_plain(e, &mut text));
                let wanted = id.map(|i| i.to_string()).unwrap_or_else(|| {
                    let s = slug::slugify(&text);
                    if s.is_empty() {
                        "section".to_string()
                    } else {
                        s
                    }
                });
                let unique = ids.claim(wanted);
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(unique.into()),
                    classes,
                    attrs,
                }));
                events.extend(inner);
                events.push(Event::End(TagEnd::Heading(level)));
            }
            e => match heading.as_mut() {
                Some(h) => h.inner.push(e),
                None => events.push(e),
            },
        }
    }
    out.html.reserve(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out
}

/// Resolves an internal link, refuses a dangerous one, leaves others as
/// they are.
fn check_link<'a>(
    dest: &CowStr<'a>,
    source: &Source<'_>,
    resolve: &dyn Fn(&str) -> Resolution,
    diagnostics: &mut Vec<Diagnostic>,
    locate: impl Fn() -> Option<crate::diagnostics::Location>,
) -> CowStr<'a> {
    if is_dangerous_url(dest) {
        diagnostics.push(
            Diagnostic::error(source.path, "this link's address could run a script when clicked")
                .at(locate())
                .hint("links may use http:, https:, mailto: or a path; `javascript:`, `vbscript:` and `data:` are refused"),
        );
        return CowStr::Borrowed("#");
    }
    match internal_target(dest, source.rel_content) {
        None if dest.starts_with('/')
            && !dest.starts_with("//")
            && !source.base_path.is_empty() =>
        {
            CowStr::from(format!("{}{dest}", source.base_path))
        }
        None => dest.clone(),
        Some(Ok((path, fragment))) => match resolve(&path) {
            Resolution::Page(url) => CowStr::from(format!("{url}{fragment}")),
            Resolution::Draft => {
                diagnostics.push(
                    Diagnostic::error(
                        source.path,
                        format!("this link points to a draft (content/{path}), which is not published"),
                    )
                    .at(locate())
                    .hint("publish the draft (remove `draft: true`) or remove the link; `--drafts` builds drafts too"),
                );
                CowStr::Borrowed("#")
            }
            Resolution::Missing => {
                diagnostics.push(
                    Diagnostic::error(
                        source.path,
                        format!("broken internal link: no article at content/{path}"),
                    )
                    .at(locate())
                    .hint("link to another article as `@/<year>/<name>.md`, the path of its file under content/"),
                );
                CowStr::Borrowed("#")
            }
        },
        Some(Err(reason)) => {
            diagnostics.push(
                Diagnostic::error(source.path, format!("broken internal link: {reason}"))
                    .at(locate()),
            );
            CowStr::Borrowed("#")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn render_body(body: &str, allow_raw_html: bool) -> Rendered {
        let text = format!("---\ntitle: x\n---\n{body}");
        let source = Source {
            path: Path::new("content/2023/a.md"),
            rel_content: "2023/a.md",
            text: &text,
            body_offset: 16,
            allow_raw_html,
            base_path: "",
        };
        let resolve = |p: &str| match p {
            "2023/b.md" | "2022/c.md" => {
                Resolution::Page(format!("/{}/", p.trim_end_matches(".md")))
            }
            "2023/draft.md" => Resolution::Draft,
            _ => Resolution::Missing,
        };
        render(&text[16..], &source, &resolve)
    }

    #[test]
    fn internal_links_resolve() {
        let r = render_body(
            "See [b](@/2023/b.md), [c](../2022/c.md#x) and [b](b.md).\n",
            false,
        );
        assert!(r.html.contains(r#"href="/2023/b/""#), "{}", r.html);
        assert!(r.html.contains(r#"href="/2022/c/#x""#), "{}", r.html);
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn broken_links_are_located() {
        let r = render_body("Intro.\n\nSee [b](@/2023/nope.md) now.\n", false);
        let d = &r.diagnostics[0];
        let loc = d.location.as_ref().unwrap();
        assert_eq!((loc.line, loc.col, loc.width), (6, 9, 14));
        assert!(d.message.contains("content/2023/nope.md"));
    }

    #[test]
    fn links_to_drafts_say_so() {
        let r = render_body("See [d](draft.md).\n", false);
        assert!(r.diagnostics[0].message.contains("draft"));
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = render_body(
            "## Why it mattered\n\n## Why it mattered\n\n## Sources\n\n## Custom {#mine}\n",
            false,
        );
        assert!(
            r.html.contains(r#"<h2 id="why-it-mattered">"#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"<h2 id="why-it-mattered-1">"#));
        assert!(r.html.contains(r#"<h2 id="sources-1">"#));
        assert!(r.html.contains(r#"<h2 id="mine">"#));
    }

    #[test]
    fn raw_html_is_left_out_unless_allowed() {
        let r = render_body("Text <b>bold</b>\n\n<script>alert(1)</script>\n", false);
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("<b>"));
        assert_eq!(r.diagnostics.len(), 1);
        let r = render_body("Text <b>bold</b>\n", true);
        assert!(r.html.contains("<b>bold</b>"));
    }

    #[test]
    fn dangerous_links_are_refused() {
        let r = render_body("[x](javascript:alert(1)) [y]( JAVASCRIPT:x)\n", false);
        assert!(!r.html.to_lowercase().contains("javascript"), "{}", r.html);
        assert!(!r.diagnostics.is_empty());
    }

    #[test]
    fn first_paragraph_is_plain_text() {
        let r = render_body(
            "## Head\n\nThe *three* leaders met\nat [Camp David](https://x.org).\n\nMore.\n",
            false,
        );
        assert_eq!(
            r.first_paragraph.as_deref(),
            Some("The three leaders met at Camp David.")
        );
    }

    #[test]
    fn footnote_ids_never_clash_with_the_page() {
        let r = render_body(
            "## Main\n\nText[^main] and more[^main], also[^2].\n\n[^2]: Two.\n[^main]: The note.\n",
            false,
        );
        let html = &r.html;
        assert!(html.contains(r#"<h2 id="main-1">"#), "{html}");
        assert!(html.contains(r##"<sup class="footnote-reference" id="fnref-main"><a href="#fn-main">1</a></sup>"##), "{html}");
        assert!(
            html.contains(r##"id="fnref-main-1"><a href="#fn-main">1</a>"##),
            "{html}"
        );
        assert!(html.contains(r#"<div class="footnote-definition" id="fn-main"><sup class="footnote-definition-label">1</sup>"#), "{html}");
        assert!(
            html.contains(r##"href="#fnref-main" aria-label="Back to the text of note 1""##),
            "{html}"
        );
        assert!(
            html.contains(r#"id="fn-2"><sup class="footnote-definition-label">2</sup>"#),
            "{html}"
        );
        assert!(!html.contains(r#"id="main""#));
    }

    #[test]
    fn root_relative_links_get_the_base_path() {
        let text = "---\ntitle: x\n---\n![map](/images/map.svg) [home](/) [cdn](//cdn.example.org/x) [rel](images/y.png)\n";
        let source = Source {
            path: Path::new("content/2023/a.md"),
            rel_content: "2023/a.md",
            text,
            body_offset: 16,
            allow_raw_html: false,
            base_path: "/news",
        };
        let r = render(&text[16..], &source, &|_| Resolution::Missing);
        assert!(
            r.html.contains(r#"src="/news/images/map.svg""#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"href="/news/""#));
        assert!(r.html.contains(r#"href="//cdn.example.org/x""#));
        assert!(r.html.contains(r#"href="images/y.png""#));
    }

    #[test]
    fn a_long_first_paragraph_is_cut_for_the_summary() {
        let long = "word, ".repeat(500);
        let r = render_body(&format!("{long}\n"), false);
        let summary = r.first_paragraph.unwrap();
        assert_eq!(summary.split_whitespace().count(), SUMMARY_WORDS);
        assert!(summary.ends_with("word…"), "{summary}");
        assert_eq!(excerpt("a  b\nc", 3), "a b c");
    }

    #[test]
    fn tables_footnotes_strikethrough() {
        let r = render_body(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ new[^1]\n\n[^1]: Note.\n",
            false,
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("footnote"));
    }
}
