//! `chronicle new`: a new article written from its title and date, and its
//! path printed.

use std::path::Path;
use std::process::ExitCode;

use chronicle::scaffold::{NewArticle, NewError};

use super::{eprintln_safe, print_diagnostics, println_safe};
use crate::cli::NewArgs;

pub fn run(args: &NewArgs) -> ExitCode {
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
