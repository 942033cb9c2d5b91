//! `chronicle serve` as an editor meets it: the binary started on a free
//! port, pages fetched over HTTP, the event stream followed while files are
//! added, broken, fixed, saved atomically and renamed.
//!
//! Waits are bounded (a minute) only so that a broken server fails the test
//! instead of hanging it; nothing here measures time. Built only with the
//! `serve` feature (see `main.rs`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::common::*;

const PATIENCE: Duration = Duration::from_secs(60);

/// A running `chronicle serve`, killed when dropped.
struct Server {
    child: Child,
    url: String,
    /// What it printed before and after saying where it listens.
    stdout: mpsc::Receiver<String>,
    stderr: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .args(extra)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let (otx, orx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(url) = line.strip_prefix("Serving ") {
                let _ = tx.send(url.split(' ').next().unwrap_or("").to_string());
            }
            let _ = otx.send(line);
        }
    });
    let (etx, erx) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            let _ = etx.send(line);
        }
    });
    let url = rx
        .recv_timeout(PATIENCE)
        .expect("the server said where it listens");
    Server {
        child,
        url,
        stdout: orx,
        stderr: erx,
    }
}

fn get(url: &str) -> (u16, String) {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .new_agent();
    let mut response = agent.get(url).call().unwrap();
    let status = response.status().as_u16();
    (
        status,
        response.body_mut().read_to_string().unwrap_or_default(),
    )
}

/// The status line of a request sent as written: HTTP clients tidy `..`
/// away, an attacker does not.
fn raw_status(url: &str, path: &str) -> String {
    let host = url.trim_start_matches("http://").split('/').next().unwrap();
    let mut stream = TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.lines().next().unwrap_or("").to_string()
}

/// The events the server sends, one per message: `reload` or the JSON of
/// a `build-error`.
fn events(url: &str) -> mpsc::Receiver<(String, String)> {
    let host = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let mut stream = TcpStream::connect(&host).unwrap();
    write!(
        stream,
        "GET /__chronicle/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut name = String::new();
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(data) = line.strip_prefix("data: ") {
                let _ = tx.send((name.clone(), data.to_string()));
            }
        }
    });
    rx
}

fn next_event(events: &mpsc::Receiver<(String, String)>) -> (String, String) {
    events
        .recv_timeout(PATIENCE)
        .expect("an event from the server")
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("order"), dir.path());
    dir
}

const NEW: &str = "---\ntitle: A brand new meeting\ndate: 2024-03-03\nparticipants: [New Person]\n---\nFresh text.\n";

#[test]
fn pages_are_served_and_an_added_article_appears_after_the_reload() {
    let site = site();
    let server = start(site.path(), &[]);
    let (status, home) = get(&server.url);
    assert_eq!(status, 200);
    // The script is injected while serving, never into what `build` writes.
    assert!(home.contains("<script src=\"/__chronicle/live.js\"></script></body>"));
    assert_eq!(get(&format!("{}2024/a-day/", server.url)).0, 200);
    assert_eq!(get(&format!("{}style.css", server.url)).0, 200);
    assert_eq!(get(&format!("{}2024/a-day", server.url)).0, 301);

    let events = events(&server.url);
    std::fs::write(site.path().join("content/2024/new.md"), NEW).unwrap();
    assert_eq!(next_event(&events).0, "reload");
    let (status, page) = get(&format!("{}2024/new/", server.url));
    assert_eq!(status, 200);
    assert!(page.contains("A brand new meeting"));
    let (_, home) = get(&server.url);
    assert!(
        home.contains("href=\"/2024/new/\""),
        "the timeline lists it"
    );
    let (_, person) = get(&format!("{}participants/new-person/", server.url));
    assert!(person.contains("A brand new meeting"));
    assert!(
        !site.path().join("public").exists(),
        "serve never writes the output folder"
    );
}

