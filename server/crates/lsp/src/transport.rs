//! The stdio framing in front of tower-lsp.
//!
//! tower-lsp answers a message it cannot decode with an error, and then its
//! input stream ends (tokio-util's `FramedRead` stops after a decoder
//! error), so one line of invalid JSON would end the session and lose every
//! open document. This module reads the Content-Length frames itself and
//! passes on only well-formed JSON-RPC messages. A body that is not JSON is
//! answered with `Parse error` (-32700, id `null`), a JSON value that is
//! not a JSON-RPC message with `Invalid request` (-32600), and a frame
//! without a usable `Content-Length` with `Parse error`; then reading goes
//! on. The answers are written between whole frames of tower-lsp's own
//! output, so the framing on stdout is never torn.

use serde_json::{Value, json};
use tokio::io::{
    AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream,
};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};
use tracing::warn;

/// The buffer between this module and tower-lsp, in each direction.
const PIPE_BYTES: usize = 1 << 20;

/// Serves one client over `input` and `output`. Returns whether the client
/// asked for `shutdown` before leaving.
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    let (to_server, server_input) = tokio::io::duplex(PIPE_BYTES);
    let (server_output, from_server) = tokio::io::duplex(PIPE_BYTES);
    let (errors_tx, errors_rx) = mpsc::unbounded_channel();
    let reader = tokio::spawn(forward_input(input, to_server, errors_tx));
    let writer = tokio::spawn(forward_output(from_server, errors_rx, output));
    let clean_exit = crate::server::serve(server_input, server_output).await;
    // tower-lsp has dropped its end of the output pipe: the writer copies
    // what is left and stops.
    let _ = writer.await;
    reader.abort();
    clean_exit
}

/// Reads frames from the client; valid messages go on to tower-lsp,
/// invalid ones are answered through `errors`.
async fn forward_input<I: AsyncRead + Unpin>(
    input: I,
    mut to_server: DuplexStream,
    errors: mpsc::UnboundedSender<Value>,
) {
    let mut input = BufReader::new(input);
    loop {
        let frame = match read_frame(&mut input).await {
            Ok(Some(frame)) => frame,
            Ok(None) => return,
            Err(problem) => {
                warn!("invalid message frame: {problem}");
                let _ = errors.send(error_response(Value::Null, -32700, &problem));
                continue;
            }
        };
        if let Err((id, code, problem)) = check_message(&frame) {
            warn!("invalid message ({problem}); answered with error {code}");
            let _ = errors.send(error_response(id, code, &problem));
            continue;
        }
        let header = format!("Content-Length: {}\r\n\r\n", frame.len());
        if to_server.write_all(header.as_bytes()).await.is_err()
            || to_server.write_all(&frame).await.is_err()
        {
            return;
        }
    }
}

/// Copies tower-lsp's frames to the client, with error answers between them.
async fn forward_output<O: AsyncWrite + Unpin>(
    from_server: DuplexStream,
    mut errors: mpsc::UnboundedReceiver<Value>,
    mut output: O,
) {
    let mut from_server = BufReader::new(from_server);
    loop {
        tokio::select! {
            biased;
            frame = read_frame(&mut from_server) => {
                let Ok(Some(frame)) = frame else { break };
                if write_frame(&mut output, &frame).await.is_err() {
                    break;
                }
            }
            Some(error) = errors.recv() => {
                let body = serde_json::to_vec(&error).unwrap_or_default();
                if write_frame(&mut output, &body).await.is_err() {
                    break;
                }
            }
        }
    }
    let _ = output.flush().await;
}

async fn write_frame<O: AsyncWrite + Unpin>(output: &mut O, body: &[u8]) -> std::io::Result<()> {
    let header = format!("Content-Length: {}\r\n\r\n", body.len());
    output.write_all(header.as_bytes()).await?;
    output.write_all(body).await?;
    output.flush().await
}

/// One frame's body; `Ok(None)` at the end of the input. Header lines
/// other than `Content-Length` (such as `Content-Type`) are ignored.
async fn read_frame<R: AsyncRead + Unpin>(
    input: &mut BufReader<R>,
) -> Result<Option<Vec<u8>>, String> {
    let mut length: Option<usize> = None;
    let mut saw_header = false;
    loop {
        let mut line = String::new();
        match input.read_line(&mut line).await {
            Ok(0) => return Ok(None),
            Ok(_) => {}
            Err(error) => {
                // Not UTF-8 or unreadable: skip to the next line.
                return Err(format!("unreadable header: {error}"));
            }
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if !saw_header {
                continue;
            }
            break;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok();
        }
    }
    let length = length.ok_or("a frame without a valid Content-Length header")?;
    let mut body = vec![0; length];
    input
        .read_exact(&mut body)
        .await
        .map_err(|error| format!("the input ended inside a frame: {error}"))?;
    Ok(Some(body))
}

/// Whether a frame body is a JSON-RPC message tower-lsp can decode; else
/// the id to answer, the error code and what is wrong.
fn check_message(body: &[u8]) -> Result<(), (Value, i64, String)> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|error| (Value::Null, -32700, format!("Parse error: {error}")))?;
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    let is_message = serde_json::from_value::<Response>(value.clone()).is_ok()
        || serde_json::from_value::<Request>(value).is_ok();
    if is_message {
        Ok(())
    } else {
        Err((
            id,
            -32600,
            "Invalid request: not a JSON-RPC 2.0 message".to_owned(),
        ))
    }
}

fn error_response(id: Value, code: i64, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_checked_like_tower_lsp_decodes_them() {
        assert!(check_message(br#"{"jsonrpc":"2.0","id":1,"method":"x"}"#).is_ok());
        assert!(check_message(br#"{"jsonrpc":"2.0","method":"x","params":{}}"#).is_ok());
        assert!(check_message(br#"{"jsonrpc":"2.0","id":1,"result":null}"#).is_ok());
        let (id, code, _) = check_message(b"{oops").unwrap_err();
        assert_eq!((id, code), (Value::Null, -32700));
        let (id, code, _) = check_message(b"[1, 2]").unwrap_err();
        assert_eq!((id, code), (Value::Null, -32600));
        let (id, code, _) = check_message(br#"{"id": 7, "method": 3}"#).unwrap_err();
        assert_eq!((id, code), (json!(7), -32600));
    }

    #[tokio::test]
    async fn frames_are_read_across_headers_and_errors() {
        let input: &[u8] =
            b"Content-Length: 2\r\nContent-Type: x\r\n\r\n{}X-Other: 1\r\n\r\nContent-Length: 1\r\n\r\n5";
        let mut reader = BufReader::new(input);
        assert_eq!(read_frame(&mut reader).await.unwrap().unwrap(), b"{}");
        assert!(read_frame(&mut reader).await.is_err());
        assert_eq!(read_frame(&mut reader).await.unwrap().unwrap(), b"5");
        assert_eq!(read_frame(&mut reader).await.unwrap(), None);
    }
}
