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
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// Where parked summaries go.
#[derive(Debug, Default)]
pub struct Spill {
    /// The file (made with the first summary: a warm run parses nothing),
    /// and where its next summary goes.
    file: OnceLock<Option<Mutex<(File, u64)>>>,
    /// Whether a summary had to stay in memory.
    kept: AtomicBool,
}

/// A parked summary.
#[derive(Debug)]
pub enum Parked {
    Kept(Box<[u8]>),
    Spilled { offset: u64, len: usize },
}

impl Spill {
    /// Whether a summary stayed in memory (no temporary file could be made
    /// or written).
    pub fn kept_any(&self) -> bool {
        self.kept.load(Ordering::Relaxed)
    }

    pub fn park(&self, bytes: Box<[u8]>) -> Parked {
        let parked = self.lock().and_then(|mut guard| {
            let (file, end) = &mut *guard;
            let offset = *end;
            file.seek(SeekFrom::Start(offset))
                .and_then(|_| file.write_all(&bytes))
                .ok()?;
            *end += bytes.len() as u64;
            Some(Parked::Spilled {
                offset,
                len: bytes.len(),
            })
        });
        parked.unwrap_or_else(|| {
            self.kept.store(true, Ordering::Relaxed);
            Parked::Kept(bytes)
        })
    }

    /// The file, made on first use; `None` if it cannot be made.
    fn lock(&self) -> Option<MutexGuard<'_, (File, u64)>> {
        let file = self
            .file
            .get_or_init(|| tempfile::tempfile().ok().map(|file| Mutex::new((file, 0))));
        Some(
            file.as_ref()?
                .lock()
                .unwrap_or_else(|poison| poison.into_inner()),
        )
    }

    /// The bytes of a parked summary; `None` if they can no longer be read
    /// (the caller parses the file again).
    pub fn get<'a>(&self, parked: &'a Parked) -> Option<Cow<'a, [u8]>> {
        match parked {
            Parked::Kept(bytes) => Some(Cow::Borrowed(bytes)),
            Parked::Spilled { offset, len } => {
                let mut guard = self.lock()?;
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
        let spill = Spill::default();
        let parked: Vec<Parked> = (0..100u8)
            .map(|n| spill.park(vec![n; usize::from(n) * 7].into()))
            .collect();
        assert!(matches!(parked[1], Parked::Spilled { .. }));
        assert!(!spill.kept_any());
        for (n, parked) in (0..100u8).zip(&parked) {
            assert_eq!(spill.get(parked).unwrap(), vec![n; usize::from(n) * 7]);
        }
    }

    #[test]
    fn without_a_file_bytes_are_kept() {
        let spill = Spill::default();
        spill.file.set(None).unwrap();
        let parked = spill.park(vec![1, 2, 3].into());
        assert!(matches!(parked, Parked::Kept(_)));
        assert!(spill.kept_any());
        assert_eq!(spill.get(&parked).unwrap(), [1, 2, 3].as_slice());
    }
}
