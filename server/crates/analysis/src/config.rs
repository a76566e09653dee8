//! `newsmark.toml`: severity per diagnostic code, which files belong to the
//! workspace, the registry file for new definitions, and the language of
//! articles with the words added to its lists ([`Lexicon`]).
//!
//! Parsing takes the file's text; reading it from disk is the caller's job,
//! and so is naming the file in error messages. Every key is documented in
//! `docs/configuration.md`.
//!
//! The file may come with someone else's repository: the registry must be
//! a `.nmk` file inside the root (quick fixes create and edit it), and the
//! globs are limited in number and length (globset compiles them into one
//! matcher whose cost grows with their total size).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};
use newsmark_syntax::position::LineIndex;
use serde::Deserialize;
use toml::Spanned;

use crate::code::{Code, Severity};
use crate::lexicon::{Lexicon, Words};

/// The name of the configuration file, which also marks the workspace root.
pub const CONFIG_FILE: &str = "newsmark.toml";

/// The most globs `include` or `exclude` may hold.
pub const MAX_GLOBS: usize = 1000;

/// The longest glob, in bytes.
pub const MAX_GLOB_BYTES: usize = 1000;

/// The most words `[cues]` may add, over all languages and lists.
pub const MAX_CUE_WORDS: usize = 10_000;

/// The longest word or phrase under `[cues]`, in bytes.
pub const MAX_CUE_BYTES: usize = 200;

/// The most bytes of words `[cues]` may add in all: each language's
/// matchers hold three forms of each word, and every word is also in the
/// matcher of articles that name no language.
pub const MAX_CUE_TOTAL_BYTES: usize = 100_000;

/// The most languages `[cues]` may name.
pub const MAX_CUE_LANGUAGES: usize = 64;

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Severity overrides; `None` turns a code off.
    severities: BTreeMap<Code, Option<Severity>>,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    /// Where quick fixes append new definitions: a `.nmk` file inside the
    /// workspace root, relative to it, `/`-separated, without `.` or `..`.
    pub registry: Option<String>,
    /// The line of `registry`, for errors found on disk.
    registry_line: usize,
    lexicon: Lexicon,
    /// Another annotator's version of the workspace, relative to its root
    /// (`../bob`): the editor shows how it differs, as hints. Only read.
    pub compare_with: Option<String>,
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
    language: Option<Spanned<String>>,
    cues: Option<BTreeMap<Spanned<String>, RawCues>>,
    #[serde(rename = "compare-with")]
    compare_with: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCues {
    hedges: Option<Vec<Spanned<String>>>,
    attribution: Option<Vec<Spanned<String>>>,
    conduits: Option<Vec<Spanned<String>>>,
}

impl Config {
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let lines = LineIndex::new(text);
        let line_of = |offset: usize| lines.line(offset) as usize + 1;
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
        if let Some(registry) = raw.registry {
            config.registry_line = line_of(registry.span().start);
            let normal = normal_registry(registry.get_ref()).map_err(|message| ConfigError {
                line: Some(config.registry_line),
                key: Some("registry".to_owned()),
                message,
            })?;
            config.registry = Some(normal);
        }
        if let Some(folder) = raw.compare_with {
            let relative = !folder.get_ref().is_empty()
                && !folder.get_ref().starts_with('/')
                && !folder.get_ref().contains(['\\', ':', '\0']);
            if !relative {
                return Err(ConfigError {
                    line: Some(line_of(folder.span().start)),
                    key: Some("compare-with".to_owned()),
                    message: format!(
                        "`{}` must be a folder relative to the workspace root, with `/` between folders (`../bob`)",
                        folder.get_ref()
                    ),
                });
            }
            config.compare_with = Some(folder.into_inner());
        }
        if raw.language.is_some() || raw.cues.is_some() {
            let language = raw
                .language
                .map(|tag| language_tag("language", tag, &line_of))
                .transpose()?;
            let added = cue_words(raw.cues.unwrap_or_default(), &line_of)?;
            config.lexicon = Lexicon::new(language.as_deref(), added);
        }
        Ok(config)
    }

    /// [`Config::parse`] for the workspace at `root`, with the checks that
    /// need the disk: no symbolic link along the registry's path may lead
    /// out of the root (a quick fix would create or edit a file there).
    pub fn parse_for_root(text: &str, root: &Path) -> Result<Self, ConfigError> {
        let config = Self::parse(text)?;
        if let Some(registry) = &config.registry {
            registry_stays_inside(root, registry).map_err(|message| ConfigError {
                line: Some(config.registry_line),
                key: Some("registry".to_owned()),
                message,
            })?;
        }
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

    /// Whether `exclude` leaves out all of a folder (relative to the root,
    /// `/`-separated): the walk need not enter it, nor report what it
    /// cannot read there. Asked of a file no glob names on purpose.
    pub fn excludes_folder(&self, relative_folder: &str) -> bool {
        self.exclude
            .as_ref()
            .is_some_and(|set| set.is_match(format!("{relative_folder}/\u{1}.nmk")))
    }

    /// The word lists of every language, and the language of articles
    /// that name none.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// A stable digest of the settings that change findings, for caches.
    pub fn fingerprint(&self) -> String {
        format!("{:?} {}", self.severities, self.lexicon.fingerprint())
    }
}

