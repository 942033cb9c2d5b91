//! Reading typed fields out of a front-matter tree, with a diagnostic at the
//! exact place of every value that is wrong, and "did you mean" for keys.
//!
//! Shared by articles and the site settings: both are a flat set of known
//! keys whose values are text, lists of text, dates or choices.

use std::path::Path;

use super::yaml::{Entry, Node, Span, Value};
use crate::date;
use crate::diagnostics::{Code, Diagnostic, LineIndex, Location, did_you_mean};
use crate::model::{Located, Pos};
use crate::url_policy;

pub struct Fields<'a> {
    path: &'a Path,
    index: &'a LineIndex<'a>,
    /// The file line on which front-matter line 1 sits.
    first_line: usize,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    pub fn new(path: &'a Path, index: &'a LineIndex<'a>, first_line: usize) -> Self {
        Fields {
            path,
            index,
            first_line,
            diagnostics: Vec::new(),
        }
    }

    pub fn path(&self) -> &Path {
        self.path
    }

    /// The location in the file of a span of the front matter.
    pub fn locate(&self, span: Span) -> Location {
        self.index
            .locate_line_col(span.line + self.first_line - 1, span.col0, span.width)
    }

    /// The position in the file of a span of the front matter, kept cheaply.
    pub fn pos(&self, span: Span) -> Pos {
        Pos {
            line: span.line + self.first_line - 1,
            col0: span.col0,
            width: span.width,
        }
    }

    /// The location of a part of a text value: `offset` and `len` are bytes
    /// within the value, which may be quoted in the file.
    pub fn locate_within(&self, span: Span, value: &str, offset: usize, len: usize) -> Location {
        let line = span.line + self.first_line - 1;
        let at = self.index.offset_of(line, span.col0);
        let quoted = matches!(self.index.text().as_bytes().get(at), Some(b'"' | b'\''));
        let before = value.get(..offset).map_or(0, |s| s.chars().count());
        let width = value
            .get(offset..offset + len)
            .map_or(1, |s| s.chars().count());
        self.index
            .locate_line_col(line, span.col0 + usize::from(quoted) + before, width)
    }

    pub fn error(&mut self, code: Code, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        let location = self.locate(span);
        self.push(Diagnostic::error(code, self.path, message).at(Some(location)))
    }

    pub fn push(&mut self, diagnostic: Diagnostic) -> &mut Diagnostic {
        self.diagnostics.push(diagnostic);
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// Reports a key that is not among `known`, with a suggestion.
    pub fn unknown_key(&mut self, entry: &Entry, what: &str, known: &[&str]) {
        let hint = match did_you_mean(&entry.key, known) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("the keys of {what} are: {}", known.join(", ")),
        };
        let message = format!("unknown key `{}` in {what}", entry.key.escape_debug());
        self.error(Code::UnknownKey, entry.key_span, message).hint = Some(hint);
    }

    fn expected(&mut self, node: &Node, field: &str, what: &str) {
        let message = format!("`{field}` must be {what}, found {}", node.value.describe());
        self.error(Code::WrongType, node.span, message);
    }

    /// Text; other scalars are read as the text they were written as, so
    /// `title: 1984` is the title "1984". `None` for a missing value.
    pub fn text(&mut self, node: &Node, field: &str) -> Option<String> {
        match &node.value {
            Value::Null => None,
            Value::Str(s) => Some(s.clone()),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => Some(self.source_text(node)),
            _ => {
                self.expected(node, field, "text");
                None
            }
        }
    }

    /// Non-empty text, after trimming.
    pub fn nonempty_text(&mut self, node: &Node, field: &str) -> Option<String> {
        match &node.value {
            Value::Null => {
                self.error(Code::EmptyValue, node.span, format!("`{field}` is empty"));
                None
            }
            _ => {
                let text = self.text(node, field)?;
                let trimmed = text.trim();
                if trimmed.is_empty() {
                    self.error(Code::EmptyValue, node.span, format!("`{field}` is empty"));
                    return None;
                }
                Some(trimmed.to_string())
            }
        }
    }

    /// The characters of a scalar as they stand in the file.
    fn source_text(&self, node: &Node) -> String {
        let line = node.span.line + self.first_line - 1;
        let start = self.index.offset_of(line, node.span.col0);
        let end = self.index.offset_of(line, node.span.col0 + node.span.width);
        self.index.text()[start..end.max(start)].trim().to_string()
    }

    /// A list of non-empty texts; a single text is taken as a list of one.
    pub fn text_list(&mut self, node: &Node, field: &str) -> Vec<Located<String>> {
        let items: Vec<&Node> = match &node.value {
            Value::Null => return Vec::new(),
            Value::Seq(items) => items.iter().collect(),
            Value::Str(_) => vec![node],
            _ => {
                self.expected(node, field, "a list of text");
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items {
            if matches!(item.value, Value::Seq(_) | Value::Map(_)) {
                self.expected(item, field, "a list of text");
                continue;
            }
            if let Some(text) = self.nonempty_text(item, field) {
                out.push(Located {
                    value: text,
                    pos: self.pos(item.span),
                });
            }
        }
        out
    }

    pub fn boolean(&mut self, node: &Node, field: &str) -> Option<bool> {
        match node.value {
            Value::Null => None,
            Value::Bool(b) => Some(b),
            _ => {
                self.expected(node, field, "true or false");
                None
            }
        }
    }

    /// A `slug`: lowercase letters a–z, digits and hyphens (an article's,
    /// or a registry record's), with the slug of what was written as the
    /// hint where it is not one.
    pub fn slug(&mut self, node: &Node) -> Option<String> {
        let slug = self.nonempty_text(node, "slug")?;
        if slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Some(slug);
        }
        let suggestion = slug::slugify(&slug);
        let message = format!(
            "`slug` may hold only lowercase letters a–z, digits and hyphens, found `{}`",
            slug.escape_debug()
        );
        self.error(Code::SlugInvalid, node.span, message).hint =
            (!suggestion.is_empty()).then(|| format!("did you mean `slug: {suggestion}`?"));
        None
    }

    /// An IANA time zone name (`Asia/Tokyo`).
    pub fn zone(&mut self, node: &Node, field: &str) -> Option<chrono_tz::Tz> {
        let text = self.text(node, field)?;
        match date::parse_zone(text.trim()) {
            Ok(tz) => Some(tz),
            Err(hint) => {
                let message = format!(
                    "`{field}`: `{}` is not a time zone chronicle knows",
                    text.escape_debug()
                );
                self.error(Code::TimezoneUnknown, node.span, message).hint = Some(hint);
                None
            }
        }
    }

    /// A full `YYYY-MM-DD` day.
    pub fn day(&mut self, node: &Node, field: &str) -> Option<chrono::NaiveDate> {
        let text = self.text(node, field)?;
        match date::parse_day(&text) {
            Ok(day) => Some(day),
            Err(e) => {
                let location = self.locate_within(node.span, &text, e.offset, e.len);
                let message = format!("`{field}`: {}", e.message);
                self.push(
                    Diagnostic::error(Code::DateInvalid, self.path, message)
                        .at(Some(location))
                        .maybe_hint(e.hint),
                );
                None
            }
        }
    }

    /// An address allowed by the URL policy (`http`, `https`, `mailto`, a
    /// relative path).
    pub fn url(&mut self, node: &Node, field: &str) -> Option<String> {
        let text = self.text(node, field)?;
        match url_policy::check(&text) {
            Ok(_) => Some(text.trim().to_string()),
            Err(refused) => {
                let code = match refused {
                    url_policy::Refused::Scheme(_) => Code::UrlRefused,
                    url_policy::Refused::Malformed(_) => Code::UrlInvalid,
                };
                let message = format!("`{field}`: {}", refused.message());
                self.error(code, node.span, message).hint = Some(url_policy::HINT.into());
                None
            }
        }
    }

    /// One of a fixed set of words.
    pub fn choice<T>(
        &mut self,
        node: &Node,
        field: &str,
        names: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let text = self.text(node, field)?;
        let trimmed = text.trim();
        if let Some(value) = parse(trimmed) {
            return Some(value);
        }
        let hint = match did_you_mean(trimmed, names) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("write one of: {}", names.join(", ")),
        };
        let message = format!(
            "`{field}` must be one of {}, found `{}`",
            names.join(", "),
            trimmed.escape_debug()
        );
        self.error(Code::InvalidChoice, node.span, message).hint = Some(hint);
        None
    }

    /// Entries of a map, or an error if the node is something else.
    pub fn entries<'n>(&mut self, node: &'n Node, what: &str) -> &'n [Entry] {
        match &node.value {
            Value::Map(entries) => entries,
            Value::Null => &[],
            _ => {
                let message = format!(
                    "{what} must be a set of `key: value` lines, found {}",
                    node.value.describe()
                );
                self.error(Code::WrongType, node.span, message);
                &[]
            }
        }
    }
}
