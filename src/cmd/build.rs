//! `chronicle build`: the site built into the output folder, and a line
//! saying what was written.

use std::process::ExitCode;
use std::time::Instant;

use super::{elapsed, eprintln_safe, fail, plural, print_diagnostics, println_safe};
use super::{options, warnings_and_notes};
use crate::cli::BuildArgs;

pub fn run(args: BuildArgs) -> ExitCode {
    let mut options = options(&args.site);
    options.output = args.output;
    options.cache_dir = args.cache_dir;
    options.fresh = args.fresh;
    options.base_url = args.base_url;
    let started = Instant::now();
    let waiting = || {
        eprintln_safe("waiting for another chronicle build to finish writing the output folder…")
    };
    match chronicle::build(&options, &waiting) {
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
