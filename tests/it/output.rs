//! The output folder's rules: chronicle refuses folders it must not touch,
//! deletes only what it made, removes pages that are gone, does not rewrite
//! unchanged files, and a failed build leaves the previous site as it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::common::*;
use chronicle::Failure;
use chronicle::diagnostics::Code;
use chronicle::output::{OutputError, Refusal};

fn refusal(root: &Path, output: &Path) -> Refusal {
    match chronicle::build(&options(root, output), &|| {}) {
        Err(Failure::Output(OutputError::Refused { refusal, .. }, _)) => refusal,
        Err(Failure::Output(e, _)) => panic!("expected a refusal, got {e}"),
        Err(Failure::Diagnostics(d)) => panic!("expected a refusal, got diagnostics {d:?}"),
        Ok(_) => panic!("expected a refusal, the build wrote {}", output.display()),
    }
}

fn site_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("order"), dir.path());
    dir
}

#[test]
fn refuses_the_root_its_parents_and_its_sources() {
    let site = site_copy();
    let root = site.path();
    let before = tree(root);
    assert_eq!(refusal(root, root), Refusal::IsRoot);
    assert_eq!(refusal(root, root.parent().unwrap()), Refusal::ContainsSite);
    assert_eq!(
        refusal(root, &root.join("content")),
        Refusal::InsideSources("content")
    );
    assert_eq!(
        refusal(root, &root.join("content/2024")),
        Refusal::InsideSources("content")
    );
    assert_eq!(
        refusal(root, &root.join("templates/x")),
        Refusal::InsideSources("templates")
    );
    assert_eq!(refusal(root, &root.join("content/../.")), Refusal::IsRoot);
    assert_eq!(tree(root), before, "a refused build wrote something");
}

#[test]
fn refuses_a_folder_with_files_it_did_not_make() {
    let site = site_copy();
    let out = site.path().join("public");
    fs::create_dir_all(out.join("notes")).unwrap();
    fs::write(out.join("notes/mine.txt"), "keep me").unwrap();
    assert_eq!(
        refusal(site.path(), &out),
        Refusal::ForeignFiles(vec!["notes".into(), "notes/mine.txt".into()])
    );
    assert_eq!(
        fs::read_to_string(out.join("notes/mine.txt")).unwrap(),
        "keep me"
    );

    // After a build, a file someone added is refused too, and kept.
    fs::remove_dir_all(&out).unwrap();
    build(site.path(), &out);
    fs::write(out.join("2024/added.html"), "by hand").unwrap();
    assert_eq!(
        refusal(site.path(), &out),
        Refusal::ForeignFiles(vec!["2024/added.html".into()])
    );
    assert_eq!(
        fs::read_to_string(out.join("2024/added.html")).unwrap(),
        "by hand"
    );
}

/// The folder times the manifest records, by folder (`.` for the output).
fn recorded_folders(cache: &Path) -> Vec<String> {
    let books = build_dirs(cache);
    let text = fs::read_to_string(books[0].join("manifest")).unwrap();
    text.lines()
        .filter_map(|l| l.split_once('\t').map(|(p, _)| p))
        .filter_map(|p| p.strip_suffix('/'))
        .map(str::to_string)
        .collect()
}

/// A build does not read every folder of the output to find files someone
/// else put there: folders whose time is as recorded are not read. A file
/// added deep in a folder already recorded is still found, by that
/// folder's new time.
#[test]
fn a_file_added_to_a_recorded_folder_is_found_without_reading_the_rest() {
    let site = site_copy();
    let out = site.path().join("public");
    build(site.path(), &out);
    // Times are recorded once clearly in the past.
    std::thread::sleep(std::time::Duration::from_millis(250));
    assert_eq!(build(site.path(), &out).stats.written, 0);
    let folders = recorded_folders(&site.path().join(".chronicle"));
    assert!(folders.contains(&".".to_string()), "{folders:?}");
    assert!(folders.contains(&"2024".to_string()), "{folders:?}");
    let deep = folders
        .iter()
        .find(|f| f.matches('/').count() >= 1)
        .expect("an article's own folder is recorded")
        .clone();
    fs::write(out.join(&deep).join("extra.html"), "by hand").unwrap();
    assert_eq!(
        refusal(site.path(), &out),
        Refusal::ForeignFiles(vec![format!("{deep}/extra.html")])
    );
    // A folder of someone else's inside one of ours: its files are named.
    fs::remove_file(out.join(&deep).join("extra.html")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(250));
    assert_eq!(build(site.path(), &out).stats.written, 0);
    fs::create_dir(out.join("2024/notes")).unwrap();
    fs::write(out.join("2024/notes/mine.txt"), "keep me").unwrap();
    assert_eq!(
        refusal(site.path(), &out),
        Refusal::ForeignFiles(vec!["2024/notes/mine.txt".into()])
    );
}

