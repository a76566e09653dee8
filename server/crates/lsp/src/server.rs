//! The routing table: where every message from the client goes.
//!
//! Document notifications (`didOpen`, `didChange`, `didClose`,
//! `workspace/didChangeWatchedFiles`) are taken by [`Intake`] while the
//! transport reads them, one after the other, and sent synchronously to
//! the state thread: tower-lsp runs handlers concurrently, so only this
//! keeps edits in the order of the wire. [`Intake`] also answers
//! `textDocument/references`, `textDocument/completion` and
//! `textDocument/diagnostic` itself, once the session is initialized:
//! tower-lsp would turn their thousands of locations, hundred items, or
//! a large file's findings into a `serde_json::Value` before writing
//! them. Everything else goes to the
//! [`LanguageServer`] implementation below, whose handlers convert the
//! parameters, call one feature module on a snapshot, and convert back.
//! No handler awaits a request to the client; those run on tasks of their own.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use newsmark_analysis::FileId;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::Notify;
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, ExitedError, LanguageServer, LspService};
use tower_service::Service;
use tracing::{debug, info, warn};

use crate::actor::{self, ActorHandle, DEBUG_REQUESTS_ENV, Message};
use crate::capabilities::{self, ClientSetup};
use crate::graph::AttributionGraphParams;
use crate::outbox::Outbox;
use crate::requests::{internal_error, with_document, with_snapshot};
use crate::session::ClientFeatures;
use crate::settings::{self, Settings};
use crate::snapshot::Snapshot;
use crate::{
    code_actions, code_lens, completion, definition, diagnostics, document_links, folding, graph,
    highlight, hover, inlay_hints, open_report, parent, references, rename, selection,
    semantic_tokens, symbols, watcher,
};

/// Serves one client over a pair of streams. Returns whether the client
/// asked for `shutdown` before leaving.
pub async fn serve<I, O>(input: I, output: O, outbox: Outbox) -> bool
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let (actor, actor_rx) = actor::channel();
    let initialized = Arc::new(AtomicBool::new(false));
    let shutdown = Arc::new(AtomicBool::new(false));
    let client_gone = Arc::new(Notify::new());
    let runtime = tokio::runtime::Handle::current();
    let mut builder = LspService::build(|client| {
        actor::spawn(
            actor.clone(),
            actor_rx,
            client.clone(),
            runtime,
            outbox.clone(),
        );
        Server {
            client,
            actor: actor.clone(),
            setup: OnceLock::new(),
            initialized: initialized.clone(),
            shutdown: shutdown.clone(),
            outbox: outbox.clone(),
            client_gone: client_gone.clone(),
            settings: Arc::default(),
            semantic_tokens: Arc::default(),
        }
    })
    .custom_method("newsmark/documentText", Server::document_text)
    .custom_method("newsmark/status", Server::status)
    .custom_method(graph::METHOD, Server::attribution_graph);
    if std::env::var_os(DEBUG_REQUESTS_ENV).is_some() {
        builder = builder.custom_method("newsmark/debugPanic", Server::debug_panic);
    }
    let (service, socket) = builder.finish();
    let service = Intake {
        inner: service,
        actor,
        outbox,
        initialized,
        shutdown: shutdown.clone(),
    };
    let serving = tower_lsp_server::Server::new(input, output, socket).serve(service);
    tokio::select! {
        () = serving => {}
        () = client_gone.notified() => {
            warn!("the client process named at initialize has exited; stopping");
        }
    }
    shutdown.load(Ordering::SeqCst)
}

