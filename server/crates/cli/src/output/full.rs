//! `--output-format full` (the default): each finding with a snippet of
//! its source, the way rustc prints errors (rendered by annotate-snippets),
//! then the summary line. Colour only on a terminal.
//!
//! The texts are read again as their findings are printed: a corpus's
//! texts do not all fit in memory. A file that changed since it was
//! checked is shown without a snippet, like one that cannot be read.

use newsmark_syntax::position::{first_line_len, floor_char_boundary, last_line_start};
use std::io::{self, Write};
use std::ops::Range;

use annotate_snippets::renderer::DEFAULT_LINE_NUM_STYLE;
use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};
use newsmark_analysis::Severity;
use rayon::prelude::*;

use crate::output::escape::{push_visible, visible};
use crate::output::summary_line;
use crate::report::{Finding, View, fits};

/// How many findings are rendered together (in parallel, their files'
/// texts read once) before they are written.
const BATCH: usize = 4096;

pub fn render(
    view: &View,
    color: bool,
    hidden_hints: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    // Rendering a snippet is the costly part of this format; findings are
    // rendered in parallel and written in order.
    for batch in view.findings.chunks(BATCH) {
        let mut files: Vec<usize> = batch.iter().map(|finding| finding.file).collect();
        files.dedup();
        let texts: Vec<_> = (files.par_iter())
            .map(|&file| view.files[file].text())
            .collect();
        let rendered: Vec<String> = batch
            .par_iter()
            .map(|finding| {
                let text = (files.binary_search(&finding.file).ok())
                    .and_then(|at| texts[at].as_deref())
                    .filter(|text| fits(text, &finding.range));
                render_finding(&renderer, color, view, finding, text)
            })
            .collect();
        for text in &rendered {
            out.write_all(text.as_bytes())?;
            out.write_all(b"\n\n")?;
        }
    }
    out.write_all(summary_line(view, hidden_hints).as_bytes())
}

/// A finding with a snippet of `text`, its file's (none without it).
fn render_finding(
    renderer: &Renderer,
    color: bool,
    view: &View,
    finding: &Finding,
    text: Option<&str>,
) -> String {
    let file = &view.files[finding.file];
    let path = visible(&file.display);
    let title = level(finding.severity)
        .primary_title(visible(&finding.message))
        .id(finding.code.as_str());
    let notes = finding.notes.iter().map(|note| {
        Level::NOTE.message(
            visible(&format!(
                "{}: {}:{}:{}",
                note.message, note.path, note.position.line, note.position.column
            ))
            .into_owned(),
        )
    });
    let Some(text) = text else {
        let place = Origin::path(path)
            .line(finding.start.line as usize)
            .char_column(finding.start.column as usize);
        return renderer.render(&[title.element(place).elements(notes)]);
    };
    // The excerpt may be cut and its escapes are wider than what they
    // show, so the renderer cannot count the column: the `-->` line is
    // ours, put under the title line.
    let (lines, span) = excerpt(text, finding.range.clone());
    let last_line = finding.start.line as usize + lines.matches('\n').count();
    let snippet = Snippet::source(lines)
        .line_start(finding.start.line as usize)
        .fold(true)
        .annotation(AnnotationKind::Primary.span(span));
    let rendered = renderer.render(&[title.element(snippet).elements(notes)]);
    let (title_line, rest) = rendered.split_once('\n').unwrap_or((&rendered, ""));
    let arrow = if color {
        format!("{DEFAULT_LINE_NUM_STYLE}-->{DEFAULT_LINE_NUM_STYLE:#}")
    } else {
        "-->".to_owned()
    };
    format!(
        "{title_line}\n{:width$}{arrow} {path}:{}:{}\n{rest}",
        "",
        finding.start.line,
        finding.start.column,
        width = last_line.to_string().len()
    )
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
        Severity::Hint => Level::HELP.with_name("hint"),
    }
}

/// How much of a line is shown on each side of the marked text: a long
/// line is cut to this, with `…` where it was cut, so a finding costs the
/// same on a line of a megabyte as on a short one.
const CONTEXT: usize = 160;

