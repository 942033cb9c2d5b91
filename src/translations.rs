//! A site in several languages (`languages: [en, ja, ko]`): the articles
//! of each language, the default's and each other's translations.
//!
//! A translation is a file beside its original with the language before
//! `.md` (`camp-david-summit.ja.md` for `camp-david-summit.md`): it takes
//! the original's id, so it has the same address under `/ja/`, and the
//! original's date and status unless it gives them. A date or status it
//! gives must be the original's, or the two timelines would disagree about
//! what happened when: that is an error at the translation's field. A
//! translation without an original is an error too.

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::Settings;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::Article;

/// Another language's timeline, as a page needs it for its links to the
/// same page in that language (`hreflang`, the language switcher).
#[derive(Debug, Clone)]
pub struct Other {
    pub language: String,
    /// The language's name in itself (`日本語`).
    pub name: String,
    pub routes: crate::routes::Routes,
    /// The addresses of its HTML pages, from its language's root
    /// (`camp-david-summit/`, `years/2023/`; `` for the timeline).
    pub pages: Arc<std::collections::HashSet<String>>,
}

/// One language's articles.
#[derive(Debug)]
pub struct Edition {
    /// The language tag (`ja`).
    pub language: String,
    pub articles: Vec<Arc<Article>>,
}

/// The articles of each of the site's languages, the default first; for a
/// site in one language, all of them in it.
pub fn editions(
    settings: &Settings,
    articles: Vec<Arc<Article>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Edition> {
    let others: Vec<&String> = settings.languages.iter().skip(1).collect();
    let mut originals = Vec::new();
    let mut translated: Vec<(usize, String, Arc<Article>)> = Vec::new();
    for article in articles {
        let found = others.iter().enumerate().find_map(|(n, tag)| {
            let base = article.id.strip_suffix(&format!(".{tag}"))?;
            Some((n, base.to_string()))
        });
        match found {
            Some((n, base)) => translated.push((n, base, article)),
            None => originals.push(article),
        }
    }
    let by_id: HashMap<&str, &Arc<Article>> =
        originals.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut editions: Vec<Edition> = others
        .iter()
        .map(|tag| Edition {
            language: (*tag).clone(),
            articles: Vec::new(),
        })
        .collect();
    for (n, base, article) in translated {
        let Some(original) = by_id.get(base.as_str()) else {
            diagnostics.push(orphan(&article, &base));
            continue;
        };
        if let Some(translation) = translation(original, &article, &base, diagnostics) {
            editions[n].articles.push(Arc::new(translation));
        }
    }
    let default = Edition {
        language: settings.language.clone(),
        articles: originals,
    };
    std::iter::once(default).chain(editions).collect()
}

/// The translation as its language's article: the original's id, and its
/// status unless the translation gives one; `None` if it contradicts the
/// original's date or status.
fn translation(
    original: &Article,
    article: &Article,
    base: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Article> {
    let mut ok = true;
    if !article.date_inherited && article.date != original.date {
        let message = format!(
            "the translation's date `{}` is not the original's `{}` ({})",
            article.date,
            original.date,
            original.path.display()
        );
        diagnostics.push(
            Diagnostic::error(Code::TranslationMismatch, &article.path, message)
                .at(article.date_location.clone())
                .hint("a translation tells the same event: give it the original's date"),
        );
        ok = false;
    }
    if let (Some(mine), Some(theirs)) = (article.status, original.status)
        && mine != theirs
    {
        let message = format!(
            "the translation's status `{}` is not the original's `{}`",
            mine.key(),
            theirs.key()
        );
        diagnostics.push(
            Diagnostic::error(Code::TranslationMismatch, &article.path, message)
                .at(article.status_location.clone())
                .hint("leave `status` out of the translation: it takes the original's"),
        );
        ok = false;
    }
    let mut translation = article.clone();
    translation.id = base.to_string();
    if article.date_inherited {
        translation.date = original.date;
        translation.date_inherited = false;
    }
    translation.status = article.status.or(original.status);
    ok.then_some(translation)
}

fn orphan(article: &Article, base: &str) -> Diagnostic {
    Diagnostic::error(
        Code::TranslationMismatch,
        &article.path,
        format!("a translation of `{base}`, which no article is"),
    )
    .at(article.id_location.clone())
    .hint(format!(
        "name it after its original: `{base}.md` beside it, or rename this file"
    ))
}

/// A note for each article of the default language that another language
/// has no translation of (drafts aside): it is not on that timeline; and
/// for each other language without its own title and introduction
/// (`_index.<lang>.md`): its timeline shows the default language's.
pub fn missing(settings: &Settings, editions: &[Edition]) -> Vec<Diagnostic> {
    let Some((default, others)) = editions.split_first() else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    for edition in others {
        if !settings
            .texts
            .iter()
            .any(|t| t.language == edition.language)
        {
            let message = format!(
                "no `{}` title and introduction: that language's pages show the site's",
                edition.language
            );
            let file = settings.path.with_file_name(format!(
                "{}.{}.md",
                crate::files::SETTINGS_FILE.trim_end_matches(".md"),
                edition.language
            ));
            notes.push(
                Diagnostic::note(Code::TranslationMissing, &settings.path, message)
                    .hint(format!("translate them as {}", file.display())),
            );
        }
        let done: std::collections::HashSet<&str> =
            edition.articles.iter().map(|a| a.id.as_str()).collect();
        for article in default.articles.iter().filter(|a| !a.draft) {
            if !done.contains(article.id.as_str()) {
                let message = format!(
                    "no `{}` translation: the article is not on that language's timeline",
                    edition.language
                );
                let file = article
                    .path
                    .with_extension(format!("{}.md", edition.language));
                notes.push(
                    Diagnostic::note(Code::TranslationMissing, &article.path, message)
                        .hint(format!("translate it as {}", file.display())),
                );
            }
        }
    }
    notes
}
