//! The site's Tera templates: the defaults embedded in the binary, a site's
//! own files of the same name over them (as in Zola), and Tera's errors
//! turned into diagnostics at the template's file, line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostics::{Code, Diagnostic, LineIndex};
use crate::files::{self, TEMPLATES_DIR};
use crate::fingerprint::{Fingerprint, Hasher};
use crate::i18n::Language;

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
    /// The hash of every template's name and source (and the language's):
    /// part of every page's fingerprint.
    pub fingerprint: Fingerprint,
    /// The site's language, which `t` reads (English until
    /// [`Templates::localize`]).
    pub language: std::sync::Arc<Language>,
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
    // Templates are checked for their functions as they are added: `t`
    // is there from the start, in English until the settings are read.
    let language = std::sync::Arc::new(Language::english());
    register_t(&mut tera, std::sync::Arc::clone(&language));
    let added = tera.add_raw_templates(
        sources
            .values()
            .map(|t| (t.name.as_str(), t.source.as_str())),
    );
    let mut hasher = Hasher::new();
    for t in sources.values() {
        hasher.part(t.name.as_bytes()).part(t.source.as_bytes());
    }
    hasher.fingerprint(language.fingerprint);
    let fingerprint = hasher.finish();
    let templates = Templates {
        tera,
        sources,
        fingerprint,
        language,
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
    /// Gives the templates the site's language: the `t` function, whose
    /// words become part of every page's fingerprint.
    ///
    /// `t(key="where")` is the catalogue's text; `n=3` picks the plural
    /// form for a count and fills `{n}`; any other argument fills the
    /// blank of its name (escaped, unless it is marked safe). `before="x"`
    /// gives only the text before the blank `{x}`, `after="x"` only the
    /// text after it, so markup (a link, a `<time>`) can go in a blank
    /// wherever a language puts it. `form="few"` gives that plural form
    /// unfilled (for the filter script, which counts in the browser). The
    /// result is escaped HTML.
    pub fn localize(&mut self, language: std::sync::Arc<Language>) {
        self.fingerprint = Hasher::new()
            .fingerprint(self.fingerprint)
            .fingerprint(language.fingerprint)
            .finish();
        self.language = std::sync::Arc::clone(&language);
        register_t(&mut self.tera, language);
    }

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

fn register_t(tera: &mut tera::Tera, language: std::sync::Arc<Language>) {
    // Most calls give only a key (and where to cut it): the same text on
    // every page, made once and then shared (a Tera string's clone is a
    // reference).
    let made: std::sync::RwLock<foldhash::HashMap<String, tera::Value>> = Default::default();
    tera.register_function("t", move |kwargs: tera::Kwargs, _: &tera::State| {
        let Some(id) = fixed_call(&kwargs) else {
            return translate(&language, &kwargs);
        };
        if let Some(text) = made.read().ok().and_then(|m| m.get(&id).cloned()) {
            return Ok(text);
        }
        let text = translate(&language, &kwargs)?;
        if let Ok(mut m) = made.write() {
            m.insert(id, text.clone());
        }
        Ok(text)
    });
}

/// For a call whose arguments are only text naming what to show (`key`,
/// `before`, `after`, `form`), their values as one string; `None` for a
/// call with a count or a blank's value.
fn fixed_call(kwargs: &tera::Kwargs) -> Option<String> {
    let mut id = String::new();
    for (name, value) in kwargs.iter() {
        let name = name.as_str()?;
        if !matches!(name, "key" | "before" | "after" | "form") {
            return None;
        }
        id.push_str(name);
        id.push('=');
        id.push_str(value.as_str()?);
        id.push('\0');
    }
    Some(id)
}

/// The `t` function (see [`Templates::localize`]).
fn translate(language: &Language, kwargs: &tera::Kwargs) -> tera::TeraResult<tera::Value> {
    let key: &str = kwargs.must_get("key")?;
    let n: Option<i64> = kwargs.get("n")?;
    let count = n.map(|n| u64::try_from(n).unwrap_or(0));
    let text = match kwargs.get::<&str>("form")? {
        Some(form) => language.text_form(key, form),
        None => language.text(key, count),
    };
    let Some(text) = text else {
        return Err(tera::Error::message(format!(
            "no catalogue has the label `{key}` (language `{}`)",
            language.tag
        )));
    };
    let mut text = escape(text, false);
    if let Some(blank) = kwargs.get::<&str>("after")? {
        let mark = format!("{{{blank}}}");
        text = text
            .find(&mark)
            .map_or(String::new(), |i| text[i + mark.len()..].to_string());
    }
    if let Some(blank) = kwargs.get::<&str>("before")? {
        let mark = format!("{{{blank}}}");
        if let Some(i) = text.find(&mark) {
            text.truncate(i);
        }
    }
    let mut args: Vec<(String, String)> = Vec::new();
    for (name, value) in kwargs.iter() {
        let name = name.as_str().unwrap_or_default();
        if matches!(name, "key" | "before" | "after" | "form") {
            continue;
        }
        let shown = value.to_string();
        let shown = if value.is_safe() {
            shown
        } else {
            escape(&shown, true)
        };
        args.push((name.to_string(), shown));
    }
    let args: Vec<(&str, &str)> = args.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    Ok(tera::Value::safe_string(&crate::i18n::fill(&text, &args)))
}

/// `text` escaped for HTML text and double-quoted attributes: a value
/// as Tera's autoescape does (`'` too), a catalogue's own text without
/// `'` (so "the timeline's" reads as the templates always wrote it).
fn escape(text: &str, quote: bool) -> String {
    let escaped = html_escape::encode_double_quoted_attribute(text);
    match quote {
        // As Tera writes it (html-escape's own is `&#x27;`).
        true => escaped.replace('\'', "&#39;"),
        false => escaped.into_owned(),
    }
}
