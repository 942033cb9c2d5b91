//! The commands, one file each (as mdBook's `src/cmd/`): each turns its
//! arguments into the library's options, calls the library, and prints
//! what it reports. What they share is here: the options every site
//! command starts from, and the printing (only the binary prints).

pub mod build;
pub mod check;
pub mod import;
pub mod new;
#[cfg(feature = "serve")]
pub mod serve;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use chrono::{DateTime, Utc};

use crate::cli;
use chronicle::diagnostics::Diagnostic;
use chronicle::{Failure, Options};

/// The options of a command that reads a site: its folder, the as-of date
/// and drafts.
fn options(site: &cli::SiteArgs) -> Options {
    let now = now();
    let mut options = Options::new(&site.root, now.date_naive());
    options.now = Some(now.timestamp());
    options.as_of = site.as_of;
    options.drafts = site.drafts;
    options
}

/// `SOURCE_DATE_EPOCH` when set (reproducible builds), else the clock; the
/// as-of date is its day in the site's `timezone`, else in UTC.
fn now() -> DateTime<Utc> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| DateTime::<Utc>::from_timestamp(secs, 0))
        .unwrap_or_else(Utc::now)
}

/// Prints why `build` or `check` failed.
fn fail(root: &Path, failure: Failure) -> ExitCode {
    match failure {
        Failure::Diagnostics(diagnostics) => {
            print_diagnostics(root, &diagnostics);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = diagnostics.len() - errors;
            eprintln_safe(&format!(
                "error: {} and {}; nothing was written",
                plural(errors, "error"),
                plural(warnings, "warning")
            ));
        }
        Failure::Output(error, warnings) => {
            print_diagnostics(root, &warnings);
            eprintln_safe(&error_chain(&error));
            if let Some(hint) = error.hint() {
                eprintln_safe(&format!("  = hint: {hint}"));
            }
        }
    }
    ExitCode::FAILURE
}

/// `error: what failed: why: …`, the whole chain of causes on one line.
fn error_chain(error: &dyn std::error::Error) -> String {
    format!("error: {}", chronicle::diagnostics::error_chain(error))
}

fn print_diagnostics(root: &Path, diagnostics: &[Diagnostic]) {
    let mut text = String::new();
    for d in diagnostics {
        text.push_str(&d.render(root));
    }
    if !text.is_empty() {
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
}

/// "3 warnings", and ", 1 note" after it if there are notes.
fn warnings_and_notes(diagnostics: &[Diagnostic]) -> String {
    let notes = diagnostics.iter().filter(|d| d.is_note()).count();
    let warnings = plural(diagnostics.len() - notes, "warning");
    match notes {
        0 => warnings,
        n => format!("{warnings}, {}", plural(n, "note")),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn elapsed(started: Instant) -> String {
    let ms = started.elapsed().as_millis();
    if ms < 10_000 {
        format!("{ms} ms")
    } else {
        format!("{:.1} s", ms as f64 / 1000.0)
    }
}

/// Printing to a closed pipe (`chronicle build | head -0`) is not an error.
fn println_safe(line: &str) {
    let _ = writeln!(std::io::stdout(), "{line}");
}

fn eprintln_safe(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}