/// Takes document notifications off the transport in arrival order, and
/// answers references, completion and pulled diagnostics between
/// `initialize` and `shutdown` (before and after, tower-lsp answers with
/// its errors).
#[derive(Debug)]
pub struct Intake<S> {
    inner: S,
    actor: ActorHandle,
    outbox: Outbox,
    initialized: Arc<AtomicBool>,
    shutdown: Arc<AtomicBool>,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S> Service<Request> for Intake<S>
where
    S: Service<Request, Response = Option<Response>, Error = ExitedError>,
    S::Future: Send + 'static,
{
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = BoxFuture<std::result::Result<Option<Response>, ExitedError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<std::result::Result<(), ExitedError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if request.id().is_none() && is_document_notification(request.method()) {
            let (method, _, params) = request.into_parts();
            match document_notification(&method, params.unwrap_or(Value::Null)) {
                Ok(message) => self.actor.send(message),
                Err(error) => warn!("{method} with invalid parameters ignored: {error}"),
            }
            return Box::pin(std::future::ready(Ok(None)));
        }
        if request.method() == "shutdown"
            && request.id().is_some()
            && self.initialized.load(Ordering::SeqCst)
        {
            // In wire order: a request right behind `shutdown` is refused
            // even while its handler has not run yet. (One that tower-lsp
            // refuses, before `initialize` or without an id, shuts nothing.)
            self.shutdown.store(true, Ordering::SeqCst);
        }
        if ANSWERED_DIRECTLY.contains(&request.method())
            && self.initialized.load(Ordering::SeqCst)
            && !self.shutdown.load(Ordering::SeqCst)
            && let Some(id) = request.id().cloned()
        {
            let (method, _, params) = request.into_parts();
            let (actor, outbox) = (self.actor.clone(), self.outbox.clone());
            return Box::pin(async move {
                Ok(match &*method {
                    REFERENCES => {
                        answer_directly(actor, outbox, id, REFERENCES, params, references_at).await
                    }
                    COMPLETION => {
                        answer_directly(actor, outbox, id, COMPLETION, params, completion_at).await
                    }
                    DIAGNOSTIC => {
                        answer_directly(actor, outbox, id, DIAGNOSTIC, params, diagnostic_of).await
                    }
                    _ => unreachable!("`ANSWERED_DIRECTLY` lists the methods above"),
                })
            });
        }
        Box::pin(self.inner.call(optional_params(request)))
    }
}

const REFERENCES: &str = "textDocument/references";
const COMPLETION: &str = "textDocument/completion";
const DIAGNOSTIC: &str = "textDocument/diagnostic";

/// The requests [`Intake`] answers itself: answers of thousands of
/// locations, of a hundred items many times a minute, or of a large
/// file's findings after each change (pull clients, such as VS Code). A
/// cancelled one still gets its answer (the work is not stopped either
/// way).
const ANSWERED_DIRECTLY: [&str; 3] = [REFERENCES, COMPLETION, DIAGNOSTIC];

/// A request about a document ([`Intake`] answers those).
trait AboutDocument: DeserializeOwned + Send + 'static {
    fn uri(&self) -> &Uri;
}

impl AboutDocument for ReferenceParams {
    fn uri(&self) -> &Uri {
        &self.text_document_position.text_document.uri
    }
}

impl AboutDocument for CompletionParams {
    fn uri(&self) -> &Uri {
        &self.text_document_position.text_document.uri
    }
}

impl AboutDocument for DocumentDiagnosticParams {
    fn uri(&self) -> &Uri {
        &self.text_document.uri
    }
}

fn references_at(
    params: ReferenceParams,
    snap: &Snapshot,
    file: FileId,
    id: &Id,
) -> serde_json::Result<Vec<u8>> {
    let at = params.text_document_position;
    let found = references::references(snap, file, at.position, params.context.include_declaration);
    Outbox::answer_with(id, |body| match found {
        Some(locations) => locations.write_json(body),
        None => serde_json::to_writer(body, &()),
    })
}

fn completion_at(
    params: CompletionParams,
    snap: &Snapshot,
    file: FileId,
    id: &Id,
) -> serde_json::Result<Vec<u8>> {
    let items = completion::completion(snap, file, params.text_document_position.position);
    Outbox::answer(id, items)
}

fn diagnostic_of(
    params: DocumentDiagnosticParams,
    snap: &Snapshot,
    file: FileId,
    id: &Id,
) -> serde_json::Result<Vec<u8>> {
    let report = diagnostics::document_report(snap, file, params.previous_result_id);
    Outbox::answer(id, report)
}

