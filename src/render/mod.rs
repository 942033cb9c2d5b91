//! From a timeline to a `Site`: every output file's path and bytes, held in
//! memory until all of it has rendered.
//!
//! Templates are Tera 2. The binary embeds the default templates and static
//! files (the ones in this repository's `templates/` and `static/`); a site's
//! own file of the same name replaces the default, as in Zola. Templates see
//! only the view structs of `views`.

pub mod views;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use walkdir::WalkDir;

use crate::config::Order;
use crate::diagnostics::{Diagnostic, LineIndex};
use crate::timeline::{Taxonomy, Timeline};
use views::{PageView, SiteView, TaxonomyView, TermView, ViewBuilder, YearView};

pub const TEMPLATES_DIR: &str = "templates";
pub const STATIC_DIR: &str = "static";

/// The templates every site has unless it overrides them.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "components.html",
        include_str!("../../templates/components.html"),
    ),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
    ("article.html", include_str!("../../templates/article.html")),
    (
        "taxonomy.html",
        include_str!("../../templates/taxonomy.html"),
    ),
    ("term.html", include_str!("../../templates/term.html")),
    ("404.html", include_str!("../../templates/404.html")),
];

/// The static files every site has unless it overrides them.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
];

/// The rendered site: output path (with `/`) to bytes, and what made each.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Site {
    pub files: BTreeMap<String, Vec<u8>>,
    /// For each output path, the file or page kind that produced it, so two
    /// things that want one path can both be named.
    pub origins: BTreeMap<String, PathBuf>,
}

impl Site {
    /// Adds a file; a path already taken is an error naming both origins.
    pub fn insert(
        &mut self,
        path: String,
        bytes: Vec<u8>,
        origin: PathBuf,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        if let Some(first) = self.origins.get(&path) {
            diagnostics.push(
                Diagnostic::error(
                    &origin,
                    format!("`{path}` in the output is also made by {}", first.display()),
                )
                .hint("two things cannot share one output file: rename one of them"),
            );
            return;
        }
        self.origins.insert(path.clone(), origin);
        self.files.insert(path, bytes);
    }

    pub fn page_count(&self) -> usize {
        self.files.keys().filter(|p| p.ends_with(".html")).count()
    }
}

/// A template's name, source and the file it came from.
struct TemplateSource {
    name: String,
    source: String,
    path: PathBuf,
}

/// The site's templates, compiled, with their sources for error positions.
pub struct Templates {
    tera: tera::Tera,
    sources: BTreeMap<String, TemplateSource>,
}

/// Loads the default templates, then the site's, into one Tera.
pub fn load_templates(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Option<Templates> {
    let mut sources: BTreeMap<String, TemplateSource> = DEFAULT_TEMPLATES
        .iter()
        .map(|(name, source)| {
            (
                name.to_string(),
                TemplateSource {
                    name: name.to_string(),
                    source: source.to_string(),
                    path: PathBuf::from(format!("{TEMPLATES_DIR}/{name} (built-in)")),
                },
            )
        })
        .collect();
    let dir = root.join(TEMPLATES_DIR);
    if dir.is_dir() {
        for entry in WalkDir::new(&dir).follow_links(false).sort_by_file_name() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    diagnostics.push(Diagnostic::error(
                        TEMPLATES_DIR,
                        format!("cannot read the templates: {e}"),
                    ));
                    continue;
                }
            };
            if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.')
            {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .to_path_buf();
            let name =
                crate::content::to_slash(entry.path().strip_prefix(&dir).unwrap_or(entry.path()));
            match crate::content::read_text(root, &rel) {
                Ok(source) => {
                    sources.insert(
                        name.clone(),
                        TemplateSource {
                            name,
                            source,
                            path: rel,
                        },
                    );
                }
                Err(d) => diagnostics.push(d),
            }
        }
    }
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
    match tera.add_raw_templates(
        sources
            .values()
            .map(|t| (t.name.as_str(), t.source.as_str())),
    ) {
        Ok(()) => Some(Templates { tera, sources }),
        Err(e) => {
            diagnostics.push(template_diagnostic(&e, &sources));
            None
        }
    }
}

