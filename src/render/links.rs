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
//! rendered again (see [`LinkMemo::knows`]). The memo interns every string
//! once, so it grows with the distinct links of the site, not with every
//! page's copy of its navigation.
//!
//! The check's work follows the change: the memo holds what the last
//! check passed, so only the links of the pages read now are judged,
//! unless a file of the last build is gone or a page read now lost an id
//! (then every link is; see [`check`]). A reverse index from each file to
//! the pages that link to it would narrow that too, at the price of a
//! record per link on every cold build; an edit that removes a page is
//! rarer than one that adds or changes one.

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
struct PageRecord {
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
}

/// What was read of every HTML page of the site as the last check found
/// it, each string once. Updated in place: a check replaces the records
/// of the pages read now and drops those of pages gone, so its work
/// follows what changed, not the site.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct LinkMemo {
    strings: Vec<Box<str>>,
    /// The strings' positions in the order of their text, to find one
    /// without a hash table that every build would have to fill again.
    order: Vec<u32>,
    pages: BTreeMap<String, PageRecord>,
}

/// Strings a check added to the memo's table, found by their text until
/// the memo's `order` takes them in.
type Fresh = HashMap<Box<str>, u32, foldhash::fast::FixedState>;

impl LinkMemo {
    /// Whether the memo knows what the page at `path`, made from
    /// `fingerprint`, links to: else it must be rendered to be read.
    pub fn knows(&self, path: &str, fingerprint: Fingerprint) -> bool {
        self.pages
            .get(path)
            .is_some_and(|r| r.fingerprint == fingerprint)
    }

    fn get(&self, i: u32) -> &str {
        self.strings.get(i as usize).map_or("", |s| s)
    }

    /// The position of `s`, if the table has it.
    fn position(&self, fresh: &Fresh, s: &str) -> Option<u32> {
        let sorted = self.order.binary_search_by(|i| self.get(*i).cmp(s));
        match sorted {
            Ok(k) => Some(self.order[k]),
            Err(_) => fresh.get(s).copied(),
        }
    }

    fn intern(&mut self, fresh: &mut Fresh, s: &str) -> u32 {
        if let Some(i) = self.position(fresh, s) {
            return i;
        }
        let i = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
        self.strings.push(s.into());
        fresh.insert(s.into(), i);
        i
    }

    /// The fresh strings taken into `order` (a stable sort of two sorted
    /// runs merges them).
    fn settle(&mut self, fresh: Fresh) {
        if fresh.is_empty() {
            return;
        }
        let strings = &self.strings;
        let text = |i: &u32| strings.get(*i as usize).map_or("", |s| s);
        let mut new: Vec<u32> = fresh.into_values().collect();
        new.sort_unstable_by(|a, b| text(a).cmp(text(b)));
        self.order.extend(new);
        self.order.sort_by(|a, b| text(a).cmp(text(b)));
    }

    /// Takes `strings` as its table (it holds none), each once.
    fn adopt(&mut self, strings: Vec<Box<str>>) {
        self.strings = strings;
        let strings = &self.strings;
        let mut order: Vec<u32> = (0..u32::try_from(strings.len()).unwrap_or(u32::MAX)).collect();
        order.sort_unstable_by(|a, b| strings[*a as usize].cmp(&strings[*b as usize]));
        self.order = order;
    }

    /// The table again with only the strings the records hold, renumbered
    /// in the pages' order (a page's ids in the order of their text).
    fn compact(&mut self) {
        let old = std::mem::take(&mut self.strings);
        let mut renumbered: Vec<u32> = vec![u32::MAX; old.len()];
        let mut slots: Vec<Option<Box<str>>> = old.into_iter().map(Some).collect();
        let strings = &mut self.strings;
        let mut number = |i: &u32| -> u32 {
            let i = *i as usize;
            if renumbered.get(i) == Some(&u32::MAX) {
                renumbered[i] = u32::try_from(strings.len()).unwrap_or(u32::MAX);
                strings.push(slots[i].take().unwrap_or_default());
            }
            renumbered.get(i).copied().unwrap_or(u32::MAX)
        };
        for record in self.pages.values_mut() {
            record.links = record.links.iter().map(&mut number).collect();
            record.ids = record.ids.iter().map(&mut number).collect();
            record.ids.sort_unstable();
        }
        let strings = std::mem::take(&mut self.strings);
        self.adopt(strings);
    }

    /// How many of the table's strings no record holds.
    fn unused(&self) -> usize {
        let mut held = vec![false; self.strings.len()];
        for record in self.pages.values() {
            for i in record.links.iter().chain(&record.ids) {
                if let Some(h) = held.get_mut(*i as usize) {
                    *h = true;
                }
            }
        }
        held.iter().filter(|h| !**h).count()
    }
}

