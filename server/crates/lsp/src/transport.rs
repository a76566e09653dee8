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
//!
//! Whatever the client sends, memory stays bounded and the stream finds
//! its way back to whole frames:
//! - a frame announcing more than [`MAX_MESSAGE_BYTES`] is answered with
//!   `Invalid request` and its body is not read as a body: whatever
//!   follows is read as header lines until a real header comes, so a
//!   lying `Content-Length` loses nothing after it, and a real oversized
//!   body passes through without being held;
//! - a body is held as its bytes arrive, never allocated up front from
//!   its `Content-Length`: a client that announces 255 MB and sends ten
//!   bytes costs ten bytes;
//! - header lines are kept to [`MAX_HEADER_LINE`] bytes, and a header may
//!   follow the remains of a broken frame on the same line (JSON bodies
//!   rarely hold a line break, so the next header usually ends the line
//!   that the rest of a body started);
//! - a frame whose body ran into the next message (its `Content-Length`
//!   promised more than was sent) is answered with `Parse error`, and
//!   reading goes on at the header found inside it;
//! - answers wait in a bounded queue: while the client does not read its
//!   input, the server stops reading the client's messages instead of
//!   piling up answers.

use std::io::Write;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, DuplexStream};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};
use tracing::warn;

/// The buffer between this module and tower-lsp, in each direction.
const PIPE_BYTES: usize = 1 << 20;

/// The largest message body the server reads. A 100 MB document fits even
/// with many characters escaped in JSON; a larger frame is refused without
/// reading its body.
pub const MAX_MESSAGE_BYTES: usize = 256 << 20;

/// The longest header line kept. Real header lines are short; a longer
/// line is the remains of a broken frame, of which only the end (where the
/// next header may start) is kept.
pub const MAX_HEADER_LINE: usize = 4096;

/// Whole frames waiting for stdout; producers wait when it is full.
const OUTPUT_QUEUE: usize = 4;

const CONTENT_LENGTH: &[u8] = b"content-length:";

/// Serves one client over `input` and `output`. Returns whether the client
/// asked for `shutdown` before leaving.
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    let (to_server, server_input) = tokio::io::duplex(PIPE_BYTES);
    let (server_output, from_server) = tokio::io::duplex(PIPE_BYTES);
    let (frames_tx, frames_rx) = mpsc::channel(OUTPUT_QUEUE);
    let reader = tokio::spawn(forward_input(input, to_server, frames_tx.clone()));
    let outbox = crate::outbox::Outbox::new(&frames_tx);
    let server_frames = tokio::spawn(forward_server_output(from_server, frames_tx));
    let writer = tokio::spawn(write_frames(frames_rx, output));
    let clean_exit = crate::server::serve(server_input, server_output, outbox).await;
    // tower-lsp has dropped its end of the output pipe: its last frames are
    // queued, and once the input reader is gone the writer empties the
    // queue and stops.
    let _ = server_frames.await;
    reader.abort();
    let _ = reader.await;
    let _ = writer.await;
    clean_exit
}

/// Reads frames from the client; valid messages go on to tower-lsp,
/// invalid ones are answered through `frames`.
async fn forward_input<I: AsyncRead + Unpin>(
    input: I,
    mut to_server: DuplexStream,
    frames: mpsc::Sender<Vec<u8>>,
) {
    let mut input = FrameReader::new(input, MAX_MESSAGE_BYTES);
    loop {
        let (id, code, problem) = match input.read_frame().await {
            None => return,
            Some(Frame::Body(body)) => match check_message(&body) {
                Ok(()) => {
                    let header = format!("Content-Length: {}\r\n\r\n", body.len());
                    if to_server.write_all(header.as_bytes()).await.is_err()
                        || to_server.write_all(&body).await.is_err()
                    {
                        return;
                    }
                    continue;
                }
                Err((id, code, mut problem)) => {
                    // A `Content-Length` that promised more than was sent:
                    // the body ran into the next message. Read on from its
                    // header, so only the broken frame is lost.
                    if code == PARSE_ERROR
                        && let Some(at) = find_ignore_case(&body, CONTENT_LENGTH)
                    {
                        input.unread(&body[at..]);
                        problem
                            .push_str("; the frame holds the start of another message, read next");
                    }
                    (id, code, problem)
                }
            },
            Some(Frame::Invalid(problem)) => (Value::Null, PARSE_ERROR, problem),
            Some(Frame::TooLarge(length)) => {
                let problem = format!(
                    "Invalid request: a message of {length} bytes is larger than the {} MB the server reads; reading on at the next header",
                    MAX_MESSAGE_BYTES >> 20
                );
                (Value::Null, -32600, problem)
            }
        };
        warn!("invalid message ({problem}); answered with error {code}");
        if frames.send(error_frame(id, code, &problem)).await.is_err() {
            return;
        }
    }
}

