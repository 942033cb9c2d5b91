//! From a read [`TimelineJs`] to the files of a chronicle site, in memory:
//! `content/_index.md` from the title slide, one article per event in a
//! folder for its year, and the pictures to copy into `static/`. Every
//! article is read back through chronicle's own reader before anything is
//! written, and its place in chronicle's order checked against
//! TimelineJS's.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::source::{DateParts, Slide, TimelineJs};
use super::{ImportError, Problem, Subject, Warning, dates, display, media, order, text, title};
use crate::content::{self, yaml::quote};
use crate::date::Day;
use crate::model::Article;

/// An event ready to be written.
struct Event {
    number: usize,
    line: Option<u64>,
    headline: String,
    title: String,
    date: String,
    context: bool,
    status: Option<&'static str>,
    series: Option<String>,
    picture: Option<media::Picture>,
    body: String,
    copy: Option<(PathBuf, String)>,
    start_key: [i64; 7],
    folder: String,
    slug: String,
}

impl Event {
    fn id(&self) -> String {
        format!("{}/{}", self.folder, self.slug)
    }

    fn subject(&self) -> Subject {
        Subject::Event {
            number: self.number,
            headline: self.headline.clone(),
            line: self.line,
        }
    }

    fn front_matter(&self) -> String {
        let mut out = String::from("---\n");
        out.push_str(&format!(
            "title: {}\ndate: {}\n",
            quote(&self.title),
            quote(&self.date)
        ));
        if let Some(status) = self.status {
            out.push_str(&format!("status: {status}\n"));
        }
        if self.context {
            out.push_str("kind: context\n");
        }
        if let Some(series) = &self.series {
            out.push_str(&format!("series: {}\n", quote(series)));
        }
        if let Some(p) = &self.picture {
            out.push_str(&format!(
                "media:\n  src: {}\n  alt: {}\n",
                quote(&p.src),
                quote(&p.alt)
            ));
            for (key, value) in [("credit", &p.credit), ("caption", &p.caption)] {
                if let Some(value) = value {
                    out.push_str(&format!("  {key}: {}\n", quote(value)));
                }
            }
        }
        out.push_str("---\n");
        if !self.body.is_empty() {
            out.push_str(&self.body);
            out.push('\n');
        }
        out
    }
}

/// What an import will write: each file's path under the site root (with
/// `/`) and text, the pictures to copy, and what could not be carried.
#[derive(Debug)]
pub struct ImportPlan {
    pub files: Vec<(String, String)>,
    pub copies: Vec<(PathBuf, String)>,
    pub warnings: Vec<Warning>,
    pub events: usize,
}

/// Plans the import of `t`, read from `file`.
pub fn plan(t: &TimelineJs, file: &Path) -> Result<ImportPlan, ImportError> {
    let input_dir = file.parent().unwrap_or(Path::new("."));
    let (mut events, mut warnings, mut articles) =
        plan_events(t, file, input_dir, &text::Articles::default())?;
    // A link to an imported article's address is kept as an internal link;
    // the ids do not depend on the text, so a second pass knows them all.
    if t.events.iter().any(|s| s.text.contains("href")) {
        let ids: std::collections::BTreeSet<String> = events.iter().map(Event::id).collect();
        (events, warnings, articles) = plan_events(t, file, input_dir, &std::sync::Arc::new(ids))?;
    }
    // The site stands as of its last event's last day, not the day it is
    // built: a TimelineJS timeline says nothing of today.
    let as_of = (articles.iter())
        .map(|a| a.date.last_day())
        .max()
        .filter(Day::is_common_era)
        .and_then(|d| d.naive());
    let title = title::settings(t, file, input_dir, as_of, &mut warnings)?;
    let mut files = vec![("content/_index.md".to_string(), title.text)];
    files.extend(
        events
            .iter()
            .map(|e| (format!("content/{}.md", e.id()), e.front_matter())),
    );
    for (i, era) in t.eras.iter().enumerate() {
        warnings.push(Warning {
            subject: Subject::Era {
                number: i + 1,
                headline: text::to_plain(&era.headline),
            },
            message: "not carried: chronicle has no eras (a series, or a context article, may stand in for it)".into(),
        });
    }
    warnings.sort_by_key(|w| w.subject.rank());
    let all_copies = title
        .copy
        .into_iter()
        .chain(events.iter().filter_map(|e| e.copy.clone()));
    Ok(ImportPlan {
        copies: copies(all_copies),
        files,
        warnings,
        events: events.len(),
    })
}

