//! `--output-format junit`: JUnit XML, as CI dashboards read it. One test
//! suite per checked file; in it, one failing test case per finding, or a
//! single passing test case when the file is clean.

use std::io::{self, Write};

use crate::output::escape::push_visible;
use crate::report::View;

pub fn render(view: &View, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    let mut by_file: Vec<Vec<usize>> = vec![Vec::new(); view.files.len()];
    for (index, finding) in view.findings.iter().enumerate() {
        by_file[finding.file].push(index);
    }
    let total: usize = by_file.iter().map(|f| f.len().max(1)).sum();
    writeln!(
        out,
        "<testsuites name=\"newsmark\" tests=\"{total}\" failures=\"{}\" errors=\"0\">",
        view.findings.len()
    )?;
    for (file, findings) in view.files.iter().zip(&by_file) {
        let path = escape(&file.display);
        writeln!(
            out,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
            findings.len().max(1),
            findings.len()
        )?;
        if findings.is_empty() {
            writeln!(
                out,
                "    <testcase name=\"newsmark check\" classname=\"{path}\" file=\"{path}\"/>"
            )?;
        }
        for &index in findings {
            let finding = view.findings[index];
            let (line, column) = (finding.start.line, finding.start.column);
            let code = finding.code.as_str();
            let severity = finding.severity.as_str();
            let message = escape(&finding.message);
            writeln!(
                out,
                "    <testcase name=\"{code} at {line}:{column}\" classname=\"{path}\" file=\"{path}\" line=\"{line}\">"
            )?;
            writeln!(
                out,
                "      <failure type=\"{code}\" message=\"{severity}: {message}\">{path}:{line}:{column}: {severity}[{code}] {message}</failure>"
            )?;
            out.write_all(b"    </testcase>\n")?;
        }
        out.write_all(b"  </testsuite>\n")?;
    }
    out.write_all(b"</testsuites>\n")
}

/// Escapes text for an XML attribute or element. Line breaks and tabs are
/// character references; other control characters (which XML 1.0 cannot
/// hold, or which a terminal showing the report would act on) and bidi
/// overrides are shown escaped ([`push_visible`]); U+FFFE and U+FFFF,
/// which XML cannot hold either, are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{fffe}' | '\u{ffff}' => {}
            c => push_visible(&mut out, c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_special_and_control_characters() {
        assert_eq!(
            escape("`@a` & <b> \"c\"\u{1}\u{1b}\n\u{ffff}"),
            "`@a` &amp; &lt;b&gt; &quot;c&quot;\\u{1}\\u{1b}&#10;"
        );
    }
}
