//! `text-mismatch`: annotators' texts of an article differ (`newsmark agree`).

pub(super) const DOC: &str = r#"Two annotators' versions of an article have different plain texts: one of them changed words, not only marks. Found by `newsmark agree --format sarif|github` at the place where the texts begin to differ, and as a hint in the editor when `newsmark.toml` sets `compare-with`; never by `check`. The rest of the article is still compared: the second text is aligned on the first with a character diff.

**Why it matters.** Annotators should annotate the same text; a changed word is usually a slip, and the annotations around it are compared less exactly.

**Example.** Alice's article says "In a press briefing Friday", Carol's "At a press briefing on Friday".

**How to fix.** Restore the article's text in the version that changed it.

**How to silence.** It is not a check: leave out `--format sarif|github`, or remove `compare-with`."#;
