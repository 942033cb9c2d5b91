//! The articles' bodies and the site's introduction: markdown rendered to
//! HTML with its internal links resolved (the link index), and the cache
//! that makes a body only when it is asked for. The timeline is plain data
//! and knows nothing of this: [`Bodies`] is kept beside it, one per
//! language, and indexed as its entries are.
//!
//! Memory follows the content, not the HTML: an article's page asks for
//! its own body (so one body at a time is held, not the site's), takes its
//! HTML and lets it go once the page is made; what is worth keeping of a
//! body, its [`BodyRecord`], stays (and goes to the engine's memo), and
//! [`Bodies::body_diagnostics`] renders any body not rendered yet.

use std::cell::RefCell;
use std::sync::{Arc, Mutex, OnceLock};

// foldhash: looked into once per internal link, never walked, so its
// order never reaches the output.
use foldhash::HashMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::content::Texts;
use crate::content::citations::Cite;
use crate::content::markdown::{self, RenderedBody, Resolution};
use crate::diagnostics::{Code, Diagnostic, LineIndex, did_you_mean};
use crate::files::SETTINGS_FILE;
use crate::fingerprint::{self, Fingerprint};
use crate::model::{Article, Source};
use crate::routes::Routes;
use crate::timeline::{Timeline, content_path};

/// What rendering a body gives that is worth keeping between builds: all
/// but the HTML itself, which is made again only when a page needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyRecord {
    /// The hash of the HTML.
    pub hash: Fingerprint,
    pub first_paragraph: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Each internal link the body makes, and what it resolved to: the
    /// record holds only while every one still resolves the same.
    pub links: Vec<(String, Resolution)>,
    /// The ids of its headings and footnotes, sorted.
    pub ids: Vec<String>,
    /// Its links to parts of other articles: (path under `content/`,
    /// fragment), checked once every body's ids are known.
    pub fragments: Vec<(String, String)>,
    /// The sources the body cites, in the order first cited, each with
    /// its citations' anchor ids.
    pub cited: Vec<(String, Vec<String>)>,
    /// The fingerprint of all the above, made with them (the keys of the
    /// pages that show the body name it, every build).
    pub key: Fingerprint,
}

/// A body rendered before for an article with the same bytes, if known.
pub type BodyMemo<'a> = &'a (dyn Fn(&Article) -> Option<Arc<BodyRecord>> + Sync);

/// A body of an entry: its record once known, and its HTML once rendered.
#[derive(Debug, Default)]
struct Body {
    /// From the engine's memo (an earlier build rendered the same bytes
    /// with the same links), or set when the body is first rendered.
    record: OnceLock<Arc<BodyRecord>>,
    /// Rendered with the record and held until the one page that shows it
    /// takes it; rendered again if anything asks later.
    html: Mutex<Option<String>>,
}

/// Where internal links lead, by the target's path under `content/`: a
/// published article's page, or a draft left out.
#[derive(Debug, Default)]
struct LinkIndex {
    by_path: HashMap<String, Resolution>,
}

const MISSING: Resolution = Resolution::Missing;

impl LinkIndex {
    fn new(timeline: &Timeline) -> LinkIndex {
        let routes = &timeline.routes;
        let drafts = (timeline.drafts.iter()).map(|a| (content_path(a), Resolution::Draft));
        let pages = (timeline.entries.iter())
            .map(|e| &e.article)
            .map(|a| (content_path(a), Resolution::Page(routes.article(&a.id).url)));
        LinkIndex {
            by_path: drafts.chain(pages).collect(),
        }
    }

    fn resolve(&self, path: &str) -> &Resolution {
        self.by_path.get(path).unwrap_or(&MISSING)
    }
}

/// The bodies of one timeline's entries (by entry index), rendered when
/// asked for, and its introduction. Every method that renders is given
/// the timeline the bodies were made for.
#[derive(Debug)]
pub struct Bodies {
    /// The site's introduction, from `_index.md`'s body.
    pub intro_html: String,
    bodies: Vec<Body>,
    links: LinkIndex,
    texts: Texts,
}

