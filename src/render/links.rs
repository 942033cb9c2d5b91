//! The links check: after rendering, every internal `href` and `src` of
//! every generated HTML page (anchors included) must resolve to a file of
//! the site, or to an id in it. A broken one is a build error naming the
//! link and the pages that carry it, whatever wrote it: a template, raw
//! HTML in a body, a site's own template override.
//!
//! Each page is read where it is rendered, on the rendering threads, into its links, resolved to the site's URL
//! paths (`/2023/camp-david/#talks`), and its ids. A page that stands from
//! the last build is not rendered, so what was read of it is kept in the
//! render memo by its fingerprint; a page the memo does not know is
//! rendered again (see [`Memo::knows`]). The memo interns every string
//! once, so it grows with the distinct links of the site, not with every
//! page's copy of its navigation.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Code, Diagnostic};
use crate::fingerprint::Fingerprint;

/// What one page links to and which ids it has, as read when it was made.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Scanned {
    /// Resolved internal links, each once: a URL path from the domain's
    /// root, with its fragment (`/2023/x/#talks`).
    pub links: Vec<String>,
    /// The page's ids (and `<a name>`s), each once.
    pub ids: Vec<String>,
}

/// Where the site lives, to tell its own links from others'.
#[derive(Debug, Clone)]
pub struct Base {
    /// `https://example.org/news` (no trailing slash), if the site has one.
    pub absolute: Option<String>,
    /// `/news`, or empty.
    pub path: String,
}

/// Reads a generated page at `url` (its address from the domain's root).
pub fn scan(html: &str, url: &str, base: &Base) -> Scanned {
    let mut found = Scanned::default();
    for_each_attribute(html, |tag, name, value| match name {
        "href" | "src" => {
            if let Some(link) = resolve(&decode(value), url, base) {
                found.links.push(link);
            }
        }
        "id" => found.ids.push(decode(value).into_owned()),
        "name" if tag.eq_ignore_ascii_case("a") => found.ids.push(decode(value).into_owned()),
        _ => {}
    });
    for list in [&mut found.links, &mut found.ids] {
        list.sort_unstable();
        list.dedup();
    }
    found
}

/// Calls `f(tag, name, value)` for every attribute of every start tag, as
/// an HTML tokenizer reads them: comments, doctypes and the text of
/// `script`, `style`, `textarea` and `title` hold no tags; values are
/// quoted with `"` or `'` or unquoted; names are lowercased only when they
/// are not already (chronicle's templates write them so). lol_html, which
/// Pagefind uses, reads the same, at several times the cost: the whole
/// site is read on every cold build.
fn for_each_attribute(html: &str, mut f: impl FnMut(&str, &str, &str)) {
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[at..]) {
        at += lt + 1;
        let rest = &html[at..];
        if rest.starts_with("!--") {
            at += rest.find("-->").map_or(rest.len(), |e| e + 3);
            continue;
        }
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let name_end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let tag = &rest[..name_end];
        at += name_end;
        at += attributes(&html[at..], |n, v| f(tag, n, v));
        if let Some(raw) = ["script", "style", "textarea", "title"]
            .iter()
            .find(|r| tag.eq_ignore_ascii_case(r))
        {
            at += end_of_raw_text(&html[at..], raw);
        }
    }
}

/// Reads a start tag's attributes from just after its name; returns how
/// far it read (past the `>`).
fn attributes(tag: &str, mut f: impl FnMut(&str, &str)) -> usize {
    let b = tag.as_bytes();
    let mut i = 0;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            return (i + 1).min(b.len());
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let name = &tag[start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || b[i] != b'=' {
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let (value, next) = match b.get(i) {
            Some(q @ (b'"' | b'\'')) => {
                let end = memchr::memchr(*q, &b[i + 1..]).map_or(b.len(), |e| i + 1 + e);
                (&tag[i + 1..end], end + 1)
            }
            _ => {
                let len = tag[i..]
                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .unwrap_or(tag.len() - i);
                (&tag[i..i + len], i + len)
            }
        };
        i = next;
        if name.bytes().any(|c| c.is_ascii_uppercase()) {
            f(&name.to_ascii_lowercase(), value);
        } else {
            f(name, value);
        }
    }
}

/// How far the text of a `script` (etc.) runs, past its end tag.
fn end_of_raw_text(text: &str, tag: &str) -> usize {
    let b = text.as_bytes();
    let mut at = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[at..]) {
        at += lt + 1;
        let close = b[at..].strip_prefix(b"/").unwrap_or_default();
        if close.len() >= tag.len() && close[..tag.len()].eq_ignore_ascii_case(tag.as_bytes()) {
            return at;
        }
    }
    text.len()
}

