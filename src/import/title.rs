//! The title slide to `content/_index.md`: its headline (else the start
//! of its text) as the site's title, its text as plain text for
//! `description` (and, when the text has more than plain words, as
//! markdown for the introduction), its picture as an image in the
//! introduction; and the last event's day as `as_of`.

use std::path::{Path, PathBuf};

use super::source::TimelineJs;
use super::{ImportError, Problem, Subject, Warning, media, text};
use crate::content::{self, yaml::quote};

/// The most characters of the title slide's text kept as `description`.
const DESCRIPTION_CHARS: usize = 1000;

/// The settings file's text, and a picture to copy into `static/`.
pub struct TitleFile {
    pub text: String,
    pub copy: Option<(PathBuf, String)>,
}

/// Makes `content/_index.md`, read back through chronicle's reader.
pub fn settings(
    t: &TimelineJs,
    file: &Path,
    input_dir: &Path,
    as_of: Option<chrono::NaiveDate>,
    warnings: &mut Vec<Warning>,
) -> Result<TitleFile, ImportError> {
    let mut notes = Vec::new();
    let slide = t.title.clone().unwrap_or_default();
    let intro = text::to_markdown(&slide.text, &mut notes);
    let plain = text::markdown_to_plain(&intro);
    let title = title_of(&slide.headline, &plain, file, &mut notes);
    let mut body: Vec<String> = Vec::new();
    if intro != plain {
        body.push(intro.clone());
    }
    // A description is a line under the title, and front matter is small:
    // a long text is cut there, and the whole of it is the introduction.
    let description = text::cut(&plain, DESCRIPTION_CHARS);
    if description != plain && body.is_empty() {
        body.push(intro);
    }
    let carried = slide
        .media
        .as_ref()
        .map(|m| media::carry(m, &title, input_dir))
        .unwrap_or_default();
    notes.extend(carried.notes);
    if let Some(p) = &carried.picture {
        body.push(picture_markdown(p));
    }
    body.extend(carried.link);
    if slide.background {
        notes.push("its background (a colour or a picture) is not carried".into());
    }
    warnings.extend(notes.into_iter().map(|message| Warning {
        subject: Subject::Title,
        message,
    }));
    fits(&title, &description, file, slide.line)?;
    let mut text = format!("---\ntitle: {}\n", quote(&title));
    if !description.is_empty() {
        text.push_str(&format!("description: {}\n", quote(&description)));
    }
    if let Some(day) = as_of {
        text.push_str(&format!("as_of: {}\n", day.format("%Y-%m-%d")));
    }
    text.push_str("---\n");
    for paragraph in body.iter().filter(|p| !p.is_empty()) {
        text.push_str(paragraph);
        text.push_str("\n\n");
    }
    read_back(&text, file)?;
    Ok(TitleFile {
        text: text.trim_end().to_string() + "\n",
        copy: carried.copy,
    })
}

/// Refuses a title too long for the settings' front matter, at the title
/// slide (the description is cut before it gets here).
fn fits(title: &str, description: &str, file: &Path, line: Option<u64>) -> Result<(), ImportError> {
    if quote(title).len() + quote(description).len() + 32 <= content::MAX_FRONT_MATTER {
        return Ok(());
    }
    let (field, bytes) = ("headline", title.len());
    Err(ImportError::Invalid(vec![Problem {
        path: file.to_path_buf(),
        line,
        column: None,
        message: format!(
            "the title slide: its {field} is {bytes} bytes long, and chronicle reads at most {} KiB of settings",
            content::MAX_FRONT_MATTER / 1024
        ),
        hint: Some(format!("shorten the title slide's {field}")),
    }]))
}

/// The site's title: the title slide's headline, else the words its text
/// opens with, else the file's name as words (the last two reported).
fn title_of(headline: &str, description: &str, file: &Path, notes: &mut Vec<String>) -> String {
    let title = text::to_plain(headline);
    if !title.is_empty() {
        return title;
    }
    if let Some(phrase) = leading_phrase(description) {
        notes.push(format!(
            "the title slide has no headline: the site is titled “{phrase}”, the start of its text (change `title` in content/_index.md)"
        ));
        return phrase;
    }
    let title = file.file_stem().map_or("Imported timeline".into(), |s| {
        words_of_file_name(&s.to_string_lossy())
    });
    notes.push(format!(
        "the timeline has no title slide with a headline or text: the site is titled “{title}”, after the file (change `title` in content/_index.md)"
    ));
    title
}