/// The memo is a database of records: one damaged outside chronicle (the
/// whole file, or a page inside it), or a record that does not decode, is
/// thrown away, and the build still gives the cold build's site.
#[test]
fn a_damaged_memo_is_not_trusted() {
    let site = site_copy();
    let out = site.path().join("public");
    build(site.path(), &out);
    let books = build_dirs(&site.path().join(".chronicle"));
    let memo = books[0].join("memo.redb");
    assert!(memo.is_file(), "the memo is kept in the cache");
    let article = site.path().join("content/2024/a-day.md");
    let text = fs::read_to_string(&article).unwrap();
    // Each damage, and whether the build must say the memo was set aside
    // (a page overwritten may land where no record lies).
    let damages: [(&str, bool, &dyn Fn()); 4] = [
        ("not a database", true, &|| {
            fs::write(&memo, b"not a memo").unwrap()
        }),
        ("a page overwritten", false, &|| {
            let mut bytes = fs::read(&memo).unwrap();
            let middle = bytes.len() / 2;
            let end = (middle + 8192).min(bytes.len());
            bytes[middle..end].fill(0xa5);
            fs::write(&memo, bytes).unwrap();
        }),
        ("a record that does not decode", true, &|| {
            let db = redb::Database::create(&memo).unwrap();
            let write = db.begin_write().unwrap();
            {
                let table: redb::TableDefinition<&[u8], &[u8]> =
                    redb::TableDefinition::new("bodies");
                let mut table = write.open_table(table).unwrap();
                let keys: Vec<Vec<u8>> = redb::ReadableTable::iter(&table)
                    .unwrap()
                    .map(|r| r.unwrap().0.value().to_vec())
                    .collect();
                assert!(!keys.is_empty(), "the bodies are records of their own");
                for key in keys {
                    table.insert(key.as_slice(), &b"\xff\xff\xff"[..]).unwrap();
                }
            }
            write.commit().unwrap();
        }),
        ("another chronicle's memo", true, &|| {
            let db = redb::Database::create(&memo).unwrap();
            let write = db.begin_write().unwrap();
            {
                let table: redb::TableDefinition<&[u8], &[u8]> = redb::TableDefinition::new("head");
                let mut table = write.open_table(table).unwrap();
                // postcard: the format (a varint), then the version.
                table
                    .insert(&b"head"[..], &b"\x01\x050.0.1rest"[..])
                    .unwrap();
            }
            write.commit().unwrap();
        }),
    ];
    let set_aside = |report: &chronicle::Report| {
        let notes: Vec<_> = (report.rendered.warnings.iter())
            .filter(|d| d.code == Code::CacheSetAside)
            .collect();
        assert!(notes.iter().all(|d| d.is_note()), "{notes:?}");
        notes.first().map(|d| d.message.clone())
    };
    for (round, (what, noted, damage)) in damages.iter().enumerate() {
        // An edit, so the build needs the records; then the damage.
        fs::write(&article, format!("{text}\nEdited {round}.\n")).unwrap();
        damage();
        let report = build(site.path(), &out);
        if *noted {
            let note = set_aside(&report).unwrap_or_else(|| panic!("{what}: no note"));
            if round == 3 {
                assert!(note.contains("chronicle 0.0.1 (memo format 1)"), "{note}");
            }
        }
        let fresh = tempfile::tempdir().unwrap();
        build(site.path(), fresh.path());
        assert_eq!(tree(&out), tree(fresh.path()), "{what}");
        // The memo made anew is trusted again: nothing to write, no note.
        let again = build(site.path(), &out);
        assert_eq!(again.stats.written, 0, "{what}");
        assert_eq!(set_aside(&again), None, "{what}");
    }
}

