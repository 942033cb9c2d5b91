//! Replays every input the fuzzers keep through the code the fuzz targets
//! run: the crashes found (`fuzz/regressions/<target>/`) and the minimised
//! corpus (`fuzz/corpus/<target>/`). A crash once found stays a test here;
//! the long fuzz runs themselves are not part of the test run (see
//! fuzz/README.md).

#[path = "../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod checks;

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// The files saved for `target`, regressions first, sorted by name.
fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut all = Vec::new();
    for kind in ["regressions", "corpus"] {
        let dir = fuzz.join(kind).join(target);
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .map(|e| e.expect("read a fuzz folder").path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        all.extend(files);
    }
    all
}

/// Runs `check` on every saved input of `target`, and fails naming each
/// input that panics.
fn replay(target: &str, minimum: usize, mut check: impl FnMut(&[u8])) {
    let files = inputs(target);
    assert!(
        files.len() >= minimum,
        "expected at least {minimum} saved inputs for {target}, found {}",
        files.len()
    );
    let mut failed = Vec::new();
    for file in &files {
        let data = fs::read(file).expect("read a fuzz input");
        if panic::catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} inputs failed:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
}

#[test]
fn front_matter_inputs() {
    replay("front_matter", 1, checks::front_matter);
}

#[test]
fn date_inputs() {
    replay("date", 1, checks::date);
}

#[test]
fn article_render_inputs() {
    let site = checks::SiteDir::new(&format!("fuzz-test-{}", std::process::id()));
    replay("article_render", 1, |data| site.render(data));
}

#[test]
fn import_json_inputs() {
    let site = checks::ImportDir::new(&format!("fuzz-test-json-{}", std::process::id()));
    replay("import_json", 1, |data| {
        checks::import(chronicle::import::Format::Json, data, &site)
    });
}

#[test]
fn import_sheet_inputs() {
    let site = checks::ImportDir::new(&format!("fuzz-test-sheet-{}", std::process::id()));
    replay("import_sheet", 1, |data| {
        checks::import(chronicle::import::Format::Sheet, data, &site)
    });
}
