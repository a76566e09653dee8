//! Hostile input for `newsmark check`: huge, deep, binary, broken and
//! strange files, and entries of the workspace that are not files at all.
//! Each case must end with a clear finding on the file at fault, every
//! other file still checked, within a time limit and a memory bound.
//!
//! Memory is the child's `VmHWM` (peak resident set) from
//! `/proc/<pid>/status`, sampled every 2 ms while it runs: a high-water
//! mark only grows, so the last sample is the peak up to the last 2 ms
//! (a zombie has no memory map left to read). Where `/proc` is missing
//! the bound is not checked. Each bound is two to three times what was
//! measured in a debug build (docs/reliability.md has the figures): they
//! catch a quadratic blow-up or a parse of a huge file, not a few
//! megabytes of drift.
//!
//! We run as root in CI, where `chmod 000` does not stop a read; files
//! that cannot be read are made of a named pipe, a dangling symbolic link
//! and a symbolic link loop instead.

use std::io::Read as _;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::newsmark;

/// Every case must finish within this (in a debug build, on a busy machine).
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// The peak for small inputs: the binary, its threads and a little text
/// (13 to 21 MB measured).
const SMALL_PEAK_MB: u64 = 64;

/// What one run of `newsmark check` gave.
struct Run {
    code: i32,
    stdout: String,
    /// The peak resident set seen, in MB (`None` without `/proc`).
    peak_mb: Option<u64>,
    elapsed: Duration,
}

impl Run {
    #[track_caller]
    fn assert_peak_below(&self, bound_mb: u64) {
        if let Some(peak) = self.peak_mb {
            assert!(
                peak < bound_mb,
                "peak memory {peak} MB, over the bound of {bound_mb} MB"
            );
        }
    }

