//! TimelineJS's HTML text to chronicle's: markdown for bodies (htmd, a
//! turndown.js port), plain text for titles, captions and credits.
//!
//! A link chronicle would refuse (`javascript:`, `data:`, an address that
//! looks like an internal `.md` link) or that leads nowhere in the new
//! site (a relative address) keeps its words and loses its address; an embedded player or frame becomes a link to what it shows;
//! scripts and styles are dropped. Each is a note, so the import reports it.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::{Element, HtmlToMarkdown};

use crate::content::markdown;
use crate::url_policy;

type Notes = Arc<Mutex<Vec<String>>>;

/// The ids of the articles the import makes: a relative link to one's
/// address (`/2023/summit/`, as chronicle's own export writes "Read the
/// article", perhaps under a base path) becomes an internal link to it
/// (`@/2023/summit.md`), which the new site resolves.
pub type Articles = Arc<BTreeSet<String>>;

/// HTML to markdown; what could not be carried is added to `notes`.
pub fn to_markdown(html: &str, notes: &mut Vec<String>) -> String {
    to_markdown_in(html, notes, &Articles::default())
}

/// [`to_markdown`], with links to the imported `articles` kept.
pub fn to_markdown_in(html: &str, notes: &mut Vec<String>, articles: &Articles) -> String {
    if html.trim().is_empty() {
        return String::new();
    }
    let found: Notes = Arc::default();
    let converter = converter(&found, articles);
    let markdown = converter.convert(html).unwrap_or_default();
    notes.extend(found.lock().map(|n| n.clone()).unwrap_or_default());
    markdown.trim().to_string()
}

fn converter(notes: &Notes, articles: &Articles) -> HtmlToMarkdown {
    let options = htmd::options::Options {
        bullet_list_marker: htmd::options::BulletListMarker::Dash,
        ul_bullet_spacing: 1,
        ol_number_spacing: 1,
        ..Default::default()
    };
    let (links, images, embeds) = (notes.clone(), notes.clone(), notes.clone());
    let articles = articles.clone();
    HtmlToMarkdown::builder()
        .options(options)
        .skip_tags(vec!["script", "style", "noscript", "template"])
        .add_handler(vec!["a"], move |h: &dyn Handlers, e: Element| {
            link(h, e, &links, &articles)
        })
        .add_handler(vec!["img"], move |h: &dyn Handlers, e: Element| {
            image(h, e, &images)
        })
        .add_handler(
            vec!["iframe", "embed", "video", "audio", "object"],
            move |h: &dyn Handlers, e: Element| embed(h, e, &embeds),
        )
        .build()
}

