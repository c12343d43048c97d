//! The stdio transport: `tower-lsp-server`'s server behind a reader and a writer of our own, so
//! that a malformed message is answered with a JSON-RPC error and the server keeps serving.
//!
//! `tower-lsp-server` reads its input through `tokio-util`'s `FramedRead`, which ends the stream
//! after the first decoding error: the server answered that message with an error, then took
//! the end of the stream for the end of the input, and exited. So the server reads only
//! messages it can decode: [`read_client`] frames the client's bytes with [`Framer`], checks
//! each message with [`check_message`] and passes on the good ones, each re-framed, through an
//! in-memory pipe; it answers the others itself, through [`write_client`], the one task that
//! writes to the client: it copies the server's messages and writes the answers between them.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, DuplexStream};
use tokio::sync::mpsc;
use tower_lsp_server::{ClientSocket, LanguageServer, LspService, Server};

use crate::framing::{Framed, Framer, Rejection, check_message, frame};

/// Capacity of each in-memory pipe between the transport and the server, in bytes.
const PIPE_BYTES: usize = 256 * 1024;

/// Bytes read from a stream at a time.
const CHUNK_BYTES: usize = 64 * 1024;

/// Answers to malformed messages waiting to be written.
const PENDING_ANSWERS: usize = 64;

/// Serves `service` over `input` and `output` until the client sends `exit` or closes `input`.
pub async fn serve<S: LanguageServer>(
    service: LspService<S>,
    socket: ClientSocket,
    input: impl AsyncRead + Unpin + Send + 'static,
    output: impl AsyncWrite + Unpin,
) {
    let (to_server, server_input) = tokio::io::duplex(PIPE_BYTES);
    let (server_output, from_server) = tokio::io::duplex(PIPE_BYTES);
    let (answers, pending) = mpsc::channel(PENDING_ANSWERS);
    let reader = tokio::spawn(read_client(input, to_server, answers));
    let server = Server::new(server_input, server_output, socket).serve(service);
    tokio::join!(server, write_client(from_server, pending, output));
    // After `exit` the client may keep its end open: stop reading it.
    reader.abort();
}

/// Passes the client's well-formed messages to the server, and the answers to the others to
/// the writer, until the client's input ends or the server stops reading.
async fn read_client(
    mut input: impl AsyncRead + Unpin,
    mut server: DuplexStream,
    answers: mpsc::Sender<Vec<u8>>,
) {
    let mut framer = Framer::default();
    let mut chunk = vec![0; CHUNK_BYTES];
    loop {
        let read = match input.read(&mut chunk).await {
            Ok(0) => return,
            Ok(read) => read,
            Err(error) => {
                eprintln!("pm-lsp: cannot read the client's messages: {error}");
                return;
            }
        };
        framer.push(&chunk[..read]);
        while let Some(framed) = framer.next_frame() {
            let rejection = match framed {
                Framed::Message(body) => match check_message(&body) {
                    Ok(()) => {
                        if server.write_all(&frame(&body)).await.is_err() {
                            return; // The server has stopped.
                        }
                        continue;
                    }
                    Err(rejection) => {
                        if rejection.cut_short {
                            framer.resync();
                        }
                        rejection
                    }
                },
                Framed::Broken(problem) => Rejection::broken_frame(problem),
            };
            eprintln!(
                "pm-lsp: answered a malformed message with error {}: {}",
                rejection.error.code, rejection.error.message
            );
            if answers.send(rejection.response()).await.is_err() {
                return;
            }
        }
    }
}

/// Writes the server's messages and the answers to malformed ones to the client, whole, until
/// the server's output ends.
async fn write_client(
    mut from_server: DuplexStream,
    mut answers: mpsc::Receiver<Vec<u8>>,
    mut output: impl AsyncWrite + Unpin,
) {
    let mut framer = Framer::default();
    let mut chunk = vec![0; CHUNK_BYTES];
    loop {
        let bodies = tokio::select! {
            read = from_server.read(&mut chunk) => match read {
                Ok(0) | Err(_) => break,
                Ok(read) => {
                    framer.push(&chunk[..read]);
                    server_messages(&mut framer)
                }
            },
            Some(answer) = answers.recv() => vec![answer],
        };
        for body in bodies {
            if write_message(&mut output, &body).await.is_err() {
                return; // The client is gone.
            }
        }
    }
    while let Ok(answer) = answers.try_recv() {
        if write_message(&mut output, &answer).await.is_err() {
            return;
        }
    }
}

/// The complete messages the server wrote so far.
fn server_messages(framer: &mut Framer) -> Vec<Vec<u8>> {
    std::iter::from_fn(|| framer.next_frame())
        .filter_map(|framed| match framed {
            Framed::Message(body) => Some(body),
            Framed::Broken(problem) => {
                eprintln!(
                    "pm-lsp: internal error: the server wrote a malformed message: {problem}"
                );
                None
            }
        })
        .collect()
}

/// Writes one message, framed, and flushes it.
async fn write_message(output: &mut (impl AsyncWrite + Unpin), body: &[u8]) -> std::io::Result<()> {
    output.write_all(&frame(body)).await?;
    output.flush().await
}