/// Passes tower-lsp's frames on to the writer, whole.
async fn forward_server_output(from_server: DuplexStream, frames: mpsc::Sender<Vec<u8>>) {
    // tower-lsp writes well-formed frames of any size: no limit here.
    let mut from_server = FrameReader::new(from_server, usize::MAX);
    while let Some(frame) = from_server.read_frame().await {
        if let Frame::Body(body) = frame
            && frames.send(body).await.is_err()
        {
            return;
        }
    }
}

/// Writes frames to the client, one whole frame at a time.
async fn write_frames<O: AsyncWrite + Unpin>(mut frames: mpsc::Receiver<Vec<u8>>, mut output: O) {
    while let Some(body) = frames.recv().await {
        if write_frame(&mut output, &body).await.is_err() {
            break;
        }
    }
    let _ = output.flush().await;
}

async fn write_frame<O: AsyncWrite + Unpin>(output: &mut O, body: &[u8]) -> std::io::Result<()> {
    // One write per frame: one system call for the header and the body.
    let header = format!("Content-Length: {}\r\n\r\n", body.len());
    let mut frame = Vec::with_capacity(header.len() + body.len());
    frame.extend_from_slice(header.as_bytes());
    frame.extend_from_slice(body);
    output.write_all(&frame).await?;
    output.flush().await
}

/// The process's stdout, written in place by the task that writes frames.
/// Tokio's own stdout hands each write to a thread of its blocking pool and
/// waits to be woken: on the 2-core VM that took 0.4–0.55 ms of a 1 MB
/// article's diagnostics (216 KB), against 0.2–0.25 ms written in place
/// (docs/performance.md). The pipe holds 1 MB when the system allows it
/// (`run_stdio_with_log_level`), so a write rarely waits for the client;
/// when it does, `block_in_place` lets the runtime's other tasks go on
/// elsewhere. Unbuffered (a copy of the descriptor, not `std::io::Stdout`,
/// whose line buffer split each frame in two writes): one system call per
/// frame.
#[derive(Debug)]
pub struct BlockingStdout(std::fs::File);

impl BlockingStdout {
    pub fn new() -> std::io::Result<Self> {
        #[cfg(unix)]
        let out = std::os::fd::AsFd::as_fd(&std::io::stdout()).try_clone_to_owned()?;
        #[cfg(windows)]
        let out =
            std::os::windows::io::AsHandle::as_handle(&std::io::stdout()).try_clone_to_owned()?;
        Ok(BlockingStdout(std::fs::File::from(out)))
    }
}

impl AsyncWrite for BlockingStdout {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        bytes: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let write = || (&self.0).write_all(bytes).map(|()| bytes.len());
        // `block_in_place` needs the multi-threaded runtime (the server's).
        let multi_threaded = tokio::runtime::Handle::try_current().is_ok_and(|handle| {
            handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread
        });
        Poll::Ready(if multi_threaded {
            tokio::task::block_in_place(write)
        } else {
            write()
        })
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// What one frame of the input held.
#[derive(Debug, PartialEq, Eq)]
enum Frame {
    Body(Vec<u8>),
    /// Why the frame cannot be read (its header, or the input ended in it).
    Invalid(String),
    /// A `Content-Length` over the limit: its body is left unread.
    TooLarge(usize),
}

/// Content-Length framing over a byte stream, with bounded memory.
struct FrameReader<R> {
    input: R,
    /// Bytes read from `input` (or given back by [`FrameReader::unread`])
    /// that no frame has used yet.
    pending: Vec<u8>,
    max_body: usize,
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    fn new(input: R, max_body: usize) -> Self {
        Self {
            input,
            pending: Vec::new(),
            max_body,
        }
    }