fn attr(e: &Element, name: &str) -> Option<String> {
    e.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| a.value.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Why chronicle would refuse an address in a body, if it would. A
/// relative address (`images/map.png`, `/about/`, `#notes`, `//host/x`)
/// meant a place beside the page the timeline was shown on: in the new
/// site it leads nowhere, and `build` checks every link.
fn refused(address: &str) -> Option<String> {
    match url_policy::check(address) {
        Err(r) => Some(r.message()),
        Ok(url_policy::Allowed::Relative) => {
            Some(if markdown::internal_target(address, "").is_some() {
                "chronicle would read it as a link to one of its own articles".to_string()
            } else {
                "a relative address leads beside the page the timeline was on, not into this site"
                    .to_string()
            })
        }
        Ok(_) => None,
    }
}

fn note(notes: &Notes, text: String) {
    if let Ok(mut n) = notes.lock() {
        n.push(text);
    }
}

/// The id of the imported article at `address`, if it is one's address:
/// `/2023/summit/`, or `/news/2023/summit/` under a base path.
fn article_at(address: &str, articles: &Articles) -> Option<String> {
    let path = address.split(['#', '?']).next()?;
    let path = path.strip_prefix('/')?.trim_end_matches('/');
    let mut rest = path;
    loop {
        if articles.contains(rest) {
            return Some(rest.to_string());
        }
        rest = rest.split_once('/')?.1;
    }
}

fn link(h: &dyn Handlers, e: Element, notes: &Notes, articles: &Articles) -> Option<HandlerResult> {
    let Some(href) = attr(&e, "href") else {
        return Some(h.walk_children(e.node));
    };
    if let Some(id) = article_at(&href, articles) {
        let words = h.walk_children(e.node).content;
        return Some(format!("[{}](@/{id}.md)", words.trim()).into());
    }
    match refused(&href) {
        None => h.fallback(e),
        Some(why) => {
            note(
                notes,
                format!(
                    "a link to `{}` in its text was left out, its words kept ({why})",
                    href.escape_debug()
                ),
            );
            Some(h.walk_children(e.node))
        }
    }
}

fn image(h: &dyn Handlers, e: Element, notes: &Notes) -> Option<HandlerResult> {
    let src = attr(&e, "src").unwrap_or_default();
    match refused(&src).or_else(|| src.is_empty().then(|| "it has no address".into())) {
        None => h.fallback(e),
        Some(why) => {
            note(notes, format!("an image in its text was left out ({why})"));
            Some(attr(&e, "alt").unwrap_or_default().into())
        }
    }
}

fn embed(_: &dyn Handlers, e: Element, notes: &Notes) -> Option<HandlerResult> {
    let src = attr(&e, "src").or_else(|| attr(&e, "data"));
    match src.filter(|s| refused(s).is_none()) {
        Some(src) => {
            note(
                notes,
                format!("an embedded {} in its text became a link to {src}", e.tag),
            );
            Some(format!("[{src}]({src})").into())
        }
        None => {
            note(
                notes,
                format!("an embedded {} in its text was left out", e.tag),
            );
            Some(String::new().into())
        }
    }
}

/// HTML to plain text: tags dropped, entities decoded, whitespace collapsed.
pub fn to_plain(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return collapse(html);
    }
    let mut ignored = Vec::new();
    markdown_to_plain(&to_markdown(html, &mut ignored))
}

/// The words of a piece of markdown, whitespace collapsed.
pub fn markdown_to_plain(md: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for event in Parser::new(md) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    collapse(&out)
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text`, or its first `chars` characters and `…`: an echo of a huge
/// value stays readable.
pub fn cut(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> (String, Vec<String>) {
        let mut notes = Vec::new();
        (to_markdown(html, &mut notes), notes)
    }

    #[test]
    fn html_becomes_markdown() {
        let (text, notes) = md(
            "<p>The <b>treaty</b> &amp; its <i>annex</i> &lt;draft&gt;</p><ul><li>one</li><li>two</li></ul><p><a href=\"https://example.org/a\">Read</a></p>",
        );
        assert_eq!(
            text,
            "The **treaty** & its *annex* \\<draft>\n\n- one\n- two\n\n[Read](https://example.org/a)"
        );
        assert!(notes.is_empty());
    }

    #[test]
    fn refused_links_keep_their_words() {
        let (text, notes) = md(
            "<p><a href=\"javascript:alert(1)\">click</a> and <a href=\"notes.md\">notes</a><script>x()</script></p>",
        );
        assert_eq!(text, "click and notes");
        assert_eq!(notes.len(), 2, "{notes:?}");
        // Regression (issue 28, item 7): relative addresses were kept, and
        // the imported site failed to build with `broken-link`.
        let (text, notes) = md(
            "<p><a href=\"about.html\">about</a> <a href=\"#n\">n</a> <img src=\"img/a.png\" alt=\"map\"> <a href=\"/x/\">x</a></p>",
        );
        assert_eq!(text, "about n map x");
        assert_eq!(notes.len(), 4, "{notes:?}");
    }

    #[test]
    fn embeds_become_links() {
        let (text, notes) = md("<iframe src=\"https://player.example.org/v/1\"></iframe>");
        assert_eq!(
            text,
            "[https://player.example.org/v/1](https://player.example.org/v/1)"
        );
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn plain_text_of_html() {
        assert_eq!(
            to_plain("Rome &amp; <i>Carthage</i>\n  at war"),
            "Rome & Carthage at war"
        );
        assert_eq!(to_plain("5 * 3 = 15 [sic]"), "5 * 3 = 15 [sic]");
        assert_eq!(to_plain("a &lt;b&gt; *c*"), "a <b> *c*");
    }
}
