//! Properties that must hold for any input, shared by the cargo-fuzz
//! targets in `fuzz/`, the bounded property tests, and the replay of every
//! crash the fuzzer ever found (`fuzz/regressions/<target>/*`).
//!
//! Each `check_*` function takes raw fuzzer bytes, decodes them with
//! `arbitrary`, and panics when a property fails, so a fuzz target is one
//! line and a regression file replays exactly what the fuzzer ran.

use std::ops::Range;
use std::sync::Arc;

use arbitrary::{Arbitrary, Unstructured};
use newsmark_analysis::summary::{Usage, UsageKind};
use newsmark_analysis::{
    Config, Diagnostic, FileEntry, FileId, FileSummary, PreparedFile, SummaryCache, Workspace,
    code_actions, completion, diagnostics, diagnostics_of, hover, navigation, rename, selection,
    semantic_tokens, symbols,
};
use newsmark_syntax::position::{EditCursor, ts_point};
use newsmark_syntax::position::{
    Encoding, LineIndex, Position, offset_to_position, position_to_offset,
};
use newsmark_syntax::{Rope, SyntaxTree, default_parse_budget, input_edit};

/// A registry that the fuzzed article can refer to, so cross-file rules,
/// hover and untagged mentions have something to find.
const REGISTRY: &str = "@lavrov: Sergey Lavrov\n  kind: person\n  aliases: Lavrov, 라브로프\n  member-of: @russia\n\n@russia: Russia\n  kind: country\n";

/// (a) Arbitrary bytes: parse, summarise, index and run every rule and
/// feature at a spread of offsets. Nothing may panic, and every range an
/// answer gives must lie inside the text on character boundaries.
pub fn check_parse_and_analyse(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    analyse_everything(&text);
}

/// Runs every analysis entry point on `text` (as `article.nmk`, beside a
/// small registry).
pub fn analyse_everything(text: &str) {
    let mut ws = Workspace::new(Config::default());
    ws.set_file("registry.nmk", REGISTRY.into());
    // Prepared as the language server's scan prepares a file: with the
    // line spans of its uses.
    let shared: Arc<str> = text.into();
    let summary = FileSummary::from_tree(&SyntaxTree::parse(shared.clone()));
    let prepared = PreparedFile::new(shared, summary, Some(Encoding::Utf16));
    let file = ws.add("article.nmk", prepared).file;
    let len = text.len();
    let in_text = |range: &Range<usize>, what: &str| {
        assert!(
            range.start <= range.end && range.end <= len,
            "{what}: {range:?} outside 0..{len}"
        );
        assert!(
            text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
            "{what}: {range:?} splits a character"
        );
    };
    for diagnostic in diagnostics(&ws, file) {
        in_text(&diagnostic.range, diagnostic.code.as_str());
    }
    // A claim's sources, looked for after its text, are every use the
    // summary gives it as a source, error recovery or not.
    let summary = ws.summary(file);
    for claim in 0..summary.claims.len() as u32 {
        let found: Vec<Range<usize>> = summary.sources(claim).map(Usage::range).collect();
        let given: Vec<Range<usize>> = (summary.usages.iter())
            .filter(|u| matches!(u.kind, UsageKind::Source { claim: c } if c == claim))
            .map(Usage::range)
            .collect();
        assert_eq!(found, given, "the sources of claim {claim}");
    }
    for token in semantic_tokens::semantic_tokens(&ws, file, None) {
        in_text(&token.range, "semantic token");
    }
    symbols::document_symbols(&ws, file);
    // A spread of offsets: every feature runs at each (24 keeps huge
    // hostile inputs fast in debug builds).
    let step = (len / 24).max(1);
    for offset in (0..=len)
        .step_by(step)
        .filter(|o| text.is_char_boundary(*o))
    {
        if let Some(found) = hover::hover(&ws, file, offset) {
            in_text(&found.range, "hover");
        }
        navigation::goto_definition(&ws, file, offset);
        for found in navigation::references(&ws, file, offset, true) {
            // A place the index keeps is where the one conversion puts it.
            if let Some(span) = found.span {
                let text = ws.text(found.file);
                let lines = &ws.summary(found.file).lines;
                let (start, end) = lines.range(&text, found.range.clone(), Encoding::Utf16);
                assert_eq!(
                    (span.line, span.start_column, span.line, span.end_column),
                    (start.line, start.column, end.line, end.column),
                    "the span of the reference at {:?}",
                    found.range
                );
            }
        }
        navigation::document_highlight(&ws, file, offset);
        if let Some(found) = completion::completion(&ws, file, offset) {
            in_text(&found.replace, "completion");
        }
        if let Some(range) = rename::prepare_rename(&ws, file, offset) {
            in_text(&range, "prepare rename");
            let _ = rename::rename(&ws, file, offset, "renamed");
        }
        for range in selection::selection_ranges(&ws, file, offset) {
            in_text(&range, "selection range");
        }
        let end = (offset + step).min(len);
        if text.is_char_boundary(end) {
            for action in code_actions::code_actions(&ws, file, offset..end) {
                for (target, edits) in &action.edit {
                    let target_text = &*ws.text(*target);
                    for edit in edits {
                        let range = &edit.range;
                        assert!(
                            range.end <= target_text.len(),
                            "code action edit {range:?} outside its file"
                        );
                        assert!(
                            target_text.is_char_boundary(range.start)
                                && target_text.is_char_boundary(range.end)
                        );
                    }
                }
            }
        }
    }
}

