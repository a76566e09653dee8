//! `newsmark.toml`: severity per diagnostic code, which files belong to the
//! workspace, and the registry file for new definitions.
//!
//! Parsing takes the file's text; reading it from disk is the caller's job,
//! and so is naming the file in error messages. Every key is documented in
//! `docs/configuration.md`.

use std::collections::BTreeMap;
use std::fmt;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::rules::{Code, Severity};

/// The name of the configuration file, which also marks the workspace root.
pub const CONFIG_FILE: &str = "newsmark.toml";

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Severity overrides; `None` turns a code off.
    severities: BTreeMap<Code, Option<Severity>>,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    /// Where quick fixes append new definitions, relative to the workspace root.
    pub registry: Option<String>,
}

/// An invalid configuration, with the line and key at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// One-based line, when known.
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        if let Some(key) = &self.key {
            write!(f, "`{key}`: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    include: Option<Spanned<Vec<Spanned<String>>>>,
    exclude: Option<Spanned<Vec<Spanned<String>>>>,
    registry: Option<Spanned<String>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

impl Config {
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let raw: RawConfig = toml::from_str(text).map_err(|error| ConfigError {
            line: error.span().map(|span| line_of(span.start)),
            key: None,
            message: error.message().trim().to_owned(),
        })?;
        let mut config = Config::default();
        for (code, severity) in raw.severity.unwrap_or_default() {
            let key = format!("severity.{}", code.get_ref());
            let parsed_code = Code::from_name(code.get_ref()).ok_or_else(|| ConfigError {
                line: Some(line_of(code.span().start)),
                key: Some(key.clone()),
                message: format!(
                    "unknown diagnostic code `{}`; known codes: {}",
                    code.get_ref(),
                    Code::ALL
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })?;
            let level = match severity.get_ref().as_str() {
                "off" => None,
                name => Some(Severity::from_name(name).ok_or_else(|| ConfigError {
                    line: Some(line_of(severity.span().start)),
                    key: Some(key),
                    message: format!(
                        "unknown severity `{name}`; use one of error, warning, info, hint, off"
                    ),
                })?),
            };
            config.severities.insert(parsed_code, level);
        }
        config.include = raw
            .include
            .map(|globs| glob_set("include", globs, &line_of))
            .transpose()?;
        config.exclude = raw
            .exclude
            .map(|globs| glob_set("exclude", globs, &line_of))
            .transpose()?;
        config.registry = raw.registry.map(Spanned::into_inner);
        Ok(config)
    }

    /// The severity of a code, or `None` when it is turned off.
    pub fn severity(&self, code: Code) -> Option<Severity> {
        self.severities
            .get(&code)
            .copied()
            .unwrap_or(Some(code.default_severity()))
    }

    /// Whether a path (relative to the workspace root, `/`-separated)
    /// belongs to the workspace: it matches `include` (when given) and not
    /// `exclude`.
    pub fn includes(&self, relative_path: &str) -> bool {
        self.include
            .as_ref()
            .is_none_or(|set| set.is_match(relative_path))
            && !self
                .exclude
                .as_ref()
                .is_some_and(|set| set.is_match(relative_path))
    }

    /// A stable digest of the settings that change findings, for caches.
    pub fn fingerprint(&self) -> String {
        format!("{:?}", self.severities)
    }
}

fn glob_set(
    key: &str,
    globs: Spanned<Vec<Spanned<String>>>,
    line_of: &impl Fn(usize) -> usize,
) -> Result<GlobSet, ConfigError> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs.into_inner() {
        let parsed = Glob::new(glob.get_ref()).map_err(|error| ConfigError {
            line: Some(line_of(glob.span().start)),
            key: Some(key.to_owned()),
            message: format!("invalid glob `{}`: {}", glob.get_ref(), error.kind()),
        })?;
        builder.add(parsed);
    }
    builder.build().map_err(|error| ConfigError {
        line: None,
        key: Some(key.to_owned()),
        message: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_override_defaults_and_turn_codes_off() {
        let config =
            Config::parse("[severity]\nunsourced-claim = \"error\"\nunused-entity = \"off\"\n")
                .unwrap();
        assert_eq!(config.severity(Code::UnsourcedClaim), Some(Severity::Error));
        assert_eq!(config.severity(Code::UnusedEntity), None);
        assert_eq!(config.severity(Code::MissingKind), Some(Severity::Warning));
    }

    #[test]
    fn include_and_exclude_globs() {
        let config = Config::parse(
            "include = [\"articles/**\", \"entities/*.nmk\"]\nexclude = [\"articles/drafts/**\"]\n",
        )
        .unwrap();
        assert!(config.includes("articles/2023/visit.nmk"));
        assert!(config.includes("entities/people.nmk"));
        assert!(!config.includes("articles/drafts/x.nmk"));
        assert!(!config.includes("notes/x.nmk"));
        assert!(Config::default().includes("anything.nmk"));
    }

    #[test]
    fn errors_name_the_line_and_key() {
        let error = Config::parse("registry = \"e.nmk\"\n\n[severity]\nunsourced = \"error\"\n")
            .unwrap_err();
        assert_eq!(error.line, Some(4));
        assert_eq!(error.key.as_deref(), Some("severity.unsourced"));
        assert!(
            error
                .message
                .starts_with("unknown diagnostic code `unsourced`"),
            "{error}"
        );

        let error = Config::parse("[severity]\nunsourced-claim = \"loud\"\n").unwrap_err();
        assert_eq!(
            (error.line, error.key.as_deref()),
            (Some(2), Some("severity.unsourced-claim"))
        );

        let error = Config::parse("includes = []\n").unwrap_err();
        assert_eq!(error.line, Some(1));
        assert!(
            error.message.contains("unknown field `includes`"),
            "{error}"
        );

        let error = Config::parse("exclude = [\"a/[\"]\n").unwrap_err();
        assert_eq!(
            (error.line, error.key.as_deref()),
            (Some(1), Some("exclude"))
        );

        let error = Config::parse("registry = 3\n").unwrap_err();
        assert_eq!(error.line, Some(1));
    }
}