impl Bodies {
    /// The bodies of `timeline`'s entries: those `memo` offers whose links
    /// all still resolve the same are known; the others are rendered when
    /// asked for, from the files `texts` reads. The introduction is
    /// rendered now, its diagnostics to `diagnostics`.
    pub fn new(
        timeline: &Timeline,
        memo: BodyMemo<'_>,
        texts: Texts,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Bodies {
        let links = LinkIndex::new(timeline);
        let intro_html = intro_html(&timeline.settings, &timeline.routes, &links, diagnostics);
        let bodies = (timeline.entries.iter())
            .map(|e| body_of(&links, &e.article, memo))
            .collect();
        Bodies {
            intro_html,
            bodies,
            links,
            texts,
        }
    }

    /// The record of entry `index`'s body: known, or rendered now (its
    /// HTML is then held for the page that shows it).
    pub fn body(&self, timeline: &Timeline, index: usize) -> Result<&BodyRecord, Diagnostic> {
        let body = &self.bodies[index];
        if let Some(record) = body.record.get() {
            return Ok(record);
        }
        let (record, html) = self.render_body(timeline, index)?;
        if body.record.set(Arc::new(record)).is_ok() {
            *lock(&body.html) = Some(html);
        }
        Ok(body.record.get().expect("set just now"))
    }

    /// Lets go of entry `index`'s body HTML, if it is held (its page
    /// stood unchanged, so nothing took it).
    pub fn release_body_html(&self, index: usize) {
        lock(&self.bodies[index].html).take();
    }

    /// The record of entry `index`'s body, if it is known.
    pub fn body_record(&self, index: usize) -> Option<&Arc<BodyRecord>> {
        self.bodies[index].record.get()
    }

    /// The HTML of entry `index`'s body: the one rendered with its record,
    /// given up to the caller, or rendered now (its record came from a cache,
    /// or a page took it already).
    pub fn body_html(&self, timeline: &Timeline, index: usize) -> Result<String, Diagnostic> {
        if let Some(html) = lock(&self.bodies[index].html).take() {
            return Ok(html);
        }
        self.render_body(timeline, index).map(|(_, html)| html)
    }

    fn render_body(
        &self,
        timeline: &Timeline,
        index: usize,
    ) -> Result<(BodyRecord, String), Diagnostic> {
        let article = &timeline.entries[index].article;
        let text = self.texts.read(article)?;
        Ok(render_body(
            &timeline.settings,
            &timeline.routes,
            &self.links,
            article,
            &text,
        ))
    }

    /// The summary of entry `index`: its front matter's, else its body's
    /// first paragraph (empty if the body is not rendered yet).
    pub fn summary<'a>(&'a self, timeline: &'a Timeline, index: usize) -> &'a str {
        timeline.entries[index]
            .article
            .summary
            .as_deref()
            .or_else(|| self.body_record(index)?.first_paragraph.as_deref())
            .unwrap_or("")
    }

    /// Links to a part of another article (`camp-david.md#outcomes`) whose
    /// target has no such id: errors at the link, once every body's ids are
    /// known (after the pages are made). Bodies not rendered are skipped.
    pub fn fragment_diagnostics(&self, timeline: &Timeline) -> Vec<Diagnostic> {
        let by_path: HashMap<String, usize> = (timeline.entries.iter())
            .enumerate()
            .map(|(i, e)| (content_path(&e.article), i))
            .collect();
        let mut out = Vec::new();
        for (i, e) in timeline.entries.iter().enumerate() {
            let Some(record) = self.body_record(i) else {
                continue;
            };
            for (path, fragment) in &record.fragments {
                let Some(target) = by_path.get(path).and_then(|&j| self.body_record(j)) else {
                    continue;
                };
                let known = target.ids.binary_search(fragment).is_ok()
                    || markdown::TEMPLATE_IDS.contains(&fragment.as_str());
                if !known {
                    out.push(self.missing_fragment(&e.article, path, fragment, &target.ids));
                }
            }
        }
        out
    }

    fn missing_fragment(
        &self,
        a: &Article,
        path: &str,
        fragment: &str,
        ids: &[String],
    ) -> Diagnostic {
        let written = format!("#{fragment}");
        // The link as written: the first place in the body naming the
        // fragment after the target's file name.
        let file = path.rsplit('/').next().unwrap_or(path);
        let location = self.texts.read(a).ok().and_then(|text| {
            let body = text.get(a.body_offset..)?;
            let at = body
                .match_indices(&written)
                .find(|(at, _)| body[..*at].ends_with(file))
                .map(|(at, _)| a.body_offset + at)?;
            Some(LineIndex::new(&text).locate(at, written.len()))
        });
        let candidates: Vec<&str> = ids.iter().map(String::as_str).collect();
        let hint = match did_you_mean(fragment, &candidates) {
            Some(close) => format!("did you mean `#{close}`?"),
            None if ids.is_empty() => format!("content/{path} has no headings to link to"),
            None => format!("its headings' ids: {}", candidates.join(", ")),
        };
        Diagnostic::error(
            Code::BrokenLink,
            &a.path,
            format!("broken internal link: content/{path} has no part with the id `{fragment}`"),
        )
        .at(location)
        .hint(hint)
    }

    /// Every body's diagnostics, in chronological order, rendering (in
    /// parallel, without keeping the HTML) each body not rendered yet. An
    /// article whose file cannot be read again gives that error instead.
    pub fn body_diagnostics(&self, timeline: &Timeline) -> Vec<Diagnostic> {
        let per_entry: Vec<Vec<Diagnostic>> = (0..self.bodies.len())
            .into_par_iter()
            .map(|i| {
                let body = &self.bodies[i];
                if let Some(record) = body.record.get() {
                    return record.diagnostics.clone();
                }
                match self.render_body(timeline, i) {
                    Ok((record, _)) => {
                        let diagnostics = record.diagnostics.clone();
                        let _ = body.record.set(Arc::new(record));
                        diagnostics
                    }
                    Err(d) => vec![d],
                }
            })
            .collect();
        per_entry.into_iter().flatten().collect()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Renders an article's body, noting what each internal link resolved to.
/// Returns the record and the HTML.
fn render_body(
    settings: &Settings,
    routes: &Routes,
    links: &LinkIndex,
    article: &Article,
    text: &str,
) -> (BodyRecord, String) {
    let seen = RefCell::new(Vec::new());
    let resolve = |path: &str| {
        let resolution = links.resolve(path).clone();
        seen.borrow_mut()
            .push((path.to_string(), resolution.clone()));
        resolution
    };
    let page_url = routes.article(&article.id).url;
    let title = |id: &str| citable(settings, article, id).map(|s| s.title.clone());
    let cite = Cite {
        title: &title,
        ids: (article.sources.iter().chain(&settings.sources))
            .filter_map(|s| s.id.as_deref())
            .collect(),
        listed: article
            .sources
            .iter()
            .map(|s| (s.id.as_deref(), s.pos))
            .collect(),
        require: settings.require_citations,
        page_url: &page_url,
        label: &settings.words.citation,
    };
    let source = markdown::BodyContext {
        path: &article.path,
        rel_content: &content_path(article),
        text,
        body_offset: article.body_offset,
        allow_raw_html: settings.allow_raw_html,
        routes,
        cite: Some(&cite),
        footnote_back: &settings.words.footnote_back,
        footnote_mark: &settings.words.footnote_mark,
    };
    let body = text.get(article.body_offset..).unwrap_or("");
    let mut rendered: RenderedBody = markdown::render(body, &source, &resolve);
    rendered
        .diagnostics
        .extend(unknown_references(settings, article, text));
    let mut record = BodyRecord {
        hash: fingerprint::of_bytes(rendered.html.as_bytes()),
        first_paragraph: rendered.first_paragraph,
        diagnostics: rendered.diagnostics,
        links: seen.into_inner(),
        ids: rendered.ids,
        fragments: rendered.fragments,
        cited: rendered.cited,
        key: Fingerprint::default(),
    };
    record.key = fingerprint::of(&record);
    (record, rendered.html)
}

/// The source an article may cite by `id`: one it lists with a title,
/// else the site's.
pub fn citable<'s>(settings: &'s Settings, article: &'s Article, id: &str) -> Option<&'s Source> {
    let own = (article.sources.iter()).find(|s| s.id.as_deref() == Some(id) && !s.title.is_empty());
    own.or_else(|| {
        settings
            .sources
            .iter()
            .find(|s| s.id.as_deref() == Some(id))
    })
}

/// A source listed by `id` alone that names no site source: an error at it.
fn unknown_references(settings: &Settings, article: &Article, text: &str) -> Vec<Diagnostic> {
    let index = std::cell::OnceCell::new();
    (article.sources.iter())
        .filter(|s| s.title.is_empty())
        .filter_map(|s| Some((s.id.as_deref()?, s.pos)))
        .filter(|(id, _)| !settings.sources.iter().any(|s| s.id.as_deref() == Some(id)))
        .map(|(id, pos)| {
            let index = index.get_or_init(|| LineIndex::new(text));
            Diagnostic::error(
                Code::CitationUnknown,
                &article.path,
                format!("the source `{id}` is not in content/_sources.yaml"),
            )
            .at(Some(pos.locate(index)))
            .hint("add it there with a `title:`, or give it its `title:` here")
        })
        .collect()
}

/// An article's body: the record an earlier build made from the same
/// bytes, if each of its links still resolves the same, else none yet.
fn body_of(links: &LinkIndex, article: &Article, memo: BodyMemo<'_>) -> Body {
    let body = Body::default();
    if let Some(record) = memo(article)
        && record
            .links
            .iter()
            .all(|(path, was)| links.resolve(path) == was)
    {
        let _ = body.record.set(record);
    }
    body
}

/// The site's introduction, from `_index.md`'s body.
fn intro_html(
    settings: &Settings,
    routes: &Routes,
    links: &LinkIndex,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let source = markdown::BodyContext {
        path: &settings.path,
        rel_content: SETTINGS_FILE,
        text: &settings.text,
        body_offset: settings.intro_offset,
        allow_raw_html: settings.allow_raw_html,
        routes,
        cite: None,
        footnote_back: &settings.words.footnote_back,
        footnote_mark: &settings.words.footnote_mark,
    };
    let rendered = markdown::render(settings.intro(), &source, &|p| links.resolve(p).clone());
    diagnostics.extend(rendered.diagnostics);
    rendered.html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::testing::{Ordered, article, order};

    /// A site whose first article links to a published one and a draft.
    fn linking() -> Ordered {
        let body = "First *words*.\n\nSee [the later](later.md) and [a draft](draft.md).\n";
        let linking = format!("---\ntitle: A\ndate: 2023-01-01\n---\n{body}");
        let files = [
            ("linking.md", linking.as_str()),
            ("later.md", &article("date: 2023-02-01")),
            ("draft.md", &article("date: 2023-03-01\ndraft: true")),
        ];
        order(&files, "2024-01-01")
    }

    #[test]
    fn a_body_is_rendered_when_asked_and_its_html_taken_once() {
        let site = linking();
        let t = &site.timeline;
        let bodies = Bodies::new(t, &|_| None, site.texts(), &mut Vec::new());
        assert!(bodies.body_record(0).is_none());
        assert_eq!(bodies.summary(t, 0), "");
        let record = bodies.body(t, 0).expect("rendered").clone();
        let resolved: Vec<(&str, bool)> = (record.links.iter())
            .map(|(path, to)| (path.as_str(), matches!(to, Resolution::Page(_))))
            .collect();
        assert_eq!(resolved, [("later.md", true), ("draft.md", false)]);
        assert_eq!(record.links[1].1, Resolution::Draft);
        assert_eq!(bodies.summary(t, 0), "First words.");
        // The HTML rendered with the record is handed over once, then made
        // again: the same bytes.
        let html = bodies.body_html(t, 0).expect("held");
        assert_eq!(fingerprint::of_bytes(html.as_bytes()), record.hash);
        assert!(lock(&bodies.bodies[0].html).is_none());
        assert_eq!(bodies.body_html(t, 0).expect("rendered again"), html);
    }

    #[test]
    fn a_remembered_body_holds_only_while_its_links_resolve_the_same() {
        let site = linking();
        let t = &site.timeline;
        let first = Bodies::new(t, &|_| None, site.texts(), &mut Vec::new());
        let record = Arc::new(first.body(t, 0).expect("rendered").clone());
        let same = |_: &Article| Some(Arc::clone(&record));
        let kept = Bodies::new(t, &same, site.texts(), &mut Vec::new());
        assert_eq!(kept.body_record(0), Some(&record));
        // Made when `later.md` was missing: it resolves otherwise now.
        let mut stale = (*record).clone();
        stale.links[0].1 = Resolution::Missing;
        let stale = Arc::new(stale);
        let other = |_: &Article| Some(Arc::clone(&stale));
        let dropped = Bodies::new(t, &other, site.texts(), &mut Vec::new());
        assert_eq!(dropped.body_record(0), None);
    }
}