/// An attribute's value with its character references decoded.
fn decode(value: &str) -> std::borrow::Cow<'_, str> {
    html_escape::decode_html_entities(value)
}

/// A link as a URL path from the domain's root with its fragment, if it
/// points into the site (else `None`: another site, `mailto:`, `data:`).
fn resolve(link: &str, page: &str, base: &Base) -> Option<String> {
    let link = link.trim();
    if let Some(rest) = base
        .absolute
        .as_deref()
        .and_then(|b| link.strip_prefix(b))
        .filter(|r| r.is_empty() || r.starts_with(['/', '#', '?']))
    {
        return resolve(&format!("{}{rest}", base.path), page, base);
    }
    if link.starts_with('/') && !link.starts_with("//") {
        return Some(without_query(link));
    }
    if link.starts_with("//") || has_scheme(link) {
        return None;
    }
    // A part of the page itself (`#main`, `#fn-1`): most relative links.
    // Its fragment is compared percent-decoded, so it needs no encoding.
    if link.starts_with('#') {
        return Some(format!("{page}{link}"));
    }
    // Relative: against the page's own address.
    let page = url::Url::parse("http://site.invalid")
        .and_then(|root| root.join(page))
        .ok()?;
    let joined = page.join(link).ok()?;
    let fragment = joined
        .fragment()
        .map(|f| format!("#{f}"))
        .unwrap_or_default();
    Some(format!("{}{fragment}", joined.path()))
}

/// Whether a link starts with a URL scheme (`https:`, `mailto:`).
fn has_scheme(link: &str) -> bool {
    let scheme = link.split(':').next().unwrap_or_default();
    link.contains(':')
        && !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !scheme.contains('/')
}

/// `/a/?q#f` as `/a/#f`: a query does not change the file served.
fn without_query(link: &str) -> String {
    match link.find('?') {
        Some(q) => {
            let fragment = link[q..].find('#').map(|f| &link[q + f..]);
            format!("{}{}", &link[..q], fragment.unwrap_or_default())
        }
        None => link.to_string(),
    }
}

/// One page: what it was made from, and its links and ids as positions
/// in a table of strings (its ids sorted by position).
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
struct Record {
    fingerprint: Fingerprint,
    links: Vec<u32>,
    ids: Vec<u32>,
}

/// Each string once, by position.
#[derive(Debug, Default)]
struct Interner {
    strings: Vec<Box<str>>,
    /// foldhash: the site's links are hashed once each on every build.
    positions: HashMap<Box<str>, u32, foldhash::fast::FixedState>,
}

impl Interner {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(i) = self.positions.get(s) {
            return *i;
        }
        let i = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
        self.strings.push(s.into());
        self.positions.insert(s.into(), i);
        i
    }

    fn get(&self, i: u32) -> &str {
        self.strings.get(i as usize).map_or("", |s| s)
    }
}

/// What was read of every HTML page of the last build.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Memo {
    strings: Vec<Box<str>>,
    pages: BTreeMap<String, Record>,
}

impl Memo {
    /// Whether the memo knows what the page at `path`, made from
    /// `fingerprint`, links to: else it must be rendered to be read.
    pub fn knows(&self, path: &str, fingerprint: Fingerprint) -> bool {
        self.pages
            .get(path)
            .is_some_and(|r| r.fingerprint == fingerprint)
    }
}

/// The HTML pages read by this build, their strings interned as they
/// come (so memory holds each distinct link once, not every page's copy).
#[derive(Debug, Default)]
pub struct Pages {
    table: Interner,
    read: BTreeMap<String, Record>,
}

impl Pages {
    /// Adds what was read of the page at `path`.
    pub fn add(&mut self, path: String, fingerprint: Fingerprint, scanned: Scanned) {
        let links = scanned.links.iter().map(|s| self.table.intern(s)).collect();
        let mut ids: Vec<u32> = scanned.ids.iter().map(|s| self.table.intern(s)).collect();
        ids.sort_unstable();
        let record = Record {
            fingerprint,
            links,
            ids,
        };
        self.read.insert(path, record);
    }
}

