//! The floor a build is measured against: a bare, single-threaded loop that
//! reads every article, parses its front matter (one YAML pass) and its
//! markdown, and writes one HTML file per article. No ordering, no
//! listings, no templates, no checks. `scripts/bench` times it on the same
//! corpus as the build.
//!
//!     cargo run --release --example baseline -- <content dir> <output dir>

use std::fs;
use std::path::Path;

use pulldown_cmark::{Options, Parser, html};
use saphyr_parser::{Event, Parser as YamlParser};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, content, out] = args.as_slice() else {
        eprintln!("usage: baseline <content dir> <output dir>");
        std::process::exit(2);
    };
    let (content, out) = (Path::new(content), Path::new(out));
    let mut html_out = String::new();
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(content).sort_by_file_name() {
        let entry = entry.expect("a readable content folder");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = fs::read_to_string(path).expect("a readable article");
        let (front, body) = split(&text);
        let mut title = String::new();
        let mut next_is_title = false;
        for event in YamlParser::new_from_str(front) {
            let (event, _) = event.expect("valid YAML");
            if let Event::Scalar(value, ..) = event {
                if next_is_title {
                    title = value.to_string();
                }
                next_is_title = value == "title";
            }
        }
        html_out.clear();
        html_out.push_str("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>");
        // A text event is written escaped.
        html::push_html(
            &mut html_out,
            std::iter::once(pulldown_cmark::Event::Text(title.into())),
        );
        html_out.push_str("</title><main>");
        html::push_html(&mut html_out, Parser::new_ext(body, Options::all()));
        html_out.push_str("</main></html>\n");
        let rel = path.strip_prefix(content).unwrap().with_extension("");
        let dir = out.join(rel);
        fs::create_dir_all(&dir).expect("a writable output folder");
        fs::write(dir.join("index.html"), &html_out).expect("a writable output folder");
        pages += 1;
    }
    println!("{pages} pages");
}

/// Front matter between `---` lines, then the body.
fn split(text: &str) -> (&str, &str) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return ("", text);
    };
    match rest.find("\n---\n") {
        Some(end) => (&rest[..end], &rest[end + 5..]),
        None => ("", text),
    }
}
