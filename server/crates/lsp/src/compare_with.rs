//! Another annotator's version as hints (`compare-with = "../bob"` in
//! `newsmark.toml`): while you annotate an article, how the same article
//! in that folder differs from yours. Read from disk at each publication
//! of the article's findings, so their edits show as they save them.

use std::path::{Path, PathBuf};

use newsmark_analysis::export::is_article;
use newsmark_analysis::{Diagnostic, FileId, Workspace, disagreements};
use newsmark_files::source::{self, Source};

/// The largest article compared: the comparison runs at every keystroke,
/// and aligning two texts that differ costs up to their product.
const MAX_BYTES: usize = 256 * 1024;

/// The hints for `file`; none when the setting is off, the file is not an
/// article inside the workspace root, or the other version cannot be read,
/// is not a file inside the other folder, or either is too large.
pub fn hints(ws: &Workspace, file: FileId) -> Vec<Diagnostic> {
    let Some(theirs) = other_version(ws, file) else {
        return Vec::new();
    };
    let fits = |len: u64| len <= MAX_BYTES as u64;
    if !fits(ws.text(file).len() as u64) || !theirs.metadata().is_ok_and(|m| fits(m.len())) {
        return Vec::new();
    }
    let Source::Text { text, .. } = source::read(&theirs, true) else {
        return Vec::new();
    };
    let name = (Path::new(ws.config().compare_with.as_deref().unwrap_or_default()))
        .file_name()
        .map_or_else(
            || "the other version".to_owned(),
            |n| n.to_string_lossy().into_owned(),
        );
    disagreements::hints(ws, file, &text, &name)
}

/// The path of the other annotator's version of `file`: the same path
/// inside their folder.
fn other_version(ws: &Workspace, file: FileId) -> Option<PathBuf> {
    let folder = ws.config().compare_with.as_deref()?;
    let relative = ws
        .path(file)
        .strip_prefix(ws.root())
        .filter(|_| !ws.root().is_empty())?;
    if !is_article(ws.summary(file)) {
        return None;
    }
    let folder = Path::new(ws.root()).join(folder).canonicalize().ok()?;
    // Links may not lead out of their folder to other files of the disk.
    let path = folder.join(relative).canonicalize().ok()?;
    path.starts_with(&folder).then_some(path)
}
