//! A `newsmark.toml` from someone else's repository: a registry that
//! leads out of the root and globs by the hundred thousand are refused
//! with an error that names the file, the line and what is wrong.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::newsmark;

/// `newsmark check --no-cache` in `root`: exit code and stderr.
fn check(root: &Path) -> (i32, String) {
    let output = newsmark(root)
        .args(["check", "--no-cache"])
        .output()
        .expect("the binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stderr).expect("UTF-8 output"),
    )
}

fn workspace(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("newsmark.toml"), config).unwrap();
    std::fs::write(dir.path().join("a.nmk"), "@e: E\n  kind: org\n").unwrap();
    dir
}

#[test]
fn a_registry_outside_the_root_or_not_nmk_is_a_config_error() {
    for (registry, wanted) in [
        (
            "../outside/new-evil.sh",
            "`../outside/new-evil.sh` leads outside the workspace root",
        ),
        ("newsmark.toml", "`newsmark.toml` must name a `.nmk` file"),
        (
            "/tmp/evil.nmk",
            "`/tmp/evil.nmk` must be a path relative to the workspace root, with `/` between folders",
        ),
    ] {
        let dir = workspace(&format!("# hostile\nregistry = \"{registry}\"\n"));
        let (code, stderr) = check(dir.path());
        assert_eq!(code, 2, "{stderr}");
        assert_eq!(
            stderr.trim_end(),
            format!(
                "newsmark: error: invalid configuration in newsmark.toml, line 2, key `registry`: {wanted}"
            )
        );
    }
}

#[cfg(unix)]
#[test]
fn a_registry_behind_a_link_out_of_the_root_is_a_config_error() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("evil.nmk"), "").unwrap();
    for (registry, link, target) in [
        ("out/new.nmk", "out", outside.path().to_path_buf()),
        ("evil.nmk", "evil.nmk", outside.path().join("evil.nmk")),
    ] {
        let dir = workspace(&format!("registry = \"{registry}\"\n"));
        symlink(&target, dir.path().join(link)).unwrap();
        let (code, stderr) = check(dir.path());
        assert_eq!(code, 2, "{stderr}");
        assert_eq!(
            stderr.trim_end(),
            format!(
                "newsmark: error: invalid configuration in newsmark.toml, line 1, key `registry`: `{registry}` leads outside the workspace root through a symbolic link"
            )
        );
    }
    // A link to nothing cannot be checked: refused as well.
    let dir = workspace("registry = \"nowhere.nmk\"\n");
    symlink(
        outside.path().join("missing.nmk"),
        dir.path().join("nowhere.nmk"),
    )
    .unwrap();
    let (code, stderr) = check(dir.path());
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "line 1, key `registry`: `nowhere.nmk` cannot be resolved (a symbolic link to nothing?)"
        ),
        "{stderr}"
    );
    // A link that stays inside the root is fine.
    let dir = workspace("registry = \"inside/new.nmk\"\n");
    std::fs::create_dir(dir.path().join("entities")).unwrap();
    symlink("entities", dir.path().join("inside")).unwrap();
    let (code, stderr) = check(dir.path());
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_hundred_thousand_globs_are_refused_at_once() {
    let globs: Vec<String> = (0..100_000)
        .map(|i| format!("\"articles-{i}/**/*-{i}?[ab].nmk\""))
        .collect();
    let dir = workspace(&format!("\ninclude = [{}]\n", globs.join(", ")));
    let started = Instant::now();
    let (code, stderr) = check(dir.path());
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "newsmark: error: invalid configuration in newsmark.toml, line 2, key `include`: 100000 globs; at most 1000 are allowed"
    );
}
