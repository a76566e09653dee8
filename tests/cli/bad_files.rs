//! Files that cannot be checked are `io` findings on those files; every
//! other file is still checked.

use insta_cmd::assert_cmd_snapshot;

use crate::support::{newsmark, run};

/// A workspace with a good article, a folder named like a file, a Latin-1
/// file and a binary file.
fn bad_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("newsmark.toml"), "").unwrap();
    std::fs::write(
        root.join("good.nmk"),
        "@a: A\n  kind: person\n\n{A claim}, says [A]@a.\n",
    )
    .unwrap();
    std::fs::create_dir(root.join("folder.nmk")).unwrap();
    std::fs::write(root.join("folder.nmk/inside.txt"), "not Newsmark").unwrap();
    std::fs::write(root.join("latin1.nmk"), b"Caf\xe9 society {sourced | @a}\n").unwrap();
    std::fs::write(root.join("image.nmk"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    dir
}

#[test]
fn unreadable_binary_and_non_utf8_files() {
    let dir = bad_workspace();
    assert_cmd_snapshot!(newsmark(dir.path()).args([
        "check",
        "--no-cache",
        "--output-format",
        "concise"
    ]));
}

#[test]
fn io_findings_in_json() {
    let dir = bad_workspace();
    assert_cmd_snapshot!(newsmark(dir.path()).args([
        "check",
        "--no-cache",
        "--output-format",
        "json",
        "folder.nmk",
        "image.nmk"
    ]));
}

#[test]
fn io_can_be_turned_off() {
    let dir = bad_workspace();
    std::fs::write(
        dir.path().join("newsmark.toml"),
        "[severity]\nio = \"off\"\n",
    )
    .unwrap();
    let (code, stdout) = run(newsmark(dir.path()).args([
        "check",
        "--no-cache",
        "--output-format",
        "concise",
        "image.nmk",
        "latin1.nmk",
    ]));
    assert_eq!((code, stdout.as_str()), (0, "No findings in 2 files.\n"));
}

/// `chmod 000` only makes a file unreadable for users other than root.
#[cfg(unix)]
#[test]
fn unreadable_file_when_not_root() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = bad_workspace();
    let locked = dir.path().join("locked.nmk");
    std::fs::write(&locked, "{x}\n").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        eprintln!("running as root: chmod 000 does not stop reading; skipped");
        return;
    }
    let (code, stdout) = run(newsmark(dir.path()).args([
        "check",
        "--no-cache",
        "--output-format",
        "concise",
        "locked.nmk",
    ]));
    assert_eq!(code, 1);
    assert!(
        stdout.contains("locked.nmk:1:1: error[io] cannot read the file: permission denied"),
        "{stdout}"
    );
}
