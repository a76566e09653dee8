//! What the server offers, and what it takes from the client's
//! `initialize` parameters: the position encoding, the workspace folders,
//! and the client features that change how the server behaves.

use serde::Deserialize;
use tower_lsp_server::ls_types::{
    CodeActionOptions, CodeActionProviderCapability, CodeLensOptions, CompletionOptions,
    DeclarationCapability, DiagnosticOptions, DiagnosticServerCapabilities, DocumentLinkOptions,
    ExecuteCommandOptions, FoldingRangeProviderCapability, HoverProviderCapability,
    InitializeParams, OneOf, PositionEncodingKind, RenameOptions, ResourceOperationKind,
    SelectionRangeProviderCapability, SemanticTokensFullOptions, SemanticTokensOptions,
    SemanticTokensServerCapabilities, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, WorkDoneProgressOptions,
};
use tracing::warn;

use newsmark_syntax::Encoding;

use crate::code_lens::SHOW_REFERENCES;
use crate::completion::TRIGGER_CHARACTERS;
use crate::file_key::FileKey;
use crate::open_report::OPEN_REPORT;
use crate::session::{ClientFeatures, Session};
use crate::{code_actions, from_proto, semantic_tokens};

/// `initializationOptions` (all optional).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Options {
    /// `"push"`, `"pull"` or `"auto"` (the default: pull when the client
    /// supports `textDocument/diagnostic`, else push).
    pub diagnostic_mode: Option<String>,
    /// Whether inlay hints are shown (default `true`); the
    /// `newsmark.inlayHints` setting changes it later.
    pub inlay_hints: Option<bool>,
}

/// Everything the server needs from `initialize`.
#[derive(Debug, Clone)]
pub struct ClientSetup {
    pub session: Session,
    /// Whether `workspace/didChangeWatchedFiles` may be registered dynamically.
    pub watch_files: bool,
    pub features: ClientFeatures,
    /// `initializationOptions.inlayHints`.
    pub inlay_hints: bool,
}

pub fn client_setup(params: &InitializeParams) -> ClientSetup {
    let capabilities = &params.capabilities;
    let encoding = from_proto::negotiate_encoding(
        capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_deref()),
    );
    let options: Options = params
        .initialization_options
        .clone()
        .and_then(|value| {
            serde_json::from_value(value)
                .map_err(|error| warn!("ignoring invalid initializationOptions: {error}"))
                .ok()
        })
        .unwrap_or_default();
    let supports_pull = capabilities
        .text_document
        .as_ref()
        .is_some_and(|text| text.diagnostic.is_some());
    let workspace = capabilities.workspace.as_ref();
    let refresh_diagnostics = workspace
        .and_then(|workspace| workspace.diagnostics.as_ref())
        .and_then(|diagnostic| diagnostic.refresh_support)
        .unwrap_or(false);
    // Pull alone serves a client only when the server can ask it to pull
    // again (after a change in another file, or at the end of the first
    // scan): a client without `workspace/diagnostic/refresh` (Neovim 0.11
    // and 0.12) would keep stale findings, so it gets push.
    let pull_is_enough = supports_pull && refresh_diagnostics;
    let push_diagnostics = match options.diagnostic_mode.as_deref() {
        Some("push") => true,
        Some("pull") => false,
        Some("auto") | None => !pull_is_enough,
        Some(other) => {
            warn!("unknown diagnosticMode {other:?}; using \"auto\"");
            !pull_is_enough
        }
    };
    let watch_files = workspace
        .and_then(|workspace| workspace.did_change_watched_files.as_ref())
        .and_then(|watched| watched.dynamic_registration)
        .unwrap_or(false);
    let work_done_progress = capabilities
        .window
        .as_ref()
        .and_then(|window| window.work_done_progress)
        .unwrap_or(false);
    let workspace_edit = workspace.and_then(|workspace| workspace.workspace_edit.as_ref());
    let features = ClientFeatures {
        document_changes: workspace_edit
            .and_then(|edit| edit.document_changes)
            .unwrap_or(false),
        create_files: workspace_edit
            .and_then(|edit| edit.resource_operations.as_ref())
            .is_some_and(|operations| operations.contains(&ResourceOperationKind::Create)),
        show_document: capabilities
            .window
            .as_ref()
            .and_then(|window| window.show_document.as_ref())
            .is_some_and(|show| show.support),
        configuration: workspace
            .and_then(|workspace| workspace.configuration)
            .unwrap_or(false),
        configuration_registration: workspace
            .and_then(|workspace| workspace.did_change_configuration.as_ref())
            .and_then(|change| change.dynamic_registration)
            .unwrap_or(false),
        inlay_hint_refresh: workspace
            .and_then(|workspace| workspace.inlay_hint.as_ref())
            .and_then(|hints| hints.refresh_support)
            .unwrap_or(false),
        code_lens_refresh: workspace
            .and_then(|workspace| workspace.code_lens.as_ref())
            .and_then(|lens| lens.refresh_support)
            .unwrap_or(false),
        trigger_suggest: client_commands(capabilities.experimental.as_ref())
            .contains(&code_actions::TRIGGER_SUGGEST),
    };
    ClientSetup {
        session: Session {
            encoding,
            roots: roots(params),
            push_diagnostics,
            refresh_diagnostics: refresh_diagnostics && !push_diagnostics,
            work_done_progress,
            refresh_inlay_hints: features.inlay_hint_refresh,
            refresh_code_lenses: features.code_lens_refresh,
        },
        watch_files,
        features,
        inlay_hints: options.inlay_hints.unwrap_or(true),
    }
}

