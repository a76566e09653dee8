//! Bad input and the engineering traps: every case gets an error answer
//! or a logged warning, and the server keeps serving with every open
//! document intact.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::client::{Client, Options};
use crate::{at, fixture, pos, range};

const VISIT: &str = "articles/lavrov-visit.nmk";

/// The server still answers, and the open document is as it was.
fn assert_still_serving(client: &mut Client, uri: &str, text: &str) {
    let served = client.document_text(uri);
    assert_eq!(served["text"].as_str().unwrap(), text);
    let hover = client
        .request("textDocument/hover", at(uri, pos(10, 24)))
        .unwrap();
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Sergey Lavrov")
    );
}

fn start() -> (tempfile::TempDir, Client, String, String) {
    start_with(Options::default())
}

/// [`start`] with `options`.
fn start_with(options: Options) -> (tempfile::TempDir, Client, String, String) {
    let dir = fixture();
    let mut client = Client::start(dir.path(), options);
    client.wait_for_index();
    let uri = client.open(VISIT);
    let text = std::fs::read_to_string(dir.path().join(VISIT)).unwrap();
    (dir, client, uri, text)
}

#[test]
fn invalid_json_gets_a_parse_error() {
    let (_dir, mut client, uri, text) = start();
    client.send_raw(b"{\"jsonrpc\": \"2.0\", \"id\": 1, oops");
    let error = client.wait_for("the parse error", |m| m["error"].is_object());
    assert_eq!(error["id"], Value::Null);
    assert_eq!(error["error"]["code"], -32700);
    // Valid JSON that is not a message.
    client.send_raw(b"[1, 2, 3]");
    let error = client.wait_for("the invalid request error", |m| m["error"].is_object());
    assert_eq!(error["error"]["code"], -32600);
    assert_still_serving(&mut client, &uri, &text);
}

#[test]
fn unknown_methods_get_method_not_found() {
    let (_dir, mut client, uri, text) = start();
    let error = client
        .request("newsmark/noSuchRequest", json!({}))
        .unwrap_err();
    assert_eq!(error["code"], -32601);
    client.notify("newsmark/noSuchNotification", json!({}));
    assert_still_serving(&mut client, &uri, &text);
}

#[test]
fn requests_for_unknown_documents_get_invalid_params() {
    let (_dir, mut client, uri, text) = start();
    for method in [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/references",
        "textDocument/completion",
        "textDocument/diagnostic",
    ] {
        let mut params = at("file:///nowhere/missing.nmk", pos(0, 0));
        if method == "textDocument/references" {
            params["context"] = json!({ "includeDeclaration": true });
        }
        let error = client.request(method, params).unwrap_err();
        assert_eq!(error["code"], -32602, "{method}");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("unknown document"),
            "{error}"
        );
    }
    // Malformed parameters (references, completion and pulled diagnostics
    // are answered outside tower-lsp: see `server::Intake`).
    for method in [
        "textDocument/hover",
        "textDocument/references",
        "textDocument/completion",
        "textDocument/diagnostic",
    ] {
        let error = client
            .request(method, json!({ "textDocument": 3 }))
            .unwrap_err();
        assert_eq!(error["code"], -32602, "{method}");
    }
    // Notifications about unknown documents are logged.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": "file:///nowhere/missing.nmk", "version": 2 },
            "contentChanges": [{ "text": "x" }]
        }),
    );
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": "file:///nowhere/other.nmk" } }),
    );
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": "not an object" }),
    );
    assert_still_serving(&mut client, &uri, &text);
    let log = client.wait_for_log(|log| {
        log.contains("didChange for a document that is not open")
            && log.contains("didClose for a document that is not open")
            && log.contains("textDocument/didOpen with invalid parameters ignored")
    });
    assert!(
        log.contains("didChange for a document that is not open"),
        "{log}"
    );
    assert!(
        log.contains("didClose for a document that is not open"),
        "{log}"
    );
    assert!(
        log.contains("textDocument/didOpen with invalid parameters ignored"),
        "{log}"
    );
}

