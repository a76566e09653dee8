//! Multi-file fixtures for tests, so a registry and an article fit in one
//! string and expectations sit next to the text they are about.
//!
//! - `//- path` starts a file; `//- path crlf` and `//- path cr` store it
//!   with CRLF or CR line endings. `//- newsmark.toml` sets the workspace configuration.
//! - `$0` marks the cursor (Newsmark never uses `$`).
//! - A line of spaces and `^` marks a range on the line above, counted in
//!   characters (so Hangul and emoji need one `^` each). Text after the
//!   carets is the expectation, e.g. `warning[unsourced-claim]`. Marker
//!   lines are removed before analysis and may start at column 0.

use std::ops::Range;

use newsmark_syntax::position::{first_line_len, last_line_start};

use crate::config::Config;
use crate::workspace::{FileId, Workspace};

#[derive(Debug)]
pub struct Fixture {
    pub ws: Workspace,
    pub cursor: Option<(FileId, usize)>,
    /// Marked ranges with the text after the carets.
    pub marks: Vec<(FileId, Range<usize>, String)>,
}

struct FileText {
    path: String,
    newline: &'static str,
    text: String,
    cursor: Option<usize>,
    marks: Vec<(Range<usize>, String)>,
}

pub fn parse(fixture: &str) -> Fixture {
    let mut files: Vec<FileText> = Vec::new();
    let mut config = Config::default();
    let mut in_config = false;
    let mut config_text = String::new();
    for line in fixture.lines() {
        if let Some(header) = line.strip_prefix("//- ") {
            let mut words = header.split_whitespace();
            let path = words.next().expect("a path after //-").to_owned();
            in_config = path == "newsmark.toml";
            if !in_config {
                let newline = match words.next() {
                    Some("crlf") => "\r\n",
                    Some("cr") => "\r",
                    _ => "\n",
                };
                files.push(FileText {
                    path,
                    newline,
                    text: String::new(),
                    cursor: None,
                    marks: Vec::new(),
                });
            }
            continue;
        }
        if in_config {
            config_text.push_str(line);
            config_text.push('\n');
            continue;
        }
        let Some(file) = files.last_mut() else {
            assert!(
                line.trim().is_empty(),
                "fixture text starts with `//- path`"
            );
            continue;
        };
        if let Some(groups) = markers(line) {
            let line_start = last_line_start(&file.text[..file.text.len() - file.newline.len()]);
            let above = &file.text[line_start..];
            let byte = |column: usize| {
                line_start
                    + above
                        .char_indices()
                        .nth(column)
                        .map_or(first_line_len(above), |(i, _)| i)
            };
            for (columns, expectation) in groups {
                file.marks
                    .push((byte(columns.start)..byte(columns.end), expectation));
            }
            continue;
        }
        let mut line = line.to_owned();
        if let Some(at) = line.find("$0") {
            file.cursor = Some(file.text.len() + at);
            line.replace_range(at..at + 2, "");
        }
        file.text.push_str(&line);
        file.text.push_str(file.newline);
    }
    if !config_text.is_empty() {
        config = Config::parse(&config_text).expect("a valid fixture config");
    }
    let mut ws = Workspace::new(config);
    let mut cursor = None;
    let mut marks = Vec::new();
    for file in files {
        let id = ws.set_file(&file.path, file.text.into()).file;
        if let Some(offset) = file.cursor {
            cursor = Some((id, offset));
        }
        marks.extend(
            file.marks
                .into_iter()
                .map(|(range, text)| (id, range, text)),
        );
    }
    Fixture { ws, cursor, marks }
}

/// `   ^^^^ text` → [(3..7, "text")]; `^ ^^` → [(0..1, ""), (2..4, "")].
/// Text after the carets belongs to the last group.
fn markers(line: &str) -> Option<Vec<(Range<usize>, String)>> {
    if !line.trim_start_matches(' ').starts_with('^') {
        return None;
    }
    let mut groups = Vec::new();
    let mut column = 0;
    let mut rest = line;
    loop {
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        let after_spaces = &rest[spaces..];
        let carets = after_spaces.len() - after_spaces.trim_start_matches('^').len();
        if carets == 0 {
            if let Some(last) = groups.last_mut() {
                let (_, text): &mut (Range<usize>, String) = last;
                *text = after_spaces.trim().to_owned();
            }
            return Some(groups);
        }
        column += spaces;
        groups.push((column..column + carets, String::new()));
        column += carets;
        rest = &after_spaces[carets..];
    }
}

impl Fixture {
    pub fn cursor(&self) -> (FileId, usize) {
        self.cursor.expect("the fixture has a `$0` cursor")
    }

    pub fn file(&self, path: &str) -> FileId {
        self.ws
            .file(path)
            .unwrap_or_else(|| panic!("no fixture file {path}"))
    }
}