/// The memo's records in memory, as the store keeps them.
#[derive(Default, Clone)]
struct Tables(BTreeMap<&'static str, BTreeMap<Vec<u8>, Vec<u8>>>);

impl Tables {
    fn apply(&mut self, changes: &chronicle::output::store::Changes) {
        if changes.clear {
            self.0.clear();
        }
        for (name, records) in &changes.tables {
            let table = self.0.entry(name).or_default();
            for (k, v) in records {
                match v {
                    Some(v) => table.insert(k.clone(), v.clone()),
                    None => table.remove(k),
                };
            }
        }
    }
}

impl chronicle::pipeline::engine::Records for Tables {
    fn each(&self, table: &'static str, f: &mut dyn FnMut(&[u8], &[u8])) -> bool {
        for (k, v) in self.0.get(table).into_iter().flatten() {
            f(k, v);
        }
        true
    }

    fn get(&self, table: &'static str, key: &[u8]) -> Option<Vec<u8>> {
        self.0.get(table)?.get(key).cloned()
    }
}

/// An edit stores the records it changed, not the whole memo: adding one
/// article puts one file, one body and its own few fragments and pages,
/// removes nothing it does not replace, and leaves every other record as
/// it was; a build that reads nothing of the memo stores only its head.
#[test]
fn an_edit_stores_only_the_records_it_changed() {
    use chronicle::pipeline::engine::{Engine, Run, tables};
    let site = site_copy();
    let options = options(site.path(), &site.path().join("public"));
    let run = |engine: &mut Engine| match engine.run(&options, None, &chronicle::site::Memory) {
        Ok(Run::Built { .. }) => {}
        _ => panic!("the build did not go through"),
    };
    let mut stored = Tables::default();
    let mut engine = Engine::new();
    run(&mut engine);
    let first = engine.changes();
    assert!(first.clear, "a new memo replaces whatever was stored");
    stored.apply(&first);
    let before = stored.clone();
    let reopen = |stored: &Tables| {
        let head = &stored.0[tables::HEAD][tables::HEAD.as_bytes()];
        Engine::from_store(head, std::sync::Arc::new(stored.clone()))
    };

    fs::write(
        site.path().join("content/2024/added.md"),
        "---\ntitle: Added\ndate: 2024-03-02\n---\nA new one.\n",
    )
    .unwrap();
    let mut engine = reopen(&stored);
    run(&mut engine);
    let changes = engine.changes();
    assert!(!changes.clear);
    let of = |name: &str| {
        let records = &changes.tables.iter().find(|(n, _)| *n == name).unwrap().1;
        let puts = records.iter().filter(|(_, v)| v.is_some()).count();
        (puts, records.len() - puts)
    };
    assert_eq!(of(tables::FILES), (1, 0), "the added file");
    assert_eq!(of(tables::BODIES), (1, 0), "its body");
    let (fragments, gone) = of(tables::FRAGMENTS);
    // Its own entry, and its neighbours', whose links to it are new.
    assert!((1..=6).contains(&fragments), "{fragments} fragments");
    assert!(gone < fragments, "{gone} fragments removed");
    assert_eq!(
        of(tables::FRAGMENT_KEYS),
        (fragments, gone),
        "keys beside them"
    );
    // The calendar's and the TimelineJS data's parts for 2024, made anew
    // in place of the old ones; no other year's.
    assert_eq!(of(tables::PARTS), (2, 2), "the exports' parts of 2024");
    assert_eq!(of(tables::PART_KEYS), (2, 2), "keys beside them");
    let (pages, _) = of(tables::PAGES);
    // Its page and its neighbours', and the two feeds that now hold it.
    assert!((3..=6).contains(&pages), "{pages} page keys");
    stored.apply(&changes);
    let kept = |name: &str| {
        let (a, b) = (&before.0[name], &stored.0[name]);
        a.iter().filter(|(k, v)| b.get(*k) == Some(*v)).count()
    };
    assert_eq!(kept(tables::BODIES), before.0[tables::BODIES].len());
    assert_eq!(kept(tables::FILES), before.0[tables::FILES].len());

    // Nothing changed since: the records are read (no output stands, so
    // every page is made again) and found the same; only the head is put.
    let mut engine = reopen(&stored);
    run(&mut engine);
    let again = engine.changes();
    let changed: Vec<(&str, usize)> = (again.tables.iter())
        .filter(|(name, records)| *name != tables::HEAD && !records.is_empty())
        .map(|(name, records)| (*name, records.len()))
        .collect();
    assert_eq!(changed, [], "records stored again though nothing changed");
}

#[cfg(feature = "search")]
#[test]
fn stale_pages_are_removed_and_unchanged_files_not_rewritten() {
    let site = site_copy();
    // With the search index, whose stale files must go too.
    let settings = site.path().join("content/_index.md");
    let text = fs::read_to_string(&settings).unwrap();
    fs::write(&settings, text.replacen("---\n", "---\nsearch: true\n", 1)).unwrap();
    let out = site.path().join("public");
    build(site.path(), &out);
    let index_time = fs::metadata(out.join("2024/year/index.html"))
        .unwrap()
        .modified()
        .unwrap();
    let css_time = fs::metadata(out.join("style.css"))
        .unwrap()
        .modified()
        .unwrap();
    assert!(out.join("2025/later/index.html").exists());

    let search_files = || -> std::collections::BTreeSet<String> {
        let files = tree(&out).into_keys();
        files.filter(|p| p.starts_with("pagefind/")).collect()
    };
    let search_before = search_files();
    fs::remove_file(site.path().join("content/2025/later.md")).unwrap();
    let report = build(site.path(), &out);
    // The search index's files are named by their contents: those that
    // changed went too.
    let search_gone = search_before.difference(&search_files()).count();
    assert!(search_gone > 0);
    assert!(
        !out.join("2025/later").exists(),
        "the page and its folder are gone"
    );
    // Its year's page went with it, and the empty folder.
    assert!(!out.join("2025").exists());
    assert_eq!(report.stats.removed, 2 + search_gone);
    // The timeline, the year's last entry and the year navigation changed;
    // an untouched page and the stylesheet were not written again.
    assert_eq!(
        fs::metadata(out.join("style.css"))
            .unwrap()
            .modified()
            .unwrap(),
        css_time
    );
    let again = fs::metadata(out.join("2024/year/index.html"))
        .unwrap()
        .modified()
        .unwrap();
    // 2024/year lost its later neighbour, so it was rewritten; 2024/month was not.
    assert_ne!(again, index_time);
    assert!(report.stats.unchanged > 0);

    // A third build of the same input writes nothing at all.
    let report = build(site.path(), &out);
    assert_eq!(report.stats.written, 0);
    assert_eq!(report.stats.removed, 0);
    // The folder holds the site and nothing of chronicle's own.
    assert_only_the_site(&out);
}

/// No file or folder of chronicle's own bookkeeping in `out`.
fn assert_only_the_site(out: &Path) {
    let ours: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name().to_string_lossy().contains("chronicle"))
        .map(|e| e.path().display().to_string())
        .collect();
    assert!(ours.is_empty(), "bookkeeping in the output: {ours:?}");
}

