//! Merging annotators' versions of a file into one (`newsmark merge`):
//! what all of them wrote alike is written once; where they differ, a
//! conflict block holds each one's version, for a curator to settle in
//! the editor (docs/markup.md, "Conflicts").
//!
//! A file is cut into chunks, each whole lines: its paragraphs and
//! headings, and its entity definitions. Chunks pair across versions by
//! their plain text (a definition by its id), with a diff, so a paragraph
//! one annotator added or dropped does not shift the others. Paired
//! paragraphs agree when their plain texts and their annotations (in
//! `agreement`'s units, relative to the paragraph) are the same, whatever
//! the markup looks like; definitions when their lines are. The rest of
//! the file (front matter, comments, blank lines) is the first version's.

use std::ops::Range;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

use newsmark_syntax::position::LineIndex;

use crate::agreement;
use crate::export::{PlainDocument, ResolvedEntity};
use crate::summary::FileSummary;

/// The first line (zero-based) of `text` that reads as a conflict marker
/// (seven `<`, `=` or `>` and no eighth). A file holding one cannot be
/// merged: inside a conflict block of the merge it would end a version
/// early, and an unresolved conflict would nest in a new one.
pub fn marker_line(text: &str, lines: &LineIndex) -> Option<u32> {
    (0..lines.count() as u32).find(|&line| {
        let bytes = lines.line_text(text, line).as_bytes();
        bytes.first().is_some_and(|&first| {
            b"<=>".contains(&first)
                && bytes.len() >= 7
                && bytes[..7].iter().all(|&b| b == first)
                && bytes.get(7) != Some(&first)
        })
    })
}

/// One version of a file, cut into chunks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunked {
    text: String,
    front_matter: Option<String>,
    chunks: Vec<Chunk>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Chunk {
    /// What pairs it with other versions' chunks.
    key: String,
    /// Whole lines of the text, without the last line break.
    lines: Range<usize>,
    /// What must be the same for versions to agree.
    content: Content,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Content {
    /// A paragraph or heading: its annotations, relative to its start.
    Block(Vec<BlockUnit>),
    /// A definition: its lines, with `\n` line breaks.
    Lines(String),
}

/// `(label family, start, end, value, the text of a stance's target)`.
type BlockUnit = (String, usize, usize, String, Option<String>);

impl Chunked {
    /// Cuts a parsed file into chunks. `document` and `entities` are its
    /// plain text and the entities it uses, as `export` gives them.
    pub fn new(
        text: &str,
        summary: &FileSummary,
        document: &PlainDocument,
        entities: &[ResolvedEntity],
    ) -> Chunked {
        let units = agreement::units(document, entities);
        let plain: Vec<char> = document.text.chars().collect();
        let slice = |range: (usize, usize)| -> String {
            plain
                .get(range.0..range.1)
                .unwrap_or_default()
                .iter()
                .collect()
        };
        let mut chunks: Vec<Chunk> = (document.blocks.iter().zip(&document.source_blocks))
            .map(|(block, source)| {
                let inside = units
                    .iter()
                    .filter(|u| block.start <= u.start && u.end <= block.end);
                let mut relative: Vec<BlockUnit> = inside
                    .map(|u| {
                        let family = u.label.split(':').next().unwrap_or_default().to_owned();
                        let target = u.target.map(slice);
                        let (start, end) = (u.start - block.start, u.end - block.start);
                        (family, start, end, u.value.clone(), target)
                    })
                    .collect();
                relative.sort();
                Chunk {
                    key: slice((block.start, block.end)),
                    lines: whole_lines(text, source.clone()),
                    content: Content::Block(relative),
                }
            })
            .collect();
        chunks.extend(summary.definitions.iter().map(|definition| {
            let lines = whole_lines(text, definition.range.clone());
            Chunk {
                key: format!("@{}", definition.id.as_str()),
                content: Content::Lines(with_newlines(&text[lines.clone()], "\n")),
                lines,
            }
        }));
        chunks.sort_by_key(|chunk| chunk.lines.start);
        // A chunk inside another (a definition in a paragraph that failed
        // to parse) is left to the outer one.
        chunks.dedup_by(|inner, outer| inner.lines.start < outer.lines.end);
        Chunked {
            text: text.to_owned(),
            front_matter: (summary.front_matter.as_ref())
                .map(|front| with_newlines(&text[whole_lines(text, front.range.clone())], "\n")),
            chunks,
        }
    }
}

/// The merge of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub text: String,
    /// Chunks written once, as all versions have them.
    pub agreed: usize,
    /// Conflict blocks written.
    pub conflicts: usize,
    /// Versions whose front matter differs from the first version's
    /// (which is the one written).
    pub front_matter_differs: Vec<usize>,
}

