//! `chronicle check`: the site built as `build` would, with nothing
//! written, and a line saying what would be.

use std::process::ExitCode;
use std::time::Instant;

use super::{elapsed, fail, options, plural, print_diagnostics, println_safe, warnings_and_notes};
use crate::cli::CheckArgs;

pub fn run(args: &CheckArgs) -> ExitCode {
    let options = options(&args.site);
    let started = Instant::now();
    match chronicle::check(&options) {
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