#[test]
fn out_of_range_positions_clamp() {
    let (_dir, mut client, uri, text) = start();
    // Past the last line: the end of the text.
    let hover = client
        .request("textDocument/hover", at(&uri, pos(999, 999)))
        .unwrap();
    assert_eq!(hover, Value::Null);
    // Past the end of line 10: its end, inside `[The foreign minister]@lavrov`
    // only when the column is clamped to the line.
    let line = text.lines().nth(10).unwrap();
    let hover = client
        .request("textDocument/hover", at(&uri, pos(10, 28)))
        .unwrap();
    assert!(hover.is_object());
    let clamped = client
        .request("textDocument/definition", at(&uri, pos(10, 9999)))
        .unwrap();
    assert_eq!(clamped, Value::Null, "line 10 ends in prose: {line}");
    // An edit whose range runs past the end clamps too.
    let scratch = client.uri("articles/scratch.nmk");
    client.open_text(&scratch, "ab\ncd");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": scratch, "version": 2 },
            "contentChanges": [{ "range": range((0, 99), (99, 0)), "text": "!" }]
        }),
    );
    assert_eq!(client.document_text(&scratch)["text"], "ab!");
    assert_still_serving(&mut client, &uri, &text);
}

#[test]
fn a_change_whose_version_goes_backwards_is_refused_and_logged() {
    let (_dir, mut client, uri, text) = start();
    let scratch = client.uri("articles/scratch.nmk");
    client.open_text(&scratch, "abc\n");
    let change = |version: i32, text: &str, start: (u32, u32), end: (u32, u32)| {
        json!({
            "textDocument": { "uri": scratch, "version": version },
            "contentChanges": [{ "range": range(start, end), "text": text }]
        })
    };
    client.notify("textDocument/didChange", change(5, "X", (0, 0), (0, 1)));
    client.notify("textDocument/didChange", change(3, "Y", (0, 0), (0, 1)));
    // A range that ends before it starts is refused too.
    client.notify("textDocument/didChange", change(6, "Z", (0, 2), (0, 1)));
    let served = client.document_text(&scratch);
    assert_eq!(served["text"], "Xbc\n");
    assert_eq!(served["version"], 5);
    let log = client.wait_for_log(|log| {
        log.contains("version 3 is older than the document's version 5")
            && log.contains("has a range that ends before it starts")
    });
    assert!(
        log.contains("version 3 is older than the document's version 5"),
        "{log}"
    );
    assert!(
        log.contains("has a range that ends before it starts"),
        "{log}"
    );
    // The next good change applies.
    client.notify("textDocument/didChange", change(7, "W", (0, 1), (0, 2)));
    assert_eq!(client.document_text(&scratch)["text"], "XWc\n");
    assert_still_serving(&mut client, &uri, &text);
}

#[test]
fn invalid_utf8_on_disk_is_skipped_with_a_warning() {
    let dir = fixture();
    let latin1 = dir.path().join("articles/latin1.nmk");
    std::fs::write(&latin1, b"caf\xe9 {x}\n").unwrap();
    let mut client = Client::start(dir.path(), Options::default());
    assert_eq!(client.wait_for_index()["files"], 5);
    // Also through a watched-file event.
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": client.uri("articles/latin1.nmk"), "type": 2 }] }),
    );
    let uri = client.open(VISIT);
    let text = std::fs::read_to_string(dir.path().join(VISIT)).unwrap();
    assert_still_serving(&mut client, &uri, &text);
    let log = client.wait_for_log(|log| {
        log.contains(
            "latin1.nmk: not valid UTF-8 (byte 3, line 1); save the file as UTF-8; skipped",
        )
    });
    assert!(
        log.contains(
            "latin1.nmk: not valid UTF-8 (byte 3, line 1); save the file as UTF-8; skipped"
        ),
        "{log}"
    );
}

