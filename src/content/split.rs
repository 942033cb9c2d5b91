//! Splitting a file into its YAML front matter and its markdown body.
//!
//! The front matter sits between a first line `---` and the next line `---`.
//! Both `\n` and `\r\n` line endings are accepted (and may be mixed); a UTF-8
//! byte-order mark is removed before the text reaches this module. The split
//! keeps byte offsets so errors later point at the right place in the file.

/// The two parts of a file, as slices of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences (without them).
    pub front_matter: &'a str,
    /// Byte offset of the front matter in the file.
    pub front_matter_offset: usize,
    /// 1-based line of the file on which the front matter starts.
    pub front_matter_line: usize,
    /// The markdown after the closing fence.
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// The file is empty or only whitespace.
    Empty,
    /// The first line is not `---`.
    NoOpeningFence,
    /// There is an opening `---` and never a closing one.
    NotClosed,
}

impl SplitError {
    pub fn message(self) -> &'static str {
        match self {
            SplitError::Empty => {
                "the file is empty: an article starts with front matter between two `---` lines"
            }
            SplitError::NoOpeningFence => {
                "expected front matter: the first line of the file must be `---`"
            }
            SplitError::NotClosed => {
                "the front matter is never closed: no line `---` after the first one"
            }
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            SplitError::Empty | SplitError::NoOpeningFence => {
                "start the file with `---`, then `title: ...` and `date: ...`, then a line `---`, then the text"
            }
            SplitError::NotClosed => "add a line `---` after the last front-matter key",
        }
    }
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\n', '\r'])
        .trim_end_matches([' ', '\t'])
        == "---"
}

/// Splits `text`, which must start with a `---` line.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if !is_fence(first) {
        return Err(SplitError::NoOpeningFence);
    }
    let fm_start = first.len();
    let mut offset = fm_start;
    for line in lines {
        if is_fence(line) {
            return Ok(Split {
                front_matter: &text[fm_start..offset],
                front_matter_offset: fm_start,
                front_matter_line: 2,
                body: &text[offset + line.len()..],
                body_offset: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(SplitError::NotClosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(s.front_matter, "title: A\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_offset, 17);
        assert_eq!(s.front_matter_offset, 4);
    }

    #[test]
    fn crlf_and_mixed_endings() {
        let s = split("---\r\ntitle: A\r\n---\r\nBody\n").unwrap();
        assert_eq!(s.front_matter, "title: A\r\n");
        assert_eq!(s.body, "Body\n");
        let s = split("---\ntitle: A\r\n---  \nBody").unwrap();
        assert_eq!(s.front_matter, "title: A\r\n");
        assert_eq!(s.body, "Body");
    }

    #[test]
    fn empty_body_and_empty_front_matter() {
        let s = split("---\ntitle: A\n---").unwrap();
        assert_eq!(s.body, "");
        let s = split("---\n---\n").unwrap();
        assert_eq!(s.front_matter, "");
    }

    #[test]
    fn a_rule_in_the_body_is_not_a_fence() {
        let s = split("---\na: 1\n---\ntext\n---\nmore\n").unwrap();
        assert_eq!(s.body, "text\n---\nmore\n");
    }

    #[test]
    fn errors() {
        assert_eq!(split(""), Err(SplitError::Empty));
        assert_eq!(split(" \n\n"), Err(SplitError::Empty));
        assert_eq!(split("---"), Err(SplitError::NotClosed));
        assert_eq!(split("---\ntitle: A\n"), Err(SplitError::NotClosed));
        assert_eq!(split("title: A\n---\n"), Err(SplitError::NoOpeningFence));
        assert_eq!(split("----\n"), Err(SplitError::NoOpeningFence));
    }
}