/// The events mapped, named, read back and ordered, with their warnings
/// and the articles they read back as.
fn plan_events(
    t: &TimelineJs,
    file: &Path,
    input_dir: &Path,
    articles: &text::Articles,
) -> Result<PlannedEvents, ImportError> {
    let mut warnings = Vec::new();
    let inputs = Inputs {
        dir: input_dir,
        articles,
    };
    let mut events = map_events(t, file, inputs, &mut warnings)?;
    assign_ids(&mut events, &mut warnings);
    let mut read = read_back(&events, file)?;
    settle_order(&mut events, &mut read, &mut warnings);
    Ok((events, warnings, read))
}

/// The events, the warnings, and the articles the events read back as.
type PlannedEvents = (Vec<Event>, Vec<Warning>, Vec<Article>);

/// What the events are made with besides the slides: the folder of the
/// imported file (a picture's relative path is read from there) and the
/// articles a slide's links may name.
#[derive(Clone, Copy)]
struct Inputs<'a> {
    dir: &'a Path,
    articles: &'a text::Articles,
}

/// Every event mapped, or every event that cannot be.
fn map_events(
    t: &TimelineJs,
    file: &Path,
    inputs: Inputs<'_>,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Event>, ImportError> {
    let mut problems = Vec::new();
    let mut events = Vec::new();
    let slides = without_placeholder_time(&t.events, warnings);
    for (i, slide) in slides.iter().enumerate() {
        match event(i + 1, slide, inputs, warnings) {
            Ok(e) => events.push(e),
            Err((message, hint)) => problems.push(Problem {
                path: file.to_path_buf(),
                line: slide.line,
                column: None,
                message: format!("{}: {message}", event_subject(i + 1, slide)),
                hint: Some(hint.into()),
            }),
        }
    }
    if t.events.is_empty() {
        problems.push(Problem {
            path: file.to_path_buf(),
            line: None,
            column: None,
            message: "the timeline has no events".into(),
            hint: Some("a TimelineJS timeline lists its events under `events` (in a sheet: one row each, with a year)".into()),
        });
    }
    if problems.is_empty() {
        Ok(events)
    } else {
        Err(ImportError::Invalid(problems))
    }
}

/// The slides, without their time of day when every date that has one has
/// the same one, to the second, and there are at least three: a template's
/// placeholder (Knight Lab's Mark Twain example gives 06:45:56 to every
/// event), which would print a time no source stands behind on every
/// entry. Said once, as a warning on the timeline.
fn without_placeholder_time(slides: &[Slide], warnings: &mut Vec<Warning>) -> Vec<Slide> {
    let times: Vec<[i64; 3]> = (slides.iter())
        .flat_map(|s| [s.start.as_ref(), s.end.as_ref()])
        .flatten()
        .filter_map(|p| Some([p.hour?, p.minute.unwrap_or(0), p.second.unwrap_or(0)]))
        .collect();
    let Some(first) = times.first() else {
        return slides.to_vec();
    };
    if times.len() < 3 || times.iter().any(|t| t != first) {
        return slides.to_vec();
    }
    let [h, m, sec] = first;
    warnings.push(Warning {
        subject: Subject::Timeline,
        message: format!(
            "every one of its {} times of day is {h:02}:{m:02}:{sec:02}, a placeholder rather than a time: the dates keep their days and leave the time out (add `T{h:02}:{m:02}` to an article's date to keep one)",
            times.len()
        ),
    });
    let untimed = |p: &Option<DateParts>| {
        p.clone().map(|p| DateParts {
            hour: None,
            minute: None,
            second: None,
            millisecond: None,
            ..p
        })
    };
    (slides.iter())
        .map(|s| Slide {
            start: untimed(&s.start),
            end: untimed(&s.end),
            ..s.clone()
        })
        .collect()
}