/// A Tera error as a diagnostic at the template's file, line and column.
fn template_diagnostic(
    error: &tera::Error,
    sources: &BTreeMap<String, TemplateSource>,
) -> Diagnostic {
    let report = match error.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let mut message = match report {
        Some(r) => r.message().to_string(),
        None => error.to_string(),
    };
    let mut cause = std::error::Error::source(error);
    while let Some(c) = cause {
        message.push_str(&format!(": {c}"));
        cause = c.source();
    }
    let Some(report) = report else {
        return Diagnostic::error(TEMPLATES_DIR, format!("template error: {message}"));
    };
    let Some(template) = sources.get(report.filename()) else {
        return Diagnostic::error(
            PathBuf::from(TEMPLATES_DIR).join(report.filename()),
            format!("template error: {message}"),
        );
    };
    let span = report.span();
    let width = if span.end_line == span.start_line {
        span.end_col.saturating_sub(span.start_col)
    } else {
        1
    };
    let location = LineIndex::new(&template.source).locate_line_col(
        span.start_line.max(1),
        span.start_col,
        width,
    );
    Diagnostic::error(&template.path, format!("template error: {message}")).at(Some(location))
}

#[derive(Serialize)]
struct TimelineContext<'a> {
    site: &'a SiteView,
    page: PageView,
    intro_html: &'a str,
    years: Vec<YearView>,
    upcoming_count: usize,
    first_upcoming: Option<views::EntryView>,
}

#[derive(Serialize)]
struct ArticleContext<'a> {
    site: &'a SiteView,
    page: PageView,
    article: views::ArticleView,
}

#[derive(Serialize)]
struct TaxonomyContext<'a> {
    site: &'a SiteView,
    page: PageView,
    taxonomy: TaxonomyView,
    terms: Vec<TermView>,
}

#[derive(Serialize)]
struct TermContext<'a> {
    site: &'a SiteView,
    page: PageView,
    taxonomy: TaxonomyView,
    term: TermView,
    years: Vec<YearView>,
}

#[derive(Serialize)]
struct NotFoundContext<'a> {
    site: &'a SiteView,
    page: PageView,
}

/// One page to render: output path, template, context, and its origin.
struct Job {
    path: String,
    template: &'static str,
    context: Result<tera::Context, tera::Error>,
    origin: PathBuf,
}

fn job<T: Serialize>(path: String, template: &'static str, context: &T, origin: PathBuf) -> Job {
    Job {
        path,
        template,
        context: tera::Context::from_serialize(context),
        origin,
    }
}

