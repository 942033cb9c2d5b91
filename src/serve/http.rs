//! The preview's HTTP side: the built site served from its folder in the
//! cache under its base path (each request reads its file: an HTML page
//! whole, to add the script; any other file streamed), a Server-Sent
//! Events stream that tells open pages to reload (or shows a build's
//! errors over them), and the small script that listens to it, injected
//! into HTML responses only here, never into `build` output.
//!
//! Only files of the built site are served. A path is decoded once and
//! refused (404) if it holds `..`, `.`, an encoded slash or backslash, a
//! NUL, or starts with `//`, so it can only name a file inside the site's
//! folder; there, only a regular file is served, never a link or a folder.
//!
//! Only requests addressed to this server are answered: a `Host` that is a
//! name other than `localhost` (or `*.localhost`), or an address other than
//! the one bound (any address, when bound to all of them), gets 421. A page
//! on another site whose name was made to resolve to 127.0.0.1 (DNS
//! rebinding) sends its own name, and so cannot read the preview, drafts
//! included.

use std::convert::Infallible;
use std::net::IpAddr;
use std::path::Path;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use tokio::sync::broadcast;

use super::folder::Served;

/// Where the preview's own files live; no site file can be there.
pub const PREFIX: &str = "/__chronicle";
const LIVE_JS: &str = include_str!("live.js");

/// What open pages are told.
#[derive(Debug, Clone)]
pub enum Notice {
    /// A new site is being served: reload.
    Reload,
    /// The last change did not build: show these diagnostics.
    Errors(String),
}

/// What the handlers share.
#[derive(Clone)]
pub struct App {
    pub current: Arc<RwLock<Arc<Served>>>,
    pub notices: broadcast::Sender<Notice>,
}

impl App {
    pub fn served(&self) -> Arc<Served> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

/// The routes, answering only requests whose `Host` is `bound` (the
/// address listened on) or a `localhost` name.
pub fn router(app: App, bound: IpAddr) -> Router {
    Router::new()
        .route(&format!("{PREFIX}/events"), get(events))
        .route(&format!("{PREFIX}/live.js"), get(live_js))
        .fallback(get(page))
        .layer(middleware::from_fn_with_state(bound, only_our_host))
        .with_state(app)
}

async fn only_our_host(State(bound): State<IpAddr>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or("\u{fffd}"));
    match host {
        Some(host) if !host_allowed(host, bound) => (
            StatusCode::MISDIRECTED_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "This preview answers only to localhost and the address it listens on.\n",
        )
            .into_response(),
        // A request without a `Host` (HTTP/1.0) comes from no browser.
        _ => next.run(request).await,
    }
}

/// Whether a `Host` header names this server: `localhost`, a name under
/// `.localhost` (which resolves to loopback only), the bound address, a
/// loopback address when bound to loopback, or any address when bound to
/// all of them (`--bind 0.0.0.0`: the machine's addresses are not known
/// here). Never another name: that is what DNS rebinding sends.
pub fn host_allowed(host: &str, bound: IpAddr) -> bool {
    let host = host.trim();
    // `[::1]:8080`, `127.0.0.1:8080`, `localhost:8080`, `localhost`.
    let name = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((inside, port)) if port.is_empty() || port.starts_with(':') => inside,
            _ => return false,
        },
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => {
            ip == bound || bound.is_unspecified() || (bound.is_loopback() && ip.is_loopback())
        }
        Err(_) => false,
    }
}

async fn live_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_JS,
    )
        .into_response()
}

