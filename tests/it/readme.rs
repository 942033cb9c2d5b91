//! The documentation agrees with the code: the README's example article (in
//! its tour) is a real one that passes `check`, and docs/diagnostics.md lists
//! every diagnostic code.

use crate::common::*;

#[test]
fn the_readme_example_article_builds() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let start = readme.find("```markdown\n").expect("an example article") + "```markdown\n".len();
    let example = &readme[start..start + readme[start..].find("```\n").unwrap()];
    let site = tempfile::tempdir().unwrap();
    let content = site.path().join("content/2023");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        site.path().join("content/_index.md"),
        "---\ntitle: Example\nbase_url: https://example.org/\n---\n",
    )
    .unwrap();
    std::fs::write(content.join("camp-david-summit.md"), example).unwrap();
    std::fs::write(
        content.join("hiroshima-g7-encounter.md"),
        "---\ntitle: Hiroshima\ndate: 2023-05-21\n---\nText.\n",
    )
    .unwrap();
    let rendered = chronicle::render_site(&options(site.path(), &site.path().join("public")))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let html = scraper::Html::parse_document(
        std::str::from_utf8(&rendered.site.files["2023/camp-david-summit/index.html"]).unwrap(),
    );
    assert_eq!(
        one_text(&html, "h1"),
        "Camp David hosts the first standalone trilateral summit"
    );
    assert_eq!(
        select(&html, ".body sup.citation a")[0]
            .value()
            .attr("href"),
        Some("/2023/camp-david-summit/#source-1")
    );
    assert_eq!(
        select(&html, ".body p a:not(sup a)")[0]
            .value()
            .attr("href"),
        Some("/2023/hiroshima-g7-encounter/")
    );
    assert_eq!(
        one_text(&html, "#source-1 cite"),
        "US, Japan, South Korea to meet in Aug. 18 summit"
    );
}

/// docs/diagnostics.md lists every diagnostic code, each once, and no other.
#[test]
fn the_docs_list_every_diagnostic_code() {
    use chronicle::diagnostics::Code;
    let doc = std::fs::read_to_string(repo_root().join("docs/diagnostics.md")).unwrap();
    let listed: Vec<&str> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| {
            l.split_once("` | ").filter(|(_, rest)| {
                ["error |", "warning |", "note |"]
                    .iter()
                    .any(|s| rest.starts_with(s))
            })
        })
        .map(|(code, _)| code)
        .collect();
    let known: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(listed, known);
}
