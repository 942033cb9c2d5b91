//! From loaded articles to a timeline: drafts left out, ids checked, bodies
//! rendered with their links resolved, entries ordered, statuses settled
//! against the as-of date, and the people, places, tags and series gathered.
//!
//! Order is total and depends only on the content: the first day a date can
//! denote, then the last (the shorter span first), then the id.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Settings;
use crate::content::markdown::{self, Rendered, Resolution};
use crate::diagnostics::Diagnostic;
use crate::diagnostics::LineIndex;
use crate::model::{Article, Pos, Status};

/// An article placed on the timeline.
#[derive(Debug)]
pub struct Entry {
    pub article: Article,
    pub status: Status,
    /// Whether the event is still to come on the as-of date.
    pub upcoming: bool,
    pub body_html: String,
    /// The summary from front matter, else the body's first paragraph.
    pub summary: String,
}

/// A person, place, tag or series, and the entries that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub slug: String,
    pub name: String,
    /// Indices into `Timeline::entries`, in chronological order.
    pub entries: Vec<usize>,
}

/// The kinds of terms that get pages of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Taxonomy {
    Participants,
    Places,
    Tags,
    Series,
}

impl Taxonomy {
    pub const ALL: [Taxonomy; 4] = [
        Taxonomy::Participants,
        Taxonomy::Places,
        Taxonomy::Tags,
        Taxonomy::Series,
    ];

    /// The folder of its pages, also its key for templates.
    pub fn dir(self) -> &'static str {
        match self {
            Taxonomy::Participants => "participants",
            Taxonomy::Places => "places",
            Taxonomy::Tags => "tags",
            Taxonomy::Series => "series",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            Taxonomy::Participants => "Participants",
            Taxonomy::Places => "Places",
            Taxonomy::Tags => "Tags",
            Taxonomy::Series => "Series",
        }
    }

    pub fn singular(self) -> &'static str {
        match self {
            Taxonomy::Participants => "Participant",
            Taxonomy::Places => "Place",
            Taxonomy::Tags => "Tag",
            Taxonomy::Series => "Series",
        }
    }
}

#[derive(Debug)]
pub struct Timeline {
    pub settings: Settings,
    /// The path every link starts with (`/news`, or empty), from `base_url`.
    pub base_path: String,
    pub as_of: NaiveDate,
    pub intro_html: String,
    /// Chronological, earliest first, whatever the display order.
    pub entries: Vec<Entry>,
    /// Per taxonomy, terms sorted by slug.
    pub terms: BTreeMap<Taxonomy, Vec<Term>>,
}

impl Timeline {
    /// The URL path of an article's page: `<base path>/<id>/`.
    pub fn url_of(&self, id: &str) -> String {
        format!("{}/{id}/", self.base_path)
    }

    pub fn term_url(&self, taxonomy: Taxonomy, slug: &str) -> String {
        format!("{}/{}/{slug}/", self.base_path, taxonomy.dir())
    }
}

/// The sort key: first day, last day, id.
pub fn order_key(article: &Article) -> (NaiveDate, NaiveDate, &str) {
    (
        article.date.first_day(),
        article.date.last_day(),
        article.id.as_str(),
    )
}