#[test]
fn a_50_mb_document_is_reported_and_the_server_keeps_serving() {
    let (_dir, mut client, uri, text) = start();
    let paragraph = "[Lavrov]@lavrov said {the talks went well | @tass} in Pyongyang.\n\n";
    let big: String = paragraph.repeat(50_000_000 / paragraph.len() + 1);
    let big_uri = client.uri("articles/big.nmk");
    let started = Instant::now();
    client.open_text(&big_uri, &big);
    let found = client.diagnostics(&big_uri, |d| !d.is_empty());
    assert_eq!(found[0]["code"], "syntax");
    assert!(
        found[0]["message"].as_str().unwrap().contains("too large"),
        "{found:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_still_serving(&mut client, &uri, &text);
    let log = client.wait_for_log(|log| log.contains("big.nmk") && log.contains("not parsed"));
    assert!(
        log.contains("big.nmk") && log.contains("not parsed"),
        "{log}"
    );
}

#[test]
fn hundred_thousand_nested_braces() {
    let (_dir, mut client, uri, text) = start();
    let nested_uri = client.uri("articles/nested.nmk");
    let nested = format!("{}x{}\n", "{".repeat(100_000), "}".repeat(100_000));
    client.open_text(&nested_uri, &nested);
    let symbols = client
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": nested_uri } }),
        )
        .unwrap();
    assert!(symbols.is_array());
    let hover = client
        .request("textDocument/hover", at(&nested_uri, pos(0, 50_000)))
        .unwrap();
    assert!(hover.is_null() || hover.is_object());
    let unclosed_uri = client.uri("articles/unclosed.nmk");
    client.open_text(&unclosed_uri, &"{".repeat(100_000));
    client.diagnostics(&unclosed_uri, |d| d.iter().any(|d| d["code"] == "syntax"));
    client
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": unclosed_uri } }),
        )
        .unwrap();
    assert_still_serving(&mut client, &uri, &text);
}

#[test]
fn a_panic_in_one_request_is_answered_with_an_error_and_the_server_keeps_serving() {
    let (_dir, mut client, uri, text) = start_with(Options {
        env: vec![("NEWSMARK_DEBUG_REQUESTS", "1")],
        ..Options::default()
    });
    let error = client
        .request("newsmark/debugPanic", Value::Null)
        .unwrap_err();
    assert_eq!(error["code"], -32603);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("internal error while answering newsmark/debugPanic")
    );
    assert_still_serving(&mut client, &uri, &text);
    let log = client.wait_for_log(|log| log.contains("panic while answering newsmark/debugPanic"));
    assert!(
        log.contains("panic while answering newsmark/debugPanic"),
        "the panic was not logged:\n{log}"
    );
}

#[test]
fn a_panic_while_analysing_an_edit_leaves_the_state_fully_updated() {
    let (_dir, mut client, uri, text) = start_with(Options {
        env: vec![("NEWSMARK_DEBUG_REQUESTS", "1")],
        ..Options::default()
    });
    // Analysing a text that holds the marker panics. The panic killed the
    // state thread (the reparse ran outside any guard): nothing answered.
    let edited = format!("{text}\n%% newsmark/debugPanic\n\n{{A new claim}}.\n");
    let claim_line = edited
        .lines()
        .position(|line| line == "{A new claim}.")
        .unwrap();
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "text": edited }],
        }),
    );
    let log = client.wait_for_log(|log| log.contains("rebuilding the workspace"));
    assert!(log.contains("rebuilding the workspace"), "{log}");
    // The rebuild rescans the disk: the registry is back once it ends.
    client.wait_for_index();
    // The document is the client's, the registry on disk is back, and the
    // rebuilt index has the edit: its new claim is reported.
    assert_still_serving(&mut client, &uri, &edited);
    client.diagnostics(&uri, |found| {
        found
            .iter()
            .any(|d| d["code"] == "unsourced-claim" && d["range"]["start"]["line"] == claim_line)
    });
}

/// A server started with `options` on the fixture and a file on disk
/// whose indexing panics (with the debug requests on).
fn start_with_a_file_that_panics_indexing(mut options: Options) -> (tempfile::TempDir, Client) {
    let dir = fixture();
    std::fs::write(
        dir.path().join("articles/panics.nmk"),
        "%% newsmark/debugPanic\n",
    )
    .unwrap();
    options.env.push(("NEWSMARK_DEBUG_REQUESTS", "1"));
    let client = Client::start(dir.path(), options);
    (dir, client)
}

