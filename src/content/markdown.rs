//! Markdown bodies to HTML: pulldown-cmark with tables, footnotes,
//! strikethrough and ids on headings; links between articles resolved;
//! raw HTML left out unless the site trusts its editors; the first paragraph
//! kept as plain text for summaries.
//!
//! Internal links are resolved here, during the one pass over the events, so
//! a broken link is reported at its own line and column.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::citations::{self, Block, Cite};
use crate::diagnostics::{Code, Diagnostic, LineIndex, Location};
use crate::routes::Routes;
use crate::url_policy;

/// What an internal link's target turned out to be.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Resolution {
    /// A published article, at this URL.
    Page(String),
    /// An article that is a draft, left out of this build.
    Draft,
    Missing,
}

/// What rendering a body produces.
#[derive(Debug, Default)]
pub struct RenderedBody {
    pub html: String,
    /// The first paragraph as plain text, whitespace collapsed.
    pub first_paragraph: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// The ids the body gives its headings and footnotes, sorted.
    pub ids: Vec<String>,
    /// Each link to a part of another article: its path under `content/`
    /// and the fragment (without `#`), as written.
    pub fragments: Vec<(String, String)>,
    /// The sources the body cites, in the order first cited (which is
    /// their number), each with the ids of its citations' anchors.
    pub cited: Vec<(String, Vec<String>)>,
}

/// The context a body is rendered in.
pub struct BodyContext<'a> {
    /// The file, relative to the site root, for diagnostics.
    pub path: &'a std::path::Path,
    /// The file's path under `content/` (`2023/camp-david.md`), for relative links.
    pub rel_content: &'a str,
    /// The whole file's text and the body's byte offset in it.
    pub text: &'a str,
    pub body_offset: usize,
    pub allow_raw_html: bool,
    /// The address book: links that start with `/` are relative to the
    /// site's root, so they get its base path too.
    pub routes: &'a Routes,
    /// What the body may cite (an article's body; not the introduction).
    pub cite: Option<&'a Cite<'a>>,
    /// A footnote's link back to its reference, named in the page's
    /// language, with `{number}` (`Back to the text of note {number}`).
    pub footnote_back: &'a str,
    /// A footnote's mark, with `{number}` ("1"; Japanese "注1").
    pub footnote_mark: &'a str,
}

