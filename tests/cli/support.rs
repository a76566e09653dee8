//! Running the binary on fixtures.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A folder of `tests/fixtures/cli`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/cli")
        .join(name)
}

/// The repository's `examples/` corpus.
pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// `newsmark` with `dir` as its current folder and none of the
/// environment variables that change its output.
pub fn newsmark(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_newsmark"));
    command.current_dir(dir);
    for var in [
        "NEWSMARK_OUTPUT_FORMAT",
        "NEWSMARK_TIMINGS",
        "CLICOLOR_FORCE",
        "NO_COLOR",
    ] {
        command.env_remove(var);
    }
    command
}

/// Runs a command and returns its exit code and stdout.
pub fn run(command: &mut Command) -> (i32, String) {
    let output = command.output().expect("the binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("UTF-8 output"),
    )
}

/// A copy of a fixture folder in a temporary folder (for tests that write).
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&fixture(name), dir.path());
    dir
}

/// Copies the folder `from` to `to` (but a `.newsmark_cache`).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != ".newsmark_cache" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Slices `text` by a span counted in Unicode characters.
pub fn slice_chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// Replaces `from` with `to` in a file.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} is in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}
