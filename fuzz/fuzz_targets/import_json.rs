#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

static SITE: OnceLock<chronicle_fuzz::ImportDir> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let site = SITE.get_or_init(|| {
        chronicle_fuzz::ImportDir::new(&format!("fuzz-import_json-{}", std::process::id()))
    });
    chronicle_fuzz::import(chronicle::import::Format::Json, data, site);
});
