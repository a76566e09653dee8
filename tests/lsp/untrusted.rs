//! A workspace and a client that cannot be trusted (issue 16): a registry
//! in `newsmark.toml` that leads out of the root, `newsmark.showReferences`
//! with a URI outside the workspace, a client process that dies,
//! messages before `initialize`, and a planted `.newsmark_cache`.

use std::io::{BufReader, Write as _};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::client::{Client, Options, file_uri, read_frame};
use crate::{fixture, pos, range};

const VISIT: &str = "articles/lavrov-visit.nmk";

#[test]
fn a_registry_outside_the_root_is_reported_and_not_used() {
    let dir = fixture();
    let config = dir.path().join("newsmark.toml");
    std::fs::write(
        &config,
        "# hostile\nregistry = \"../outside/new-evil.sh\"\n",
    )
    .unwrap();
    let mut client = Client::start(
        dir.path(),
        Options {
            capabilities: Some(json!({ "workspace": { "workspaceEdit": {
                "documentChanges": true,
                "resourceOperations": ["create"],
            } } })),
            ..Options::default()
        },
    );
    let shown = client.wait_for("window/showMessage", |m| {
        m["method"] == "window/showMessage"
    });
    assert_eq!(
        shown["params"]["message"],
        format!(
            "{}: line 2: `registry`: `../outside/new-evil.sh` leads outside the workspace root; using the default configuration",
            config.display()
        )
    );
    client.wait_for_index();
    // "Define" goes into the current file: nothing is created elsewhere.
    let visit = client.open(VISIT);
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": visit },
                "range": range((15, 18), (15, 19)),
                "context": { "diagnostics": [] },
            }),
        )
        .unwrap();
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|action| action["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Define `@us` in this file"), "{titles:?}");
    assert!(!actions.to_string().contains("evil"), "{actions}");
}

#[test]
fn show_references_shows_only_documents_of_the_workspace() {
    let dir = fixture();
    let mut client = Client::start(
        dir.path(),
        Options {
            capabilities: Some(json!({ "window": { "showDocument": { "support": true } } })),
            ..Options::default()
        },
    );
    client.wait_for_index();
    let visit = client.uri(VISIT);
    for foreign in ["file:///etc/shadow", "https://example.com/x.nmk"] {
        let locations = json!([
            { "uri": visit, "range": range((0, 0), (0, 1)) },
            { "uri": foreign, "range": range((0, 0), (0, 1)) },
        ]);
        let error = client
            .request(
                "workspace/executeCommand",
                json!({
                    "command": "newsmark.showReferences",
                    "arguments": [visit, pos(0, 0), locations],
                }),
            )
            .unwrap_err();
        assert_eq!(error["code"], -32602, "{error}");
        assert!(
            error["message"].as_str().unwrap().contains(foreign),
            "{error}"
        );
    }
    // A document of the workspace is shown.
    let locations = json!([{ "uri": visit, "range": range((0, 0), (0, 1)) }]);
    client
        .request(
            "workspace/executeCommand",
            json!({
                "command": "newsmark.showReferences",
                "arguments": [visit, pos(0, 0), locations],
            }),
        )
        .unwrap();
    let shown = client.wait_for("window/showDocument", |m| {
        m["method"] == "window/showDocument"
    });
    assert_eq!(shown["params"]["uri"], visit);
    assert!(
        !client
            .backlog
            .iter()
            .any(|m| m["method"] == "window/showDocument"),
        "only one document was shown: {:?}",
        client.backlog
    );
}