/// Answers `method` straight into the output, serialised from the
/// protocol types on the blocking pool; only an error goes back through
/// tower-lsp.
async fn answer_directly<P: AboutDocument>(
    actor: ActorHandle,
    outbox: Outbox,
    id: Id,
    method: &'static str,
    params: Option<Value>,
    answer: fn(P, &Snapshot, FileId, &Id) -> serde_json::Result<Vec<u8>>,
) -> Option<Response> {
    let params: P = match serde_json::from_value(params.unwrap_or(Value::Null)) {
        Ok(params) => params,
        Err(error) => {
            return Some(Response::from_error(
                id,
                Error::invalid_params(error.to_string()),
            ));
        }
    };
    let answer_id = id.clone();
    let uri = params.uri().clone();
    let body = with_document(&actor, method, uri, move |snap, file| {
        answer(params, snap, file, &answer_id)
    })
    .await;
    match body {
        Ok(Ok(body)) => {
            if !outbox.respond(body).await {
                debug!("the client's output is closed; a {method} answer dropped");
            }
            None
        }
        Ok(Err(error)) => Some(Response::from_error(
            id,
            internal_error(method, &error.to_string()),
        )),
        Err(error) => Some(Response::from_error(id, error)),
    }
}

/// Requests whose parameters may be left out get `null` instead, which
/// tower-lsp hands to the handler as `None` (it refuses a missing field).
fn optional_params(request: Request) -> Request {
    if request.method() != graph::METHOD || request.params().is_some() {
        return request;
    }
    let (method, id, _) = request.into_parts();
    let builder = Request::build(method).params(Value::Null);
    match id {
        Some(id) => builder.id(id).finish(),
        None => builder.finish(),
    }
}

fn is_document_notification(method: &str) -> bool {
    matches!(
        method,
        "textDocument/didOpen"
            | "textDocument/didChange"
            | "textDocument/didClose"
            | "workspace/didChangeWatchedFiles"
    )
}

fn document_notification(method: &str, params: Value) -> serde_json::Result<Message> {
    Ok(match method {
        "textDocument/didOpen" => {
            let params: DidOpenTextDocumentParams = serde_json::from_value(params)?;
            let document = params.text_document;
            Message::Open {
                uri: document.uri,
                version: document.version,
                text: document.text,
            }
        }
        "textDocument/didChange" => {
            let params: DidChangeTextDocumentParams = serde_json::from_value(params)?;
            Message::Change {
                uri: params.text_document.uri,
                version: params.text_document.version,
                changes: params.content_changes,
            }
        }
        "textDocument/didClose" => {
            let params: DidCloseTextDocumentParams = serde_json::from_value(params)?;
            Message::Close {
                uri: params.text_document.uri,
            }
        }
        _ => {
            let params: DidChangeWatchedFilesParams = serde_json::from_value(params)?;
            Message::WatchedFiles(params.changes)
        }
    })
}

#[derive(Debug)]
pub struct Server {
    client: Client,
    /// Closed at `shutdown`: no diagnostics after it.
    outbox: Outbox,
    actor: ActorHandle,
    setup: OnceLock<ClientSetup>,
    /// Set at `initialize`: see [`Intake`].
    initialized: Arc<AtomicBool>,
    shutdown: Arc<AtomicBool>,
    /// Notified when the client process (`processId`) has exited.
    client_gone: Arc<Notify>,
    settings: Arc<Settings>,
    semantic_tokens: Arc<semantic_tokens::Cache>,
}

/// `newsmark/documentText`: the server's copy of a document.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentText {
    pub uri: Uri,
    /// `None` for a file that is not open.
    pub version: Option<i32>,
    pub text: String,
}

/// `newsmark/status`: what the server holds.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub indexing: bool,
    pub files: usize,
    pub open_documents: usize,
    pub revision: u64,
    pub position_encoding: String,
}

impl Server {
    async fn document_text(&self, params: TextDocumentIdentifier) -> Result<DocumentText> {
        let uri = params.uri.clone();
        with_document(
            &self.actor,
            "newsmark/documentText",
            params.uri,
            move |snap, file| DocumentText {
                uri,
                version: snap.version(file),
                text: snap.ws.text(file).to_string(),
            },
        )
        .await
    }

    async fn status(&self) -> Result<Status> {
        with_snapshot(&self.actor, "newsmark/status", |snap| {
            Ok(Status {
                indexing: snap.indexing,
                files: snap.file_count(),
                open_documents: snap.open.len(),
                revision: snap.revision,
                position_encoding: capabilities::encoding_kind(snap.encoding)
                    .as_str()
                    .to_owned(),
            })
        })
        .await
    }

