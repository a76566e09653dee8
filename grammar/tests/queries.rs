//! Every query file shipped with the grammar or an editor integration must
//! compile against the grammar; a renamed node breaks this test, not an editor.

use std::path::{Path, PathBuf};

use tree_sitter::{Language, Query};

fn scm_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.ends_with("node_modules") {
            continue;
        }
        if path.is_dir() {
            scm_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "scm") {
            found.push(path);
        }
    }
}

#[test]
fn bundled_queries_compile() {
    let language: Language = tree_sitter_newsmark::LANGUAGE.into();
    for (name, source) in [
        ("highlights", tree_sitter_newsmark::HIGHLIGHTS_QUERY),
        ("folds", tree_sitter_newsmark::FOLDS_QUERY),
        ("injections", tree_sitter_newsmark::INJECTIONS_QUERY),
        ("tags", tree_sitter_newsmark::TAGS_QUERY),
    ] {
        let query = Query::new(&language, source).unwrap_or_else(|e| panic!("{name}.scm: {e}"));
        assert!(query.pattern_count() > 0, "{name}.scm is empty");
    }
}

#[test]
fn every_query_file_in_the_repository_compiles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    scm_files(&root.join("grammar/queries"), &mut files);
    scm_files(&root.join("editors"), &mut files);
    assert!(files.len() >= 4, "query files: {files:?}");
    let language: Language = tree_sitter_newsmark::LANGUAGE.into();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        if let Err(error) = Query::new(&language, &source) {
            panic!("{}: {error}", file.display());
        }
    }
}

#[test]
fn node_types_describe_the_named_nodes() {
    for node in [
        "claim",
        "mention",
        "entity_definition",
        "directive",
        "source_list",
    ] {
        assert!(
            tree_sitter_newsmark::NODE_TYPES.contains(&format!("\"type\": \"{node}\"")),
            "{node}"
        );
    }
}
