//! The vocabulary of a timeline: articles, their status and kind, sources,
//! and the taxonomies that group them.
//!
//! These are the loaded, validated values; they know nothing of YAML or of
//! HTML. Templates never see them directly (see `render::views`).

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::date::EventDate;
use crate::diagnostics::{LineIndex, Location};
use crate::fingerprint::Fingerprint;

/// Whether an event took place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Held,
    Planned,
    Postponed,
    Cancelled,
}

impl Status {
    pub const NAMES: [&'static str; 4] = ["held", "planned", "postponed", "cancelled"];

    pub fn parse(text: &str) -> Option<Status> {
        match text {
            "held" => Some(Status::Held),
            "planned" => Some(Status::Planned),
            "postponed" => Some(Status::Postponed),
            "cancelled" => Some(Status::Cancelled),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        Status::NAMES[self as usize]
    }

    /// The status in words, for readers. A court ruling is not "held":
    /// context events took place, or are expected.
    pub fn label(self, kind: Kind) -> &'static str {
        match (self, kind) {
            (Status::Held, Kind::Meeting) => "Held",
            (Status::Held, Kind::Context) => "Took place",
            (Status::Planned, Kind::Meeting) => "Planned",
            (Status::Planned, Kind::Context) => "Expected",
            (Status::Postponed, _) => "Postponed",
            (Status::Cancelled, _) => "Cancelled",
        }
    }

    /// The catalogue key of [`Status::label`]'s words.
    pub fn label_key(self, kind: Kind) -> &'static str {
        match (self, kind) {
            (Status::Held, Kind::Meeting) => "status-held",
            (Status::Held, Kind::Context) => "status-took-place",
            (Status::Planned, Kind::Meeting) => "status-planned",
            (Status::Planned, Kind::Context) => "status-expected",
            (Status::Postponed, _) => "status-postponed",
            (Status::Cancelled, _) => "status-cancelled",
        }
    }
}

/// A meeting on the timeline, or a background event that explains one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    Meeting,
    Context,
}

impl Kind {
    pub const NAMES: [&'static str; 2] = ["meeting", "context"];

    pub fn parse(text: &str) -> Option<Kind> {
        match text {
            "meeting" => Some(Kind::Meeting),
            "context" => Some(Kind::Context),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        Kind::NAMES[self as usize]
    }
}

/// A cited source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// What the body cites it by (`[@K2]`). A source with only an id
    /// names one of the site's (`content/_sources.yaml`).
    pub id: Option<String>,
    /// Where it is written, for the warning when it is never cited.
    pub pos: Pos,
    /// Empty for a source that only names a site source by its id.
    pub title: String,
    pub publisher: Option<String>,
    pub date: Option<EventDate>,
    pub url: Option<String>,
}

/// A place in a file, cheap to keep for every list item: it becomes a
/// `Location` (with the line's text) only if a diagnostic needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Pos {
    /// 1-based line in the file.
    pub line: usize,
    /// 0-based column, in characters.
    pub col0: usize,
    /// Width in characters.
    pub width: usize,
}

impl Pos {
    pub fn locate(self, index: &LineIndex<'_>) -> Location {
        index.locate_line_col(self.line, self.col0, self.width)
    }
}

/// A value with the place in a file it came from, for later checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Located<T> {
    pub value: T,
    pub pos: Pos,
}

/// An article as loaded: front matter checked, body not yet rendered.
/// An event's picture: an image in the site's `static/` folder (`src` a
/// path there) or at an `https://` address, with its text alternative and,
/// when known, its credit and caption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Media {
    pub src: Located<String>,
    pub alt: String,
    pub credit: Option<String>,
    pub caption: Option<String>,
}

impl Media {
    /// The path under `static/` of a local image (`images/x.png`), or
    /// `None` for an `https://` one.
    pub fn local_path(&self) -> Option<&str> {
        let src = self.src.value.as_str();
        (!src.starts_with("https://")).then(|| src.trim_start_matches('/'))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Path under `content/` without `.md`, `slug` replacing the last segment.
    pub id: String,
    /// Where the id comes from: the `slug` value, or the file as a whole.
    pub id_location: Option<Location>,
    /// The file, relative to the site root.
    pub path: PathBuf,
    pub title: String,
    pub date: EventDate,
    pub date_location: Option<Location>,
    /// A translation that gives no `date`: it takes its original's (until
    /// then, `date` is a stand-in).
    #[serde(default)]
    pub date_inherited: bool,
    /// The status as written, if it was.
    pub status: Option<Status>,
    pub status_location: Option<Location>,
    pub kind: Kind,
    pub summary: Option<String>,
    pub location: Option<Located<String>>,
    pub participants: Vec<Located<String>>,
    pub tags: Vec<Located<String>>,
    pub series: Option<Located<String>>,
    pub sources: Vec<Source>,
    pub related: Vec<Located<String>>,
    pub updated: Option<NaiveDate>,
    /// When the article was first published (a day); feeds date an entry
    /// by this, never by its event.
    pub published: Option<NaiveDate>,
    pub media: Option<Media>,
    pub draft: bool,
    /// The hash of the file's bytes: what caches key on, and what proves
    /// the file read again for its body is the file parsed.
    pub source_hash: Fingerprint,
    /// Where the markdown body starts in the file. The text itself is not
    /// held: the site's texts together are as large as the content folder,
    /// so a body is read again when its page is made (see
    /// [`crate::content::Texts`]).
    pub body_offset: usize,
    /// The articles the body links to, by path under `content/` (see
    /// [`crate::content::markdown::link_targets`]): read with the front
    /// matter so "Referenced by" is known before any page is made.
    pub body_links: Vec<String>,
}

impl Article {
    /// The status as written, or derived from the date and the as-of date:
    /// planned while any day the date can denote is still to come.
    pub fn effective_status(&self, as_of: NaiveDate) -> Status {
        self.status
            .unwrap_or(if self.date.last_day() > crate::date::Day::from(as_of) {
                Status::Planned
            } else {
                Status::Held
            })
    }