/// One replacement in an edit sequence; offsets are taken modulo the text
/// length and moved back to character boundaries.
#[derive(Debug, Clone, Arbitrary)]
pub struct Edit {
    pub start: u16,
    pub len: u8,
    pub insert: Piece,
}

/// What an edit inserts: markup-heavy fragments find more than random bytes.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum Piece {
    Nothing,
    OpenBrace,
    CloseBrace,
    OpenBracket,
    MentionEnd,
    Reference,
    Bar,
    Comma,
    Newline,
    BlankLine,
    Crlf,
    LoneCr,
    Hangul,
    Emoji,
    Comment,
    Directive,
    Definition,
    Heading,
    FrontMatter,
    Backslash,
    Text,
    Via,
    Label,
    Stance,
    Hedge,
    Plus,
    Escape,
    Cyrillic,
    QuoteOpen,
    QuoteClose,
    DialogueDash,
    HedgeWord,
    CommaId,
}

impl Piece {
    pub fn text(self) -> &'static str {
        match self {
            Piece::Nothing => "",
            Piece::OpenBrace => "{",
            Piece::CloseBrace => "}",
            Piece::OpenBracket => "[",
            Piece::MentionEnd => "]@lavrov",
            Piece::Reference => "@russia",
            Piece::Bar => " | @",
            Piece::Comma => ", ",
            Piece::Newline => "\n",
            Piece::BlankLine => "\n\n",
            Piece::Crlf => "\r\n",
            Piece::LoneCr => "\r",
            Piece::Hangul => "라브로프",
            Piece::Emoji => "😀",
            Piece::Comment => "%% note",
            Piece::Directive => "%% ignore: unsourced-claim",
            Piece::Definition => "@kim: Kim\n  kind: person\n",
            Piece::Heading => "# Title\n",
            Piece::FrontMatter => "---\ntitle: T\n---\n",
            Piece::Backslash => "\\",
            Piece::Text => "Lavrov said ",
            Piece::Via => " via @russia",
            Piece::Label => "}#talks",
            Piece::Stance => " denies #talks",
            Piece::Hedge => "~[",
            Piece::Plus => "+@russia",
            Piece::Escape => "\\-",
            Piece::Cyrillic => "@захарова",
            Piece::QuoteOpen => "«",
            Piece::QuoteClose => "»",
            Piece::DialogueDash => "— ",
            Piece::HedgeWord => "allegedly ",
            Piece::CommaId => ",@kim",
        }
    }
}

/// (b) Random edits applied incrementally give the same tree, summary
/// (also when it reuses the summaries of the base text's parts) and
/// diagnostics as a fresh parse of the final text.
pub fn check_incremental(data: &[u8]) {
    let mut input = Unstructured::new(data);
    let base: Vec<Piece> = input.arbitrary().unwrap_or_default();
    let edits: Vec<Edit> = input.arbitrary().unwrap_or_default();
    let base: String = base.iter().map(|p| p.text()).collect();
    incremental_matches_fresh(&base, &edits);
}

