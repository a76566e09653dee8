//! Hostile input for `newsmark lsp`: huge, deep and strange documents and
//! files, broken framing, cancelled requests, a client that stops reading,
//! and workspace entries that are not files. Every case must get an error
//! answer or a logged warning, keep the server's memory under a bound, and
//! leave the server serving with every open document intact.
//!
//! Memory is the server's `VmHWM` (peak resident set) from
//! `/proc/<pid>/status`, read at the end of each case while the server
//! still runs; where `/proc` is missing the bound is not checked. Each
//! bound is two to three times what a debug build measured
//! (docs/reliability.md has the figures): they catch a copy per message or
//! a queue without end, not a few megabytes of drift.
//!
//! Cases covered elsewhere: unknown methods, versions out of order and
//! invalid UTF-8 on disk in `robustness.rs`.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::client::{Client, Options, TIMEOUT, file_uri, read_frame, wait_for_log};
use crate::{at, fixture, pos, range};

const VISIT: &str = "articles/lavrov-visit.nmk";

/// The peak for cases with small documents: the runtime, the fixture
/// workspace and some answers (25 to 40 MB measured).
const SMALL_PEAK_MB: u64 = 100;

/// A line of `/proc/<pid>/status` (`VmHWM`, `VmRSS`), in MB.
fn proc_status_mb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// Fails when the server's peak memory so far reaches `bound_mb`.
#[track_caller]
fn assert_peak_below(pid: u32, bound_mb: u64, case: &str) {
    if let Some(peak) = proc_status_mb(pid, "VmHWM:") {
        // The figures of docs/reliability.md (`-- --nocapture`).
        eprintln!("{case}: peak {peak} MB (bound {bound_mb} MB)");
        assert!(
            peak < bound_mb,
            "{case}: peak memory {peak} MB, over the bound of {bound_mb} MB"
        );
    }
}

/// The server answers, and each open document is exactly as the client
/// last sent it.
#[track_caller]
fn assert_serving(client: &mut Client, open: &[(&str, &str)]) {
    for (uri, text) in open {
        let served = client.document_text(uri);
        assert!(
            served["text"].as_str() == Some(text),
            "the server's copy of {uri} differs from the client's"
        );
    }
    let visit = client.uri(VISIT);
    let hover = client
        .request("textDocument/hover", at(&visit, pos(10, 24)))
        .unwrap();
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Sergey Lavrov"),
        "{hover}"
    );
}

/// The fixture workspace with its article open.
fn start(options: Options) -> (tempfile::TempDir, Client, String, String) {
    let dir = fixture();
    let mut client = Client::start(dir.path(), options);
    client.wait_for_index();
    let uri = client.open(VISIT);
    let text = std::fs::read_to_string(dir.path().join(VISIT)).unwrap();
    (dir, client, uri, text)
}

fn pull() -> Options {
    Options {
        pull_diagnostics: true,
        ..Options::default()
    }
}

/// `textDocument/diagnostic` items for a document (pull clients).
fn pulled(client: &mut Client, uri: &str) -> Vec<Value> {
    let report = client
        .request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri } }),
        )
        .unwrap();
    report["items"].as_array().unwrap().clone()
}

fn change(uri: &str, version: i32, range: Value, text: &str) -> Value {
    json!({
        "textDocument": { "uri": uri, "version": version },
        "contentChanges": [{ "range": range, "text": text }]
    })
}

