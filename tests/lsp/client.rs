//! A small LSP client for the end-to-end tests: it starts the real
//! `newsmark lsp` binary and speaks JSON-RPC over its stdio with
//! Content-Length framing.
//!
//! A reader thread parses everything the server writes; the test thread
//! picks responses by id and keeps notifications and server requests in a
//! backlog that `wait_for` searches. Server requests are answered with
//! `null` unless the client was started with `answer_server_requests: false`
//! (to check that the server never waits on them).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Value, json};

/// How long any single wait may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct Options {
    /// `general.positionEncodings`, in the client's order.
    pub encodings: Vec<&'static str>,
    pub work_done_progress: bool,
    pub watch_files: bool,
    /// Advertise `textDocument.diagnostic` (pull diagnostics).
    pub pull_diagnostics: bool,
    pub answer_server_requests: bool,
    pub initialization_options: Option<Value>,
    /// Merged into the client capabilities (objects key by key).
    pub capabilities: Option<Value>,
    pub env: Vec<(&'static str, &'static str)>,
    /// Send `initialized` right after `initialize` (tests of what happens
    /// in between send it themselves).
    pub send_initialized: bool,
    /// The command line after `newsmark`.
    pub args: Vec<&'static str>,
    /// `processId` at `initialize`; the test process's when `None`.
    pub process_id: Option<u32>,
    /// Workspace folders after the root.
    pub more_folders: Vec<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            encodings: vec!["utf-16"],
            work_done_progress: false,
            watch_files: false,
            pull_diagnostics: false,
            answer_server_requests: true,
            initialization_options: None,
            capabilities: None,
            env: Vec::new(),
            send_initialized: true,
            args: vec!["lsp"],
            process_id: None,
            more_folders: Vec::new(),
        }
    }
}

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Notifications and server requests not consumed yet, in order.
    pub backlog: Vec<Value>,
    /// The latest `publishDiagnostics` parameters of each URI.
    published: std::collections::HashMap<String, Value>,
    next_id: i64,
    answer_server_requests: bool,
    stderr: Arc<Mutex<String>>,
    /// See [`Client::skim_diagnostics`].
    skim: Arc<AtomicBool>,
    /// See [`Client::answered_at`].
    arrivals: Arrivals,
    pub root: PathBuf,
    pub initialize_result: Value,
    /// How long a wait for the server may take ([`TIMEOUT`]; benchmarks
    /// on a large corpus wait longer for its index).
    pub timeout: Duration,
}

