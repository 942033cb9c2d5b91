//! TimelineJS's media slot to chronicle's `media`: a picture at an
//! `https://` address, or a file beside the timeline copied into `static/`.
//! Whatever else the slot holds (a video, a tweet, a map, a page, an
//! `http://` picture, embedded HTML) cannot be a chronicle picture: it
//! becomes a link at the end of the article's text, and a note says so. A
//! YouTube or Vimeo video or a tweet becomes a link card: its thumbnail
//! (when the timeline gives one at an `https://` address), its title and
//! where it is; never the service's player or script.

use std::path::{Path, PathBuf};

use super::source::MediaRef;
use super::text;
use crate::url_policy;

/// The picture as chronicle's front matter takes it; all plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub src: String,
    pub alt: String,
    pub credit: Option<String>,
    pub caption: Option<String>,
}

/// What became of a media slot.
#[derive(Debug, Default)]
pub struct Carried {
    pub picture: Option<Picture>,
    /// A markdown paragraph for the end of the text.
    pub link: Option<String>,
    /// A file to copy: from beside the timeline, to this path in `static/`.
    pub copy: Option<(PathBuf, String)>,
    pub notes: Vec<String>,
    /// The link is a card (a video or a post), which carries the media's
    /// title and thumbnail.
    pub card: bool,
}

const WEB_IMAGES: [&str; 7] = [".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif"];
/// What chronicle reads the size of, for a picture in `static/`.
const LOCAL_IMAGES: [&str; 5] = [".jpg", ".jpeg", ".png", ".gif", ".webp"];

fn has_extension(url: &str, extensions: &[&str]) -> bool {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    extensions.iter().any(|e| path.ends_with(e))
}

/// Maps a media slot; `headline` (plain) stands in for a missing alt text,
/// `input_dir` is the folder local pictures are looked for in.
pub fn carry(m: &MediaRef, headline: &str, input_dir: &Path) -> Carried {
    let mut out = Carried::default();
    let url = if m.url.starts_with("//") {
        format!("https:{}", m.url)
    } else {
        m.url.clone()
    };
    if url.starts_with('<') {
        embedded_html(m, &url, &mut out);
    } else if url.contains(':') {
        web(m, &url, headline, &mut out);
    } else {
        local(m, &url, headline, input_dir, &mut out);
    }
    let card = out.card;
    for (value, what) in [(&m.title, "title"), (&m.link, "link")] {
        if value.is_some() && !(card && what == "title") {
            out.notes.push(format!(
                "its media {what} is not carried: chronicle's media has none"
            ));
        }
    }
    if !card && m.thumbnail.as_ref().is_some_and(|t| *t != m.url) {
        out.notes.push(
            "its media thumbnail is not carried: chronicle makes the thumbnail from the picture"
                .into(),
        );
    }
    out
}

fn web(m: &MediaRef, url: &str, headline: &str, out: &mut Carried) {
    let lower = url.to_ascii_lowercase();
    let checked = url_policy::check(url);
    if checked.is_err() {
        out.notes.push(format!(
            "its media address `{}` is refused by chronicle: it was left out",
            url.escape_debug()
        ));
    } else if checked == Ok(url_policy::Allowed::Relative) {
        // `htt(s://…`: a colon, but no scheme. As a link it would be a
        // path in the new site that leads nowhere (found by fuzzing).
        out.notes.push(format!(
            "its media address `{}` is neither a web address nor a file beside the timeline: it was left out",
            url.escape_debug()
        ));
    } else if lower.starts_with("https://") && has_extension(url, &WEB_IMAGES) {
        out.picture = Some(picture(m, url, headline, &mut out.notes));
    } else if lower.starts_with("http://") && has_extension(url, &WEB_IMAGES) {
        out.link = Some(link_line(m, url));
        out.notes.push(format!(
            "its picture is at an http:// address ({url}), and chronicle shows pictures only from https:// or static/: a link to it ends its text (if the host serves it over https://, move it to `media`)"
        ));
    } else if let Some(service) = service(url) {
        out.link = Some(card(m, url, service, headline, &mut out.notes));
        out.card = true;
        out.notes.push(format!(
            "its media ({url}) is {service}, and chronicle's media is a picture: a link card to it ends its text"
        ));
    } else {
        out.link = Some(link_line(m, url));
        out.notes.push(format!(
            "its media ({url}) is not a picture, and chronicle's media is one: a link to it ends its text"
        ));
    }
}

/// What a reader is told a card leads to: a video or a post, and where.
fn service(url: &str) -> Option<&'static str> {
    let host = url::Url::parse(url).ok()?.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    let host = host.strip_prefix("m.").unwrap_or(&host);
    match host {
        "youtube.com" | "youtu.be" | "youtube-nocookie.com" => Some("a video on YouTube"),
        "vimeo.com" | "player.vimeo.com" => Some("a video on Vimeo"),
        "twitter.com" | "x.com" if url.contains("/status/") => Some("a post on X (Twitter)"),
        _ => None,
    }
}