/// Checks every page's links against the site's files (`origins`), then
/// keeps in `memo` what was read of the pages that exist now. `standing`
/// are the HTML pages kept from the last build (their records come from
/// `memo`); `reserved` are folders whose files the site makes outside
/// rendering (Pagefind's, made by `build` only).
pub fn check(
    mut pages: Pages,
    standing: &[(String, Fingerprint)],
    site: (&BTreeMap<String, PathBuf>, &Base),
    reserved: &[&str],
    memo: &mut Memo,
) -> Vec<Diagnostic> {
    let old = std::mem::take(memo);
    // Each of the old table's strings interned once, however many
    // standing pages hold it.
    let mut moved: Vec<Option<u32>> = vec![None; old.strings.len()];
    for (path, fingerprint) in standing {
        // A page rendered now may still be kept (its bytes were the same):
        // what was read of it now is what counts.
        if pages.read.contains_key(path) {
            continue;
        }
        let Some(record) = old
            .pages
            .get(path)
            .filter(|r| r.fingerprint == *fingerprint)
        else {
            continue;
        };
        let mut carry = |i: &u32| -> u32 {
            let i = *i as usize;
            match moved.get_mut(i) {
                Some(slot) => *slot.get_or_insert_with(|| pages.table.intern(&old.strings[i])),
                None => pages.table.intern(""),
            }
        };
        let links = record.links.iter().map(&mut carry).collect();
        let mut ids: Vec<u32> = record.ids.iter().map(&mut carry).collect();
        ids.sort_unstable();
        let record = Record {
            fingerprint: *fingerprint,
            links,
            ids,
        };
        pages.read.insert(path.clone(), record);
    }
    let broken = broken_links(&pages, site, reserved);
    let diagnostics = report(&pages.table, broken, site.0);
    *memo = remember(pages);
    diagnostics
}

/// Each broken link (by position), with why, and the pages that carry it.
type Broken<'a> = BTreeMap<(u32, String), Vec<&'a str>>;

fn broken_links<'a>(
    pages: &'a Pages,
    (origins, base): (&BTreeMap<String, PathBuf>, &Base),
    reserved: &[&str],
) -> Broken<'a> {
    // A link is the same string wherever it is: judged once.
    let mut judged: Vec<Option<Option<String>>> = vec![None; pages.table.strings.len()];
    let mut broken: Broken<'a> = BTreeMap::new();
    for (page, record) in &pages.read {
        for link in &record.links {
            let why = judged[*link as usize].get_or_insert_with(|| {
                let text = pages.table.get(*link);
                why_broken(text, pages, origins, base, reserved)
            });
            if let Some(why) = why {
                broken.entry((*link, why.clone())).or_default().push(page);
            }
        }
    }
    broken
}

/// Why `link` does not resolve, if it does not.
fn why_broken(
    link: &str,
    pages: &Pages,
    origins: &BTreeMap<String, PathBuf>,
    base: &Base,
    reserved: &[&str],
) -> Option<String> {
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link, None),
    };
    let Some(target) = file_of(path, base, origins) else {
        let within = path.strip_prefix(base.path.as_str()).unwrap_or(path);
        let within = within.trim_start_matches('/');
        if reserved.iter().any(|r| within.starts_with(r)) {
            return None;
        }
        return Some("no such file in the site".into());
    };
    let fragment = fragment.filter(|f| !f.is_empty() && *f != "top")?;
    let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
    // A page not read (a static file) is not looked into.
    let record = pages.read.get(&target)?;
    let has = pages
        .table
        .positions
        .get(fragment.as_ref())
        .is_some_and(|i| record.ids.binary_search(i).is_ok());
    (!has).then(|| format!("`{target}` has no id `{fragment}`"))
}

