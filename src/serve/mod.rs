//! `chronicle serve`: build the site into memory, serve it over HTTP, and
//! rebuild it through the same incremental engine as `build` whenever a
//! source changes.
//!
//! The order of a rebuild is what keeps a preview honest (zola#2552,
//! mdBook#862): the new site is made whole, then swapped in at once, and
//! only then are open pages told to reload, so a reload never reaches a
//! page that is not there yet. A build that fails leaves the last good site
//! served and shows its diagnostics over every open page until a change
//! fixes them. Nothing is written to disk, the output folder least of all.
//!
//! The library prints nothing: what happens is reported through a callback
//! the binary turns into lines.

pub mod http;
pub mod site;
mod watch;

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::broadcast;

use crate::content;
use crate::diagnostics::Diagnostic;
use crate::pipeline::Options;
use crate::pipeline::engine::Engine;
use http::{App, Notice};
use site::Snapshot;

/// What to serve, where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub site: Options,
    pub bind: IpAddr,
    /// 0 asks the system for a free port.
    pub port: u16,
    /// Poll for changes instead of waiting for the system's events.
    pub poll: bool,
}

/// What happened, for the binary to show.
#[derive(Debug)]
pub enum Event {
    /// The server is up, at `url`.
    Listening { url: String, loopback: bool },
    /// A build went through and is being served.
    Built {
        articles: usize,
        /// Files made anew; the rest stand as they were.
        rendered: usize,
        warnings: Vec<Diagnostic>,
        took: Duration,
    },
    /// A build failed; the last good site stays served.
    Failed {
        diagnostics: Vec<Diagnostic>,
        took: Duration,
    },
    /// The watcher reported a problem; the server goes on.
    WatchProblem(String),
}

/// Why the server could not run.
#[derive(Debug)]
pub enum ServeError {
    PortInUse(SocketAddr),
    Bind(SocketAddr, io::Error),
    Watch(String),
    Runtime(io::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::PortInUse(addr) => write!(f, "{addr} is already in use"),
            ServeError::Bind(addr, e) => write!(f, "cannot listen on {addr}: {e}"),
            ServeError::Watch(e) => write!(f, "cannot watch the site's folders: {e}"),
            ServeError::Runtime(e) => write!(f, "cannot start the server: {e}"),
        }
    }
}

impl std::error::Error for ServeError {}

impl ServeError {
    pub fn hint(&self) -> Option<String> {
        match self {
            ServeError::PortInUse(addr) => Some(format!(
                "another program (another `chronicle serve`?) listens there: choose another port, e.g. --port {}",
                addr.port().wrapping_add(1).max(1024)
            )),
            ServeError::Watch(_) => Some("on a file system that sends no change events (a network share, some containers), try --poll".into()),
            _ => None,
        }
    }
}

type Report = Arc<dyn Fn(Event) + Send + Sync>;

/// Serves the site until Ctrl-C.
pub fn serve(mut options: ServeOptions, report: Report) -> Result<(), ServeError> {
    // Watched paths come back absolute: compare them with an absolute root.
    if let Ok(root) = std::path::absolute(&options.site.root) {
        options.site.root = root;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_io()
        .enable_time()
        .build()
        .map_err(ServeError::Runtime)?;
    let (listener, local) =
        runtime.block_on(listen(SocketAddr::new(options.bind, options.port)))?;
    // Listening for Ctrl-C starts now, before anyone is told the address.
    let stop = runtime
        .block_on(async { stop_signal() })
        .map_err(ServeError::Runtime)?;

    let (notices, _) = broadcast::channel(16);
    let app = App {
        current: Arc::new(RwLock::new(Arc::new(Snapshot::default()))),
        notices,
    };
    let mut engine = Engine::new();
    let sources = content::read(&options.site.root);
    rebuild(&mut engine, &options.site, &sources, &app, &report);
    let (watcher, watched, changes) = watch::start(&options.site.root, options.poll)
        .map_err(|e| ServeError::Watch(e.to_string()))?;
    let base = app.snapshot().base_path.clone();
    report(Event::Listening {
        url: format!("http://{local}{base}/"),
        loopback: local.ip().is_loopback(),
    });
    {
        let app = app.clone();
        let report = report.clone();
        let site = options.site.clone();
        // Ends with the process; it never holds a file open for writing.
        let state = Following {
            watcher,
            watched,
            engine,
            sources,
        };
        std::thread::spawn(move || follow(state, changes, &site, &app, &report));
    }
    let router = http::router(app, local.ip());
    runtime
        .block_on(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(stop)
                .await
        })
        .map_err(ServeError::Runtime)
}

