//! Never stale, proven: random sequences of edits to a site, each followed
//! by an incremental build into one output folder and a cold build of the
//! same content into a fresh one. After every step the two must agree: the
//! same errors, or byte for byte the same published files: pages and
//! exports alike (feeds, calendars, `timeline.json`, the sitemap).
//!
//! `PROPTEST_CASES` sets how many sequences run (a modest number here;
//! `scripts/bench --stale-check N` runs many more, in release mode).

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;
use chronicle::Failure;
use proptest::prelude::*;

const PEOPLE: [&str; 5] = ["Ana Lima", "Ben Okoro", "Chen Wei", "Dana Ruiz", "Eli Park"];
const TAGS: [&str; 3] = ["security", "trade", "history"];
const DATES: [&str; 8] = [
    "2021",
    "2022-03",
    "2022-03-14",
    "2022-07-01/2022-07-03",
    "2023-01-09",
    "2023-01~",
    "2024-06-30",
    "2025-02",
];

/// One article of the generated site.
#[derive(Debug, Clone)]
struct Article {
    title: String,
    date: &'static str,
    people: Vec<&'static str>,
    tags: Vec<&'static str>,
    series: bool,
    /// The file names (under content/2020/) of articles this one links to.
    links: Vec<String>,
    related: Vec<String>,
    /// A link in raw HTML to another article's page (its file name), to
    /// its `#related` part if `true`: only the links check of the
    /// generated pages sees it, and it breaks when that page goes or
    /// loses the part.
    raw: Option<(String, bool)>,
    /// Written as a file that does not parse.
    broken: bool,
    /// "Happened" or "happened": an edit that keeps the file's size.
    capital: bool,
}

impl Article {
    fn text(&self) -> String {
        if self.broken {
            return format!(
                "---\ntitle: {}\ndate: [unclosed\n---\nBroken.\n",
                self.title
            );
        }
        let mut fm = format!(
            "---\ntitle: \"{}\"\ndate: \"{}\"\nparticipants: [{}]\ntags: [{}]\n",
            self.title,
            self.date,
            self.people.join(", "),
            self.tags.join(", ")
        );
        if self.series {
            fm.push_str("series: Talks\n");
        }
        if !self.related.is_empty() {
            let ids: Vec<String> = self.related.iter().map(|r| format!("2020/{r}")).collect();
            fm.push_str(&format!("related: [{}]\n", ids.join(", ")));
        }
        let links: String = self
            .links
            .iter()
            .map(|l| format!(" See [the other]({l}.md)."))
            .collect();
        let verb = if self.capital { "Happened" } else { "happened" };
        let raw = match &self.raw {
            Some((to, part)) => {
                let part = if *part { "#related" } else { "" };
                format!("\n\n<p><a href=\"../{to}/{part}\">Raw</a></p>\n")
            }
            None => String::new(),
        };
        format!("{fm}---\nWhat {verb} at {}.{links}\n{raw}", self.title)
    }
}

/// A site: settings, articles by file name, and a template override.
#[derive(Debug, Clone)]
struct Site {
    title: String,
    base_url: Option<&'static str>,
    articles: BTreeMap<String, Article>,
    template: Option<&'static str>,
    /// The site's own `i18n/<language>.toml`, and its `language`.
    catalogue: Option<&'static str>,
    language: &'static str,
    /// Whether the site is in two languages (`language` and the other of
    /// en and ja), and the articles translated into the second.
    multilingual: bool,
    translated: std::collections::BTreeSet<String>,
    /// Small, so pages split and their boundaries move with the edits.
    page_size: usize,
    counter: usize,
    /// Whether `content/_people.yaml` registers three of the people, with
    /// slugs of its own (their pages move when it comes and goes).
    registry: bool,
    /// Whether the settings say `search: true`: the index, in shards by
    /// year (the dates span five), each made again only when its pages
    /// change.
    search: bool,
}

impl Site {
    fn new() -> Site {
        let mut site = Site {
            title: "Generated".into(),
            // With a base URL, so the feeds and the sitemap are made (an
            // edit takes it away and puts it back).
            base_url: Some("https://example.org/news/"),
            articles: BTreeMap::new(),
            template: None,
            catalogue: None,
            language: "en",
            multilingual: false,
            translated: Default::default(),
            page_size: 3,
            counter: 0,
            registry: false,
            search: false,
        };
        for i in 0..6 {
            site.add(i, i % 3, i % 2 == 0);
        }
        site
    }

