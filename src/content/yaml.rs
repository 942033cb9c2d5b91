//! Front-matter YAML, read into a tree of values that know where they are.
//!
//! This is the one module that calls serde_yaml (archived upstream: keeping
//! it here means replacing it touches one file). serde_yaml reads the values
//! and reports syntax errors; it does not say where a value sits, so
//! saphyr-parser's event stream supplies the positions, which are merged
//! into the tree by key and by index. Everything else in chronicle sees only
//! `Node`, never a serde_yaml type.

use saphyr_parser::{Event, Parser, Span as YSpan};

/// A position in the front-matter text: 1-based line, 0-based character
/// column, width in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub line: usize,
    pub col0: usize,
    pub width: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
    /// A YAML tag such as `!foo`: never valid in front matter.
    Tagged,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Value {
    /// What a value is, in words, for "expected X, found Y".
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Int(_) => "a number",
            Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a set of keys",
            Value::Tagged => "a tagged value",
        }
    }
}

/// A YAML syntax error, positioned in the front-matter text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    /// 1-based line and 0-based character column, when known.
    pub position: Option<(usize, usize)>,
    /// What the parser was in the middle of, and where that began
    /// (`while parsing a flow sequence`, line, 0-based column).
    pub context: Option<(String, usize, usize)>,
}

/// Deeper nesting than this is refused (serde_yaml's own limit is 128).
pub const MAX_FLOW_DEPTH: usize = 128;

/// libyaml's scanner takes time quadratic in the depth of `[`/`{` nesting
/// (40,000 `[` cost 2 s; a megabyte of them, many minutes), so flow nesting is
/// measured first, in one pass: brackets inside quoted scalars and comments
/// do not count.
fn check_flow_depth(text: &str) -> Result<(), YamlError> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut previous = b'\n';
    let mut line = 1;
    let mut line_start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(b'"') if b == b'\\' => i += 1,
            Some(q) if b == q => {
                if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 1;
                } else {
                    quote = None;
                }
            }
            Some(_) => {}
            None => match b {
                b'"' | b'\''
                    if matches!(previous, b' ' | b'\t' | b'\n' | b'[' | b'{' | b',' | b':') =>
                {
                    quote = Some(b)
                }
                b'#' if matches!(previous, b' ' | b'\t' | b'\n') => {
                    while i + 1 < bytes.len() && bytes[i + 1] != b'\n' {
                        i += 1;
                    }
                }
                b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Err(YamlError {
                            message: format!(
                                "lists or sets of keys are nested more than {MAX_FLOW_DEPTH} deep"
                            ),
                            position: Some((line, text[line_start..i].chars().count())),
                            context: None,
                        });
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        if b == b'\n' {
            line += 1;
            line_start = i + 1;
        }
        previous = b;
        i += 1;
    }
    Ok(())
}

/// `text` as a YAML double-quoted scalar, which reads back as exactly
/// `text` whatever it holds (colons, quotes, `#`, a leading `[`).
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Parses front-matter YAML. An empty text is `Value::Null`.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    check_flow_depth(text)?;
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let (message, context) = split_message(&e.to_string());
        YamlError {
            message,
            position: e
                .location()
                .map(|l| (l.line(), l.column().saturating_sub(1))),
            context,
        }
    })?;
    let spans = span_tree(text);
    let root_span = spans.as_ref().map_or(
        Span {
            line: 1,
            col0: 0,
            width: 1,
        },
        |s| s.span(),
    );
    Ok(merge(value, spans.as_ref(), root_span))
}

/// serde_yaml writes "MESSAGE at line L column C[, while parsing X at line
/// L column C]"; positions are shown by the caller, in file coordinates.
fn split_message(full: &str) -> (String, Option<(String, usize, usize)>) {
    let message = full.split(" at line ").next().unwrap_or(full).to_string();
    let context = full.split_once(", while ").and_then(|(_, rest)| {
        let (what, position) = rest.split_once(" at line ")?;
        let (line, column) = position.split_once(" column ")?;
        let line = line.trim().parse().ok()?;
        let column: usize = column.trim().parse().ok()?;
        Some((format!("while {what}"), line, column.saturating_sub(1)))
    });
    (message, context)
}

/// Positions of the nodes in the text, from saphyr-parser's events.
#[derive(Debug)]
enum SpanNode {
    Leaf(Span),
    Seq(Span, Vec<SpanNode>),
    Map(Span, Vec<(String, Span, SpanNode)>),
}

impl SpanNode {
    fn span(&self) -> Span {
        match self {
            SpanNode::Leaf(s) | SpanNode::Seq(s, _) | SpanNode::Map(s, _) => *s,
        }
    }
}

fn to_span(span: &YSpan, text_of_line: impl Fn(usize) -> usize) -> Span {
    let (start, end) = (span.start, span.end);
    let width = if end.line() == start.line() {
        end.col().saturating_sub(start.col())
    } else {
        text_of_line(start.line()).saturating_sub(start.col())
    };
    Span {
        line: start.line(),
        col0: start.col(),
        width: width.max(1),
    }
}