/// The client-side commands the client says it runs:
/// `experimental.commands.commands`, a list of command names.
fn client_commands(experimental: Option<&serde_json::Value>) -> Vec<&str> {
    experimental
        .and_then(|experimental| experimental.pointer("/commands/commands"))
        .and_then(serde_json::Value::as_array)
        .map(|names| names.iter().filter_map(serde_json::Value::as_str).collect())
        .unwrap_or_default()
}

/// The workspace folders, else the (deprecated) root URI.
fn roots(params: &InitializeParams) -> Vec<std::path::PathBuf> {
    if let Some(folders) = &params.workspace_folders {
        return folders
            .iter()
            .filter_map(|folder| FileKey::from_uri(&folder.uri).to_path())
            .collect();
    }
    #[allow(deprecated)]
    params
        .root_uri
        .as_ref()
        .and_then(|uri| FileKey::from_uri(uri).to_path())
        .into_iter()
        .collect()
}

pub fn encoding_kind(encoding: Encoding) -> PositionEncodingKind {
    match encoding {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

/// What the server offers. Pull diagnostics are advertised only to clients
/// served by pull: a client that gets push and also pulled would show every
/// finding twice (pushed and pulled findings are kept apart by clients).
pub fn server_capabilities(encoding: Encoding, pull_diagnostics: bool) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding_kind(encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        declaration_provider: Some(DeclarationCapability::Simple(true)),
        references_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(TRIGGER_CHARACTERS.map(str::to_owned).to_vec()),
            resolve_provider: Some(true),
            ..CompletionOptions::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        diagnostic_provider: pull_diagnostics.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("newsmark".to_owned()),
                inter_file_dependencies: true,
                workspace_diagnostics: true,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        }),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(code_actions::KINDS.to_vec()),
            resolve_provider: Some(false),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: semantic_tokens::legend(),
                range: Some(true),
                full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
                work_done_progress_options: WorkDoneProgressOptions::default(),
            },
        )),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(true),
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![SHOW_REFERENCES.to_owned(), OPEN_REPORT.to_owned()],
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        inlay_hint_provider: Some(OneOf::Left(true)),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}