    fn second_language(&self) -> &'static str {
        if self.language == "en" { "ja" } else { "en" }
    }

    fn languages_line(&self) -> String {
        match self.multilingual {
            true => format!(
                "languages: [{}, {}]\n",
                self.language,
                self.second_language()
            ),
            false => String::new(),
        }
    }

    fn names(&self) -> Vec<String> {
        self.articles.keys().cloned().collect()
    }

    fn add(&mut self, date: usize, person: usize, link: bool) {
        self.counter += 1;
        let name = format!("a{:03}", self.counter);
        let links = if link {
            self.names().into_iter().take(1).collect()
        } else {
            Vec::new()
        };
        let article = Article {
            title: format!("Event {}", self.counter),
            date: DATES[date % DATES.len()],
            people: vec![PEOPLE[person % PEOPLE.len()]],
            tags: vec![TAGS[person % TAGS.len()]],
            series: person % 2 == 1,
            links,
            related: Vec::new(),
            raw: None,
            broken: false,
            capital: false,
        };
        self.articles.insert(name, article);
    }

    /// Writes the site's files, as an editor would: only those that
    /// changed are written, those gone are removed (so a file left alone
    /// keeps its stat, and is known by it).
    fn write(&self, root: &Path) {
        let content = root.join("content");
        let mut files: BTreeMap<String, String> = BTreeMap::new();
        if self.registry {
            let records: String = PEOPLE[..3]
                .iter()
                .enumerate()
                .map(|(i, p)| format!("- name: {p}\n  slug: person-{i}\n  country: Somewhere\n"))
                .collect();
            files.insert("_people.yaml".into(), records);
        }
        let base = self
            .base_url
            .map(|b| format!("base_url: {b}\n"))
            .unwrap_or_default();
        let search = if self.search { "search: true\n" } else { "" };
        files.insert(
            "_index.md".into(),
            format!(
                "---\ntitle: {}\n{base}as_of: 2024-04-01\nallow_raw_html: true\ntimeline_page_size: {}\nlanguage: {}\n{}{search}---\nIntro.\n",
                self.title, self.page_size, self.language, self.languages_line()
            ),
        );
        for (name, a) in &self.articles {
            files.insert(format!("2020/{name}.md"), a.text());
        }
        // Translations without a date (they take the original's); one
        // whose original is gone is an error, as it should be.
        for name in &self.translated {
            let text = format!("---\ntitle: 訳 {name}\n---\n訳文。\n");
            files.insert(format!("2020/{name}.{}.md", self.second_language()), text);
        }
        std::fs::create_dir_all(content.join("2020")).unwrap();
        for entry in walkdir::WalkDir::new(&content) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(&content).unwrap();
            if entry.file_type().is_file() && !files.contains_key(&files_key(rel)) {
                std::fs::remove_file(entry.path()).unwrap();
            }
        }
        for (rel, text) in &files {
            let path = content.join(rel);
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                std::fs::write(path, text).unwrap();
            }
        }
        let i18n = root.join("i18n");
        let _ = std::fs::remove_dir_all(&i18n);
        if let Some(catalogue) = self.catalogue {
            std::fs::create_dir_all(&i18n).unwrap();
            std::fs::write(i18n.join(format!("{}.toml", self.language)), catalogue).unwrap();
        }
        let templates = root.join("templates");
        let _ = std::fs::remove_dir_all(&templates);
        if let Some(extra) = self.template {
            std::fs::create_dir_all(&templates).unwrap();
            let article = std::fs::read_to_string(repo_root().join("templates/article.html"))
                .unwrap()
                .replace(
                    "<article class=\"article\"",
                    &format!("{extra}<article class=\"article\""),
                );
            std::fs::write(templates.join("article.html"), article).unwrap();
        }
    }
}