/// Ids the page templates use themselves; headings never take them.
pub const TEMPLATE_IDS: &[&str] = &[
    "main",
    "top",
    "site-header",
    "sources",
    "related",
    "referenced-by",
    "series-nav",
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

/// The articles a body links to: each internal link's target path under
/// `content/`, in order, once each, unresolved (what the timeline makes of
/// them is its business). A body with neither `.md` nor `@/` in it has
/// none and is not parsed, so most bodies cost one scan.
pub fn link_targets(body: &str, rel_content: &str) -> Vec<String> {
    if !body.contains(".md") && !body.contains("@/") {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for event in Parser::new_ext(body, options()) {
        let dest = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => dest_url,
            _ => continue,
        };
        if let Some(Ok((path, _))) = internal_target(dest, rel_content)
            && !out.contains(&path)
        {
            out.push(path);
        }
    }
    out
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

/// Everything one body's rendering keeps track of as its events go by.
struct BodyState<'b, 's> {
    body: &'b str,
    context: &'s BodyContext<'s>,
    resolve: &'s dyn Fn(&str) -> Resolution,
    out: RenderedBody,
    /// Only needed for diagnostics: built on the first one.
    index: std::cell::OnceCell<LineIndex<'s>>,
    ids: Ids,
    notes: HashMap<String, Note>,
    open_notes: Vec<Note>,
    cited: HashSet<String>,
    events: Vec<Event<'b>>,
    /// A heading's events are held back until its text, and so its id, is known.
    heading: Option<PendingHeading<'b>>,
    /// The first paragraph's text, while it is being read.
    paragraph: Option<String>,
    /// The paragraphs and list items open, innermost last.
    blocks: Vec<Block>,
    raw_html_reported: bool,
}

/// Renders `body`. `resolve` maps a content path (`2023/camp-david.md`) to the
/// URL of that article's page, if there is one.
pub fn render<'b>(
    body: &'b str,
    context: &BodyContext<'_>,
    resolve: &dyn Fn(&str) -> Resolution,
) -> RenderedBody {
    let mut state = BodyState {
        body,
        context,
        resolve,
        out: RenderedBody::default(),
        index: std::cell::OnceCell::new(),
        ids: Ids::default(),
        notes: HashMap::new(),
        open_notes: Vec::new(),
        cited: HashSet::new(),
        events: Vec::new(),
        heading: None,
        paragraph: None,
        blocks: Vec::new(),
        raw_html_reported: false,
    };
    for (event, range) in merged_texts(Parser::new_ext(body, options()).into_offset_iter()) {
        state.observe_block(&event, &range);
        if let (Event::Text(text), Some(cite)) = (&event, context.cite)
            && text.contains("[@")
        {
            state.cite_in(text.clone(), &range, cite);
            continue;
        }
        if let Some(event) = state.rewrite(event, &range) {
            state.collect_first_paragraph(&event);
            state.place(event);
        }
    }
    state.check_listed_sources();
    let mut out = state.out;
    out.ids = state
        .ids
        .used
        .iter()
        .filter(|id| !TEMPLATE_IDS.contains(&id.as_str()))
        .cloned()
        .collect();
    out.ids.sort_unstable();
    out.html.reserve(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out.html, state.events.into_iter());
    out
}

/// The parser's events with adjacent texts joined (pulldown-cmark splits
/// `[@K2]` at its brackets), each with its range in the body.
fn merged_texts<'b>(
    events: impl Iterator<Item = (Event<'b>, std::ops::Range<usize>)>,
) -> impl Iterator<Item = (Event<'b>, std::ops::Range<usize>)> {
    let mut events = events.peekable();
    std::iter::from_fn(move || {
        let (event, mut range) = events.next()?;
        let Event::Text(first) = event else {
            return Some((event, range));
        };
        if !matches!(events.peek(), Some((Event::Text(_), _))) {
            return Some((Event::Text(first), range));
        }
        // One growing string: boxing it again after each piece copied the
        // whole run each time, and 160,000 `[x]` (three pieces each) in one
        // paragraph took 16 s.
        let mut joined = first.into_string();
        while let Some((Event::Text(next), next_range)) = events.peek() {
            joined.push_str(next);
            range.end = next_range.end;
            events.next();
        }
        Some((Event::Text(CowStr::from(joined)), range))
    })
}

impl<'b, 's> BodyState<'b, 's> {
    /// Follows paragraphs and list items, and warns (with
    /// `require_citations`) at one that states a date or a number and
    /// cites nothing.
    fn observe_block(&mut self, event: &Event<'_>, range: &std::ops::Range<usize>) {
        match event {
            Event::Start(Tag::Paragraph | Tag::Item) => self.blocks.push(Block {
                start: range.start,
                states: false,
                cites: false,
            }),
            Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                let Some(block) = self.blocks.pop() else {
                    return;
                };
                let require = self.context.cite.is_some_and(|c| c.require);
                if require && block.states && !block.cites {
                    self.warn_uncited(block.start);
                }
            }
            // Only a site that requires citations pays for reading texts.
            Event::Text(text) if self.context.cite.is_some_and(|c| c.require) => {
                if let Some(block) = self.blocks.last_mut() {
                    let mut plain = text.to_string();
                    while let Some(citation) = citations::find(&plain, 0) {
                        plain.replace_range(citation.start..citation.end, " ");
                    }
                    block.states |= citations::states_a_date_or_number(&plain);
                }
            }
            _ => {}
        }
    }

    fn warn_uncited(&mut self, start: usize) {
        let line_end = self.body[start..]
            .find('\n')
            .map_or(self.body.len(), |e| start + e);
        let d = Diagnostic::warning(
            Code::CitationMissing,
            self.context.path,
            "this paragraph states a date or a number and cites no source",
        )
        .at(self.locate(&(start..line_end)))
        .hint("cite the source that carries it, e.g. `… in 2023 [@K2].`");
        self.out.diagnostics.push(d);
    }

    /// A text with citations in it: the text around them, and each one's
    /// HTML, numbered; an id the page cannot cite is an error at it.
    fn cite_in(&mut self, text: CowStr<'b>, range: &std::ops::Range<usize>, cite: &Cite<'_>) {
        let mut at = 0;
        while let Some(citation) = citations::find(&text, at) {
            // A citation follows its word, as a footnote mark does.
            let before = text[at..citation.start].trim_end_matches(' ');
            self.emit(Event::Text(CowStr::from(before.to_string())));
            let known = citation.cited.iter().all(|c| (cite.title)(c.id).is_some());
            if known {
                let html = citations::html(&citation, cite, |id| self.number(id));
                self.emit(Event::InlineHtml(CowStr::from(html)));
                if let Some(block) = self.blocks.last_mut() {
                    block.cites = true;
                }
            } else {
                for c in citation
                    .cited
                    .iter()
                    .filter(|c| (cite.title)(c.id).is_none())
                {
                    self.unknown_citation(c.id, range, cite);
                }
                self.emit(Event::Text(CowStr::from(
                    text[citation.start..citation.end].to_string(),
                )));
            }
            at = citation.end;
        }
        self.emit(Event::Text(CowStr::from(text[at..].to_string())));
    }

    fn emit(&mut self, event: Event<'b>) {
        if matches!(&event, Event::Text(t) if t.is_empty()) {
            return;
        }
        self.collect_first_paragraph(&event);
        self.place(event);
    }

    /// The number of the source `id` (in the order first cited) and the id
    /// of this citation's anchor.
    fn number(&mut self, id: &str) -> (usize, String) {
        let index = match self.out.cited.iter().position(|(c, _)| c == id) {
            Some(i) => i,
            None => {
                self.out.cited.push((id.to_string(), Vec::new()));
                self.out.cited.len() - 1
            }
        };
        let number = index + 1;
        let k = self.out.cited[index].1.len() + 1;
        let anchor = self.ids.claim(format!("cite-{number}-{k}"));
        self.out.cited[index].1.push(anchor.clone());
        (number, anchor)
    }

    fn unknown_citation(&mut self, id: &str, range: &std::ops::Range<usize>, cite: &Cite<'_>) {
        let needle = format!("@{id}");
        let slice = &self.body[range.clone()];
        let location = match slice.find(&needle) {
            Some(i) => self.locate(&(range.start + i..range.start + i + needle.len())),
            None => self.locate(range),
        };
        // Ids are short: `K3` for `K2` is a likely slip.
        let closest = (cite.ids.iter())
            .map(|k| {
                (
                    strsim::jaro_winkler(&id.to_lowercase(), &k.to_lowercase()),
                    *k,
                )
            })
            .filter(|(score, _)| *score >= 0.65)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, k)| k);
        let hint = match closest {
            Some(c) => format!("did you mean `[@{c}]`?"),
            None => {
                "list the source in `sources:` with this `id`, or in content/_sources.yaml".into()
            }
        };
        let d = Diagnostic::error(
            Code::CitationUnknown,
            self.context.path,
            format!("`[@{id}]` cites a source this page does not list and the site does not have"),
        )
        .at(location)
        .hint(hint);
        self.out.diagnostics.push(d);
    }

    /// Each source the page lists but the body never cites is a warning at
    /// it, when the page cites at all or the site requires citations.
    fn check_listed_sources(&mut self) {
        let Some(cite) = self.context.cite else {
            return;
        };
        if !cite.require && self.out.cited.is_empty() {
            return;
        }
        for (id, pos) in &cite.listed {
            if id.is_some_and(|id| self.out.cited.iter().any(|(c, _)| c == id)) {
                continue;
            }
            let index = self.index.get_or_init(|| LineIndex::new(self.context.text));
            let location = citations::locate(*pos, index);
            let (message, hint) = match id {
                Some(id) => (
                    format!("the source `{id}` is listed but the text never cites it"),
                    format!(
                        "cite it where the text relies on it, `[@{id}]`, or take it off the list"
                    ),
                ),
                None => (
                    "this source has no `id`, so the text cannot cite it".to_string(),
                    "give it an `id:` and cite it, `[@id]`, where the text relies on it"
                        .to_string(),
                ),
            };
            let d = Diagnostic::warning(Code::SourceUncited, self.context.path, message)
                .at(Some(location))
                .hint(hint);
            self.out.diagnostics.push(d);
        }
    }

    fn locate(&self, range: &std::ops::Range<usize>) -> Option<Location> {
        let index = self.index.get_or_init(|| LineIndex::new(self.context.text));
        Some(index.locate(self.context.body_offset + range.start, range.len().max(1)))
    }

    /// The destination's own position inside `[text](dest)`, when it is there.
    fn locate_dest(&self, range: &std::ops::Range<usize>, dest: &str) -> Option<Location> {
        let slice = &self.body[range.clone()];
        match (!dest.is_empty()).then(|| slice.rfind(dest)).flatten() {
            Some(i) => {
                let index = self.index.get_or_init(|| LineIndex::new(self.context.text));
                Some(index.locate(self.context.body_offset + range.start + i, dest.len()))
            }
            None => self.locate(range),
        }
    }

    /// Resolves links, drops raw HTML that is not trusted, and numbers
    /// footnotes. `None` drops the event.
    fn rewrite(&mut self, event: Event<'b>, range: &std::ops::Range<usize>) -> Option<Event<'b>> {
        Some(match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                dest_url: self.check_link(dest_url, range),
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
                dest_url: self.check_link(dest_url, range),
                link_type,
                title,
                id,
            }),
            Event::Html(html) | Event::InlineHtml(html) if !self.context.allow_raw_html => {
                self.report_raw_html(&html, range);
                return None;
            }
            Event::FootnoteReference(label) => self.footnote_reference(&label),
            Event::Start(Tag::FootnoteDefinition(label)) => self.footnote_start(&label),
            Event::End(TagEnd::FootnoteDefinition) => self.footnote_end(),
            other => other,
        })
    }

    fn report_raw_html(&mut self, html: &str, range: &std::ops::Range<usize>) {
        let is_comment = html.trim_start().starts_with("<!--");
        if is_comment || self.raw_html_reported {
            return;
        }
        self.raw_html_reported = true;
        let diagnostic = Diagnostic::warning(
            Code::RawHtml,
            self.context.path,
            "raw HTML is left out of the page",
        )
        .at(self.locate(range))
        .hint("write it in markdown, or set `allow_raw_html: true` in content/_index.md if every editor is trusted");
        self.out.diagnostics.push(diagnostic);
    }

    /// A citation of a footnote: numbered as notes first appear, with an id
    /// of its own so the note can link back.
    fn footnote_reference(&mut self, label: &str) -> Event<'b> {
        let note = note_for(&mut self.notes, &mut self.ids, label);
        // The first citation takes the id reserved for it.
        let id = if self.cited.insert(label.to_string()) {
            note.ref_id.clone()
        } else {
            self.ids.claim(note.ref_id.clone())
        };
        Event::InlineHtml(CowStr::from(format!(
            "<sup class=\"footnote-reference\" id=\"{id}\"><a href=\"#{}\">{}</a></sup>",
            note.id,
            self.mark(note.number)
        )))
    }

    /// A footnote's mark in the page's language, as HTML text.
    fn mark(&self, number: usize) -> String {
        let mark = crate::i18n::fill(
            self.context.footnote_mark,
            &[("number", &number.to_string())],
        );
        html_escape::encode_text(&mark).into_owned()
    }

    fn footnote_start(&mut self, label: &str) -> Event<'b> {
        let note = note_for(&mut self.notes, &mut self.ids, label);
        let html = format!(
            "<div class=\"footnote-definition\" id=\"{}\"><sup class=\"footnote-definition-label\">{}</sup>\n",
            note.id,
            self.mark(note.number)
        );
        self.open_notes.push(note);
        Event::Html(CowStr::from(html))
    }

    fn footnote_end(&mut self) -> Event<'b> {
        let html = match self.open_notes.pop() {
            Some(note) => {
                let label = crate::i18n::fill(
                    self.context.footnote_back,
                    &[("number", &note.number.to_string())],
                );
                format!(
                    "<a class=\"footnote-backref\" href=\"#{}\" aria-label=\"{}\">↩</a></div>\n",
                    note.ref_id,
                    html_escape::encode_double_quoted_attribute(&label)
                )
            }
            None => "</div>\n".to_string(),
        };
        Event::Html(CowStr::from(html))
    }

    /// Keeps the first paragraph's text, for a summary.
    fn collect_first_paragraph(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::Paragraph)
                if self.out.first_paragraph.is_none() && self.paragraph.is_none() =>
            {
                self.paragraph = Some(String::new());
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(text) = self.paragraph.take() {
                    let text = excerpt(&text, SUMMARY_WORDS);
                    if !text.is_empty() {
                        self.out.first_paragraph = Some(text);
                    }
                }
            }
            e => {
                if let Some(p) = self.paragraph.as_mut() {
                    push_plain(e, p);
                }
            }
        }
    }

    /// Adds an event to the output, holding a heading's back until its id is
    /// known.
    fn place(&mut self, event: Event<'b>) {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.heading = Some(PendingHeading {
                    level,
                    id,
                    classes,
                    attrs,
                    inner: Vec::new(),
                })
            }
            Event::End(TagEnd::Heading(_)) if self.heading.is_some() => {
                let heading = self.heading.take().expect("checked");
                self.close_heading(heading);
            }
            e => match self.heading.as_mut() {
                Some(h) => h.inner.push(e),
                None => self.events.push(e),
            },
        }
    }

    /// A heading gets its id from its text (or `{#id}`), unique on the page.
    fn close_heading(&mut self, heading: PendingHeading<'b>) {
        let PendingHeading {
            level,
            id,
            classes,
            attrs,
            inner,
        } = heading;
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
        let unique = self.ids.claim(wanted);
        self.events.push(Event::Start(Tag::Heading {
            level,
            id: Some(unique.into()),
            classes,
            attrs,
        }));
        self.events.extend(inner);
        self.events.push(Event::End(TagEnd::Heading(level)));
    }

    /// Resolves an internal link, refuses an address outside the URL
    /// policy, and gives links from the site's root the base path.
    fn check_link(&mut self, dest: CowStr<'b>, range: &std::ops::Range<usize>) -> CowStr<'b> {
        if let Err(refused) = url_policy::check(&dest) {
            let diagnostic = Diagnostic::error(
                Code::UrlRefused,
                self.context.path,
                format!("this link's address is refused: {}", refused.message()),
            )
            .at(self.locate_dest(range, &dest))
            .hint(url_policy::HINT);
            self.out.diagnostics.push(diagnostic);
            return CowStr::Borrowed("#");
        }
        match internal_target(&dest, self.context.rel_content) {
            None if dest.starts_with('/') && !dest.starts_with("//") => {
                CowStr::from(self.context.routes.from_root(&dest))
            }
            None => dest,
            Some(Ok((path, fragment))) => match (self.resolve)(&path) {
                Resolution::Page(url) => {
                    if let Some(f) = fragment.strip_prefix('#').filter(|f| !f.is_empty()) {
                        self.out.fragments.push((path.clone(), f.to_string()));
                    }
                    CowStr::from(format!("{url}{fragment}"))
                }
                Resolution::Draft => self.broken(
                    Code::LinkToDraft,
                    format!("this link points to a draft (content/{path}), which is not published"),
                    "publish the draft (remove `draft: true`) or remove the link; `--drafts` builds drafts too",
                    range,
                    &dest,
                ),
                Resolution::Missing => self.broken(
                    Code::BrokenLink,
                    format!("broken internal link: no article at content/{path}"),
                    "link to another article as `@/<year>/<name>.md`, the path of its file under content/",
                    range,
                    &dest,
                ),
            },
            Some(Err(reason)) => self.broken(
                Code::BrokenLink,
                format!("broken internal link: {reason}"),
                "link to another article as `@/<year>/<name>.md`, the path of its file under content/",
                range,
                &dest,
            ),
        }
    }

    fn broken(
        &mut self,
        code: Code,
        message: String,
        hint: &str,
        range: &std::ops::Range<usize>,
        dest: &str,
    ) -> CowStr<'b> {
        let diagnostic = Diagnostic::error(code, self.context.path, message)
            .at(self.locate_dest(range, dest))
            .hint(hint);
        self.out.diagnostics.push(diagnostic);
        CowStr::Borrowed("#")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};
    use std::path::Path;

    fn render_with(body: &str, allow_raw_html: bool, routes: &Routes) -> RenderedBody {
        let text = format!("---\ntitle: x\n---\n{body}");
        let context = BodyContext {
            path: Path::new("content/2023/a.md"),
            rel_content: "2023/a.md",
            text: &text,
            body_offset: 16,
            allow_raw_html,
            routes,
            cite: None,
            footnote_back: "Back to the text of note {number}",
            footnote_mark: "{number}",
        };
        let resolve = |p: &str| match p {
            "2023/b.md" | "2022/c.md" => {
                Resolution::Page(format!("/{}/", p.trim_end_matches(".md")))
            }
            "2023/draft.md" => Resolution::Draft,
            _ => Resolution::Missing,
        };
        render(&text[16..], &context, &resolve)
    }

    fn render_body(body: &str, allow_raw_html: bool) -> RenderedBody {
        render_with(body, allow_raw_html, &Routes::new(None))
    }

    /// The values of `attr` on the elements `css` selects, in order.
    fn attrs(html: &str, css: &str, attr: &str) -> Vec<String> {
        let doc = Html::parse_fragment(html);
        doc.select(&Selector::parse(css).unwrap())
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    fn count(html: &str, css: &str) -> usize {
        Html::parse_fragment(html)
            .select(&Selector::parse(css).unwrap())
            .count()
    }

    fn codes(r: &RenderedBody) -> Vec<Code> {
        r.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn internal_links_resolve() {
        let r = render_body(
            "See [b](@/2023/b.md), [c](../2022/c.md#x) and [b](b.md).\n",
            false,
        );
        assert_eq!(
            attrs(&r.html, "a", "href"),
            ["/2023/b/", "/2022/c/#x", "/2023/b/"]
        );
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn broken_links_are_located() {
        let r = render_body("Intro.\n\nSee [b](@/2023/nope.md) now.\n", false);
        assert_eq!(codes(&r), [Code::BrokenLink]);
        let loc = r.diagnostics[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.col, loc.width), (6, 9, 14));
        assert_eq!(attrs(&r.html, "a", "href"), ["#"]);
    }

    #[test]
    fn links_to_drafts_say_so() {
        let r = render_body("See [d](draft.md) and [n](nope.md).\n", false);
        assert_eq!(codes(&r), [Code::LinkToDraft, Code::BrokenLink]);
        assert_eq!(r.diagnostics[0].location.as_ref().unwrap().col, 9);
        assert_eq!(r.diagnostics[1].location.as_ref().unwrap().col, 27);
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = render_body(
            "## Why it mattered\n\n## Why it mattered\n\n## Sources\n\n## Custom {#mine}\n",
            false,
        );
        assert_eq!(
            attrs(&r.html, "h2", "id"),
            ["why-it-mattered", "why-it-mattered-1", "sources-1", "mine"]
        );
    }

    #[test]
    fn raw_html_is_left_out_unless_allowed() {
        let r = render_body("Text <b>bold</b>\n\n<script>alert(1)</script>\n", false);
        assert_eq!(count(&r.html, "script, b"), 0, "{}", r.html);
        assert_eq!(codes(&r), [Code::RawHtml]);
        let r = render_body("Text <b>bold</b>\n", true);
        assert_eq!(count(&r.html, "p > b"), 1);
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn addresses_outside_the_policy_are_refused() {
        let r = render_body(
            "[x](javascript:alert(1)) [y]( JAVASCRIPT:x) [z](ftp://example.org) ![i](data:image/png;base64,AA)\n",
            false,
        );
        assert_eq!(
            attrs(&r.html, "a", "href")
                .into_iter()
                .chain(attrs(&r.html, "img", "src"))
                .collect::<Vec<_>>(),
            ["#", "#", "#", "#"]
        );
        assert_eq!(codes(&r), [Code::UrlRefused; 4]);
        let r = render_body(
            "[m](mailto:desk@example.org) [w](https://example.org)\n",
            false,
        );
        assert!(r.diagnostics.is_empty());
        assert_eq!(
            attrs(&r.html, "a", "href"),
            ["mailto:desk@example.org", "https://example.org"]
        );
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
        assert_eq!(attrs(html, "h2", "id"), ["main-1"]);
        assert_eq!(
            attrs(html, "sup.footnote-reference", "id"),
            ["fnref-main", "fnref-main-1", "fnref-2"]
        );
        assert_eq!(
            attrs(html, "sup.footnote-reference a", "href"),
            ["#fn-main", "#fn-main", "#fn-2"]
        );
        assert_eq!(
            attrs(html, "div.footnote-definition", "id"),
            ["fn-2", "fn-main"]
        );
        assert_eq!(
            attrs(html, "a.footnote-backref", "href"),
            ["#fnref-2", "#fnref-main"]
        );
        assert_eq!(
            attrs(html, "a.footnote-backref", "aria-label"),
            ["Back to the text of note 2", "Back to the text of note 1"]
        );
        assert_eq!(count(html, "#main"), 0);
    }

    #[test]
    fn root_relative_links_get_the_base_path() {
        let routes = Routes::new(Some("https://example.org/news"));
        let r = render_with(
            "![map](/images/map.svg) [home](/) [cdn](//cdn.example.org/x) [rel](images/y.png)\n",
            false,
            &routes,
        );
        assert_eq!(attrs(&r.html, "img", "src"), ["/news/images/map.svg"]);
        assert_eq!(
            attrs(&r.html, "a", "href"),
            ["/news/", "//cdn.example.org/x", "images/y.png"]
        );
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
        assert_eq!(count(&r.html, "table td"), 2);
        assert_eq!(count(&r.html, "del"), 1);
        assert_eq!(count(&r.html, ".footnote-definition"), 1);
    }
}
