//! `newsmark report`: the site's numbers are those of `stats --format
//! json` and `graph --format json` on the same corpus; text from files is
//! escaped on every page (hostile names and contents); pages are named by
//! numbers; nothing is written outside `--out`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{examples, newsmark};

/// Runs `newsmark report` in `dir` and returns every file it wrote, by
/// its path below `out`.
fn report(dir: &Path, args: &[&str], out: &Path) -> BTreeMap<String, String> {
    let output = newsmark(dir)
        .arg("report")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    files_below(out)
}

fn files_below(root: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, folder: &Path, files: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                let name = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(root, root, &mut files);
    files
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let output = newsmark(dir).args(args).output().unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The value of every `attribute="…"` in `html`, in order.
fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let needle = format!(" {attribute}=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[test]
fn corpus_page_shows_the_numbers_of_stats_json() {
    let out = tempfile::tempdir().unwrap();
    let site = report(&examples(), &["."], &out.path().join("site"));
    let stats = json(&examples(), &["stats", "--format", "json", "."]);
    let corpus = &stats["corpus"];
    let index = &site["index.html"];
    let keys = attribute_values(index, "data-stat");
    let values = attribute_values(index, "data-value");
    assert!(keys.len() >= 14, "{index}");
    for (key, value) in keys.iter().zip(&values) {
        let expected = &corpus[*key];
        assert!(
            !expected.is_null() || *value == "null",
            "{key} is in stats json"
        );
        let shown: Value = serde_json::from_str(value).unwrap();
        assert_eq!(&shown, expected, "{key}");
    }
    // The top lists, in the same order, with the same counts.
    for (list, count) in [("top_sources", "claims"), ("most_mentioned", "mentions")] {
        let start = index.find(&format!("data-list=\"{list}\"")).unwrap();
        let part = &index[start..start + index[start..].find("</ol>").unwrap()];
        let shown: Vec<(String, u64)> = attribute_values(part, "data-id")
            .into_iter()
            .zip(attribute_values(part, "data-value"))
            .map(|(id, n)| (id.to_owned(), n.parse().unwrap()))
            .collect();
        let expected: Vec<(String, u64)> = (corpus[list].as_array().unwrap().iter())
            .map(|e| {
                (
                    e["id"].as_str().unwrap().to_owned(),
                    e[count].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(shown, expected, "{list}");
        assert!(!shown.is_empty());
    }
    // Each article's page and the sourcing chart by outlet are there.
    let articles = stats["files"].as_array().unwrap().len();
    assert_eq!(articles, 5);
    for n in 0..articles {
        assert!(
            site.contains_key(&format!("articles/{n}.html")),
            "article {n}"
        );
    }
    assert!(index.contains("Share of claims sourced, by outlet"));
    assert!(index.contains("Counts by month of the front matter date"));
}

#[test]
fn graph_and_entity_pages_show_the_numbers_of_graph_json() {
    let out = tempfile::tempdir().unwrap();
    let site = report(&examples(), &["."], &out.path().join("site"));
    let graph = json(&examples(), &["graph", "--format", "json", "."]);
    let claims = graph["claims"].as_array().unwrap();
    let page = &site["graph.html"];
    assert_eq!(
        page.matches("class=\"node claim-node\"").count(),
        claims.len()
    );
    // An entity node for every source and conduit, once.
    let mut drawn: Vec<&str> = attribute_values(page, "data-id");
    drawn.sort_unstable();
    let mut expected: Vec<&str> = (claims.iter())
        .flat_map(|c| {
            let sources = c["sources"].as_array().unwrap().iter();
            let via = (c["chains"].as_array().into_iter().flatten())
                .flat_map(|chain| chain["via"].as_array().unwrap());
            sources.chain(via).map(|id| id.as_str().unwrap())
        })
        .collect();
    expected.sort_unstable();
    expected.dedup();
    assert_eq!(drawn, expected);
    // A source edge or a chain of via edges per source, a stance edge per stance.
    let edges = page.matches("<path class=\"source-edge\"").count()
        + page.matches("<path class=\"stance-edge\"").count();
    let stances: usize = (claims.iter())
        .map(|c| {
            c["stances"]
                .as_array()
                .map_or(0, |s| s.iter().filter(|s| !s["target"].is_null()).count())
        })
        .sum();
    let direct: usize = (claims.iter())
        .map(|c| {
            let chained = c["chains"].as_array().map_or(0, Vec::len);
            c["sources"].as_array().unwrap().len() - chained
        })
        .sum();
    assert_eq!(edges, direct + stances);
    // Every entity's page gives its counts as graph json does.
    let list = &site["entities/index.html"];
    for entity in graph["entities"].as_array().unwrap() {
        let id = entity["id"].as_str().unwrap();
        let line = (list.lines())
            .find(|l| l.contains(&format!(">@{id}</a>")))
            .unwrap_or_else(|| panic!("@{id} is listed"));
        let counts = format!(
            "{} mentions, {} claims",
            entity["mentions"], entity["claims"]
        );
        assert!(line.contains(&counts), "{line} has {counts}");
    }
    assert_eq!(
        list.matches("<li>").count(),
        graph["entities"].as_array().unwrap().len()
    );
}

#[test]
fn every_page_is_named_by_numbers_and_links_only_inside_the_site() {
    let out = tempfile::tempdir().unwrap();
    let site = report(&examples(), &["."], &out.path().join("site"));
    for (name, text) in &site {
        assert!(
            name.chars()
                .all(|c| c.is_ascii_digit() || "abcdefghijklmnopqrstuvwxyz/.-".contains(c)),
            "{name}"
        );
        for target in attribute_values(text, "href")
            .into_iter()
            .chain(attribute_values(text, "src"))
        {
            if target.starts_with("https://") || target.starts_with("http://") {
                continue;
            }
            let file = target.split('#').next().unwrap();
            let folder = Path::new(name).parent().unwrap();
            let resolved = normalise(&folder.join(file));
            assert!(
                site.contains_key(&resolved),
                "{name} links to {target}, which is not written"
            );
        }
    }
}

fn normalise(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for part in path.components() {
        match part.as_os_str().to_str().unwrap() {
            ".." => {
                parts.pop();
            }
            "." => {}
            other => parts.push(other.to_owned()),
        }
    }
    parts.join("/")
}

/// An article whose name, front matter, entities and text try to inject
/// markup, scripts and controls (as the terminal tests' hostile names do).
fn hostile_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("newsmark.toml"), "").unwrap();
    std::fs::create_dir(root.join("entities")).unwrap();
    std::fs::write(
        root.join("entities/people.nmk"),
        "@evil: <img src=x onerror=alert(1)>\u{202e}\n  kind: <b>person</b>\n  url: javascript:alert(2)\n  aliases: \"><script>alert(3)</script>\n",
    )
    .unwrap();
    std::fs::write(
        root.join("a\n::error::FORGED <script>alert(4)<\\script>\u{1b}[31m.nmk"),
        "---\ntitle: </title><script>alert(5)</script>\noutlet: \"><svg onload=alert(6)>\ndate: 2024-01-02\nurl: javascript:alert(7)\n---\n\n\
         [Evil]@evil said {<script>alert(8)</script> & \u{1b}]0;x\u{7} \u{202e}done}@evil.\n\n\
         {An unsourced <iframe src=x> claim}.\n",
    )
    .unwrap();
    dir
}

#[test]
fn hostile_text_is_escaped_on_every_page() {
    let dir = hostile_workspace();
    let out = dir.path().join("site");
    let output = newsmark(dir.path())
        .args(["report", ".", "--out", "site"])
        .output()
        .unwrap();
    assert!(output.status.code().is_some_and(|c| c < 2), "{output:?}");
    let site = files_below(&out);
    assert!(site.len() > 5);
    let all: String = site.values().cloned().collect();
    // The text is there, escaped.
    assert!(
        all.contains("&lt;script&gt;alert(8)&lt;/script&gt; &amp;"),
        "{all}"
    );
    assert!(all.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(all.contains("&lt;/title&gt;&lt;script&gt;alert(5)"));
    for (name, text) in &site {
        for target in attribute_values(text, "href") {
            assert!(
                !target.to_ascii_lowercase().contains("javascript:"),
                "{target} in {name}"
            );
        }
        for bad in ["<script>", "<img", "<iframe", "<svg onload", "<b>"] {
            assert!(!text.contains(bad), "{bad} in {name}:\n{text}");
        }
        for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
            assert!(!text.contains(bad), "{bad:?} in {name}");
        }
        // Scripts: only the report's own.
        for at in text.match_indices("<script").map(|(at, _)| at) {
            assert!(
                text[at..].starts_with("<script src=\"")
                    && text[at..].contains("report.js\" defer></script>"),
                "{name}"
            );
        }
    }
    // The stats and the site agree on this corpus too.
    let stats = json(dir.path(), &["stats", "--format", "json", "."]);
    let index = &site["index.html"];
    assert!(index.contains(&format!(
        "data-stat=\"claims\" data-value=\"{}\"",
        stats["corpus"]["claims"]
    )));
}

#[test]
fn writes_only_into_out_and_replaces_only_with_force() {
    let dir = hostile_workspace();
    let before = files_below(dir.path());
    let run = |args: &[&str]| newsmark(dir.path()).args(args).output().unwrap();
    assert_eq!(
        run(&["report", ".", "--out", "site"]).status.code(),
        Some(0)
    );
    let after = files_below(dir.path());
    for (name, text) in &after {
        if !name.starts_with("site/") {
            assert_eq!(before.get(name), Some(text), "{name} was written");
        }
    }
    assert_eq!(
        after.len() - before.len(),
        files_below(&dir.path().join("site")).len()
    );
    // A second report replaces the first only with --force.
    let again = run(&["report", ".", "--out", "site"]);
    assert_eq!(again.status.code(), Some(2), "{again:?}");
    assert_eq!(
        run(&["report", ".", "--out", "site", "--force"])
            .status
            .code(),
        Some(0)
    );
    // A link inside --out is never followed.
    let outside = dir.path().join("outside.txt");
    std::fs::write(&outside, "mine").unwrap();
    let site = dir.path().join("site");
    std::fs::remove_file(site.join("index.html")).unwrap();
    std::os::unix::fs::symlink(&outside, site.join("index.html")).unwrap();
    let linked = run(&["report", ".", "--out", "site", "--force"]);
    assert_eq!(linked.status.code(), Some(2), "{linked:?}");
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "mine");
}

#[test]
fn annotators_add_the_agreement_of_agree_json() {
    let fixtures: PathBuf =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/annotators");
    let out = tempfile::tempdir().unwrap();
    let site = report(
        &fixtures,
        &["alice", "--annotators", "alice", "bob", "carol"],
        &out.path().join("site"),
    );
    let agree = json(
        &fixtures,
        &["agree", "alice", "bob", "carol", "--format", "json"],
    );
    let page = &site["agreement.html"];
    let f1 = attribute_values(page, "data-measure");
    assert!(f1.contains(&"alpha"), "{page}");
    for pair in agree["pairs"].as_array().unwrap() {
        let shown = format!(
            "{:.3}</span> with overlapping spans",
            pair["overall"]["overlap"]["f1"].as_f64().unwrap()
        );
        assert!(page.contains(&shown), "{shown}");
    }
    for (kind, measures) in agree["all"]["kinds"].as_object().unwrap() {
        if let Some(alpha) = measures["alpha"].as_f64() {
            assert!(
                page.contains(&format!("<th scope=\"row\">{kind}</th>")),
                "{kind}"
            );
            assert!(
                page.contains(&format!("data-measure=\"alpha\">{alpha:.3}</td>")),
                "{kind} α {alpha}"
            );
        }
    }
    // Three pairs, each with its disagreements side by side.
    for n in 0..3 {
        let pair = &site[&format!("agreement/{n}.html")];
        assert!(
            pair.matches("<li class=\"disagreement\">").count() > 0,
            "pair {n}"
        );
    }
    assert!(site["index.html"].contains("href=\"agreement.html\""));
}
