//! `pm-lsp`: the language server for proactive message rules, over stdio.
//!
//! The server is a thin layer over the compiler library: [`workspace`] keeps the open buffers
//! and builds one [`pmc::ide::Snapshot`] per bundle, [`server`] routes each LSP method to a
//! handler in [`handlers`] and publishes only the diagnostics the client lacks ([`publish`]),
//! and [`to_proto`] / [`from_proto`] are the only places where compiler types and LSP types
//! meet. [`transport`] reads and writes stdio, answering malformed
//! messages itself ([`framing`]) so that the server keeps serving.

mod framing;
mod from_proto;
mod handlers;
mod publish;
mod server;
mod to_proto;
mod transport;
mod workspace;

use tower_lsp_server::LspService;

fn main() {
    if std::env::args().any(|a| a == "--version" || a == "-V") {
        println!("pm-lsp {}", env!("CARGO_PKG_VERSION"));
        return;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("pm-lsp: cannot start the async runtime: {error}");
            std::process::exit(2);
        }
    };
    runtime.block_on(async {
        let (service, socket) = LspService::new(server::Backend::new);
        transport::serve(service, socket, tokio::io::stdin(), tokio::io::stdout()).await;
    });
    // Reading stdin blocks a thread of the runtime that nothing can interrupt: after `exit`,
    // while the client keeps its end open, waiting for it would keep the process alive.
    runtime.shutdown_background();
}