/// Merges the versions of one file, one per annotator, in order; `None`
/// for an annotator who does not have the file. Names are the
/// annotators' (one line each). At least one version must be present.
pub fn merge(names: &[&str], versions: &[Option<&Chunked>]) -> Merged {
    let base_index = versions
        .iter()
        .position(Option::is_some)
        .expect("a version to merge");
    let base = versions[base_index].expect("present");
    let newline = line_break(&base.text);
    let keys = |chunked: &Chunked| -> Vec<String> {
        chunked.chunks.iter().map(|c| c.key.clone()).collect()
    };
    let base_keys = keys(base);
    let alignments: Vec<Alignment> = (versions.iter().enumerate())
        .map(|(index, version)| match version {
            Some(version) if index != base_index => align(&base_keys, &keys(version)),
            Some(_) => Alignment::itself(base_keys.len()),
            None => Alignment::absent(base_keys.len()),
        })
        .collect();
    let names: Vec<String> = (names.iter().enumerate())
        .map(|(index, name)| match one_line(name) {
            name if name.is_empty() => format!("annotator-{}", index + 1),
            name => name,
        })
        .collect();
    let content_of = |version: usize, chunks: &[usize]| -> String {
        let Some(chunked) = versions[version] else {
            return String::new();
        };
        let parts: Vec<String> = (chunks.iter())
            .map(|&c| with_newlines(&chunked.text[chunked.chunks[c].lines.clone()], newline))
            .collect();
        parts.join(&format!("{newline}{newline}"))
    };
    let mut merged = Merged {
        text: String::new(),
        agreed: 0,
        conflicts: 0,
        front_matter_differs: (versions.iter().enumerate())
            .filter_map(|(index, v)| {
                v.filter(|v| v.front_matter != base.front_matter)
                    .map(|_| index)
            })
            .collect(),
    };
    let conflict = |chunks: &dyn Fn(usize) -> Vec<usize>| {
        let contents: Vec<(&str, String)> = (0..versions.len())
            .map(|v| (names[v].as_str(), content_of(v, &chunks(v))))
            .collect();
        conflict_block(&contents, newline)
    };
    let mut out = String::new();
    let mut pos = 0;
    for (j, chunk) in base.chunks.iter().enumerate() {
        out.push_str(&base.text[pos..chunk.lines.start]);
        if alignments.iter().any(|a| !a.inserted[j].is_empty()) {
            out.push_str(&conflict(&|v| alignments[v].inserted[j].clone()));
            merged.conflicts += 1;
            out.push_str(newline);
            out.push_str(newline);
        }
        let paired: Vec<Option<&Chunk>> = (versions.iter().zip(&alignments))
            .map(|(version, alignment)| {
                let version = (*version)?;
                alignment.paired[j].map(|k| &version.chunks[k])
            })
            .collect();
        if paired
            .iter()
            .all(|p| p.is_some_and(|p| p.key == chunk.key && p.content == chunk.content))
        {
            out.push_str(&base.text[chunk.lines.clone()]);
            merged.agreed += 1;
        } else {
            out.push_str(&conflict(&|v| {
                alignments[v].paired[j].into_iter().collect()
            }));
            merged.conflicts += 1;
        }
        pos = chunk.lines.end;
    }
    let last = base.chunks.len();
    if alignments.iter().any(|a| !a.inserted[last].is_empty()) {
        if base.chunks.is_empty() {
            out.push_str(&base.text);
            pos = base.text.len();
        }
        if !out.is_empty() {
            if !out.ends_with(['\n', '\r']) {
                out.push_str(newline);
            }
            out.push_str(newline);
        }
        out.push_str(&conflict(&|v| alignments[v].inserted[last].clone()));
        merged.conflicts += 1;
        if pos == base.text.len() {
            out.push_str(newline);
        }
    }
    out.push_str(&base.text[pos..]);
    merged.text = out;
    merged
}

