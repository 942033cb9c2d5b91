//! `chronicle serve`: build the site into a folder of the cache, serve it
//! from there over HTTP, and rebuild it through the same incremental
//! engine and the same staging and publish as `build` whenever a source
//! changes.
//!
//! The order of a rebuild is what keeps a preview honest (zola#2552,
//! mdBook#862): the new site is made whole and published into the folder,
//! and only then are open pages told to reload, so a reload never reaches
//! a page that is not there yet. A build that fails leaves the last good
//! site served and shows its diagnostics over every open page until a
//! change fixes them.
//!
//! Memory follows what is open, not the archive: the pages live on disk
//! (`folder.rs`: `<cache>/serve/<n>/site/`, with its manifest and the
//! engine's memo beside it, so the next start is incremental too) and a
//! request reads its file. The output folder is never written: the preview
//! is built with its own options (drafts, say) and must not be published.
//!
//! The library prints nothing: what happens is reported through a callback
//! the binary turns into lines.

pub mod folder;
pub mod http;
mod watch;

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::broadcast;

use crate::content::ContentFiles;
use crate::diagnostics::Diagnostic;
use crate::pipeline::Failure;
use crate::pipeline::Options;
use folder::{FolderError, ServeFolder, Served};
use http::{App, Notice};

/// How long the sources must stay quiet after a rebuild before the
/// engine's memo is stored for the next start (storing it is never part
/// of a rebuild: pages reload first). It is stored when the server stops,
/// too.
const QUIET: Duration = Duration::from_secs(2);

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
    /// A build could not be written into the serve folder (a full disk,
    /// say); the last good site stays served, as far as it stands.
    WriteFailed { error: String, took: Duration },
    /// The watcher reported a problem; the server goes on.
    WatchProblem(String),
    /// What the engine learned could not be stored for the next start;
    /// the server goes on (the next start does more work).
    MemoProblem(String),
}

/// Why the server could not run. The I/O errors are in the messages, not
/// sources, so the binary's chain of causes does not say them twice.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0} is already in use")]
    PortInUse(SocketAddr),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, io::Error),
    #[error("cannot watch the site's folders: {0}")]
    Watch(String),
    #[error("cannot start the server: {0}")]
    Runtime(io::Error),
    /// The folder in the cache the site is built into.
    #[error(transparent)]
    Folder(FolderError),
}

impl ServeError {
    pub fn hint(&self) -> Option<String> {
        match self {
            ServeError::PortInUse(addr) => Some(format!(
                "another program (another `chronicle serve`?) listens there: choose another port, e.g. --port {}",
                addr.port().wrapping_add(1).max(1024)
            )),
            ServeError::Watch(_) => Some("on a file system that sends no change events (a network share, some containers), try --poll".into()),
            ServeError::Folder(FolderError::Busy(_)) => Some("stop one of them (Ctrl-C in its terminal)".into()),
            ServeError::Folder(FolderError::Output(e)) => Some(match e.io_kind() {
                Some(io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem) => {
                    "serve builds the site into its cache folder (.chronicle/serve/ at the site root): choose one you can write to, with --cache-dir".into()
                }
                _ => e.hint().unwrap_or("serve builds the site into its cache folder (.chronicle/serve/ at the site root)").into(),
            }),
            _ => None,
        }
    }
}

type Reporter = Arc<dyn Fn(Event) + Send + Sync>;

/// Serves the site until Ctrl-C.
pub fn serve(mut options: ServeOptions, report: Reporter) -> Result<(), ServeError> {
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
        current: Arc::new(RwLock::new(Arc::new(Served::default()))),
        notices,
    };
    let mut folder = ServeFolder::open(&options.site).map_err(ServeError::Folder)?;
    let mut content = folder.engine.read_content(&options.site.root);
    rebuild(&mut folder, &options.site, &mut content, &app, &report);
    let folder = Arc::new(Mutex::new(folder));
    let (watcher, watched, changes) = watch::start(&options.site.root, options.poll)
        .map_err(|e| ServeError::Watch(e.to_string()))?;
    let base = app.served().base_path.clone();
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
            folder: folder.clone(),
            content,
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
        .map_err(ServeError::Runtime)?;
    // Stopped: after the rebuild under way, if there is one.
    keep_memo(&folder, &report);
    Ok(())
}

