//! Frames for the client written by the server itself, next to
//! tower-lsp's own output: the transport writes both, one whole frame at
//! a time. Diagnostics go this way, serialised straight from their
//! protocol types: through tower-lsp's `Client`, each notification would
//! become a `serde_json::Value` and then text, which for a file with a
//! thousand findings costs ten times the serialisation itself. So do the
//! answers to `textDocument/references`, which list thousands of
//! locations for a popular entity, to `textDocument/completion`, and to
//! `textDocument/diagnostic`, a file's findings pulled after each change
//! (see `server::Intake`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::Id;
use tracing::debug;

/// Where whole message bodies go to be written to the client. It does not
/// keep the output open: when the transport is done, what is sent here is
/// dropped, and so is what is sent after the client asked for `shutdown`
/// (as tower-lsp's `Client` does).
#[derive(Debug, Clone)]
pub struct Outbox {
    frames: mpsc::WeakSender<Vec<u8>>,
    closed: Arc<AtomicBool>,
}

#[derive(Serialize)]
struct Notification<'a, P> {
    jsonrpc: &'static str,
    method: &'a str,
    params: P,
}

impl Outbox {
    pub fn new(frames: &mpsc::Sender<Vec<u8>>) -> Self {
        Outbox {
            frames: frames.downgrade(),
            closed: Arc::default(),
        }
    }

    /// Sends nothing more: the client has asked for `shutdown`.
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
    }

    /// Sends a notification, waiting while the client does not read (the
    /// queue is bounded). Call it from a thread of its own, never from
    /// the async executor.
    pub fn notify<P: Serialize>(&self, method: &str, params: P) {
        if self.closed.load(Ordering::SeqCst) {
            debug!("shutting down; {method} dropped");
            return;
        }
        let notification = Notification {
            jsonrpc: "2.0",
            method,
            params,
        };
        match serde_json::to_vec(&notification) {
            Ok(body) => {
                let sent = self
                    .frames
                    .upgrade()
                    .map(|frames| frames.blocking_send(body));
                if !matches!(sent, Some(Ok(()))) {
                    debug!("the client's output is closed; {method} dropped");
                }
            }
            Err(error) => debug!("{method} could not be serialised: {error}"),
        }
    }

    /// The body of a successful response to request `id`.
    pub fn answer<R: Serialize>(id: &Id, result: R) -> serde_json::Result<Vec<u8>> {
        Self::answer_with(id, |body| serde_json::to_writer(body, &result))
    }

    /// The body of a successful response to request `id` whose result
    /// `write_result` writes as JSON.
    pub fn answer_with(
        id: &Id,
        write_result: impl FnOnce(&mut Vec<u8>) -> serde_json::Result<()>,
    ) -> serde_json::Result<Vec<u8>> {
        let mut body = b"{\"jsonrpc\":\"2.0\",\"id\":".to_vec();
        serde_json::to_writer(&mut body, id)?;
        body.extend_from_slice(b",\"result\":");
        write_result(&mut body)?;
        body.push(b'}');
        Ok(body)
    }

    /// Sends a response made by [`Outbox::answer`]. Unlike notifications,
    /// it goes after `shutdown` too: a request that came before it is
    /// still answered. Returns whether the output took it.
    pub async fn respond(&self, body: Vec<u8>) -> bool {
        match self.frames.upgrade() {
            Some(frames) => frames.send(body).await.is_ok(),
            None => false,
        }
    }
}