/// Marked text longer than this (a claim around a whole file) is shown
/// only for [`CONTEXT`] bytes, then `…`: findings nested in one another
/// would otherwise cost the square of their depth.
const LONG_SPAN: usize = 2048;

/// The lines holding `range` (cut to [`CONTEXT`] around it), as the
/// terminal may show them, and `range` within them. Every line break
/// becomes an LF (a lone CR ends a line in Newsmark but not for the
/// renderer); other control characters are escaped.
fn excerpt(text: &str, range: Range<usize>) -> (String, Range<usize>) {
    let start = floor_char_boundary(text, range.start.min(text.len()));
    let mut end = floor_char_boundary(text, range.end.clamp(start, text.len()));
    let long = end - start > LONG_SPAN;
    if long {
        end = floor_char_boundary(text, start + CONTEXT);
    }
    // The excerpt starts at the line start, or CONTEXT before `start`.
    let window_start = floor_char_boundary(text, start.saturating_sub(CONTEXT));
    let from = window_start + last_line_start(&text[window_start..start]);
    // It ends at the line end, or CONTEXT after `end` (right at a cut
    // `end`). A range that ends right after a line break ends on the line
    // before.
    let last = if end > start && text[..end].ends_with(['\n', '\r']) {
        end - 1
    } else {
        end
    };
    let window_end = if long {
        end
    } else {
        floor_char_boundary(text, (last + CONTEXT).min(text.len()))
    };
    let to = last + first_line_len(&text[last..window_end]);

    let mut shown = String::with_capacity(to - from + 8);
    if from > 0 && !text[..from].ends_with(['\n', '\r']) {
        shown.push('…');
    }
    let mut span = usize::MAX..usize::MAX;
    let mut chars = text[from..to].char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if from + at == start {
            span.start = shown.len();
        }
        if from + at == end {
            span.end = shown.len();
        }
        match c {
            '\r' if chars.peek().is_some_and(|&(_, next)| next == '\n') => {}
            '\r' | '\n' => shown.push('\n'),
            // The renderer lines tabs up itself.
            '\t' => shown.push('\t'),
            c => push_visible(&mut shown, c),
        }
    }
    let cut = to < text.len() && !text[to..].starts_with(['\n', '\r']);
    if cut && long {
        // The `…` is part of the marked text.
        shown.push('…');
    }
    span.start = span.start.min(shown.len());
    span.end = span.end.min(shown.len());
    if cut && !long {
        shown.push('…');
    }
    (shown, span)
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
        assert_eq!(lines, "b {c\nd}");
        assert_eq!(excerpt("abc", 0..0), ("abc".to_owned(), 0..0));
    }

    #[test]
    fn long_lines_and_long_marks_are_cut() {
        let pad = "x".repeat(1000);
        let text = format!("{pad}{{claim}}{pad}\nnext");
        let start = pad.len();
        let (lines, span) = excerpt(&text, start..start + 7);
        assert_eq!(
            lines,
            format!("…{}{{claim}}{}…", &pad[..CONTEXT], &pad[..CONTEXT])
        );
        assert_eq!(&lines[span], "{claim}");

        let text = format!("a {{{}}} b", "é".repeat(LONG_SPAN));
        let (lines, span) = excerpt(&text, 2..text.len() - 2);
        assert!(
            lines.starts_with("a {é") && lines.ends_with("é…"),
            "{lines}"
        );
        assert_eq!(&lines[span], &lines[2..]);
    }

    #[test]
    fn control_characters_in_the_source_are_escaped() {
        let text = "a \u{1b}]8;;x\u{7}{b}\u{9b}\tc";
        let start = text.find('{').unwrap();
        let (lines, span) = excerpt(text, start..start + 3);
        assert_eq!(lines, "a \\u{1b}]8;;x\\u{7}{b}\\u{9b}\tc");
        assert_eq!(&lines[span], "{b}");
    }
}
