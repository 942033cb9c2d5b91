//! The command line: `chronicle build`, `check`, `serve`, `new` and `import`, by clap
//! derive. Bad flags and values get clap's own errors (exit code 2).

#[cfg(feature = "serve")]
use std::net::IpAddr;
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
    /// Serve the site (built into the cache folder), rebuilding and reloading open pages on every change
    #[cfg(feature = "serve")]
    #[command(
        after_help = "Examples:\n  chronicle serve\n  chronicle serve --root my-site --port 8000 --drafts --open\n  chronicle serve --poll   # on file systems that send no change events"
    )]
    Serve(ServeArgs),
    /// Start a new article with the front matter filled in
    #[command(
        after_help = "Examples:\n  chronicle new \"Leaders meet in Washington\" --date 2024-07-10\n  chronicle new \"Court rules on compensation\" --date 2018-10 --kind context\n  chronicle new \"Summit planned\" --date 2024-07 --status planned --dir content/2024/summits"
    )]
    New(NewArgs),
    /// Make a chronicle site from a TimelineJS timeline (its JSON, or its Google Sheet saved as CSV)
    #[command(
        subcommand,
        after_help = "Examples:\n  chronicle import timelinejs timeline.json --into my-site\n  chronicle import timelinejs-sheet \"My timeline - Sheet1.csv\" --into my-site\n  chronicle build --root my-site"
    )]
    Import(ImportFormat),
}

#[derive(Debug, Subcommand)]
pub enum ImportFormat {
    /// Import TimelineJS's JSON format
    #[command(
        after_help = "Examples:\n  chronicle import timelinejs timeline.json --into my-site\n  chronicle import timelinejs public/timeline.json --into /tmp/copy   # chronicle's own export"
    )]
    Timelinejs(ImportArgs),
    /// Import the TimelineJS Google Sheets template, saved as CSV
    #[command(
        after_help = "Examples:\n  chronicle import timelinejs-sheet sheet.csv --into my-site"
    )]
    TimelinejsSheet(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The TimelineJS file; pictures named by a relative path are looked for beside it
    pub file: PathBuf,
    /// The site's folder: content/ (and static/) are written in it, never over a file
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub into: PathBuf,
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
    /// Where to keep what builds learn (the lock, the list of files chronicle made, the memo); never inside the output [default: <root>/.chronicle]
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Ignore the cache: build and write every page, as if for the first time
    #[arg(long)]
    pub fresh: bool,
    /// The address the site is published at (overrides `base_url` in content/_index.md)
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
}

#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The address to listen on; anything but loopback is reachable from other machines
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// The port to listen on (0: any free port)
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser
    #[arg(long)]
    pub open: bool,
    /// Look for changes every 200 ms instead of waiting for the system's events
    #[arg(long)]
    pub poll: bool,
    /// Where to keep what builds learn, and the site being served (in serve/ there) [default: <root>/.chronicle]
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The article's title; its file name is made from it
    pub title: String,
    /// The event's date: 2024, 2024-07, 2024-07-10, or a range such as 2024-07-09/2024-07-11
    #[arg(long, value_name = "DATE")]
    pub date: String,
    /// `meeting` (the default) or `context`
    #[arg(long, value_parser = ["meeting", "context"])]
    pub kind: Option<String>,
    /// `held`, `planned`, `postponed` or `cancelled` (left out, it follows the date)
    #[arg(long, value_parser = ["held", "planned", "postponed", "cancelled"])]
    pub status: Option<String>,
    /// The folder to write into [default: content/<the date's year>]
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// A file to start from instead of the built-in one (see docs/commands.md for its placeholders)
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// The site's folder
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

fn parse_as_of(text: &str) -> Result<NaiveDate, String> {
    chronicle::date::parse_day(text).map_err(|e| e.message)
}

fn parse_base_url(text: &str) -> Result<String, String> {
    chronicle::config::check_base_url(text)
}
