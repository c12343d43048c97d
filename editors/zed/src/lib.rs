//! The Zed extension for `.pm` files: tells Zed how to start `pm-lsp`, the language server that
//! shares the compiler's parser, checker and diagnostics.
//!
//! The binary is the one set in Zed's settings (`lsp.pm-lsp.binary.path`, with optional
//! `arguments` and `env`), or else `pm-lsp` found on the worktree's `PATH`. Nothing is
//! downloaded: the server is built from the repository (`cargo install --path lsp`).

use zed_extension_api::{self as zed, settings::LspSettings};

/// The extension; it keeps no state between calls.
struct PmRules;

/// What to tell users when no binary is configured and none is on `PATH`.
const NOT_FOUND: &str = "pm-lsp was not found on PATH. Install it from a checkout of the \
    repository with `cargo install --path lsp`, or set `lsp.pm-lsp.binary.path` in Zed's settings.";

impl zed::Extension for PmRules {
    fn new() -> Self {
        PmRules
    }

    fn language_server_command(
        &mut self,
        language_server_id: &zed::LanguageServerId,
        worktree: &zed::Worktree,
    ) -> zed::Result<zed::Command> {
        let binary = LspSettings::for_worktree(language_server_id.as_ref(), worktree)?.binary;
        let (path, arguments, env) = match binary {
            Some(binary) => (binary.path, binary.arguments, binary.env),
            None => (None, None, None),
        };
        let command = match path {
            Some(path) => path,
            None => worktree
                .which("pm-lsp")
                .ok_or_else(|| NOT_FOUND.to_string())?,
        };
        let mut environment = worktree.shell_env();
        environment.extend(env.unwrap_or_default());
        Ok(zed::Command {
            command,
            args: arguments.unwrap_or_default(),
            env: environment,
        })
    }
}

zed::register_extension!(PmRules);
