//! Settings that may change while the server runs: `newsmark.inlayHints`.
//!
//! The first value comes from `initializationOptions.inlayHints`. Later
//! values come from `workspace/didChangeConfiguration`, whose `settings`
//! may hold `{ "newsmark": { "inlayHints": false } }` (VS Code, Neovim),
//! `{ "newsmark.inlayHints": false }`, or the section itself
//! (`{ "inlayHints": false }`, as Helix sends its `config`). When they hold
//! none of these (VS Code sends `null` in the pull model), the server asks
//! `workspace/configuration` for the `newsmark` section. Requests to the
//! client run on tasks of their own and are never awaited by a handler.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Value, json};
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{ConfigurationItem, Registration};
use tracing::{debug, info, warn};

use crate::session::ClientFeatures;

/// The settings section the server reads.
pub const SECTION: &str = "newsmark";

pub const REGISTRATION_ID: &str = "newsmark/configuration";

#[derive(Debug)]
pub struct Settings {
    inlay_hints: AtomicBool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            inlay_hints: AtomicBool::new(true),
        }
    }
}

impl Settings {
    pub fn inlay_hints(&self) -> bool {
        self.inlay_hints.load(Ordering::SeqCst)
    }

    pub fn set_inlay_hints(&self, enabled: bool) -> bool {
        self.inlay_hints.swap(enabled, Ordering::SeqCst) != enabled
    }

    /// Applies a `newsmark` section; returns whether anything changed.
    fn apply(&self, section: &Value) -> bool {
        match section.get("inlayHints") {
            Some(Value::Bool(enabled)) => {
                let changed = self.set_inlay_hints(*enabled);
                if changed {
                    info!("newsmark.inlayHints is now {enabled}");
                }
                changed
            }
            Some(other) => {
                warn!("ignoring newsmark.inlayHints = {other}: expected true or false");
                false
            }
            None => false,
        }
    }
}

/// The `newsmark` section of `didChangeConfiguration` settings, in any of
/// the shapes clients send.
pub fn section_of(settings: &Value) -> Option<Value> {
    if let Some(section) = settings.get(SECTION).filter(|s| s.is_object()) {
        return Some(section.clone());
    }
    if let Some(value) = settings.get("newsmark.inlayHints") {
        return Some(json!({ "inlayHints": value }));
    }
    settings
        .get("inlayHints")
        .map(|value| json!({ "inlayHints": value }))
}

/// `workspace/didChangeConfiguration`.
pub fn did_change(
    client: &Client,
    settings: &Arc<Settings>,
    features: ClientFeatures,
    changed: &Value,
) {
    match section_of(changed) {
        Some(section) => {
            if settings.apply(&section) {
                refresh(client, features);
            }
        }
        None if features.configuration => fetch(client, settings, features),
        None => debug!("didChangeConfiguration without newsmark settings; nothing to do"),
    }
}

/// Asks the client for the `newsmark` section, on a task of its own.
pub fn fetch(client: &Client, settings: &Arc<Settings>, features: ClientFeatures) {
    let client = client.clone();
    let settings = settings.clone();
    tokio::spawn(async move {
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some(SECTION.to_owned()),
        };
        match client.configuration(vec![item]).await {
            Ok(values) => {
                let section = values.into_iter().next().unwrap_or(Value::Null);
                if section.is_object() && settings.apply(&section) {
                    refresh(&client, features);
                }
            }
            Err(error) => warn!("workspace/configuration failed: {error}"),
        }
    });
}

/// Registers for `workspace/didChangeConfiguration` with the `newsmark`
/// section, so that VS Code's client sends changes of it.
pub fn register(client: &Client) {
    let client = client.clone();
    tokio::spawn(async move {
        let registration = Registration {
            id: REGISTRATION_ID.to_owned(),
            method: "workspace/didChangeConfiguration".to_owned(),
            register_options: Some(json!({ "section": SECTION })),
        };
        match client.register_capability(vec![registration]).await {
            Ok(()) => debug!("configuration changes registered"),
            Err(error) => warn!("the client did not register configuration changes: {error}"),
        }
    });
}

/// Asks the client to request inlay hints again, when it can.
fn refresh(client: &Client, features: ClientFeatures) {
    if !features.inlay_hint_refresh {
        return;
    }
    let client = client.clone();
    tokio::spawn(async move {
        if let Err(error) = client.inlay_hint_refresh().await {
            debug!("workspace/inlayHint/refresh failed: {error}");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_of_settings_is_read() {
        for settings in [
            json!({ "newsmark": { "inlayHints": false } }),
            json!({ "newsmark.inlayHints": false }),
            json!({ "inlayHints": false }),
        ] {
            let section = section_of(&settings).unwrap();
            let read = Settings::default();
            assert!(read.apply(&section), "{settings}");
            assert!(!read.inlay_hints());
        }
        assert_eq!(section_of(&Value::Null), None);
        assert_eq!(
            section_of(&json!({ "other": { "inlayHints": false } })),
            None
        );
        let read = Settings::default();
        assert!(!read.apply(&json!({ "inlayHints": "no" })));
        assert!(read.inlay_hints());
    }
}