/// A language tag as BCP 47 spells it: letters, digits and `-`.
fn language_tag(
    key: &str,
    tag: Spanned<String>,
    line_of: &impl Fn(usize) -> usize,
) -> Result<String, ConfigError> {
    let valid = !tag.get_ref().is_empty()
        && tag.get_ref().len() <= 35
        && (tag.get_ref().chars()).all(|c| c.is_ascii_alphanumeric() || c == '-');
    if valid {
        Ok(tag.into_inner())
    } else {
        Err(ConfigError {
            line: Some(line_of(tag.span().start)),
            key: Some(key.to_owned()),
            message: format!(
                "`{}` is not a language tag; write one such as `en`, `ru` or `pt-BR`",
                tag.get_ref()
            ),
        })
    }
}

/// The words `[cues.<tag>]` adds, checked: a valid tag, words neither
/// empty nor too long, not too many in all.
fn cue_words(
    cues: BTreeMap<Spanned<String>, RawCues>,
    line_of: &impl Fn(usize) -> usize,
) -> Result<BTreeMap<String, Words>, ConfigError> {
    let mut added = BTreeMap::new();
    let (mut count, mut bytes) = (0, 0);
    for (index, (tag, raw)) in cues.into_iter().enumerate() {
        if index == MAX_CUE_LANGUAGES {
            return Err(ConfigError {
                line: Some(line_of(tag.span().start)),
                key: Some(format!("cues.{}", tag.get_ref())),
                message: format!("more than {MAX_CUE_LANGUAGES} languages"),
            });
        }
        let tag = language_tag(&format!("cues.{}", tag.get_ref()), tag, line_of)?;
        let mut list = |name: &str, words: Option<Vec<Spanned<String>>>| {
            let mut checked = Vec::new();
            for word in words.unwrap_or_default() {
                count += 1;
                let trimmed = word.get_ref().trim();
                bytes += trimmed.len();
                let problem = if count > MAX_CUE_WORDS {
                    Some(format!("more than {MAX_CUE_WORDS} words in all"))
                } else if bytes > MAX_CUE_TOTAL_BYTES {
                    Some(format!(
                        "more than {MAX_CUE_TOTAL_BYTES} bytes of words in all"
                    ))
                } else if trimmed.is_empty() {
                    Some("an empty word".to_owned())
                } else if name == "hedges" && trimmed.contains(['\n', '\r']) {
                    // Hedging words are found line by line (`line_hits`).
                    Some("a hedging word across lines".to_owned())
                } else if trimmed.len() > MAX_CUE_BYTES {
                    Some(format!("a word longer than {MAX_CUE_BYTES} bytes"))
                } else {
                    None
                };
                if let Some(message) = problem {
                    return Err(ConfigError {
                        line: Some(line_of(word.span().start)),
                        key: Some(format!("cues.{tag}.{name}")),
                        message,
                    });
                }
                checked.push(trimmed.to_owned());
            }
            Ok(checked)
        };
        let words = Words {
            hedges: list("hedges", raw.hedges)?,
            attribution: list("attribution", raw.attribution)?,
            conduits: list("conduits", raw.conduits)?,
        };
        added.insert(tag, words);
    }
    Ok(added)
}

/// The registry path in normal form (`a/./b/../c.nmk` is `a/c.nmk`), or
/// what is wrong with it.
fn normal_registry(registry: &str) -> Result<String, String> {
    // Shown as written: the front ends escape what reaches a terminal.
    let shown = registry;
    let relative_with_slashes =
        "must be a path relative to the workspace root, with `/` between folders";
    if registry.starts_with('/') || registry.contains(['\\', ':']) {
        return Err(format!("`{shown}` {relative_with_slashes}"));
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in registry.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!("`{shown}` leads outside the workspace root"));
                }
            }
            part => parts.push(part),
        }
    }
    let is_nmk = parts
        .last()
        .is_some_and(|name| Path::new(name).extension().is_some_and(|ext| ext == "nmk"));
    if !is_nmk {
        return Err(format!("`{shown}` must name a `.nmk` file"));
    }
    Ok(parts.join("/"))
}

