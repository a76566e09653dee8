//! The Helix and Zed queries, run on real documents with the current grammar.
//!
//! Neither editor can be installed here (no Helix or Zed package on the
//! registries this project reaches), so Helix's own checker (`hx --health`)
//! cannot run. `queries.rs` compiles every `.scm` file; this test goes further,
//! for `editors/helix/queries/newsmark/` and `editors/zed/languages/newsmark/`:
//!
//! - each editor gets the query files it needs, under names it reads (a
//!   misspelt file name is silently ignored by the editor);
//! - every predicate is one tree-sitter evaluates (`#eq?`, `#match?`,
//!   `#any-of?`, `#set!` …): `Query::new` accepts unknown ones, such as a typo
//!   like `#mach?`, and leaves them to the editor, which ignores them too;
//! - every pattern matches, and every capture not starting with `_` captures,
//!   something in the sample documents: `examples/`, the fixture workspace
//!   `tests/fixtures/workspace/` and the inputs of `grammar/test/corpus/`
//!   that parse without errors. A query that compiles but never matches is a
//!   renamed node or field the compiler cannot see;
//! - Helix's heading patterns give each heading the level of its marker.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tree_sitter::{Language, Parser, Query, QueryCursor, StreamingIterator, Tree};

mod common;
use common::{corpus_files, parse_corpus};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn language() -> Language {
    tree_sitter_newsmark::LANGUAGE.into()
}

struct Sample {
    label: String,
    text: Vec<u8>,
    tree: Tree,
}

fn nmk_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            nmk_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "nmk") {
            found.push(path);
        }
    }
}

fn samples() -> Vec<Sample> {
    let mut parser = Parser::new();
    parser.set_language(&language()).unwrap();
    let mut parse = |label: String, text: Vec<u8>| {
        let tree = parser.parse(&text, None).unwrap();
        Sample { label, text, tree }
    };

    let mut files = Vec::new();
    nmk_files(&root().join("examples"), &mut files);
    nmk_files(&root().join("tests/fixtures/workspace"), &mut files);
    assert!(files.len() >= 10, "sample documents: {files:?}");
    let mut samples: Vec<Sample> = files
        .iter()
        .map(|path| parse(path.display().to_string(), std::fs::read(path).unwrap()))
        .collect();
    for sample in &samples {
        assert!(
            !sample.tree.root_node().has_error(),
            "{} does not parse cleanly",
            sample.label
        );
    }

    let mut cases = 0;
    for path in corpus_files() {
        for case in parse_corpus(&std::fs::read_to_string(&path).unwrap()) {
            if case.skip {
                continue;
            }
            cases += 1;
            let sample = parse(format!("{}: {}", path.display(), case.name), case.input);
            // Matches inside error recovery are not what an editor shows for
            // a well-formed document.
            if !sample.tree.root_node().has_error() {
                samples.push(sample);
            }
        }
    }
    assert!(cases >= 100, "corpus cases found: {cases}");
    samples
}

/// The query files of one editor, by file name.
fn query_files(dir: &str) -> BTreeMap<String, String> {
    let dir = root().join(dir);
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "scm") {
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            files.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
    files
}