#[test]
fn a_100_mb_document_and_a_100_mb_file_on_disk() {
    let dir = fixture();
    let paragraph = "[Lavrov]@lavrov said {the talks went well | @tass} in Pyongyang.\n\n";
    let paragraphs = 100_000_000 / paragraph.len() + 1;
    let huge = paragraph.repeat(paragraphs);
    std::fs::write(dir.path().join("articles/huge-on-disk.nmk"), &huge).unwrap();
    let mut client = Client::start(dir.path(), pull());
    assert_eq!(client.wait_for_index()["files"], 6);
    let visit = client.open(VISIT);
    let visit_text = std::fs::read_to_string(dir.path().join(VISIT)).unwrap();
    let too_large = |items: &[Value]| {
        items.len() == 1
            && items[0]["code"] == "syntax"
            && items[0]["message"]
                .as_str()
                .unwrap()
                .starts_with("the file is too large to check: 100000032 bytes")
    };
    let on_disk_uri = client.uri("articles/huge-on-disk.nmk");
    let on_disk = pulled(&mut client, &on_disk_uri);
    assert!(too_large(&on_disk), "{on_disk:?}");
    let opened = client.uri("articles/huge-open.nmk");
    client.open_text(&opened, &huge);
    let items = pulled(&mut client, &opened);
    assert!(too_large(&items), "{items:?}");
    drop(huge);
    // An edit at the end of the huge document applies; it stays too large.
    let last_line = 2 * paragraphs as u32;
    client.notify(
        "textDocument/didChange",
        change(&opened, 2, range((last_line, 0), (last_line, 0)), "{x}"),
    );
    let items = pulled(&mut client, &opened);
    assert!(
        items[0]["message"]
            .as_str()
            .unwrap()
            .contains("100000035 bytes")
    );
    assert_serving(&mut client, &[(&visit, &visit_text)]);
    // The text arrives as one 100 MB JSON message, is checked, decoded
    // and kept twice (rope and shared text); the file on disk once.
    assert_peak_below(client.pid(), 1_500, "a 100 MB document and file");
}

#[test]
fn a_line_of_a_million_characters() {
    let (_dir, mut client, visit, visit_text) = start(Options::default());
    let uri = client.uri("articles/line.nmk");
    let text = format!("[Lavrov]@lavrov {} {{unsourced}}\n", "가".repeat(1_000_000));
    client.open_text(&uri, &text);
    let found = client.diagnostics(&uri, |d| !d.is_empty());
    assert_eq!(found.len(), 1);
    // UTF-16: the Hangul syllables are one unit each.
    assert_eq!(found[0]["range"]["start"], pos(0, 1_000_017));
    let hover = client
        .request("textDocument/hover", at(&uri, pos(0, 3)))
        .unwrap();
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Sergey Lavrov")
    );
    client
        .request("textDocument/completion", at(&uri, pos(0, 1_000_010)))
        .unwrap();
    client.notify(
        "textDocument/didChange",
        change(&uri, 2, range((0, 1_000_017), (0, 1_000_017)), "and "),
    );
    let edited = format!(
        "[Lavrov]@lavrov {} and {{unsourced}}\n",
        "가".repeat(1_000_000)
    );
    assert_serving(&mut client, &[(&visit, &visit_text), (&uri, &edited)]);
    assert_peak_below(
        client.pid(),
        SMALL_PEAK_MB + 100,
        "a line of a million characters",
    );
}

#[test]
fn a_hundred_thousand_nested_brackets() {
    let (_dir, mut client, visit, visit_text) = start(Options::default());
    let closed_uri = client.uri("articles/brackets.nmk");
    let closed = format!(
        "{}Lavrov{}\n",
        "[".repeat(100_000),
        "]@lavrov".repeat(100_000)
    );
    client.open_text(&closed_uri, &closed);
    let open_uri = client.uri("articles/open-brackets.nmk");
    let open = "[".repeat(100_000);
    client.open_text(&open_uri, &open);
    let found = client.diagnostics(&open_uri, |d| !d.is_empty());
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("unclosed `[`"),
        "{found:?}"
    );
    for uri in [&closed_uri, &open_uri] {
        let symbols = client
            .request(
                "textDocument/documentSymbol",
                json!({ "textDocument": { "uri": uri } }),
            )
            .unwrap();
        assert!(symbols.is_array());
        // The outermost, middle and innermost levels.
        for character in [0, 50_000, 99_999] {
            let hover = client
                .request("textDocument/hover", at(uri, pos(0, character)))
                .unwrap();
            assert!(hover.is_null() || hover["contents"].is_object());
            client
                .request("textDocument/definition", at(uri, pos(0, character)))
                .unwrap();
        }
    }
    // Every mention refers to @lavrov: the lists are long, not deep.
    let highlights = client
        .request(
            "textDocument/documentHighlight",
            at(&closed_uri, pos(0, 100_010)),
        )
        .unwrap();
    assert_eq!(highlights.as_array().unwrap().len(), 100_000);
    let references = client
        .request(
            "textDocument/references",
            json!({
                "textDocument": { "uri": closed_uri },
                "position": pos(0, 100_010),
                "context": { "includeDeclaration": false }
            }),
        )
        .unwrap();
    assert!(references.as_array().unwrap().len() >= 100_000);
    assert_serving(
        &mut client,
        &[
            (&visit, &visit_text),
            (&closed_uri, &closed),
            (&open_uri, &open),
        ],
    );
    assert_peak_below(client.pid(), 600, "100,000 nested brackets");
}

