//! `newsmark.openReport`: the server writes the workspace's report into
//! `.newsmark_cache/report/` and asks the client to open the document's
//! page in the browser (`window/showDocument`, `external: true`). The page
//! is the one `newsmark report --page-of` names, and shows the article.

use serde_json::json;

use crate::client::{Client, Options};
use crate::fixture;

const VISIT: &str = "articles/lavrov-visit.nmk";

fn url_to_path(uri: &str) -> std::path::PathBuf {
    let path = uri.strip_prefix("file://").expect("a file URI");
    std::path::PathBuf::from(path.replace("%20", " "))
}

#[test]
fn open_report_writes_the_site_and_shows_the_article_page_externally() {
    let dir = fixture();
    let mut client = Client::start(
        dir.path(),
        Options {
            capabilities: Some(json!({ "window": { "showDocument": { "support": true } } })),
            ..Options::default()
        },
    );
    client.wait_for_index();
    let commands = &client.initialize_result["capabilities"]["executeCommandProvider"]["commands"];
    assert!(
        commands
            .as_array()
            .unwrap()
            .contains(&json!("newsmark.openReport")),
        "{commands}"
    );
    let uri = client.open(VISIT);
    let answer = client
        .request(
            "workspace/executeCommand",
            json!({ "command": "newsmark.openReport", "arguments": [uri] }),
        )
        .unwrap();
    let page = answer["page"].as_str().unwrap().to_owned();
    let shown = client.wait_for("window/showDocument", |m| {
        m["method"] == "window/showDocument"
    });
    assert_eq!(shown["params"]["uri"], page);
    assert_eq!(shown["params"]["external"], true);

    let report = dir.path().join(".newsmark_cache/report");
    let page_path = url_to_path(&page);
    assert!(page_path.starts_with(&report), "{page}");
    assert!(page_path.to_string_lossy().contains("/articles/"), "{page}");
    let html = std::fs::read_to_string(&page_path).unwrap();
    assert!(html.contains(&format!("{VISIT} ·")), "the page of {VISIT}");
    assert!(report.join("index.html").is_file() && report.join("graph.html").is_file());
    // Run again (the report is replaced), and for a registry: the corpus page.
    let people = client.open("entities/people.nmk");
    let answer = client
        .request(
            "workspace/executeCommand",
            json!({ "command": "newsmark.openReport", "arguments": [people] }),
        )
        .unwrap();
    assert!(
        answer["page"]
            .as_str()
            .unwrap()
            .ends_with("/.newsmark_cache/report/index.html"),
        "{answer}"
    );
    client.shutdown();
}

#[test]
fn open_report_refuses_a_document_outside_the_workspace() {
    let dir = fixture();
    // The Neovim test writes a report into the fixture it runs on.
    let _ = std::fs::remove_dir_all(dir.path().join(".newsmark_cache/report"));
    let mut client = Client::start(dir.path(), Options::default());
    client.wait_for_index();
    for arguments in [json!(["file:///etc/passwd"]), json!([]), json!([42])] {
        let refused = client.request(
            "workspace/executeCommand",
            json!({ "command": "newsmark.openReport", "arguments": arguments }),
        );
        assert!(refused.is_err(), "{arguments}: {refused:?}");
    }
    assert!(!dir.path().join(".newsmark_cache/report").exists());
    client.shutdown();
}
