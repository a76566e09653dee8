//! The workspace: the scan and its progress, watched files, findings that
//! cross files, configuration, and pull diagnostics.

use serde_json::{Value, json};

use crate::client::{Client, Options};
use crate::{fixture, range};

const PEOPLE: &str = "entities/people.nmk";
const CRLF: &str = "articles/tass-crlf.nmk";

fn has_code(diagnostics: &[Value], code: &str) -> bool {
    diagnostics.iter().any(|d| d["code"] == code)
}

#[test]
fn indexing_reports_work_done_progress() {
    let dir = fixture();
    let mut client = Client::start(
        dir.path(),
        Options {
            work_done_progress: true,
            ..Options::default()
        },
    );
    let create = client.wait_for("window/workDoneProgress/create", |m| {
        m["method"] == "window/workDoneProgress/create"
    });
    let token = create["params"]["token"].clone();
    let is_progress = |m: &Value| m["method"] == "$/progress";
    let begin = client.wait_for("progress begin", is_progress);
    assert_eq!(begin["params"]["token"], token);
    assert_eq!(begin["params"]["value"]["kind"], "begin");
    assert_eq!(begin["params"]["value"]["title"], "Indexing");
    assert_eq!(begin["params"]["value"]["message"], "0/5 files");
    loop {
        let next = client.wait_for("progress report or end", is_progress);
        assert_eq!(next["params"]["token"], token);
        match next["params"]["value"]["kind"].as_str().unwrap() {
            "report" => {
                let message = next["params"]["value"]["message"].as_str().unwrap();
                assert!(message.ends_with("/5 files"), "{message}");
            }
            "end" => {
                let message = next["params"]["value"]["message"].as_str().unwrap();
                assert!(message.starts_with("5 files in "), "{message}");
                break;
            }
            other => panic!("unexpected progress kind {other}"),
        }
    }
    assert_eq!(client.wait_for_index()["files"], 5);
}

/// The message that ends the scan's progress.
fn scan_end_message(root: &std::path::Path) -> String {
    let mut client = Client::start(
        root,
        Options {
            work_done_progress: true,
            ..Options::default()
        },
    );
    loop {
        let progress = client.wait_for("progress", |m| m["method"] == "$/progress");
        if progress["params"]["value"]["kind"] == "end" {
            let message = progress["params"]["value"]["message"].as_str().unwrap();
            return message.to_owned();
        }
    }
}

/// A workspace `newsmark check` has seen is indexed from the summaries it
/// stored, file by unchanged file; a file changed since, or a changed
/// configuration, is parsed again. (differential.rs checks that the
/// findings are the same as from a parse.)
#[test]
fn the_scan_reuses_the_summaries_newsmark_check_stored() {
    let dir = fixture();
    let unchanged = |dir: &std::path::Path| {
        let message = scan_end_message(dir);
        assert!(message.starts_with("5 files in "), "{message}");
        message.split_once(" (").map(|(_, rest)| rest.to_owned())
    };
    assert_eq!(unchanged(dir.path()), None);
    crate::check_writing_the_cache(dir.path());
    let all = "5 unchanged since `newsmark check`)";
    assert_eq!(unchanged(dir.path()).as_deref(), Some(all));

    let article = dir.path().join("articles/lavrov-visit.nmk");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, format!("{text}\nOne more line.\n")).unwrap();
    let four = "4 unchanged since `newsmark check`)";
    assert_eq!(unchanged(dir.path()).as_deref(), Some(four));

    // Summaries stored under another configuration are not this one's.
    let config = dir.path().join("newsmark.toml");
    let settings = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{settings}\n[severity]\nmissing-kind = \"info\"\n"),
    )
    .unwrap();
    assert_eq!(unchanged(dir.path()), None);
}

#[test]
fn no_progress_without_client_support() {
    let dir = fixture();
    let mut client = Client::start(dir.path(), Options::default());
    client.wait_for_index();
    client.request("newsmark/status", Value::Null).unwrap();
    assert!(
        !client
            .backlog
            .iter()
            .any(|m| m["method"] == "window/workDoneProgress/create" || m["method"] == "$/progress")
    );
}

