//! `chronicle import`: a TimelineJS timeline made into a site's content,
//! with what could not be carried over exactly printed as warnings.

use std::process::ExitCode;

use chronicle::diagnostics::printable_text;
use chronicle::import::{Format, ImportError, Subject};

use super::{eprintln_safe, error_chain, plural, println_safe};
use crate::cli::ImportArgs;

pub fn run(format: Format, args: &ImportArgs) -> ExitCode {
    let file = args.file.display();
    match chronicle::import::import(format, &args.file, &args.into) {
        Ok(report) => {
            for warning in &report.warnings {
                let at = match warning.subject {
                    Subject::Event {
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
