//! Versions of the same articles, for `agree` and `diff`: one folder per
//! annotator (or revision), articles paired by their path inside it.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use newsmark_syntax::position::LineIndex;

use crate::export::{Article, read_articles};
use crate::output::escape::visible;
use crate::paths;
use crate::report::LineCol;

/// One version: its name (the folder as given) and its articles, by path
/// inside the folder.
#[derive(Debug)]
pub struct Version {
    pub name: String,
    pub articles: BTreeMap<String, Article>,
}

impl Version {
    /// Reads the articles of `folder`, and how many files could not be
    /// read (each said on stderr). One article is a version of itself,
    /// named by its file name.
    pub fn read(path: &Path, cwd: &Path) -> anyhow::Result<(Version, usize)> {
        let absolute = paths::absolute(cwd, path);
        if !absolute.exists() {
            anyhow::bail!(
                "{} does not exist",
                visible(&paths::display(cwd, &absolute))
            );
        }
        let root = if absolute.is_dir() {
            absolute.clone()
        } else {
            absolute.parent().unwrap_or(&absolute).to_path_buf()
        };
        let plans = crate::load::plan(std::slice::from_ref(&path.to_path_buf()), cwd)?;
        let (articles, unreadable) = read_articles(plans, cwd, "reading");
        let version = Version {
            name: paths::display(cwd, &absolute),
            articles: articles
                .into_iter()
                .map(|article| (paths::display(&root, &article.file), article))
                .collect(),
        };
        Ok((version, unreadable))
    }
}

/// Places in an article's file, from characters of its plain text.
#[derive(Debug)]
pub struct Places<'a> {
    article: &'a Article,
    lines: LineIndex,
}

impl<'a> Places<'a> {
    pub fn new(article: &'a Article) -> Self {
        Places {
            article,
            lines: LineIndex::new(&article.text),
        }
    }

    /// Where character `at` of the plain text was written.
    pub fn of(&self, at: usize) -> LineCol {
        let text = &self.article.text;
        self.line_col(self.article.document.source_offset(text, at))
    }

    /// The line and column of a byte of the file.
    pub fn line_col(&self, offset: usize) -> LineCol {
        LineCol::of(&self.article.text, &self.lines, offset)
    }

    /// The bytes of the file that characters `start..end` of the plain
    /// text come from: up to the end of the last character, not the start
    /// of the next one, so the marks between them (`]@id`) stay out.
    pub fn span(&self, start: usize, end: usize) -> Range<usize> {
        let (text, document) = (&self.article.text, &self.article.document);
        let from = document.source_offset(text, start);
        let to = match end.checked_sub(1).filter(|&last| last >= start) {
            Some(last) => {
                let at = document.source_offset(text, last);
                at + text[at..].chars().next().map_or(0, char::len_utf8)
            }
            None => from,
        };
        from..to.max(from)
    }
}

/// A unit's value as written: `@us, @kirby` for sources.
pub fn value(label: &str, value: &str) -> String {
    let at = |ids: &str| -> String {
        ids.split(',')
            .filter(|id| !id.is_empty())
            .map(|id| format!("@{id}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match label.split(':').next() {
        Some("mention" | "source") => at(value),
        Some("chain") => value
            .split(" via ")
            .map(at)
            .collect::<Vec<_>>()
            .join(" via "),
        _ => value.to_owned(),
    }
}

/// At most 60 characters of a span's text.
pub fn excerpt(text: &str) -> String {
    const LIMIT: usize = 60;
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}