#[test]
fn watched_files_are_registered_dynamically() {
    let dir = fixture();
    let mut client = Client::start(
        dir.path(),
        Options {
            watch_files: true,
            ..Options::default()
        },
    );
    let register = client.wait_for("client/registerCapability", |m| {
        m["method"] == "client/registerCapability"
    });
    let registration = &register["params"]["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(
        registration["registerOptions"]["watchers"],
        json!([{ "globPattern": "**/*.nmk" }, { "globPattern": "**/newsmark.toml" }])
    );
}

#[test]
fn removing_a_definition_on_disk_makes_undefined_entity_appear_and_restoring_clears_it() {
    let dir = fixture();
    let mut client = Client::start(dir.path(), Options::default());
    client.wait_for_index();
    let article = client.open(CRLF);
    client.diagnostics(&article, |d| {
        d.len() == 1 && !has_code(d, "undefined-entity")
    });

    let people_path = dir.path().join(PEOPLE);
    let original = std::fs::read_to_string(&people_path).unwrap();
    let start = original.find("@lavrov:").unwrap();
    let end = original.find("@choe:").unwrap();
    std::fs::write(
        &people_path,
        format!("{}{}", &original[..start], &original[end..]),
    )
    .unwrap();
    let people = client.uri(PEOPLE);
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": people, "type": 2 }] }),
    );
    let found = client.diagnostics(&article, |d| has_code(d, "undefined-entity"));
    let undefined: Vec<&Value> = found
        .iter()
        .filter(|d| d["code"] == "undefined-entity")
        .collect();
    assert_eq!(undefined.len(), 1);
    assert_eq!(undefined[0]["range"], range((4, 14), (4, 21)));
    assert!(
        undefined[0]["message"]
            .as_str()
            .unwrap()
            .contains("`@lavrov`")
    );

    std::fs::write(&people_path, &original).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": people, "type": 2 }] }),
    );
    client.diagnostics(&article, |d| {
        d.len() == 1 && !has_code(d, "undefined-entity")
    });

    // Deleting and creating a registry file.
    let orgs_path = dir.path().join("entities/orgs.nmk");
    let orgs = std::fs::read_to_string(&orgs_path).unwrap();
    std::fs::remove_file(&orgs_path).unwrap();
    let orgs_uri = client.uri("entities/orgs.nmk");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": orgs_uri, "type": 3 }] }),
    );
    let found = client.diagnostics(&article, |d| has_code(d, "undefined-entity"));
    assert!(
        found
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("`@tass`"))
    );
    std::fs::write(&orgs_path, orgs).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": orgs_uri, "type": 1 }] }),
    );
    client.diagnostics(&article, |d| {
        d.len() == 1 && !has_code(d, "undefined-entity")
    });
}

#[test]
fn duplicate_definitions_point_at_each_other_across_files() {
    let dir = fixture();
    let mut client = Client::start(dir.path(), Options::default());
    client.wait_for_index();
    let copy = client.uri("entities/copy.nmk");
    client.open_text(&copy, "%% a copy\n@tass: TASS again\n  kind: outlet\n");
    let found = client.diagnostics(&copy, |d| has_code(d, "duplicate-definition"));
    let duplicate = found
        .iter()
        .find(|d| d["code"] == "duplicate-definition")
        .unwrap();
    assert_eq!(duplicate["range"], range((1, 0), (1, 5)));
    assert_eq!(
        duplicate["relatedInformation"],
        json!([{
            "location": { "uri": client.uri("entities/orgs.nmk"), "range": range((14, 0), (14, 5)) },
            "message": "`@tass` is also defined here",
        }])
    );
}