/// The event stream: the current errors first, if the last build failed,
/// then every notice as it comes.
async fn events(State(app): State<App>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let first = app.served().errors.clone().map(Notice::Errors);
    let receiver = app.notices.subscribe();
    let stream =
        futures_util::stream::unfold((first, receiver), |(mut first, mut receiver)| async move {
            if let Some(notice) = first.take() {
                return Some((Ok(event(&notice)), (None, receiver)));
            }
            loop {
                match receiver.recv().await {
                    Ok(notice) => return Some((Ok(event(&notice)), (None, receiver))),
                    // A page that fell behind only needs the latest state.
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn event(notice: &Notice) -> Event {
    match notice {
        Notice::Reload => Event::default().event("reload").data("reload"),
        Notice::Errors(text) => {
            let data = serde_json::json!({ "text": text }).to_string();
            Event::default().event("build-error").data(data)
        }
    }
}

/// Where a request leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the site, by output path.
    File(String),
    /// The same address with a slash (or the base path) added.
    Redirect(String),
    NotFound,
}

/// Resolves a request path against the site's files (`is_file`: whether
/// an output path is one), under the base path `base`.
pub fn resolve(raw_path: &str, base: &str, is_file: &dyn Fn(&str) -> bool) -> Target {
    let Some(path) = clean(raw_path) else {
        return Target::NotFound;
    };
    let Some(rest) = path.strip_prefix(base) else {
        return Target::NotFound;
    };
    if rest.is_empty() {
        return Target::Redirect(format!("{base}/"));
    }
    let Some(rel) = rest.strip_prefix('/') else {
        return Target::NotFound;
    };
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return match is_file(&index) {
            true => Target::File(index),
            false => Target::NotFound,
        };
    }
    if is_file(rel) {
        return Target::File(rel.to_string());
    }
    if is_file(&format!("{rel}/index.html")) {
        return Target::Redirect(format!("{path}/"));
    }
    Target::NotFound
}

/// The request path decoded, or `None` if it tries to climb, hide a
/// separator, or is not a plain path.
fn clean(raw: &str) -> Option<String> {
    let lower = raw.to_ascii_lowercase();
    if !raw.starts_with('/')
        || raw.starts_with("//")
        || lower.contains("%2f")
        || lower.contains("%5c")
        || lower.contains("%00")
    {
        return None;
    }
    let decoded = percent_decode(raw)?;
    let bad_segment = decoded.split('/').any(|s| s == ".." || s == ".");
    (!bad_segment && !decoded.contains('\\') && !decoded.contains('\0')).then_some(decoded)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

async fn page(State(app): State<App>, uri: Uri) -> Response {
    let served = app.served();
    let Some(folder) = served.folder.clone() else {
        return not_found_without_site();
    };
    let path = uri.path().to_string();
    let base = served.base_path.clone();
    let found = tokio::task::spawn_blocking(move || {
        let is_file = |rel: &str| is_site_file(&folder, rel);
        let target = resolve(&path, &base, &is_file);
        let not_found = is_file("404.html");
        (folder, target, not_found)
    })
    .await;
    let Ok((folder, target, has_404)) = found else {
        return server_error();
    };
    match target {
        Target::File(path) => file(&folder, &path, StatusCode::OK).await,
        Target::Redirect(location) => (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location)],
        )
            .into_response(),
        Target::NotFound if has_404 => file(&folder, "404.html", StatusCode::NOT_FOUND).await,
        Target::NotFound => not_found_without_site(),
    }
}

/// Whether `rel` (a cleaned output path) names a regular file in the
/// site's folder: never a folder, never a symbolic link.
fn is_site_file(folder: &Path, rel: &str) -> bool {
    std::fs::symlink_metadata(folder.join(rel)).is_ok_and(|m| m.is_file())
}

fn server_error() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CACHE_CONTROL, "no-store")],
        "The preview could not read this file.\n",
    )
        .into_response()
}

/// Before any build succeeded there is no 404 page: a minimal one, with
/// the script, so the errors show.
fn not_found_without_site() -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not built yet</title></head><body><main><h1>The site has not built yet</h1><p>Fix the errors shown, and this page reloads.</p></main>{}</body></html>",
        script_tag()
    );
    (
        StatusCode::NOT_FOUND,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

fn script_tag() -> String {
    format!("<script src=\"{PREFIX}/live.js\"></script>")
}

/// The site's file at `rel`, read now: an HTML page whole, with the
/// script added; any other file streamed. A file gone since it was found
/// (a build removed it) is answered 404.
async fn file(folder: &Path, rel: &str, status: StatusCode) -> Response {
    let path = folder.join(rel);
    let mime = mime_guess::from_path(rel).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let body = if is_html {
        match tokio::fs::read(&path).await {
            Ok(bytes) => Body::from(inject(&bytes)),
            Err(e) => return read_failed(&e),
        }
    } else {
        match tokio::fs::File::open(&path).await {
            Ok(file) => Body::from_stream(chunks(file)),
            Err(e) => return read_failed(&e),
        }
    };
    let content_type = if mime.type_() == "text" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn read_failed(error: &std::io::Error) -> Response {
    match error.kind() {
        std::io::ErrorKind::NotFound => (
            StatusCode::NOT_FOUND,
            [(header::CACHE_CONTROL, "no-store")],
            "Not found.\n",
        )
            .into_response(),
        _ => server_error(),
    }
}

/// A file's bytes, 64 KiB at a time.
fn chunks(
    file: tokio::fs::File,
) -> impl Stream<Item = Result<axum::body::Bytes, std::io::Error>> + Send {
    use tokio::io::AsyncReadExt;
    futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buffer = Vec::with_capacity(64 * 1024);
        match (&mut file).take(64 * 1024).read_to_end(&mut buffer).await {
            Ok(0) => None,
            Ok(_) => Some((Ok(axum::body::Bytes::from(buffer)), Some(file))),
            Err(e) => Some((Err(e), None)),
        }
    })
}

