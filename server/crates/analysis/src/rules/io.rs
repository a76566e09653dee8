//! `io`: a file that could not be read.

pub(super) const DOC: &str = r#"A file that could not be read, is not valid UTF-8, or is binary.

**Why it matters.** Nothing in the file is checked, and its definitions are missing from the workspace, which may cause `undefined-entity` elsewhere.

**Example.** A `.nmk` file saved in Latin-1, or an image renamed to `.nmk`.

**How to fix.** Save the file as UTF-8 text, fix its permissions, or exclude it in `newsmark.toml`.

**How to silence.** Exclude the file (`exclude = ["path/to/file.nmk"]` in `newsmark.toml`) or set `io = "off"` under `[severity]`."#;
