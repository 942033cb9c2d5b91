//! `sitemap.xml` (split into parts over 50,000 addresses) and `robots.txt`,
//! which points at every language's sitemap. Both need the site's base URL.
//! The sitemap lists the HTML pages the registry hands it (see
//! `render::kinds`), an article's with the day it last changed.

use chrono::NaiveDate;
use html_escape::encode_double_quoted_attribute as xml;

use super::entry::feed_dates;
use crate::fingerprint::Fingerprint;
use crate::render::Renderer;
use crate::render::page::{Page, PageKind, generated};

/// The sitemap protocol's limit of addresses per file.
const SITEMAP_LIMIT: usize = 50_000;

/// A page in the sitemap.
pub struct SitemapUrl {
    loc: String,
    lastmod: Option<NaiveDate>,
}

/// Every page of the `html` kinds but the 404 page, once each, in the
/// order the kinds list them; an article's with its last change. Listed
/// once a build, for the sitemap and each of its parts.
fn sitemap_urls<'r>(r: &'r Renderer<'_>, origin: &str, html: &[PageKind]) -> &'r [SitemapUrl] {
    r.sitemap.get_or_init(|| list_sitemap_urls(r, origin, html))
}

fn list_sitemap_urls(r: &Renderer<'_>, origin: &str, html: &[PageKind]) -> Vec<SitemapUrl> {
    let t = r.timeline;
    let articles: std::collections::HashMap<String, usize> = t
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (t.routes.article(&e.article.id).path, i))
        .collect();
    let not_found = t.routes.not_found().path;
    html.iter()
        .flat_map(|kind| kind(r))
        .filter(|p| p.route.path.ends_with(".html") && p.route.path != not_found)
        .map(|p| SitemapUrl {
            lastmod: articles.get(&p.route.path).map(|&i| feed_dates(t, i).1),
            loc: format!("{origin}{}", p.route.url),
        })
        .collect()
}

fn write_urlset(urls: &[SitemapUrl]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls {
        out.push_str("  <url><loc>");
        out.push_str(&xml(&u.loc));
        out.push_str("</loc>");
        if let Some(day) = u.lastmod {
            out.push_str(&format!("<lastmod>{}</lastmod>", day.format("%Y-%m-%d")));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `sitemap.xml` (needs the site's base URL): every page of the `html`
/// kinds (the registry's HTML pages) once. Over 50,000 pages, it is an
/// index of `sitemap-1.xml`, `sitemap-2.xml`... each of at most 50,000.
pub fn sitemap(r: &Renderer<'_>, html: &'static [PageKind]) -> Vec<Page> {
    let Some(origin) = r.timeline.routes.origin() else {
        return Vec::new();
    };
    let count = sitemap_urls(r, origin, html).len();
    let parts = if count > SITEMAP_LIMIT {
        count.div_ceil(SITEMAP_LIMIT)
    } else {
        0
    };
    let mut pages = Vec::new();
    let render = move |r: &Renderer<'_>, previous: Option<Fingerprint>| {
        let origin = r.timeline.routes.origin().unwrap_or_default();
        let urls = sitemap_urls(r, origin, html);
        if parts == 0 {
            return Ok(r.produce("sitemap 1", write_urlset(urls), previous));
        }
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for n in 1..=parts {
            let loc = format!("{origin}{}", r.timeline.routes.sitemap_part(n).url);
            out.push_str(&format!("  <sitemap><loc>{}</loc></sitemap>\n", xml(&loc)));
        }
        out.push_str("</sitemapindex>\n");
        Ok(r.produce("sitemap index 1", out, previous))
    };
    pages.push(Page {
        route: r.timeline.routes.sitemap(),
        origin: generated("the sitemap"),
        render: Box::new(render),
    });
    for n in 1..=parts {
        let render = move |r: &Renderer<'_>, previous: Option<Fingerprint>| {
            let origin = r.timeline.routes.origin().unwrap_or_default();
            let urls = sitemap_urls(r, origin, html);
            let start = (n - 1) * SITEMAP_LIMIT;
            let part = &urls[start.min(urls.len())..(start + SITEMAP_LIMIT).min(urls.len())];
            Ok(r.produce("sitemap 1", write_urlset(part), previous))
        };
        pages.push(Page {
            route: r.timeline.routes.sitemap_part(n),
            origin: generated(&format!("part {n} of the sitemap")),
            render: Box::new(render),
        });
    }
    pages
}

/// `robots.txt` (needs the site's base URL), pointing at the sitemap,
/// unless the site's `static/` has its own.
pub fn robots(r: &Renderer<'_>) -> Vec<Page> {
    let routes = &r.timeline.routes;
    // One robots.txt, at the root: the default language's names every
    // language's sitemap (the static files, a site's own robots.txt among
    // them, go with the default language).
    let default = r.timeline.editions.first();
    let other_language = default.is_some_and(|d| d.language != r.timeline.settings.language);
    if routes.origin().is_none() || r.statics.contains("robots.txt") || other_language {
        return Vec::new();
    }
    let render = |r: &Renderer<'_>, previous: Option<Fingerprint>| {
        let routes = &r.timeline.routes;
        let mut sitemaps: Vec<String> = r
            .timeline
            .editions
            .iter()
            .filter_map(|e| e.routes.permalink(&e.routes.sitemap().url))
            .collect();
        if sitemaps.is_empty() {
            sitemaps.extend(routes.permalink(&routes.sitemap().url));
        }
        let lines: String = sitemaps.iter().map(|s| format!("Sitemap: {s}\n")).collect();
        let text = format!("User-agent: *\nAllow: /\n\n{lines}");
        Ok(r.produce("robots 1", text, previous))
    };
    vec![Page {
        route: routes.robots(),
        origin: generated("robots.txt"),
        render: Box::new(render),
    }]
}
