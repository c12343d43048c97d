//! The routing table: every LSP method the server answers, each one line to a handler.
//!
//! Requests run their handler on the snapshot of the document's bundle inside
//! [`std::panic::catch_unwind`]: a bug in one query is logged and answered with an error, and
//! the server keeps serving. Notifications update the [`Workspace`] and publish the
//! diagnostics of the bundle they touched that the client does not have yet ([`Published`]),
//! in the order the notifications came.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use pmc::ide;
use pmc::source::FileId;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::from_proto;
use crate::handlers::{self, Answer};
use crate::publish::{Published, Report};
use crate::to_proto;
use crate::workspace::{BundleFolder, Workspace, is_bundle_file};

/// The language server's state: the client connection and the workspace.
pub struct Backend {
    client: Client,
    workspace: Mutex<Workspace>,
    /// What was published; held while a check's diagnostics are sent, so that they go out in
    /// the order of the checks.
    published: tokio::sync::Mutex<Published>,
    /// Whether the client lets the server register file watchers.
    watch_files: AtomicBool,
}

impl LanguageServer for Backend {
    async fn initialize(&self, p: InitializeParams) -> Result<InitializeResult> {
        let watch = p
            .capabilities
            .workspace
            .and_then(|w| w.did_change_watched_files)
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        self.watch_files.store(watch, Ordering::Relaxed);
        Ok(capabilities())
    }

    async fn initialized(&self, _: InitializedParams) {
        if self.watch_files.load(Ordering::Relaxed) {
            // Files changed outside the editor (a `git checkout`, a new file) re-check their
            // bundle too.
            let watchers = ["**/*.pm", "**/account.toml"]
                .map(|glob| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(glob.into()),
                    kind: None,
                })
                .to_vec();
            let registration = Registration {
                id: "pm-lsp-watch".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                    watchers,
                })
                .ok(),
            };
            if let Err(error) = self.client.register_capability(vec![registration]).await {
                self.client
                    .log_message(
                        MessageType::WARNING,
                        format!("pm-lsp: cannot watch files: {error}"),
                    )
                    .await;
            }
        }
        self.client
            .log_message(
                MessageType::INFO,
                concat!("pm-lsp ", env!("CARGO_PKG_VERSION"), " ready"),
            )
            .await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, p: DidOpenTextDocumentParams) {
        let doc = p.text_document;
        self.update(&doc.uri, Opened::Yes, |ws, path| {
            ws.open(path, doc.text, doc.version)
        })
        .await;
    }

    async fn did_change(&self, p: DidChangeTextDocumentParams) {
        let version = p.text_document.version;
        self.update(&p.text_document.uri, Opened::No, |ws, path| {
            ws.change(&path, version, |text| {
                p.content_changes
                    .into_iter()
                    .for_each(|c| from_proto::apply_change(text, c));
            })
        })
        .await;
    }

    async fn did_save(&self, p: DidSaveTextDocumentParams) {
        self.update(&p.text_document.uri, Opened::No, |ws, path| {
            ws.invalidate(&path)
        })
        .await;
    }

    async fn did_close(&self, p: DidCloseTextDocumentParams) {
        self.update(&p.text_document.uri, Opened::No, |ws, path| ws.close(&path))
            .await;
    }

    async fn did_change_watched_files(&self, p: DidChangeWatchedFilesParams) {
        for change in p.changes {
            self.update(&change.uri, Opened::No, |ws, path| ws.invalidate(&path))
                .await;
        }
    }

    async fn completion(&self, p: CompletionParams) -> Result<Option<CompletionResponse>> {
        let uri = p.text_document_position.text_document.uri.clone();
        self.request(&uri, |b, f| handlers::completion(b, f, p))
            .await
    }

    async fn hover(&self, p: HoverParams) -> Result<Option<Hover>> {
        let uri = p.text_document_position_params.text_document.uri.clone();
        self.request(&uri, |b, f| handlers::hover(b, f, p)).await
    }

    async fn goto_definition(
        &self,
        p: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let uri = p.text_document_position_params.text_document.uri.clone();
        self.request(&uri, |b, f| handlers::definition(b, f, p))
            .await
    }

    async fn references(&self, p: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let uri = p.text_document_position.text_document.uri.clone();
        self.request(&uri, |b, f| handlers::references(b, f, p))
            .await
    }

    async fn rename(&self, p: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let uri = p.text_document_position.text_document.uri.clone();
        self.request(&uri, |b, f| handlers::rename(b, f, p)).await
    }

    async fn document_symbol(
        &self,
        p: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.request(&p.text_document.uri, handlers::document_symbols)
            .await
    }

    async fn symbol(&self, p: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        self.guard(|| Ok(Some(self.workspace_symbols(&p.query))))
            .await
    }

    async fn folding_range(&self, p: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.request(&p.text_document.uri, handlers::folding_ranges)
            .await
    }

    async fn semantic_tokens_full(
        &self,
        p: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        self.request(&p.text_document.uri, handlers::semantic_tokens)
            .await
    }

    async fn inlay_hint(&self, p: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let uri = p.text_document.uri.clone();
        self.request(&uri, |b, f| handlers::inlay_hints(b, f, p))
            .await
    }

    async fn formatting(&self, p: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let uri = p.text_document.uri.clone();
        self.request(&uri, |b, f| handlers::formatting(b, f, p))
            .await
    }

    async fn range_formatting(
        &self,
        p: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        let whole = DocumentFormattingParams {
            text_document: p.text_document,
            options: p.options,
            work_done_progress_params: p.work_done_progress_params,
        };
        self.formatting(whole).await
    }

    async fn code_action(&self, p: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = p.text_document.uri.clone();
        self.request(&uri, |b, f| handlers::code_actions(b, f, p))
            .await
    }
}

