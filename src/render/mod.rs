//! From a timeline to pages: every page kind rendered through its Tera
//! template into the `Site`, with the static files beside them.
//!
//! Templates see only the view structs of `views`, never the model. Each
//! page kind is one function in `pages` that lists its pages (each with its
//! route from the address book and a way to render it); adding a kind, or
//! an export, is one new function there.

pub mod pages;
pub mod statics;
pub mod templates;
pub mod views;

use std::path::Path;

use rayon::prelude::*;

use crate::config::Order;
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use crate::timeline::Timeline;
pub use templates::Templates;
use views::{SiteView, ViewBuilder};

/// What every page's rendering shares.
pub struct Renderer<'a> {
    pub timeline: &'a Timeline,
    pub views: ViewBuilder<'a>,
    pub site: SiteView,
    pub templates: &'a Templates,
    /// The display order of listings.
    pub descending: bool,
}

/// Renders every page of the timeline, and adds the static files.
pub fn render(
    root: &Path,
    timeline: &Timeline,
    templates: &Templates,
    diagnostics: &mut Vec<Diagnostic>,
) -> Site {
    let views = ViewBuilder::new(timeline);
    let renderer = Renderer {
        site: views.site(),
        views,
        timeline,
        templates,
        descending: timeline.settings.order == Order::Descending,
    };
    let planned: Vec<pages::Page> = pages::KINDS
        .iter()
        .flat_map(|kind| kind(&renderer))
        .collect();
    // Each page's context is built on the thread that renders it and
    // dropped right after: only the finished bytes are held at once.
    let rendered: Vec<_> = planned
        .into_par_iter()
        .map(|page| {
            let result = (page.render)(&renderer);
            (page.route.path, page.origin, result)
        })
        .collect();
    let mut site = Site::default();
    for (path, origin, result) in rendered {
        match result {
            Ok(html) => site.insert(path, html.into_bytes(), origin, diagnostics),
            Err(d) => diagnostics.push(d),
        }
    }
    for file in statics::collect(root, diagnostics) {
        site.insert(file.name, file.bytes, file.origin, diagnostics);
    }
    site
}
