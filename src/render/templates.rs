//! The site's Tera templates: the defaults embedded in the binary, a site's
//! own files of the same name over them (as in Zola), and Tera's errors
//! turned into diagnostics at the template's file, line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostics::{Code, Diagnostic, LineIndex};
use crate::files::{self, TEMPLATES_DIR};
use crate::fingerprint::{Fingerprint, Hasher};

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
    ("entry.html", include_str!("../../templates/entry.html")),
    ("year.html", include_str!("../../templates/year.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    (
        "timeline-view.html",
        include_str!("../../templates/timeline-view.html"),
    ),
];

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
    /// The hash of every template's name and source: part of every page's
    /// fingerprint.
    pub fingerprint: Fingerprint,
}

/// Editors' hidden files (swap files, say) are not templates.
fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

/// Loads the default templates, then the site's, into one Tera.
pub fn load(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Option<Templates> {
    let mut sources: BTreeMap<String, TemplateSource> = DEFAULT_TEMPLATES
        .iter()
        .map(|(name, source)| {
            let template = TemplateSource {
                name: name.to_string(),
                source: source.to_string(),
                path: PathBuf::from(format!("{TEMPLATES_DIR}/{name} (built-in)")),
            };
            (name.to_string(), template)
        })
        .collect();
    for file in files::walk(root, TEMPLATES_DIR, is_hidden, diagnostics) {
        match files::read_text(root, &file.rel) {
            Ok(source) => {
                let template = TemplateSource {
                    name: file.name.clone(),
                    source,
                    path: file.rel,
                };
                sources.insert(file.name, template);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
    let added = tera.add_raw_templates(
        sources
            .values()
            .map(|t| (t.name.as_str(), t.source.as_str())),
    );
    let mut hasher = Hasher::new();
    for t in sources.values() {
        hasher.part(t.name.as_bytes()).part(t.source.as_bytes());
    }
    let fingerprint = hasher.finish();
    let templates = Templates {
        tera,
        sources,
        fingerprint,
    };
    match added {
        Ok(()) => Some(templates),
        Err(e) => {
            diagnostics.push(templates.diagnostic(&e));
            None
        }
    }
}

impl Templates {
    /// Renders template `name` with `context`; an error is a diagnostic at
    /// the template's line and column.
    pub fn render<T: Serialize>(&self, name: &str, context: &T) -> Result<String, Diagnostic> {
        tera::Context::from_serialize(context)
            .and_then(|context| self.tera.render(name, &context))
            .map_err(|e| self.diagnostic(&e))
    }

    /// A Tera error as a diagnostic at the template's file, line and column.
    fn diagnostic(&self, error: &tera::Error) -> Diagnostic {
        let (code, report) = match error.kind() {
            tera::ErrorKind::SyntaxError(r) => (Code::TemplateSyntax, Some(r)),
            tera::ErrorKind::RenderingError(r) => (Code::TemplateRender, Some(r)),
            _ => (Code::TemplateRender, None),
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
        let message = format!("template error: {message}");
        let Some(report) = report else {
            return Diagnostic::error(code, TEMPLATES_DIR, message);
        };
        let Some(template) = self.sources.get(report.filename()) else {
            return Diagnostic::error(
                code,
                Path::new(TEMPLATES_DIR).join(report.filename()),
                message,
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
        Diagnostic::error(code, &template.path, message).at(Some(location))
    }
}
