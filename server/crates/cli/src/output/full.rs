//! `--output-format full` (the default): each finding with a snippet of
//! its source, the way rustc prints errors (rendered by annotate-snippets),
//! then the summary line. Colour only on a terminal.

use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use newsmark_analysis::Severity;
use rayon::prelude::*;

use crate::output::summary_line;
use crate::report::{Finding, View};

pub fn render(view: &View, color: bool, hidden_hints: usize) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    // Rendering a snippet is the costly part of this format; findings are
    // rendered in parallel and joined in order.
    let rendered: Vec<String> = view
        .findings
        .par_iter()
        .map(|finding| renderer.render(&[group(view, finding)]))
        .collect();
    let mut out = String::with_capacity(rendered.iter().map(|r| r.len() + 2).sum::<usize>() + 100);
    for text in &rendered {
        out.push_str(text);
        out.push_str("\n\n");
    }
    out.push_str(&summary_line(view, hidden_hints));
    out
}

fn group<'a>(view: &'a View, finding: &'a Finding) -> Group<'a> {
    let file = &view.files[finding.file];
    let title = level(finding.severity)
        .primary_title(finding.message.as_str())
        .id(finding.code.as_str());
    let location = match &file.text {
        Some(text) => {
            let (lines, span) = excerpt(text, finding.range.clone());
            title.element(
                Snippet::source(lines)
                    .line_start(finding.start.line as usize)
                    .path(file.display.as_str())
                    .fold(true)
                    .annotation(AnnotationKind::Primary.span(span)),
            )
        }
        None => title.element(
            Origin::path(file.display.as_str())
                .line(finding.start.line as usize)
                .char_column(finding.start.column as usize),
        ),
    };
    location.elements(finding.notes.iter().map(|note| {
        Level::NOTE.message(format!(
            "{}: {}:{}:{}",
            note.message, note.path, note.position.line, note.position.column
        ))
    }))
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
        Severity::Hint => Level::HELP.with_name("hint"),
    }
}

/// The whole lines holding `range`, and `range` within them. A lone CR
/// ends a line in Newsmark but not for the renderer, so it becomes an LF
/// (the same length, so the span stays put).
fn excerpt(text: &str, range: Range<usize>) -> (String, Range<usize>) {
    let start = range.start.min(text.len());
    let end = range.end.clamp(start, text.len());
    let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |at| at + 1);
    // A range that ends right after a line break ends on the line before.
    let last = if end > start && text[..end].ends_with(['\n', '\r']) {
        end - 1
    } else {
        end
    };
    let line_end = text[last..]
        .find(['\n', '\r'])
        .map_or(text.len(), |at| last + at);
    let lines = lone_cr_to_lf(&text[line_start..line_end]);
    (lines, start - line_start..end.min(line_end) - line_start)
}

/// The renderer reads LF and CRLF line breaks, not a CR alone.
fn lone_cr_to_lf(text: &str) -> String {
    let bytes = text.as_bytes();
    text.char_indices()
        .map(|(at, c)| {
            if c == '\r' && bytes.get(at + 1) != Some(&b'\n') {
                '\n'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_whole_lines() {
        let text = "one\r\ntwo {claim\rover} three\r\nfour";
        let start = text.find('{').unwrap();
        let end = text.find('}').unwrap() + 1;
        let (lines, span) = excerpt(text, start..end);
        assert_eq!(lines, "two {claim\nover} three");
        assert_eq!(&lines[span], "{claim\nover}");
        let (lines, _) = excerpt("a\r\nb {c\r\nd}\r\n", 5..11);
        assert_eq!(lines, "b {c\r\nd}");
        assert_eq!(excerpt("abc", 0..0), ("abc".to_owned(), 0..0));
    }
}
