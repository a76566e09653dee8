//! File watching: the server asks the client to watch `.nmk` files and
//! `newsmark.toml` (dynamic registration of `workspace/didChangeWatchedFiles`).
//! The events themselves go to the state thread like any other document
//! notification (see `actor::Actor::watched_files`).

use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, Registration,
};
use tracing::{debug, warn};

pub const REGISTRATION_ID: &str = "newsmark/watched-files";

/// The globs the client watches for us.
pub const GLOBS: [&str; 2] = ["**/*.nmk", "**/newsmark.toml"];

pub fn registration() -> Registration {
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: GLOBS
            .iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String((*glob).to_owned()),
                kind: None,
            })
            .collect(),
    };
    Registration {
        id: REGISTRATION_ID.to_owned(),
        method: "workspace/didChangeWatchedFiles".to_owned(),
        register_options: serde_json::to_value(options).ok(),
    }
}

/// Registers the watchers on a task of its own: `client/registerCapability`
/// is a request to the client, and awaiting its answer inside a handler
/// could deadlock the transport.
pub fn register(client: Client) {
    tokio::spawn(async move {
        match client.register_capability(vec![registration()]).await {
            Ok(()) => debug!("file watchers registered"),
            Err(error) => warn!("the client did not register the file watchers: {error}"),
        }
    });
}