/// A link card in markdown: the thumbnail (linked) when the timeline gives
/// one at an `https://` address, then the title as the link, then where it
/// leads and its credit.
fn card(m: &MediaRef, url: &str, service: &str, headline: &str, notes: &mut Vec<String>) -> String {
    let plain = |t: &Option<String>| t.as_deref().map(text::to_plain).filter(|t| !t.is_empty());
    let named = plain(&m.title)
        .or_else(|| plain(&m.caption))
        .or_else(|| (!headline.is_empty()).then(|| headline.to_string()));
    let title = named.clone().unwrap_or_else(|| capitalised(service));
    let destination = angle(url);
    let mut out = String::new();
    match m.thumbnail.as_deref().filter(|t| *t != url) {
        Some(t) if t.starts_with("https://") && url_policy::check(t).is_ok() => {
            out.push_str(&format!(
                "[![{}]({})]({destination})\n\n",
                escape(&title),
                angle(t)
            ));
        }
        Some(t) => notes.push(format!(
            "its media thumbnail ({t}) is not at an https:// address: the link card has none"
        )),
        None => {}
    }
    out.push_str(&format!("**[{}]({destination})**", escape(&title)));
    if named.is_some() {
        out.push_str(&format!(", {}", escape(service)));
    }
    if let Some(credit) = plain(&m.credit) {
        out.push_str(&format!(" ({})", escape(&credit)));
    }
    out
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// An address as a markdown destination (in angle brackets if it has a
/// space or a bracket).
fn angle(address: &str) -> String {
    if address.contains([' ', '(', ')']) {
        format!("<{}>", address.replace(' ', "%20"))
    } else {
        address.to_string()
    }
}

fn local(m: &MediaRef, url: &str, headline: &str, input_dir: &Path, out: &mut Carried) {
    // `img//a.png`, `./img/a.png` and `/img/a.png` are one file: one path.
    let segments: Vec<&str> = url.split('/').filter(|s| !s.is_empty()).collect();
    let rel = segments.join("/");
    let unsafe_path =
        segments.iter().any(|s| *s == ".." || *s == ".") || rel.contains('\\') || rel.is_empty();
    let found = input_dir.join(&rel);
    if unsafe_path || !has_extension(&rel, &LOCAL_IMAGES) {
        out.notes.push(format!(
            "its media `{}` is not a PNG, JPEG, GIF or WebP picture inside the timeline's folder: it was left out",
            url.escape_debug()
        ));
        return;
    }
    match local_picture(input_dir, &segments) {
        Ok(()) => {
            out.picture = Some(picture(m, &rel, headline, &mut out.notes));
            out.copy = Some((found, rel));
        }
        Err(why) => out.notes.push(format!(
            "its picture `{}` {why}: it was left out (copy it into static/ and add `media:` by hand)",
            url.escape_debug(),
        )),
    }
}

/// Whether the file at `segments` under `input_dir` is a picture that may
/// be copied: reached through no symbolic link, a regular file, and a PNG,
/// JPEG, GIF or WebP whose size its header gives (what `build` reads),
/// read from its header alone.
fn local_picture(input_dir: &Path, segments: &[&str]) -> Result<(), String> {
    let mut path = input_dir.to_path_buf();
    for (i, segment) in segments.iter().enumerate() {
        path.push(segment);
        let meta = match path.symlink_metadata() {
            Ok(meta) => meta,
            Err(_) => return Err(format!("is not at {}", path.display())),
        };
        if meta.file_type().is_symlink() {
            return Err(format!(
                "is reached through a symbolic link ({}), which the import never follows",
                path.display()
            ));
        }
        let last = i + 1 == segments.len();
        if last && !meta.is_file() {
            return Err(format!("at {} is not a regular file", path.display()));
        }
    }
    match imagesize::size(&path) {
        Ok(size) if size.width > 0 && size.height > 0 => Ok(()),
        _ => Err(format!(
            "at {} is not a PNG, JPEG, GIF or WebP picture whose size can be read",
            path.display()
        )),
    }
}

/// A tweet's `<blockquote>`, an `<iframe>`: a link to the first address in it.
fn embedded_html(m: &MediaRef, html: &str, out: &mut Carried) {
    let address = html
        .split(['"', '\'', ' ', '<', '>'])
        .find(|part| part.starts_with("https://") || part.starts_with("http://"))
        .filter(|a| url_policy::check(a).is_ok());
    match address {
        Some(address) => {
            out.link = Some(link_line(m, address));
            out.notes.push(format!(
                "its media is embedded HTML, which cannot be a chronicle picture: a link to {address} ends its text"
            ));
        }
        None => out.notes.push(
            "its media is embedded HTML with no address in it, which cannot be a chronicle picture: it was left out".into(),
        ),
    }
}

fn picture(m: &MediaRef, src: &str, headline: &str, notes: &mut Vec<String>) -> Picture {
    let plain = |html: &Option<String>, what: &str, notes: &mut Vec<String>| {
        let html = html.as_deref()?;
        if html.contains("<a ") {
            notes.push(format!(
                "the links in its media {what} are not carried: chronicle's {what} is plain text"
            ));
        }
        Some(text::to_plain(html)).filter(|t| !t.is_empty())
    };
    let caption = plain(&m.caption, "caption", notes);
    let credit = plain(&m.credit, "credit", notes);
    let alt = match m
        .alt
        .as_deref()
        .map(text::to_plain)
        .filter(|a| !a.is_empty())
    {
        Some(alt) => alt,
        None => {
            let (alt, from) = match &caption {
                Some(c) => (c.clone(), "its caption"),
                None => (headline.to_string(), "its headline"),
            };
            notes.push(format!(
                "its picture has no alt text: {from} stands in for it (describe the picture in `media.alt`)"
            ));
            alt
        }
    };
    Picture {
        src: src.to_string(),
        alt,
        credit,
        caption,
    }
}

/// `[caption](address) (credit)`, for the end of the text.
fn link_line(m: &MediaRef, address: &str) -> String {
    let label = m
        .caption
        .as_deref()
        .or(m.title.as_deref())
        .map(text::to_plain)
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| address.to_string());
    let destination = angle(address);
    let mut line = format!("[{}]({destination})", escape(&label));
    if let Some(credit) = m
        .credit
        .as_deref()
        .map(text::to_plain)
        .filter(|c| !c.is_empty())
    {
        line.push_str(&format!(" ({})", escape(&credit)));
    }
    line
}

