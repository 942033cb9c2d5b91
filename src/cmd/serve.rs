//! `chronicle serve` (with the `serve` feature): the site served and
//! rebuilt on every change, each event the server reports printed.

use std::path::Path;
use std::process::ExitCode;

use chronicle::serve::{Event, ServeOptions};

use super::{eprintln_safe, error_chain, options, plural, print_diagnostics, println_safe};
use crate::cli::ServeArgs;

pub fn run(args: ServeArgs) -> ExitCode {
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
    let report = move |event: Event| show_event(&root, open, event);
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
fn show_event(root: &Path, open: bool, event: Event) {
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