fn files_key(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

/// One edit an editor might make.
#[derive(Debug, Clone)]
enum Edit {
    /// A file saved again unchanged (its times move, its bytes do not).
    Touch {
        which: usize,
    },
    /// One letter changed, the size kept and the modification time put
    /// back as it was (only the change time tells).
    SameSize {
        which: usize,
    },
    /// Time passes: the files' stats settle, so the next build may know
    /// them by their stat.
    Wait,
    Add {
        date: usize,
        person: usize,
        link: bool,
    },
    Retitle {
        which: usize,
    },
    Redate {
        which: usize,
        date: usize,
    },
    Rename {
        which: usize,
    },
    Delete {
        which: usize,
    },
    AddParticipant {
        which: usize,
        person: usize,
    },
    Relate {
        which: usize,
        to: usize,
    },
    /// Its related articles taken away (its page loses `#related`).
    Unrelate {
        which: usize,
    },
    /// A link in raw HTML to another article's page, or to its
    /// `#related` part.
    RawLink {
        which: usize,
        to: usize,
        part: bool,
    },
    Break {
        which: usize,
    },
    FixAll,
    Template {
        variant: usize,
    },
    Settings {
        variant: usize,
    },
    /// A label changed in the site's catalogue, or the language switched.
    Catalogue {
        variant: usize,
    },
    /// A second language turned on or off, or an article translated.
    Translate {
        which: usize,
    },
    /// The search index turned on or off.
    Search,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..20usize).prop_map(|which| Edit::Touch { which }),
        (0..20usize).prop_map(|which| Edit::SameSize { which }),
        Just(Edit::Wait),
        (0..8usize, 0..5usize, any::<bool>()).prop_map(|(date, person, link)| Edit::Add {
            date,
            person,
            link
        }),
        (0..20usize).prop_map(|which| Edit::Retitle { which }),
        (0..20usize, 0..8usize).prop_map(|(which, date)| Edit::Redate { which, date }),
        (0..20usize).prop_map(|which| Edit::Rename { which }),
        (0..20usize).prop_map(|which| Edit::Delete { which }),
        (0..20usize, 0..5usize).prop_map(|(which, person)| Edit::AddParticipant { which, person }),
        (0..20usize, 0..20usize).prop_map(|(which, to)| Edit::Relate { which, to }),
        (0..20usize).prop_map(|which| Edit::Unrelate { which }),
        (0..20usize, 0..20usize, any::<bool>()).prop_map(|(which, to, part)| Edit::RawLink {
            which,
            to,
            part
        }),
        (0..20usize).prop_map(|which| Edit::Break { which }),
        Just(Edit::FixAll),
        (0..3usize).prop_map(|variant| Edit::Template { variant }),
        (0..5usize).prop_map(|variant| Edit::Settings { variant }),
        (0..4usize).prop_map(|variant| Edit::Catalogue { variant }),
        (0..24usize).prop_map(|which| Edit::Translate { which }),
        Just(Edit::Search),
    ]
}

impl Site {
    fn pick(&self, which: usize) -> Option<String> {
        let names = self.names();
        (!names.is_empty()).then(|| names[which % names.len()].clone())
    }

