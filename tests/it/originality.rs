//! Originality and shape checks for the bundled timeline in `content/`.
//!
//! The articles are written from a seed report (Kyodo News, 31 March 2024)
//! kept in `tests/data/`. Facts carry over from it; its wording must not. The
//! rule this test enforces is mechanical so that it cannot drift: no run of
//! eight consecutive words in an article's prose (title, summary, body) may
//! also occur in the seed, once both are reduced to plain lowercase words.
//! The `sources` block is left out on purpose: its titles quote the sources'
//! own headlines, which is what a citation is for.
//!
//! It also pins the shape of the bundled site: thirteen articles plus the
//! site's `_index.md`, each article body between 250 and 600 words.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// Length of the shortest shared run of words that counts as copying.
const RUN: usize = 8;
#[cfg(feature = "search")]
const MIN_BODY_WORDS: usize = 250;
#[cfg(feature = "search")]
const MAX_BODY_WORDS: usize = 600;
const EXPECTED_ARTICLES: usize = 13;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn seed_text() -> String {
    read(&root().join("tests/data/seed-kyodo-2024-03-31.txt"))
}

/// Every `.md` file under `content/`, sorted so failures read the same way
/// on every run.
fn content_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = WalkDir::new(root().join("content"))
        .into_iter()
        .map(|entry| entry.expect("walk content/"))
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.into_path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    files
}

fn is_index(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == "_index.md")
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(feature = "search")]
/// The article's own prose: title, summary (or the site's description) and
/// body, with link targets removed.
struct Prose {
    path: String,
    text: String,
    body_words: usize,
    is_index: bool,
}

#[cfg(feature = "search")]
impl Prose {
    fn new(path: &Path, parts: &[&str], body: &str, is_index: bool) -> Prose {
        let body = strip_link_targets(body);
        let mut text = parts.join("\n");
        text.push('\n');
        text.push_str(&body);
        Prose {
            path: path.display().to_string(),
            text,
            body_words: words(&body).len(),
            is_index,
        }
    }
}

#[cfg(feature = "search")]
/// The prose of the settings file and of every article, read by chronicle's
/// own loader (its front-matter split and YAML reader), so the test reads
/// the files exactly as a build does.
fn prose() -> Vec<Prose> {
    let loaded = chronicle::content::load(root());
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let settings = loaded.settings.expect("content/_index.md");
    let description = settings.description.clone().unwrap_or_default();
    let mut out = vec![Prose::new(
        &settings.path,
        &[&settings.title, &description],
        settings.intro(),
        true,
    )];
    for a in &loaded.articles {
        let summary = a.summary.clone().unwrap_or_default();
        let text = chronicle::files::read_text(root(), &a.path).unwrap();
        let body = &text[a.body_offset..];
        out.push(Prose::new(&a.path, &[&a.title, &summary], body, false));
    }
    out
}

/// Drops the target of every inline markdown link, `[text](target)` becoming
/// `[text]`: a path such as `@/2023/camp-david-summit.md` is not prose.
fn strip_link_targets(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(at) = rest.find("](") {
        out.push_str(&rest[..=at]);
        let after = &rest[at + 2..];
        match after.find(')') {
            Some(close) => rest = &after[close + 1..],
            None => {
                rest = after;
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Lowercase words: runs of letters and digits. Apostrophes (straight or
/// curly) inside a word are dropped, so "China's" and "China’s" both become
/// "chinas"; every other mark, hyphens and dashes included, separates words,
/// so "U.S.-Japan" reads "u s japan" in the seed and in an article alike.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '\u{2019}' | '\u{2018}') && !word.is_empty() {
            continue;
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The runs of `n` words that `text` shares with `reference`, in the order
/// they occur in `text`, each reported once.
fn shared_runs(text: &[String], reference: &[String], n: usize) -> Vec<String> {
    let known: HashSet<&[String]> = reference.windows(n).collect();
    let mut seen = HashSet::new();
    text.windows(n)
        .filter(|run| known.contains(run))
        .map(|run| run.join(" "))
        .filter(|run| seen.insert(run.clone()))
        .collect()
}

#[cfg(feature = "search")]
#[test]
fn articles_share_no_eight_word_run_with_the_seed() {
    let seed = words(&seed_text());
    assert!(seed.len() > 100, "the seed report looks truncated");
    let mut failures = Vec::new();
    for prose in prose() {
        for run in shared_runs(&words(&prose.text), &seed, RUN) {
            failures.push(format!("{}: shares with the seed: \"{run}\"", prose.path));
        }
    }
    assert!(
        failures.is_empty(),
        "{} run(s) of {RUN} words copied from the seed report:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[cfg(feature = "search")]
#[test]
fn article_bodies_are_250_to_600_words() {
    let mut failures = Vec::new();
    for prose in prose().iter().filter(|p| !p.is_index) {
        if !(MIN_BODY_WORDS..=MAX_BODY_WORDS).contains(&prose.body_words) {
            failures.push(format!(
                "{}: body has {} words, expected {MIN_BODY_WORDS} to {MAX_BODY_WORDS}",
                prose.path, prose.body_words
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn content_has_thirteen_articles_and_one_index() {
    let files = content_files();
    let indexes: Vec<String> = files
        .iter()
        .filter(|path| is_index(path))
        .map(|path| relative(path))
        .collect();
    assert_eq!(
        indexes,
        vec![Path::new("content").join("_index.md").display().to_string()],
        "expected exactly one _index.md, at the top of content/"
    );
    let articles: Vec<String> = files
        .iter()
        .filter(|path| !is_index(path))
        .map(|path| relative(path))
        .collect();
    assert_eq!(
        articles.len(),
        EXPECTED_ARTICLES,
        "expected {EXPECTED_ARTICLES} articles, found {}:\n{}",
        articles.len(),
        articles.join("\n")
    );
}

#[test]
fn eight_word_check_catches_a_copied_sentence() {
    let seed = words(&seed_text());
    // Lifted from the seed, with its case and punctuation changed.
    let copied = "Background: the three countries held the FIRST standalone \
                  trilateral summit -- at the U.S. presidential retreat.";
    let runs = shared_runs(&words(copied), &seed, RUN);
    assert!(
        runs.contains(&"the three countries held the first standalone trilateral".to_owned()),
        "a copied sentence went undetected: {runs:?}"
    );

    // The same fact in other words passes.
    let rewritten = "Camp David hosted the first summit the three leaders held \
                     as an event of its own.";
    assert_eq!(
        shared_runs(&words(rewritten), &seed, RUN),
        Vec::<String>::new()
    );

    // Seven shared words are below the threshold; eight are not.
    let seven = "we agreed to hold annual trilateral meetings between allies";
    assert!(shared_runs(&words(seven), &seed, RUN).is_empty());
    let eight = "they agreed to hold annual trilateral meetings between allies";
    assert_eq!(shared_runs(&words(eight), &seed, RUN).len(), 1);
}

#[test]
fn words_ignore_case_punctuation_and_apostrophes() {
    assert_eq!(
        words("China’s “economic coercion”, U.S.-Japan; Yoon's 1910-1945"),
        [
            "chinas", "economic", "coercion", "u", "s", "japan", "yoons", "1910", "1945"
        ]
    );
    assert_eq!(
        strip_link_targets("See [Camp David](@/2023/camp-david-summit.md) now."),
        "See [Camp David] now."
    );
}