/// The build folders in a cache folder.
fn build_dirs(cache: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = fs::read_dir(cache.join("builds")) else {
        return Vec::new();
    };
    entries.map(|e| e.unwrap().path()).collect()
}

#[test]
fn the_output_folder_holds_only_the_site_and_the_cache_is_at_the_root() {
    let site = site_copy();
    let out = site.path().join("public");
    build(site.path(), &out);
    assert_only_the_site(&out);
    let books = build_dirs(&site.path().join(".chronicle"));
    assert_eq!(books.len(), 1, "one output folder, one build folder");
    for name in ["manifest", "memo.redb", "lock", "output"] {
        assert!(books[0].join(name).is_file(), "no {name} in the cache");
    }
    assert!(!books[0].join("staging").exists());
    // A second output folder gets its own bookkeeping.
    let preview = site.path().join("preview");
    build(site.path(), &preview);
    assert_eq!(build_dirs(&site.path().join(".chronicle")).len(), 2);
    // The bookkeeping of a folder that is gone goes with the next build.
    fs::remove_dir_all(&preview).unwrap();
    // The cache is what makes the next build cheap: it writes nothing.
    assert_eq!(build(site.path(), &out).stats.written, 0);
}

#[test]
fn the_cache_can_live_elsewhere_but_never_overlaps_the_output() {
    let site = site_copy();
    let elsewhere = tempfile::tempdir().unwrap();
    let cache = elsewhere.path().join("cache");
    let out = elsewhere.path().join("public");
    let mut o = options(site.path(), &out);
    o.cache_dir = Some(cache.clone());
    let before = tree(site.path());
    build_with(&o);
    assert_eq!(tree(site.path()), before, "the site folder was written to");
    assert_eq!(build_dirs(&cache).len(), 1);
    assert_only_the_site(&out);
    assert_eq!(build_with(&o).stats.written, 0);

    let refused = |cache: &Path| {
        let mut o = options(site.path(), &out);
        o.cache_dir = Some(cache.to_path_buf());
        match chronicle::build(&o, &|| {}) {
            Err(Failure::Output(OutputError::Refused { refusal, .. }, _)) => refusal,
            other => panic!("expected a refusal, got {other:?}"),
        }
    };
    let inside = out.join(".cache");
    assert_eq!(refused(&inside), Refusal::OverlapsCache(inside.clone()));
    assert_eq!(refused(&out), Refusal::OverlapsCache(out.clone()));
    let in_content = site.path().join("content/.cache");
    assert_eq!(
        refused(&in_content),
        Refusal::CacheInsideSources(in_content.clone(), "content")
    );
    assert!(!in_content.exists() && !inside.exists());
}