    fn apply(&mut self, edit: &Edit) {
        match *edit {
            Edit::Touch { .. } | Edit::Wait => {}
            Edit::Search => self.search = !self.search,
            Edit::SameSize { which } => {
                if let Some(n) = self.pick(which) {
                    let a = self.articles.get_mut(&n).unwrap();
                    a.capital = !a.capital;
                }
            }
            Edit::Add { date, person, link } => self.add(date, person, link),
            Edit::Retitle { which } => {
                if let Some(n) = self.pick(which) {
                    self.counter += 1;
                    self.articles.get_mut(&n).unwrap().title = format!("Retitled {}", self.counter);
                }
            }
            Edit::Redate { which, date } => {
                if let Some(n) = self.pick(which) {
                    self.articles.get_mut(&n).unwrap().date = DATES[date];
                }
            }
            Edit::Rename { which } => {
                if let Some(n) = self.pick(which) {
                    let a = self.articles.remove(&n).unwrap();
                    self.counter += 1;
                    self.articles.insert(format!("r{:03}", self.counter), a);
                }
            }
            Edit::Delete { which } => {
                if let Some(n) = self.pick(which) {
                    self.articles.remove(&n);
                }
            }
            Edit::AddParticipant { which, person } => {
                if let Some(n) = self.pick(which) {
                    let a = self.articles.get_mut(&n).unwrap();
                    if !a.people.contains(&PEOPLE[person]) {
                        a.people.push(PEOPLE[person]);
                    }
                }
            }
            Edit::Relate { which, to } => {
                if let (Some(n), Some(t)) = (self.pick(which), self.pick(to))
                    && n != t
                {
                    self.articles.get_mut(&n).unwrap().related = vec![t];
                }
            }
            Edit::Unrelate { which } => {
                if let Some(n) = self.pick(which) {
                    self.articles.get_mut(&n).unwrap().related.clear();
                }
            }
            Edit::RawLink { which, to, part } => {
                if let (Some(n), Some(t)) = (self.pick(which), self.pick(to)) {
                    self.articles.get_mut(&n).unwrap().raw = Some((t, part));
                }
            }
            Edit::Break { which } => {
                if let Some(n) = self.pick(which) {
                    self.articles.get_mut(&n).unwrap().broken = true;
                }
            }
            Edit::FixAll => {
                let names = self.names();
                for a in self.articles.values_mut() {
                    a.broken = false;
                    a.raw = None;
                    a.links.retain(|l| names.contains(l));
                    a.related.retain(|r| names.contains(r));
                }
            }
            Edit::Template { variant } => {
                self.template = [None, Some("<p>one</p>"), Some("<p>two</p>")][variant]
            }
            Edit::Translate { which } => match (which, self.pick(which)) {
                (0..4, _) | (_, None) => self.multilingual = !self.multilingual,
                (_, Some(name)) => {
                    if !self.translated.remove(&name) {
                        self.translated.insert(name);
                    }
                }
            },
            Edit::Catalogue { variant } => match variant {
                0 => self.catalogue = None,
                1 => self.catalogue = Some("where = \"Venue\"\n"),
                2 => {
                    self.catalogue =
                        Some("entries = { one = \"{n} event\", other = \"{n} events\" }\n")
                }
                _ => self.language = if self.language == "en" { "ja" } else { "en" },
            },
            Edit::Settings { variant } => {
                self.counter += 1;
                match variant {
                    0 => self.title = format!("Generated {}", self.counter),
                    1 => self.base_url = Some("https://example.org/news/"),
                    2 => self.page_size = if self.page_size == 3 { 2 } else { 3 },
                    3 => self.registry = !self.registry,
                    _ => self.base_url = None,
                }
            }
        }
    }
}

/// The published files of an output folder.
fn published(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(dir)
}

/// What an edit does to the files beyond writing the site: `SameSize`
/// puts the modification time back, `Touch` saves a file unchanged, `Wait`
/// lets the stats settle.
fn after_write(site: &Site, edit: &Edit, root: &Path, mtime_before: Option<std::time::SystemTime>) {
    let file = |which: usize| {
        site.pick(which)
            .map(|n| root.join(format!("content/2020/{n}.md")))
    };
    match *edit {
        Edit::Touch { which } => {
            if let Some(path) = file(which) {
                let bytes = std::fs::read(&path).unwrap();
                std::fs::write(&path, bytes).unwrap();
            }
        }
        Edit::SameSize { which } => {
            if let (Some(path), Some(time)) = (file(which), mtime_before) {
                let f = std::fs::File::options().write(true).open(path).unwrap();
                f.set_modified(time).unwrap();
            }
        }
        Edit::Wait => settle(),
        _ => {}
    }
}

/// Longer than the time after which chronicle trusts a file's stat.
fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(150));
}

/// Builds `root` into `out`: the published files, or the errors.
fn outcome(root: &Path, out: &Path) -> Result<BTreeMap<String, Vec<u8>>, Vec<String>> {
    match chronicle::build(&options(root, out), &|| {}) {
        Ok(_) => Ok(published(out)),
        Err(Failure::Diagnostics(d)) => Err(d.iter().map(|d| d.render(Path::new(""))).collect()),
        Err(Failure::Output(e, _)) => panic!("output error: {e}"),
    }
}

