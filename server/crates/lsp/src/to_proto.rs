//! Conversions to protocol types: byte offsets to positions, analysis data
//! to protocol structs.
//!
//! Positions go through `newsmark_syntax::position` with the negotiated
//! encoding. Nested results (the outline) are built without recursion and
//! capped in depth, so a file of 100,000 nested claims neither overflows a
//! stack here nor produces JSON that clients refuse to parse.

use std::ops::Range;
use std::sync::OnceLock;

use newsmark_analysis::completion::{self as completion_data, CompletionKind};
use newsmark_analysis::edit::{TextEdit, WorkspaceEdit};
use newsmark_analysis::navigation::{self, HighlightKind};
use newsmark_analysis::semantic_tokens::{SemanticToken, TokenType};
use newsmark_analysis::symbols::{Symbol, SymbolKind as Kind};
use newsmark_analysis::{Code, Diagnostic, FileId, Severity};
use newsmark_syntax::Rope;
use newsmark_syntax::position::{self, Encoding};
use serde_json::json;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::file_key::UriText;
use crate::snapshot::Snapshot;

/// Where each diagnostic code is documented.
pub const RULES_URL: &str = "https://github.com/newsmark/newsmark/blob/main/docs/rules.md";

/// How deep the outline nests; deeper symbols hang under the last level.
pub const MAX_SYMBOL_DEPTH: usize = 32;

/// How many symbols an outline lists, in text order. An outline of 100,000
/// nested claims helps nobody and costs seconds of JSON.
pub const MAX_SYMBOLS: usize = 5_000;

pub fn position(rope: &Rope, offset: usize, encoding: Encoding) -> lsp::Position {
    let position = position::offset_to_position(rope, offset, encoding);
    lsp::Position::new(position.line, position.column)
}

pub fn range(rope: &Rope, range: Range<usize>, encoding: Encoding) -> lsp::Range {
    lsp::Range::new(
        position(rope, range.start, encoding),
        position(rope, range.end, encoding),
    )
}

/// A range in any file of the workspace, open or not.
pub fn location(snap: &Snapshot, file: FileId, byte_range: Range<usize>) -> Option<lsp::Location> {
    let found = navigation::Location {
        file,
        range: byte_range,
        span: None,
    };
    locations(snap, vec![found]).into_vec().pop()
}

/// Places in any files of the workspace, open or not, as the protocol's
/// `Location[]`. Each file's URI is written once, as text, and shared by
/// its places: references name thousands of files, and a `Uri` per place
/// (checked, then copied) was a fifth of such an answer's time.
#[derive(Debug)]
pub struct Locations<'a> {
    uris: Vec<UriText<'a>>,
    /// Each place: its file's URI in `uris`, and its range.
    places: Vec<(usize, lsp::Range)>,
}

impl Locations<'_> {
    /// As protocol values, each file's `Uri` checked once.
    pub fn into_vec(self) -> Vec<lsp::Location> {
        self.into_each().flatten().collect()
    }

    /// Each place as a protocol value, in order; `None` for a place whose
    /// file's URI does not parse.
    pub fn into_each(self) -> impl Iterator<Item = Option<lsp::Location>> {
        let uris: Vec<Option<Uri>> = (self.uris.iter())
            .map(|uri| uri.to_string().parse().ok())
            .collect();
        (self.places.into_iter())
            .map(move |(file, range)| Some(lsp::Location::new(uris[file].clone()?, range)))
    }

    /// Writes the places as the protocol's `Location[]`. By hand: through
    /// serde, escaping the seven keys of each place was most of a quarter
    /// of the time of an answer naming 3,000 places.
    pub fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.reserve(PLACE_JSON_BYTES * self.places.len());
        out.push(b'[');
        for (n, (file, range)) in self.places.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"uri\":");
            self.uris[*file].write_json(out)?;
            out.extend_from_slice(b",\"range\":");
            write_range_json(out, range);
            out.push(b'}');
        }
        out.push(b']');
        Ok(())
    }
}

