//! The `chronicle` binary: parse the command line, hand it to its command
//! (`cmd/`, one file each), and exit with what the command says: 0
//! (success), 1 (content or output errors) or 2 (bad command line, from
//! clap).

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, ImportFormat};

/// Rendering thousands of pages allocates small strings by the million;
/// mimalloc does that faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(&args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => cmd::serve::run(args),
        Command::New(args) => cmd::new::run(&args),
        Command::Import(ImportFormat::Timelinejs(args)) => {
            cmd::import::run(chronicle::import::Format::Json, &args)
        }
        Command::Import(ImportFormat::TimelinejsSheet(args)) => {
            cmd::import::run(chronicle::import::Format::Sheet, &args)
        }
    }
}