/// What the server can do.
fn capabilities() -> InitializeResult {
    InitializeResult {
        capabilities: ServerCapabilities {
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec![".".into(), "\"".into()]),
                ..CompletionOptions::default()
            }),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            definition_provider: Some(OneOf::Left(true)),
            references_provider: Some(OneOf::Left(true)),
            rename_provider: Some(OneOf::Left(true)),
            document_symbol_provider: Some(OneOf::Left(true)),
            workspace_symbol_provider: Some(OneOf::Left(true)),
            folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
            semantic_tokens_provider: Some(
                SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
                    legend: to_proto::semantic_tokens_legend(),
                    full: Some(SemanticTokensFullOptions::Bool(true)),
                    range: None,
                    ..SemanticTokensOptions::default()
                }),
            ),
            inlay_hint_provider: Some(OneOf::Left(true)),
            document_formatting_provider: Some(OneOf::Left(true)),
            document_range_formatting_provider: Some(OneOf::Left(true)),
            code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
            ..ServerCapabilities::default()
        },
        server_info: Some(ServerInfo {
            name: "pm-lsp".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        ..InitializeResult::default()
    }
}

impl Backend {
    /// A server talking to `client`.
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            workspace: Mutex::new(Workspace::default()),
            published: tokio::sync::Mutex::new(Published::default()),
            watch_files: AtomicBool::new(false),
        }
    }

    /// The workspace; a panic while it was locked left it consistent (every update is one
    /// assignment), so a poisoned lock is simply taken over.
    fn workspace(&self) -> MutexGuard<'_, Workspace> {
        self.workspace
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f`, turning a panic into a logged internal error.
    async fn guard<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        match catch_unwind(AssertUnwindSafe(f)) {
            Ok(result) => result,
            Err(panic) => {
                let what = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("unknown panic");
                self.client
                    .log_message(
                        MessageType::ERROR,
                        format!("pm-lsp: a request failed: {what}"),
                    )
                    .await;
                Err(Error::internal_error())
            }
        }
    }

    /// Answers a request about the document `uri` with `handler`, on its bundle's snapshot.
    async fn request<T>(
        &self,
        uri: &Uri,
        handler: impl FnOnce(&BundleFolder, FileId) -> Answer<T>,
    ) -> Result<Option<T>> {
        self.guard(|| {
            let Some((bundle, file)) = self.document(uri) else {
                return Ok(None);
            };
            handler(&bundle, file).map_err(Error::invalid_params)
        })
        .await
    }

    fn document(&self, uri: &Uri) -> Option<(Arc<BundleFolder>, FileId)> {
        let path = from_proto::path(uri)?;
        if !is_bundle_file(&path) {
            return None;
        }
        self.workspace().document(&path)
    }

    /// Applies a notification to the workspace and publishes the diagnostics of the bundle
    /// that changed.
    ///
    /// The workspace is updated and the bundle checked before the first `await`, so the
    /// notifications change the workspace in the order they came; the publisher's lock is
    /// asked for in that same step, and it serves in turn, so their diagnostics go out in that
    /// order too.
    async fn update(
        &self,
        uri: &Uri,
        opened: Opened,
        f: impl FnOnce(&mut Workspace, PathBuf) -> PathBuf,
    ) {
        let Some(path) = from_proto::path(uri).filter(|p| is_bundle_file(p)) else {
            return;
        };
        let checked = self.guard(|| {
            let mut workspace = self.workspace();
            let root = f(&mut workspace, path.clone());
            Ok((reports(&mut workspace, &root), root))
        });
        let Ok((reports, root)) = checked.await else {
            return;
        };
        let mut published = self.published.lock().await;
        if opened == Opened::Yes {
            published.forget(&root, &path);
        }
        for report in published.select(&root, reports) {
            self.client
                .publish_diagnostics(report.uri, report.diagnostics, report.version)
                .await;
        }
    }

    fn workspace_symbols(&self, query: &str) -> WorkspaceSymbolResponse {
        let mut workspace = self.workspace();
        let roots = workspace.roots();
        let symbols = roots
            .iter()
            .map(|root| workspace.bundle(root))
            .flat_map(|bundle| {
                ide::workspace_symbols(&bundle.snapshot, query)
                    .into_iter()
                    .filter_map(|s| to_proto::symbol_information(&bundle, s))
                    .collect::<Vec<_>>()
            })
            .collect();
        WorkspaceSymbolResponse::Flat(symbols)
    }
}

/// Whether a notification opened its document (what was published for it starts again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opened {
    Yes,
    No,
}

/// The diagnostics of every file of the bundle at `root`, with the version of open documents.
fn reports(workspace: &mut Workspace, root: &Path) -> Vec<Report> {
    let bundle = workspace.bundle(root);
    bundle
        .snapshot
        .sources
        .files()
        .filter_map(|file| {
            let path = root.join(&file.path);
            Some(Report {
                uri: bundle.uri(file.id)?,
                diagnostics: bundle
                    .snapshot
                    .diagnostics_of(file.id)
                    .map(|d| to_proto::diagnostic(&bundle, d))
                    .collect(),
                version: workspace.version(&path),
                path,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::LspService;
    use tower_lsp_server::jsonrpc::ErrorCode;

    #[tokio::test]
    async fn a_panicking_request_is_an_internal_error_and_the_server_goes_on() {
        let (service, _socket) = LspService::new(Backend::new);
        let backend = service.inner();
        let failed: Result<()> = backend
            .guard(|| {
                let _locked = backend.workspace();
                panic!("a bug in a query")
            })
            .await;
        assert_eq!(failed.unwrap_err().code, ErrorCode::InternalError);
        // The lock the panic poisoned is taken over, and the next request is answered.
        assert!(backend.workspace().roots().is_empty());
        assert_eq!(backend.guard(|| Ok(7)).await.unwrap(), 7);
    }
}