/// Renders every page of the timeline, and adds the static files.
pub fn render(
    root: &Path,
    timeline: &Timeline,
    templates: &Templates,
    diagnostics: &mut Vec<Diagnostic>,
) -> Site {
    let views = ViewBuilder::new(timeline);
    let site = views.site();
    let base = site.base_path.clone();
    let descending = timeline.settings.order == Order::Descending;
    let generated = |what: &str| PathBuf::from(format!("({what})"));

    let mut jobs: Vec<Job> = Vec::new();
    let description = timeline.settings.description.clone();
    let first_upcoming = timeline.entries.iter().position(|e| e.upcoming);
    jobs.push(job(
        "index.html".into(),
        "timeline.html",
        &TimelineContext {
            site: &site,
            page: views.page(site.title.clone(), description.clone(), format!("{base}/")),
            intro_html: &timeline.intro_html,
            years: views.years(0..timeline.entries.len(), descending),
            upcoming_count: timeline.entries.iter().filter(|e| e.upcoming).count(),
            first_upcoming: first_upcoming.map(|i| views.entry(&timeline.entries[i])),
        },
        generated("the timeline page"),
    ));
    jobs.push(job(
        "404.html".into(),
        "404.html",
        &NotFoundContext {
            site: &site,
            // Served at every missing address: it has no canonical one.
            page: PageView {
                permalink: None,
                ..views.page(
                    format!("Page not found — {}", site.title),
                    Some(format!(
                        "There is no page at this address on {}.",
                        site.title
                    )),
                    format!("{base}/404.html"),
                )
            },
        },
        generated("the 404 page"),
    ));

    let article_jobs: Vec<Job> = (0..timeline.entries.len())
        .into_par_iter()
        .map(|i| {
            let e = &timeline.entries[i];
            let article = views.article(i);
            let summary = (!e.summary.is_empty()).then(|| e.summary.clone());
            job(
                format!("{}/index.html", e.article.id),
                "article.html",
                &ArticleContext {
                    site: &site,
                    page: views.page(
                        format!("{} — {}", e.article.title, site.title),
                        summary,
                        article.entry.url.clone(),
                    ),
                    article,
                },
                e.article.path.clone(),
            )
        })
        .collect();
    jobs.extend(article_jobs);

    for taxonomy in Taxonomy::ALL {
        let terms = &timeline.terms[&taxonomy];
        if terms.is_empty() {
            continue;
        }
        let tv = views.taxonomy(taxonomy);
        let term_views: Vec<TermView> = terms
            .iter()
            .map(|t| TermView {
                name: t.name.clone(),
                url: timeline.term_url(taxonomy, &t.slug),
                count: t.entries.len(),
            })
            .collect();
        for (term, term_view) in terms.iter().zip(&term_views) {
            jobs.push(job(
                format!("{}/{}/index.html", taxonomy.dir(), term.slug),
                "term.html",
                &TermContext {
                    site: &site,
                    page: views.page(
                        format!("{} — {}", term.name, site.title),
                        Some(format!(
                            "{} entr{} on the timeline for {}.",
                            term.entries.len(),
                            if term.entries.len() == 1 { "y" } else { "ies" },
                            term.name
                        )),
                        term_view.url.clone(),
                    ),
                    taxonomy: tv.clone(),
                    term: term_view.clone(),
                    years: views.years(term.entries.iter().copied(), descending),
                },
                generated(&format!(
                    "the page of {} “{}”",
                    taxonomy.singular().to_lowercase(),
                    term.name
                )),
            ));
        }
        jobs.push(job(
            format!("{}/index.html", taxonomy.dir()),
            "taxonomy.html",
            &TaxonomyContext {
                site: &site,
                page: views.page(
                    format!("{} — {}", tv.name, site.title),
                    Some(format!("{} on the timeline.", tv.name)),
                    tv.url.clone(),
                ),
                taxonomy: tv.clone(),
                terms: term_views,
            },
            generated(&format!("the {} index", taxonomy.dir())),
        ));
    }

    let rendered: Vec<(Job, Result<String, tera::Error>)> = jobs
        .into_par_iter()
        .map(|mut j| {
            let context = std::mem::replace(&mut j.context, Ok(tera::Context::new()));
            let result = context.and_then(|c| templates.tera.render(j.template, &c));
            (j, result)
        })
        .collect();

    let mut out = Site::default();
    for (j, result) in rendered {
        match result {
            Ok(html) => out.insert(j.path, html.into_bytes(), j.origin, diagnostics),
            Err(e) => diagnostics.push(template_diagnostic(&e, &templates.sources)),
        }
    }
    add_static(root, &mut out, diagnostics);
    out
}

/// Copies `static/` as it is, over the embedded defaults.
fn add_static(root: &Path, site: &mut Site, diagnostics: &mut Vec<Diagnostic>) {
    let mut files: BTreeMap<String, (Vec<u8>, PathBuf)> = DEFAULT_STATIC
        .iter()
        .map(|(name, bytes)| {
            (
                name.to_string(),
                (
                    bytes.to_vec(),
                    PathBuf::from(format!("{STATIC_DIR}/{name} (built-in)")),
                ),
            )
        })
        .collect();
    let dir = root.join(STATIC_DIR);
    if dir.is_dir() {
        for entry in WalkDir::new(&dir).follow_links(false).sort_by_file_name() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    diagnostics.push(Diagnostic::error(
                        STATIC_DIR,
                        format!("cannot read the static files: {e}"),
                    ));
                    continue;
                }
            };
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .to_path_buf();
            if entry.path_is_symlink() {
                diagnostics.push(
                    Diagnostic::warning(rel, "symbolic link not followed")
                        .hint("copy the file into static/ instead"),
                );
                continue;
            }
            if !entry.file_type().is_file() {
                continue;
            }
            let name =
                crate::content::to_slash(entry.path().strip_prefix(&dir).unwrap_or(entry.path()));
            if name.chars().any(char::is_control) || entry.path().to_str().is_none() {
                diagnostics.push(
                    Diagnostic::error(
                        rel,
                        "this file's name has a control character or is not UTF-8",
                    )
                    .hint("rename the file using letters, digits, `-`, `_` and `.`"),
                );
                continue;
            }
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    files.insert(name, (bytes, rel));
                }
                Err(e) => diagnostics.push(Diagnostic::error(
                    rel,
                    format!("cannot read this file: {e}"),
                )),
            }
        }
    }
    for (name, (bytes, origin)) in files {
        site.insert(name, bytes, origin, diagnostics);
    }
}