/// Builds the position tree, or `None` if saphyr cannot read the text (the
/// values still come from serde_yaml; only positions are lost).
fn span_tree(text: &str) -> Option<SpanNode> {
    let line_lengths: Vec<usize> = text.lines().map(|l| l.chars().count()).collect();
    let line_len = |line: usize| line_lengths.get(line.wrapping_sub(1)).copied().unwrap_or(0);

    enum Frame {
        Seq(Span, Vec<SpanNode>),
        Map(Span, Vec<(String, Span, SpanNode)>, Option<(String, Span)>),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut root = None;

    // Attaches a finished node to its parent (or makes it the root).
    fn attach(
        stack: &mut [Frame],
        root: &mut Option<SpanNode>,
        node: SpanNode,
        scalar_key: Option<&str>,
    ) {
        match stack.last_mut() {
            None => *root = Some(node),
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, pending)) => match pending.take() {
                Some((key, key_span)) => entries.push((key, key_span, node)),
                None => {
                    let key = scalar_key.unwrap_or("").to_string();
                    *pending = Some((key, node.span()));
                }
            },
        }
    }

    for event in Parser::new_from_str(text) {
        let (event, span) = event.ok()?;
        let span = to_span(&span, line_len);
        match event {
            Event::Scalar(value, ..) => {
                attach(&mut stack, &mut root, SpanNode::Leaf(span), Some(&value));
            }
            Event::Alias(_) => attach(&mut stack, &mut root, SpanNode::Leaf(span), None),
            Event::SequenceStart(..) => stack.push(Frame::Seq(span, Vec::new())),
            Event::MappingStart(..) => stack.push(Frame::Map(span, Vec::new(), None)),
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match stack.pop()? {
                    Frame::Seq(s, items) => SpanNode::Seq(s, items),
                    Frame::Map(s, entries, _) => SpanNode::Map(s, entries),
                };
                attach(&mut stack, &mut root, node, None);
            }
            Event::StreamEnd => break,
            _ => {}
        }
    }
    root
}

fn scalar_text(value: &serde_yaml::Value) -> String {
    match value {
        serde_yaml::Value::Null => "null".into(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::String(s) => s.clone(),
        _ => "<complex key>".into(),
    }
}

fn merge(value: serde_yaml::Value, spans: Option<&SpanNode>, fallback: Span) -> Node {
    let span = spans.map_or(fallback, SpanNode::span);
    let value = match value {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_yaml::Value::String(s) => Value::Str(s),
        serde_yaml::Value::Sequence(items) => {
            let child_spans = match spans {
                Some(SpanNode::Seq(_, children)) => Some(children),
                _ => None,
            };
            Value::Seq(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| merge(item, child_spans.and_then(|c| c.get(i)), span))
                    .collect(),
            )
        }
        serde_yaml::Value::Mapping(map) => {
            let child_spans = match spans {
                Some(SpanNode::Map(_, children)) => Some(children),
                _ => None,
            };
            Value::Map(
                map.into_iter()
                    .enumerate()
                    .map(|(i, (k, v))| {
                        let key = scalar_text(&k);
                        // Both parsers keep the keys in order: look at the same
                        // index first, and search only if they disagree.
                        let found = child_spans.and_then(|c| {
                            c.get(i)
                                .filter(|(name, ..)| *name == key)
                                .or_else(|| c.iter().find(|(name, ..)| *name == key))
                        });
                        let key_span = found.map_or(span, |(_, s, _)| *s);
                        Entry {
                            value: merge(v, found.map(|(.., n)| n), key_span),
                            key,
                            key_span,
                        }
                    })
                    .collect(),
            )
        }
        serde_yaml::Value::Tagged(_) => Value::Tagged,
    };
    Node { value, span }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(node: &Node) -> &[Entry] {
        match &node.value {
            Value::Map(entries) => entries,
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn values_carry_their_positions() {
        let node =
            parse("title: Camp David\ndate: \"2023-08-18\"\ntags:\n  - a\n  - bee\n").unwrap();
        let entries = map(&node);
        assert_eq!(entries[0].key, "title");
        assert_eq!(
            entries[0].key_span,
            Span {
                line: 1,
                col0: 0,
                width: 5
            }
        );
        assert_eq!(
            entries[0].value.span,
            Span {
                line: 1,
                col0: 7,
                width: 10
            }
        );
        assert_eq!(entries[1].value.value, Value::Str("2023-08-18".into()));
        assert_eq!(entries[1].value.span.line, 2);
        assert_eq!(entries[1].value.span.col0, 6);
        let Value::Seq(items) = &entries[2].value.value else {
            panic!()
        };
        assert_eq!(
            items[1].span,
            Span {
                line: 5,
                col0: 4,
                width: 3
            }
        );
    }

    #[test]
    fn integers_and_nulls() {
        let node = parse("date: 2024\nsummary:\n").unwrap();
        let entries = map(&node);
        assert_eq!(entries[0].value.value, Value::Int(2024));
        assert_eq!(entries[1].value.value, Value::Null);
        assert_eq!(parse("").unwrap().value, Value::Null);
        assert_eq!(parse("# only a comment\n").unwrap().value, Value::Null);
    }

    #[test]
    fn deep_flow_nesting_is_refused_quickly() {
        let text = format!("title: x\na: {}", "[".repeat(1 << 20));
        let started = std::time::Instant::now();
        let err = parse(&text).unwrap_err();
        assert!(started.elapsed().as_secs() < 2);
        assert_eq!(err.position, Some((2, 3 + MAX_FLOW_DEPTH)));
        // Brackets in quotes and comments are text.
        let quoted = format!(
            "title: \"{}\"\nb: '{}' # {}\nc: [[1], {{d: [2]}}]\n",
            "[".repeat(500),
            "{".repeat(500),
            "[".repeat(500)
        );
        assert!(parse(&quoted).is_ok());
        assert!(parse("t: Korea's [court] ruling\n").is_ok());
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let err = parse("title: A\ndate: [2024\n").unwrap_err();
        assert!(err.position.is_some(), "{err:?}");
        assert!(!err.message.contains(" at line "), "{}", err.message);
        assert_eq!(
            err.context,
            Some(("while parsing a flow sequence".into(), 2, 6))
        );
        let err = parse("title: A\ntitle: B\n").unwrap_err();
        assert!(err.message.contains("duplicate"), "{}", err.message);
    }
}