/// The output file a URL path names: `/news/2023/x/` is
/// `2023/x/index.html`; `/news/style.css` is `style.css`.
fn file_of(path: &str, base: &Base, origins: &BTreeMap<String, PathBuf>) -> Option<String> {
    let within = path.strip_prefix(base.path.as_str())?;
    if !within.is_empty() && !within.starts_with('/') {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(within).decode_utf8_lossy();
    let within = decoded.trim_start_matches('/');
    let candidates = if within.is_empty() || within.ends_with('/') {
        vec![format!("{within}index.html")]
    } else {
        vec![within.to_string(), format!("{within}/index.html")]
    };
    candidates.into_iter().find(|c| origins.contains_key(c))
}

/// One error per broken link, naming the first page that carries it and
/// how many do.
fn report(
    table: &Interner,
    broken: Broken<'_>,
    origins: &BTreeMap<String, PathBuf>,
) -> Vec<Diagnostic> {
    broken
        .into_iter()
        .map(|((link, why), pages)| {
            let first = pages[0];
            let origin = origins.get(first).cloned().unwrap_or_else(|| first.into());
            let more = match pages.len() {
                1 => String::new(),
                n => format!(" (and {} more pages)", n - 1),
            };
            let link = table.get(link);
            Diagnostic::error(
                Code::BrokenLink,
                origin,
                format!("the generated page `{first}`{more} links to `{link}`: {why}"),
            )
            .hint(
                "a template, or HTML in an article, writes this link: correct it, \
                 or put the file it wants in `static/`",
            )
        })
        .collect()
}

/// The memo for the next build: every page of this one, its strings
/// renumbered in the pages' order, so the same site stores the same bytes
/// however the rendering threads met.
fn remember(pages: Pages) -> Memo {
    let Pages { table, mut read } = pages;
    // A page's ids are a set: numbered in the order of their text, not of
    // when a thread first met them.
    for record in read.values_mut() {
        record.ids.sort_by(|a, b| table.get(*a).cmp(table.get(*b)));
    }
    let mut renumbered: Vec<u32> = vec![u32::MAX; table.strings.len()];
    let mut strings: Vec<Box<str>> = Vec::new();
    let mut slots: Vec<Option<Box<str>>> = table.strings.into_iter().map(Some).collect();
    let mut number = |i: u32| -> u32 {
        let i = i as usize;
        if renumbered[i] == u32::MAX {
            renumbered[i] = u32::try_from(strings.len()).unwrap_or(u32::MAX);
            strings.push(slots[i].take().unwrap_or_default());
        }
        renumbered[i]
    };
    let mut records = BTreeMap::new();
    for (path, record) in read {
        let links = record.links.iter().map(|i| number(*i)).collect();
        let mut ids: Vec<u32> = record.ids.iter().map(|i| number(*i)).collect();
        ids.sort_unstable();
        let fingerprint = record.fingerprint;
        records.insert(
            path,
            Record {
                fingerprint,
                links,
                ids,
            },
        );
    }
    Memo {
        strings,
        pages: records,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Base {
        Base {
            absolute: Some("https://example.org/news".into()),
            path: "/news".into(),
        }
    }

    #[test]
    fn reads_links_and_ids_as_a_tokenizer_does() {
        let html = r##"<!doctype html><html><body>
            <A HREF="/news/a/?q=1&amp;r=2#x" ID=top>a</A>
            <a href='rel/'>rel</a> <a href=../up/#y>up</a>
            <img src="pic.png" alt="x > y"><a name="anchor"></a>
            <!-- <a href="/news/commented/"> -->
            <script>let s = "<a href='/news/in-script/'>";</script>
            <a href="https://example.org/news/abs/#z">abs</a>
            <a href="https://example.com/">other</a><a href="mailto:x@example.org">m</a>
            <a href="//cdn.example.com/x.js">cdn</a><a href="#h%C3%A9">own</a>
            <a href="&#x2F;news&#x2F;escaped&#x2F;">escaped</a><p id="é">
        </body></html>"##;
        let found = scan(html, "/news/2023/page/", &base());
        assert_eq!(
            found.links,
            [
                "/news/2023/page/pic.png",
                "/news/2023/page/rel/",
                "/news/2023/page/#h%C3%A9",
                "/news/2023/up/#y",
                "/news/a/#x",
                "/news/abs/#z",
                "/news/escaped/",
            ]
            .map(String::from)
            .into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
        );
        assert_eq!(found.ids, ["anchor", "top", "é"]);
    }

    #[test]
    fn a_tag_cut_short_is_read_without_a_panic() {
        for html in [
            "<a href=\"/news/x",
            "<a href=",
            "<a",
            "<",
            "<script>",
            "<a href='é",
        ] {
            scan(html, "/news/", &base());
        }
    }

    fn site(paths: &[&str]) -> BTreeMap<String, PathBuf> {
        paths
            .iter()
            .map(|p| (p.to_string(), PathBuf::from("t")))
            .collect()
    }

    #[test]
    fn a_link_is_broken_when_its_file_or_id_is_missing() {
        let origins = site(&["index.html", "a/index.html", "style.css", "b/index.html"]);
        let mut pages = Pages::default();
        let page = |links: &[&str], ids: &[&str]| Scanned {
            links: links.iter().map(|s| s.to_string()).collect(),
            ids: ids.iter().map(|s| s.to_string()).collect(),
        };
        pages.add(
            "a/index.html".into(),
            Fingerprint::default(),
            page(
                &["/news/b/#there", "/news/style.css", "/news/pagefind/x.js"],
                &["here"],
            ),
        );
        pages.add(
            "b/index.html".into(),
            Fingerprint::default(),
            page(
                &["/news/a/#gone", "/news/c/", "/news/a", "/news/#top"],
                &["there"],
            ),
        );
        let mut memo = Memo::default();
        let d = check(pages, &[], (&origins, &base()), &["pagefind/"], &mut memo);
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the generated page `b/index.html` links to `/news/a/#gone`: \
                 `a/index.html` has no id `gone`",
                "the generated page `b/index.html` links to `/news/c/`: no such file in the site",
            ]
        );
        assert!(memo.knows("a/index.html", Fingerprint::default()));
        assert!(!memo.knows("c/index.html", Fingerprint::default()));
    }
}
