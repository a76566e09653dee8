//! `--output-format sarif`: SARIF 2.1.0 as GitHub code scanning reads it.
//! Every code is a rule with its documentation as help; results carry
//! repository-relative URIs (`/`-separated, relative to the git root above
//! the workspace, or to the workspace root outside git) and 1-based start
//! and end lines and columns, columns in Unicode code points (the SARIF
//! default, stated in `columnKind`).

use newsmark_analysis::{Code, Severity};
use serde::Serialize;

use crate::report::View;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: Properties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Properties {
    tags: [&'static str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

pub fn render(view: &View) -> String {
    let results = view
        .findings
        .iter()
        .map(|finding| SarifResult {
            rule_id: finding.code.as_str(),
            rule_index: Code::ALL
                .iter()
                .position(|&c| c == finding.code)
                .unwrap_or(0),
            level: level(finding.severity),
            message: Text {
                text: finding.message.to_string(),
            },
            locations: [Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: uri(&view.files[finding.file].repo_path),
                    },
                    region: Region {
                        start_line: finding.start.line,
                        start_column: finding.start.column,
                        end_line: finding.end.line,
                        end_column: finding.end.column,
                    },
                },
            }],
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "newsmark",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: Code::ALL.iter().map(|&code| rule(code)).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut out = serde_json::to_string_pretty(&log).expect("SARIF serialises");
    out.push('\n');
    out
}

fn rule(code: Code) -> Rule {
    Rule {
        id: code.as_str(),
        name: pascal_case(code.as_str()),
        short_description: Text {
            text: code.summary().to_owned(),
        },
        full_description: Text {
            text: code.summary().to_owned(),
        },
        help: Help {
            text: code.doc(),
            markdown: code.doc(),
        },
        help_uri: format!(
            "{}/blob/main/docs/rules.md#{}",
            env!("CARGO_PKG_REPOSITORY"),
            code.as_str()
        ),
        default_configuration: Configuration {
            level: level(code.default_severity()),
        },
        properties: Properties { tags: ["newsmark"] },
    }
}

/// SARIF knows `error`, `warning` and `note`.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn pascal_case(code: &str) -> String {
    code.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A relative URI reference: unreserved characters and `/` stay, every
/// other byte is percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            uri("articles/my visit #1.nmk"),
            "articles/my%20visit%20%231.nmk"
        );
        assert_eq!(uri("기사/a.nmk"), "%EA%B8%B0%EC%82%AC/a.nmk");
        assert_eq!(pascal_case("unsourced-claim"), "UnsourcedClaim");
    }
}
