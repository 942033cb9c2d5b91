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
    // Editors' hidden files (swap files, say) are not templates.
    for (name, rel) in site_files(root, TEMPLATES_DIR, true, diagnostics) {
        match crate::content::read_text(root, &rel) {
            Ok(source) => {
                let template = TemplateSource {
                    name: name.clone(),
                    source,
                    path: rel,
                };
                sources.insert(name, template);
            }
            Err(d) => diagnostics.push(d),
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

/// One page of the site. Its context is built when it renders, on the
/// thread that renders it, and dropped right after: only the finished bytes
/// of every page are held at once.
#[derive(Debug, Clone, Copy)]
enum Page {
    Timeline,
    NotFound,
    /// An article, by its index in chronological order.
    Article(usize),
    /// The index page of a taxonomy.
    Taxonomy(Taxonomy),
    /// A term's page, by its index in the taxonomy's terms.
    Term(Taxonomy, usize),
}

struct Renderer<'a> {
    timeline: &'a Timeline,
    views: ViewBuilder<'a>,
    site: SiteView,
    templates: &'a Templates,
    descending: bool,
}

/// A rendered page: its output path, what made it, and its HTML.
type PageResult = (String, PathBuf, Result<String, tera::Error>);

impl Renderer<'_> {
    fn render<T: Serialize>(&self, template: &str, context: &T) -> Result<String, tera::Error> {
        let context = tera::Context::from_serialize(context)?;
        self.templates.tera.render(template, &context)
    }

    fn term_view(&self, taxonomy: Taxonomy, term: &crate::timeline::Term) -> TermView {
        TermView {
            name: term.name.clone(),
            url: self.timeline.term_url(taxonomy, &term.slug),
            count: term.entries.len(),
        }
    }

    fn page(&self, page: Page) -> PageResult {
        let (site, views, timeline) = (&self.site, &self.views, self.timeline);
        let base = &site.base_path;
        let generated = |what: &str| PathBuf::from(format!("({what})"));
        match page {
            Page::Timeline => {
                let first_upcoming = timeline.entries.iter().position(|e| e.upcoming);
                let context = TimelineContext {
                    site,
                    page: views.page(
                        site.title.clone(),
                        timeline.settings.description.clone(),
                        format!("{base}/"),
                    ),
                    intro_html: &timeline.intro_html,
                    years: views.years(0..timeline.entries.len(), self.descending),
                    upcoming_count: timeline.entries.iter().filter(|e| e.upcoming).count(),
                    first_upcoming: first_upcoming.map(|i| views.entry(&timeline.entries[i])),
                };
                (
                    "index.html".into(),
                    generated("the timeline page"),
                    self.render("timeline.html", &context),
                )
            }
            Page::NotFound => {
                let context = NotFoundContext {
                    site,
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
                };
                (
                    "404.html".into(),
                    generated("the 404 page"),
                    self.render("404.html", &context),
                )
            }
            Page::Article(i) => {
                let e = &timeline.entries[i];
                let article = views.article(i);
                let summary = (!e.summary.is_empty()).then(|| e.summary.clone());
                let context = ArticleContext {
                    site,
                    page: views.page(
                        format!("{} — {}", e.article.title, site.title),
                        summary,
                        article.entry.url.clone(),
                    ),
                    article,
                };
                (
                    format!("{}/index.html", e.article.id),
                    e.article.path.clone(),
                    self.render("article.html", &context),
                )
            }
            Page::Taxonomy(taxonomy) => {
                let tv = views.taxonomy(taxonomy);
                let context = TaxonomyContext {
                    site,
                    page: views.page(
                        format!("{} — {}", tv.name, site.title),
                        Some(format!("{} on the timeline.", tv.name)),
                        tv.url.clone(),
                    ),
                    terms: timeline.terms[&taxonomy]
                        .iter()
                        .map(|t| self.term_view(taxonomy, t))
                        .collect(),
                    taxonomy: tv,
                };
                (
                    format!("{}/index.html", taxonomy.dir()),
                    generated(&format!("the {} index", taxonomy.dir())),
                    self.render("taxonomy.html", &context),
                )
            }
            Page::Term(taxonomy, index) => {
                let term = &timeline.terms[&taxonomy][index];
                let term_view = self.term_view(taxonomy, term);
                let count = term.entries.len();
                let context = TermContext {
                    site,
                    page: views.page(
                        format!("{} — {}", term.name, site.title),
                        Some(format!(
                            "{count} entr{} on the timeline for {}.",
                            if count == 1 { "y" } else { "ies" },
                            term.name
                        )),
                        term_view.url.clone(),
                    ),
                    taxonomy: views.taxonomy(taxonomy),
                    term: term_view,
                    years: views.years(term.entries.iter().copied(), self.descending),
                };
                (
                    format!("{}/{}/index.html", taxonomy.dir(), term.slug),
                    generated(&format!(
                        "the page of {} “{}”",
                        taxonomy.singular().to_lowercase(),
                        term.name
                    )),
                    self.render("term.html", &context),
                )
            }
        }
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
    let renderer = Renderer {
        site: views.site(),
        views,
        timeline,
        templates,
        descending: timeline.settings.order == Order::Descending,
    };
    let mut pages = vec![Page::Timeline, Page::NotFound];
    pages.extend((0..timeline.entries.len()).map(Page::Article));
    for taxonomy in Taxonomy::ALL {
        let terms = &timeline.terms[&taxonomy];
        if !terms.is_empty() {
            pages.extend((0..terms.len()).map(|i| Page::Term(taxonomy, i)));
            pages.push(Page::Taxonomy(taxonomy));
        }
    }
    let rendered: Vec<PageResult> = pages.into_par_iter().map(|p| renderer.page(p)).collect();

    let mut out = Site::default();
    for (path, origin, result) in rendered {
        match result {
            Ok(html) => out.insert(path, html.into_bytes(), origin, diagnostics),
            Err(e) => diagnostics.push(template_diagnostic(&e, &templates.sources)),
        }
    }
    add_static(root, &mut out, diagnostics);
    out
}

/// The files under `<root>/<folder>`, sorted: each as its name inside the
/// folder (with `/`) and its path from the root. Symbolic links are not
/// followed (a warning says so); names that could not be published are errors.
fn site_files(
    root: &Path,
    folder: &str,
    skip_hidden: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf)> {
    let dir = root.join(folder);
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let walker = WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !skip_hidden || !e.file_name().to_string_lossy().starts_with('.')
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diagnostics.push(Diagnostic::error(
                    folder,
                    format!("cannot read this folder: {e}"),
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
                    .hint(format!("copy the file into {folder}/ instead")),
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
        out.push((name, rel));
    }
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
    // Hidden files are published too (`.well-known/`, say): static/ is copied as it is.
    for (name, rel) in site_files(root, STATIC_DIR, false, diagnostics) {
        match std::fs::read(root.join(&rel)) {
            Ok(bytes) => {
                files.insert(name, (bytes, rel));
            }
            Err(e) => diagnostics.push(Diagnostic::error(
                rel,
                format!("cannot read this file: {e}"),
            )),
        }
    }
    for (name, (bytes, origin)) in files {
        site.insert(name, bytes, origin, diagnostics);
    }
}