fn event_subject(number: usize, slide: &Slide) -> Subject {
    Subject::Event {
        number,
        headline: text::to_plain(&slide.headline),
        line: slide.line,
    }
}

/// One event, mapped; its notes become warnings.
fn event(
    number: usize,
    slide: &Slide,
    inputs: Inputs<'_>,
    warnings: &mut Vec<Warning>,
) -> Result<Event, (String, &'static str)> {
    let headline = text::to_plain(&slide.headline);
    let mapped =
        dates::map(slide.start.as_ref(), slide.end.as_ref()).map_err(|p| (p.message, p.hint))?;
    let mut notes = mapped.notes;
    let display = display::read(&mapped.text, display_words(slide).as_deref());
    let (body, carried) = body(slide, &headline, &display, inputs, &mut notes);
    if slide.background {
        notes.push("its background (a colour or a picture) is not carried".into());
    }
    let title = if headline.is_empty() {
        notes.push(format!(
            "it has no headline: it is titled “Untitled event {number}”"
        ));
        format!("Untitled event {number}")
    } else {
        headline.clone()
    };
    let folder = crate::date::year_slug(mapped.year);
    let slug = base_slug(slide, &headline, &folder, number, &mut notes);
    let series = series_of(slide, &mut notes);
    let event = Event {
        number,
        line: slide.line,
        slug,
        folder,
        headline,
        title,
        date: display.date,
        context: slide.group.as_deref() == Some("Context"),
        status: display.status,
        series,
        picture: carried.picture,
        body,
        copy: carried.copy,
        start_key: slide
            .start
            .as_ref()
            .map(|s| s.timelinejs_key())
            .unwrap_or_default(),
    };
    let subject = event.subject();
    warnings.extend(notes.into_iter().map(|message| Warning {
        subject: subject.clone(),
        message,
    }));
    Ok(event)
}

/// The article's text: the slide's text as markdown, then a link to media
/// that is not a picture, then a display date that says more than the date.
fn body(
    slide: &Slide,
    headline: &str,
    display: &display::Display,
    inputs: Inputs<'_>,
    notes: &mut Vec<String>,
) -> (String, media::Carried) {
    let mut paragraphs = vec![text::to_markdown_in(&slide.text, notes, inputs.articles)];
    let mut carried = slide
        .media
        .as_ref()
        .map(|m| media::carry(m, headline, inputs.dir))
        .unwrap_or_default();
    notes.append(&mut carried.notes);
    paragraphs.extend(carried.link.take());
    if let Some(words) = &display.kept {
        paragraphs.push(format!(
            "*Dated in the original timeline as “{}”.*",
            media::escape(words)
        ));
        notes.push(format!(
            "its display date “{words}” says more than chronicle shows of the date {}: it is kept as the article's last line",
            display.date
        ));
    }
    paragraphs.retain(|p| !p.is_empty());
    (paragraphs.join("\n\n"), carried)
}

/// The slide's display date, or its start's and end's.
fn display_words(slide: &Slide) -> Option<String> {
    slide.display_date.clone().or_else(|| {
        let start = slide.start.as_ref()?.display_date.clone()?;
        Some(
            match slide.end.as_ref().and_then(|e| e.display_date.clone()) {
                Some(end) => format!("{start} – {end}"),
                None => start,
            },
        )
    })
}

/// The longest file name made from a `unique_id` or a headline, in bytes:
/// far below a file system's 255, with room for `-2` or a `01-` prefix.
const SLUG_BYTES: usize = 80;

/// The event's series: its `group` as plain text (not `Context`, which
/// makes it a context event), none if markup was all it held.
fn series_of(slide: &Slide, notes: &mut Vec<String>) -> Option<String> {
    let group = slide.group.as_deref().filter(|g| *g != "Context")?;
    let plain = text::to_plain(group);
    if plain.is_empty() {
        notes.push(format!(
            "its group `{}` has no words once its markup is taken away: it has no series",
            text::cut(group, 80).escape_debug()
        ));
        return None;
    }
    Some(plain)
}