/// A file on disk that makes indexing panic would make every rescan panic
/// too: the server rescans once, then stops indexing, says so, and keeps
/// serving its open documents, instead of rebuilding and rescanning for
/// ever.
#[test]
fn a_file_that_makes_indexing_panic_does_not_make_the_server_rescan_for_ever() {
    let (_dir, mut client) = start_with_a_file_that_panics_indexing(Options::default());
    let error = client.wait_for("the message that indexing stopped", |m| {
        m["method"] == "window/showMessage"
    });
    assert_eq!(error["params"]["type"], 1);
    assert!(
        error["params"]["message"]
            .as_str()
            .unwrap()
            .contains("stopped indexing")
    );
    // The open document is analysed; the registry on disk is not known.
    let uri = client.open(VISIT);
    let found = client.diagnostics(&uri, |d| !d.is_empty());
    assert!(found.iter().any(|d| d["code"] == "undefined-entity"));
    let status = client.request("newsmark/status", Value::Null).unwrap();
    assert_eq!(status["indexing"], false);
    let log = client.stderr();
    assert_eq!(
        log.matches("a panic while indexing").count(),
        2,
        "one scan, one rescan:\n{log}"
    );
}

/// A scan that a newer one replaces (here the rescan after a panic), or
/// that the server gives up on (the rescan panicking too), ends its
/// progress with `stopped`: no bar is left open, none says it indexed.
#[test]
fn every_scan_ends_its_progress_even_when_a_newer_one_replaces_it() {
    let (_dir, mut client) = start_with_a_file_that_panics_indexing(Options {
        work_done_progress: true,
        ..Options::default()
    });
    let mut open = std::collections::BTreeSet::new();
    let mut ended = Vec::new();
    // One scan, one rescan, each panicking on the same file.
    while ended.len() < 2 {
        let progress = client.wait_for("progress", |m| m["method"] == "$/progress");
        let token = progress["params"]["token"].as_str().unwrap().to_owned();
        match progress["params"]["value"]["kind"].as_str().unwrap() {
            "begin" => assert!(open.insert(token)),
            "report" => assert!(open.contains(&token)),
            _ => {
                assert!(open.remove(&token), "{token} ended twice or never began");
                ended.push(progress["params"]["value"]["message"].clone());
            }
        }
    }
    assert!(open.is_empty(), "{open:?}");
    // The first scan stopped when the rescan took over; the rescan when
    // the server gave up indexing: neither says it indexed the files.
    assert_eq!(ended, ["stopped", "stopped"]);
}

#[test]
fn a_client_that_never_answers_server_requests_blocks_nothing() {
    let dir = fixture();
    let mut client = Client::start(
        dir.path(),
        Options {
            watch_files: true,
            work_done_progress: true,
            answer_server_requests: false,
            ..Options::default()
        },
    );
    client.wait_for("client/registerCapability", |m| {
        m["method"] == "client/registerCapability"
    });
    client.wait_for("window/workDoneProgress/create", |m| {
        m["method"] == "window/workDoneProgress/create"
    });
    client.wait_for_index();
    let uri = client.open(VISIT);
    // More requests in flight than tower-lsp's four handler slots.
    let ids: Vec<i64> = (0..12)
        .map(|_| client.send_request("textDocument/hover", at(&uri, pos(10, 24))))
        .collect();
    for id in ids {
        let hover = client.response(id).unwrap();
        assert!(
            hover["contents"]["value"]
                .as_str()
                .unwrap()
                .contains("Sergey Lavrov")
        );
    }
    client.diagnostics(&uri, |d| d.len() == 2);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn logs_go_to_stderr_and_exit_without_shutdown_is_an_error() {
    let dir = fixture();
    let mut client = Client::start(dir.path(), Options::default());
    client.wait_for_index();
    assert!(
        client
            .wait_for_log(|log| log.contains("initialize"))
            .contains("initialize")
    );
    client.notify("exit", Value::Null);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(code) = client.exit_code() {
            assert_eq!(code, 1);
            break;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn started_with_the_stdio_flag_that_language_clients_add_it_serves() {
    // vscode-languageclient appends `--stdio` to a stdio server's arguments,
    // and so do coc.nvim and others.
    let dir = fixture();
    let mut client = Client::start(
        dir.path(),
        Options {
            args: vec!["lsp", "--stdio"],
            ..Options::default()
        },
    );
    client.wait_for_index();
    let uri = client.open(VISIT);
    let text = std::fs::read_to_string(dir.path().join(VISIT)).unwrap();
    assert_still_serving(&mut client, &uri, &text);
    assert_eq!(client.shutdown(), Some(0));
}
