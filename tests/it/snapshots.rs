//! The default templates' output for one fixture site, one snapshot per
//! page kind (insta). A template change shows here as a readable diff to
//! review; `cargo insta review` (or `INSTA_UPDATE=always`) accepts it.
//!
//! The snapshots are `tests/snapshots/snapshots__<kind>.snap`, the names
//! they had when this was a test binary of its own: insta would name them
//! after the module path (`it__snapshots__…`) beside this file.

use crate::common::*;

#[test]
fn every_page_kind_of_the_default_templates() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("snapshot"), out.path());
    for (name, rel) in [
        ("timeline", "index.html"),
        ("article", "2023/summit/index.html"),
        ("article-context", "2023/ruling/index.html"),
        ("article-planned", "2024/next-summit/index.html"),
        ("term", "participants/leader-one/index.html"),
        ("taxonomy", "participants/index.html"),
        ("year", "2023/index.html"),
        ("not-found", "404.html"),
    ] {
        let html = std::fs::read_to_string(out.path().join(rel)).unwrap();
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!(format!("snapshots__{name}"), html);
        });
    }
}