/// About the length of one place's JSON in a corpus's folders.
const PLACE_JSON_BYTES: usize = 128;

/// A protocol range as JSON, as serde writes it.
fn write_range_json(out: &mut Vec<u8>, range: &lsp::Range) {
    let mut digits = itoa::Buffer::new();
    for (key, position) in [
        (&b"{\"start\":"[..], range.start),
        (b",\"end\":", range.end),
    ] {
        out.extend_from_slice(key);
        out.extend_from_slice(b"{\"line\":");
        out.extend_from_slice(digits.format(position.line).as_bytes());
        out.extend_from_slice(b",\"character\":");
        out.extend_from_slice(digits.format(position.character).as_bytes());
        out.push(b'}');
    }
    out.push(b'}');
}

/// Converts places found by the analysis. Results come grouped by file, so
/// each file's URI is built once (a popular entity has hundreds of uses in
/// hundreds of files).
///
/// A place whose line span the index knows converts without touching its
/// file's text or line index: for a popular entity those are hundreds of
/// cache misses. The others of a file convert together (see
/// [`FilePositions`]).
pub fn locations(snap: &Snapshot, found: Vec<navigation::Location>) -> Locations<'_> {
    let by_file = || found.chunk_by(|a, b| a.file == b.file);
    let files: Vec<FileId> = by_file().map(|places| places[0].file).collect();
    let mut places = Vec::with_capacity(found.len());
    let spanless = spanless_positions(snap, &found);
    for (at, places_in_file) in by_file().enumerate() {
        for found in places_in_file {
            let range = match found.span {
                Some(span) => lsp::Range::new(
                    lsp::Position::new(span.line, span.start_column),
                    lsp::Position::new(span.line, span.end_column),
                ),
                None => {
                    let file = spanless.binary_search_by_key(&found.file, |(file, _)| *file);
                    spanless[file.expect("a file of a place without a span")]
                        .1
                        .range(&found.range)
                }
            };
            places.push((at, range));
        }
    }
    Locations {
        uris: snap.uri_texts(&files),
        places,
    }
}

/// The places without a line span, converted together file by file
/// (see [`FilePositions`]) whatever order their files come in: related
/// places alternate between files from one finding to the next.
fn spanless_positions(
    snap: &Snapshot,
    found: &[navigation::Location],
) -> Vec<(FileId, FilePositions)> {
    let mut offsets: Vec<(FileId, usize)> = (found.iter())
        .filter(|found| found.span.is_none())
        .flat_map(|found| {
            [
                (found.file, found.range.start),
                (found.file, found.range.end),
            ]
        })
        .collect();
    offsets.sort_unstable();
    (offsets.chunk_by(|a, b| a.0 == b.0))
        .map(|run| {
            let file = run[0].0;
            let positions = FilePositions::new(snap, file, run.iter().map(|&(_, offset)| offset));
            (file, positions)
        })
        .collect()
}

/// The protocol positions of many offsets of one file, converted together
/// on the text the workspace holds for it, in ascending order: each is
/// counted on from the one before (see `LineIndex::positions`), with no
/// rope to walk, so many places on one long line cost one pass over it.
struct FilePositions {
    offsets: Vec<usize>,
    positions: Vec<position::Position>,
}

impl FilePositions {
    fn new(snap: &Snapshot, file: FileId, offsets: impl Iterator<Item = usize>) -> Self {
        let mut offsets: Vec<usize> = offsets.collect();
        if offsets.is_empty() {
            return FilePositions {
                offsets,
                positions: Vec::new(),
            };
        }
        offsets.sort_unstable();
        offsets.dedup();
        let lines = &snap.ws.summary(file).lines;
        let positions =
            lines.positions(&snap.ws.text(file), offsets.iter().copied(), snap.encoding);
        FilePositions { offsets, positions }
    }

    /// The position of one of the offsets it was made with.
    fn at(&self, offset: usize) -> lsp::Position {
        let position = self.positions[self.offsets.partition_point(|&o| o < offset)];
        lsp::Position::new(position.line, position.column)
    }

