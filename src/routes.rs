//! The address book: the one place that turns an article, a term, a year, a
//! listing or a static file into its URL (with the site's base path) and
//! its path in the output folder.
//!
//! Nothing else assembles a link or an output path. A page's URL and its
//! file always come from the same [`Route`], so a link can never point
//! somewhere the site did not write.

use crate::model::{Media, Taxonomy};

/// Where a page lives: the URL readers follow and the file that serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// From the domain's root, with the base path: `/news/2023/camp-david/`.
    pub url: String,
    /// In the output folder, with `/`: `2023/camp-david/index.html`.
    pub path: String,
}

/// First path segments the output needs for pages of its own: an article
/// id may not start with one.
pub const RESERVED: &[&str] = &[
    "participants",
    "places",
    "tags",
    "series",
    "404",
    "404.html",
    "index",
    "index.html",
    "atom.xml",
    "feed.xml",
    "feed.json",
    "calendar.ics",
    "timeline.json",
    "filter-index.json",
    "timeline-view",
    "timelinejs",
    "timeline",
    "sitemap.xml",
    "robots.txt",
    "search",
    "pagefind",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routes {
    /// The path part of the base URL without a trailing slash: `/news`, or
    /// empty at a domain's root.
    base_path: String,
    /// The base URL's scheme and host (`https://example.org`), when the site
    /// has one: permalinks are this plus a URL.
    origin: Option<String>,
    /// `/ja` for a language other than a multilingual site's default, whose
    /// pages and files are under `<base>/ja/`; empty otherwise. Static
    /// files stay at the root, shared.
    language: String,
}

impl Routes {
    /// Routes for a site published at `base_url` (`https://example.org/news`),
    /// or at a domain's root when there is none.
    pub fn new(base_url: Option<&str>) -> Routes {
        let parsed = base_url.and_then(|b| url::Url::parse(b).ok());
        let base_path = parsed
            .as_ref()
            .map(|u| u.path().trim_end_matches('/').to_string())
            .unwrap_or_default();
        let origin = parsed.map(|u| u.origin().ascii_serialization());
        Routes {
            base_path,
            origin,
            language: String::new(),
        }
    }

    /// The routes of the pages in another language of the site, under
    /// `<base>/<tag>/` (the default language's are at the root).
    pub fn in_language(mut self, tag: &str) -> Routes {
        self.language = format!("/{tag}");
        self
    }

    /// The output folder of this language's pages: `ja/`, or empty.
    pub fn dir(&self) -> &str {
        self.language.strip_prefix('/').unwrap_or("")
    }

    /// `url` (under the base path and this language's folder) and `path`
    /// (in the output folder) under this language's folder.
    fn at(&self, url: &str, path: &str) -> Route {
        self.joined(url, "", path, "")
    }

    /// [`at`](Self::at) for `url` + `url_end` and `path` + `path_end`,
    /// each string made once at its size: a build asks for the routes of
    /// every article several times (`format!` cost four times as much).
    fn joined(&self, url: &str, url_end: &str, path: &str, path_end: &str) -> Route {
        let dir = self.dir();
        let (base, language) = (self.base_path.as_str(), self.language.as_str());
        let mut u =
            String::with_capacity(base.len() + language.len() + 1 + url.len() + url_end.len());
        for part in [base, language, "/", url, url_end] {
            u.push_str(part);
        }
        let mut p = String::with_capacity(dir.len() + 1 + path.len() + path_end.len());
        if !dir.is_empty() {
            p.push_str(dir);
            p.push('/');
        }
        p.push_str(path);
        p.push_str(path_end);
        Route { url: u, path: p }
    }

    /// Where this language's pages start: `/news/ja/`, `/news/`.
    pub fn language_root(&self) -> String {
        format!("{}{}/", self.base_path, self.language)
    }

    /// `/news`, or empty: what every link starts with.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    fn page(&self, dir: &str) -> Route {
        self.joined(dir, "/", dir, "/index.html")
    }

    /// The timeline page.
    pub fn home(&self) -> Route {
        self.at("", "index.html")
    }

    /// The page served at every missing address.
    pub fn not_found(&self) -> Route {
        self.at("404.html", "404.html")
    }

    /// An article's page: `<base>/<id>/`.
    pub fn article(&self, id: &str) -> Route {
        self.page(id)
    }

    /// An article's entry on the timeline page: `<base>/#<anchor>`.
    pub fn on_timeline(&self, id: &str) -> String {
        format!("{}/#{}", self.base_path, anchor(id))
    }

    /// The index of a taxonomy: `<base>/participants/`.
    pub fn taxonomy(&self, taxonomy: Taxonomy) -> Route {
        self.page(taxonomy.dir())
    }

    /// A term's page: `<base>/participants/<slug>/`.
    /// A term's page: `<base>/participants/joe-biden/`; a slug in another
    /// script is percent-encoded in the address (its folder keeps it as
    /// it is), as Hugo does.
    pub fn term(&self, taxonomy: Taxonomy, slug: &str) -> Route {
        let dir = taxonomy.dir();
        self.at(
            &format!("{dir}/{}/", encode(slug)),
            &format!("{dir}/{slug}/index.html"),
        )
    }

    /// A page of the timeline other than the first a reader lands on:
    /// `<base>/timeline/1990-to-1994/`.
    pub fn timeline_page(&self, span: &str) -> Route {
        self.page(&format!("timeline/{span}"))
    }

    /// A further page of a listing whose first page is `first`:
    /// `<base>/participants/joe-biden/1990-to-1994/`.
    pub fn listing_page(&self, first: &Route, span: &str) -> Route {
        let dir = first.path.strip_suffix("index.html").unwrap_or(&first.path);
        Route {
            url: format!("{}{span}/", first.url),
            path: format!("{dir}{span}/index.html"),
        }
    }

    /// Page `n` (from 2) of a taxonomy's index: `<base>/participants/_page-2/`.
    /// The underscore keeps it apart from every term's slug.
    pub fn taxonomy_page(&self, taxonomy: Taxonomy, n: usize) -> Route {
        self.page(&format!("{}/_page-{n}", taxonomy.dir()))
    }

    /// A year's page: `<base>/2023/`.
    pub fn year(&self, year: i64) -> Route {
        self.page(&crate::date::year_slug(year))
    }

    /// A file at the site's root: `<base>/atom.xml`.
    fn file(&self, name: &str) -> Route {
        self.at(name, name)
    }

    /// The search page: `<base>/search/`.
    pub fn search(&self) -> Route {
        self.page("search")
    }

    /// The search index's folder, with a trailing slash: `<base>/pagefind/`.
    pub fn search_bundle(&self) -> String {
        format!("{}/pagefind/", self.base_path)
    }

    /// A file of the search index (Pagefind's): `<base>/pagefind/<name>`.
    pub fn search_file(&self, name: &str) -> Route {
        self.file(&format!("pagefind/{name}"))
    }

    /// The Atom feed.
    pub fn atom(&self) -> Route {
        self.file("atom.xml")
    }

    /// The JSON Feed.
    pub fn json_feed(&self) -> Route {
        self.file("feed.json")
    }

    /// The site's calendar (iCalendar).
    pub fn calendar(&self) -> Route {
        self.file("calendar.ics")
    }

    /// A term's calendar: `<base>/participants/<slug>/calendar.ics`.
    pub fn term_calendar(&self, taxonomy: Taxonomy, slug: &str) -> Route {
        let dir = taxonomy.dir();
        self.at(
            &format!("{dir}/{}/calendar.ics", encode(slug)),
            &format!("{dir}/{slug}/calendar.ics"),
        )
    }

    /// The timeline as TimelineJS data.
    pub fn timeline_data(&self) -> Route {
        self.file("timeline.json")
    }

    /// The filter's index: every entry's terms, kind and status, for the
    /// script that filters the timeline and term pages.
    pub fn filter_index(&self) -> Route {
        self.file("filter-index.json")
    }

    /// TimelineJS's words in the site's language, for that page.
    pub fn timeline_locale(&self) -> Route {
        self.file("timelinejs-locale.json")
    }

    /// The page that shows the timeline in TimelineJS.
    pub fn timeline_view(&self) -> Route {
        self.page("timeline-view")
    }

    /// The sitemap (or, for a large site, the sitemap index).
    pub fn sitemap(&self) -> Route {
        self.file("sitemap.xml")
    }

    /// Part `n` (from 1) of a sitemap too large for one file.
    pub fn sitemap_part(&self, n: usize) -> Route {
        self.file(&format!("sitemap-{n}.xml"))
    }

    pub fn robots(&self) -> Route {
        self.file("robots.txt")
    }

    /// The site's origin (`https://example.org`), when it has a base URL.
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }

    /// A static file or other asset at the site's root: `<base>/style.css`.
    pub fn asset(&self, name: &str) -> String {
        format!("{}/{name}", self.base_path)
    }

    /// The address of an article's picture: under the base path for an
    /// image in `static/`, else as written.
    pub fn media_url(&self, media: &Media) -> String {
        match media.local_path() {
            Some(path) => self.asset(path),
            None => media.src.value.clone(),
        }
    }

    /// The absolute address of an article's picture, when it has one.
    pub fn media_permalink(&self, media: &Media) -> Option<String> {
        match media.local_path() {
            Some(_) => self.permalink(&self.media_url(media)),
            None => Some(media.src.value.clone()),
        }
    }

    /// A link written from the site's root (`/images/map.svg` in markdown),
    /// under the base path.
    pub fn from_root(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    /// The absolute address of a URL this book made, when the site has a
    /// base URL.
    pub fn permalink(&self, url: &str) -> Option<String> {
        self.origin.as_ref().map(|o| format!("{o}{url}"))
    }
}

