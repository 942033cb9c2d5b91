//! The `chronicle` binary: parse the command line, call the library, print
//! what it reports, and exit 0 (success), 1 (content or output errors) or 2
//! (bad command line, from clap).

mod cli;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use chrono::{DateTime, Utc};
use clap::Parser;

use chronicle::diagnostics::Diagnostic;
use chronicle::{Failure, Options};
use cli::{Cli, Command};

/// Rendering thousands of pages allocates small strings by the million;
/// mimalloc does that faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => {
            let mut options = options(&args.site);
            options.output = args.output;
            options.cache_dir = args.cache_dir;
            options.fresh = args.fresh;
            options.base_url = args.base_url;
            build(&options)
        }
        Command::Check(args) => check(&options(&args.site)),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve(args),
        Command::New(args) => new(&args),
        Command::Import(cli::ImportFormat::Timelinejs(args)) => {
            import(chronicle::import::Format::Json, &args)
        }
        Command::Import(cli::ImportFormat::TimelinejsSheet(args)) => {
            import(chronicle::import::Format::Sheet, &args)
        }
    }
}

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

fn build(options: &Options) -> ExitCode {
    let started = Instant::now();
    let waiting = || {
        eprintln_safe("waiting for another chronicle build to finish writing the output folder…")
    };
    match chronicle::build(options, &waiting) {
        Ok(report) => {
            print_diagnostics(&options.root, &report.rendered.warnings);
            let s = report.stats;
            println_safe(&format!(
                "Built {} into {}: {} written, {} unchanged, {} removed; {}; {}",
                plural(report.rendered.articles, "article"),
                report
                    .output
                    .strip_prefix(".")
                    .unwrap_or(&report.output)
                    .display(),
                plural(s.written, "file"),
                s.unchanged,
                s.removed,
                warnings_and_notes(&report.rendered.warnings),
                elapsed(started),
            ));
            ExitCode::SUCCESS
        }
        Err(failure) => fail(&options.root, failure),
    }
}

fn check(options: &Options) -> ExitCode {
    let started = Instant::now();
    match chronicle::check(options) {
        Ok(rendered) => {
            print_diagnostics(&options.root, &rendered.warnings);
            println_safe(&format!(
                "Checked {}: {} would be written; {}; {}",
                plural(rendered.articles, "article"),
                plural(rendered.site.len(), "file"),
                warnings_and_notes(&rendered.warnings),
                elapsed(started),
            ));
            ExitCode::SUCCESS
        }
        Err(failure) => fail(&options.root, failure),
    }
}

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

#[cfg(feature = "serve")]
fn serve(args: cli::ServeArgs) -> ExitCode {
    use chronicle::serve::{Event, ServeOptions};
    let root = args.site.root.clone();
    let open = args.open;
    let mut site = options(&args.site);
    site.cache_dir = args.cache_dir.clone();
    let options = ServeOptions {
        site,
        bind: args.bind,
        port: args.port,
        poll: args.poll,
    };
    let report = move |event: Event| show_serve_event(&root, open, event);
    match chronicle::serve::serve(options, std::sync::Arc::new(report)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln_safe(&error_chain(&e));
            if let Some(hint) = e.hint() {
                eprintln_safe(&format!("  = hint: {hint}"));
            }
            ExitCode::FAILURE
        }
    }
}