fn check_sequence(search: bool, edits: &[Edit]) -> Result<(), TestCaseError> {
    let root = tempfile::tempdir().unwrap();
    let incremental = tempfile::tempdir().unwrap();
    let mut site = Site::new();
    // Without the `search` feature a site starts without it; turned on by
    // an edit, both builds refuse it alike (`search-not-built`).
    site.search = search && cfg!(feature = "search");
    site.write(root.path());
    outcome(root.path(), incremental.path()).expect("the first site builds");
    for (step, edit) in edits.iter().enumerate() {
        let mtime_before = match *edit {
            Edit::SameSize { which } => site.pick(which).and_then(|n| {
                let path = root.path().join(format!("content/2020/{n}.md"));
                std::fs::metadata(path).ok()?.modified().ok()
            }),
            _ => None,
        };
        site.apply(edit);
        site.write(root.path());
        after_write(&site, edit, root.path(), mtime_before);
        let cold = tempfile::tempdir().unwrap();
        let expected = outcome(root.path(), cold.path());
        let got = outcome(root.path(), incremental.path());
        match (&expected, &got) {
            (Ok(e), Ok(g)) => {
                let ek: Vec<&String> = e.keys().collect();
                let gk: Vec<&String> = g.keys().collect();
                prop_assert_eq!(&ek, &gk, "step {} ({:?}): the files differ", step, edit);
                for (path, bytes) in e {
                    prop_assert!(
                        bytes == &g[path],
                        "step {} ({:?}): {} is stale:\n--- cold\n{}\n--- incremental\n{}",
                        step,
                        edit,
                        path,
                        String::from_utf8_lossy(bytes),
                        String::from_utf8_lossy(&g[path])
                    );
                }
            }
            (Err(e), Err(g)) => prop_assert_eq!(e, g, "step {} ({:?})", step, edit),
            _ => {
                let brief = |r: &Result<BTreeMap<String, Vec<u8>>, Vec<String>>| match r {
                    Ok(files) => format!("built {} files", files.len()),
                    Err(errors) => format!("failed: {}", errors.join("")),
                };
                prop_assert!(
                    false,
                    "step {} ({:?}): cold {}; incremental {}",
                    step,
                    edit,
                    brief(&expected),
                    brief(&got)
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn an_incremental_build_is_always_the_cold_build(
        search in any::<bool>(),
        edits in prop::collection::vec(edit(), 1..12),
    ) {
        check_sequence(search, &edits)?;
    }
}

/// A link on a page that stands (in raw HTML, which only the check of the
/// generated pages reads) breaks when the page it points at goes, or
/// loses the part it points at: the incremental build finds it as the
/// cold one does, though it judges only the pages it read, unless a file
/// went or a page lost an id.
#[test]
fn a_link_on_a_page_that_stands_breaks_when_its_target_goes() {
    let link = |to, part| Edit::RawLink { which: 0, to, part };
    let gone = [link(5, false), Edit::Wait, Edit::Delete { which: 5 }];
    let renamed = [link(4, false), Edit::Wait, Edit::Rename { which: 4 }];
    let lost = [
        Edit::Relate { which: 4, to: 2 },
        link(4, true),
        Edit::Wait,
        Edit::Unrelate { which: 4 },
    ];
    for edits in [&gone[..], &renamed, &lost] {
        check_sequence(false, edits).unwrap();
    }
}

/// A static file taken away breaks a link to it on a page that stands,
/// though no page read now lost anything: the incremental build finds it
/// because a file of the last build is gone.
#[test]
fn a_link_to_a_static_file_breaks_when_the_file_goes() {
    let root = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = root.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "content/_index.md",
        "---\ntitle: Site\nas_of: 2024-04-01\nallow_raw_html: true\n---\n",
    );
    write(
        "content/2020/a.md",
        "---\ntitle: A\ndate: \"2021\"\n---\nA.\n\n<p><a href=\"../../extra.css\">Raw</a></p>\n",
    );
    write(
        "content/2020/b.md",
        "---\ntitle: B\ndate: \"2023\"\n---\nB.\n",
    );
    write("static/extra.css", "p {}\n");
    outcome(root.path(), out.path()).expect("the first site builds");
    std::fs::remove_file(root.path().join("static/extra.css")).unwrap();
    let errors = outcome(root.path(), out.path()).expect_err("the link is broken");
    assert!(
        errors[0].contains("`2020/a/index.html` links to `/extra.css`: no such file"),
        "{errors:?}"
    );
    let cold = tempfile::tempdir().unwrap();
    assert_eq!(outcome(root.path(), cold.path()).unwrap_err(), errors);
}

/// The check itself catches a stale page: a page edited by hand since the
/// last build (its stamp no longer stands) is written again, and one whose
/// recorded fingerprint is wrong would show as a difference.
#[test]
fn a_page_changed_behind_chronicles_back_is_rewritten() {
    let root = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    Site::new().write(root.path());
    let first = outcome(root.path(), out.path()).unwrap();
    let page = out.path().join("2020/a001/index.html");
    std::fs::write(&page, "tampered").unwrap();
    let second = outcome(root.path(), out.path()).unwrap();
    assert_eq!(first, second);
}

/// A build reads only the article files whose stat changed since the last
/// one, and misses no edit: a file saved unchanged, one changed with its
/// size and modification time kept, one renamed, one changed within the
/// timestamps' granularity of the build that read it.
#[test]
fn files_known_by_their_stat_are_not_read_and_no_edit_is_missed() {
    let root = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut site = Site::new();
    let n = site.articles.len();
    site.write(root.path());
    settle();
    let run = |site: &Site| {
        let report = build(root.path(), out.path());
        let cold = tempfile::tempdir().unwrap();
        let expected = outcome(root.path(), cold.path()).unwrap();
        let got = published(out.path());
        let differ: Vec<&String> = (expected.keys().chain(got.keys()))
            .filter(|p| expected.get(*p) != got.get(*p))
            .collect();
        assert!(differ.is_empty(), "stale: {differ:?} ({site:?})");
        report.rendered.read
    };
    assert_eq!(run(&site), n, "the first build reads every file");
    assert_eq!(run(&site), 0, "nothing changed, nothing read");

    // Saved unchanged: read, found the same.
    let path = |name: &str| root.path().join(format!("content/2020/{name}.md"));
    let first = site.names()[0].clone();
    let bytes = std::fs::read(path(&first)).unwrap();
    settle();
    std::fs::write(path(&first), &bytes).unwrap();
    settle();
    assert_eq!(run(&site), 1);
    assert_eq!(run(&site), 0);

    // The same size, the modification time put back: the change time tells.
    let mtime = std::fs::metadata(path(&first)).unwrap().modified().unwrap();
    site.apply(&Edit::SameSize { which: 0 });
    site.write(root.path());
    after_write(
        &site,
        &Edit::SameSize { which: 0 },
        root.path(),
        Some(mtime),
    );
    assert_eq!(
        std::fs::metadata(path(&first)).unwrap().len(),
        bytes.len() as u64
    );
    settle();
    assert_eq!(run(&site), 1);

    // Renamed: a new path is read.
    site.apply(&Edit::Rename { which: 1 });
    site.write(root.path());
    settle();
    assert_eq!(run(&site), 1);
    assert_eq!(run(&site), 0);

    // A file whose times are too recent has not settled: every build reads
    // it again though nothing changed, so an edit in the same timestamp
    // tick as the build that read it could not go unseen. (Its time is put
    // a minute ahead, so the test does not depend on how fast builds are:
    // the tests share a process and a busy machine's two cores.)
    site.apply(&Edit::Retitle { which: 2 });
    site.write(root.path());
    let third = path(&site.names()[2]);
    let set_ahead = |by: std::time::Duration| {
        let f = std::fs::File::options().write(true).open(&third).unwrap();
        f.set_modified(std::time::SystemTime::now() + by).unwrap();
    };
    set_ahead(std::time::Duration::from_secs(60));
    assert_eq!(run(&site), 1);
    assert_eq!(run(&site), 1, "an unsettled stat was trusted");
    assert_eq!(run(&site), 1, "an unsettled stat was trusted");
    // Once its times are in the past, it has settled: read once more (its
    // stat is kept then), and not again.
    set_ahead(std::time::Duration::from_secs(1));
    std::thread::sleep(std::time::Duration::from_millis(1200));
    assert_eq!(run(&site), 1);
    assert_eq!(run(&site), 0);
}

/// `--fresh` and a cache thrown away read every file again.
#[test]
fn a_fresh_build_reads_every_file() {
    let root = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let site = Site::new();
    site.write(root.path());
    settle();
    build(root.path(), out.path());
    let mut o = options(root.path(), out.path());
    o.fresh = true;
    assert_eq!(build_with(&o).rendered.read, site.articles.len());
}