/// A file created on disk joins the workspace only where `newsmark check`
/// would read it: not in a `.gitignore`d folder, nor in a hidden one.
#[test]
fn files_created_where_the_scan_does_not_look_stay_out() {
    let dir = fixture();
    std::fs::write(dir.path().join(".gitignore"), "drafts/\n").unwrap();
    let mut client = Client::start(dir.path(), Options::default());
    client.wait_for_index();
    let people = client.open(PEOPLE);
    client.diagnostics(&people, |d| !has_code(d, "duplicate-definition"));
    let copy = "@lavrov: Sergey Lavrov again\n  kind: person\n";
    for rel in ["drafts/copy.nmk", ".hidden/copy.nmk", "articles/copy.nmk"] {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, copy).unwrap();
        client.notify(
            "workspace/didChangeWatchedFiles",
            json!({ "changes": [{ "uri": client.uri(rel), "type": 1 }] }),
        );
    }
    // Events are handled in order: once the last file counts, so would the others.
    let found = client.diagnostics(&people, |d| has_code(d, "duplicate-definition"));
    let duplicate = found
        .iter()
        .find(|d| d["code"] == "duplicate-definition")
        .unwrap();
    let related: Vec<&Value> = duplicate["relatedInformation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["location"]["uri"])
        .collect();
    assert_eq!(related, [&json!(client.uri("articles/copy.nmk"))]);

    // Opened, an ignored file counts; closed, it is read from disk only
    // where the scan reads.
    let draft = client.open("drafts/copy.nmk");
    client.diagnostics(&people, |d| related_count(d) == 2);
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": draft } }),
    );
    client.diagnostics(&people, |d| related_count(d) == 1);
}

/// How many places the first `duplicate-definition` finding points to.
fn related_count(diagnostics: &[Value]) -> usize {
    diagnostics
        .iter()
        .find(|d| d["code"] == "duplicate-definition")
        .and_then(|d| d["relatedInformation"].as_array())
        .map_or(0, Vec::len)
}

#[test]
fn undefined_entity_suggests_near_ids_as_related_information_and_data() {
    let dir = fixture();
    let mut client = Client::start(dir.path(), Options::default());
    client.wait_for_index();
    let uri = client.uri("articles/typo.nmk");
    client.open_text(&uri, "Then @lavrv said so.\n");
    let found = client.diagnostics(&uri, |d| has_code(d, "undefined-entity"));
    let undefined = &found[0];
    assert_eq!(undefined["range"], range((0, 5), (0, 11)));
    assert_eq!(undefined["data"], json!({ "candidates": ["lavrov"] }));
    assert_eq!(
        undefined["relatedInformation"][0]["location"],
        json!({ "uri": client.uri(PEOPLE), "range": range((2, 0), (2, 7)) })
    );
}

#[test]
fn unused_entities_are_tagged_unnecessary() {
    let dir = fixture();
    let mut client = Client::start(dir.path(), Options::default());
    client.wait_for_index();
    let uri = client.uri("entities/extra.nmk");
    client.open_text(&uri, "@nobody-uses-me: Nobody\n  kind: person\n");
    let found = client.diagnostics(&uri, |d| has_code(d, "unused-entity"));
    assert_eq!(found[0]["tags"], json!([1]));
    assert_eq!(found[0]["severity"], 4);
}

#[test]
fn open_documents_override_the_disk() {
    let dir = fixture();
    let mut client = Client::start(dir.path(), Options::default());
    client.wait_for_index();
    let article = client.open(CRLF);
    let people = client.uri(PEOPLE);
    client.open_text(&people, "@someone-else: Someone\n  kind: person\n");
    client.diagnostics(&article, |d| has_code(d, "undefined-entity"));
    // A change on disk does not replace the open document.
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": people, "type": 2 }] }),
    );
    let served = client.document_text(&people);
    assert_eq!(served["text"], "@someone-else: Someone\n  kind: person\n");
    let found = client.diagnostics(&article, |d| has_code(d, "undefined-entity"));
    assert!(has_code(&found, "undefined-entity"));
}

#[test]
fn scan_skips_gitignored_hidden_and_excluded_files() {
    let dir = fixture();
    let duplicate = "@lavrov: Another Lavrov\n  kind: person\n";
    for path in ["ignored/a.nmk", ".hidden/b.nmk", "drafts/c.nmk"] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, duplicate).unwrap();
    }
    std::fs::write(dir.path().join(".gitignore"), "ignored/\n").unwrap();
    std::fs::write(
        dir.path().join("newsmark.toml"),
        "exclude = [\"drafts/**\"]\n",
    )
    .unwrap();
    let mut client = Client::start(dir.path(), Options::default());
    assert_eq!(client.wait_for_index()["files"], 5);
    let people = client.open(PEOPLE);
    let found = client.diagnostics(&people, |_| true);
    assert!(!has_code(&found, "duplicate-definition"), "{found:?}");
}