#[test]
fn deeply_nested_json_is_a_parse_error() {
    let (_dir, mut client, visit, visit_text) = start(Options::default());
    for body in ["[".repeat(100_000), "{\"a\":".repeat(100_000)] {
        client.send_raw(body.as_bytes());
        let error = client.wait_for("the parse error", |m| m["error"].is_object());
        assert_eq!(error["error"]["code"], -32700, "{error}");
    }
    // Deep parameters inside a well-formed request.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let request =
        format!(r#"{{"jsonrpc":"2.0","id":4242,"method":"textDocument/hover","params":{deep}}}"#);
    client.send_raw(request.as_bytes());
    let error = client.wait_for("an error", |m| m["error"].is_object());
    assert_eq!(error["error"]["code"], -32700, "{error}");
    assert_serving(&mut client, &[(&visit, &visit_text)]);
    assert_peak_below(client.pid(), SMALL_PEAK_MB, "deeply nested JSON");
}

#[test]
fn nul_bytes_in_a_document() {
    let (_dir, mut client, visit, visit_text) = start(Options::default());
    let uri = client.uri("articles/nul.nmk");
    let text = "[Lavrov]@lavrov \u{0} said \u{0}\u{0} {unsourced}\n\u{0}\n";
    client.open_text(&uri, text);
    let found = client.diagnostics(&uri, |d| !d.is_empty());
    assert_eq!(found[0]["code"], "unsourced-claim");
    assert_eq!(found[0]["range"]["start"], pos(0, 26));
    client.notify(
        "textDocument/didChange",
        change(&uri, 2, range((0, 16), (0, 17)), "\u{0}\u{0}"),
    );
    let edited = text.replacen('\u{0}', "\u{0}\u{0}", 1);
    assert_serving(&mut client, &[(&visit, &visit_text), (&uri, &edited)]);
    assert_peak_below(client.pid(), SMALL_PEAK_MB, "NUL bytes");
}

#[test]
fn invalid_utf8_in_a_message_is_a_parse_error() {
    let (_dir, mut client, visit, visit_text) = start(Options::default());
    let mut body = br#"{"jsonrpc":"2.0","id":4243,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///caf"#.to_vec();
    body.extend(b"\xe9.nmk\"},\"position\":{\"line\":0,\"character\":0}}}");
    client.send_raw(&body);
    let error = client.wait_for("the parse error", |m| m["error"].is_object());
    assert_eq!(error["error"]["code"], -32700, "{error}");
    // And inside a document's text.
    let mut open = br#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///x.nmk","languageId":"newsmark","version":1,"text":"caf"#.to_vec();
    open.extend(b"\xe9\"}}}");
    client.send_raw(&open);
    let error = client.wait_for("the parse error", |m| m["error"].is_object());
    assert_eq!(error["error"]["code"], -32700, "{error}");
    assert_serving(&mut client, &[(&visit, &visit_text)]);
    assert_peak_below(client.pid(), SMALL_PEAK_MB, "invalid UTF-8 in a message");
}

#[test]
fn lone_cr_line_endings_in_a_long_document() {
    let (_dir, mut client, visit, visit_text) = start(Options::default());
    let uri = client.uri("articles/cr.nmk");
    let mut text = "[Lavrov]@lavrov said so.\r\r".repeat(5_000);
    text.push_str("{unsourced}\r");
    client.open_text(&uri, &text);
    let found = client.diagnostics(&uri, |d| !d.is_empty());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["range"]["start"], pos(10_000, 0));
    // Edit line 9,998 (a mention), counted in lone CRs.
    client.notify(
        "textDocument/didChange",
        change(&uri, 2, range((9_998, 16), (9_998, 20)), "spoke"),
    );
    let mut edited = "[Lavrov]@lavrov said so.\r\r".repeat(4_999);
    edited.push_str("[Lavrov]@lavrov spoke so.\r\r{unsourced}\r");
    let hover = client
        .request("textDocument/hover", at(&uri, pos(9_998, 10)))
        .unwrap();
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Sergey Lavrov")
    );
    assert_serving(&mut client, &[(&visit, &visit_text), (&uri, &edited)]);
    assert_peak_below(client.pid(), SMALL_PEAK_MB, "lone CR line endings");
}

