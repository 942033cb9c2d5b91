//! The parts the exports that hold every event are assembled from (the
//! site's calendar, the TimelineJS data): one per run of entries dated in
//! the same year, named by what it is made from (its entries' entry keys,
//! the templates, the format) and kept between builds like the entries'
//! fragments, so an edit makes again only its year's part and the file is
//! put together from the others as they were.
//!
//! A part from the last build is in memory, or in the store (read only
//! when the part is used); the parts this build used are what it keeps.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::{Renderer, Stored};
use crate::fingerprint::{Fingerprint, Hasher};
use crate::timeline::Timeline;

/// Parts by key: in memory (shared with the build that uses it), or
/// `None` for one in the store, read only if it is used.
pub type KnownParts = BTreeMap<Fingerprint, Option<Arc<str>>>;

/// The parts known from the last build, and those this one used.
#[derive(Default)]
pub struct Parts {
    known: KnownParts,
    stored: Stored,
    used: Mutex<KnownParts>,
}

impl Parts {
    pub fn new(known: KnownParts, stored: Stored) -> Parts {
        Parts {
            known,
            stored,
            used: Mutex::default(),
        }
    }

    /// The part named `key`: as the last build left it, else made now.
    fn get_or_make(&self, key: Fingerprint, make: impl FnOnce() -> String) -> Arc<str> {
        // In memory (kept there), or in the store (read, and left there).
        let known = match self.known.get(&key) {
            Some(Some(part)) => Some((Arc::clone(part), true)),
            Some(None) => (self.stored.0.as_ref())
                .and_then(|s| s.part(key))
                .map(|text| (Arc::from(text), false)),
            None => None,
        };
        let (part, in_memory) = known.unwrap_or_else(|| (Arc::from(make()), true));
        let kept = in_memory.then(|| Arc::clone(&part));
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        used.insert(key, kept);
        part
    }

    /// What the next build is to know: the parts this build used, or, if
    /// it did not make the exports (a body's error stopped it), the parts
    /// it was given.
    pub fn into_memo(self, exported: bool) -> KnownParts {
        match exported {
            true => self.used.into_inner().unwrap_or_else(|e| e.into_inner()),
            false => self.known,
        }
    }
}

/// The runs of `entries` (indices, in timeline order) dated in the same
/// year, in order.
pub fn year_runs<'e>(t: &Timeline, entries: &'e [usize]) -> Vec<&'e [usize]> {
    let mut runs = Vec::new();
    let mut start = 0;
    for n in 1..=entries.len() {
        let year = |n: usize| t.entries[entries[n]].article.date.year();
        if n == entries.len() || year(n) != year(start) {
            runs.push(&entries[start..n]);
            start = n;
        }
    }
    runs
}

impl Renderer<'_> {
    /// Each year's part of an export of `entries` (indices, in timeline
    /// order) in `format` (which names the export and its version), in
    /// order: `make` writes the part of a run of entries, and is called
    /// (in parallel) only for a part the last build did not make from the
    /// same entries. Without fingerprints (`check`), every part is made.
    pub fn year_parts(
        &self,
        format: &str,
        entries: &[usize],
        make: impl Fn(&[usize]) -> String + Sync,
    ) -> Vec<Arc<str>> {
        let runs = year_runs(self.timeline, entries);
        if !self.fingerprints {
            return runs
                .into_par_iter()
                .map(|run| Arc::from(make(run)))
                .collect();
        }
        let events = self.views.entry_keys();
        runs.into_par_iter()
            .map(|run| {
                let mut h = Hasher::new();
                h.part(b"year part 1")
                    .part(format.as_bytes())
                    .fingerprint(self.templates.fingerprint)
                    .part(&(run.len() as u64).to_le_bytes());
                for &i in run {
                    h.fingerprint(events[i]);
                }
                self.parts.get_or_make(h.finish(), || make(run))
            })
            .collect()
    }
}
