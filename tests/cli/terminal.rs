//! File names and file contents that try to drive the terminal or the CI
//! log: a name with line breaks that would put a forged `::error`
//! workflow command on a line of its own, OSC hyperlinks, a CR, a C1 CSI
//! and a bidi override; a claim with escape sequences in it. Every human
//! output (and every message on stderr) shows them escaped.

use std::path::Path;
use std::process::Command;

use crate::support::newsmark;

/// A readable article with a hostile name, and a dangling link (an
/// unreadable file) with another one.
const ARTICLE: &str = "a\n::error file=forged.nmk,line=1::FORGED\n\u{1b}]8;;http:x\u{7}link\u{1b}]8;;\u{7}\r\u{202e}\u{9b}31m.nmk";
const UNREADABLE: &str = "b\n::warning::FORGED\u{1b}[2J\u{7}.nmk";

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("newsmark.toml"), "").unwrap();
    std::fs::write(
        root.join(ARTICLE),
        "Text {a claim \u{1b}[31mred\u{1b}]0;title\u{7} \u{9b}2J \u{202e}reversed}.\n\n[X]@nope said.\n\n[unclosed\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(root.join("missing"), root.join(UNREADABLE)).unwrap();
    dir
}

/// Runs `command` and returns stdout and stderr together.
fn output(command: &mut Command) -> String {
    let output = command.output().expect("the binary runs");
    let code = output.status.code();
    assert!(code.is_some_and(|c| c < 2), "exit {code:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap() + &String::from_utf8(output.stderr).unwrap()
}

/// No raw control character or bidi override, and no line that starts a
/// workflow command except the `annotations` expected.
#[track_caller]
fn assert_inert(text: &str, annotations: usize) {
    for bad in ['\u{1b}', '\u{7}', '\r', '\u{9b}', '\u{202e}'] {
        assert!(!text.contains(bad), "{bad:?} in\n{text}");
    }
    let commands: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(commands.len(), annotations, "{text}");
    for command in commands {
        assert!(
            command.starts_with("::error file=a%0A%3A%3Aerror file=forged.nmk%2Cline=1%3A%3AFORGED%0A\\u{1b}]8;;http%3Ax\\u{7}link")
                || command.starts_with("::warning file=a%0A")
                || command.starts_with("::error file=b%0A%3A%3Awarning%3A%3AFORGED\\u{1b}[2J\\u{7}.nmk,"),
            "{command}"
        );
    }
}

fn check(dir: &Path, format: &str) -> String {
    output(newsmark(dir).args(["check", "--no-cache", "--output-format", format, "."]))
}

#[test]
fn hostile_names_and_text_in_check_outputs() {
    let dir = workspace();
    let concise = check(dir.path(), "concise");
    assert_inert(&concise, 0);
    assert!(
        concise.contains("a\\n::error file=forged.nmk,line=1::FORGED\\n\\u{1b}]8;;http:x\\u{7}link\\u{1b}]8;;\\u{7}\\r\\u{202e}\\u{9b}31m.nmk:3:4: error[undefined-entity]"),
        "{concise}"
    );
    let full = check(dir.path(), "full");
    assert_inert(&full, 0);
    assert!(
        full.contains(
            "1 | Text {a claim \\u{1b}[31mred\\u{1b}]0;title\\u{7} \\u{9b}2J \\u{202e}reversed}."
        ),
        "{full}"
    );
    // The place is the column in the file, not in the escaped snippet.
    assert!(full.contains(".nmk:3:4\n"), "{full}");
    // The findings of both files, with their real names encoded.
    assert_inert(&check(dir.path(), "github"), 4);
    assert_inert(&check(dir.path(), "junit"), 0);
    assert_inert(
        &output(newsmark(dir.path()).args([
            "check",
            "--no-cache",
            "--statistics",
            "--output-format",
            "concise",
            ".",
        ])),
        0,
    );
}

#[test]
fn colours_do_not_let_file_text_through() {
    let dir = workspace();
    let full =
        output(
            newsmark(dir.path())
                .env("CLICOLOR_FORCE", "1")
                .args(["check", "--no-cache", "."]),
        );
    assert!(full.contains("\u{1b}["), "colours are on");
    // Our colours are CSI sequences; none of the file's OSC, BEL, CR or
    // C1 sequences are there.
    for bad in [
        "\u{1b}]",
        "\u{1b}[2J",
        "\u{1b}[31m",
        "\u{7}",
        "\r",
        "\u{9b}",
    ] {
        assert!(!full.contains(bad), "{bad:?} in\n{full}");
    }
}

#[test]
fn hostile_names_in_stats_and_export() {
    let dir = workspace();
    let stats = output(newsmark(dir.path()).args(["stats", "."]));
    assert_inert(&stats, 0);
    assert!(
        stats.contains("newsmark: error: b\\n::warning::FORGED"),
        "{stats}"
    );
    let export = output(newsmark(dir.path()).args([
        "export",
        "--format",
        "jsonl",
        "--out",
        "out.jsonl",
        ".",
    ]));
    assert_inert(&export, 0);
    assert!(
        export.contains("newsmark: error: b\\n::warning::FORGED"),
        "{export}"
    );
    assert!(
        export.contains("newsmark: warning: a\\n::error file=forged.nmk"),
        "{export}"
    );
    // `graph` fails (2) on an unreadable file; its message is inert too.
    let graph = newsmark(dir.path()).args(["graph", "."]).output().unwrap();
    let stderr = String::from_utf8(graph.stderr).unwrap();
    assert_inert(&stderr, 0);
    assert!(
        stderr.contains("newsmark: error: b\\n::warning::FORGED"),
        "{stderr}"
    );
}

#[test]
fn hostile_configuration_keys_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("newsmark.toml"),
        "\"\\u001b]0;pwned\\u0007\\n::error::FORGED\" = 1\n",
    )
    .unwrap();
    let output = newsmark(dir.path()).args(["check", "."]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_inert(&stderr, 0);
    assert!(
        stderr.contains("\\u{1b}]0;pwned\\u{7}\\n::error::FORGED"),
        "{stderr}"
    );
}