#[test]
fn a_byte_order_mark_in_the_middle_of_a_document() {
    // Only a mark at the very start is skipped (docs/markup.md); elsewhere
    // it is one invisible character: one UTF-16 unit, three UTF-8 bytes.
    let (_dir, mut client, visit, visit_text) = start(Options::default());
    let uri = client.uri("articles/bom.nmk");
    let text = "\u{feff}[Lavrov]@lavrov said\n\u{feff}{unsourced} \u{feff}[Lavrov]@lavrov\n";
    client.open_text(&uri, text);
    let found = client.diagnostics(&uri, |d| !d.is_empty());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["range"]["start"], pos(1, 1));
    let hover = client
        .request("textDocument/hover", at(&uri, pos(1, 16)))
        .unwrap();
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Sergey Lavrov")
    );
    client.notify(
        "textDocument/didChange",
        change(&uri, 2, range((1, 13), (1, 14)), ""),
    );
    let edited = "\u{feff}[Lavrov]@lavrov said\n\u{feff}{unsourced} [Lavrov]@lavrov\n";
    assert_serving(&mut client, &[(&visit, &visit_text), (&uri, edited)]);
    assert_peak_below(
        client.pid(),
        SMALL_PEAK_MB,
        "a byte-order mark mid-document",
    );
}

#[test]
fn a_pathological_document_stops_at_the_parse_deadline() {
    let (_dir, mut client, visit, visit_text) = start(Options::default());
    let uri = client.uri("articles/knot.nmk");
    // One paragraph of unclosed claims: tree-sitter's error recovery is
    // quadratic on it (4,000 parse in 1.6 s), so 30,000 always reach the
    // deadline of 2 s.
    let text = "{ [a]@b | ".repeat(30_000);
    let started = Instant::now();
    client.open_text(&uri, &text);
    let cut_short = |d: &[Value]| {
        d.len() == 1
            && d[0]["code"] == "syntax"
            && d[0]["message"]
                .as_str()
                .unwrap()
                .starts_with("parsing stopped after ")
    };
    client.diagnostics(&uri, cut_short);
    assert!(started.elapsed() < Duration::from_secs(15));
    // Other documents are served meanwhile and after.
    assert_serving(&mut client, &[(&visit, &visit_text), (&uri, &text)]);
    // The next edit reparses from scratch and stops again.
    client.notify(
        "textDocument/didChange",
        change(&uri, 2, range((0, 0), (0, 0)), "x"),
    );
    let edited = format!("x{text}");
    assert_serving(&mut client, &[(&visit, &visit_text), (&uri, &edited)]);
    let log = client.wait_for_log(|log| log.contains("parsing stopped at its deadline"));
    assert!(log.contains("parsing stopped at its deadline"), "{log}");
    assert_peak_below(
        client.pid(),
        SMALL_PEAK_MB + 100,
        "a parse past its deadline",
    );
}

#[test]
fn cancelled_requests_get_an_answer_each() {
    let (_dir, mut client, visit, visit_text) = start(Options::default());
    // Requests slow enough to be cancelled while they run: every mention
    // of a document with 20,000 of them.
    let uri = client.uri("articles/many.nmk");
    let text = "[Lavrov]@lavrov said so. ".repeat(20_000);
    client.open_text(&uri, &text);
    let mut ids = Vec::new();
    for _ in 0..30 {
        let id = client.send_request(
            "textDocument/references",
            json!({
                "textDocument": { "uri": uri },
                "position": pos(0, 3),
                "context": { "includeDeclaration": true }
            }),
        );
        client.notify("$/cancelRequest", json!({ "id": id }));
        ids.push(id);
    }
    // A cancellation for a request that does not exist is ignored.
    client.notify("$/cancelRequest", json!({ "id": 999_999 }));
    let mut cancelled = 0;
    for id in ids {
        match client.response(id) {
            Ok(locations) => assert!(locations.as_array().unwrap().len() >= 20_000),
            Err(error) => {
                assert_eq!(error["code"], -32800, "{error}");
                cancelled += 1;
            }
        }
    }
    eprintln!("cancelled requests: {cancelled} of 30 answered with RequestCancelled");
    assert_serving(&mut client, &[(&visit, &visit_text), (&uri, &text)]);
    assert_peak_below(client.pid(), SMALL_PEAK_MB + 200, "cancelled requests");
}