/// The HTML pages read by this build, their strings interned as they
/// come (so memory holds each distinct link once, not every page's copy).
#[derive(Debug, Default)]
pub struct Pages {
    table: Interner,
    read: BTreeMap<String, PageRecord>,
}

impl Pages {
    /// Adds what was read of the page at `path`.
    pub fn add(&mut self, path: String, fingerprint: Fingerprint, scanned: Scanned) {
        let links = scanned.links.iter().map(|s| self.table.intern(s)).collect();
        let ids = scanned.ids.iter().map(|s| self.table.intern(s)).collect();
        let record = PageRecord {
            fingerprint,
            links,
            ids,
        };
        self.read.insert(path, record);
    }
}

/// What the links check is given of the build besides the pages it read.
pub struct Scope<'a> {
    /// Every file of the site, with where it came from.
    pub origins: &'a BTreeMap<String, PathBuf>,
    pub base: &'a Base,
    /// Folders whose files the site makes outside rendering (Pagefind's,
    /// made by `build` only).
    pub reserved: &'a [&'a str],
    pub before: Before<'a>,
}

/// What stands of the last build's output.
#[derive(Clone, Copy)]
pub struct Before<'a> {
    /// The fingerprint each file of the last build was made from, if it
    /// still stands.
    pub fingerprint: &'a dyn Fn(&str) -> Option<Fingerprint>,
    /// Whether a file of the last build is not in this one.
    pub lost_files: bool,
}

/// Checks the links of the site's HTML pages against its files, and
/// keeps in `memo` what was read of every page that exists now: `pages`
/// are those rendered now, the others stand as the last build made them
/// (the memo knows them, see [`LinkMemo::knows`]).
///
/// The memo holds what the last check passed (or what a page read since
/// replaced, which its fingerprint tells), so a link can have broken only
/// if it is on a page read now, or points at a file gone or at a page read
/// now that lost an id. Only the first is judged unless a file is gone, a
/// page lost an id, or the memo's record of a page read now is not of the
/// page that stood (a build killed before its memo was stored, a build
/// that failed under `serve`): then every page's links are judged again.
pub fn check(pages: Pages, scope: &Scope<'_>, memo: &mut LinkMemo) -> Vec<Diagnostic> {
    let mut fresh = Fresh::default();
    let (read_now, lost_ids) = take_in(pages, scope, memo, &mut fresh);
    let every = scope.before.lost_files || lost_ids;
    // The records of pages the site no longer has go (both maps are in
    // the paths' order: one pass).
    let mut files = scope.origins.keys().peekable();
    memo.pages.retain(|path, _| {
        while files.next_if(|f| f.as_str() < path.as_str()).is_some() {}
        files.peek().is_some_and(|f| *f == path)
    });
    let judged: Vec<(&str, &PageRecord)> = match every {
        true => memo.pages.iter().map(|(p, r)| (p.as_str(), r)).collect(),
        false => (read_now.iter())
            .filter_map(|p| Some((p.as_str(), memo.pages.get(p)?)))
            .collect(),
    };
    let broken = broken_links(&judged, memo, &fresh, scope);
    let diagnostics = report(broken, scope.origins);
    drop(judged);
    if memo.unused() > memo.strings.len() / 4 {
        memo.compact();
    } else {
        memo.settle(fresh);
    }
    diagnostics
}

/// The pages read now put in the memo, their strings found in its table
/// or added (`fresh`); their paths, and whether a page's links must all
/// be judged because of one of them: it lost an id, or the memo's record
/// of it is not of the page that stood.
fn take_in(
    pages: Pages,
    scope: &Scope<'_>,
    memo: &mut LinkMemo,
    fresh: &mut Fresh,
) -> (Vec<String>, bool) {
    let mut every = false;
    let Pages { table, read } = pages;
    let Interner { strings, positions } = table;
    drop(positions);
    // Each of the read table's strings found or added once; into a memo
    // that holds none (a first build, `check`), the table is taken whole.
    let (strings, mut moved) = match memo.strings.is_empty() {
        true => {
            let moved = (0..u32::try_from(strings.len()).unwrap_or(u32::MAX)).map(Some);
            memo.adopt(strings);
            (Vec::new(), moved.collect())
        }
        false => {
            let moved = vec![None; strings.len()];
            (strings, moved)
        }
    };
    let mut read_now = Vec::with_capacity(read.len());
    for (path, record) in read {
        let mut carry = |i: &u32| -> u32 {
            let i = *i as usize;
            match moved.get_mut(i) {
                Some(slot) => *slot.get_or_insert_with(|| memo.intern(fresh, &strings[i])),
                None => memo.intern(fresh, ""),
            }
        };
        let links = record.links.iter().map(&mut carry).collect();
        let mut ids: Vec<u32> = record.ids.iter().map(&mut carry).collect();
        ids.sort_unstable();
        let old = memo.pages.insert(
            path.clone(),
            PageRecord {
                ids,
                links,
                ..record
            },
        );
        every |= match (old, (scope.before.fingerprint)(&path)) {
            (Some(old), Some(stood)) if old.fingerprint == stood => {
                !is_subset(&old.ids, &memo.pages[&path].ids)
            }
            (None, None) => false,
            _ => true,
        };
        read_now.push(path);
    }
    (read_now, every)
}