/// The server looks on unix only (docs/lsp.md).
#[cfg(unix)]
#[test]
fn the_server_exits_when_the_client_process_dies() {
    let dir = fixture();
    let mut parent = Command::new("sleep").arg("1").spawn().unwrap();
    let mut client = Client::start(
        dir.path(),
        Options {
            process_id: Some(parent.id()),
            ..Options::default()
        },
    );
    client.wait_for_index();
    assert_eq!(
        client.exit_code(),
        None,
        "the server runs while its client lives"
    );
    // Reaped, so that its process id is free (a zombie still counts).
    parent.wait().unwrap();
    let died = Instant::now();
    while client.exit_code().is_none() {
        assert!(
            died.elapsed() < Duration::from_secs(10),
            "the server outlived its client by 10 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(client.exit_code(), Some(1), "no shutdown came first");
    assert!(
        client
            .stderr()
            .contains("the client process named at initialize has exited"),
        "{}",
        client.stderr()
    );
}

#[cfg(unix)]
#[test]
fn a_client_process_not_visible_from_the_start_is_not_watched() {
    // As from another PID namespace (`docker exec`): the server stopped
    // after a second though its client was alive.
    let dir = fixture();
    let pid_max: u32 = std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .map_or(32_768, |text| text.trim().parse().unwrap());
    let unseen = pid_max - 1;
    assert!(
        !std::path::Path::new(&format!("/proc/{unseen}")).exists(),
        "process {unseen} exists"
    );
    let mut client = Client::start(
        dir.path(),
        Options {
            process_id: Some(unseen),
            ..Options::default()
        },
    );
    client.wait_for_index();
    std::thread::sleep(Duration::from_millis(2_500));
    assert_eq!(client.exit_code(), None, "{}", client.stderr());
    assert!(
        client
            .stderr()
            .contains("is not visible from here; not watched"),
        "{}",
        client.stderr()
    );
}

#[test]
fn messages_before_initialize_are_refused_or_dropped() {
    let dir = fixture();
    let mut server = Command::new(env!("CARGO_BIN_EXE_newsmark"))
        .arg("lsp")
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = server.stdin.take().unwrap();
    let mut stdout = BufReader::new(server.stdout.take().unwrap());
    let mut send = |message: Value| {
        let body = message.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    };
    let mut next =
        || -> Value { serde_json::from_slice(&read_frame(&mut stdout).unwrap()).unwrap() };
    let root = file_uri(dir.path());
    let uri = format!("{root}/articles/early.nmk");
    send(
        json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": { "uri": uri, "languageId": "newsmark", "version": 1, "text": "@early: Early\n" },
    } }),
    );
    send(json!({ "jsonrpc": "2.0", "id": 1, "method": "newsmark/status", "params": null }));
    let answer = next();
    assert_eq!(
        (answer["id"].clone(), answer["error"]["code"].clone()),
        (json!(1), json!(-32002))
    );
    // References and completion, which the server answers outside
    // tower-lsp once initialized, are refused the same way before; so is
    // `shutdown`, which then shuts nothing.
    let at_early = json!({
        "textDocument": { "uri": uri }, "position": { "line": 0, "character": 1 },
    });
    let params = |method: &str| match method {
        "textDocument/references" => {
            let mut params = at_early.clone();
            params["context"] = json!({ "includeDeclaration": true });
            params
        }
        "textDocument/completion" => at_early.clone(),
        _ => Value::Null,
    };
    let directly = ["textDocument/references", "textDocument/completion"];
    for method in directly.into_iter().chain(["shutdown"]) {
        send(json!({ "jsonrpc": "2.0", "id": method, "method": method, "params": params(method) }));
        let answer = next();
        assert_eq!(
            (answer["id"].clone(), answer["error"]["code"].clone()),
            (json!(method), json!(-32002))
        );
    }
    send(
        json!({ "jsonrpc": "2.0", "id": 2, "method": "initialize", "params": {
        "processId": null, "rootUri": root, "capabilities": {},
    } }),
    );
    assert_eq!(next()["id"], 2);
    send(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
    // The answer to request `id`, past the notifications before it.
    let mut answer_to = |id: Value| loop {
        let message = next();
        if message["id"] == id {
            break message;
        }
    };
    send(
        json!({ "jsonrpc": "2.0", "id": 3, "method": "newsmark/documentText",
        "params": { "uri": uri } }),
    );
    let answer = answer_to(json!(3));
    // The document was never opened: the server does not know it, and
    // says so for references and completion too (tower-lsp, which does
    // not answer them, would say `Method not found`).
    assert_eq!(answer["error"]["code"], -32602, "{answer}");
    for method in directly {
        send(json!({ "jsonrpc": "2.0", "id": method, "method": method, "params": params(method) }));
        let answer = answer_to(json!(method));
        assert_eq!(answer["error"]["code"], -32602, "{method}: {answer}");
    }
    // After `shutdown`, references and completion are refused as every
    // request is.
    send(json!({ "jsonrpc": "2.0", "id": 4, "method": "shutdown" }));
    answer_to(json!(4));
    for method in directly {
        send(json!({ "jsonrpc": "2.0", "id": method, "method": method, "params": params(method) }));
        let answer = answer_to(json!(method));
        assert_eq!(answer["error"]["code"], -32600, "{method}: {answer}");
    }
    let _ = server.kill();
    let _ = server.wait();
}

/// A `.newsmark_cache` that `newsmark check` would refuse (here a link to
/// another folder) is not read by the server either: it says why and
/// parses every file.
#[cfg(unix)]
#[test]
fn a_planted_cache_link_is_not_read() {
    let dir = fixture();
    let elsewhere = tempfile::tempdir().unwrap();
    crate::check_writing_the_cache(dir.path());
    // The cache check wrote, moved elsewhere and linked back: its key and
    // summaries are this installation's, so only the link stands out.
    let cache = dir.path().join(".newsmark_cache");
    std::fs::rename(&cache, elsewhere.path().join("cache")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("cache"), &cache).unwrap();
    let mut client = Client::start(dir.path(), Options::default());
    assert_eq!(client.wait_for_index()["files"], 5);
    let log = client.wait_for_log(|log| log.contains("indexed 5 files"));
    assert!(
        log.contains("not using the cache: ") && log.contains(".newsmark_cache is a symbolic link"),
        "{log}"
    );
    assert!(
        log.contains("(0 unchanged since `newsmark check`)"),
        "{log}"
    );
}
