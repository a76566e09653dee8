//! Reading one file: UTF-8 text, or the reason it cannot be checked, which
//! becomes an `io` finding on that file (every other file is still checked).

use std::io::ErrorKind;
use std::path::Path;
use std::sync::Arc;

/// What reading a file gave.
#[derive(Debug, Clone)]
pub enum Source {
    /// The text, and a hash of its bytes (the cache key of its results).
    Text { text: Arc<str>, hash: u128 },
    /// Why the file cannot be checked, in the user's words.
    Unreadable(String),
}

/// How far into a file a NUL byte marks it as binary (as git and ripgrep do).
const BINARY_PROBE: usize = 8 * 1024;

pub fn read(path: &Path) -> Source {
    match std::fs::read(path) {
        Ok(bytes) => decode(bytes),
        Err(error) => Source::Unreadable(read_error(&error)),
    }
}

/// Text from the bytes of a file, or why they are not Newsmark text.
pub fn decode(bytes: Vec<u8>) -> Source {
    let probe = &bytes[..bytes.len().min(BINARY_PROBE)];
    if let Some(at) = probe.iter().position(|&b| b == 0) {
        return Source::Unreadable(format!(
            "binary file (a NUL byte at offset {at}); Newsmark files are UTF-8 text"
        ));
    }
    let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
    match String::from_utf8(bytes) {
        Ok(text) => Source::Text {
            text: text.into(),
            hash,
        },
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.as_bytes();
            let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
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
        match decode(bytes.to_vec()) {
            Source::Unreadable(reason) => reason,
            Source::Text { .. } => "text".to_owned(),
        }
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
    }
}