/// Whether every position of `a` is in `b` (both sorted).
fn is_subset(a: &[u32], b: &[u32]) -> bool {
    let mut b = b.iter().peekable();
    a.iter().all(|x| {
        while b.next_if(|y| *y < x).is_some() {}
        b.next_if(|y| *y == x).is_some()
    })
}

/// Each broken link, with why, and the pages that carry it.
type Broken<'a> = BTreeMap<(&'a str, String), Vec<&'a str>>;

fn broken_links<'a>(
    pages: &[(&'a str, &'a PageRecord)],
    memo: &'a LinkMemo,
    fresh: &Fresh,
    scope: &Scope<'_>,
) -> Broken<'a> {
    // A link is the same string wherever it is: judged once.
    let mut judged: HashMap<u32, Option<String>, foldhash::fast::FixedState> = HashMap::default();
    let mut broken: Broken<'a> = BTreeMap::new();
    for (page, record) in pages {
        for link in &record.links {
            let why = judged
                .entry(*link)
                .or_insert_with(|| why_broken(memo.get(*link), memo, fresh, scope));
            if let Some(why) = why {
                let text = memo.get(*link);
                broken.entry((text, why.clone())).or_default().push(page);
            }
        }
    }
    broken
}

/// Why `link` does not resolve, if it does not.
fn why_broken(link: &str, memo: &LinkMemo, fresh: &Fresh, scope: &Scope<'_>) -> Option<String> {
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link, None),
    };
    let Some(target) = file_of(path, scope.base, scope.origins) else {
        let within = path.strip_prefix(scope.base.path.as_str()).unwrap_or(path);
        let within = within.trim_start_matches('/');
        if scope.reserved.iter().any(|r| within.starts_with(r)) {
            return None;
        }
        return Some("no such file in the site".into());
    };
    let fragment = fragment.filter(|f| !f.is_empty() && *f != "top")?;
    let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
    // A page not read (a static file) is not looked into.
    let record = memo.pages.get(&target)?;
    let has = memo
        .position(fresh, fragment.as_ref())
        .is_some_and(|i| record.ids.binary_search(&i).is_ok());
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
fn report(broken: Broken<'_>, origins: &BTreeMap<String, PathBuf>) -> Vec<Diagnostic> {
    broken
        .into_iter()
        .map(|((link, why), pages)| {
            let first = pages[0];
            let origin = origins.get(first).cloned().unwrap_or_else(|| first.into());
            let more = match pages.len() {
                1 => String::new(),
                n => format!(" (and {} more pages)", n - 1),
            };
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

    fn page(links: &[&str], ids: &[&str]) -> Scanned {
        Scanned {
            links: links.iter().map(|s| s.to_string()).collect(),
            ids: ids.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn print(n: u128) -> Fingerprint {
        Fingerprint(n)
    }

    /// A check of `read` against `origins`, where the last build's files
    /// stand as `stood` says.
    fn run(
        read: Vec<(&str, u128, Scanned)>,
        origins: &BTreeMap<String, PathBuf>,
        stood: &[(&str, u128)],
        lost_files: bool,
        memo: &mut LinkMemo,
    ) -> Vec<String> {
        let mut pages = Pages::default();
        for (path, fingerprint, scanned) in read {
            pages.add(path.into(), print(fingerprint), scanned);
        }
        let stood: BTreeMap<String, Fingerprint> = stood
            .iter()
            .map(|(p, f)| (p.to_string(), print(*f)))
            .collect();
        let standing = |path: &str| stood.get(path).copied();
        let site = Scope {
            origins,
            base: &base(),
            reserved: &["pagefind/"],
            before: Before {
                fingerprint: &standing,
                lost_files,
            },
        };
        let d = check(pages, &site, memo);
        d.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn a_link_is_broken_when_its_file_or_id_is_missing() {
        let origins = site(&["index.html", "a/index.html", "style.css", "b/index.html"]);
        let read = vec![
            (
                "a/index.html",
                0,
                page(
                    &["/news/b/#there", "/news/style.css", "/news/pagefind/x.js"],
                    &["here"],
                ),
            ),
            (
                "b/index.html",
                0,
                page(
                    &["/news/a/#gone", "/news/c/", "/news/a", "/news/#top"],
                    &["there"],
                ),
            ),
        ];
        let mut memo = LinkMemo::default();
        assert_eq!(
            run(read, &origins, &[], false, &mut memo),
            [
                "the generated page `b/index.html` links to `/news/a/#gone`: \
                 `a/index.html` has no id `gone`",
                "the generated page `b/index.html` links to `/news/c/`: no such file in the site",
            ]
        );
        assert!(memo.knows("a/index.html", Fingerprint::default()));
        assert!(!memo.knows("c/index.html", Fingerprint::default()));
    }

    /// The memo after a first check of three pages that all resolve: `a`
    /// links to `b#x`, `c` to `d.css`.
    fn checked(origins: &BTreeMap<String, PathBuf>) -> LinkMemo {
        let mut memo = LinkMemo::default();
        let read = vec![
            ("a/index.html", 1, page(&["/news/b/#x"], &[])),
            ("b/index.html", 1, page(&[], &["x", "y"])),
            ("c/index.html", 1, page(&["/news/d.css"], &[])),
        ];
        assert_eq!(run(read, origins, &[], false, &mut memo), [] as [&str; 0]);
        memo
    }

    const STOOD: &[(&str, u128)] = &[
        ("a/index.html", 1),
        ("b/index.html", 1),
        ("c/index.html", 1),
        ("d.css", 1),
    ];

    #[test]
    fn a_page_read_again_that_loses_an_id_breaks_the_pages_that_stand() {
        let origins = site(&["a/index.html", "b/index.html", "c/index.html", "d.css"]);
        let mut memo = checked(&origins);
        // `b` is read again without `x`: `a`, which stands, links to it.
        let read = vec![("b/index.html", 2, page(&[], &["y"]))];
        assert_eq!(
            run(read, &origins, STOOD, false, &mut memo),
            ["the generated page `a/index.html` links to `/news/b/#x`: \
              `b/index.html` has no id `x`"]
        );
    }

    #[test]
    fn a_file_gone_breaks_the_pages_that_stand() {
        let mut memo = checked(&site(&[
            "a/index.html",
            "b/index.html",
            "c/index.html",
            "d.css",
        ]));
        let origins = site(&["a/index.html", "b/index.html", "c/index.html"]);
        assert_eq!(
            run(vec![], &origins, STOOD, true, &mut memo),
            ["the generated page `c/index.html` links to `/news/d.css`: no such file in the site"]
        );
    }

    #[test]
    fn a_record_not_of_the_page_that_stood_has_every_page_judged() {
        let origins = site(&["a/index.html", "b/index.html", "c/index.html", "d.css"]);
        let mut memo = checked(&origins);
        // `b` as a build that was not published read it (under `serve`):
        // it lost `x`, and the memo holds that version now.
        let lost = vec![("b/index.html", 2, page(&[], &["y"]))];
        assert_eq!(run(lost, &origins, STOOD, false, &mut memo).len(), 1);
        // Read again as it was, still without `x`: the memo's record (2)
        // is not of the page that stands (1), so `a` is judged too.
        let again = vec![("b/index.html", 3, page(&[], &["y"]))];
        assert_eq!(run(again, &origins, STOOD, false, &mut memo).len(), 1);
    }

    #[test]
    fn pages_added_leave_the_standing_pages_unjudged_and_the_table_small() {
        let origins = site(&["a/index.html", "b/index.html", "c/index.html", "d.css"]);
        let mut memo = checked(&origins);
        // Judged only where read: a standing page's broken link (which
        // the memo could not hold after a check that passed) is not looked
        // at again when nothing it points at changed.
        memo.pages.get_mut("c/index.html").unwrap().links =
            vec![memo.intern(&mut Fresh::default(), "/news/nowhere/")];
        let stood: Vec<(&str, u128)> = STOOD.to_vec();
        for n in 0..40u128 {
            let read = vec![(
                "b/index.html",
                n + 2,
                page(&[&format!("/news/a/#v{n}")], &["x", "y"]),
            )];
            let mut stood = stood.clone();
            stood[1].1 = n + 1;
            let found = run(read, &origins, &stood, false, &mut memo);
            assert_eq!(
                found,
                [format!(
                    "the generated page `b/index.html` links to `/news/a/#v{n}`: \
                     `a/index.html` has no id `v{n}`"
                )]
            );
        }
        // Every string of the records once, and few others.
        assert!(memo.strings.len() <= 12, "{} strings", memo.strings.len());
        let mut texts: Vec<&str> = memo.order.iter().map(|i| memo.get(*i)).collect();
        assert!(texts.is_sorted());
        texts.dedup();
        assert_eq!(texts.len(), memo.strings.len());
    }
}