/// Applies `edits` to `base` the way the language server does (rope and
/// tree edited change by change, one reparse at the end) and compares with
/// a fresh parse.
pub fn incremental_matches_fresh(base: &str, edits: &[Edit]) {
    let old = SyntaxTree::parse(base);
    let mut cache = SummaryCache::default();
    FileSummary::from_tree_cached(&old, &mut cache);
    let mut tree = old.tree().clone();
    let mut cursor = EditCursor::default();
    let text = apply_edits(base, edits, |rope, start, end, insert| {
        let edit = input_edit(rope, start, end, insert, &mut cursor);
        // Counted on from the last edit's start, as the server does.
        assert_eq!(
            edit.start_position,
            ts_point(rope, start),
            "edit at {start}"
        );
        tree.edit(&edit);
    });
    let incremental =
        SyntaxTree::parse_with(text.clone(), Some(&tree), default_parse_budget(text.len()));
    let fresh = SyntaxTree::parse(text.clone());
    assert_eq!(
        incremental.to_sexp(),
        fresh.to_sexp(),
        "incremental and fresh trees differ for {text:?}"
    );
    // The server summarises each version reusing the parts of the last.
    assert_eq!(
        *FileSummary::from_tree_cached(&incremental, &mut cache),
        FileSummary::from_tree(&fresh),
        "a summary that reuses the last version's parts differs from a fresh one for {text:?}"
    );
    // The incremental version follows the base in one workspace (its
    // untagged-name search starts from the base's hits: the base is set
    // twice, as a file read once and then edited is, so that they are of
    // its whole text); the fresh one has a workspace of its own.
    let with_tree = |earlier: Option<&SyntaxTree>, tree: &SyntaxTree| {
        let mut ws = Workspace::new(Config::default());
        ws.set_file("registry.nmk", REGISTRY.into());
        for earlier in [earlier, earlier].into_iter().flatten() {
            let file = ws.set_parsed("article.nmk", earlier).file;
            diagnostics(&ws, file);
        }
        let file = ws.set_parsed("article.nmk", tree).file;
        (ws.summary(file).clone(), diagnostics(&ws, file))
    };
    assert_eq!(
        with_tree(Some(&old), &incremental),
        with_tree(None, &fresh),
        "summaries or diagnostics differ for {text:?}"
    );
}

/// Applies `edits` to `text` one by one; `before_each` sees the rope and
/// each replacement (byte range and inserted text) before it is made.
fn apply_edits(
    text: &str,
    edits: &[Edit],
    mut before_each: impl FnMut(&Rope, usize, usize, &str),
) -> Arc<str> {
    let mut rope = Rope::from_str(text);
    for edit in edits {
        let len = rope.len_bytes();
        let start = floor_boundary(&rope, usize::from(edit.start) % (len + 1));
        let end = floor_boundary(&rope, (start + usize::from(edit.len)).min(len)).max(start);
        let insert = edit.insert.text();
        before_each(&rope, start, end, insert);
        let start_char = rope.byte_to_char(start);
        rope.remove(start_char..rope.byte_to_char(end));
        rope.insert(start_char, insert);
    }
    rope.to_string().into()
}

/// (d) Editing one file of a workspace. Every other file's findings must
/// equal those of a fresh analysis of the final texts (the language server
/// keeps one workspace and updates it file by file), and when the edit
/// leaves the file's cross-file facts (`newsmark_analysis::cross_file`) as
/// they were, they must equal the findings from before the edit: that is
/// what the linter's cache keeps.
pub fn check_cross_file(data: &[u8]) {
    let mut input = Unstructured::new(data);
    let bases: [Vec<Piece>; 3] = input.arbitrary().unwrap_or_default();
    let edited: u8 = input.arbitrary().unwrap_or_default();
    let edits: Vec<Edit> = input.arbitrary().unwrap_or_default();
    let texts = bases.map(|pieces| pieces.iter().map(|p| p.text()).collect::<String>());
    other_files_follow_an_edit(&texts, usize::from(edited) % texts.len(), &edits);
}

/// The files of [`other_files_follow_an_edit`]: a registry and two articles.
const FILES: [&str; 3] = ["registry.nmk", "a.nmk", "b.nmk"];

