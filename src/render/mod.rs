//! From a timeline to pages: every page kind rendered through its Tera
//! template into the `Site`, with the static files beside them.
//!
//! Templates see only the view structs of `views`, never the model. Each
//! page kind is one function in `pages` that lists its pages (each with its
//! route from the address book and a way to render it); adding a kind, or
//! an export, is one new function there.
//!
//! Every page is fingerprinted from its template set and its context. When
//! the caller knows a page's fingerprint from the last build and it has not
//! changed, the page is not rendered again: it is `kept`.

pub mod pages;
pub mod statics;
pub mod templates;
pub mod views;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Order;
use crate::diagnostics::Diagnostic;
use crate::fingerprint::{self, Fingerprint, Hasher};
use crate::site::{Made, Sink, Site};
use crate::timeline::Timeline;
pub use templates::Templates;
use views::{EntryView, SiteView, ViewBuilder};

/// The fingerprint the last build recorded for an output path, if the file
/// it made still stands as it was.
pub type Previous<'a> = &'a (dyn Fn(&str) -> Option<Fingerprint> + Sync);

/// What rendering one page gave.
#[derive(Debug)]
pub enum Rendering {
    /// The fingerprint matched the last build's: the page stands.
    Unchanged(Fingerprint),
    Rendered(Fingerprint, String),
}

/// Each entry rendered through `entry.html`, by the fingerprint of its view
/// and the templates: kept between builds, so an entry is rendered once
/// however many listings show it, and not again until it changes.
pub type Fragments = BTreeMap<Fingerprint, Fragment>;

/// One entry as listings show it.
#[derive(Debug, Default, Clone, Serialize, serde::Deserialize)]
pub struct Fragment {
    pub html: Arc<str>,
    /// The entry's view with its `html`, as Tera takes it; made once and
    /// kept while the process lives (it is not stored on disk).
    #[serde(skip)]
    pub value: std::sync::OnceLock<tera::Value>,
}

/// What every page's rendering shares.
pub struct Renderer<'a> {
    pub timeline: &'a Timeline,
    pub views: ViewBuilder<'a>,
    pub site: SiteView,
    pub templates: &'a Templates,
    /// The display order of listings.
    pub descending: bool,
}

impl Renderer<'_> {
    /// Renders `context` through `template`, unless its fingerprint is
    /// `previous`.
    pub fn finish<C: Serialize>(
        &self,
        template: &str,
        context: &C,
        previous: Option<Fingerprint>,
    ) -> Result<Rendering, Diagnostic> {
        let fingerprint = Hasher::new()
            .fingerprint(self.templates.fingerprint)
            .part(template.as_bytes())
            .fingerprint(fingerprint::of(context))
            .finish();
        if previous == Some(fingerprint) {
            return Ok(Rendering::Unchanged(fingerprint));
        }
        let html = self.templates.render(template, context)?;
        Ok(Rendering::Rendered(fingerprint, html))
    }
}

/// What a page or file came to before it joins the site.
type Outcome<E> = Result<(Fingerprint, Option<Made>), E>;

/// A rendered page: its path, what made it, and what came of it.
type Rendered<E> = (String, PathBuf, Result<Outcome<E>, Diagnostic>);