/// The page with the live-reload script before its closing `</body>`.
fn inject(html: &[u8]) -> Vec<u8> {
    let tag = script_tag();
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `resolve` against a site of four files under `base`.
    fn resolve_in(path: &str, base: &str) -> Target {
        let files = ["index.html", "2023/a/index.html", "style.css", "404.html"];
        resolve(path, base, &|rel| files.contains(&rel))
    }

    #[test]
    fn paths_resolve_under_the_base_path() {
        assert_eq!(
            resolve_in("/news/", "/news"),
            Target::File("index.html".into())
        );
        assert_eq!(
            resolve_in("/news", "/news"),
            Target::Redirect("/news/".into())
        );
        assert_eq!(
            resolve_in("/news/2023/a/", "/news"),
            Target::File("2023/a/index.html".into())
        );
        assert_eq!(
            resolve_in("/news/2023/a", "/news"),
            Target::Redirect("/news/2023/a/".into())
        );
        assert_eq!(
            resolve_in("/news/style.css", "/news"),
            Target::File("style.css".into())
        );
        assert_eq!(resolve_in("/style.css", "/news"), Target::NotFound);
        assert_eq!(resolve_in("/newsroom/", "/news"), Target::NotFound);
        assert_eq!(resolve_in("/", ""), Target::File("index.html".into()));
        assert_eq!(
            resolve_in("/2023/a/", ""),
            Target::File("2023/a/index.html".into())
        );
        assert_eq!(resolve_in("/2023/b/", ""), Target::NotFound);
    }

    #[test]
    fn traversal_is_not_found() {
        for path in [
            "/../etc/passwd",
            "/2023/../index.html",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/2023%2fa/index.html",
            "/2023%5ca",
            "//etc/passwd",
            "/./index.html",
            "/a\\b",
            "/%00",
            "/%zz",
        ] {
            assert_eq!(resolve_in(path, ""), Target::NotFound, "{path}");
        }
    }

    #[test]
    fn only_localhost_names_and_the_bound_address_are_answered() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        for host in [
            "localhost",
            "localhost:1111",
            "LOCALHOST.:1111",
            "preview.localhost:1111",
            "127.0.0.1:1111",
            "127.0.0.1",
            "[::1]:1111",
        ] {
            assert!(host_allowed(host, loopback), "{host}");
        }
        for host in [
            "attacker.example:1111",
            "attacker.example",
            "localhost.attacker.example",
            "192.168.1.5:1111",
            "[::1",
            "[::1]x",
            "",
        ] {
            assert!(!host_allowed(host, loopback), "{host}");
        }
        let lan: IpAddr = "192.168.1.5".parse().unwrap();
        assert!(host_allowed("192.168.1.5:1111", lan));
        assert!(!host_allowed("192.168.1.6:1111", lan));
        assert!(!host_allowed("myhost.lan:1111", lan));
        let all: IpAddr = "0.0.0.0".parse().unwrap();
        assert!(host_allowed("10.0.0.7:1111", all));
        assert!(!host_allowed("attacker.example:1111", all));
    }

    #[test]
    fn the_script_goes_before_the_closing_body() {
        let out = inject(b"<html><body><p>x</p></BODY></html>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("<html><body><p>x</p>{}</BODY></html>", script_tag())
        );
        assert!(
            String::from_utf8(inject(b"<p>no body"))
                .unwrap()
                .ends_with("</script>")
        );
    }
}
