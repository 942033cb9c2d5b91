#![no_main]

use std::sync::OnceLock;

use chronicle_fuzz::SiteDir;
use libfuzzer_sys::fuzz_target;

/// One site folder per process, reused by every run (the input file is
/// rewritten each time).
static SITE: OnceLock<SiteDir> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    SITE.get_or_init(|| SiteDir::new(&format!("fuzz-{}", std::process::id())))
        .render(data);
});