#[test]
fn cancelled_pulls_get_their_reports() {
    // The server writes pulled reports itself (`server::Intake`): a
    // cancelled one still gets its answer, never `RequestCancelled` as
    // tower-lsp would give some of them.
    let (_dir, mut client, visit, visit_text) = start(pull());
    let uri = client.uri("articles/many.nmk");
    let text = "{Lavrov said so.} ".repeat(5_000);
    client.open_text(&uri, &text);
    let ids: Vec<i64> = (0..20)
        .map(|_| {
            let id = client.send_request(
                "textDocument/diagnostic",
                json!({ "textDocument": { "uri": uri } }),
            );
            client.notify("$/cancelRequest", json!({ "id": id }));
            id
        })
        .collect();
    for id in ids {
        let report = client.response(id).unwrap();
        assert_eq!(report["kind"], "full", "{report}");
        assert_eq!(report["items"].as_array().unwrap().len(), 1_001);
    }
    assert_serving(&mut client, &[(&visit, &visit_text), (&uri, &text)]);
}

#[test]
fn did_change_for_a_document_never_opened_is_ignored_with_a_warning() {
    let (_dir, mut client, visit, visit_text) = start(Options::default());
    let stray = client.uri("articles/stray.nmk");
    client.notify(
        "textDocument/didChange",
        change(&stray, 3, range((0, 0), (0, 0)), "{edit}"),
    );
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": stray, "version": 4 },
            "contentChanges": [{ "text": "whole text" }]
        }),
    );
    // No document came of it.
    let error = client
        .request("newsmark/documentText", json!({ "uri": stray }))
        .unwrap_err();
    assert_eq!(error["code"], -32602);
    // Opening it later starts from the text that didOpen gives.
    client.open_text(&stray, "{opened}\n");
    assert_serving(
        &mut client,
        &[(&visit, &visit_text), (&stray, "{opened}\n")],
    );
    let log = client.wait_for_log(|log| {
        log.matches("didChange for a document that is not open; ignored")
            .count()
            >= 2
    });
    assert_eq!(
        log.matches("didChange for a document that is not open; ignored")
            .count(),
        2,
        "{log}"
    );
    assert_peak_below(client.pid(), SMALL_PEAK_MB, "didChange before didOpen");
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_unreadable_files_in_the_workspace() {
    // We run as root, where `chmod 000` does not stop a read: the files
    // that cannot be read are a named pipe, a dangling symbolic link, two
    // links that point at each other and a folder named like a file.
    use std::os::unix::fs::symlink;
    let dir = fixture();
    let articles = dir.path().join("articles");
    let made = Command::new("mkfifo")
        .arg(articles.join("pipe.nmk"))
        .status()
        .unwrap();
    assert!(made.success());
    symlink("nowhere.nmk", articles.join("dangling.nmk")).unwrap();
    symlink("loop2.nmk", articles.join("loop1.nmk")).unwrap();
    symlink("loop1.nmk", articles.join("loop2.nmk")).unwrap();
    symlink(".", articles.join("again")).unwrap();
    std::fs::create_dir(articles.join("folder.nmk")).unwrap();
    symlink("choe-hangul.nmk", articles.join("alias.nmk")).unwrap();
    // A folder whose .gitignore is a named pipe: the walk would open it
    // and wait forever, so the folder is skipped.
    let piped = articles.join("piped");
    std::fs::create_dir(&piped).unwrap();
    std::fs::write(piped.join("hidden.nmk"), "{unsourced}\n").unwrap();
    let made = Command::new("mkfifo")
        .arg(piped.join(".gitignore"))
        .status()
        .unwrap();
    assert!(made.success());
    let mut client = Client::start(dir.path(), Options::default());
    // The five fixture files and the link to one of them.
    assert_eq!(client.wait_for_index()["files"], 6);
    let visit = client.open(VISIT);
    let visit_text = std::fs::read_to_string(dir.path().join(VISIT)).unwrap();
    // A watched-file event for the pipe: opening it would wait for a
    // writer forever, and every later message with it.
    let events: Vec<Value> = ["pipe.nmk", "dangling.nmk", "loop1.nmk", "folder.nmk"]
        .iter()
        .map(|name| json!({ "uri": client.uri(&format!("articles/{name}")), "type": 2 }))
        .collect();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": events }),
    );
    assert_serving(&mut client, &[(&visit, &visit_text)]);
    assert_eq!(client.wait_for_index()["files"], 6);
    // Read as `newsmark check` reads them: the same reasons.
    let expected_lines = [
        "pipe.nmk: cannot read the file: it is a named pipe, not a file; skipped",
        "dangling.nmk: cannot read the file: no such file or directory; skipped",
        "loop1.nmk: cannot read the file: Too many levels of symbolic links",
        "folder.nmk: cannot read the file: it is a directory, not a file; skipped",
        "piped/.gitignore: cannot read .gitignore: it is a named pipe, not a file; the folder is skipped",
    ];
    let log = client.wait_for_log(|log| expected_lines.iter().all(|line| log.contains(line)));
    for expected in expected_lines {
        assert!(log.contains(expected), "{expected:?} is not in\n{log}");
    }
    assert_peak_below(client.pid(), SMALL_PEAK_MB, "unreadable workspace entries");
}