/// How one version's chunks stand to the first version's.
struct Alignment {
    /// For each chunk of the first version, the chunk paired with it.
    paired: Vec<Option<usize>>,
    /// For each place between the first version's chunks (before chunk
    /// `j`, and at the end), the chunks this version adds there.
    inserted: Vec<Vec<usize>>,
}

impl Alignment {
    fn itself(len: usize) -> Self {
        Alignment {
            paired: (0..len).map(Some).collect(),
            inserted: vec![Vec::new(); len + 1],
        }
    }

    fn absent(len: usize) -> Self {
        Alignment {
            paired: vec![None; len],
            inserted: vec![Vec::new(); len + 1],
        }
    }
}

/// Pairs chunks by key with a diff; chunks replaced by as many others
/// pair in order (a paragraph whose words an annotator changed).
fn align(base: &[String], other: &[String]) -> Alignment {
    // A pathological pair of files gives a coarser pairing, not a hang.
    let deadline = Instant::now() + Duration::from_secs(2);
    let ops = capture_diff_slices_deadline(Algorithm::Myers, base, other, Some(deadline));
    let mut alignment = Alignment::absent(base.len());
    for op in ops {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for k in 0..len {
                    alignment.paired[old_index + k] = Some(new_index + k);
                }
            }
            DiffOp::Delete { .. } => {}
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => alignment.inserted[old_index].extend(new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let both = old_len.min(new_len);
                for k in 0..both {
                    alignment.paired[old_index + k] = Some(new_index + k);
                }
                alignment.inserted[old_index + old_len]
                    .extend(new_index + both..new_index + new_len);
            }
        }
    }
    alignment
}

/// A conflict block: the first version after `<<<<<<< NAME`, each next
/// one after `=======` (named there but for the last, which is named on
/// `>>>>>>> NAME`, as git writes two).
pub fn conflict_block(versions: &[(&str, String)], newline: &str) -> String {
    let mut out = String::new();
    let last = versions.len() - 1;
    for (index, (name, content)) in versions.iter().enumerate() {
        let marker = match index {
            0 => format!("<<<<<<< {name}"),
            _ if index == last => "=======".to_owned(),
            _ => format!("======= {name}"),
        };
        out.push_str(&marker);
        out.push_str(newline);
        if !content.is_empty() {
            out.push_str(content);
            out.push_str(newline);
        }
    }
    out.push_str(&format!(">>>>>>> {}", versions[last].0));
    out
}

/// The whole lines `range` is on, without the last line break.
fn whole_lines(text: &str, range: Range<usize>) -> Range<usize> {
    let mut end = range.end.min(text.len());
    while end > range.start && text[..end].ends_with(['\n', '\r']) {
        end -= 1;
    }
    let start = text[..range.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = end + text[end..].find(['\n', '\r']).unwrap_or(text.len() - end);
    start..end
}

/// The text's line break: that of its first line, else `\n`.
fn line_break(text: &str) -> &'static str {
    match text.find(['\n', '\r']) {
        Some(at) if text[at..].starts_with("\r\n") => "\r\n",
        Some(at) if text[at..].starts_with('\r') => "\r",
        _ => "\n",
    }
}

/// `text` with every line break made `newline`.
fn with_newlines(text: &str, newline: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\n', newline)
}

/// A name that fits on a marker line.
fn one_line(name: &str) -> String {
    let name: String = (name.chars())
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    name.trim().to_owned()
}

#[cfg(test)]
mod tests;
