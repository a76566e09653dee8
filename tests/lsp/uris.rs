//! Documents by URI: the spellings of one file's URI name one document
//! (docs/lsp.md, "Documents and URIs"), Windows URIs included, and answers
//! name open documents as the client does.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::client::{Client, Options, file_uri};
use crate::{at, pos};

const PEOPLE: &str = "@lavrov: Sergey Lavrov\n  kind: person\n";
const VISIT: &str = "The minister [Lavrov]@lavrov arrived.\n";

/// The URIs of a list of locations.
fn uris(locations: &Value) -> BTreeSet<String> {
    let locations = match locations {
        Value::Array(locations) => locations.clone(),
        location => vec![location.clone()],
    };
    locations
        .iter()
        .map(|location| location["uri"].as_str().unwrap().to_owned())
        .collect()
}

/// The documents a `changes` workspace edit touches, with how many edits
/// each gets.
fn changed(edit: &Value) -> BTreeSet<(String, usize)> {
    let changes = edit["changes"].as_object().expect("`changes`");
    changes
        .iter()
        .map(|(uri, edits)| (uri.clone(), edits.as_array().unwrap().len()))
        .collect()
}

fn status(client: &mut Client) -> Value {
    client.request("newsmark/status", Value::Null).unwrap()
}

#[test]
fn windows_uris_name_one_document_and_come_back_as_the_client_sent_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::start(dir.path(), Options::default());
    client.wait_for_index();
    // VS Code's spelling, and another one.
    let people = "file:///c%3A/Users/x/news/people.nmk";
    let visit = "file:///C:/Users/x/news/visit.nmk";
    client.open_text(people, PEOPLE);
    client.open_text(visit, VISIT);
    assert_eq!(status(&mut client)["openDocuments"], 2);

    // Asked under other spellings, answered with the client's own.
    let mention = pos(0, 22);
    let found = client
        .request(
            "textDocument/definition",
            at("file:///c:/Users/x/news/visit.nmk", mention.clone()),
        )
        .unwrap();
    assert_eq!(uris(&found), BTreeSet::from([people.to_owned()]));

    let mut params = at("file:///C%3a/Users/x/./news/people.nmk", pos(0, 1));
    params["context"] = json!({ "includeDeclaration": true });
    let found = client.request("textDocument/references", params).unwrap();
    assert_eq!(
        uris(&found),
        BTreeSet::from([people.to_owned(), visit.to_owned()])
    );

    let mut params = at("file:///c%3A/Users/x/news/../news/visit.nmk", mention);
    params["newName"] = json!("sergey-lavrov");
    let edit = client.request("textDocument/rename", params).unwrap();
    assert_eq!(
        changed(&edit),
        BTreeSet::from([(people.to_owned(), 1), (visit.to_owned(), 1)])
    );

    let symbols = client
        .request("workspace/symbol", json!({ "query": "lavrov" }))
        .unwrap();
    let locations: Vec<Value> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|symbol| symbol["location"].clone())
        .collect();
    assert_eq!(uris(&json!(locations)), BTreeSet::from([people.to_owned()]));

    // The code lens's references, and running them as a command: every
    // location is a document of the workspace.
    let lenses = client
        .request(
            "textDocument/codeLens",
            json!({ "textDocument": { "uri": people } }),
        )
        .unwrap();
    let lens = client
        .request("codeLens/resolve", lenses[0].clone())
        .unwrap();
    let arguments = lens["command"]["arguments"].clone();
    assert_eq!(arguments[0], people);
    assert_eq!(uris(&arguments[2]), BTreeSet::from([visit.to_owned()]));
    let answer = client.request(
        "workspace/executeCommand",
        json!({ "command": "newsmark.showReferences", "arguments": arguments }),
    );
    assert_eq!(answer.unwrap(), arguments[2]);

    // Closed under another spelling: gone (it is not on this disk).
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": "file:///c:/Users/x/news/visit.nmk" } }),
    );
    let status = status(&mut client);
    assert_eq!(status["openDocuments"], 1);
    assert_eq!(status["files"], 1);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn aliases_of_a_file_on_disk_are_one_document() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("people.nmk"), PEOPLE).unwrap();
    std::fs::write(dir.path().join("visit.nmk"), VISIT).unwrap();
    let mut client = Client::start(dir.path(), Options::default());
    client.wait_for_index();
    let root = file_uri(dir.path());
    let folder = root.strip_prefix("file://").unwrap();
    // `localhost`, a folder that is left again, `.`, `//`, and an encoded `p`.
    let people = format!("file://localhost{folder}/sub/.././/%70eople.nmk");
    client.open_text(&people, PEOPLE);
    assert_eq!(status(&mut client)["files"], 2);
    let found = client.diagnostics(&people, |_| true);
    assert!(
        !found.iter().any(|d| d["code"] == "duplicate-definition"),
        "{found:?}"
    );

    // One edit per file: the open one under the client's name for it.
    let visit = client.uri("visit.nmk");
    let mut params = at(&visit, pos(0, 22));
    params["newName"] = json!("sergey-lavrov");
    let edit = client.request("textDocument/rename", params).unwrap();
    assert_eq!(
        changed(&edit),
        BTreeSet::from([(people.clone(), 1), (visit.clone(), 1)])
    );
    // So do references: the definition in the open document, the use in
    // the closed one.
    let mut params = at(&visit, pos(0, 22));
    params["context"] = json!({ "includeDeclaration": true });
    let found = client.request("textDocument/references", params).unwrap();
    assert_eq!(
        uris(&found),
        BTreeSet::from([people.clone(), visit.clone()])
    );

    // Closed under the plain spelling: the file on disk answers again,
    // named by its path.
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": client.uri("people.nmk") } }),
    );
    let status = status(&mut client);
    assert_eq!(status["openDocuments"], 0);
    assert_eq!(status["files"], 2);
    let mut params = at(&visit, pos(0, 22));
    params["context"] = json!({ "includeDeclaration": true });
    let found = client.request("textDocument/references", params).unwrap();
    assert_eq!(
        uris(&found),
        BTreeSet::from([client.uri("people.nmk"), visit])
    );
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn workspace_diagnostics_know_their_result_ids_under_any_spelling() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("people.nmk"), PEOPLE).unwrap();
    std::fs::write(dir.path().join("visit.nmk"), VISIT).unwrap();
    let mut client = Client::start(
        dir.path(),
        Options {
            pull_diagnostics: true,
            ..Options::default()
        },
    );
    client.wait_for_index();
    let report = client
        .request("workspace/diagnostic", json!({ "previousResultIds": [] }))
        .unwrap();
    let items = report["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    // The client's ids, under URIs it spells its own way.
    let previous: Vec<Value> = items
        .iter()
        .map(|item| {
            let uri = item["uri"].as_str().unwrap();
            let spelled = uri.replacen("file://", "file://localhost", 1);
            json!({ "uri": spelled.replace(".nmk", "%2Enmk"), "value": item["resultId"] })
        })
        .collect();
    let report = client
        .request(
            "workspace/diagnostic",
            json!({ "previousResultIds": previous }),
        )
        .unwrap();
    let kinds: Vec<&Value> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| &item["kind"])
        .collect();
    assert_eq!(kinds, ["unchanged", "unchanged"]);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn odd_uris_are_documents_of_their_own_and_the_server_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("people.nmk"), PEOPLE).unwrap();
    let mut client = Client::start(dir.path(), Options::default());
    client.wait_for_index();
    let root = file_uri(dir.path());
    let odd = [
        "untitled:Untitled-1",
        "file:///%FF.nmk",
        "file://server/share/a.nmk",
        "file:///a.nmk?query",
        "file:",
        "file:///c:",
        "file:///..",
    ];
    for (n, uri) in odd.iter().enumerate() {
        client.open_text(uri, &format!("[Lavrov]@lavrov {n}\n"));
    }
    // Watched files whose names cannot be files: nothing is read.
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [
            { "uri": format!("{root}/%00.nmk"), "type": 1 },
            { "uri": format!("{root}/sub/%2E%2E/%2E%2E/x.nmk"), "type": 2 },
        ] }),
    );
    let status = status(&mut client);
    assert_eq!(status["openDocuments"], odd.len());
    assert_eq!(status["files"], odd.len() + 1);
    for (n, uri) in odd.iter().enumerate() {
        let served = client.document_text(uri);
        assert_eq!(served["uri"], *uri);
        assert_eq!(served["text"], format!("[Lavrov]@lavrov {n}\n"));
        let found = client
            .request("textDocument/definition", at(uri, pos(0, 10)))
            .unwrap();
        if *uri == "file:///.." {
            // The file system's root, outside the workspace folder: a
            // workspace of its own, as for `newsmark check /`.
            assert!(found.is_null(), "{found}");
        } else {
            // Not files: they join the workspace folder's workspace.
            assert_eq!(
                uris(&found),
                BTreeSet::from([client.uri("people.nmk")]),
                "{uri}"
            );
        }
    }
    assert_eq!(client.shutdown(), Some(0));
}