// ---------------------------------------------------------------------
// Framing: cases that need bytes the `Client` never sends.
// ---------------------------------------------------------------------

/// The server on raw pipes: any bytes in, frames out, and a reader of its
/// output that can be paused.
struct Raw {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// While set, nothing more is read from the server's stdout.
    paused: Arc<AtomicBool>,
    stderr: Arc<Mutex<String>>,
    next_status_id: i64,
    /// Messages read but not picked yet, in order.
    backlog: Vec<Value>,
}

impl Raw {
    /// Starts the server, initializes it, opens the fixture article and
    /// waits for the workspace scan to end.
    fn start(root: &Path) -> Raw {
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsmark"))
            .arg("lsp")
            .env("NEWSMARK_LOG", "info")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the newsmark binary starts");
        let stderr_pipe = child.stderr.take().unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr_pipe).lines() {
                let Ok(line) = line else { break };
                let mut sink = sink.lock().unwrap();
                sink.push_str(&line);
                sink.push('\n');
            }
        });
        let paused = Arc::new(AtomicBool::new(false));
        let (tx, incoming) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let pause = paused.clone();
        std::thread::spawn(move || read_frames(stdout, &pause, &tx));
        let mut raw = Raw {
            stdin: child.stdin.take(),
            child,
            incoming,
            paused,
            stderr,
            next_status_id: 8_000_000,
            backlog: Vec::new(),
        };
        let root_uri = file_uri(root);
        raw.send(&Raw::request(
            0,
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "workspaceFolders": [{ "uri": root_uri, "name": "fixture" }],
                "capabilities": {}
            }),
        ));
        raw.response(0);
        raw.send(&json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
        let text = std::fs::read_to_string(root.join(VISIT)).unwrap();
        raw.send(&json!({
            "jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": { "textDocument": {
                "uri": file_uri(&root.join(VISIT)), "languageId": "newsmark",
                "version": 1, "text": text
            } }
        }));
        let deadline = Instant::now() + TIMEOUT;
        while raw.status()["indexing"] != false {
            assert!(Instant::now() < deadline, "indexing never finished");
            std::thread::sleep(Duration::from_millis(20));
        }
        raw
    }

    fn status(&mut self) -> Value {
        self.next_status_id += 1;
        let id = self.next_status_id;
        self.send(&Raw::request(id, "newsmark/status", Value::Null));
        self.response(id)["result"].clone()
    }

    fn frame(message: &Value) -> Vec<u8> {
        let body = serde_json::to_vec(message).unwrap();
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend(body);
        frame
    }

    fn send(&mut self, message: &Value) {
        self.write(&Raw::frame(message));
    }

    fn write(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn request(id: i64, method: &str, params: Value) -> Value {
        json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params })
    }

    /// The first message `pick` accepts (answers may come in any order);
    /// the others wait in the backlog.
    #[track_caller]
    fn wait_for(&mut self, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
        if let Some(index) = self.backlog.iter().position(&pick) {
            return self.backlog.remove(index);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) if pick(&message) => return message,
                Ok(message) => self.backlog.push(message),
                Err(RecvTimeoutError::Timeout) => panic!(
                    "no {what} within {TIMEOUT:?}\n--- server stderr ---\n{}",
                    self.stderr.lock().unwrap()
                ),
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "the server closed stdout while waiting for {what}\n--- server stderr ---\n{}",
                    self.stderr.lock().unwrap()
                ),
            }
        }
    }

    #[track_caller]
    fn response(&mut self, id: i64) -> Value {
        self.wait_for(&format!("the response to {id}"), |m| m["id"] == id)
    }

    /// The server still answers and holds the fixture article as sent.
    #[track_caller]
    fn assert_serving(&mut self, root: &Path) {
        let uri = file_uri(&root.join(VISIT));
        self.send(&Raw::request(
            9_000_001,
            "newsmark/documentText",
            json!({ "uri": uri }),
        ));
        let served = self.response(9_000_001);
        let text = std::fs::read_to_string(root.join(VISIT)).unwrap();
        assert_eq!(served["result"]["text"].as_str(), Some(text.as_str()));
        self.send(&Raw::request(
            9_000_002,
            "textDocument/hover",
            at(&uri, pos(10, 24)),
        ));
        let hover = self.response(9_000_002);
        assert!(
            hover["result"]["contents"]["value"]
                .as_str()
                .unwrap()
                .contains("Sergey Lavrov"),
            "{hover}"
        );
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn wait_for_log(&self, done: impl Fn(&str) -> bool) -> String {
        wait_for_log(|| self.stderr(), done)
    }
}