    fn range(&self, range: &Range<usize>) -> lsp::Range {
        lsp::Range::new(self.at(range.start), self.at(range.end))
    }
}

pub fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// The ranges of findings of `file` (`found`) as protocol ranges,
/// converted together on the text the findings were made on (see
/// [`FilePositions`]).
pub fn diagnostic_ranges<'a>(
    snap: &Snapshot,
    file: FileId,
    found: impl Iterator<Item = &'a Diagnostic> + Clone,
) -> Vec<lsp::Range> {
    let offsets = (found.clone()).flat_map(|found| [found.range.start, found.range.end]);
    let positions = FilePositions::new(snap, file, offsets);
    found.map(|found| positions.range(&found.range)).collect()
}

/// A finding at `range` (see [`diagnostics`]).
pub fn diagnostic(snap: &Snapshot, range: lsp::Range, found: &Diagnostic) -> lsp::Diagnostic {
    let mut converted = diagnostics(snap, std::slice::from_ref(found), vec![range]);
    converted.pop().expect("one diagnostic per finding")
}

/// Findings at `ranges` (converted by the caller, which converts a file's
/// findings together). Their related places convert all at once, those in
/// other files with those files' own text: each run of places in one file
/// parses its file's URI once, not once a place.
pub fn diagnostics(
    snap: &Snapshot,
    found: &[Diagnostic],
    ranges: Vec<lsp::Range>,
) -> Vec<lsp::Diagnostic> {
    let places = (found.iter().flat_map(|found| &found.related))
        .map(|related| navigation::Location {
            file: related.file,
            range: related.range.clone(),
            span: None,
        })
        .collect();
    let mut locations = locations(snap, places).into_each();
    (found.iter().zip(ranges))
        .map(|(found, range)| {
            let related: Vec<lsp::DiagnosticRelatedInformation> = (found.related.iter())
                .zip(locations.by_ref())
                .filter_map(|(related, location)| {
                    Some(lsp::DiagnosticRelatedInformation {
                        location: location?,
                        message: related.message.clone(),
                    })
                })
                .collect();
            let code = found.code.as_str();
            lsp::Diagnostic {
                range,
                severity: Some(severity(found.severity)),
                code: Some(lsp::NumberOrString::String(code.to_owned())),
                code_description: rule_url(found.code).map(|href| lsp::CodeDescription { href }),
                source: Some("newsmark".to_owned()),
                message: found.message.to_string(),
                related_information: (!related.is_empty()).then_some(related),
                tags: (found.unnecessary).then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
                data: (!found.candidates.is_empty())
                    .then(|| json!({ "candidates": found.candidates })),
            }
        })
        .collect()
}

/// The documentation link of a code, parsed once per code.
fn rule_url(code: Code) -> Option<Uri> {
    static URLS: OnceLock<Vec<(Code, Uri)>> = OnceLock::new();
    let urls = URLS.get_or_init(|| {
        Code::ALL
            .iter()
            .filter_map(|&code| {
                let url = format!("{RULES_URL}#{}", code.as_str()).parse().ok()?;
                Some((code, url))
            })
            .collect()
    });
    urls.iter()
        .find(|(known, _)| *known == code)
        .map(|(_, url)| url.clone())
}

pub fn markdown(value: String) -> lsp::MarkupContent {
    lsp::MarkupContent {
        kind: lsp::MarkupKind::Markdown,
        value,
    }
}

pub fn completion_kind(kind: CompletionKind) -> lsp::CompletionItemKind {
    match kind {
        CompletionKind::Entity => lsp::CompletionItemKind::REFERENCE,
        CompletionKind::PropertyKey => lsp::CompletionItemKind::PROPERTY,
        CompletionKind::KindValue => lsp::CompletionItemKind::ENUM_MEMBER,
        CompletionKind::DiagnosticCode => lsp::CompletionItemKind::KEYWORD,
        CompletionKind::Label => lsp::CompletionItemKind::REFERENCE,
    }
}

