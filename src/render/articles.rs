//! Each article's page: its body, its entry with its neighbours, terms
//! and sources, and its JSON-LD. A page made from the same key as the one
//! that stands is kept without its context being made (see
//! [`crate::render::views::ViewBuilder::article_key`]). The search index
//! reads these pages too (`search`).

use serde::Serialize;

use super::exports::json_ld;
use super::page::Page;
use super::views::{ArticleView, PageView, SiteView};
use super::{Renderer, Rendering};
use crate::fingerprint::{Fingerprint, Hasher};

#[derive(Serialize)]
struct ArticleContext<'a> {
    site: &'a SiteView,
    page: PageView,
    article: ArticleView<'a>,
}

/// An article page made from the same key as the page that stands
/// (`previous`) is the same page: kept without its context being made.
/// Otherwise the key to record once it is made, if pages are fingerprinted.
fn kept_by_key(
    r: &Renderer<'_>,
    i: usize,
    path: &str,
    previous: Option<Fingerprint>,
) -> Result<Rendering, Option<Fingerprint>> {
    if !r.fingerprints {
        return Err(None);
    }
    let key = Hasher::new()
        .fingerprint(r.templates.fingerprint)
        .fingerprint(r.views.article_key(i))
        .finish();
    match r.kept_by(path, key, previous) {
        Some(kept) => {
            r.bodies.release_body_html(i);
            Ok(kept)
        }
        None => Err(Some(key)),
    }
}

/// An article's page, with its earlier and later neighbours.
pub(super) fn articles(r: &Renderer<'_>) -> Vec<Page> {
    let entries = &r.timeline.entries;
    (0..entries.len())
        .map(|i| {
            let article = &entries[i].article;
            let route = r.timeline.routes.article(&article.id);
            let path = route.path.clone();
            let render = move |r: &Renderer<'_>, previous: Option<Fingerprint>| {
                let e = &r.timeline.entries[i];
                let key = match kept_by_key(r, i, &path, previous) {
                    Ok(kept) => return Ok(kept),
                    Err(key) => key,
                };
                // The body first: the page's fingerprint and summary need it.
                r.bodies.body(r.timeline, i)?;
                let article = r.views.article(i);
                let summary = &article.entry.summary;
                let mut page = r.views.page(
                    format!("{} — {}", e.article.title, r.site.title),
                    (!summary.is_empty()).then(|| summary.clone()),
                    article.entry.url.clone(),
                );
                page.kind = "article";
                if let Some(m) = &article.entry.media {
                    page.image = m.permalink.clone();
                    page.image_alt = Some(m.alt.clone());
                }
                page.headline = e.article.title.clone();
                page.json_ld = Some(json_ld::article_json_ld(r.timeline, r.bodies, i));
                let context = ArticleContext {
                    site: &r.site,
                    page,
                    article,
                };
                let rendering = r.finish("article.html", &context, previous);
                if let Ok(Rendering::Unchanged(_)) = rendering {
                    r.bodies.release_body_html(i);
                }
                r.record_made(&path, key, &rendering);
                rendering
            };
            Page {
                route,
                origin: article.path.clone(),
                render: Box::new(render),
            }
        })
        .collect()
}
