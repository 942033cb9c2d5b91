//! The site's exports, for the programs that read a timeline beside its
//! pages, a file each: the feeds (`feeds`: `atom.xml`, RFC 4287;
//! `feed.json`, JSON Feed 1.1), the calendars (`calendar`: `calendar.ics`,
//! RFC 5545, and one per participant, place, tag and series), the
//! TimelineJS data (`timelinejs`: `timeline.json` and its locale; the page
//! that shows it is one of `pages`), the sitemap and `robots.txt`
//! (`sitemap`), the filter's index (`filter`), and the schema.org JSON-LD
//! the article and timeline pages carry (`json_ld`: not a file of its own
//! but a part of those pages, made here beside the other exports that say
//! what an entry is for programs). What several of them
//! say of an entry alike is in `entry`. None of them imports another's
//! file, nor the registry that names them (`kinds`).
//!
//! Each export is a page kind like the HTML pages, made by
//! [`Renderer::produce`](crate::render::Renderer::produce): made on every
//! build (writing one costs what fingerprinting its inputs would) and
//! fingerprinted by its bytes, so it is written again exactly when it
//! changed.
//!
//! Dates: a feed entry is dated by when the article was published or
//! updated, never by its event, and never after the as-of date. A calendar
//! holds only events known to the day; TimelineJS and JSON-LD get the parts
//! of a date that are known, no more.

pub mod calendar;
pub mod entry;
pub mod feeds;
pub mod filter;
pub mod json_ld;
pub mod sitemap;
pub mod timelinejs;