    /// The next frame; `None` at the end of the input. Header lines other
    /// than `Content-Length` (such as `Content-Type`) are ignored.
    async fn read_frame(&mut self) -> Option<Frame> {
        let mut length: Option<usize> = None;
        let mut saw_header = false;
        loop {
            let line = self.next_line().await?;
            let line = line.strip_suffix(b"\n").unwrap_or(&line);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() {
                if saw_header {
                    break;
                }
                continue;
            }
            saw_header = true;
            // The header may follow the remains of a broken frame on the
            // same line: the last one on the line is the real one.
            if let Some(at) = rfind_ignore_case(line, CONTENT_LENGTH) {
                let value = &line[at + CONTENT_LENGTH.len()..];
                length = std::str::from_utf8(value)
                    .ok()
                    .and_then(|value| value.trim().parse().ok());
            }
        }
        let Some(length) = length else {
            return Some(Frame::Invalid(
                "a frame without a valid Content-Length header".to_owned(),
            ));
        };
        if length > self.max_body {
            return Some(Frame::TooLarge(length));
        }
        let from_pending = length.min(self.pending.len());
        let mut body: Vec<u8> = self.pending.drain(..from_pending).collect();
        // The body grows as its bytes arrive: a `Content-Length` that
        // promises much and sends little holds little.
        let missing = (length - body.len()) as u64;
        if let Err(error) = (&mut self.input).take(missing).read_to_end(&mut body).await {
            return Some(Frame::Invalid(format!(
                "the input ended inside a frame: {error}"
            )));
        }
        if body.len() < length {
            return Some(Frame::Invalid("the input ended inside a frame".to_owned()));
        }
        Some(Frame::Body(body))
    }

    /// The next line, with its line break; `None` at the end of the input
    /// (or when it cannot be read). A line longer than
    /// [`MAX_HEADER_LINE`] keeps only its end.
    async fn next_line(&mut self) -> Option<Vec<u8>> {
        let mut searched = 0;
        loop {
            if let Some(at) = self.pending[searched..].iter().position(|&b| b == b'\n') {
                return Some(self.pending.drain(..=searched + at).collect());
            }
            if self.pending.len() > MAX_HEADER_LINE {
                let cut = self.pending.len() - MAX_HEADER_LINE;
                self.pending.drain(..cut);
            }
            searched = self.pending.len();
            self.pending.reserve(8192);
            match self.input.read_buf(&mut self.pending).await {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
        }
    }

    /// Gives bytes back: the next frame starts with them.
    fn unread(&mut self, bytes: &[u8]) {
        self.pending.splice(0..0, bytes.iter().copied());
    }
}

/// Where `needle` (lowercase ASCII) last occurs in `haystack`, ignoring case.
fn rfind_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    haystack.windows(needle.len()).rposition(|window| {
        window[0].to_ascii_lowercase() == first && window.eq_ignore_ascii_case(needle)
    })
}

/// Where `needle` (lowercase ASCII) first occurs in `haystack`, ignoring case.
fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    haystack.windows(needle.len()).position(|window| {
        window[0].to_ascii_lowercase() == first && window.eq_ignore_ascii_case(needle)
    })
}

const PARSE_ERROR: i64 = -32700;

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