    /// The names the article gives in one taxonomy, with where they stand.
    pub fn names(&self, taxonomy: Taxonomy) -> &[Located<String>] {
        match taxonomy {
            Taxonomy::Participants => &self.participants,
            Taxonomy::Tags => &self.tags,
            Taxonomy::Series => self.series.as_slice(),
            Taxonomy::Places => self.location.as_slice(),
        }
    }
}

/// The kinds of terms that get pages of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Taxonomy {
    Participants,
    Places,
    Tags,
    Series,
}

impl Taxonomy {
    pub const ALL: [Taxonomy; 4] = [
        Taxonomy::Participants,
        Taxonomy::Places,
        Taxonomy::Tags,
        Taxonomy::Series,
    ];

    /// The folder of its pages, also its key for templates.
    pub fn dir(self) -> &'static str {
        match self {
            Taxonomy::Participants => "participants",
            Taxonomy::Places => "places",
            Taxonomy::Tags => "tags",
            Taxonomy::Series => "series",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            Taxonomy::Participants => "Participants",
            Taxonomy::Places => "Places",
            Taxonomy::Tags => "Tags",
            Taxonomy::Series => "Series",
        }
    }

    /// The catalogue key of [`Taxonomy::plural`]'s words.
    pub fn plural_key(self) -> &'static str {
        match self {
            Taxonomy::Participants => "participants",
            Taxonomy::Places => "places",
            Taxonomy::Tags => "tags-plural",
            Taxonomy::Series => "series-plural",
        }
    }

    /// The catalogue key of [`Taxonomy::singular`]'s words.
    pub fn singular_key(self) -> &'static str {
        match self {
            Taxonomy::Participants => "participant",
            Taxonomy::Places => "place",
            Taxonomy::Tags => "tag",
            Taxonomy::Series => "series-singular",
        }
    }

    pub fn singular(self) -> &'static str {
        match self {
            Taxonomy::Participants => "Participant",
            Taxonomy::Places => "Place",
            Taxonomy::Tags => "Tag",
            Taxonomy::Series => "Series",
        }
    }
}

/// A registry of people (`content/_people.yaml`) or places
/// (`content/_places.yaml`): one record per name as articles write it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registry {
    /// The file, relative to the site root.
    pub path: PathBuf,
    pub records: Vec<RegistryRecord>,
}

impl Registry {
    /// The record for a name as an article writes it (each distinct name
    /// is looked up once per build).
    pub fn find(&self, name: &str) -> Option<usize> {
        self.records.iter().position(|r| r.name == name)
    }
}

/// A person or a place as the registry describes it; every key but `name`
/// may be left out.
#[derive(Debug, Clone, PartialEq)]
pub struct RegistryRecord {
    pub name: String,
    /// Where `name` is written in the registry, for diagnostics.
    pub location: Location,
    /// Wins over the slug made from the name (so 岸田文雄 need not get a
    /// Chinese reading).
    pub slug: Option<String>,
    pub native: Option<Native>,
    pub country: Option<String>,
    pub description: Option<String>,
    /// A person's offices.
    pub offices: Vec<Office>,
    /// A place's latitude and longitude.
    pub coordinates: Option<(f64, f64)>,
}

/// Coordinates are checked to be within range when read, never NaN.
impl Eq for RegistryRecord {}

/// A name in its own script and language: 岸田文雄, `ja`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Native {
    pub name: String,
    pub lang: String,
}

/// An office a person held, from one day to another (either may be left
/// out: still in office, or since before anyone says).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    pub title: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Office {
    /// Whether the office was held on every day from `first` to `last`.
    pub fn held(&self, first: NaiveDate, last: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= first) && self.to.is_none_or(|t| last <= t)
    }
}
