//! Replays every input the fuzzer ever found a bug with, and runs bounded
//! property-test versions of the fuzz targets on every `cargo test`.

use std::path::Path;

use proptest::prelude::*;

use super::*;

/// Runs `check` on every file of `fuzz/regressions/<target>/`.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../fuzz/regressions")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "md") {
            continue;
        }
        check(&std::fs::read(&path).unwrap());
        count += 1;
    }
    count
}

#[test]
fn fuzz_regressions_replay() {
    let replayed = replay("parse_analyse", check_parse_and_analyse)
        + replay("reparse", check_incremental)
        + replay("positions", check_positions)
        + replay("cross_file", check_cross_file);
    assert!(
        replayed > 0,
        "the regression folders hold at least the seed inputs"
    );
}

#[test]
fn hostile_texts_analyse_without_panicking() {
    let nested = "{".repeat(100_000);
    let brackets = "[".repeat(100_000);
    let long_line = "Lavrov said ".repeat(90_000);
    for text in [
        nested.as_str(),
        brackets.as_str(),
        long_line.as_str(),
        "\0\0{\0}[\0]@\0",
        "a\rb\r\rc\r",
        "text \u{feff} more\n\u{feff}@lavrov: X\n",
        "@\n@-\n@.\n{|}\n[]@\n]\n}\n%%\n\\",
    ] {
        analyse_everything(text);
    }
}

#[test]
fn a_front_matter_moved_off_the_first_line_is_summarised_afresh() {
    // The language server reused the front matter's summary: same text,
    // but only the first line can start a front matter.
    let base = "---\ntitle: T\n---\n\n[Lavrov]@lavrov said\n";
    for insert in [Piece::Text, Piece::BlankLine, Piece::Newline] {
        let edit = Edit {
            start: 0,
            len: 0,
            insert,
        };
        incremental_matches_fresh(base, &[edit]);
    }
}

#[test]
fn a_reparse_recovers_from_errors_as_a_fresh_parse_does() {
    // Found by the reparse fuzzer: tree-sitter reused a claim that error
    // recovery had built, and a fresh parse of the edited text recovers
    // with one more child.
    let edit = Edit {
        start: 11,
        len: 0,
        insert: Piece::CloseBrace,
    };
    incremental_matches_fresh("[]@😀\n-\n--{{|[a}i}", &[edit]);
}

fn piece() -> impl Strategy<Value = Piece> {
    (0u8..21).prop_map(|n| {
        let mut bytes = [n; 8];
        bytes[0] = n;
        Unstructured::new(&bytes).arbitrary().unwrap_or(Piece::Text)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn incremental_equals_fresh(
        base in proptest::collection::vec(piece(), 0..24),
        edits in proptest::collection::vec((any::<u16>(), any::<u8>(), piece()), 1..10),
    ) {
        let base: String = base.iter().map(|p| p.text()).collect();
        let edits: Vec<Edit> = edits.into_iter().map(|(start, len, insert)| Edit { start, len, insert }).collect();
        incremental_matches_fresh(&base, &edits);
    }

    #[test]
    fn an_edit_leaves_other_files_as_a_fresh_analysis_finds_them(
        bases in proptest::array::uniform3(proptest::collection::vec(piece(), 0..16)),
        edited in 0..3usize,
        edits in proptest::collection::vec((any::<u16>(), any::<u8>(), piece()), 1..8),
    ) {
        let texts = bases.map(|pieces| pieces.iter().map(|p| p.text()).collect::<String>());
        let edits: Vec<Edit> = edits.into_iter().map(|(start, len, insert)| Edit { start, len, insert }).collect();
        other_files_follow_an_edit(&texts, edited, &edits);
    }

    #[test]
    fn positions_round_trip(pieces in proptest::collection::vec(piece(), 0..24), probes in proptest::collection::vec(any::<(u8, u8)>(), 0..16)) {
        let text: String = pieces.iter().map(|p| p.text()).collect();
        positions_hold(&text, &probes);
    }

    #[test]
    fn any_text_analyses(pieces in proptest::collection::vec(piece(), 0..32)) {
        let text: String = pieces.iter().map(|p| p.text()).collect();
        analyse_everything(&text);
    }
}