/// A completion item that replaces `replace` (already converted).
pub fn completion_item(
    item: completion_data::CompletionItem,
    replace: lsp::Range,
    root: &str,
) -> lsp::CompletionItem {
    // Entity items carry their id and workspace, so that
    // `completionItem/resolve` can add the entity card without
    // recomputing the list.
    let data = (item.kind == CompletionKind::Entity)
        .then(|| json!({ "entity": item.label, "root": root }));
    lsp::CompletionItem {
        kind: Some(completion_kind(item.kind)),
        detail: item.detail,
        filter_text: item.filter_text,
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
            replace,
            item.insert_text,
        ))),
        data,
        label: item.label,
        ..lsp::CompletionItem::default()
    }
}

pub fn highlight_kind(kind: HighlightKind) -> lsp::DocumentHighlightKind {
    match kind {
        HighlightKind::Write => lsp::DocumentHighlightKind::WRITE,
        HighlightKind::Read => lsp::DocumentHighlightKind::READ,
    }
}

pub fn symbol_kind(kind: Kind) -> lsp::SymbolKind {
    match kind {
        Kind::Heading => lsp::SymbolKind::STRING,
        Kind::Entity => lsp::SymbolKind::OBJECT,
        Kind::Claim => lsp::SymbolKind::EVENT,
    }
}

/// The nested outline, built bottom-up from a flat pre-order list.
pub fn document_symbols(
    rope: &Rope,
    encoding: Encoding,
    symbols: Vec<Symbol>,
) -> Vec<lsp::DocumentSymbol> {
    // Pre-order, each with the index of the symbol it nests under.
    let mut flat: Vec<(Symbol, Option<usize>)> = Vec::new();
    let mut pending: Vec<(Symbol, Option<usize>, usize)> =
        symbols.into_iter().rev().map(|s| (s, None, 0)).collect();
    while let Some((mut symbol, parent, depth)) = pending.pop() {
        let children = std::mem::take(&mut symbol.children);
        if flat.len() == MAX_SYMBOLS {
            // Past the limit, take the rest apart one level at a time
            // (dropping a deep tree at once would recurse).
            pending.extend(children.into_iter().map(|child| (child, None, 0)));
            continue;
        }
        let index = flat.len();
        flat.push((symbol, parent));
        let (child_parent, child_depth) = if depth + 1 < MAX_SYMBOL_DEPTH {
            (Some(index), depth + 1)
        } else {
            (parent, depth)
        };
        pending.extend(
            children
                .into_iter()
                .rev()
                .map(|child| (child, child_parent, child_depth)),
        );
    }
    let mut children: Vec<Vec<lsp::DocumentSymbol>> = vec![Vec::new(); flat.len()];
    let mut roots = Vec::new();
    for (index, (symbol, parent)) in flat.into_iter().enumerate().rev() {
        let mut own = std::mem::take(&mut children[index]);
        own.reverse();
        #[allow(deprecated)]
        let converted = lsp::DocumentSymbol {
            name: symbol.name,
            detail: symbol.detail,
            kind: symbol_kind(symbol.kind),
            tags: None,
            deprecated: None,
            range: range(rope, symbol.range, encoding),
            selection_range: range(rope, symbol.selection, encoding),
            children: (!own.is_empty()).then_some(own),
        };
        match parent {
            Some(parent) => children[parent].push(converted),
            None => roots.push(converted),
        }
    }
    roots.reverse();
    roots
}

/// Edits of one file, converted on that file's text (its rope when open,
/// else its text in the workspace).
pub fn text_edits(snap: &Snapshot, file: FileId, edits: &[TextEdit]) -> Vec<lsp::TextEdit> {
    let rope = snap.rope(file);
    edits
        .iter()
        .map(|edit| {
            lsp::TextEdit::new(
                range(&rope, edit.range.clone(), snap.encoding),
                edit.new_text.clone(),
            )
        })
        .collect()
}

/// A file to create before the edits apply (`CreateFile`), with its text.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub uri: Uri,
    pub text: String,
}