async fn listen(addr: SocketAddr) -> Result<(tokio::net::TcpListener, SocketAddr), ServeError> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        if e.kind() == io::ErrorKind::AddrInUse {
            ServeError::PortInUse(addr)
        } else {
            ServeError::Bind(addr, e)
        }
    })?;
    let local = listener.local_addr().map_err(ServeError::Runtime)?;
    Ok((listener, local))
}

/// What the rebuilding thread keeps between changes.
struct Following {
    watcher: watch::Watcher,
    watched: Vec<std::path::PathBuf>,
    engine: Engine,
    /// `content/` as last read: a change re-reads only what changed.
    sources: content::Sources,
}

/// Follows the watcher: each batch of changes is one rebuild.
fn follow(
    mut state: Following,
    changes: std::sync::mpsc::Receiver<notify_debouncer_full::DebounceEventResult>,
    options: &Options,
    app: &App,
    report: &Report,
) {
    let root = &options.root;
    while let Ok(batch) = changes.recv() {
        let found = watch::relevant(root, batch);
        if found.paths.is_empty() && !found.rescan {
            continue;
        }
        // A source folder made since the start (templates/, say).
        if let Err(e) = state.watcher.watch_sources(root, &mut state.watched) {
            report(Event::WatchProblem(e.to_string()));
        }
        if found.rescan {
            state.sources = content::read(root);
        } else {
            state.sources.refresh(root, &found.paths);
        }
        rebuild(&mut state.engine, options, &state.sources, app, report);
    }
}

/// Rebuilds, swaps the served site when the build is whole, then tells
/// open pages: reload, or here are the errors.
fn rebuild(
    engine: &mut Engine,
    options: &Options,
    sources: &content::Sources,
    app: &App,
    report: &Report,
) {
    let started = Instant::now();
    let current = app.snapshot();
    match site::rebuild(engine, options, sources, &current) {
        Ok(outcome) => {
            let changed = outcome.rendered > 0 || current.errors.is_some();
            let removed = current.files.len() != outcome.snapshot.files.len();
            swap(app, outcome.snapshot);
            if changed || removed {
                let _ = app.notices.send(Notice::Reload);
            }
            report(Event::Built {
                articles: outcome.articles,
                rendered: outcome.rendered,
                warnings: outcome.warnings,
                took: started.elapsed(),
            });
        }
        Err(diagnostics) => {
            let text = site::render_diagnostics(std::path::Path::new(""), &diagnostics);
            // The same errors again (one save seen as two changes): the
            // pages and the terminal already show them.
            if current.errors.as_deref() == Some(text.as_str()) {
                return;
            }
            let snapshot = Snapshot {
                errors: Some(text.clone()),
                ..(*current).clone()
            };
            swap(app, snapshot);
            let _ = app.notices.send(Notice::Errors(text));
            report(Event::Failed {
                diagnostics,
                took: started.elapsed(),
            });
        }
    }
}

/// Resolves on Ctrl-C (or SIGTERM); the handlers are in place when this
/// returns.
#[cfg(unix)]
fn stop_signal() -> io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn stop_signal() -> io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

fn swap(app: &App, snapshot: Snapshot) {
    let snapshot = Arc::new(snapshot);
    match app.current.write() {
        Ok(mut guard) => *guard = snapshot,
        Err(poisoned) => *poisoned.into_inner() = snapshot,
    }
}