/// The file name: `unique_id` slugged (less a leading `<folder>-`, which
/// chronicle's own export puts there), else the headline slugged; cut at a
/// word to [`SLUG_BYTES`].
fn base_slug(
    slide: &Slide,
    headline: &str,
    folder: &str,
    number: usize,
    notes: &mut Vec<String>,
) -> String {
    if let Some(id) = &slide.unique_id {
        let slug = slug::slugify(id);
        let slug = match slug.strip_prefix(&format!("{folder}-")) {
            Some(rest) if !rest.is_empty() => rest.to_string(),
            _ => slug,
        };
        if slug.len() > SLUG_BYTES {
            let cut = cut_slug(slug, SLUG_BYTES);
            notes.push(format!(
                "its unique_id is too long for a file name: its file is named `{cut}`"
            ));
            return cut;
        }
        if !slug.is_empty() {
            return slug;
        }
    }
    let slug = cut_slug(slug::slugify(headline), 60);
    if slug.is_empty() {
        format!("event-{number}")
    } else {
        slug
    }
}

/// A slug (ASCII) cut to at most `bytes`, at a `-` where there is one.
fn cut_slug(mut slug: String, bytes: usize) -> String {
    if slug.len() > bytes {
        let cut = slug[..bytes].rfind('-').filter(|c| *c > 0).unwrap_or(bytes);
        slug.truncate(cut);
    }
    slug
}

/// `slug`, or `slug-2`, `slug-3`… if its id is taken.
fn unique(used: &mut HashSet<String>, folder: &str, slug: &str) -> String {
    let mut candidate = slug.to_string();
    let mut n = 2;
    while !used.insert(format!("{folder}/{candidate}")) {
        candidate = format!("{slug}-{n}");
        n += 1;
    }
    candidate
}

/// Ids in file order; a second event with the same id gets `-2`.
fn assign_ids(events: &mut [Event], warnings: &mut Vec<Warning>) {
    let mut used = HashSet::new();
    let mut owner: HashMap<String, usize> = HashMap::new();
    for e in events.iter_mut() {
        let wanted = e.id();
        e.slug = unique(&mut used, &e.folder, &e.slug);
        if e.id() == wanted {
            owner.insert(wanted, e.number);
        } else {
            warnings.push(Warning {
                subject: e.subject(),
                message: format!(
                    "its id `{wanted}` is taken by event {}: it is written as `{}`",
                    owner.get(&wanted).copied().unwrap_or(0),
                    e.id()
                ),
            });
        }
    }
}

/// Each article read back through chronicle's reader, as `check` will.
fn read_back(events: &[Event], file: &Path) -> Result<Vec<Article>, ImportError> {
    let mut problems = Vec::new();
    let mut articles = Vec::new();
    for e in events {
        if let Some(problem) = too_long(e, file) {
            problems.push(problem);
            continue;
        }
        let rel_content = format!("{}.md", e.id());
        let rel = PathBuf::from(format!("content/{rel_content}"));
        let (article, diagnostics) =
            content::article_from_bytes(&rel, &rel_content, e.front_matter().into_bytes(), None);
        let error = diagnostics.iter().find(|d| d.is_error());
        match (article, error) {
            (Some(a), None) => articles.push(a),
            (_, error) => problems.push(Problem {
                path: file.to_path_buf(),
                line: e.line,
                column: None,
                message: format!(
                    "{}: chronicle cannot read the article made from it: {}",
                    e.subject(),
                    error.map_or("no article", |d| d.message.as_str())
                ),
                hint: Some(
                    "`chronicle import` should have refused this event or made an article chronicle reads: please report it with the event".into(),
                ),
            }),
        }
    }
    if problems.is_empty() {
        Ok(articles)
    } else {
        Err(ImportError::Invalid(problems))
    }
}

