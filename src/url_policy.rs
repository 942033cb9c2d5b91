//! Which addresses a page may link to: one allowlist for markdown links and
//! images and for addresses in front matter alike.
//!
//! Allowed: `http:`, `https:`, `mailto:`, and relative references (a path,
//! `/from/the/root`, `#fragment`, `//host/path`). Everything else, and
//! `javascript:`, `vbscript:` and `data:` above all, could run a script or
//! smuggle a document when a reader clicks, so it is refused.

/// What kind of address was allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    /// `http:` or `https:`, with a host.
    Web,
    Mail,
    /// No scheme: a path, a fragment, or `//host/path`.
    Relative,
}

/// Why an address was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// A scheme outside the allowlist (lowercased).
    Scheme(String),
    /// `http:`/`https:` that is not a web address (no host, bad characters).
    Malformed(String),
}

impl Refused {
    pub fn message(&self) -> String {
        match self {
            Refused::Scheme(s) => format!(
                "`{s}:` addresses are not allowed: links may use http:, https:, mailto: or a path"
            ),
            Refused::Malformed(e) => format!("not a web address ({e})"),
        }
    }
}

/// The hint every refusal carries.
pub const HINT: &str =
    "write an http: or https: address, a mailto: address, or a path such as /images/map.svg";

/// The scheme of an address, as a browser reads it: ASCII whitespace and
/// control characters are dropped first (`java\tscript:` is `javascript:`).
fn scheme(text: &str) -> Option<String> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    let end = cleaned.find([':', '/', '?', '#'])?;
    if cleaned.as_bytes()[end] != b':' {
        return None;
    }
    let scheme = &cleaned[..end];
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Checks an address against the allowlist.
pub fn check(text: &str) -> Result<Allowed, Refused> {
    match scheme(text).as_deref() {
        None => Ok(Allowed::Relative),
        Some("mailto") => Ok(Allowed::Mail),
        Some("http" | "https") => match url::Url::parse(text.trim()) {
            Ok(u) if u.has_host() => Ok(Allowed::Web),
            Ok(_) => Err(Refused::Malformed("it has no host".into())),
            Err(e) => Err(Refused::Malformed(e.to_string())),
        },
        Some(other) => Err(Refused::Scheme(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_web_mail_and_relative() {
        assert_eq!(check("https://example.org/x"), Ok(Allowed::Web));
        assert_eq!(check(" HTTP://example.org"), Ok(Allowed::Web));
        assert_eq!(check("mailto:desk@example.org"), Ok(Allowed::Mail));
        for relative in [
            "/images/a.svg",
            "a.md",
            "../b.md#x",
            "#top",
            "//cdn.example.org/x",
            "?q=1",
            "a/b:c",
        ] {
            assert_eq!(check(relative), Ok(Allowed::Relative), "{relative}");
        }
    }

    #[test]
    fn refuses_everything_else() {
        for (text, scheme) in [
            ("javascript:alert(1)", "javascript"),
            (" JAVASCRIPT:x", "javascript"),
            ("java\tscript:x", "javascript"),
            ("vbscript:x", "vbscript"),
            ("data:text/html,x", "data"),
            ("ftp://example.org", "ftp"),
            ("file:///etc/passwd", "file"),
        ] {
            assert_eq!(check(text), Err(Refused::Scheme(scheme.into())), "{text}");
        }
        assert!(matches!(check("https://"), Err(Refused::Malformed(_))));
    }
}
