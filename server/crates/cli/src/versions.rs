//! Versions of the same articles, for `agree` and `diff`: one folder per
//! annotator (or revision), articles paired by their path inside it.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use std::cell::Cell;

use newsmark_analysis::export::CharStarts;
use newsmark_syntax::position::{LineCursor, LineIndex};

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
    /// named by its file name. An article with the same path and text in
    /// an `earlier` version is taken from it, not parsed again.
    pub fn read(path: &Path, cwd: &Path, earlier: &[Version]) -> anyhow::Result<(Version, usize)> {
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
        let in_earlier = |file: &Path, text: &Arc<str>| {
            let key = paths::display(&root, file);
            (earlier.iter())
                .filter_map(|version| version.articles.get(&key))
                .find(|article| article.text == *text)
        };
        let (articles, unreadable) = read_articles(plans, cwd, "reading", in_earlier);
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
/// Converted in ascending order, the places of a line are counted on one
/// from the other: an article of one long line costs one pass, not one
/// per place.
#[derive(Debug)]
pub struct Places<'a> {
    article: &'a Article,
    lines: LineIndex,
    cursor: Cell<LineCursor>,
    chars: CharStarts,
}

impl<'a> Places<'a> {
    pub fn new(article: &'a Article) -> Self {
        let plain = &article.document.text;
        Places {
            article,
            lines: LineIndex::new(&article.text),
            cursor: Cell::default(),
            chars: CharStarts::new(plain),
        }
    }

    /// Where character `at` of the plain text was written.
    pub fn of(&self, at: usize) -> LineCol {
        let text = &self.article.text;
        LineCol::after(
            text,
            &self.lines,
            self.article.document.source_offset(text, at),
            &self.cursor,
        )
    }

    /// Characters `start..end` of the plain text.
    pub fn plain(&self, start: usize, end: usize) -> &'a str {
        self.chars.slice(&self.article.document.text, start, end)
    }
}