/// Reads every frame the server writes, except while `paused`.
fn read_frames(stdout: ChildStdout, paused: &AtomicBool, tx: &mpsc::Sender<Value>) {
    let mut reader = BufReader::new(stdout);
    loop {
        while paused.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(5));
        }
        let Some(body) = read_frame(&mut reader) else {
            return;
        };
        let message: Value = serde_json::from_slice(&body).expect("the server writes JSON");
        if tx.send(message).is_err() {
            return;
        }
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_header_announcing_1_gb_is_refused_without_reading_it() {
    let dir = fixture();
    let mut raw = Raw::start(dir.path());
    // A lying header: the next message follows at once, and is answered.
    raw.write(b"Content-Length: 1073741824\r\n\r\n");
    raw.send(&Raw::request(1, "newsmark/status", Value::Null));
    let refused = raw.wait_for("the refusal", |m| m["error"].is_object());
    assert_eq!(refused["error"]["code"], -32600, "{refused}");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("a message of 1073741824 bytes is larger than the 256 MB"),
        "{refused}"
    );
    assert!(raw.response(1)["result"].is_object());
    // A number no machine could allocate.
    raw.write(b"Content-Length: 18446744073709551615\r\n\r\n");
    raw.write(b"Content-Length: 99999999999999999999999\r\n\r\n");
    raw.send(&Raw::request(2, "newsmark/status", Value::Null));
    assert!(raw.response(2)["result"].is_object());
    // A real body over the limit (JSON without a line break) passes
    // through without being kept; the next message is answered.
    let oversized = 300 << 20;
    raw.write(format!("Content-Length: {oversized}\r\n\r\n").as_bytes());
    let chunk = [b' '; 1 << 20];
    for _ in 0..300 {
        raw.write(&chunk);
    }
    raw.send(&Raw::request(3, "newsmark/status", Value::Null));
    assert!(raw.response(3)["result"].is_object());
    raw.assert_serving(dir.path());
    let log = raw.wait_for_log(|log| log.contains("is larger than the 256 MB the server reads"));
    assert!(
        log.contains("is larger than the 256 MB the server reads"),
        "{log}"
    );
    assert_peak_below(raw.pid(), SMALL_PEAK_MB, "a header announcing 1 GB");
}

#[test]
fn a_truncated_message_loses_only_itself() {
    let dir = fixture();
    let mut raw = Raw::start(dir.path());
    // The header promises 400 bytes but the body has 50: the next
    // messages run into it.
    let lost = br#"{"jsonrpc":"2.0","id":4,"method":"newsmark/status"}"#;
    let mut broken = b"Content-Length: 400\r\n\r\n".to_vec();
    broken.extend(lost);
    for id in 5..=9 {
        broken.extend(Raw::frame(&Raw::request(
            id,
            "newsmark/status",
            Value::Null,
        )));
    }
    raw.write(&broken);
    let error = raw.wait_for("the parse error", |m| m["error"].is_object());
    assert_eq!(error["error"]["code"], -32700, "{error}");
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("the frame holds the start of another message"),
        "{error}"
    );
    // Every message after the broken one is answered.
    for id in 5..=9 {
        assert!(raw.response(id)["result"].is_object());
    }
    // A header whose length is not a number, its body glued to the next
    // header.
    raw.write(b"Content-Length: many\r\n\r\n{\"jsonrpc\":\"2.0\"}");
    raw.send(&Raw::request(10, "newsmark/status", Value::Null));
    assert!(raw.response(10)["result"].is_object());
    raw.assert_serving(dir.path());
    assert_peak_below(raw.pid(), SMALL_PEAK_MB, "a truncated message");
}