/// Builds the timeline. Errors and warnings go to `diagnostics`; the caller
/// decides whether the result may be written.
pub fn build(
    settings: Settings,
    articles: Vec<Article>,
    as_of: NaiveDate,
    include_drafts: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Timeline {
    let (mut articles, drafts): (Vec<Article>, Vec<Article>) = articles
        .into_iter()
        .partition(|a| include_drafts || !a.draft);

    check_duplicate_ids(&articles, diagnostics);
    articles.sort_by(|a, b| {
        order_key(a)
            .cmp(&order_key(b))
            .then_with(|| a.path.cmp(&b.path))
    });

    let base = settings.base_path();
    let by_path: HashMap<String, &str> = articles
        .iter()
        .map(|a| (content_path(a), a.id.as_str()))
        .collect();
    let draft_paths: std::collections::HashSet<String> = drafts.iter().map(content_path).collect();
    let resolve = |path: &str| match by_path.get(path) {
        Some(id) => Resolution::Page(format!("{base}/{id}/")),
        None if draft_paths.contains(path) => Resolution::Draft,
        None => Resolution::Missing,
    };

    let rendered: Vec<(Rendered, Vec<Diagnostic>)> = articles
        .par_iter()
        .map(|a| {
            let rel_content = content_path(a);
            let source = markdown::Source {
                path: &a.path,
                rel_content: &rel_content,
                text: &a.text,
                body_offset: a.body_offset,
                allow_raw_html: settings.allow_raw_html,
                base_path: &base,
            };
            let mut r = markdown::render(a.body(), &source, &resolve);
            let extra = std::mem::take(&mut r.diagnostics);
            (r, extra)
        })
        .collect();

    let intro = {
        let source = markdown::Source {
            path: &settings.path,
            rel_content: "_index.md",
            text: &settings.text,
            body_offset: settings.intro_offset,
            allow_raw_html: settings.allow_raw_html,
            base_path: &base,
        };
        markdown::render(settings.intro(), &source, &resolve)
    };
    diagnostics.extend(intro.diagnostics);

    let known: HashMap<&str, ()> = articles.iter().map(|a| (a.id.as_str(), ())).collect();
    let known_ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    for a in &articles {
        let index = std::cell::OnceCell::new();
        let mut suggested = 0;
        for related in &a.related {
            let message = if related.value == a.id {
                Some(format!("`related` lists the article itself ({})", a.id))
            } else if known.contains_key(related.value.as_str()) {
                None
            } else {
                Some(format!(
                    "`related`: there is no article with id `{}`",
                    related.value
                ))
            };
            if let Some(message) = message {
                // Suggestions compare with every id: a few per article suffice.
                suggested += 1;
                let suggestion = (suggested <= 20)
                    .then(|| crate::diagnostics::did_you_mean(&related.value, &known_ids))
                    .flatten();
                let hint = suggestion
                .map_or_else(
                    || "an id is the article's path under content/ without `.md`, e.g. 2023/camp-david-summit".to_string(),
                    |k| format!("did you mean `{k}`?"),
                );
                diagnostics.push(
                    Diagnostic::error(&a.path, message)
                        .at(Some(
                            related
                                .pos
                                .locate(index.get_or_init(|| LineIndex::new(&a.text))),
                        ))
                        .hint(hint),
                );
            }
        }
    }

    let mut entries = Vec::with_capacity(articles.len());
    for (article, (rendered, extra)) in articles.into_iter().zip(rendered) {
        diagnostics.extend(extra);
        check_status(&article, as_of, diagnostics);
        let status = article.effective_status(as_of);
        let summary = article
            .summary
            .clone()
            .or(rendered.first_paragraph)
            .unwrap_or_default();
        entries.push(Entry {
            upcoming: article.date.first_day() > as_of,
            status,
            body_html: rendered.html,
            summary,
            article,
        });
    }

    let terms = gather_terms(&entries, diagnostics);
    Timeline {
        settings,
        base_path: base,
        as_of,
        intro_html: intro.html,
        entries,
        terms,
    }
}

/// The article's path under `content/`, with `/` separators.
fn content_path(a: &Article) -> String {
    let s = crate::content::to_slash(&a.path);
    s.strip_prefix("content/").unwrap_or(&s).to_string()
}

fn check_duplicate_ids(articles: &[Article], diagnostics: &mut Vec<Diagnostic>) {
    let mut by_id: BTreeMap<&str, Vec<&Article>> = BTreeMap::new();
    for a in articles {
        by_id.entry(&a.id).or_default().push(a);
    }
    for (id, group) in by_id {
        if group.len() < 2 {
            continue;
        }
        for a in &group {
            let others: Vec<String> = group
                .iter()
                .filter(|o| o.path != a.path)
                .map(|o| o.path.display().to_string())
                .collect();
            diagnostics.push(
                Diagnostic::error(
                    &a.path,
                    format!(
                        "two articles have the id `{id}`: this file and {}",
                        others.join(", ")
                    ),
                )
                .at(a.id_location.clone())
                .hint("each article needs its own page: change `slug:` or rename one of the files"),
            );
        }
    }
}

fn check_status(article: &Article, as_of: NaiveDate, diagnostics: &mut Vec<Diagnostic>) {
    let location = article
        .status_location
        .clone()
        .or_else(|| article.date_location.clone());
    let when = article.date.human();
    let as_of_text = crate::date::EventDate::parse(&as_of.format("%Y-%m-%d").to_string())
        .map(|d| d.human())
        .unwrap_or_default();
    match article.status {
        Some(Status::Planned) if article.date.last_day() < as_of => diagnostics.push(
            Diagnostic::warning(
                &article.path,
                format!(
                    "`status: planned`, but {when} is entirely before the as-of date, {as_of_text}"
                ),
            )
            .at(location)
            .hint("say what happened: `held`, `postponed` or `cancelled`"),
        ),
        Some(Status::Held) if article.date.first_day() > as_of => diagnostics.push(
            Diagnostic::warning(
                &article.path,
                format!("`status: held`, but {when} is after the as-of date, {as_of_text}"),
            )
            .at(location)
            .hint("an event still to come is `planned`; check the date or the as-of date"),
        ),
        _ => {}
    }
}

fn gather_terms(
    entries: &[Entry],
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<Taxonomy, Vec<Term>> {
    let mut out = BTreeMap::new();
    for taxonomy in Taxonomy::ALL {
        let mut by_slug: BTreeMap<String, Term> = BTreeMap::new();
        for (i, entry) in entries.iter().enumerate() {
            let a = &entry.article;
            let names: Vec<(&str, Pos)> = match taxonomy {
                Taxonomy::Participants => a
                    .participants
                    .iter()
                    .map(|p| (p.value.as_str(), p.pos))
                    .collect(),
                Taxonomy::Tags => a.tags.iter().map(|p| (p.value.as_str(), p.pos)).collect(),
                Taxonomy::Series => a.series.iter().map(|p| (p.value.as_str(), p.pos)).collect(),
                Taxonomy::Places => a
                    .location
                    .iter()
                    .map(|p| (p.value.as_str(), p.pos))
                    .collect(),
            };
            for (name, location) in names {
                let slug = term_slug(name);
                let term = by_slug.entry(slug.clone()).or_insert_with(|| Term {
                    slug,
                    name: name.to_string(),
                    entries: Vec::new(),
                });
                if term.name != name {
                    diagnostics.push(
                        Diagnostic::warning(
                            &a.path,
                            format!(
                                "“{name}” and “{}” are spelt differently but share one {} page",
                                term.name,
                                taxonomy.singular().to_lowercase()
                            ),
                        )
                        .at(Some(location.locate(&LineIndex::new(&a.text))))
                        .hint(format!("write “{}” everywhere", term.name)),
                    );
                }
                if term.entries.last() != Some(&i) {
                    term.entries.push(i);
                }
            }
        }
        out.insert(taxonomy, by_slug.into_values().collect());
    }
    out
}

/// A term's slug: ASCII, lowercase, hyphenated; never empty.
pub fn term_slug(name: &str) -> String {
    let s = slug::slugify(name);
    if s.is_empty() {
        // A name with no letters slug can use (only symbols): keep it apart
        // from others by its code points.
        name.chars()
            .map(|c| format!("u{:x}", c as u32))
            .collect::<Vec<_>>()
            .join("-")
    } else {
        s
    }
}