/// Plain text made safe to put in markdown: its punctuation escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(url: &str) -> MediaRef {
        MediaRef {
            url: url.into(),
            caption: Some("The <i>Senate</i> floor".into()),
            credit: Some("A. Photographer".into()),
            ..MediaRef::default()
        }
    }

    #[test]
    fn an_https_picture_is_media() {
        let c = carry(
            &slot("https://example.org/p/senate.JPG?w=800"),
            "H",
            Path::new("."),
        );
        let p = c.picture.unwrap();
        assert_eq!(p.alt, "The Senate floor");
        assert_eq!(p.caption.as_deref(), Some("The Senate floor"));
        assert_eq!(p.credit.as_deref(), Some("A. Photographer"));
        assert_eq!(c.notes.len(), 1, "{:?}", c.notes); // the alt came from the caption
        assert!(c.link.is_none());
    }

    #[test]
    fn a_video_a_page_or_an_http_picture_is_a_link() {
        for url in [
            "https://example.org/a-page",
            "http://example.org/p.png",
            "<blockquote class=\"twitter-tweet\"><a href=\"https://twitter.com/x/status/1\">x</a></blockquote>",
        ] {
            let c = carry(&slot(url), "H", Path::new("."));
            assert!(c.picture.is_none(), "{url}");
            assert!(c.link.unwrap().starts_with("[The Senate floor]("), "{url}");
            assert_eq!(c.notes.len(), 1, "{url}: {:?}", c.notes);
        }
        let c = carry(&slot("javascript:alert(1)"), "H", Path::new("."));
        assert!(c.picture.is_none() && c.link.is_none());
        // Found by fuzzing (issue 28): a colon but no scheme became a
        // relative link, and the site did not build.
        for url in ["htt(s://example.org/a.jpg", "h!tps://example.org/b"] {
            let c = carry(&slot(url), "H", Path::new("."));
            assert!(c.picture.is_none() && c.link.is_none(), "{url}");
            assert_eq!(c.notes.len(), 1, "{url}: {:?}", c.notes);
        }
    }

    #[test]
    fn a_video_or_a_post_is_a_link_card_with_its_thumbnail() {
        let m = MediaRef {
            thumbnail: Some("https://i.example.org/thumb.jpg".into()),
            title: Some("The <b>speech</b>".into()),
            ..slot("http://www.youtube.com/watch?v=C-nTpGMMVjY")
        };
        let c = carry(&m, "H", Path::new("."));
        assert!(c.card && c.picture.is_none());
        assert_eq!(
            c.link.as_deref(),
            Some(
                "[![The speech](https://i.example.org/thumb.jpg)](http://www.youtube.com/watch?v=C-nTpGMMVjY)\n\n**[The speech](http://www.youtube.com/watch?v=C-nTpGMMVjY)**, a video on YouTube (A. Photographer)"
            )
        );
        assert_eq!(c.notes.len(), 1, "{:?}", c.notes);
        let tweet = MediaRef {
            url: "https://twitter.com/x/status/1".into(),
            ..MediaRef::default()
        };
        let c = carry(&tweet, "", Path::new("."));
        assert_eq!(
            c.link.as_deref(),
            Some("**[A post on X (Twitter)](https://twitter.com/x/status/1)**")
        );
        let vimeo = carry(&slot("https://vimeo.com/1"), "H", Path::new("."));
        assert!(
            vimeo
                .link
                .unwrap()
                .ends_with(", a video on Vimeo (A. Photographer)")
        );
    }

    #[test]
    fn a_missing_local_picture_is_left_out() {
        let c = carry(&slot("images/none.png"), "H", Path::new("/nonexistent"));
        assert!(c.picture.is_none() && c.copy.is_none());
        assert_eq!(c.notes.len(), 1);
        let c = carry(&slot("../secret.png"), "H", Path::new("."));
        assert!(c.picture.is_none() && c.copy.is_none());
    }
}