#[test]
fn a_folder_an_older_chronicle_wrote_is_taken_over() {
    let site = site_copy();
    let out = site.path().join("public");
    build(site.path(), &out);
    let site_before = tree(&out);
    // As an older chronicle left it: its bookkeeping inside the output.
    let cache = site.path().join(".chronicle");
    let books = build_dirs(&cache).remove(0);
    fs::rename(books.join("manifest"), out.join(".chronicle-manifest")).unwrap();
    fs::write(out.join(".chronicle-cache"), b"an older memo").unwrap();
    fs::write(out.join(".chronicle-lock"), "").unwrap();
    fs::remove_dir_all(&cache).unwrap();

    // Its manifest is trusted (nothing is foreign, nothing rewritten) and
    // its files go once the new bookkeeping is in place.
    let report = build(site.path(), &out);
    assert_eq!(report.stats.written, 0);
    assert_only_the_site(&out);
    assert_eq!(tree(&out), site_before);
    assert!(build_dirs(&cache)[0].join("manifest").is_file());
}

#[test]
fn a_fresh_build_ignores_the_cache_and_writes_every_file() {
    let site = site_copy();
    let out = site.path().join("public");
    let first = build(site.path(), &out);
    let before = tree(&out);
    let mut o = options(site.path(), &out);
    o.fresh = true;
    let fresh = build_with(&o);
    assert_eq!(fresh.stats.written, first.stats.written);
    assert_eq!(tree(&out), before);
    // A corrupt memo is not trusted: the build is the same as a cold one.
    let books = build_dirs(&site.path().join(".chronicle")).remove(0);
    fs::write(books.join("memo.redb"), b"\xff\x00 not a memo").unwrap();
    fs::write(
        site.path().join("content/2024/year.md"),
        fs::read_to_string(site.path().join("content/2024/year.md")).unwrap() + "\nMore.\n",
    )
    .unwrap();
    build(site.path(), &out);
    let cold = tempfile::tempdir().unwrap();
    build(site.path(), cold.path());
    assert_eq!(tree(&out), tree(cold.path()));
}

#[test]
fn a_failing_build_leaves_the_previous_site_intact() {
    let site = site_copy();
    let out = site.path().join("public");
    build(site.path(), &out);
    let before = tree(&out);
    fs::write(
        site.path().join("content/2024/broken.md"),
        "---\ntitle: Broken\ndate: 2024-13\n---\n",
    )
    .unwrap();
    match chronicle::build(&options(site.path(), &out), &|| {}) {
        Err(Failure::Diagnostics(d)) => assert!(d[0].message.contains("month 13")),
        other => panic!("expected diagnostics, got {other:?}"),
    }
    assert_eq!(tree(&out), before);
}

#[test]
fn two_builds_at_once_give_one_whole_site() {
    let site = site_copy();
    let out = site.path().join("public");
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_chronicle"))
            .args(["build", "--root", ".", "--as-of", "2024-04-01"])
            .current_dir(site.path())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut runs: Vec<_> = (0..4).map(|_| spawn()).collect();
    for run in &mut runs {
        assert!(run.wait().unwrap().success());
    }
    let together = tree(&out);
    let alone = tempfile::tempdir().unwrap();
    let mut o = options(site.path(), alone.path());
    o.as_of = Some(day("2024-04-01"));
    build_with(&o);
    let alone = tree(alone.path());
    let pages = |t: &std::collections::BTreeMap<String, Vec<u8>>| {
        t.iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(pages(&together), pages(&alone));
}