/// Checks one editor's query files; `known` are the file names the editor
/// reads, `required` the ones this integration must ship.
fn check_editor(dir: &str, known: &[&str], required: &[&str], samples: &[Sample]) {
    let files = query_files(dir);
    for name in required {
        assert!(files.contains_key(*name), "{dir}/{name} is missing");
    }
    for name in files.keys() {
        assert!(
            known.contains(&name.as_str()),
            "{dir}/{name}: the editor reads no query file of that name (it reads {known:?})"
        );
    }

    let language = language();
    for (name, source) in &files {
        let file = format!("{dir}/{name}");
        let query = Query::new(&language, source).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(query.pattern_count() > 0, "{file} has no pattern");

        let mut pattern_matches = vec![0usize; query.pattern_count()];
        let mut captures = vec![0usize; query.capture_names().len()];
        let mut cursor = QueryCursor::new();
        for sample in samples {
            let mut matches =
                cursor.matches(&query, sample.tree.root_node(), sample.text.as_slice());
            while let Some(found) = matches.next() {
                pattern_matches[found.pattern_index] += 1;
                for capture in found.captures() {
                    captures[capture.index as usize] += 1;
                }
            }
        }

        for (pattern, count) in pattern_matches.iter().enumerate() {
            let start = query.start_byte_for_pattern(pattern);
            let line = source[..start].matches('\n').count() + 1;
            let predicates = query.general_predicates(pattern);
            assert!(
                predicates.is_empty(),
                "{file}:{line}: predicate(s) tree-sitter does not evaluate: {:?}",
                predicates.iter().map(|p| &p.operator).collect::<Vec<_>>()
            );
            assert!(
                *count > 0,
                "{file}:{line}: this pattern matches nothing in examples/, \
                 tests/fixtures/workspace/ or grammar/test/corpus/"
            );
        }
        for (capture, name) in query.capture_names().iter().enumerate() {
            assert!(
                name.starts_with('_') || captures[capture] > 0,
                "{file}: @{name} never captures anything in the samples"
            );
        }
    }
}

#[test]
fn helix_queries_match_the_samples() {
    // Helix's runtime/queries/<language>/ file names.
    let known = [
        "highlights.scm",
        "injections.scm",
        "locals.scm",
        "indents.scm",
        "textobjects.scm",
        "tags.scm",
        "rainbows.scm",
    ];
    let required = ["highlights.scm", "injections.scm", "textobjects.scm"];
    check_editor(
        "editors/helix/queries/newsmark",
        &known,
        &required,
        &samples(),
    );
}

#[test]
fn zed_queries_match_the_samples() {
    // Zed's languages/<language>/ query file names.
    let known = [
        "highlights.scm",
        "brackets.scm",
        "outline.scm",
        "indents.scm",
        "injections.scm",
        "overrides.scm",
        "textobjects.scm",
        "redactions.scm",
        "runnables.scm",
        "embedding.scm",
        "imports.scm",
        "debugger.scm",
    ];
    let required = [
        "highlights.scm",
        "brackets.scm",
        "outline.scm",
        "injections.scm",
        "textobjects.scm",
    ];
    check_editor(
        "editors/zed/languages/newsmark",
        &known,
        &required,
        &samples(),
    );
}

/// Helix picks the first matching pattern: a heading's text must be captured
/// by exactly one `markup.heading.N`, N being the number of `#` in its marker.
#[test]
fn helix_heading_levels_follow_the_marker() {
    let source = "# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six\n";
    let mut parser = Parser::new();
    parser.set_language(&language()).unwrap();
    let tree = parser.parse(source, None).unwrap();
    assert!(
        !tree.root_node().has_error(),
        "{}",
        tree.root_node().to_sexp()
    );

    let highlights = &query_files("editors/helix/queries/newsmark")["highlights.scm"];
    let query = Query::new(&language(), highlights).unwrap();
    let mut levels: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut cursor = QueryCursor::new();
    let mut captures = cursor.captures(&query, tree.root_node(), source.as_bytes());
    while let Some((found, index)) = captures.next() {
        let capture = found.captures()[*index];
        let name = query.capture_names()[capture.index as usize];
        if let Some(level) = name.strip_prefix("markup.heading.")
            && level != "marker"
        {
            let text = capture.node.utf8_text(source.as_bytes()).unwrap();
            levels
                .entry(text.to_owned())
                .or_default()
                .push(level.to_owned());
        }
    }
    let expected: BTreeMap<String, Vec<String>> = [
        ("One", "1"),
        ("Two", "2"),
        ("Three", "3"),
        ("Four", "4"),
        ("Five", "5"),
        ("Six", "6"),
    ]
    .into_iter()
    .map(|(text, level)| (text.to_owned(), vec![level.to_owned()]))
    .collect();
    assert_eq!(levels, expected);
}