/// Renders every page of the timeline whose fingerprint changed since
/// `previous`, and adds the static files; each made file goes to `sink` as
/// soon as it is made. A sink's error stops the rendering.
pub fn render<S: Sink>(
    timeline: &Timeline,
    templates: &Templates,
    statics: Vec<statics::StaticFile>,
    previous: Previous<'_>,
    fragments: &mut Fragments,
    sink: &S,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Site, S::Error> {
    let views = ViewBuilder::new(timeline);
    let mut renderer = Renderer {
        site: views.site(),
        views,
        timeline,
        templates,
        descending: timeline.settings.order == Order::Descending,
    };
    let mut site = Site::default();
    render_kinds(
        &renderer,
        pages::SINGLE,
        previous,
        sink,
        &mut site,
        diagnostics,
    )?;
    let listed = render_fragments(&renderer.views, templates, fragments, diagnostics);
    renderer.views.set_listed(listed);
    render_kinds(
        &renderer,
        pages::LISTINGS,
        previous,
        sink,
        &mut site,
        diagnostics,
    )?;
    for file in statics {
        let fingerprint = fingerprint::of_bytes(&file.bytes);
        let made = match previous(&file.name) == Some(fingerprint) {
            true => None,
            false => Some(sink.put(&file.name, file.bytes)?),
        };
        add(
            &mut site,
            file.name,
            file.origin,
            (fingerprint, made),
            diagnostics,
        );
    }
    Ok(site)
}

/// Renders the pages of `kinds` in parallel, each page's bytes straight to
/// the sink (its context is built on the thread that renders it and dropped
/// right after), and adds them to the site.
fn render_kinds<S: Sink>(
    renderer: &Renderer<'_>,
    kinds: &[pages::Kind],
    previous: Previous<'_>,
    sink: &S,
    site: &mut Site,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), S::Error> {
    let planned: Vec<pages::Page> = kinds.iter().flat_map(|kind| kind(renderer)).collect();
    let rendered: Vec<Rendered<S::Error>> = planned
        .into_par_iter()
        .map(|page| {
            let result = (page.render)(renderer, previous(&page.route.path)).map(|r| match r {
                Rendering::Rendered(f, html) => sink
                    .put(&page.route.path, html.into_bytes())
                    .map(|m| (f, Some(m))),
                Rendering::Unchanged(f) => Ok((f, None)),
            });
            (page.route.path, page.origin, result)
        })
        .collect();
    for (path, origin, result) in rendered {
        match result {
            Ok(outcome) => add(site, path, origin, outcome?, diagnostics),
            Err(d) => diagnostics.push(d),
        }
    }
    Ok(())
}

/// Adds a file to the site: made anew (`Some`), or kept as it stands.
fn add(
    site: &mut Site,
    path: String,
    origin: PathBuf,
    (fingerprint, made): (Fingerprint, Option<Made>),
    diagnostics: &mut Vec<Diagnostic>,
) {
    site.fingerprints.insert(path.clone(), fingerprint);
    match made {
        Some(made) => site.add(path, made, origin, diagnostics),
        None => site.keep(path, origin, diagnostics),
    }
}

/// Every entry as listings hand it to Tera: its HTML from `fragments` when
/// its view and the templates are unchanged, else rendered now (in
/// parallel). `fragments` keeps only what this build used.
fn render_fragments(
    views: &ViewBuilder<'_>,
    templates: &Templates,
    fragments: &mut Fragments,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<tera::Value> {
    #[derive(Serialize)]
    struct EntryContext<'a> {
        entry: &'a EntryView,
    }
    let keys: Vec<Fingerprint> = views
        .entry_views()
        .iter()
        .map(|(_, f)| {
            Hasher::new()
                .fingerprint(templates.fingerprint)
                .fingerprint(*f)
                .finish()
        })
        .collect();
    let missing: Vec<usize> = (0..keys.len())
        .filter(|i| !fragments.contains_key(&keys[*i]))
        .collect();
    let rendered: Vec<(usize, Result<String, Diagnostic>)> = missing
        .into_par_iter()
        .map(|i| {
            let entry = &views.entry_views()[i].0;
            (i, templates.render("entry.html", &EntryContext { entry }))
        })
        .collect();
    for (i, result) in rendered {
        match result {
            Ok(html) => {
                let fragment = Fragment {
                    html: html.into(),
                    value: std::sync::OnceLock::new(),
                };
                fragments.insert(keys[i], fragment);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    let used: std::collections::HashSet<&Fingerprint> = keys.iter().collect();
    fragments.retain(|k, _| used.contains(k));
    let empty = Fragment::default();
    keys.par_iter()
        .zip(views.entry_views().par_iter())
        .map(|(k, (view, _))| {
            let fragment = fragments.get(k).unwrap_or(&empty);
            fragment
                .value
                .get_or_init(|| views::listed_value(view, &fragment.html))
                .clone()
        })
        .collect()
}