/// Edits file `edited` of a workspace of `texts` (after [`REGISTRY`] for
/// the registry) and compares the other files' findings as
/// [`check_cross_file`] says.
pub fn other_files_follow_an_edit(texts: &[String; 3], edited: usize, edits: &[Edit]) {
    let mut texts = texts.clone();
    texts[0].insert_str(0, REGISTRY);
    let workspace = |texts: &[String; 3]| {
        let mut ws = Workspace::new(Config::default());
        let files: Vec<FileId> = FILES
            .iter()
            .zip(texts)
            .map(|(name, text)| ws.set_file(name, text.as_str().into()).file)
            .collect();
        (ws, files)
    };
    let findings = |ws: &Workspace, files: &[FileId]| -> Vec<_> {
        files.iter().map(|&file| diagnostics(ws, file)).collect()
    };

    let (mut ws, files) = workspace(&texts);
    let before = findings(&ws, &files);
    let old = texts[edited].clone();
    texts[edited] = apply_edits(&old, edits, |_, _, _, _| {}).to_string();
    // Edited as the server edits an open document: read from disk first,
    // its uses then leave the index for its summary.
    ws.set_parsed(FILES[edited], &SyntaxTree::parse(texts[edited].as_str()));
    let after = findings(&ws, &files);
    let (fresh_ws, fresh_files) = workspace(&texts);
    let fresh = findings(&fresh_ws, &fresh_files);
    assert_eq!(
        outline_findings(&texts),
        fresh,
        "the linter's outlines give other findings than full files: {texts:?}"
    );
    let same_facts = PreparedFile::parse(old.as_str().into()).facts()
        == PreparedFile::parse(texts[edited].as_str().into()).facts();
    for other in (0..FILES.len()).filter(|&other| other != edited) {
        assert_eq!(
            after[other], fresh[other],
            "{} after an edit of {} differs from a fresh analysis: {texts:?}",
            FILES[other], FILES[edited]
        );
        if same_facts {
            assert_eq!(
                before[other], fresh[other],
                "{} changed though the cross-file facts of {} did not: {old:?} became {:?}",
                FILES[other], FILES[edited], texts[edited]
            );
        }
    }
}

/// Every file's findings as the linter finds them: in a workspace of
/// outlines, each file checked from its full entry.
fn outline_findings(texts: &[String; 3]) -> Vec<Vec<Diagnostic>> {
    let summaries = texts
        .each_ref()
        .map(|text| FileSummary::from_tree(&SyntaxTree::parse(text.as_str())));
    let mut ws = Workspace::new(Config::default());
    let outlines = (FILES.iter().zip(texts).zip(summaries.clone()))
        .map(|((name, text), summary)| (name, PreparedFile::outline(text, summary)));
    let files: Vec<FileId> = ws.add_all(outlines).iter().map(|u| u.file).collect();
    (files.iter().zip(FILES).zip(texts).zip(summaries))
        .map(|(((&file, name), text), summary)| {
            let entry = FileEntry::new(name, text.as_str().into(), summary);
            diagnostics_of(&ws, file, &entry)
        })
        .collect()
}

fn floor_boundary(rope: &Rope, byte: usize) -> usize {
    rope.char_to_byte(rope.byte_to_char(byte))
}

/// (c) Position conversion: every character boundary round-trips in every
/// encoding, the line index gives the rope's positions, and any position,
/// however far out of range, maps to a character boundary on or before its
/// line.
pub fn check_positions(data: &[u8]) {
    let mut input = Unstructured::new(data);
    let pieces: Vec<Piece> = input.arbitrary().unwrap_or_default();
    let probes: Vec<(u8, u8)> = input.arbitrary().unwrap_or_default();
    let text: String = pieces.iter().map(|p| p.text()).collect();
    positions_hold(&text, &probes);
}

pub fn positions_hold(text: &str, probes: &[(u8, u8)]) {
    let rope = Rope::from_str(text);
    let lines = LineIndex::new(text);
    for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
        // A file without a rope gets the same positions from its line index.
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            assert_eq!(
                lines.position(text, offset, encoding),
                offset_to_position(&rope, offset, encoding),
                "{encoding:?} position of {offset} in {text:?}"
            );
        }
        // The middle of a CRLF has no position of its own.
        if offset > 0
            && text.as_bytes()[offset - 1] == b'\r'
            && text.as_bytes().get(offset) == Some(&b'\n')
        {
            continue;
        }
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let position = offset_to_position(&rope, offset, encoding);
            assert_eq!(
                position_to_offset(&rope, position, encoding),
                offset,
                "{encoding:?} round trip of {offset} in {text:?}"
            );
        }
    }
    for &(line, column) in probes {
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let position = Position::new(u32::from(line), u32::from(column) * 7);
            let offset = position_to_offset(&rope, position, encoding);
            assert!(
                text.is_char_boundary(offset),
                "{position:?} maps inside a character of {text:?}"
            );
            assert!(offset_to_position(&rope, offset, encoding).line <= position.line);
        }
    }
}

#[cfg(test)]
mod tests;