    /// The report's line for `file`, which must be there.
    #[track_caller]
    fn line_for(&self, prefix: &str) -> &str {
        self.stdout
            .lines()
            .find(|line| line.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line starting with {prefix:?} in\n{}", self.stdout))
    }
}

/// `newsmark check --no-cache --output-format concise ARGS` in `dir`,
/// killed (and the test failed) past [`TIME_LIMIT`].
fn check(dir: &Path, args: &[&str]) -> Run {
    check_as(dir, "concise", args)
}

/// [`check`] with another `--output-format`.
fn check_as(dir: &Path, format: &str, args: &[&str]) -> Run {
    let mut child = newsmark(dir)
        .args(["check", "--no-cache", "--output-format", format])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let pid = child.id();
    let mut stdout_pipe = child.stdout.take().unwrap();
    let mut stderr_pipe = child.stderr.take().unwrap();
    let stdout = std::thread::spawn(move || {
        let mut text = String::new();
        stdout_pipe.read_to_string(&mut text).unwrap();
        text
    });
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr_pipe.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let mut peak_kb = None;
    let status = loop {
        if let Some(kb) = vm_hwm_kb(pid) {
            peak_kb = Some(peak_kb.unwrap_or(0).max(kb));
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            panic!("newsmark check {args:?} did not finish within {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let elapsed = started.elapsed();
    let stderr = stderr.join().unwrap();
    // The figures of docs/reliability.md (`-- --nocapture`).
    eprintln!(
        "newsmark check {args:?} in {}: {elapsed:.1?}, peak {} MB",
        dir.display(),
        peak_kb.map_or("?".to_owned(), |kb| (kb / 1024).to_string())
    );
    assert!(
        status.code().is_some_and(|code| code < 2),
        "newsmark check failed ({status}):\n{stderr}"
    );
    Run {
        code: status.code().unwrap(),
        stdout: stdout.join().unwrap(),
        peak_mb: peak_kb.map(|kb| kb / 1024),
        elapsed,
    }
}

/// `VmHWM` of a running process, in kB.
fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A workspace with a registry and one good article whose single finding
/// (an unsourced claim on line 3) shows that it was checked.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("newsmark.toml"), "").unwrap();
    std::fs::write(
        root.join("registry.nmk"),
        "@lavrov: Sergey Lavrov\n  kind: person\n\n@tass: TASS\n  kind: outlet\n",
    )
    .unwrap();
    std::fs::write(
        root.join("good.nmk"),
        "[Lavrov]@lavrov landed {in Pyongyang | @tass}.\n\n{The talks went well}.\n",
    )
    .unwrap();
    dir
}

const GOOD_FINDING: &str = "good.nmk:3:1: warning[unsourced-claim]";

#[test]
fn a_100_mb_file_is_one_syntax_error_and_the_rest_is_checked() {
    let dir = workspace();
    let paragraph = "[Lavrov]@lavrov said {the talks went well | @tass} in Pyongyang.\n\n";
    let huge = paragraph.repeat(100_000_000 / paragraph.len() + 1);
    std::fs::write(dir.path().join("huge.nmk"), &huge).unwrap();
    drop(huge);
    let run = check(dir.path(), &[]);
    assert_eq!(
        run.line_for("huge.nmk"),
        "huge.nmk:1:1: error[syntax] the file is too large to check: 100000032 bytes, and files over 16 MB are not parsed"
    );
    run.line_for(GOOD_FINDING);
    assert_eq!(run.code, 1);
    // Read once, then copied into the workspace: 328 MB measured. Parsing
    // it took 2.2 GB.
    run.assert_peak_below(600);
}

#[test]
fn a_line_of_a_million_characters_is_checked() {
    let dir = workspace();
    let line = format!("Lavrov {} said {{unsourced}}\n", "가".repeat(1_000_000));
    std::fs::write(dir.path().join("line.nmk"), line).unwrap();
    let run = check(dir.path(), &[]);
    // Columns count characters: 7 + 1,000,000 + 6 before the claim.
    assert!(
        run.line_for("line.nmk")
            .starts_with("line.nmk:1:1000014: warning[unsourced-claim]"),
        "{}",
        run.stdout
    );
    run.line_for(GOOD_FINDING);
    run.assert_peak_below(SMALL_PEAK_MB);
}

/// `full` once cost the length of the line for every finding on it:
/// 100 s in a release build for this file.
#[test]
fn full_output_of_ten_thousand_claims_on_a_line_of_a_megabyte() {
    let dir = workspace();
    let line: String = (0..10_000)
        .map(|n| {
            format!(
                "Padding to make the line long enough, {{claim {n:05}}}. {}",
                "x".repeat(48)
            )
        })
        .collect();
    assert!(line.len() > 1_000_000);
    std::fs::write(dir.path().join("line.nmk"), line + "\n").unwrap();
    let run = check_as(dir.path(), "full", &["line.nmk"]);
    assert!(
        run.elapsed < Duration::from_secs(20),
        "took {:?}",
        run.elapsed
    );
    assert!(
        run.stdout
            .ends_with("Found 10000 findings in 1 file (10000 warnings).\n"),
        "{}",
        &run.stdout[run.stdout.len() - 500..]
    );
    // The place is counted in the whole line, the snippet is cut around it.
    let last = run.stdout.rfind(" --> line.nmk:1:").unwrap();
    assert_eq!(
        run.stdout[last..].lines().take(4).collect::<Vec<_>>(),
        [
            " --> line.nmk:1:1009938",
            "  |",
            "1 | ...xxxxxxxxxxxxxxxxxxxxPadding to make the line long enough, {claim 09999}. xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "  |                                                              ^^^^^^^^^^^^^",
        ]
    );
    run.assert_peak_below(SMALL_PEAK_MB * 2);
}

#[test]
fn a_hundred_thousand_nested_braces() {
    let dir = workspace();
    let closed = format!("{}x{}\n", "{".repeat(100_000), "}".repeat(100_000));
    std::fs::write(dir.path().join("closed.nmk"), closed).unwrap();
    std::fs::write(dir.path().join("open.nmk"), "{".repeat(100_000)).unwrap();
    let run = check(dir.path(), &[]);
    // Every level is a claim without a source.
    let unsourced = run
        .stdout
        .lines()
        .filter(|line| line.starts_with("closed.nmk:1:") && line.contains("[unsourced-claim]"))
        .count();
    assert_eq!(unsourced, 100_000);
    assert!(
        run.line_for("open.nmk")
            .starts_with("open.nmk:1:1: error[syntax] unclosed `{`"),
        "{}",
        run.line_for("open.nmk")
    );
    run.line_for(GOOD_FINDING);
    // 104 MB measured: 100,000 findings.
    run.assert_peak_below(250);
}

#[test]
fn a_hundred_thousand_nested_brackets() {
    let dir = workspace();
    let closed = format!(
        "{}Lavrov{}\n",
        "[".repeat(100_000),
        "]@lavrov".repeat(100_000)
    );
    std::fs::write(dir.path().join("closed.nmk"), closed).unwrap();
    std::fs::write(dir.path().join("open.nmk"), "[".repeat(100_000)).unwrap();
    let run = check(dir.path(), &[]);
    assert!(
        run.line_for("open.nmk")
            .starts_with("open.nmk:1:1: error[syntax] unclosed `[`"),
        "{}",
        run.line_for("open.nmk")
    );
    assert!(
        !run.stdout.contains("closed.nmk:1:1: error[syntax]"),
        "nested mentions are valid markup"
    );
    run.line_for(GOOD_FINDING);
    // 81 MB measured.
    run.assert_peak_below(200);
}

#[test]
fn nul_bytes() {
    let dir = workspace();
    // In the first 8 KiB: a binary file.
    std::fs::write(
        dir.path().join("binary.nmk"),
        b"Lavrov \0 said {x | @tass}\n",
    )
    .unwrap();
    // Later: an ordinary character of the text, which is still checked.
    let mut late = "Lavrov said. ".repeat(1_000).into_bytes();
    late.extend(b"\0 {unsourced}\n");
    std::fs::write(dir.path().join("late.nmk"), late).unwrap();
    let run = check(dir.path(), &[]);
    assert_eq!(
        run.line_for("binary.nmk"),
        "binary.nmk:1:1: error[io] binary file (a NUL byte at offset 7); Newsmark files are UTF-8 text"
    );
    assert!(
        run.line_for("late.nmk")
            .starts_with("late.nmk:1:13003: warning[unsourced-claim]"),
        "{}",
        run.stdout
    );
    run.line_for(GOOD_FINDING);
    run.assert_peak_below(SMALL_PEAK_MB);
}

#[test]
fn invalid_utf8_deep_inside_a_large_file() {
    let dir = workspace();
    let mut bytes = "Lavrov said {x | @tass}.\n".repeat(100_000).into_bytes();
    bytes.extend(b"caf\xe9\n");
    std::fs::write(dir.path().join("latin1.nmk"), bytes).unwrap();
    let run = check(dir.path(), &[]);
    assert_eq!(
        run.line_for("latin1.nmk"),
        "latin1.nmk:1:1: error[io] not valid UTF-8 (byte 2500003, line 100001); save the file as UTF-8"
    );
    run.line_for(GOOD_FINDING);
    run.assert_peak_below(SMALL_PEAK_MB);
}

#[test]
fn lone_cr_line_endings_count_as_lines() {
    let dir = workspace();
    std::fs::write(
        dir.path().join("cr.nmk"),
        "[Lavrov]@lavrov said\r{x | @tass}\r\r{unsourced}\r\r[Lavrov]@nobody\r",
    )
    .unwrap();
    let run = check(dir.path(), &["cr.nmk"]);
    assert_eq!(
        run.stdout
            .lines()
            .filter(|line| line.starts_with("cr.nmk"))
            .map(|line| line.split(": ").next().unwrap())
            .collect::<Vec<_>>(),
        ["cr.nmk:4:1", "cr.nmk:6:9"]
    );
    run.assert_peak_below(SMALL_PEAK_MB);
}

#[test]
fn invalid_utf8_is_reported_on_the_line_lone_crs_make() {
    let dir = workspace();
    std::fs::write(
        dir.path().join("cr.nmk"),
        b"Lavrov said\r{x | @tass}\r\rcaf\xe9\r",
    )
    .unwrap();
    let run = check(dir.path(), &["cr.nmk"]);
    assert_eq!(
        run.line_for("cr.nmk"),
        "cr.nmk:1:1: error[io] not valid UTF-8 (byte 28, line 4); save the file as UTF-8"
    );
}

#[test]
fn a_byte_order_mark_in_the_middle_is_an_ordinary_character() {
    // Only a mark at the very start is skipped (docs/markup.md); elsewhere
    // it is one invisible character, and columns after it count it.
    let dir = workspace();
    std::fs::write(
        dir.path().join("bom.nmk"),
        "\u{feff}[Lavrov]@lavrov said\n\u{feff}{unsourced} \u{feff}{again}\n",
    )
    .unwrap();
    let run = check(dir.path(), &["bom.nmk"]);
    assert_eq!(
        run.stdout
            .lines()
            .filter(|line| line.starts_with("bom.nmk"))
            .map(|line| line.split(": ").next().unwrap())
            .collect::<Vec<_>>(),
        ["bom.nmk:2:2", "bom.nmk:2:15"]
    );
    run.assert_peak_below(SMALL_PEAK_MB);
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_reported_not_opened() {
    let dir = workspace();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe.nmk"))
        .status()
        .unwrap();
    assert!(made.success());
    // Opening a named pipe for reading waits for a writer: this hung.
    let run = check(dir.path(), &[]);
    assert_eq!(
        run.line_for("pipe.nmk"),
        "pipe.nmk:1:1: error[io] cannot read the file: it is a named pipe, not a file"
    );
    run.line_for(GOOD_FINDING);
    run.assert_peak_below(SMALL_PEAK_MB);
}

#[cfg(unix)]
#[test]
fn a_named_pipe_for_an_ignore_file_or_the_configuration_is_reported_not_opened() {
    let dir = workspace();
    let root = dir.path();
    for (folder, name) in [
        ("a", ".gitignore"),
        ("b", ".ignore"),
        ("c", "newsmark.toml"),
    ] {
        std::fs::create_dir(root.join(folder)).unwrap();
        std::fs::write(root.join(folder).join("hidden.nmk"), "{unsourced}\n").unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(root.join(folder).join(name))
            .status()
            .unwrap();
        assert!(made.success());
    }
    // The walk opened each folder's ignore files: this hung.
    let run = check(root, &[]);
    for path in ["a/.gitignore", "b/.ignore", "c/newsmark.toml"] {
        let name = path.split('/').nth(1).unwrap();
        assert_eq!(
            run.line_for(path),
            format!(
                "{path}:1:1: error[io] cannot read {name}: it is a named pipe, not a file; \
                 the folder is skipped"
            )
        );
    }
    run.line_for(GOOD_FINDING);
    assert!(!run.stdout.contains("hidden.nmk"), "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn a_named_pipe_for_an_ignore_file_above_the_workspace_is_reported_not_opened() {
    // The walk reads the ignore files of the folders above the one it
    // starts in too: this hung.
    let outer = tempfile::tempdir().unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(outer.path().join(".gitignore"))
        .status()
        .unwrap();
    assert!(made.success());
    let corpus = outer.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(corpus.join("newsmark.toml"), "").unwrap();
    std::fs::write(corpus.join("a.nmk"), "{unsourced}\n").unwrap();
    let run = check(outer.path(), &["corpus"]);
    assert!(
        run.stdout.contains(
            ".gitignore:1:1: error[io] cannot read .gitignore: it is a named pipe, not a file; \
             the folder is skipped"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_folder_whose_path_is_too_long_to_open_is_an_io_finding() {
    let dir = workspace();
    // Two chains of 18 folders of 120 bytes, one moved into the other: a
    // path of some 4,400 bytes, past Linux's PATH_MAX of 4,096, so the walk
    // cannot list the deepest folders. Each call here names less.
    let chain = |top: &str| {
        let mut path = dir.path().join(top);
        for _ in 0..18 {
            path.push("f".repeat(120));
        }
        std::fs::create_dir_all(&path).unwrap();
        path
    };
    let low = chain("low");
    std::fs::write(low.join("deep.nmk"), "{deep}\n").unwrap();
    let high = chain("high");
    std::fs::rename(dir.path().join("low"), high.join("low")).unwrap();
    let run = check(dir.path(), &[]);
    // Before, the folder was skipped in silence: a false pass.
    let line = run.line_for("high/");
    assert!(
        line.contains(": error[io] cannot read the folder: ")
            && line.contains("File name too long"),
        "{line}"
    );
    run.line_for(GOOD_FINDING);

    // A folder the configuration excludes is not entered, so not reported.
    std::fs::write(
        dir.path().join("newsmark.toml"),
        "exclude = [\"high/**\"]\n",
    )
    .unwrap();
    let run = check(dir.path(), &[]);
    assert!(!run.stdout.contains("high/"), "{}", run.stdout);
    run.line_for(GOOD_FINDING);
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_dangling_links_are_io_findings() {
    use std::os::unix::fs::symlink;
    let dir = workspace();
    let root = dir.path();
    symlink("loop2.nmk", root.join("loop1.nmk")).unwrap();
    symlink("loop1.nmk", root.join("loop2.nmk")).unwrap();
    symlink("nowhere.nmk", root.join("dangling.nmk")).unwrap();
    // A folder that contains itself: the walk does not follow it.
    symlink(".", root.join("again")).unwrap();
    symlink("good.nmk", root.join("alias.nmk")).unwrap();
    let run = check(root, &[]);
    assert!(
        run.line_for("loop1.nmk")
            .starts_with("loop1.nmk:1:1: error[io] cannot read the file: "),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.line_for("dangling.nmk"),
        "dangling.nmk:1:1: error[io] cannot read the file: no such file or directory"
    );
    // A link to a file is read like the file.
    run.line_for("alias.nmk:3:1: warning[unsourced-claim]");
    run.line_for(GOOD_FINDING);
    assert!(!run.stdout.contains("again/"), "{}", run.stdout);
    run.assert_peak_below(SMALL_PEAK_MB);
}

#[test]
fn a_file_past_the_parse_deadline_is_one_syntax_error() {
    let dir = workspace();
    // One paragraph of unclosed claims: tree-sitter's error recovery is
    // quadratic on it (4,000 of them parse in 1.6 s without a deadline),
    // so 30,000 stop at the deadline of 2 s even on a fast machine.
    std::fs::write(dir.path().join("knot.nmk"), "{ [a]@b | ".repeat(30_000)).unwrap();
    let run = check(dir.path(), &[]);
    let line = run.line_for("knot.nmk");
    assert!(
        line.starts_with("knot.nmk:1:1: error[syntax] parsing stopped after ")
            && line.ends_with(" ms: the file is too large or too complex to check (300000 bytes)"),
        "{line}"
    );
    run.line_for(GOOD_FINDING);
    // The deadline (2.03 s) and the rest of the check.
    assert!(run.elapsed < Duration::from_secs(20), "{:?}", run.elapsed);
    run.assert_peak_below(SMALL_PEAK_MB);
}

#[test]
fn five_thousand_definitions_of_one_id() {
    let dir = workspace();
    let copies = "@lavrov: Sergey Lavrov\n  kind: person\n\n".repeat(5_000);
    std::fs::write(dir.path().join("copies.nmk"), copies).unwrap();
    let run = check(dir.path(), &["copies.nmk"]);
    // Each copy pointed at every other one: this needed 3 GB and aborted.
    let duplicates = run
        .stdout
        .lines()
        .filter(|line| line.contains("[duplicate-definition] `@lavrov` is defined 5001 times"))
        .count();
    assert_eq!(duplicates, 5_000);
    // 41 MB measured.
    run.assert_peak_below(100);
}
