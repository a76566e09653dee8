//! Text from a repository (file names, values, source lines) as a
//! terminal or a CI log shows it. A file name may hold a line break that
//! starts a forged `::error` workflow command on the next line, an escape
//! sequence that recolours, retitles or links the terminal, a CR that
//! overwrites what was printed, or a bidi override that reorders a name:
//! each such character is shown escaped (`\n`, `\u{1b}`) instead.

use std::borrow::Cow;

/// `text` with control characters (C0, DEL, C1) and bidi embeddings,
/// overrides and isolates written as Rust escapes. Every human format
/// shows file names and file-derived text through this.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_visible(&mut out, c);
    }
    Cow::Owned(out)
}

/// Appends `c`, escaped when it is [`hidden`].
pub fn push_visible(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        c => out.push(c),
    }
}

/// Characters a terminal acts on, or that change how the text around
/// them reads.
fn hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_escaped() {
        assert_eq!(
            visible("a\n::error::x\r\t\u{1b}]8;;u\u{7}\u{7f}\u{9b}\u{202e}\u{2066}é"),
            "a\\n::error::x\\r\\t\\u{1b}]8;;u\\u{7}\\u{7f}\\u{9b}\\u{202e}\\u{2066}é"
        );
        assert!(matches!(visible("plain «text», é"), Cow::Borrowed(_)));
    }
}