#[test]
fn a_broken_file_shows_its_errors_and_the_last_good_site_stays() {
    let site = site();
    let server = start(site.path(), &[]);
    let events = events(&server.url);
    let broken = site.path().join("content/2024/month.md");
    let good = std::fs::read_to_string(&broken).unwrap();
    std::fs::write(
        &broken,
        "---\ntitle: January 2024\ndate: \"2024-13\"\n---\n",
    )
    .unwrap();
    let (name, data) = next_event(&events);
    assert_eq!(name, "build-error");
    let text: serde_json::Value = serde_json::from_str(&data).unwrap();
    let text = text["text"].as_str().unwrap();
    assert!(
        text.starts_with(
            "content/2024/month.md:3:13: error[date-invalid]: month 13 does not exist"
        ),
        "{text}"
    );
    // The old page is still served.
    let (status, page) = get(&format!("{}2024/month/", server.url));
    assert_eq!(status, 200);
    assert!(page.contains("January 2024"));
    // A page opened now learns of the errors at once.
    let late = self::events(&server.url);
    assert_eq!(next_event(&late).0, "build-error");
    // The terminal shows them too.
    let line = server
        .stderr
        .recv_timeout(PATIENCE)
        .expect("the error on standard error");
    assert!(
        line.contains("month.md:3:13: error[date-invalid]"),
        "{line}"
    );
    // Fixing the file clears them: the pages reload.
    std::fs::write(&broken, good).unwrap();
    assert_eq!(next_event(&events).0, "reload");
}

#[test]
fn atomic_saves_renames_and_deletes_are_followed() {
    let site = site();
    let server = start(site.path(), &[]);
    let events = events(&server.url);
    // An editor's atomic save: a temporary file renamed over the article.
    let dir = site.path().join("content/2024");
    std::fs::write(
        dir.join(".month.md.tmp123"),
        "---\ntitle: Saved atomically\ndate: \"2024-01\"\n---\nText.\n",
    )
    .unwrap();
    std::fs::rename(dir.join(".month.md.tmp123"), dir.join("month.md")).unwrap();
    assert_eq!(next_event(&events).0, "reload");
    assert!(
        get(&format!("{}2024/month/", server.url))
            .1
            .contains("Saved atomically")
    );

    std::fs::rename(dir.join("month.md"), dir.join("renamed.md")).unwrap();
    assert_eq!(next_event(&events).0, "reload");
    let (status, page) = get(&format!("{}2024/month/", server.url));
    assert_eq!(status, 404);
    assert!(
        page.contains("href=\"/\""),
        "the 404 page links to the timeline"
    );
    assert_eq!(get(&format!("{}2024/renamed/", server.url)).0, 200);

    // A new folder with an article in it.
    std::fs::create_dir_all(site.path().join("content/2026")).unwrap();
    std::fs::write(site.path().join("content/2026/far.md"), NEW).unwrap();
    assert_eq!(next_event(&events).0, "reload");
    assert_eq!(get(&format!("{}2026/far/", server.url)).0, 200);

    std::fs::remove_file(site.path().join("content/2026/far.md")).unwrap();
    assert_eq!(next_event(&events).0, "reload");
    assert_eq!(get(&format!("{}2026/far/", server.url)).0, 404);
}

#[test]
fn a_new_template_folder_is_watched_and_used() {
    let site = site();
    let server = start(site.path(), &[]);
    let events = events(&server.url);
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Lost</h1>{% endblock main %}",
    )
    .unwrap();
    assert_eq!(next_event(&events).0, "reload");
    let (status, page) = get(&format!("{}nowhere/", server.url));
    assert_eq!(status, 404);
    assert!(page.contains("<h1>Lost</h1>"));
}

#[test]
fn only_the_built_site_is_served() {
    let site = site();
    std::fs::write(site.path().join("secret.txt"), "do not serve").unwrap();
    let server = start(site.path(), &[]);
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/2024/..%2f..%2fsecret.txt",
        "/content/2024/month.md",
        "//etc/passwd",
        "/secret.txt",
        "/..\\secret.txt",
    ] {
        let status = raw_status(&server.url, path);
        assert!(status.contains(" 404 "), "{path}: {status}");
    }
}

/// The status line of a GET for `/` sent with this `Host`.
fn status_for_host(url: &str, host: &str) -> String {
    let addr = url.trim_start_matches("http://").split('/').next().unwrap();
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.lines().next().unwrap_or("").to_string()
}

