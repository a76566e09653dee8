//! What `newsmark` writes: never through a link a repository ships (in the
//! cache, at an output path or below it), never over a file it reads, and
//! an earlier export only with `--force`. Each attack runs in a workspace
//! next to an `outside` folder, which must stay byte for byte the same.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::{copy_fixture, newsmark, run};

/// The workspace fixture in `work/`, next to an `outside/` folder.
struct Trap {
    dir: tempfile::TempDir,
}

impl Trap {
    fn new() -> Trap {
        let dir = tempfile::tempdir().unwrap();
        let work = copy_fixture("workspace");
        std::fs::rename(work.path(), dir.path().join("work")).unwrap();
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(outside.join("folder")).unwrap();
        std::fs::write(outside.join("victim"), "precious\n").unwrap();
        std::fs::write(outside.join("folder/findings-0.bin"), "keep me\n").unwrap();
        Trap { dir }
    }

    fn work(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    fn outside(&self) -> PathBuf {
        self.dir.path().join("outside")
    }

    /// Every path below `outside/`, with its content or link target.
    fn outside_state(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(folder: &Path, state: &mut BTreeMap<PathBuf, Vec<u8>>) {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                let kind = std::fs::symlink_metadata(&path).unwrap().file_type();
                if kind.is_dir() {
                    state.insert(path.clone(), b"folder".to_vec());
                    walk(&path, state);
                } else if kind.is_symlink() {
                    let target = std::fs::read_link(&path).unwrap();
                    state.insert(path, target.into_os_string().into_encoded_bytes());
                } else {
                    state.insert(path.clone(), std::fs::read(&path).unwrap());
                }
            }
        }
        let mut state = BTreeMap::new();
        walk(&self.outside(), &mut state);
        state
    }

    /// Runs `newsmark ARGS` in `work/`; `outside/` must be unchanged.
    fn run(&self, args: &[&str]) -> Output {
        let before = self.outside_state();
        let output = newsmark(&self.work()).args(args).output().unwrap();
        assert_eq!(
            before,
            self.outside_state(),
            "`newsmark {}` changed the outside folder",
            args.join(" ")
        );
        output
    }
}