/// The body of an error answer.
fn error_frame(id: Value, code: i64, message: &str) -> Vec<u8> {
    let response =
        json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } });
    serde_json::to_vec(&response).unwrap_or_default()
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

    fn reader(input: &[u8]) -> FrameReader<&[u8]> {
        FrameReader::new(input, 100)
    }

    fn body(frame: Option<Frame>) -> Vec<u8> {
        match frame {
            Some(Frame::Body(body)) => body,
            other => panic!("expected a body, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn frames_are_read_across_headers_and_errors() {
        let mut input = reader(
            b"Content-Length: 2\r\nContent-Type: x\r\n\r\n{}X-Other: 1\r\n\r\nContent-Length: 1\r\n\r\n5",
        );
        assert_eq!(body(input.read_frame().await), b"{}");
        assert!(matches!(input.read_frame().await, Some(Frame::Invalid(_))));
        assert_eq!(body(input.read_frame().await), b"5");
        assert_eq!(input.read_frame().await, None);
    }

    #[tokio::test]
    async fn a_header_after_the_remains_of_a_broken_frame_is_found() {
        // An unusable length, then its body glued to the next header.
        let mut input = reader(b"Content-Length: x\r\n\r\n{\"a\":1}content-length: 2\r\n\r\n{}");
        assert!(matches!(input.read_frame().await, Some(Frame::Invalid(_))));
        assert_eq!(body(input.read_frame().await), b"{}");
    }

    #[tokio::test]
    async fn an_oversized_frame_is_refused_and_reading_goes_on_at_the_next_header() {
        // A real oversized body, then a lying length followed at once by a
        // message.
        let mut message = b"Content-Length: 150\r\n\r\n".to_vec();
        message.extend([b' '; 150]);
        message.extend(b"Content-Length: 2\r\n\r\n{}");
        message.extend(b"Content-Length: 99999\r\n\r\nContent-Length: 2\r\n\r\n[]");
        let mut input = reader(&message);
        assert_eq!(input.read_frame().await, Some(Frame::TooLarge(150)));
        assert_eq!(body(input.read_frame().await), b"{}");
        assert_eq!(input.read_frame().await, Some(Frame::TooLarge(99999)));
        assert_eq!(body(input.read_frame().await), b"[]");
        assert_eq!(input.read_frame().await, None);
    }

    #[tokio::test]
    async fn the_last_header_on_a_line_is_the_real_one() {
        let mut input = reader(
            b"Content-Length: 99999\r\n\r\n{\"a\":\"Content-Length: 7\"}Content-Length: 2\r\n\r\n{}",
        );
        assert_eq!(input.read_frame().await, Some(Frame::TooLarge(99999)));
        assert_eq!(body(input.read_frame().await), b"{}");
    }

    #[tokio::test]
    async fn long_lines_keep_only_their_end() {
        let mut message = vec![b'x'; 3 * MAX_HEADER_LINE];
        message.extend(b"Content-Length: 2\r\n\r\n{}");
        let mut input = FrameReader::new(&message[..], 100);
        assert_eq!(body(input.read_frame().await), b"{}");
    }

    #[tokio::test]
    async fn unread_bytes_come_first() {
        let mut input = reader(b"{}");
        input.unread(b"Content-Length: 3\r\n\r\n[1");
        assert_eq!(body(input.read_frame().await), b"[1{");
        // The input ended inside a frame.
        input.unread(b"Content-Length: 9\r\n\r\n");
        assert!(matches!(input.read_frame().await, Some(Frame::Invalid(_))));
        assert_eq!(input.read_frame().await, None);
    }

    /// A client that announces a large body and sends it in small pieces,
    /// recording the largest buffer the server offers for one read.
    struct Trickle {
        header: Vec<u8>,
        chunks_left: usize,
        largest_read: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    }

    impl AsyncRead for Trickle {
        fn poll_read(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
            buf: &mut tokio::io::ReadBuf<'_>,
        ) -> std::task::Poll<std::io::Result<()>> {
            use std::sync::atomic::Ordering;
            if !self.header.is_empty() {
                let n = self.header.len().min(buf.remaining());
                buf.put_slice(&self.header[..n]);
                self.header.drain(..n);
            } else if self.chunks_left > 0 {
                self.largest_read
                    .fetch_max(buf.remaining(), Ordering::Relaxed);
                self.chunks_left -= 1;
                buf.put_slice(&[b' '; 1024][..buf.remaining().min(1024)]);
            }
            std::task::Poll::Ready(Ok(()))
        }
    }

    #[tokio::test]
    async fn a_body_is_held_as_it_arrives_not_as_announced() {
        let largest_read = std::sync::Arc::default();
        let input = Trickle {
            header: b"Content-Length: 200000000\r\n\r\n".to_vec(),
            chunks_left: 100,
            largest_read: std::sync::Arc::clone(&largest_read),
        };
        let mut input = FrameReader::new(input, MAX_MESSAGE_BYTES);
        // 100 KB arrive, then the input ends.
        assert!(matches!(input.read_frame().await, Some(Frame::Invalid(_))));
        let largest = largest_read.load(std::sync::atomic::Ordering::Relaxed);
        assert!(largest < 1 << 20, "a read into {largest} bytes");
    }
}