/// A workspace edit: `documentChanges` (versioned for open documents,
/// `null` for the others, a `CreateFile` first for a new file) when the
/// client takes them, else `changes`. Returns `None` when a file must be
/// created and the client cannot create files.
pub fn workspace_edit(
    snap: &Snapshot,
    edit: &WorkspaceEdit,
    new_file: Option<NewFile>,
    features: &crate::session::ClientFeatures,
) -> Option<lsp::WorkspaceEdit> {
    let files: Vec<(Uri, Option<i32>, Vec<lsp::TextEdit>)> = edit
        .iter()
        .filter_map(|(&file, edits)| {
            Some((
                snap.uri(file)?,
                snap.version(file),
                text_edits(snap, file, edits),
            ))
        })
        .collect();
    if new_file.is_some() && !(features.document_changes && features.create_files) {
        return None;
    }
    if !features.document_changes {
        let changes = files
            .into_iter()
            .map(|(uri, _, edits)| (uri, edits))
            .collect();
        return Some(lsp::WorkspaceEdit {
            changes: Some(changes),
            ..lsp::WorkspaceEdit::default()
        });
    }
    let text_document_edit =
        |uri: Uri, version: Option<i32>, edits: Vec<lsp::TextEdit>| lsp::TextDocumentEdit {
            text_document: lsp::OptionalVersionedTextDocumentIdentifier { uri, version },
            edits: edits.into_iter().map(lsp::OneOf::Left).collect(),
        };
    let mut operations = Vec::new();
    if let Some(new_file) = new_file {
        operations.push(lsp::DocumentChangeOperation::Op(lsp::ResourceOp::Create(
            lsp::CreateFile {
                uri: new_file.uri.clone(),
                // A file that exists on disk but not in the workspace (an
                // excluded path) is kept; the text is inserted at its start.
                options: Some(lsp::CreateFileOptions {
                    overwrite: Some(false),
                    ignore_if_exists: Some(true),
                }),
                annotation_id: None,
            },
        )));
        let start = lsp::Position::new(0, 0);
        operations.push(lsp::DocumentChangeOperation::Edit(text_document_edit(
            new_file.uri,
            None,
            vec![lsp::TextEdit::new(
                lsp::Range::new(start, start),
                new_file.text,
            )],
        )));
    }
    operations.extend(files.into_iter().map(|(uri, version, edits)| {
        lsp::DocumentChangeOperation::Edit(text_document_edit(uri, version, edits))
    }));
    let document_changes = if operations
        .iter()
        .all(|operation| matches!(operation, lsp::DocumentChangeOperation::Edit(_)))
    {
        lsp::DocumentChanges::Edits(
            operations
                .into_iter()
                .filter_map(|operation| match operation {
                    lsp::DocumentChangeOperation::Edit(edit) => Some(edit),
                    lsp::DocumentChangeOperation::Op(_) => None,
                })
                .collect(),
        )
    } else {
        lsp::DocumentChanges::Operations(operations)
    };
    Some(lsp::WorkspaceEdit {
        document_changes: Some(document_changes),
        ..lsp::WorkspaceEdit::default()
    })
}

/// Semantic tokens, each relative to the one before it, in the negotiated
/// encoding. The tokens never span lines (analysis cuts them), so a
/// token's length is the difference of its two columns.
pub fn semantic_tokens(
    rope: &Rope,
    encoding: Encoding,
    tokens: &[SemanticToken],
) -> Vec<lsp::SemanticToken> {
    let mut encoded = Vec::with_capacity(tokens.len());
    let (mut previous_line, mut previous_column) = (0, 0);
    for token in tokens {
        let start = position::offset_to_position(rope, token.range.start, encoding);
        let end = position::offset_to_position(rope, token.range.end, encoding);
        if end.line != start.line || end.column <= start.column {
            continue;
        }
        let delta_line = start.line - previous_line;
        let delta_start = if delta_line == 0 {
            start.column - previous_column
        } else {
            start.column
        };
        encoded.push(lsp::SemanticToken {
            delta_line,
            delta_start,
            length: end.column - start.column,
            token_type: token_type_index(token.token_type),
            token_modifiers_bitset: token.modifiers,
        });
        (previous_line, previous_column) = (start.line, start.column);
    }
    encoded
}

