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
    /// text come from.
    pub fn span(&self, start: usize, end: usize) -> Range<usize> {
        (self.article.document).source_span(&self.article.text, start..end)
    }
}
