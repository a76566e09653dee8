//! Reading one file: UTF-8 text, or the reason it cannot be checked, which
//! becomes an `io` finding on that file (every other file is still checked).

use std::cell::RefCell;
use std::fs::File;
use std::io::{ErrorKind, Read as _};
use std::path::Path;
use std::sync::Arc;

use newsmark_syntax::position::LineIndex;

/// What reading a file gave.
#[derive(Debug, Clone)]
pub enum Source {
    /// The text, and a hash of its bytes (the cache key of its results).
    Text { text: Arc<str>, hash: u128 },
    /// Valid text that was not kept (see [`read`]), and its hash.
    Hashed { hash: u128 },
    /// Why the file cannot be checked, in the user's words.
    Unreadable(String),
}

impl Source {
    /// The hash of a readable file.
    pub fn hash(&self) -> Option<u128> {
        match self {
            Source::Text { hash, .. } | Source::Hashed { hash } => Some(*hash),
            Source::Unreadable(_) => None,
        }
    }
}

/// How far into a file a NUL byte marks it as binary (as git and ripgrep do).
const BINARY_PROBE: usize = 8 * 1024;

/// Reads a file. Without `keep`, valid text is only hashed and checked
/// ([`Source::Hashed`]): a warm `check` needs no text when the cache holds
/// the file's findings and the report shows no source.
pub fn read(path: &Path, keep: bool) -> Source {
    // One buffer per thread, reused from file to file: the text is copied
    // once, into its shared string, and the buffer's pages stay mapped.
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    if let Some(what) = crate::special_file(path) {
        return Source::Unreadable(format!("cannot read the file: it is {what}, not a file"));
    }
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        match File::open(path).and_then(|mut file| file.read_to_end(buffer)) {
            Ok(_) => decode(buffer, keep),
            Err(error) => Source::Unreadable(read_error(&error)),
        }
    })
}

/// Text from the bytes of a file, or why they are not Newsmark text.
pub fn decode(bytes: &[u8], keep: bool) -> Source {
    let probe = &bytes[..bytes.len().min(BINARY_PROBE)];
    if let Some(at) = memchr::memchr(0, probe) {
        return Source::Unreadable(format!(
            "binary file (a NUL byte at offset {at}); Newsmark files are UTF-8 text"
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) if keep => Source::Text {
            text: text.into(),
            hash: xxhash_rust::xxh3::xxh3_128(bytes),
        },
        Ok(_) => Source::Hashed {
            hash: xxhash_rust::xxh3::xxh3_128(bytes),
        },
        Err(error) => {
            let valid = error.valid_up_to();
            let before = std::str::from_utf8(&bytes[..valid]).expect("valid up to here");
            let line = LineIndex::new(before).line(valid) + 1;
            Source::Unreadable(format!(
                "not valid UTF-8 (byte {valid}, line {line}); save the file as UTF-8"
            ))
        }
    }
}

fn read_error(error: &std::io::Error) -> String {
    let reason = match error.kind() {
        ErrorKind::NotFound => "no such file or directory".to_owned(),
        ErrorKind::PermissionDenied => "permission denied".to_owned(),
        ErrorKind::IsADirectory => "it is a directory, not a file".to_owned(),
        _ => error.to_string(),
    };
    format!("cannot read the file: {reason}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(bytes: &[u8]) -> String {
        match decode(bytes, true) {
            Source::Unreadable(reason) => reason,
            Source::Text { .. } | Source::Hashed { .. } => "text".to_owned(),
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_not_opened() {
        let dir = std::env::temp_dir().join(format!("newsmark-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("pipe.nmk");
        let _ = std::fs::remove_file(&fifo);
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|status| status.success()), "mkfifo failed");
        // Opening it would wait for a writer forever.
        let found = match read(&fifo, true) {
            Source::Unreadable(reason) => reason,
            Source::Text { .. } | Source::Hashed { .. } => "text".to_owned(),
        };
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            found,
            "cannot read the file: it is a named pipe, not a file"
        );
    }

    #[test]
    fn binary_and_invalid_utf8_are_reasons_not_errors() {
        assert_eq!(reason("가 [x]@y\n".as_bytes()), "text");
        assert_eq!(
            reason(b"\x89PNG\r\n\x1a\n\0\0"),
            "binary file (a NUL byte at offset 8); Newsmark files are UTF-8 text"
        );
        assert_eq!(
            reason(b"ok\nLatin-1 caf\xe9\n"),
            "not valid UTF-8 (byte 14, line 2); save the file as UTF-8"
        );
        // Lines break at CR and CRLF too, as in every other message.
        assert_eq!(
            reason(b"ok\r\nold Mac\rcaf\xe9\r"),
            "not valid UTF-8 (byte 15, line 3); save the file as UTF-8"
        );
    }
}
