//! The title slide to `content/_index.md`: its headline as the site's
//! title, its text as plain text for `description` (and, when the text has
//! more than plain words, as markdown for the introduction), its picture
//! as an image in the introduction.

use std::path::{Path, PathBuf};

use super::source::Timeline;
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
    t: &Timeline,
    file: &Path,
    input_dir: &Path,
    warnings: &mut Vec<Warning>,
) -> Result<TitleFile, ImportError> {
    let mut notes = Vec::new();
    let slide = t.title.clone().unwrap_or_default();
    let mut title = text::to_plain(&slide.headline);
    if title.is_empty() {
        title = file.file_stem().map_or("Imported timeline".into(), |s| {
            s.to_string_lossy().to_string()
        });
        notes.push(format!(
            "the timeline has no title slide with a headline: the site is titled “{title}” (change `title` in content/_index.md)"
        ));
    }
    let intro = text::to_markdown(&slide.text, &mut notes);
    let plain = text::markdown_to_plain(&intro);
    let mut body: Vec<String> = Vec::new();
    if intro != plain {
        body.push(intro.clone());
    }
    // A description is a line under the title, and front matter is small:
    // a long text is cut there, and the whole of it is the introduction.
    let description = super::plan::cut(&plain, DESCRIPTION_CHARS);
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
    if quote(&title).len() + quote(&description).len() + 32 > content::MAX_FRONT_MATTER {
        let (field, bytes) = ("headline", title.len());
        return Err(ImportError::Invalid(vec![Problem {
            path: file.to_path_buf(),
            line: slide.line,
            column: None,
            message: format!(
                "the title slide: its {field} is {bytes} bytes long, and chronicle reads at most {} KiB of settings",
                content::MAX_FRONT_MATTER / 1024
            ),
            hint: Some(format!("shorten the title slide's {field}")),
        }]));
    }
    let mut text = format!("---\ntitle: {}\n", quote(&title));
    if !description.is_empty() {
        text.push_str(&format!("description: {}\n", quote(&description)));
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