#[cfg(unix)]
fn link(target: &Path, at: &Path) {
    if let Some(parent) = at.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::os::unix::fs::symlink(target, at).unwrap();
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A cache folder holding a link is not used: the report is the uncached
/// one, the user is told once, and nothing is written through the link.
#[cfg(unix)]
#[test]
fn a_cache_with_links_is_not_used() {
    let version = env!("CARGO_PKG_VERSION");
    let cases = [
        (".newsmark_cache".to_owned(), "outside"),
        (".newsmark_cache/CACHEDIR.TAG".to_owned(), "outside/victim"),
        // Dangling: writing it would create outside/new.
        (".newsmark_cache/.gitignore".to_owned(), "outside/new"),
        (format!(".newsmark_cache/{version}"), "outside/folder"),
        (
            format!(".newsmark_cache/{version}/summaries.bin"),
            "outside/victim",
        ),
    ];
    for (at, target) in cases {
        let trap = Trap::new();
        let target = trap.dir.path().join(target);
        link(&target, &trap.work().join(&at));
        let args = ["check", "--output-format", "json"];
        let output = trap.run(&args);
        let uncached = run(newsmark(&trap.work()).args(args).arg("--no-cache"));
        assert_eq!(
            (
                output.status.code().unwrap(),
                String::from_utf8(output.stdout.clone()).unwrap()
            ),
            uncached,
            "{at}"
        );
        let warning = stderr(&output);
        assert_eq!(
            warning.matches("not using the cache").count(),
            1,
            "{at}: {warning}"
        );
        assert!(
            warning.contains(&format!("{at} is a symbolic link")),
            "{at}: {warning}"
        );
        // The link is still there, untouched.
        assert_eq!(std::fs::read_link(trap.work().join(&at)).unwrap(), target);
    }
}

/// Export, report and baseline paths: a link at the path, or below the
/// named folder, is refused before anything is written.
#[cfg(unix)]
#[test]
fn outputs_never_go_through_links() {
    let cases: [(&[&str], &str, &str); 8] = [
        (
            &["export", "--format", "brat", "--out", "out"],
            "out/articles/visit.txt",
            "outside/victim",
        ),
        (
            &["export", "--format", "brat", "--out", "out"],
            "out/articles",
            "outside/folder",
        ),
        (
            &["export", "--format", "brat", "--out", "out", "--force"],
            "out",
            "outside/folder",
        ),
        (
            &["export", "--format", "jsonl", "--out", "a.jsonl", "--force"],
            "a.jsonl",
            "outside/victim",
        ),
        // Dangling: writing it would create outside/new.
        (
            &["export", "--format", "jsonl", "--out", "a.jsonl"],
            "a.jsonl",
            "outside/new",
        ),
        (
            &["check", "--output-file", "report.json"],
            "report.json",
            "outside/victim",
        ),
        (
            &["check", "--no-cache", "--write-baseline", "baseline.json"],
            "baseline.json",
            "outside/victim",
        ),
        // A folder of the repository's on the way to the named file: it
        // was followed, as typed.
        (
            &["check", "--output-file", "reports/newsmark.json"],
            "reports",
            "outside/folder",
        ),
    ];
    for (args, at, target) in cases {
        let trap = Trap::new();
        link(&trap.dir.path().join(target), &trap.work().join(at));
        let output = trap.run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let message = stderr(&output);
        assert!(
            message.contains(&format!(
                "{at} is a symbolic link; newsmark never writes through links"
            )),
            "{args:?}: {message}"
        );
    }
}

/// No output replaces a file the command reads, not even with --force.
#[test]
fn outputs_never_replace_an_input() {
    let cases: [&[&str]; 5] = [
        &["export", "--format", "jsonl", "--out", "articles/visit.nmk"],
        &[
            "export",
            "--format",
            "jsonl",
            "--out",
            "newsmark.toml",
            "--force",
        ],
        &["check", "--output-file", "articles/visit.nmk"],
        &["check", "--write-baseline", "articles/visit.nmk"],
        &["check", "--baseline", "b.json", "--output-file", "b.json"],
    ];
    for args in cases {
        let trap = Trap::new();
        let work = trap.work();
        std::fs::write(work.join("b.json"), "{\"version\": 1, \"findings\": []}\n").unwrap();
        let before = (
            std::fs::read(work.join("articles/visit.nmk")).unwrap(),
            std::fs::read(work.join("newsmark.toml")).unwrap(),
            std::fs::read(work.join("b.json")).unwrap(),
        );
        let output = trap.run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let message = stderr(&output);
        assert!(
            message.contains("is one of the files this command reads; choose another path"),
            "{args:?}: {message}"
        );
        let after = (
            std::fs::read(work.join("articles/visit.nmk")).unwrap(),
            std::fs::read(work.join("newsmark.toml")).unwrap(),
            std::fs::read(work.join("b.json")).unwrap(),
        );
        assert_eq!(before, after, "{args:?}");
    }
}

/// An earlier export is replaced only with --force; reports and
/// baselines, rewritten at every run, are replaced without it.
#[test]
fn exports_are_replaced_only_with_force() {
    let trap = Trap::new();
    let work = trap.work();
    for format in ["jsonl", "brat"] {
        let out = if format == "jsonl" { "a.jsonl" } else { "brat" };
        let export = ["export", "--format", format, "--out", out];
        assert_eq!(trap.run(&export).status.code(), Some(0));
        let first = trap.run(&export);
        assert_eq!(first.status.code(), Some(2), "{format}");
        let message = stderr(&first);
        let expected = if format == "jsonl" {
            "a.jsonl already exists; pass --force to replace it".to_owned()
        } else {
            "brat/annotation.conf and 9 more files of the output already exist; pass --force to replace them".to_owned()
        };
        assert!(message.contains(&expected), "{message}");
        let forced = trap.run(&[&export[..], &["--force"]].concat());
        assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    }
    for args in [
        &["check", "--output-file", "report.json"][..],
        &["check", "--write-baseline", "baseline.json"],
    ] {
        trap.run(args);
        let again = trap.run(args);
        assert!(!stderr(&again).contains("error"), "{}", stderr(&again));
    }
    assert!(work.join("report.json").is_file());
}