#[test]
fn configuration_changes_reload_severities_and_rescan() {
    let dir = fixture();
    let mut client = Client::start(dir.path(), Options::default());
    client.wait_for_index();
    let article = client.open(CRLF);
    client.diagnostics(&article, |d| d.len() == 1 && d[0]["severity"] == 2);
    std::fs::write(
        dir.path().join("newsmark.toml"),
        "exclude = [\"entities/orgs.nmk\"]\n\n[severity]\nunsourced-claim = \"error\"\n",
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": client.uri("newsmark.toml"), "type": 2 }] }),
    );
    let found = client.diagnostics(&article, |d| has_code(d, "undefined-entity"));
    let unsourced = found
        .iter()
        .find(|d| d["code"] == "unsourced-claim")
        .unwrap();
    assert_eq!(unsourced["severity"], 1);
    assert_eq!(client.wait_for_index()["files"], 4);

    // An invalid configuration is reported and the defaults apply.
    std::fs::write(
        dir.path().join("newsmark.toml"),
        "[severity]\nunsourced = \"error\"\n",
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": client.uri("newsmark.toml"), "type": 2 }] }),
    );
    let shown = client.wait_for("window/showMessage", |m| {
        m["method"] == "window/showMessage"
    });
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown diagnostic code `unsourced`")
    );
    client.diagnostics(&article, |d| d.len() == 1 && d[0]["severity"] == 2);
}

#[test]
fn pull_diagnostics_for_open_and_closed_files() {
    let dir = fixture();
    let mut client = Client::start(
        dir.path(),
        Options {
            pull_diagnostics: true,
            ..Options::default()
        },
    );
    client.wait_for_index();
    let visit = client.uri("articles/lavrov-visit.nmk");
    let report = client
        .request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": visit } }),
        )
        .unwrap();
    assert_eq!(report["kind"], "full");
    let codes: Vec<&str> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["unsourced-claim", "undefined-entity"]);
    let result_id = report["resultId"].as_str().unwrap().to_owned();
    let again = client
        .request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": visit }, "previousResultId": result_id }),
        )
        .unwrap();
    assert_eq!(again, json!({ "kind": "unchanged", "resultId": result_id }));

    let crlf = client.open(CRLF);
    let report = client
        .request("workspace/diagnostic", json!({ "previousResultIds": [] }))
        .unwrap();
    let items = report["items"].as_array().unwrap();
    assert_eq!(items.len(), 4, "every file but the open one");
    assert!(items.iter().all(|item| item["uri"] != crlf));
    let visit_report = items.iter().find(|item| item["uri"] == visit).unwrap();
    assert_eq!(visit_report["kind"], "full");
    assert_eq!(visit_report["items"].as_array().unwrap().len(), 2);
    let previous: Vec<Value> = items
        .iter()
        .map(|item| json!({ "uri": item["uri"], "value": item["resultId"] }))
        .collect();
    let report = client
        .request(
            "workspace/diagnostic",
            json!({ "previousResultIds": previous }),
        )
        .unwrap();
    assert!(
        report["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|item| item["kind"] == "unchanged")
    );

    // A pull client gets no pushed diagnostics (the default "auto" mode).
    client.request("newsmark/status", Value::Null).unwrap();
    assert!(
        !client
            .backlog
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics")
    );
}

#[test]
fn diagnostic_mode_push_overrides_pull_support() {
    let dir = fixture();
    let mut client = Client::start(
        dir.path(),
        Options {
            pull_diagnostics: true,
            initialization_options: Some(json!({ "diagnosticMode": "push" })),
            ..Options::default()
        },
    );
    let article = client.open(CRLF);
    client.diagnostics(&article, |d| d.len() == 1);
}

/// A document opened between `initialize` and `initialized` (before the
/// scan starts) must not be told that the registry's ids are undefined:
/// the index is incomplete until the first scan ends.
#[test]
fn documents_opened_before_the_scan_wait_for_it_for_cross_file_findings() {
    let dir = fixture();
    let mut client = Client::start(
        dir.path(),
        Options {
            send_initialized: false,
            ..Options::default()
        },
    );
    let article = client.open("articles/lavrov-visit.nmk");
    let early = client.diagnostics(&article, |d| !d.is_empty());
    assert!(
        early.iter().all(|d| d["code"] != "undefined-entity"),
        "undefined-entity before the index is complete: {early:?}"
    );
    client.notify("initialized", json!({}));
    let complete = client.diagnostics(&article, |d| {
        d.iter().any(|d| d["code"] == "undefined-entity")
    });
    let undefined: Vec<&Value> = complete
        .iter()
        .filter(|d| d["code"] == "undefined-entity")
        .collect();
    assert_eq!(undefined.len(), 1, "only @us is undefined: {undefined:?}");
}