impl Client {
    /// Starts the server, sends `initialize` and `initialized`.
    pub fn start(root: &Path, options: Options) -> Client {
        let mut command = Command::new(env!("CARGO_BIN_EXE_newsmark"));
        command
            .args(&options.args)
            .env(
                "NEWSMARK_LOG",
                std::env::var("NEWSMARK_TEST_LOG").unwrap_or_else(|_| "info".to_owned()),
            )
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in &options.env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("the newsmark binary starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let stderr_pipe = child.stderr.take().unwrap();
        let (tx, incoming) = mpsc::channel();
        let skim = Arc::new(AtomicBool::new(false));
        let skimming = skim.clone();
        let arrivals = Arrivals::default();
        let arrived = arrivals.clone();
        std::thread::spawn(move || read_messages(stdout, tx, &skimming, &arrived));
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
        let mut client = Client {
            child,
            stdin,
            incoming,
            backlog: Vec::new(),
            published: Default::default(),
            next_id: 0,
            answer_server_requests: options.answer_server_requests,
            stderr,
            skim,
            arrivals,
            root: root.to_path_buf(),
            initialize_result: Value::Null,
            timeout: TIMEOUT,
        };
        let mut capabilities = json!({
            "general": { "positionEncodings": options.encodings },
            "textDocument": {
                "synchronization": { "dynamicRegistration": false },
                "publishDiagnostics": { "relatedInformation": true, "codeDescriptionSupport": true },
                "hover": { "contentFormat": ["markdown", "plaintext"] },
                "completion": { "completionItem": { "snippetSupport": false } },
                "documentSymbol": { "hierarchicalDocumentSymbolSupport": true }
            },
            "workspace": {
                "workspaceFolders": true,
                "configuration": true,
                "didChangeWatchedFiles": { "dynamicRegistration": options.watch_files }
            },
            "window": { "workDoneProgress": options.work_done_progress }
        });
        if options.pull_diagnostics {
            capabilities["textDocument"]["diagnostic"] = json!({ "relatedDocumentSupport": false });
            capabilities["workspace"]["diagnostics"] = json!({ "refreshSupport": true });
        }
        if let Some(extra) = options.capabilities {
            merge(&mut capabilities, extra);
        }
        let root_uri = file_uri(root);
        let mut params = json!({
            "processId": options.process_id.unwrap_or_else(std::process::id),
            "clientInfo": { "name": "newsmark-e2e" },
            "rootUri": root_uri,
            "workspaceFolders": [{ "uri": root_uri, "name": "fixture" }],
            "capabilities": capabilities,
        });
        for folder in &options.more_folders {
            let folder = json!({ "uri": file_uri(folder), "name": "more" });
            params["workspaceFolders"]
                .as_array_mut()
                .unwrap()
                .push(folder);
        }
        if let Some(init) = options.initialization_options {
            params["initializationOptions"] = init;
        }
        client.initialize_result = client
            .request("initialize", params)
            .expect("initialize succeeds");
        if options.send_initialized {
            client.notify("initialized", json!({}));
        }
        client
    }

    /// From now on (while `on`), a `publishDiagnostics` notification
    /// arrives with its diagnostics checked as JSON and counted, not
    /// built into `Value`s: its `params` are `uri`, `version` and `count`.
    /// For the benchmarks, where parsing a thousand diagnostics would be
    /// a large part of what they time.
    pub fn skim_diagnostics(&self, on: bool) {
        self.skim.store(on, Ordering::SeqCst);
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// The server's log once `done` accepts it (see [`wait_for_log`]): a
    /// line can arrive after the answer to a later request.
    pub fn wait_for_log(&self, done: impl Fn(&str) -> bool) -> String {
        wait_for_log(|| self.stderr(), done)
    }

    pub fn uri(&self, relative: &str) -> String {
        file_uri(&self.root.join(relative))
    }

    pub fn send_raw(&mut self, body: &[u8]) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.stdin.write_all(header.as_bytes()).unwrap();
        self.stdin.write_all(body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).unwrap();
        self.send_raw(&body);
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(&message);
        id
    }

    /// The result of a request, or its error object.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// When the last byte of the answer to request `id` arrived, before
    /// this client parsed it: benchmarks time the server, and a large
    /// answer takes the client milliseconds to parse into a `Value`.
    #[allow(
        dead_code,
        reason = "used by server/benches/lsp.rs, which shares this client"
    )]
    pub fn answered_at(&self, id: i64) -> Option<Instant> {
        self.arrivals.lock().unwrap().remove(&id)
    }

    pub fn response(&mut self, id: i64) -> Result<Value, Value> {
        // Responses may come in any order: an earlier wait may have put
        // this one in the backlog.
        let is_it = |message: &Value| {
            message.get("id") == Some(&json!(id)) && message.get("method").is_none()
        };
        let mut response = match self.backlog.iter().position(is_it) {
            Some(index) => self.backlog.remove(index),
            None => self.next_matching(&format!("the response to request {id}"), is_it),
        };
        // Taken out, not cloned: benchmarks time the answer, not a copy.
        match response.get_mut("error") {
            Some(error) => Err(error.take()),
            None => Ok(response
                .get_mut("result")
                .map(Value::take)
                .unwrap_or(Value::Null)),
        }
    }

    /// Like [`Client::wait_for`] without keeping published diagnostics for
    /// later checks: benchmarks time the server, not a copy of its answer.
    #[allow(
        dead_code,
        reason = "used by server/benches/lsp.rs, which shares this client"
    )]
    pub fn wait_for_untracked(&mut self, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
        if let Some(index) = self.backlog.iter().position(&pick) {
            return self.backlog.remove(index);
        }
        let message = self.next_matching(what, pick);
        self.answer(&message);
        message
    }

    /// Waits for a message (notification or server request) that `pick`
    /// accepts, searching the backlog first. The message leaves the backlog.
    pub fn wait_for(&mut self, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
        if let Some(index) = self.backlog.iter().position(&pick) {
            return self.backlog.remove(index);
        }
        let message = self.next_matching(what, pick);
        if message["method"] == "textDocument/publishDiagnostics" {
            let uri = message["params"]["uri"].as_str().unwrap().to_owned();
            self.published.insert(uri, message["params"].clone());
        }
        self.answer(&message);
        message
    }

    fn next_matching(&mut self, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + self.timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) => {
                    if pick(&message) {
                        return message;
                    }
                    self.on_unpicked(message);
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!(
                        "no {what} within {:?}\n--- server stderr ---\n{}",
                        self.timeout,
                        self.stderr()
                    )
                }
                Err(RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(Duration::from_millis(100));
                    panic!(
                        "the server closed stdout while waiting for {what}\n--- server stderr ---\n{}",
                        self.stderr()
                    )
                }
            }
        }
    }

    fn on_unpicked(&mut self, message: Value) {
        if message["method"] == "textDocument/publishDiagnostics" {
            let uri = message["params"]["uri"].as_str().unwrap().to_owned();
            self.published.insert(uri, message["params"].clone());
        }
        self.answer(&message);
        self.backlog.push(message);
    }

    /// Answers a server request (for clients started with
    /// `answer_server_requests: false`).
    pub fn respond(&mut self, id: &Value, result: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": result }));
    }

    /// Answers a server request with `null`, unless told not to.
    fn answer(&mut self, message: &Value) {
        let is_server_request = message.get("id").is_some() && message.get("method").is_some();
        if is_server_request && self.answer_server_requests {
            let id = message["id"].clone();
            self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": null }));
        }
    }

    /// Waits until the latest `publishDiagnostics` for `uri` satisfies
    /// `check`, and returns those diagnostics.
    pub fn diagnostics(&mut self, uri: &str, check: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + self.timeout;
        loop {
            if let Some(published) = self.published.get(uri) {
                let diagnostics = published["diagnostics"].as_array().unwrap().clone();
                if check(&diagnostics) {
                    return diagnostics;
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self
                .incoming
                .recv_timeout(left.min(Duration::from_millis(200)))
            {
                Ok(message) => self.on_unpicked(message),
                Err(RecvTimeoutError::Timeout) if Instant::now() < deadline => {}
                Err(_) => panic!(
                    "diagnostics for {uri} never matched within {:?}; last published: {}\n--- server stderr ---\n{}",
                    self.timeout,
                    self.published
                        .get(uri)
                        .map_or("nothing".to_owned(), |p| p.to_string()),
                    self.stderr()
                ),
            }
        }
    }

    /// Waits until the first scan of the workspace has finished.
    pub fn wait_for_index(&mut self) -> Value {
        let deadline = Instant::now() + self.timeout;
        loop {
            let status = self.request("newsmark/status", Value::Null).unwrap();
            if status["indexing"] == false {
                return status;
            }
            assert!(Instant::now() < deadline, "indexing never finished");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn open(&mut self, relative: &str) -> String {
        let uri = self.uri(relative);
        let text = std::fs::read_to_string(self.root.join(relative)).unwrap();
        self.open_text(&uri, &text);
        uri
    }

    pub fn open_text(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "newsmark", "version": 1, "text": text } }),
        );
    }

    /// The server's copy of a document.
    pub fn document_text(&mut self, uri: &str) -> Value {
        self.request("newsmark/documentText", json!({ "uri": uri }))
            .expect("newsmark/documentText answers")
    }

    /// The server's process id (the benchmarks read its memory use).
    #[allow(dead_code)]
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The exit code, once the server has exited.
    pub fn exit_code(&mut self) -> Option<i32> {
        self.child
            .try_wait()
            .unwrap()
            .and_then(|status| status.code())
    }

    /// `shutdown`, `exit`, and the exit code.
    pub fn shutdown(mut self) -> Option<i32> {
        self.request("shutdown", Value::Null)
            .expect("shutdown answers");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `publishDiagnostics` notification, its diagnostics only counted.
#[derive(Deserialize)]
struct Skimmed {
    method: String,
    params: SkimmedParams,
}

#[derive(Deserialize)]
struct SkimmedParams {
    uri: String,
    version: Option<i64>,
    diagnostics: Vec<IgnoredAny>,
}

fn skimmed(body: &[u8]) -> Option<Value> {
    let skimmed: Skimmed = serde_json::from_slice(body).ok()?;
    (skimmed.method == "textDocument/publishDiagnostics").then(|| {
        let SkimmedParams {
            uri,
            version,
            diagnostics,
        } = skimmed.params;
        json!({
            "jsonrpc": "2.0",
            "method": skimmed.method,
            "params": { "uri": uri, "version": version, "count": diagnostics.len() }
        })
    })
}

/// When each response arrived, by request id.
type Arrivals = Arc<Mutex<std::collections::HashMap<i64, Instant>>>;

fn read_messages(
    stdout: impl Read,
    tx: mpsc::Sender<Value>,
    skim: &AtomicBool,
    arrivals: &Arrivals,
) {
    let mut reader = BufReader::new(stdout);
    while let Some(body) = read_frame(&mut reader) {
        let arrived = Instant::now();
        let skimmed = if skim.load(Ordering::SeqCst) {
            skimmed(&body)
        } else {
            None
        };
        let message: Value = skimmed
            .map_or_else(|| serde_json::from_slice(&body), Ok)
            .unwrap_or_else(|error| {
                panic!(
                    "the server wrote something that is not JSON ({error}): {}",
                    String::from_utf8_lossy(&body)
                )
            });
        if message.get("method").is_none()
            && let Some(id) = message.get("id").and_then(Value::as_i64)
        {
            arrivals.lock().unwrap().insert(id, arrived);
        }
        if tx.send(message).is_err() {
            return;
        }
    }
}

/// The body of the next Content-Length frame the server wrote, or `None`
/// once its output has ended.
pub fn read_frame(reader: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let length = length.expect("every message has a Content-Length header");
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(body)
}

/// Merges `extra` into `base`: objects key by key, anything else replaced.
fn merge(base: &mut Value, extra: Value) {
    match (base, extra) {
        (Value::Object(base), Value::Object(extra)) => {
            for (key, value) in extra {
                merge(base.entry(key).or_insert(Value::Null), value);
            }
        }
        (base, extra) => *base = extra,
    }
}

/// What `read` gives once `done` accepts it, or when [`TIMEOUT`] has
/// passed: a server's stderr, read by a thread of its own.
pub fn wait_for_log(read: impl Fn() -> String, done: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let log = read();
        if done(&log) || Instant::now() > deadline {
            return log;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

pub fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                uri.push(byte as char)
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}
