//! The integration tests: one test binary (`cargo test --test it`), one
//! module per subject, so that the build links Pagefind, ICU, Tera and axum
//! once instead of once per subject. `cargo test --test it cli::` runs one
//! subject's tests.
//!
//! The modules share one process, and its tests run on parallel threads:
//! none may change what the whole process shares (environment variables,
//! the current folder, the umask, signal handlers); a child process gets
//! its own through `Command` (`.env`, `.current_dir`, `pre_exec`).

mod common;

mod architecture;
mod cli;
mod exports;
mod faults;
mod filter;
mod fuzz_regressions;
mod hostile;
mod i18n;
mod import;
mod incremental;
mod links;
mod new;
mod originality;
mod output;
mod pagination;
mod properties;
mod readme;
#[cfg(feature = "search")]
mod search;
#[cfg(feature = "serve")]
mod serve;
mod site;
mod snapshots;
