//! How every request runs: take a snapshot (after every earlier
//! notification), do the CPU-bound work on the blocking pool with panics
//! caught, and answer `ContentModified` when the document changed while
//! the answer was being computed.

use std::any::Any;
use std::panic::AssertUnwindSafe;

use newsmark_analysis::FileId;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::Uri;
use tracing::{error, warn};

use crate::actor::ActorHandle;
use crate::file_key::FileKey;
use crate::from_proto::unknown_document;
use crate::snapshot::{Snapshot, Snapshots};

/// Runs `work` on a snapshot, off the async executor.
pub async fn with_snapshot<T, F>(actor: &ActorHandle, method: &'static str, work: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(Snapshots) -> Result<T> + Send + 'static,
{
    let snapshot = actor
        .snapshot()
        .await
        .ok_or_else(|| internal_error(method, "the server is shutting down"))?;
    let joined = tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(AssertUnwindSafe(|| work(snapshot)))
    })
    .await;
    match joined {
        Ok(Ok(result)) => result,
        Ok(Err(panic)) => {
            let message = panic_message(&*panic);
            error!("panic while answering {method}: {message}");
            Err(internal_error(method, &message))
        }
        Err(join_error) => {
            error!("{method} did not complete: {join_error}");
            Err(internal_error(method, &join_error.to_string()))
        }
    }
}

/// Runs `work` for one document of the workspace (open or not).
pub async fn with_document<T, F>(
    actor: &ActorHandle,
    method: &'static str,
    uri: Uri,
    work: F,
) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Snapshot, FileId) -> T + Send + 'static,
{
    let versions = actor.versions.clone();
    with_snapshot(actor, method, move |snaps| {
        let Some((snap, file)) = snaps.document(&uri) else {
            warn!(
                uri = uri.as_str(),
                "{method} for a document that is neither open nor in the workspace"
            );
            return Err(unknown_document(&uri));
        };
        let version = snap.version(file);
        let answer = work(snap, file);
        if version.is_some() && versions.current(FileKey::from_uri(&uri).name()) != version {
            // The client has sent a newer version: this answer's positions
            // may no longer fit its text.
            return Err(Error {
                code: ErrorCode::ContentModified,
                message: "the document changed while the request ran".into(),
                data: None,
            });
        }
        Ok(answer)
    })
    .await
}

pub fn internal_error(method: &str, message: &str) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: format!("internal error while answering {method}: {message}").into(),
        data: None,
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(message) = panic.downcast_ref::<&str>() {
        (*message).to_owned()
    } else if let Some(message) = panic.downcast_ref::<String>() {
        message.clone()
    } else {
        "panic".to_owned()
    }
}