/// Stores what the engine learned, if anything, for the next start.
fn keep_memo(folder: &Mutex<ServeFolder>, report: &Reporter) {
    let mut folder = lock(folder);
    if folder.memo_dirty()
        && let Err(e) = folder.store_memo()
    {
        report(Event::MemoProblem(crate::diagnostics::error_chain(&e)));
    }
}

fn lock(folder: &Mutex<ServeFolder>) -> std::sync::MutexGuard<'_, ServeFolder> {
    folder
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
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
    /// Shared with the server only for storing the memo when it stops.
    folder: Arc<Mutex<ServeFolder>>,
    /// `content/` as last read: a change re-reads only what changed.
    content: ContentFiles,
}

/// Follows the watcher: each batch of changes is one rebuild.
fn follow(
    mut state: Following,
    changes: std::sync::mpsc::Receiver<notify_debouncer_full::DebounceEventResult>,
    options: &Options,
    app: &App,
    report: &Reporter,
) {
    use std::sync::mpsc::RecvTimeoutError;
    let root = &options.root;
    loop {
        let dirty = lock(&state.folder).memo_dirty();
        let batch = match dirty {
            true => changes.recv_timeout(QUIET),
            false => changes.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        let batch = match batch {
            Ok(batch) => batch,
            Err(RecvTimeoutError::Timeout) => {
                keep_memo(&state.folder, report);
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let found = watch::relevant(root, batch);
        if found.paths.is_empty() && !found.rescan {
            continue;
        }
        // A source folder made since the start (templates/, say).
        if let Err(e) = state.watcher.watch_sources(root, &mut state.watched) {
            report(Event::WatchProblem(e.to_string()));
        }
        let mut folder = lock(&state.folder);
        if found.rescan {
            state.content = folder.engine.read_content(root);
        } else {
            state.content.refresh(root, &found.paths);
        }
        rebuild(&mut folder, options, &mut state.content, app, report);
    }
}

/// Rebuilds and publishes into the folder, swaps the served state when
/// the build is in place, then tells open pages: reload, or here are the
/// errors.
fn rebuild(
    folder: &mut ServeFolder,
    options: &Options,
    content: &mut ContentFiles,
    app: &App,
    report: &Reporter,
) {
    let started = Instant::now();
    let current = app.served();
    let result = folder::rebuild(folder, options, content, &current);
    // The engine knows the settled files by their stats now.
    content.forget_settled_bytes();
    match result {
        Ok(outcome) => {
            let reload = outcome.changed || current.errors.is_some() || current.folder.is_none();
            swap(app, outcome.served);
            if reload {
                let _ = app.notices.send(Notice::Reload);
            }
            report(Event::Built {
                articles: outcome.articles,
                rendered: outcome.rendered,
                warnings: outcome.warnings,
                took: started.elapsed(),
            });
        }
        Err(Failure::Diagnostics(diagnostics)) => {
            let text = folder::render_diagnostics(std::path::Path::new(""), &diagnostics);
            if show_errors(app, &current, text) {
                report(Event::Failed {
                    diagnostics,
                    took: started.elapsed(),
                });
            }
        }
        Err(Failure::Output(error, _)) => {
            let text = crate::diagnostics::error_chain(&error);
            if show_errors(app, &current, format!("error: {text}\n")) {
                report(Event::WriteFailed {
                    error: text,
                    took: started.elapsed(),
                });
            }
        }
    }
}

/// Shows `text` over the open pages; `false` if they show it already (one
/// save seen as two changes: the pages and the terminal have it).
fn show_errors(app: &App, current: &Served, text: String) -> bool {
    if current.errors.as_deref() == Some(text.as_str()) {
        return false;
    }
    swap(
        app,
        Served {
            errors: Some(text.clone()),
            ..current.clone()
        },
    );
    let _ = app.notices.send(Notice::Errors(text));
    true
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

fn swap(app: &App, served: Served) {
    let served = Arc::new(served);
    match app.current.write() {
        Ok(mut guard) => *guard = served,
        Err(poisoned) => *poisoned.into_inner() = served,
    }
}