/// An article id as an HTML id: `2023/camp-david` becomes `2023-camp-david`.
pub fn anchor(id: &str) -> String {
    id.replace('/', "-")
}

/// A year's section on a listing: `y2023`, `y44-bc`.
pub fn year_anchor(year: i64) -> String {
    format!("y{}", crate::date::year_slug(year))
}

/// What a path segment keeps as it is: RFC 3986's unreserved characters.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A slug as a path segment of an address: `岸田文雄` as
/// `%E5%B2%B8%E7%94%B0%E6%96%87%E9%9B%84`; an ASCII slug as it is.
pub fn encode(slug: &str) -> String {
    percent_encoding::utf8_percent_encode(slug, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_paths_come_in_pairs() {
        let r = Routes::new(Some("https://example.org/news"));
        assert_eq!(r.base_path(), "/news");
        assert_eq!(
            r.article("2023/camp-david"),
            Route {
                url: "/news/2023/camp-david/".into(),
                path: "2023/camp-david/index.html".into()
            }
        );
        assert_eq!(r.home().path, "index.html");
        assert_eq!(
            r.term(Taxonomy::Participants, "joe-biden").url,
            "/news/participants/joe-biden/"
        );
        assert_eq!(r.year(2023).path, "2023/index.html");
        assert_eq!(r.on_timeline("2023/camp-david"), "/news/#2023-camp-david");
        assert_eq!(r.asset("style.css"), "/news/style.css");
        assert_eq!(
            r.permalink(&r.home().url).as_deref(),
            Some("https://example.org/news/")
        );
    }

    #[test]
    fn a_site_at_a_domain_root_has_no_base_path() {
        let r = Routes::new(None);
        assert_eq!(r.home().url, "/");
        assert_eq!(r.permalink("/"), None);
        let r = Routes::new(Some("https://example.org"));
        assert_eq!(r.article("a").url, "/a/");
        assert_eq!(
            r.permalink("/a/").as_deref(),
            Some("https://example.org/a/")
        );
    }
}
