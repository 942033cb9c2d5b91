//! Faults while building: the process killed at random moments, a full disk
//! (a file-size limit), a folder it may not write. After each, the site built
//! before is still there, whole.

use std::collections::BTreeMap;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

/// Writes a site of `n` articles; `version` changes some texts, drops some
/// articles and adds others, so two versions differ in every way a rebuild
/// can: pages changed, removed, added, and neighbours and years shifted.
fn write_site(root: &Path, n: usize, version: u32) {
    let content = root.join("content");
    if content.exists() {
        std::fs::remove_dir_all(&content).unwrap();
    }
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        content.join("_index.md"),
        "---\ntitle: Faults\nas_of: 2024-04-01\n---\nA site to break.\n",
    )
    .unwrap();
    let paragraph =
        "The talks covered security, trade and the next meeting in some detail. ".repeat(12);
    for i in 0..n {
        let kept = version == 1 || i % 7 != 0;
        let added = version == 2 && i % 11 == 0;
        if !kept && !added {
            continue;
        }
        let name = if added {
            format!("new-{i:04}")
        } else {
            format!("event-{i:04}")
        };
        let year = 1990 + (i * 7) % 35;
        let text = if version == 2 && i % 3 == 0 {
            "Revised."
        } else {
            "First version."
        };
        let dir = content.join(year.to_string());
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(format!("{name}.md")),
            format!(
                "---\ntitle: Event {i} ({text})\ndate: \"{year}-{:02}-{:02}\"\nparticipants: [Person {}]\nlocation: Place {}\n---\n{text}\n\n{paragraph}\n",
                1 + i % 12,
                1 + i % 28,
                i % 40,
                i % 25
            ),
        )
        .unwrap();
    }
}

/// The output folder's files, which must all be the site's.
fn pages(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let files = tree(dir);
    let ours: Vec<&String> = files.keys().filter(|k| k.contains("chronicle")).collect();
    assert!(
        ours.is_empty(),
        "bookkeeping in the output folder: {ours:?}"
    );
    files
}

/// The cache folder the builds into `out` use: beside it, so a test can
/// make it writable while the output is not.
fn cache_of(out: &Path) -> std::path::PathBuf {
    out.parent().unwrap().join("cache")
}

fn build_cmd(root: &Path, out: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chronicle"));
    c.args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .arg("--cache-dir")
        .arg(cache_of(out));
    c.stdout(Stdio::null()).stderr(Stdio::piped());
    c
}

fn run_build(root: &Path, out: &Path) {
    let run = build_cmd(root, out).output().unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// A tiny deterministic generator for kill times.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below.max(1)
    }
}

#[test]
fn killed_builds_leave_whole_files_and_the_next_build_finishes() {
    let work = tempfile::tempdir().unwrap();
    let (v1, v2) = (work.path().join("v1"), work.path().join("v2"));
    write_site(&v1, 400, 1);
    write_site(&v2, 400, 2);
    let (ref1, ref2) = (work.path().join("ref1"), work.path().join("ref2"));
    run_build(&v1, &ref1);
    run_build(&v2, &ref2);
    let (want1, want2) = (pages(&ref1), pages(&ref2));
    assert_ne!(want1, want2);

    let out = work.path().join("public");
    let started = Instant::now();
    run_build(&v1, &out);
    let full = started.elapsed().as_micros() as u64;
    let mut rng = Lcg(0x5eed);
    let mut killed_midway = 0;
    for round in 0..40 {
        let (root, want) = if round % 2 == 0 {
            (&v2, &want2)
        } else {
            (&v1, &want1)
        };
        let mut child = build_cmd(root, &out).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(rng.next(full * 6 / 5)));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        if !status.success() {
            killed_midway += 1;
        }

        // Every file is whole: one build's version or the other's, and
        // nothing else is visible under a page's name.
        let now = pages(&out);
        for (path, bytes) in &now {
            assert!(
                want1.get(path) == Some(bytes) || want2.get(path) == Some(bytes),
                "round {round}: {path} is neither build's version"
            );
        }
        // The next build finishes (or undoes) the interrupted one.
        run_build(root, &out);
        assert!(
            pages(&out) == *want,
            "round {round}: the folder does not hold exactly one build"
        );
        let staging: Vec<_> = walkdir::WalkDir::new(cache_of(&out))
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_name() == "staging")
            .collect();
        assert!(staging.is_empty(), "round {round}: staging left behind");
    }
    assert!(
        killed_midway >= 10,
        "only {killed_midway} of 40 kills landed during a build"
    );
}

#[test]
fn a_full_disk_fails_cleanly_and_keeps_the_site() {
    let work = tempfile::tempdir().unwrap();
    let site = work.path().join("site");
    write_site(&site, 20, 1);
    let big = "A very long article indeed. ".repeat(20_000);
    std::fs::create_dir_all(site.join("content/2000")).unwrap();
    std::fs::write(
        site.join("content/2000/big.md"),
        format!("---\ntitle: Big\ndate: 2000\n---\n{big}\n"),
    )
    .unwrap();
    let out = work.path().join("public");
    run_build(&site, &out);
    let before = tree(&out);

    write_site(&site, 20, 2);
    std::fs::create_dir_all(site.join("content/2000")).unwrap();
    std::fs::write(
        site.join("content/2000/big.md"),
        format!("---\ntitle: Bigger\ndate: 2000\n---\n{big}{big}\n"),
    )
    .unwrap();
    // No file may grow past 200 kB: the big page cannot be written.
    let mut command = build_cmd(&site, &out);
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 200_000,
                rlim_max: 200_000,
            };
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let run = command.output().unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("error: cannot write "), "{stderr}");
    assert!(
        stderr.contains("2000/big/index.html: File too large"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the site already published is unchanged"),
        "{stderr}"
    );
    assert_eq!(tree(&out), before, "the published site changed");

    // With room again, the build goes through.
    run_build(&site, &out);
    let html = std::fs::read_to_string(out.join("2000/big/index.html")).unwrap();
    assert!(html.contains("Bigger"));
}

#[test]
fn a_read_only_output_folder_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let work = tempfile::tempdir().unwrap();
    std::fs::set_permissions(work.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let site = work.path().join("site");
    write_site(&site, 5, 1);
    let out = work.path().join("public");
    run_build(&site, &out);
    let before = tree(&out);
    // Readable by all, writable only by its owner: not by the user we run as.
    set_modes(work.path(), 0o755, 0o644);
    if !running_as_root() {
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    // The cache is writable by anyone: only the output folder is not.
    set_modes(&cache_of(&out), 0o777, 0o666);
    write_site_touch(&site);
    let cache = cache_of(&out);
    let run = as_unprivileged(&[
        "build",
        "--root",
        site.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--cache-dir",
        cache.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(&format!(
            "error: cannot write to the output folder {}: Permission denied",
            out.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("choose an output folder you can write to, with --output"),
        "{stderr}"
    );
    assert_eq!(tree(&out), before);
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Gives every folder under `dir` (and `dir`) the mode `dirs`, and every
/// file the mode `files`.
fn set_modes(dir: &Path, dirs: u32, files: u32) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        let mode = if entry.file_type().is_dir() {
            dirs
        } else {
            files
        };
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

/// Changes one article so a build would have something to write.
fn write_site_touch(site: &Path) {
    let first = walkdir::WalkDir::new(site.join("content"))
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .find(|e| e.file_type().is_file() && e.file_name() != "_index.md")
        .unwrap();
    let text = std::fs::read_to_string(first.path()).unwrap();
    std::fs::write(first.path(), text.replace("First version.", "Changed.")).unwrap();
}