#[test]
fn a_truncated_message_then_the_end_of_input() {
    let dir = fixture();
    let mut raw = Raw::start(dir.path());
    raw.write(b"Content-Length: 1000\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":8,");
    drop(raw.stdin.take());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = raw.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(10));
    };
    // The input ended without `shutdown`.
    assert_eq!(status.code(), Some(1));
    let log = raw.wait_for_log(|log| log.contains("the input ended inside a frame"));
    assert!(log.contains("the input ended inside a frame"), "{log}");
}

#[test]
fn a_client_that_stops_reading_blocks_nothing_for_good() {
    let dir = fixture();
    let mut raw = Raw::start(dir.path());
    let uri = file_uri(&dir.path().join(VISIT));
    raw.paused.store(true, Ordering::SeqCst);
    // While nothing is read: 2,000 hovers (about 2 MB of answers, more
    // than every pipe and queue on the way holds), each after an edit of
    // a scratch document, and 20,000 messages that are not JSON, each
    // answered with an error. A thread writes them: it blocks once the
    // server stops reading, which is the point.
    let scratch = file_uri(&dir.path().join("articles/scratch.nmk"));
    let mut stdin = raw.stdin.take().unwrap();
    let writer = {
        let uri = uri.clone();
        let scratch = scratch.clone();
        std::thread::spawn(move || {
            let open = json!({
                "jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": { "textDocument": {
                    "uri": scratch, "languageId": "newsmark", "version": 1, "text": ""
                } }
            });
            stdin.write_all(&Raw::frame(&open)).unwrap();
            for id in 1..=2_000 {
                let edit = json!({
                    "jsonrpc": "2.0", "method": "textDocument/didChange",
                    "params": change(&scratch, id as i32 + 1, range((0, 0), (0, 0)), "x")
                });
                stdin.write_all(&Raw::frame(&edit)).unwrap();
                let hover = Raw::request(id, "textDocument/hover", at(&uri, pos(10, 24)));
                stdin.write_all(&Raw::frame(&hover)).unwrap();
            }
            for _ in 0..20_000 {
                stdin.write_all(b"Content-Length: 5\r\n\r\n{oops").unwrap();
            }
            stdin.flush().unwrap();
            stdin
        })
    };
    std::thread::sleep(Duration::from_secs(3));
    let rss_while_blocked = proc_status_mb(raw.pid(), "VmRSS:");
    assert!(
        !writer.is_finished(),
        "the server read everything while its answers could not be written"
    );
    raw.paused.store(false, Ordering::SeqCst);
    let mut errors = 0;
    let mut hovers = 0;
    while hovers < 2_000 || errors < 20_000 {
        let message = raw.wait_for("an answer", |m| m.get("id").is_some());
        if message["error"]["code"] == -32700 {
            errors += 1;
        } else {
            assert!(
                message["result"]["contents"]["value"]
                    .as_str()
                    .is_some_and(|card| card.contains("Sergey Lavrov")),
                "{message}"
            );
            hovers += 1;
        }
    }
    raw.stdin = Some(writer.join().unwrap());
    raw.assert_serving(dir.path());
    raw.send(&Raw::request(
        9_000_003,
        "newsmark/documentText",
        json!({ "uri": scratch }),
    ));
    let served = raw.response(9_000_003);
    assert_eq!(served["result"]["text"], "x".repeat(2_000));
    assert_eq!(served["result"]["version"], 2_001);
    if let Some(rss) = rss_while_blocked {
        eprintln!("a client that stops reading: {rss} MB resident while blocked");
        assert!(rss < SMALL_PEAK_MB, "{rss} MB resident while blocked");
    }
    assert_peak_below(raw.pid(), SMALL_PEAK_MB, "a client that stops reading");
}