/// The words a title slide's text opens with, for a site title when the
/// slide has no headline: its first sentence up to the first bracket,
/// comma, colon, semicolon or dash ("Samuel Langhorne Clemens (November
/// 30, 1835 – …), better known as…" gives "Samuel Langhorne Clemens"), if
/// that is short enough to be a title (at most 80 characters).
fn leading_phrase(plain: &str) -> Option<String> {
    let first_line = plain.lines().map(str::trim).find(|l| !l.is_empty())?;
    let end = first_line
        .char_indices()
        .find(|&(i, c)| {
            matches!(
                c,
                '(' | '[' | ',' | ':' | ';' | '–' | '—' | '、' | '。' | '（' | '，' | '：'
            ) || (matches!(c, '.' | '!' | '?')
                && first_line[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace))
                || first_line[i..].starts_with(" - ")
        })
        .map_or(first_line.len(), |(i, _)| i);
    let phrase = first_line[..end].trim();
    (!phrase.is_empty() && phrase.chars().count() <= 80).then(|| phrase.to_string())
}

/// A file's name as words: `website_examples_twain_marktwain` reads as
/// "website examples twain marktwain", which wraps between words.
fn words_of_file_name(stem: &str) -> String {
    let words: Vec<&str> = stem
        .split(['_', '-', '.', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        "Imported timeline".into()
    } else {
        words.join(" ")
    }
}

/// The picture as a markdown image, with its caption and credit beneath.
fn picture_markdown(p: &media::Picture) -> String {
    let src = if p.src.starts_with("https://") {
        p.src.clone()
    } else {
        format!("/{}", p.src)
    };
    let mut out = format!("![{}](<{src}>)", media::escape(&p.alt));
    let words: Vec<&str> = [&p.caption, &p.credit]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    if !words.is_empty() {
        out.push_str(&format!("\n\n*{}*", media::escape(&words.join(" — "))));
    }
    out
}

fn read_back(text: &str, file: &Path) -> Result<(), ImportError> {
    let (settings, diagnostics) =
        content::settings_from_bytes(Path::new("content/_index.md"), text.as_bytes().to_vec());
    match (settings, diagnostics.iter().find(|d| d.is_error())) {
        (Some(_), None) => Ok(()),
        (_, error) => Err(ImportError::Invalid(vec![Problem {
            path: file.to_path_buf(),
            line: None,
            column: None,
            message: format!(
                "the title slide: chronicle cannot read the settings made from it: {}",
                error.map_or("no settings", |d| d.message.as_str())
            ),
            hint: Some(
                "`chronicle import` should have refused this title slide or made settings chronicle reads: please report it with the title slide".into(),
            ),
        }])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_from_the_start_of_the_title_slides_text() {
        assert_eq!(
            leading_phrase(
                "Samuel Langhorne Clemens (November 30, 1835 – April 21, 1910),[1] better known by his pen name Mark Twain, was an American author and humorist."
            )
            .as_deref(),
            Some("Samuel Langhorne Clemens")
        );
        assert_eq!(
            leading_phrase("The bridge. It opened in 1937.").as_deref(),
            Some("The bridge")
        );
        assert_eq!(
            leading_phrase("日米韓首脳会談の歩み。三か国の記録。").as_deref(),
            Some("日米韓首脳会談の歩み")
        );
        assert_eq!(leading_phrase(""), None);
        assert_eq!(leading_phrase(&"word ".repeat(30)), None);
    }

    #[test]
    fn a_file_name_as_words() {
        assert_eq!(
            words_of_file_name("website_examples_twain_marktwain"),
            "website examples twain marktwain"
        );
        assert_eq!(words_of_file_name("__"), "Imported timeline");
    }
}
