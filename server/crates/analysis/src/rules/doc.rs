//! `docs/rules.md`, generated from the rules' own documentation so the
//! file, hover on `%% ignore:` codes and SARIF help never disagree.

use super::Code;

/// The Markdown of `docs/rules.md`.
pub fn rules_markdown() -> String {
    let mut text = String::from(
        "# Diagnostics\n\n\
         <!-- Generated from server/crates/analysis/src/rules/*.rs by\n\
         `UPDATE_DOCS=1 cargo test -p newsmark-analysis rules_doc`. Do not edit by hand. -->\n\n\
         Every finding has a stable code, used in output, in `newsmark.toml` (`[severity]`) and in\n\
         `%% ignore:` directives. See docs/configuration.md for severities. A directive at the end of a\n\
         line silences the findings on that line, and those that run over it (a claim over several\n\
         lines, from the end of any of them); one alone on its line, those that start on the next\n\
         (docs/markup.md).\n\n\
         | code | default severity | what it flags |\n|---|---|---|\n",
    );
    for code in Code::ALL {
        text.push_str(&format!(
            "| [`{0}`](#{0}) | {1} | {2} |\n",
            code.as_str(),
            code.default_severity().as_str(),
            code.summary().replace('|', "\\|")
        ));
    }
    for code in Code::ALL {
        text.push_str(&format!(
            "\n## {}\n\nDefault severity: {}.\n\n{}\n",
            code.as_str(),
            code.default_severity().as_str(),
            code.doc()
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_doc_is_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../docs/rules.md");
        let expected = rules_markdown();
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(&path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == expected,
            "docs/rules.md is stale: run `UPDATE_DOCS=1 cargo test -p newsmark-analysis rules_doc`"
        );
    }
}
