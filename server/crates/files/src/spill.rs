//! Bytes parked in an unnamed temporary file (in `TMPDIR`), as `sort`
//! parks its runs: the page cache keeps them or drops them as memory
//! allows, where the heap would hold all of them.
//!
//! - `newsmark check` parks each file's encoded summary while the rest of
//!   the corpus is parsed (~2 GB at a million articles, and the holes that
//!   parses leave around each one in the heap).
//! - The language server parks the text of every file that is not open
//!   ([`Spill::park_text`], read back through
//!   [`newsmark_analysis::FileText`]): 620 MB at 100,000 articles.
//!
//! Without a temporary file (none can be made, or a write fails) the bytes
//! stay in memory, as before. A file only grows: the server parks a file's
//! text again each time it changes on disk or is closed, and starts a new
//! file for each scan of the workspace (the old one goes with the last
//! entry that reads from it).

use std::borrow::Cow;
use std::fs::File;
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use newsmark_analysis::{FileText, ParkedText};

/// Where parked bytes go.
#[derive(Debug, Default)]
pub struct Spill {
    /// The file (made with the first bytes parked: a warm run of `check`
    /// parses nothing), and where the next bytes go.
    file: OnceLock<Option<Mutex<(File, u64)>>>,
    /// Whether bytes had to stay in memory.
    kept: AtomicBool,
}

/// Parked bytes.
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
        self.write(&bytes).unwrap_or_else(|| {
            self.kept.store(true, Ordering::Relaxed);
            Parked::Kept(bytes)
        })
    }

    /// Parks a file's text; `None` when it must stay in memory.
    pub fn park_text(self: &Arc<Self>, text: &str) -> Option<FileText> {
        let parked = self.write(text.as_bytes())?;
        Some(FileText::Parked(Arc::new(SpilledText {
            spill: self.clone(),
            parked,
            len: text.len(),
        })))
    }

    /// Appends `bytes` to the file.
    fn write(&self, bytes: &[u8]) -> Option<Parked> {
        let mut guard = self.lock()?;
        let (file, end) = &mut *guard;
        let offset = *end;
        file.seek(SeekFrom::Start(offset))
            .and_then(|_| file.write_all(bytes))
            .ok()?;
        *end += bytes.len() as u64;
        Some(Parked::Spilled {
            offset,
            len: bytes.len(),
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

/// A text parked by [`Spill::park_text`] (always `Parked::Spilled`: a
/// text that cannot be written stays held).
#[derive(Debug)]
struct SpilledText {
    spill: Arc<Spill>,
    parked: Parked,
    len: usize,
}

impl ParkedText for SpilledText {
    fn read(&self) -> Arc<str> {
        (self.spill.get(&self.parked))
            .and_then(|bytes| String::from_utf8(bytes.into_owned()).ok())
            .map_or_else(|| FileText::unreadable(self.len), Arc::from)
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
    fn parked_texts_read_back_as_they_went() {
        let spill = Arc::new(Spill::default());
        let texts = ["Сергей [Лавров]@lavrov\r\n", "", "서울 🇰🇷\rend"];
        let parked: Vec<FileText> = (texts.iter())
            .map(|text| spill.park_text(text).unwrap())
            .collect();
        for (text, parked) in texts.iter().zip(&parked) {
            assert!(matches!(parked, FileText::Parked(_)));
            assert_eq!(&*parked.get(), *text);
        }
    }

    #[test]
    fn a_text_that_cannot_be_read_back_keeps_its_length() {
        let spill = Arc::new(Spill::default());
        let parked = spill.park_text("[Лавров]@lavrov").unwrap();
        // The file is gone: reads fail from here on.
        *spill.file.get().unwrap().as_ref().unwrap().lock().unwrap() =
            (tempfile::tempfile().unwrap(), 0);
        assert_eq!(&*parked.get(), " ".repeat("[Лавров]@lavrov".len()));
    }

    #[test]
    fn without_a_file_texts_stay_in_memory() {
        let spill = Arc::new(Spill::default());
        spill.file.set(None).unwrap();
        assert!(spill.park_text("text").is_none());
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
