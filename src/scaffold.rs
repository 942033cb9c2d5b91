//! `chronicle new`: a new article's file, with the front matter the format
//! knows (the required keys filled in, the optional ones as comments), an
//! id made from the title, and a body that reminds the editor of sources.
//!
//! The date is checked as `check` checks it, with the same diagnostic; the
//! article is parsed before it is written, so a site built right after has
//! no error from it; an existing file is never overwritten.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::content::{self, yaml};
use crate::date::EventDate;
use crate::diagnostics::{Code, Diagnostic, LineIndex};
use crate::files::{self, CONTENT_DIR};

const BUILT_IN: &str = include_str!("new_article.md");

/// What to write.
#[derive(Debug, Clone)]
pub struct NewArticle<'a> {
    pub root: &'a Path,
    pub title: &'a str,
    /// As given on the command line.
    pub date: &'a str,
    pub kind: Option<&'a str>,
    pub status: Option<&'a str>,
    /// The folder, relative to the current folder [default: `<root>/content/<year>`].
    pub dir: Option<&'a Path>,
    /// A file to start from instead of the built-in one.
    pub template: Option<&'a Path>,
}

/// Why no article was written.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// The date, the title or the article itself is wrong.
    #[error("{} problem(s) with the new article", .0.len())]
    Invalid(Vec<Diagnostic>),
    /// A file of that name exists: it is left alone.
    #[error("{} already exists; it was left as it is", .0.display())]
    Exists(PathBuf),
    /// The folder is not inside the site's content folder.
    #[error(
        "{} is not inside the site's content folder (once `..` and symbolic links are followed), so the article would not be part of the site",
        .0.display()
    )]
    OutsideContent(PathBuf),
    /// The message says the I/O error; it is not also a source, so the
    /// binary's chain of causes does not say it twice.
    #[error("cannot write {path}: {1}", path = .0.display())]
    Io(PathBuf, io::Error),
}

/// The values a template for a new article sees.
#[derive(Serialize)]
struct Values<'a> {
    /// The title, quoted for YAML.
    title: String,
    /// The title as given.
    title_text: &'a str,
    date: &'a str,
    kind: Option<&'a str>,
    status: Option<&'a str>,
    /// The file name, without `.md`.
    slug: &'a str,
}

/// Writes a new article; returns its path.
pub fn new_article(new: &NewArticle<'_>) -> Result<PathBuf, NewError> {
    let (date, slug) = check_arguments(new)?;
    let dir = match new.dir {
        Some(dir) => dir.to_path_buf(),
        None => new
            .root
            .join(CONTENT_DIR)
            .join(crate::date::year_slug(date.year())),
    };
    let content = std::path::absolute(new.root.join(CONTENT_DIR))
        .map_err(|e| NewError::Io(new.root.to_path_buf(), e))?;
    let absolute = std::path::absolute(&dir).map_err(|e| NewError::Io(dir.clone(), e))?;
    // `content/../..` and a link in `content/` that leads out of it are
    // outside, whatever the path's words say.
    let leads_inside = crate::files::resolves_inside(&content, &absolute)
        .map_err(|e| NewError::Io(dir.clone(), e))?;
    let inside = match absolute.strip_prefix(&content) {
        Ok(inside)
            if leads_inside
                && inside
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_))) =>
        {
            inside
        }
        _ => return Err(NewError::OutsideContent(dir)),
    };
    let path = dir.join(format!("{slug}.md"));
    let rel_content = files::to_slash(&inside.join(format!("{slug}.md")));
    let text = fill(new, &slug)?;
    // Parsed before it is written: what `check` would say of it.
    let rel = Path::new(CONTENT_DIR).join(&rel_content);
    let (_, diagnostics) =
        content::article_from_bytes(&rel, &rel_content, text.clone().into_bytes(), None);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(NewError::Invalid(diagnostics));
    }
    fs::create_dir_all(&dir).map_err(|e| NewError::Io(dir.clone(), e))?;
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(NewError::Exists(path)),
        Err(e) => return Err(NewError::Io(path, e)),
    };
    io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| NewError::Io(path.clone(), e))?;
    // `./content/…` reads better as `content/…`.
    Ok(path
        .strip_prefix(".")
        .map_or(path.clone(), Path::to_path_buf))
}

/// The date, parsed, and a file name from the title; or diagnostics that
/// point into the arguments as `check` would into a file.
fn check_arguments(new: &NewArticle<'_>) -> Result<(EventDate, String), NewError> {
    let mut problems = Vec::new();
    let date = match EventDate::parse(new.date) {
        Ok(date) => Some(date),
        Err(e) => {
            let location = LineIndex::new(new.date).locate(e.offset, e.len);
            problems.push(
                Diagnostic::error(Code::DateInvalid, "--date", e.message)
                    .at(Some(location))
                    .maybe_hint(e.hint),
            );
            None
        }
    };
    let slug = slug::slugify(new.title);
    if slug.is_empty() {
        problems.push(
            Diagnostic::error(Code::EmptyValue, "title", "the title gives no file name: it has no letters or digits")
                .hint("give a title with words in it; `slug:` in the front matter can name the page afterwards"),
        );
    }
    match date {
        Some(date) if problems.is_empty() => Ok((date, slug)),
        _ => Err(NewError::Invalid(problems)),
    }
}

/// The article's text, from the site's template or the built-in one.
fn fill(new: &NewArticle<'_>, slug: &str) -> Result<String, NewError> {
    let (name, source) = match new.template {
        Some(path) => {
            let source =
                files::read_text(Path::new(""), path).map_err(|d| NewError::Invalid(vec![d]))?;
            (path.display().to_string(), source)
        }
        None => ("new article".to_string(), BUILT_IN.to_string()),
    };
    let values = Values {
        title: yaml::quote(new.title),
        title_text: new.title,
        date: new.date.trim(),
        kind: new.kind,
        status: new.status,
        slug,
    };
    let mut tera = tera::Tera::new();
    let rendered = tera
        .add_raw_template(&name, &source)
        .and_then(|()| tera::Context::from_serialize(&values))
        .and_then(|context| tera.render(&name, &context));
    rendered.map_err(|e| {
        let path = new
            .template
            .map_or_else(|| PathBuf::from(&name), Path::to_path_buf);
        NewError::Invalid(vec![Diagnostic::error(
            Code::TemplateRender,
            path,
            format!("template error: {e}"),
        )])
    })
}
