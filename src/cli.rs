//! The command line: `chronicle build` and `chronicle check`, by clap derive.
//! Bad flags and values get clap's own errors (exit code 2).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "chronicle",
    version,
    about = "Build a static news timeline from markdown articles",
    long_about = "Build a static news timeline from markdown articles.\n\nchronicle reads one markdown file per event from content/ (YAML front matter, then text), orders the events by date and writes a linked HTML timeline to public/."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder
    #[command(
        after_help = "Examples:\n  chronicle build\n  chronicle build --root my-site --output /tmp/site --as-of 2024-04-01\n  chronicle build --base-url https://example.org/timeline/ --drafts"
    )]
    Build(BuildArgs),
    /// Check the site (load, validate, render in memory) without writing anything
    #[command(
        after_help = "Examples:\n  chronicle check\n  chronicle check --root my-site --drafts"
    )]
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site's folder (holding content/, templates/, static/)
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The date the timeline stands at: events after it are upcoming
    /// [default: `as_of` in content/_index.md, else SOURCE_DATE_EPOCH, else today]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    pub as_of: Option<NaiveDate>,
    /// Include articles marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site [default: <root>/public]
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The address the site is published at (overrides `base_url` in content/_index.md)
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
}

fn parse_as_of(text: &str) -> Result<NaiveDate, String> {
    chronicle::date::parse_day(text).map_err(|e| e.message)
}

fn parse_base_url(text: &str) -> Result<String, String> {
    chronicle::config::check_base_url(text)
}