    async fn attribution_graph(
        &self,
        params: Option<AttributionGraphParams>,
    ) -> Result<newsmark_analysis::graph::AttributionGraph> {
        let uris = params.and_then(|params| params.uris).unwrap_or_default();
        with_snapshot(&self.actor, graph::METHOD, move |snap| {
            graph::attribution_graph(&snap, &uris)
        })
        .await
    }

    fn features(&self) -> ClientFeatures {
        self.setup
            .get()
            .map(|setup| setup.features)
            .unwrap_or_default()
    }

    async fn debug_panic(&self) -> Result<()> {
        with_snapshot(&self.actor, "newsmark/debugPanic", |_| {
            panic!("newsmark/debugPanic was asked to panic")
        })
        .await
    }
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let setup = capabilities::client_setup(&params);
        info!(
            encoding = ?setup.session.encoding,
            roots = ?setup.session.roots,
            push_diagnostics = setup.session.push_diagnostics,
            "initialize"
        );
        let capabilities = capabilities::server_capabilities(
            setup.session.encoding,
            !setup.session.push_diagnostics,
        );
        self.actor.send(Message::Initialize(setup.session.clone()));
        if let Some(pid) = params.process_id {
            let gone = self.client_gone.clone();
            tokio::spawn(async move {
                parent::exited(pid).await;
                gone.notify_one();
            });
        }
        self.settings.set_inlay_hints(setup.inlay_hints);
        let _ = self.setup.set(setup);
        self.initialized.store(true, Ordering::SeqCst);
        Ok(InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "newsmark".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.actor.send(Message::Initialized);
        if self.setup.get().is_some_and(|setup| setup.watch_files) {
            watcher::register(self.client.clone());
        }
        let features = self.features();
        if features.configuration_registration {
            settings::register(&self.client);
        }
        if features.configuration {
            settings::fetch(&self.client, &self.settings, features);
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        settings::did_change(
            &self.client,
            &self.settings,
            self.features(),
            &params.settings,
        );
    }

    async fn shutdown(&self) -> Result<()> {
        self.shutdown.store(true, Ordering::SeqCst);
        self.outbox.close();
        Ok(())
    }

    // textDocument/didOpen, didChange, didClose and
    // workspace/didChangeWatchedFiles: see `Intake`.

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        with_document(
            &self.actor,
            "textDocument/hover",
            at.text_document.uri,
            move |snap, file| hover::hover(snap, file, at.position),
        )
        .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        with_document(
            &self.actor,
            "textDocument/definition",
            at.text_document.uri,
            move |snap, file| definition::definition(snap, file, at.position),
        )
        .await
    }

    async fn goto_declaration(
        &self,
        params: request::GotoDeclarationParams,
    ) -> Result<Option<request::GotoDeclarationResponse>> {
        let at = params.text_document_position_params;
        with_document(
            &self.actor,
            "textDocument/declaration",
            at.text_document.uri,
            move |snap, file| definition::definition(snap, file, at.position),
        )
        .await
    }