/// Whether `registry` (in normal form) resolves inside `root`: the deepest
/// part of its path that exists, symbolic links followed, is in the root.
fn registry_stays_inside(root: &Path, registry: &str) -> Result<(), String> {
    let cannot = |error: std::io::Error| {
        format!(
            "`{}` cannot be resolved (a symbolic link to nothing?): {error}",
            registry
        )
    };
    let root = root.canonicalize().map_err(cannot)?;
    let path = root.join(registry);
    let existing = path
        .ancestors()
        .find(|part| part.symlink_metadata().is_ok())
        .unwrap_or(&root);
    if existing.canonicalize().map_err(cannot)?.starts_with(&root) {
        Ok(())
    } else {
        Err(format!(
            "`{registry}` leads outside the workspace root through a symbolic link"
        ))
    }
}

fn glob_set(
    key: &str,
    globs: Spanned<Vec<Spanned<String>>>,
    line_of: &impl Fn(usize) -> usize,
) -> Result<GlobSet, ConfigError> {
    let span = globs.span();
    if globs.get_ref().len() > MAX_GLOBS {
        return Err(ConfigError {
            line: Some(line_of(span.start)),
            key: Some(key.to_owned()),
            message: format!(
                "{} globs; at most {MAX_GLOBS} are allowed",
                globs.get_ref().len()
            ),
        });
    }
    let mut builder = GlobSetBuilder::new();
    for glob in globs.into_inner() {
        if glob.get_ref().len() > MAX_GLOB_BYTES {
            return Err(ConfigError {
                line: Some(line_of(glob.span().start)),
                key: Some(key.to_owned()),
                message: format!(
                    "a glob of {} bytes; at most {MAX_GLOB_BYTES} are allowed",
                    glob.get_ref().len()
                ),
            });
        }
        let parsed = Glob::new(glob.get_ref()).map_err(|error| ConfigError {
            line: Some(line_of(glob.span().start)),
            key: Some(key.to_owned()),
            message: format!("invalid glob `{}`: {}", glob.get_ref(), error.kind()),
        })?;
        builder.add(parsed);
    }
    builder.build().map_err(|error| ConfigError {
        line: Some(line_of(span.start)),
        key: Some(key.to_owned()),
        message: format!("the globs are too large to compile together: {error}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::List;

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
        assert_eq!(error.line, Some(4), "{error}");
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

        // Lines as an editor shows them: TOML refuses a lone CR, which
        // ends a line in the editor, and the error is after it.
        let error = Config::parse("registry = \"e.nmk\"\rinclude = []\n").unwrap_err();
        assert_eq!(error.line, Some(2), "{error}");
        assert!(error.message.contains("carriage return"), "{error}");

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

    #[test]
    fn language_and_cue_words_are_checked() {
        let config =
            Config::parse("language = \"ru\"\n[cues.pl]\nhedges = [\" rzekomo \"]\n").unwrap();
        let hedges = config.lexicon().finder(Some("pl-PL"), List::Hedges);
        assert_eq!(hedges.find("on rzekomo", 0..10), vec![3..10]);
        assert_ne!(config.fingerprint(), Config::default().fingerprint());

        for (text, line, key, message) in [
            (
                "language = \"русский\"\n",
                1,
                "language",
                "is not a language tag",
            ),
            (
                "[cues.ru]\nhedges = [\"якобы\", \"  \"]\n",
                2,
                "cues.ru.hedges",
                "an empty word",
            ),
            (
                "[cues.ru]\nhedges = [\"как\\nсообщается\"]\n",
                2,
                "cues.ru.hedges",
                "a hedging word across lines",
            ),
            (
                "[cues.\"e n\"]\nhedges = []\n",
                1,
                "cues.e n",
                "is not a language tag",
            ),
            ("[cues.ru]\nhedge = []\n", 2, "", "unknown field `hedge`"),
        ] {
            let error = Config::parse(text).unwrap_err();
            assert_eq!(error.line, Some(line), "{text}: {error}");
            assert_eq!(error.key.as_deref().unwrap_or(""), key, "{text}");
            assert!(error.message.contains(message), "{text}: {error}");
        }
        let many = format!(
            "[cues.ru]\nhedges = [{}]\n",
            vec!["\"a\""; MAX_CUE_WORDS + 1].join(",")
        );
        let error = Config::parse(&many).unwrap_err();
        assert!(error.message.contains("more than"), "{error}");
        let long = format!(
            "[cues.ru]\nhedges = [{}]\n",
            vec![format!("\"{}\"", "a".repeat(150)); 700].join(",")
        );
        let error = Config::parse(&long).unwrap_err();
        assert!(error.message.contains("bytes of words in all"), "{error}");
        let tags: String = (0..=MAX_CUE_LANGUAGES)
            .map(|i| format!("[cues.x{i}]\n"))
            .collect();
        let error = Config::parse(&tags).unwrap_err();
        assert!(error.message.contains("more than 64 languages"), "{error}");
    }

    fn registry_error(value: &str) -> ConfigError {
        Config::parse(&format!("# the registry\nregistry = {value:?}\n")).unwrap_err()
    }

    #[test]
    fn compare_with_is_a_relative_folder() {
        let parsed = Config::parse("compare-with = \"../bob\"\n").unwrap();
        assert_eq!(parsed.compare_with.as_deref(), Some("../bob"));
        assert_eq!(Config::parse("").unwrap().compare_with, None);
        for value in ["/home/bob", "C:/bob", "..\\bob", ""] {
            let error = Config::parse(&format!("\ncompare-with = {value:?}\n")).unwrap_err();
            assert_eq!(
                (error.line, error.key.as_deref()),
                (Some(2), Some("compare-with"))
            );
            assert!(error.message.contains("relative"), "{value}: {error}");
        }
    }

    #[test]
    fn the_registry_is_a_nmk_file_inside_the_root() {
        for (value, wanted) in [
            ("../outside/new-evil.sh", "leads outside the workspace root"),
            ("a/../../b.nmk", "leads outside the workspace root"),
            (
                "/etc/evil.nmk",
                "must be a path relative to the workspace root",
            ),
            (
                "C:/evil.nmk",
                "must be a path relative to the workspace root",
            ),
            (
                "a\\..\\..\\b.nmk",
                "must be a path relative to the workspace root",
            ),
            ("newsmark.toml", "must name a `.nmk` file"),
            ("entities/", "must name a `.nmk` file"),
            ("", "must name a `.nmk` file"),
            (".nmk", "must name a `.nmk` file"),
        ] {
            let error = registry_error(value);
            assert_eq!(
                (error.line, error.key.as_deref()),
                (Some(2), Some("registry")),
                "{value}"
            );
            assert!(error.message.contains(wanted), "{value}: {error}");
        }
        let registry = |value: &str| {
            Config::parse(&format!("registry = {value:?}"))
                .unwrap()
                .registry
        };
        assert_eq!(
            registry("./entities//a/../people.nmk").as_deref(),
            Some("entities/people.nmk")
        );
        assert_eq!(registry("e.nmk").as_deref(), Some("e.nmk"));
    }

    #[test]
    fn many_or_long_globs_are_refused_quickly() {
        let started = std::time::Instant::now();
        let globs: Vec<String> = (0..100_000)
            .map(|i| format!("\"a*{i}/**/x?[ab]\""))
            .collect();
        let error = Config::parse(&format!("\ninclude = [{}]\n", globs.join(", "))).unwrap_err();
        assert_eq!(
            (error.line, error.key.as_deref()),
            (Some(2), Some("include"))
        );
        assert_eq!(error.message, "100000 globs; at most 1000 are allowed");

        let long = format!("\"{}*\"", "a".repeat(MAX_GLOB_BYTES));
        let error = Config::parse(&format!("exclude = [\"a\",\n{long}]\n")).unwrap_err();
        assert_eq!(
            (error.line, error.key.as_deref()),
            (Some(2), Some("exclude"))
        );
        assert!(error.message.starts_with("a glob of 1001 bytes"), "{error}");

        // The most globs allowed still build (one matcher for all of them).
        let globs: Vec<String> = (0..MAX_GLOBS)
            .map(|i| format!("\"a*{i}/**/x?[ab]\""))
            .collect();
        let config = Config::parse(&format!("include = [{}]\n", globs.join(", "))).unwrap();
        assert!(config.includes("a7/b/xza"));

        // Within both limits but too large for one matcher: an error too.
        let globs: Vec<String> = (0..MAX_GLOBS)
            .map(|i| format!("\"{}*{i:05}/**/x?[ab]{{c,d}}\"", "a".repeat(970)))
            .collect();
        let error = Config::parse(&format!("\nexclude = [{}]\n", globs.join(", "))).unwrap_err();
        assert_eq!(
            (error.line, error.key.as_deref()),
            (Some(2), Some("exclude"))
        );
        assert!(
            error
                .message
                .starts_with("the globs are too large to compile together"),
            "{error}"
        );
        let elapsed = started.elapsed();
        assert!(elapsed.as_secs() < 20, "{elapsed:?}");
    }
}