/// Prints what `serve` reports.
#[cfg(feature = "serve")]
fn show_serve_event(root: &Path, open: bool, event: chronicle::serve::Event) {
    use chronicle::serve::Event;
    match event {
        Event::Listening { url, loopback } => {
            if !loopback {
                eprintln_safe(
                    "warning: listening on an address other machines can reach; anyone on the network can read this preview",
                );
            }
            println_safe(&format!("Serving {url} (Ctrl-C to stop)"));
            println_safe("Search is not indexed while serving: `chronicle build` makes it");
            if open && let Err(e) = opener::open(&url) {
                eprintln_safe(&format!("warning: cannot open a browser: {e}"));
            }
        }
        Event::Built {
            articles,
            rendered,
            warnings,
            took,
        } => {
            print_diagnostics(root, &warnings);
            println_safe(&format!(
                "Built {}: {} made anew; {}; {} ms",
                plural(articles, "article"),
                plural(rendered, "file"),
                plural(warnings.len(), "warning"),
                took.as_millis()
            ));
        }
        Event::Failed { diagnostics, took } => {
            print_diagnostics(root, &diagnostics);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln_safe(&format!(
                "error: {}; still serving the last good build ({} ms)",
                plural(errors, "error"),
                took.as_millis()
            ));
        }
        Event::WriteFailed { error, took } => {
            eprintln_safe(&format!(
                "error: {error}; still serving the last good build ({} ms)",
                took.as_millis()
            ));
        }
        Event::WatchProblem(problem) => eprintln_safe(&format!("warning: {problem}")),
        Event::MemoProblem(problem) => eprintln_safe(&format!(
            "warning: cannot keep what this build learned for the next start: {problem}"
        )),
    }
}

fn new(args: &cli::NewArgs) -> ExitCode {
    use chronicle::scaffold::{NewArticle, NewError};
    let new = NewArticle {
        root: &args.root,
        title: &args.title,
        date: &args.date,
        kind: args.kind.as_deref(),
        status: args.status.as_deref(),
        dir: args.dir.as_deref(),
        template: args.template.as_deref(),
    };
    match chronicle::scaffold::new_article(&new) {
        Ok(path) => {
            println_safe(&path.display().to_string());
            ExitCode::SUCCESS
        }
        Err(NewError::Invalid(diagnostics)) => {
            print_diagnostics(Path::new(""), &diagnostics);
            eprintln_safe("error: no article was written");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln_safe(&format!("error: {e}"));
            if matches!(e, NewError::Exists(_)) {
                eprintln_safe(
                    "  = hint: choose another title, or give the new file another folder with --dir",
                );
            }
            ExitCode::FAILURE
        }
    }
}

fn import(format: chronicle::import::Format, args: &cli::ImportArgs) -> ExitCode {
    use chronicle::diagnostics::printable_text;
    use chronicle::import::ImportError;
    let file = args.file.display();
    match chronicle::import::import(format, &args.file, &args.into) {
        Ok(report) => {
            for warning in &report.warnings {
                let at = match warning.subject {
                    chronicle::import::Subject::Event {
                        line: Some(line), ..
                    } => {
                        format!("{file}:{line}: ")
                    }
                    _ => String::new(),
                };
                eprintln_safe(&printable_text(&format!("warning: {at}{warning}")));
            }
            println_safe(&format!(
                "Imported {} from {file} into {}: {} written; {} (each not carried over exactly); next: chronicle build --root {}",
                plural(report.events, "event"),
                args.into.display(),
                plural(report.written.len(), "file"),
                plural(report.warnings.len(), "warning"),
                args.into.display(),
            ));
            ExitCode::SUCCESS
        }
        Err(ImportError::Invalid(problems)) => {
            for problem in &problems {
                eprintln_safe(&format!("error: {problem}"));
                if let Some(hint) = &problem.hint {
                    eprintln_safe(&format!("  = hint: {}", printable_text(hint)));
                }
            }
            eprintln_safe("error: nothing was written");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln_safe(&error_chain(&e));
            if matches!(e, ImportError::Exists(_)) {
                eprintln_safe(
                    "  = hint: import into a new folder with --into, or move that file away",
                );
            }
            ExitCode::FAILURE
        }
    }
}

/// `error: what failed: why: …`, the whole chain of causes on one line.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut line = format!("error: {error}");
    let mut cause = error.source();
    while let Some(c) = cause {
        line.push_str(&format!(": {c}"));
        cause = c.source();
    }
    line
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
