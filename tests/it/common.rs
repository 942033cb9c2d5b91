//! Helpers shared by the fixture-site tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chronicle::Options;
use chrono::NaiveDate;
use scraper::{Html, Selector};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Options for a site, with a fixed fallback as-of date so no test depends
/// on the clock.
pub fn options(root: &Path, output: &Path) -> Options {
    let mut o = Options::new(root, day("2024-04-01"));
    o.output = Some(output.to_path_buf());
    o
}

/// Builds `root` into `output`, panicking with the diagnostics on failure.
pub fn build(root: &Path, output: &Path) -> chronicle::Report {
    build_with(&options(root, output))
}

pub fn build_with(options: &Options) -> chronicle::Report {
    match chronicle::build(options, &|| {}) {
        Ok(r) => r,
        Err(chronicle::Failure::Diagnostics(d)) => {
            let text: String = d.iter().map(|d| d.render(Path::new(""))).collect();
            panic!("build failed:\n{text}")
        }
        Err(chronicle::Failure::Output(e, _)) => panic!("output failed: {e}"),
    }
}

/// Builds `root` into `output`, which must fail with diagnostics: them.
pub fn build_fails(
    root: &Path,
    output: &Path,
    what: &str,
) -> Vec<chronicle::diagnostics::Diagnostic> {
    match chronicle::build(&options(root, output), &|| {}) {
        Err(chronicle::Failure::Diagnostics(d)) => d,
        Ok(_) => panic!("{what} built"),
        Err(chronicle::Failure::Output(e, _)) => panic!("{what}: output failed: {e}"),
    }
}

/// Copies a folder tree (for tests that change a site).
pub fn copy_dir(from: &Path, to: &Path) {
    // A fixture built in place keeps a cache (`.chronicle/`): not copied.
    let walk = walkdir::WalkDir::new(from)
        .into_iter()
        .filter_entry(|e| e.depth() != 1 || e.file_name() != ".chronicle");
    for entry in walk {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Every file under `dir` (hidden ones too) with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

pub fn page(output: &Path, rel: &str) -> Html {
    let text = std::fs::read_to_string(output.join(rel))
        .unwrap_or_else(|e| panic!("cannot read {rel}: {e}"));
    Html::parse_document(&text)
}

pub fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

pub fn text(element: &scraper::ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn one_text(html: &Html, css: &str) -> String {
    let found = select(html, css);
    assert_eq!(
        found.len(),
        1,
        "expected one `{css}`, found {}",
        found.len()
    );
    text(&found[0])
}

/// Runs the binary.
pub fn chronicle(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap()
}

/// Runs the binary and checks it succeeded, showing its errors if not.
pub fn succeeds(args: &[&str], cwd: &Path) -> Output {
    let run = chronicle(args, cwd);
    assert!(
        run.status.success(),
        "chronicle {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&run.stderr)
    );
    run
}

/// `path:line:col code` of every error's first line in a run's standard
/// error (`path:line:col: error[code]: message`).
pub fn error_positions(stderr: &str) -> Vec<String> {
    headlines(stderr, "error")
}

/// The same for warnings.
pub fn warning_positions(stderr: &str) -> Vec<String> {
    headlines(stderr, "warning")
}

fn headlines(stderr: &str, severity: &str) -> Vec<String> {
    let marker = format!(": {severity}[");
    stderr
        .lines()
        .filter_map(|l| {
            let (place, rest) = l.split_once(&marker)?;
            let (code, _) = rest.split_once("]: ")?;
            Some(format!("{place} {code}"))
        })
        .collect()
}

/// `path:line:col code` of diagnostics returned by the library.
pub fn positions(diagnostics: &[chronicle::diagnostics::Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| match &d.location {
            Some(l) => format!("{}:{}:{} {}", d.path.display(), l.line, l.col, d.code),
            None => format!("{} {}", d.path.display(), d.code),
        })
        .collect()
}

pub fn running_as_root() -> bool {
    let out = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

/// Runs the binary as a user without privileges: as `nobody` through
/// `setpriv` when the tests run as root (root reads and writes any file),
/// else as the current user.
pub fn as_unprivileged(args: &[&str]) -> Output {
    let bin = env!("CARGO_BIN_EXE_chronicle");
    let mut command = if running_as_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
        c
    } else {
        Command::new(bin)
    };
    command
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap()
}

/// The bundled site, built once for every test of the binary that reads it
/// without changing it.
pub fn bundled() -> &'static Path {
    static OUT: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    OUT.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        build(&repo_root(), out.path());
        out
    })
    .path()
}
