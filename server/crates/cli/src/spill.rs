//! Encoded summaries parked in an unnamed temporary file (in `TMPDIR`)
//! while the rest of the corpus is parsed, as `sort` parks its runs: at a
//! million articles they are ~2 GB, which the page cache can keep or drop
//! as memory allows, where the heap would hold all of it (and the holes
//! that parses leave around each one) until the findings are done.
//!
//! Without a temporary file (none can be made, or a write fails) a
//! summary is kept in memory, as before.

use std::borrow::Cow;
use std::fs::File;
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::sync::Mutex;

/// Where parked summaries go.
#[derive(Debug)]
pub struct Spill {
    /// The file, and where its next summary goes.
    file: Option<Mutex<(File, u64)>>,
}

/// A parked summary.
#[derive(Debug)]
pub enum Parked {
    Kept(Box<[u8]>),
    Spilled { offset: u64, len: usize },
}

impl Spill {
    pub fn temporary() -> Spill {
        Spill {
            file: tempfile::tempfile().ok().map(|file| Mutex::new((file, 0))),
        }
    }

    /// Whether summaries go to a file (else they are kept in memory).
    pub fn on_disk(&self) -> bool {
        self.file.is_some()
    }

    pub fn park(&self, bytes: Box<[u8]>) -> Parked {
        let Some(file) = &self.file else {
            return Parked::Kept(bytes);
        };
        let mut guard = file.lock().unwrap_or_else(|poison| poison.into_inner());
        let (file, end) = &mut *guard;
        let offset = *end;
        match file
            .seek(SeekFrom::Start(offset))
            .and_then(|_| file.write_all(&bytes))
        {
            Ok(()) => {
                *end += bytes.len() as u64;
                Parked::Spilled {
                    offset,
                    len: bytes.len(),
                }
            }
            Err(_) => Parked::Kept(bytes),
        }
    }

    /// The bytes of a parked summary; `None` if they can no longer be read
    /// (the caller parses the file again).
    pub fn get<'a>(&self, parked: &'a Parked) -> Option<Cow<'a, [u8]>> {
        match parked {
            Parked::Kept(bytes) => Some(Cow::Borrowed(bytes)),
            Parked::Spilled { offset, len } => {
                let mut guard = self.file.as_ref()?.lock().ok()?;
                let (file, _) = &mut *guard;
                let mut bytes = vec![0; *len];
                file.seek(SeekFrom::Start(*offset)).ok()?;
                file.read_exact(&mut bytes).ok()?;
                Some(Cow::Owned(bytes))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parked_bytes_come_back_as_they_went() {
        let spill = Spill::temporary();
        let parked: Vec<Parked> = (0..100u8)
            .map(|n| spill.park(vec![n; usize::from(n) * 7].into()))
            .collect();
        assert!(matches!(parked[1], Parked::Spilled { .. }));
        for (n, parked) in (0..100u8).zip(&parked) {
            assert_eq!(spill.get(parked).unwrap(), vec![n; usize::from(n) * 7]);
        }
    }

    #[test]
    fn without_a_file_bytes_are_kept() {
        let spill = Spill { file: None };
        let parked = spill.park(vec![1, 2, 3].into());
        assert!(matches!(parked, Parked::Kept(_)));
        assert_eq!(spill.get(&parked).unwrap(), [1, 2, 3].as_slice());
    }
}