/// A front matter longer than chronicle reads ([`content::MAX_FRONT_MATTER`]),
/// refused with the field that made it so.
fn too_long(e: &Event, file: &Path) -> Option<Problem> {
    let front_matter = e.front_matter().len() - e.body.len();
    if front_matter <= content::MAX_FRONT_MATTER {
        return None;
    }
    let p = e.picture.as_ref();
    let fields = [
        ("headline", e.title.len()),
        ("group", e.series.as_ref().map_or(0, String::len)),
        ("media alt text", p.map_or(0, |p| p.alt.len())),
        (
            "media caption",
            p.and_then(|p| p.caption.as_ref()).map_or(0, String::len),
        ),
        (
            "media credit",
            p.and_then(|p| p.credit.as_ref()).map_or(0, String::len),
        ),
    ];
    let (field, bytes) = fields
        .iter()
        .max_by_key(|(_, n)| *n)
        .copied()
        .unwrap_or(("headline", 0));
    Some(Problem {
        path: file.to_path_buf(),
        line: e.line,
        column: None,
        message: format!(
            "{}: its {field} is {bytes} bytes long, and chronicle reads at most {} KiB of front matter",
            e.subject(),
            content::MAX_FRONT_MATTER / 1024
        ),
        hint: Some(format!(
            "shorten its {field}; a long text belongs in the event's text"
        )),
    })
}

/// Numbers ties chronicle would order otherwise, and reports what still
/// differs from TimelineJS's order.
fn settle_order(events: &mut [Event], articles: &mut [Article], warnings: &mut Vec<Warning>) {
    let keys: Vec<[i64; 7]> = events.iter().map(|e| e.start_key).collect();
    let tl = order::timelinejs(&keys);
    let mut used: HashSet<String> = events.iter().map(Event::id).collect();
    for run in order::misordered_ties(articles, &tl) {
        let width = run.len().to_string().len();
        for (k, &i) in run.iter().enumerate() {
            let e = &mut events[i];
            used.remove(&e.id());
            e.slug = unique(
                &mut used,
                &e.folder,
                &format!("{:0width$}-{}", k + 1, e.slug),
            );
            articles[i].id = e.id();
            articles[i].path = PathBuf::from(format!("content/{}.md", e.id()));
        }
    }
    for (first, second) in order::disagreements(articles, &tl) {
        warnings.push(Warning {
            subject: events[first].subject(),
            message: format!(
                "TimelineJS shows it before event {} (“{}”), chronicle after it: TimelineJS orders by start alone, chronicle by start, then end",
                events[second].number, events[second].headline
            ),
        });
    }
}

/// The pictures to copy, each once.
fn copies(all: impl Iterator<Item = (PathBuf, String)>) -> Vec<(PathBuf, String)> {
    let mut seen = HashSet::new();
    all.filter(|(_, rel)| seen.insert(rel.clone()))
        .map(|(from, rel)| (from, format!("static/{rel}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Front matter written by hand reads back through chronicle's reader
    /// as the same values, whatever the text holds.
    #[test]
    fn front_matter_reads_back_as_written() {
        let awkward = "\"Quoted\": [not a list] # not a comment \\ {x} – ü\u{2028}& 'more'";
        let event = Event {
            number: 1,
            line: None,
            headline: awkward.into(),
            title: awkward.into(),
            date: "2024-07-09/2024-07-11".into(),
            context: true,
            status: Some("cancelled"),
            series: Some(format!("- {awkward}")),
            picture: Some(media::Picture {
                src: "https://example.org/a b.jpg".into(),
                alt: format!("alt: {awkward}"),
                credit: Some("@credit".into()),
                caption: Some("* caption".into()),
            }),
            body: "Text.".into(),
            copy: None,
            start_key: [0; 7],
            folder: "2024".into(),
            slug: "x".into(),
        };
        let (article, diagnostics) = content::article_from_bytes(
            Path::new("content/2024/x.md"),
            "2024/x.md",
            event.front_matter().into_bytes(),
            None,
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let a = article.unwrap();
        assert_eq!(a.title, awkward);
        assert_eq!(a.date.to_string(), "2024-07-09/2024-07-11");
        assert_eq!(a.kind, crate::model::Kind::Context);
        assert_eq!(a.status, Some(crate::model::Status::Cancelled));
        assert_eq!(a.series.unwrap().value, format!("- {awkward}"));
        let m = a.media.unwrap();
        assert_eq!(m.src.value, "https://example.org/a b.jpg");
        // chronicle collapses whitespace in alt text, credits and captions.
        assert_eq!(m.alt, format!("alt: {awkward}").replace('\u{2028}', " "));
        assert_eq!(m.credit.as_deref(), Some("@credit"));
        assert_eq!(m.caption.as_deref(), Some("* caption"));
    }
}