    // textDocument/references: see `Intake`.

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let at = params.text_document_position_params;
        with_document(
            &self.actor,
            "textDocument/documentHighlight",
            at.text_document.uri,
            move |snap, file| highlight::document_highlight(snap, file, at.position),
        )
        .await
    }

    // textDocument/completion: see `Intake`.

    async fn completion_resolve(&self, item: CompletionItem) -> Result<CompletionItem> {
        with_snapshot(&self.actor, "completionItem/resolve", move |snap| {
            Ok(completion::resolve(&snap, item))
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        with_document(
            &self.actor,
            "textDocument/documentSymbol",
            params.text_document.uri,
            |snap, file| Some(symbols::document_symbols(snap, file)),
        )
        .await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        with_snapshot(&self.actor, "workspace/symbol", move |snap| {
            let found = symbols::workspace_symbols(&snap, &params.query);
            Ok(Some(WorkspaceSymbolResponse::Nested(found)))
        })
        .await
    }

    // textDocument/diagnostic: see `Intake`.

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        with_snapshot(&self.actor, "workspace/diagnostic", move |snap| {
            Ok(diagnostics::workspace_report(
                &snap,
                params.previous_result_ids,
            ))
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        with_document(
            &self.actor,
            "textDocument/prepareRename",
            params.text_document.uri,
            move |snap, file| rename::prepare_rename(snap, file, params.position),
        )
        .await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let at = params.text_document_position;
        let features = self.features();
        with_document(
            &self.actor,
            "textDocument/rename",
            at.text_document.uri,
            move |snap, file| rename::rename(snap, file, at.position, &params.new_name, &features),
        )
        .await?
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let features = self.features();
        with_document(
            &self.actor,
            "textDocument/codeAction",
            params.text_document.uri,
            move |snap, file| {
                let only = params.context.only.as_deref();
                Some(code_actions::code_actions(
                    snap,
                    file,
                    params.range,
                    only,
                    &features,
                ))
            },
        )
        .await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let cache = self.semantic_tokens.clone();
        with_document(
            &self.actor,
            "textDocument/semanticTokens/full",
            params.text_document.uri,
            move |snap, file| {
                let tokens = semantic_tokens::full(snap, &cache, file);
                Some(SemanticTokensResult::Tokens(tokens))
            },
        )
        .await
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        let cache = self.semantic_tokens.clone();
        with_document(
            &self.actor,
            "textDocument/semanticTokens/full/delta",
            params.text_document.uri,
            move |snap, file| {
                Some(semantic_tokens::full_delta(
                    snap,
                    &cache,
                    file,
                    &params.previous_result_id,
                ))
            },
        )
        .await
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        with_document(
            &self.actor,
            "textDocument/semanticTokens/range",
            params.text_document.uri,
            move |snap, file| {
                let tokens = semantic_tokens::range(snap, file, params.range)?;
                Some(SemanticTokensRangeResult::Tokens(tokens))
            },
        )
        .await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        with_document(
            &self.actor,
            "textDocument/codeLens",
            params.text_document.uri,
            |snap, file| Some(code_lens::code_lenses(snap, file)),
        )
        .await
    }

    async fn code_lens_resolve(&self, lens: CodeLens) -> Result<CodeLens> {
        let Some((uri, id)) = code_lens::lens_target(&lens) else {
            return Ok(lens);
        };
        with_document(&self.actor, "codeLens/resolve", uri, move |snap, file| {
            code_lens::resolve(snap, file, &id, lens)
        })
        .await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        match params.command.as_str() {
            code_lens::SHOW_REFERENCES => {
                let client = self.client.clone();
                let show_document = self.features().show_document;
                with_snapshot(&self.actor, code_lens::SHOW_REFERENCES, move |snap| {
                    code_lens::execute_show_references(
                        &snap,
                        &client,
                        show_document,
                        &params.arguments,
                    )
                    .map(Some)
                })
                .await
            }
            open_report::OPEN_REPORT => {
                let client = self.client.clone();
                let show_document = self.features().show_document;
                with_snapshot(&self.actor, open_report::OPEN_REPORT, move |snap| {
                    open_report::execute(&snap, &client, show_document, &params.arguments).map(Some)
                })
                .await
            }
            other => Err(tower_lsp_server::jsonrpc::Error::invalid_params(format!(
                "unknown command {other}"
            ))),
        }
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        if !self.settings.inlay_hints() {
            return Ok(None);
        }
        with_document(
            &self.actor,
            "textDocument/inlayHint",
            params.text_document.uri,
            move |snap, file| Some(inlay_hints::inlay_hints(snap, file, params.range)),
        )
        .await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        with_document(
            &self.actor,
            "textDocument/documentLink",
            params.text_document.uri,
            |snap, file| Some(document_links::document_links(snap, file)),
        )
        .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        with_document(
            &self.actor,
            "textDocument/foldingRange",
            params.text_document.uri,
            |snap, file| Some(folding::folding_ranges(snap, file)),
        )
        .await
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        with_document(
            &self.actor,
            "textDocument/selectionRange",
            params.text_document.uri,
            move |snap, file| Some(selection::selection_ranges(snap, file, &params.positions)),
        )
        .await
    }
}
