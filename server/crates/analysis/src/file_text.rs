//! A file's text as the workspace keeps it: in memory, or parked outside
//! it by the front end. The language server parks the text of every file
//! that is not open (a 100,000-article corpus is 620 MB of text), and reads
//! one back when an answer needs it: a rename's edits, a position the
//! index keeps no line span for (a definition, a hover's range, a use
//! over two lines or past column 65,535), a pulled diagnostic. Summaries
//! and the index stay in memory, so most answers never read a text.

use std::fmt::Debug;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub enum FileText {
    Held(Arc<str>),
    Parked(Arc<dyn ParkedText>),
}

/// A text parked outside memory.
pub trait ParkedText: Send + Sync + Debug {
    /// The text as it was parked. A store that can no longer read it back
    /// gives a text of the same length (see [`FileText::unreadable`]).
    fn read(&self) -> Arc<str>;
}

impl FileText {
    pub fn get(&self) -> Arc<str> {
        match self {
            FileText::Held(text) => text.clone(),
            FileText::Parked(parked) => parked.read(),
        }
    }

    /// The stand-in for a parked text of `len` bytes that cannot be read
    /// back: spaces, so that every range of the file's summary still
    /// falls on character boundaries and nothing that slices it panics.
    pub fn unreadable(len: usize) -> Arc<str> {
        " ".repeat(len).into()
    }
}

impl From<Arc<str>> for FileText {
    fn from(text: Arc<str>) -> Self {
        FileText::Held(text)
    }
}