/// Regression (issue 28, item 10): any `Host` was answered, so a page whose
/// name was rebound to 127.0.0.1 could read the preview, drafts included.
#[test]
fn only_requests_for_this_server_are_answered() {
    let site = site();
    let server = start(site.path(), &[]);
    let addr = server
        .url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap();
    let port = addr.rsplit(':').next().unwrap();
    for host in [addr.to_string(), format!("localhost:{port}")] {
        let status = status_for_host(&server.url, &host);
        assert!(status.contains(" 200 "), "{host}: {status}");
    }
    for host in [
        format!("attacker.example:{port}"),
        "attacker.example".into(),
    ] {
        let status = status_for_host(&server.url, &host);
        assert!(status.contains(" 421 "), "{host}: {status}");
    }
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = site();
    let first = start(site.path(), &[]);
    let port = first.url.rsplit(':').next().unwrap().trim_end_matches('/');
    let second = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(["serve", "--port", port, "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("is already in use"), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
}

#[test]
fn listening_beyond_loopback_is_a_warning() {
    let site = site();
    let server = start(site.path(), &["--bind", "0.0.0.0"]);
    let line = server.stderr.recv_timeout(PATIENCE).unwrap();
    assert!(line.starts_with("warning: listening on an address other machines can reach"));
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = site();
    let mut server = start(site.path(), &[]);
    unsafe {
        libc::kill(server.child.id() as i32, libc::SIGINT);
    }
    let (tx, rx) = mpsc::channel();
    let mut child = std::mem::replace(&mut server.child, Command::new("true").spawn().unwrap());
    std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    let status = rx.recv_timeout(PATIENCE).unwrap().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(!site.path().join("public").exists());
    // What the engine learned is kept for the next start.
    let builds = site.path().join(".chronicle/serve/0/cache/builds");
    let has_head = |memo: std::path::PathBuf| {
        let Ok(db) = redb::Database::create(memo) else {
            return false;
        };
        let read = redb::ReadableDatabase::begin_read(&db).unwrap();
        let table: redb::TableDefinition<&[u8], &[u8]> = redb::TableDefinition::new("head");
        read.open_table(table).is_ok_and(|t| {
            redb::ReadableTable::get(&t, &b"head"[..])
                .unwrap()
                .is_some()
        })
    };
    let stored = std::fs::read_dir(&builds)
        .unwrap()
        .any(|e| has_head(e.unwrap().path().join("memo.redb")));
    assert!(stored, "a memo with its head in {}", builds.display());
}

/// The serve folder of slot `n` in the site's cache.
fn served_folder(site: &Path, n: usize) -> std::path::PathBuf {
    site.join(format!(".chronicle/serve/{n}/site"))
}

/// The line a build printed ("Built 4 articles: 2 files made anew; …").
fn built_line(server: &Server) -> String {
    loop {
        let line = server
            .stdout
            .recv_timeout(PATIENCE)
            .expect("the server said what it built");
        if line.starts_with("Built ") {
            return line;
        }
    }
}

#[test]
fn the_site_is_built_into_the_cache_and_never_the_output_folder() {
    let site = site();
    let server = start(site.path(), &[]);
    let first = built_line(&server);
    assert!(!first.contains(": 0 files made anew"), "{first}");
    let folder = served_folder(site.path(), 0);
    let home = std::fs::read_to_string(folder.join("index.html")).unwrap();
    // On disk as `build` writes it: the script is added only when served.
    assert!(!home.contains("/__chronicle/live.js"));
    assert!(folder.join("2024/a-day/index.html").is_file());
    assert!(!site.path().join("public").exists());
    // The bookkeeping is beside the site's files, not among them.
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.iter().all(|n| !n.starts_with(".chronicle")),
        "{names:?}"
    );

    // A second serve of the same site, while the first runs, builds into a
    // folder of its own.
    let second = start(site.path(), &[]);
    assert_eq!(get(&second.url).0, 200);
    assert!(served_folder(site.path(), 1).join("index.html").is_file());
    drop(second);

    // A new serve after this one starts from what the folder holds: no
    // page is made again.
    drop(server);
    let again = start(site.path(), &[]);
    let line = built_line(&again);
    assert!(line.contains(": 0 files made anew"), "{line}");
    assert_eq!(get(&again.url).0, 200);
    assert!(!site.path().join("public").exists());
}

#[test]
fn a_missing_page_is_404_and_a_rebuilt_page_is_served_fresh() {
    let site = site();
    let server = start(site.path(), &[]);
    let (status, page) = get(&format!("{}2024/no-such-article/", server.url));
    assert_eq!(status, 404);
    assert!(page.contains("href=\"/\""), "the site's 404 page");
    assert!(page.contains("/__chronicle/live.js"), "with the script");
    assert_eq!(get(&format!("{}no-such-file.css", server.url)).0, 404);

    let events = events(&server.url);
    let article = site.path().join("content/2024/month.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, text.replace("January 2024", "Renamed month")).unwrap();
    assert_eq!(next_event(&events).0, "reload");
    // The page on disk was replaced by the build, and is read again.
    let on_disk =
        std::fs::read_to_string(served_folder(site.path(), 0).join("2024/month/index.html"))
            .unwrap();
    assert!(on_disk.contains("Renamed month"));
    let (status, page) = get(&format!("{}2024/month/", server.url));
    assert_eq!(status, 200);
    assert!(page.contains("Renamed month"));
}
