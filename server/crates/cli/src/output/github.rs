//! `--output-format github`: GitHub Actions workflow commands, which show
//! as annotations on the pull request. Paths are relative to the
//! repository. Errors are `::error`, warnings `::warning`, infos and hints
//! `::notice`. GitHub shows at most 10 annotations per level per step (50
//! per job): upload SARIF for complete results.

use std::io::{self, Write};

use newsmark_analysis::Severity;

use crate::output::escape::visible;
use crate::report::View;

pub fn render(view: &View, out: &mut dyn Write) -> io::Result<()> {
    for finding in &view.findings {
        let command = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Hint => "notice",
        };
        writeln!(
            out,
            "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            escape_property(&view.files[finding.file].repo_path),
            finding.start.line,
            finding.end.line,
            finding.start.column,
            finding.end.column,
            escape_property(&format!("newsmark {}", finding.code.as_str())),
            escape_data(&finding.message)
        )?;
    }
    Ok(())
}

/// The message part: `%`, CR and LF are encoded the way the runner
/// decodes them; other control characters, which the log would show to a
/// terminal emulator, are escaped ([`visible`]).
pub fn escape_data(text: &str) -> String {
    let encoded = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    visible(&encoded).into_owned()
}

/// A property value: also `:` and `,`, which separate properties.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_are_escaped() {
        assert_eq!(
            escape_data("100% sure\r\nnext: a, b"),
            "100%25 sure%0D%0Anext: a, b"
        );
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(
            escape_data("\u{1b}]8;;x\u{7}\t\u{9b}"),
            "\\u{1b}]8;;x\\u{7}\\t\\u{9b}"
        );
    }
}
