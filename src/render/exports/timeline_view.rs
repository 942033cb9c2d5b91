//! `timeline-view/`: the HTML page that shows the timeline through
//! TimelineJS, from `timeline.json` and `timelinejs-locale.json` (see
//! [`super::timelinejs`]). Rendered with the listings, through its template.

use serde::Serialize;

use crate::fingerprint::Fingerprint;
use crate::render::Renderer;
use crate::render::page::{Page, generated};
use crate::render::views::{PageView, SiteView};

#[derive(Serialize)]
struct TimelineViewContext<'a> {
    site: &'a SiteView,
    page: PageView,
    /// `timeline.json`'s address.
    data_url: String,
    /// `timelinejs-locale.json`'s.
    locale_url: String,
    /// The plain timeline's.
    timeline_url: String,
}

/// `timeline-view/`: the timeline shown by TimelineJS.
pub fn timeline_view(r: &Renderer<'_>) -> Vec<Page> {
    let render = |r: &Renderer<'_>, previous: Option<Fingerprint>| {
        let routes = &r.timeline.routes;
        let context = TimelineViewContext {
            site: &r.site,
            page: r.site_page("interactive-timeline", routes.timeline_view().url),
            data_url: routes.timeline_data().url,
            locale_url: routes.timeline_locale().url,
            timeline_url: routes.home().url,
        };
        r.finish("timeline-view.html", &context, previous)
    };
    vec![Page {
        route: r.timeline.routes.timeline_view(),
        origin: generated("the interactive timeline page"),
        render: Box::new(render),
    }]
}