/// A folder with a `newsmark.toml` of its own is a workspace of its own,
/// as for `newsmark check`: its ids resolve inside it, and a
/// `newsmark.toml` created in a folder makes it one at once.
#[test]
fn nested_corpora_are_workspaces_of_their_own() {
    let dir = fixture();
    crate::copy_dir(&crate::fixture_source(), &dir.path().join("copy"));
    std::fs::remove_file(dir.path().join("copy/newsmark.toml")).unwrap();
    let mut client = Client::start(dir.path(), Options::default());
    client.wait_for_index();
    // Without its own configuration, the copy's definitions clash.
    let people = client.open(PEOPLE);
    client.diagnostics(&people, |d| has_code(d, "duplicate-definition"));

    std::fs::write(dir.path().join("copy/newsmark.toml"), "").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": client.uri("copy/newsmark.toml"), "type": 1 }] }),
    );
    client.diagnostics(&people, |d| !has_code(d, "duplicate-definition"));
    client.wait_for_index();
    let visit = client.open("copy/articles/lavrov-visit.nmk");
    let found = client
        .request(
            "textDocument/definition",
            json!({ "textDocument": { "uri": visit }, "position": { "line": 10, "character": 25 } }),
        )
        .unwrap();
    assert_eq!(
        found,
        json!([{ "uri": client.uri("copy/entities/people.nmk"), "range": range((2, 0), (2, 7)) }])
    );
    let copy_people = client.open("copy/entities/people.nmk");
    let found = client.diagnostics(&copy_people, |_| true);
    assert!(!has_code(&found, "duplicate-definition"), "{found:?}");
}

/// A workspace folder inside a corpus is read as its corpus (the nearest
/// `newsmark.toml` above), and closing a registry above the folder keeps
/// it in the workspace.
#[test]
fn a_registry_above_the_workspace_folder_stays_after_it_is_closed() {
    let dir = fixture();
    let mut client = Client::start(&dir.path().join("articles"), Options::default());
    let files = client.wait_for_index()["files"].clone();
    assert_eq!(files, 5);
    let people = crate::client::file_uri(&dir.path().join(PEOPLE));
    let text = std::fs::read_to_string(dir.path().join(PEOPLE)).unwrap();
    client.open_text(&people, &text);
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": people } }),
    );
    assert_eq!(client.wait_for_index()["files"], files);
    let article = client.open("lavrov-visit.nmk");
    let found = client.diagnostics(&article, |_| true);
    let lavrov_undefined = found.iter().any(|d| {
        d["message"]
            .as_str()
            .unwrap()
            .contains("`@lavrov` is not defined")
    });
    assert!(!lavrov_undefined, "{found:?}");
}

/// Workspace folders nested without a `newsmark.toml` are one workspace,
/// the outer folder's, as for `newsmark check outer outer/inner`: for
/// documents opened while the scan runs and files created after it.
#[test]
fn nested_workspace_folders_without_configuration_are_one_workspace() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("inner")).unwrap();
    std::fs::write(dir.path().join("people.nmk"), "@x: X\n  kind: person\n").unwrap();
    std::fs::write(dir.path().join("inner/a.nmk"), "{A claim | @x}\n").unwrap();
    let mut client = Client::start(
        dir.path(),
        Options {
            more_folders: vec![dir.path().join("inner")],
            ..Options::default()
        },
    );
    let opened = client.open("inner/a.nmk");
    assert_eq!(client.wait_for_index()["files"], 2);
    let found = client.diagnostics(&opened, |_| true);
    assert!(!has_code(&found, "undefined-entity"), "{found:?}");
    std::fs::write(dir.path().join("inner/b.nmk"), "{B claim | @x}\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": client.uri("inner/b.nmk"), "type": 1 }] }),
    );
    assert_eq!(client.wait_for_index()["files"], 3);
    let created = client.open("inner/b.nmk");
    let found = client.diagnostics(&created, |_| true);
    assert!(!has_code(&found, "undefined-entity"), "{found:?}");
}