fn token_type_index(token_type: TokenType) -> u32 {
    TokenType::ALL
        .iter()
        .position(|known| *known == token_type)
        .unwrap_or(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn symbol(name: &str, children: Vec<Symbol>) -> Symbol {
        Symbol {
            name: name.to_owned(),
            detail: None,
            kind: Kind::Claim,
            range: 0..1,
            selection: 0..1,
            children,
        }
    }

    /// A snapshot of files in paths plain and not, with lines ending in
    /// CRLF and lone CR and text in Hangul, Cyrillic and emoji; the last
    /// file open under a URI of the client's own spelling.
    fn snapshot_of_four_files() -> (Snapshot, Vec<FileId>) {
        use std::collections::HashMap;
        use std::sync::Arc;

        use newsmark_analysis::{Config, Workspace};

        use crate::snapshot::OpenDocument;

        let mut ws = Workspace::new(Config::default());
        let texts = [
            ("/ws/a.nmk", "@a\r\n한 @a 😀 @a\n"),
            ("/ws/a b é.nmk", "Ж @a\r@a\n"),
            ("/ws/\"q\\.nmk", "@a\n"),
            ("/ws/open.nmk", "x @a\r\n한 @a 😀 @a\r@a\n"),
        ];
        let files: Vec<FileId> = (texts.iter())
            .map(|(path, text)| ws.set_file(path, (*text).into()).file)
            .collect();
        let open = HashMap::from([(
            Arc::from("/ws/open.nmk"),
            OpenDocument {
                uri: "file://localhost/ws/./open.nmk".parse().unwrap(),
                version: 1,
                rope: Rope::from_str(texts[3].1),
            },
        )]);
        let snap = Snapshot::new(Arc::new(ws), Arc::new(open), Encoding::Utf16, 0, false);
        (snap, files)
    }

    #[test]
    fn locations_written_by_hand_are_serdes_json() {
        use newsmark_analysis::workspace::LineSpan;

        let (snap, files) = snapshot_of_four_files();
        let place =
            |file: FileId, range: Range<usize>, span| navigation::Location { file, range, span };
        let span = LineSpan {
            line: 1,
            start_column: 2,
            end_column: 4,
        };
        let found = || {
            vec![
                place(files[0], 0..2, None),
                place(files[0], 8..10, Some(span)),
                place(files[0], 16..18, None),
                place(files[1], 3..5, None),
                place(files[1], 6..8, None),
                place(files[2], 0..2, None),
                place(files[3], 2..4, None),
            ]
        };
        let mut written = Vec::new();
        locations(&snap, found()).write_json(&mut written).unwrap();
        let by_serde = serde_json::to_vec(&locations(&snap, found()).into_vec()).unwrap();
        assert_eq!(
            String::from_utf8(written).unwrap(),
            String::from_utf8(by_serde).unwrap()
        );
        let uris: Vec<String> = (locations(&snap, found()).into_vec().into_iter())
            .map(|location| location.uri.as_str().to_owned())
            .collect();
        assert_eq!(
            uris,
            [
                "file:///ws/a.nmk",
                "file:///ws/a.nmk",
                "file:///ws/a.nmk",
                "file:///ws/a%20b%20%C3%A9.nmk",
                "file:///ws/a%20b%20%C3%A9.nmk",
                "file:///ws/%22q%5C.nmk",
                "file://localhost/ws/./open.nmk",
            ]
        );
    }

    #[test]
    fn related_places_converted_together_are_each_converted_alone() {
        use newsmark_analysis::Related;

        let (snap, files) = snapshot_of_four_files();
        let related = |places: &[(usize, Range<usize>)]| -> Vec<Related> {
            (places.iter())
                .map(|(file, range)| Related {
                    file: files[*file],
                    range: range.clone(),
                    message: format!("at {range:?}"),
                })
                .collect()
        };
        let finding = |related| Diagnostic {
            code: Code::DuplicateDefinition,
            severity: Severity::Warning,
            range: 0..2,
            message: "m".into(),
            related,
            unnecessary: false,
            candidates: Vec::new(),
        };
        let found = [
            finding(related(&[(0, 8..10), (1, 3..5), (1, 6..8)])),
            finding(Vec::new()),
            finding(related(&[(3, 2..4), (0, 16..18), (3, 18..20), (2, 0..2)])),
            finding(related(&[(3, 21..23), (1, 3..5), (3, 10..12)])),
        ];
        let range = lsp::Range::default();
        let together = diagnostics(&snap, &found, vec![range; found.len()]);
        for (found, converted) in found.iter().zip(&together) {
            // Each alone, through the open document's rope or the file's
            // line index.
            let each: Vec<lsp::DiagnosticRelatedInformation> = (found.related.iter())
                .map(|related| {
                    let at = |offset| {
                        let position = snap.position(related.file, offset);
                        lsp::Position::new(position.line, position.column)
                    };
                    let range = lsp::Range::new(at(related.range.start), at(related.range.end));
                    lsp::DiagnosticRelatedInformation {
                        location: lsp::Location::new(snap.uri(related.file).unwrap(), range),
                        message: related.message.clone(),
                    }
                })
                .collect();
            let expected = (!each.is_empty()).then_some(each);
            assert_eq!(converted.related_information, expected);
        }
        let related = |finding: usize, place: usize| {
            let related = &together[finding].related_information.as_ref().unwrap()[place];
            (related.location.uri.as_str(), related.location.range)
        };
        let range = |line, start, end| {
            lsp::Range::new(
                lsp::Position::new(line, start),
                lsp::Position::new(line, end),
            )
        };
        assert_eq!(related(2, 1), ("file:///ws/a.nmk", range(1, 8, 10)));
        let open = "file://localhost/ws/./open.nmk";
        assert_eq!(related(2, 2), (open, range(1, 8, 10)));
        assert_eq!(related(3, 0), (open, range(2, 0, 2)));
        assert_eq!(related(3, 2), (open, range(1, 2, 4)));
    }

    fn depth(symbols: &[lsp::DocumentSymbol]) -> usize {
        let mut deepest = 0;
        let mut stack: Vec<(&lsp::DocumentSymbol, usize)> =
            symbols.iter().map(|s| (s, 1)).collect();
        while let Some((symbol, level)) = stack.pop() {
            deepest = deepest.max(level);
            for child in symbol.children.iter().flatten() {
                stack.push((child, level + 1));
            }
        }
        deepest
    }

    #[test]
    fn outline_keeps_order_and_nesting() {
        let rope = Rope::from_str("x");
        let converted = document_symbols(
            &rope,
            Encoding::Utf16,
            vec![
                symbol("a", vec![symbol("a1", vec![]), symbol("a2", vec![])]),
                symbol("b", vec![]),
            ],
        );
        let names: Vec<&str> = converted.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        let children: Vec<&str> = converted[0]
            .children
            .iter()
            .flatten()
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(children, ["a1", "a2"]);
    }

    #[test]
    fn deep_outlines_are_capped() {
        let mut deep = symbol("leaf", vec![]);
        for level in 0..10_000 {
            deep = symbol(&level.to_string(), vec![deep]);
        }
        let rope = Rope::from_str("x");
        let converted = document_symbols(&rope, Encoding::Utf16, vec![deep]);
        assert_eq!(depth(&converted), MAX_SYMBOL_DEPTH);
        let mut count = 0;
        let mut stack: Vec<&lsp::DocumentSymbol> = converted.iter().collect();
        while let Some(symbol) = stack.pop() {
            count += 1;
            stack.extend(symbol.children.iter().flatten());
        }
        assert_eq!(count, MAX_SYMBOLS);
        // Dropping a deep value must not recurse either: this one is shallow.
        drop(converted);
        // Dropping `deep`'s 10,000 levels happened inside `document_symbols`
        // one level at a time (children are taken before the parent drops).
    }
}
