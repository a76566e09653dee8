//! Helix and Zed build the grammar from this repository's `grammar/` folder
//! at a pinned commit: `rev` in `editors/helix/languages.toml` and in
//! `editors/zed/extension.toml`. A commit cannot name itself, so the pin is
//! the last commit that changed `grammar/src`, set in a follow-up commit.
//!
//! This test ties the pin to the grammar: both files name the same
//! repository, folder and commit, that commit is in HEAD's history, and its
//! `grammar/src` (what the editors compile: `parser.c`, `scanner.c` and the
//! headers in `tree_sitter/`) is byte for byte the working tree's, so an
//! uncommitted grammar change fails it too. It needs git and a full clone;
//! without them it fails rather than skipping.

use std::path::{Path, PathBuf};
use std::process::Command;

const FIX: &str = "set `rev` to the commit that last changed grammar/src \
    (`git log -1 --format=%H -- grammar/src`, after committing the grammar) \
    in both editors/helix/languages.toml and editors/zed/extension.toml, \
    and commit that";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The `key = "value"` pairs of the TOML table `header`, including those in
/// its inline tables; whole-line comments are skipped.
fn table_strings(file: &str, header: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut lines = text.lines().skip_while(|line| line.trim() != header);
    assert!(lines.next().is_some(), "{file}: no {header} table");
    let mut pairs = Vec::new();
    for line in lines {
        let line = line.trim();
        if line.starts_with('[') {
            break;
        }
        if line.starts_with('#') {
            continue;
        }
        let mut rest = line;
        while let Some(eq) = rest.find("= \"") {
            let key = rest[..eq]
                .trim_end()
                .rsplit(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
                .next()
                .unwrap();
            let value_start = eq + 3;
            let Some(len) = rest[value_start..].find('"') else {
                break;
            };
            pairs.push((
                key.to_owned(),
                rest[value_start..value_start + len].to_owned(),
            ));
            rest = &rest[value_start + len + 1..];
        }
    }
    pairs
}

fn value(pairs: &[(String, String)], key: &str, file: &str) -> String {
    let found: Vec<&String> = pairs
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{file}: expected one `{key} = \"…\"` in the grammar entry"
    );
    found[0].clone()
}

/// (repository, folder, rev) of each editor's grammar entry.
fn pins() -> [(&'static str, String, String, String); 2] {
    let helix = "editors/helix/languages.toml";
    let source = table_strings(helix, "[[grammar]]");
    let zed = "editors/zed/extension.toml";
    let grammar = table_strings(zed, "[grammars.newsmark]");
    [
        (
            helix,
            value(&source, "git", helix),
            value(&source, "subpath", helix),
            value(&source, "rev", helix),
        ),
        (
            zed,
            value(&grammar, "repository", zed),
            value(&grammar, "path", zed),
            value(&grammar, "rev", zed),
        ),
    ]
}

fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root())
        .args(args)
        .output()
        .map_err(|e| {
            format!(
                "cannot run git ({e}): the Helix/Zed grammar pin is checked against \
                 the git history, install git"
            )
        })?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    }
}

fn files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, found);
        } else {
            found.push(path);
        }
    }
}

#[test]
fn helix_and_zed_pin_the_same_grammar_of_this_repository() {
    let [helix, zed] = pins();
    for (file, repository, folder, rev) in [&helix, &zed] {
        assert_eq!(
            repository,
            env!("CARGO_PKG_REPOSITORY"),
            "{file}: the grammar comes from this repository"
        );
        assert_eq!(folder, "grammar", "{file}: the grammar is in grammar/");
        assert!(
            rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit()),
            "{file}: rev {rev:?} is not a full commit hash"
        );
    }
    assert_eq!(
        helix.3, zed.3,
        "the Helix and Zed grammar pins differ: {FIX}"
    );
}

#[test]
fn the_pinned_commit_has_the_working_tree_grammar_src() {
    let [(_, _, _, rev), _] = pins();

    let toplevel = git(&["rev-parse", "--show-toplevel"]).unwrap_or_else(|e| {
        panic!("not a git checkout ({e}): the Helix/Zed grammar pin needs the git history")
    });
    let toplevel = PathBuf::from(String::from_utf8(toplevel).unwrap().trim());
    assert_eq!(
        toplevel.canonicalize().unwrap(),
        root().canonicalize().unwrap(),
        "the workspace is not the root of its git checkout"
    );
    if let Err(e) = git(&["cat-file", "-e", &format!("{rev}^{{commit}}")]) {
        panic!(
            "the Helix/Zed grammar pin {rev} is not a commit of this clone ({e}); \
             in a shallow clone run `git fetch --unshallow`, otherwise {FIX}"
        );
    }
    if let Err(e) = git(&["merge-base", "--is-ancestor", &rev, "HEAD"]) {
        panic!(
            "the Helix/Zed grammar pin {rev} is not in HEAD's history, so the \
             published repository may not have it ({e}): {FIX}"
        );
    }

    // grammar/src at the pinned commit and in the working tree.
    let listed = git(&[
        "ls-tree",
        "-r",
        "-z",
        "--name-only",
        &rev,
        "--",
        "grammar/src",
    ])
    .unwrap_or_else(|e| panic!("git ls-tree {rev}: {e}"));
    let mut pinned: Vec<String> = listed
        .split(|&b| b == 0)
        .filter(|name| !name.is_empty())
        .map(|name| String::from_utf8(name.to_vec()).unwrap())
        .collect();
    pinned.sort();
    assert!(
        pinned.iter().any(|name| name == "grammar/src/parser.c"),
        "the Helix/Zed grammar pin {rev} has no grammar/src/parser.c: {FIX}"
    );
    let mut current = Vec::new();
    files_under(&root().join("grammar/src"), &mut current);
    let mut current: Vec<String> = current
        .iter()
        .map(|path| {
            let relative = path.strip_prefix(root()).unwrap();
            relative.to_str().unwrap().replace('\\', "/")
        })
        .collect();
    current.sort();

    let mut differences = Vec::new();
    for name in &current {
        if !pinned.contains(name) {
            differences.push(format!("{name} (not in the pinned commit)"));
        }
    }
    for name in &pinned {
        if !current.contains(name) {
            differences.push(format!("{name} (not in the working tree)"));
            continue;
        }
        let blob = git(&["cat-file", "blob", &format!("{rev}:{name}")])
            .unwrap_or_else(|e| panic!("git cat-file {rev}:{name}: {e}"));
        let file = std::fs::read(root().join(name)).unwrap();
        if blob != file {
            differences.push(format!("{name} (content differs)"));
        }
    }
    assert!(
        differences.is_empty(),
        "the Helix/Zed grammar pin {rev} has grammar/src different from the working tree: \
         {FIX}.\nDifferences:\n  {}",
        differences.join("\n  ")
    );
}
