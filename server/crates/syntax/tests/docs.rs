//! The examples of the markup reference parse as the reference says: every
//! ```` ```newsmark ```` block of `docs/markup.md` parses without a syntax
//! error, except those fenced as ```` ```newsmark-error ````, which show one.

use std::path::Path;

use newsmark_syntax::SyntaxTree;

/// (fence language, code) of each fenced block of `markdown`.
fn fenced_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in markdown.lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(language)) => open = Some((language.trim().to_owned(), String::new())),
            (Some(_), Some(_)) => blocks.extend(open.take()),
            (Some((_, code)), None) => {
                code.push_str(line);
                code.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

#[test]
fn markup_examples_parse_as_the_reference_says() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../docs/markup.md");
    let markdown = std::fs::read_to_string(path).unwrap();
    let (mut checked, mut wrong) = (0, Vec::new());
    for (language, code) in fenced_blocks(&markdown) {
        let errors = SyntaxTree::parse(code.as_str()).errors();
        let expects_error = match language.as_str() {
            "newsmark" => false,
            "newsmark-error" => true,
            _ => continue,
        };
        checked += 1;
        if errors.is_empty() == expects_error {
            wrong.push(format!("```{language}\n{code}```: {errors:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "examples that parse otherwise than fenced:\n{}",
        wrong.join("\n\n")
    );
    assert!(checked >= 30, "examples checked: {checked}");
}
