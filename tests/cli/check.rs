//! `newsmark check`: every output format, exit codes, configuration
//! errors, and which files are checked.

use insta_cmd::assert_cmd_snapshot;

use crate::support::{fixture, newsmark, run};

fn workspace() -> std::process::Command {
    let mut command = newsmark(&fixture("workspace"));
    command.args(["check", "--no-cache"]);
    command
}

#[test]
fn full_is_the_default_format() {
    assert_cmd_snapshot!(workspace());
}

#[test]
fn full_with_hints() {
    assert_cmd_snapshot!(workspace().args(["--show-hints", "articles/visit.nmk"]));
}

#[test]
fn concise() {
    assert_cmd_snapshot!(workspace().args(["--output-format", "concise"]));
}

#[test]
fn json_holds_every_finding_hints_included() {
    assert_cmd_snapshot!(workspace().args(["--output-format", "json"]));
}

#[test]
fn json_lines() {
    assert_cmd_snapshot!(workspace().args(["--output-format", "json-lines"]));
}

#[test]
fn sarif() {
    let (code, stdout) = run(workspace().args(["--output-format", "sarif"]));
    assert_eq!(code, 1);
    // The rules carry the rule documentation, which has its own tests:
    // the snapshot keeps their ids only.
    let mut log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let rules = &mut log["runs"][0]["tool"]["driver"]["rules"];
    let ids: Vec<serde_json::Value> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|rule| rule["id"].clone())
        .collect();
    *rules = serde_json::Value::Array(ids);
    insta::assert_snapshot!(serde_json::to_string_pretty(&log).unwrap());
}

#[test]
fn sarif_is_valid_for_code_scanning() {
    let (_, stdout) = run(workspace().args(["--output-format", "sarif"]));
    let log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "newsmark");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for rule in rules {
        for key in [
            "id",
            "shortDescription",
            "fullDescription",
            "help",
            "defaultConfiguration",
        ] {
            assert!(rule.get(key).is_some(), "{key} in {rule}");
        }
        assert!(rule["help"]["markdown"].as_str().unwrap().len() > 40);
    }
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        // Relative to the repository root, with `/`.
        assert!(uri.starts_with("tests/fixtures/cli/workspace/"), "{uri}");
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(
            region["startLine"].as_u64().unwrap() >= 1
                && region["startColumn"].as_u64().unwrap() >= 1
        );
    }
}

#[test]
fn github_annotations() {
    assert_cmd_snapshot!(workspace().args(["--output-format", "github"]));
}

#[test]
fn junit() {
    assert_cmd_snapshot!(workspace().args(["--output-format", "junit"]));
}

#[test]
fn statistics() {
    assert_cmd_snapshot!(workspace().args(["--statistics", "--show-hints"]));
}

#[test]
fn statistics_as_json() {
    assert_cmd_snapshot!(workspace().args(["--statistics", "--output-format", "json"]));
}

#[test]
fn output_file_holds_the_report() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("reports/findings.json");
    let (code, stdout) = run(workspace()
        .args(["--output-format", "json", "--output-file"])
        .arg(&file));
    assert_eq!((code, stdout.as_str()), (1, ""));
    let (_, expected) = run(workspace().args(["--output-format", "json"]));
    assert_eq!(std::fs::read_to_string(file).unwrap(), expected);
}

#[test]
fn clean_file_exits_zero() {
    assert_cmd_snapshot!(workspace().arg("articles/clean.nmk"));
}

#[test]
fn fail_on_error_ignores_warnings() {
    // hangul.nmk has one unsourced claim (a warning) and nothing worse.
    assert_cmd_snapshot!(workspace().args([
        "--fail-on",
        "error",
        "--output-format",
        "concise",
        "articles/hangul.nmk"
    ]));
}

#[test]
fn fail_on_levels() {
    let exit = |args: &[&str]| run(workspace().args(args).args(["--output-format", "json"])).0;
    assert_eq!(exit(&["articles/hangul.nmk"]), 1);
    assert_eq!(exit(&["--fail-on", "error", "articles/hangul.nmk"]), 0);
    assert_eq!(exit(&["--exit-zero", "articles/hangul.nmk"]), 0);
    assert_eq!(exit(&["--fail-on", "error", "articles/broken.nmk"]), 1);
    // entities/people.nmk has an info (missing-kind, raised by newsmark.toml)
    // and hints; visit.nmk's worst finding besides errors is a hint.
    assert_eq!(exit(&["--fail-on", "info", "articles/clean.nmk"]), 0);
    assert_eq!(exit(&["--fail-on", "hint", "articles/clean.nmk"]), 0);
    let hints_only = tempfile::tempdir().unwrap();
    std::fs::write(hints_only.path().join("newsmark.toml"), "").unwrap();
    std::fs::write(hints_only.path().join("a.nmk"), "@x: X\n  kind: person\n").unwrap();
    let hints = |fail_on: &str| {
        run(newsmark(hints_only.path()).args(["check", "--no-cache", "--fail-on", fail_on])).0
    };
    assert_eq!(hints("info"), 0);
    assert_eq!(hints("hint"), 1);
}

#[test]
fn exit_zero_still_prints_findings() {
    assert_cmd_snapshot!(workspace().args([
        "--exit-zero",
        "--output-format",
        "concise",
        "articles/hangul.nmk"
    ]));
}

#[test]
fn usage_error_exits_two() {
    assert_cmd_snapshot!(workspace().args(["--output-format", "xml"]));
}

#[test]
fn config_error_unknown_key() {
    assert_cmd_snapshot!(newsmark(&fixture("config/unknown-key")).args(["check", "--no-cache"]));
}

#[test]
fn config_error_unknown_severity() {
    assert_cmd_snapshot!(newsmark(&fixture("config/bad-severity")).args(["check", "--no-cache"]));
}

#[test]
fn config_error_toml_syntax() {
    assert_cmd_snapshot!(newsmark(&fixture("config/toml-syntax")).args(["check", "--no-cache"]));
}

#[test]
fn config_error_invalid_glob() {
    assert_cmd_snapshot!(newsmark(&fixture("config")).args([
        "check",
        "--no-cache",
        "bad-glob/a.nmk"
    ]));
}

#[test]
fn one_article_resolves_entities_from_the_whole_workspace() {
    // Only hangul.nmk is reported on, and its @choe and @kcna resolve from
    // entities/people.nmk, which is read but not reported on.
    assert_cmd_snapshot!(workspace().args([
        "--show-hints",
        "--output-format",
        "concise",
        "articles/hangul.nmk"
    ]));
}

#[test]
fn excluded_files_are_checked_only_when_named() {
    let (_, all) = run(workspace().args(["--output-format", "concise"]));
    assert!(!all.contains("drafts/"), "{all}");
    assert_cmd_snapshot!(workspace().args(["--output-format", "concise", "drafts/wip.nmk"]));
}

#[test]
fn paths_are_shown_relative_to_the_current_folder() {
    assert_cmd_snapshot!(newsmark(&fixture("workspace/articles")).args([
        "check",
        "--no-cache",
        "--output-format",
        "concise",
        "visit.nmk",
        "../entities"
    ]));
    let (code, stdout) = run(newsmark(&fixture("")).args([
        "check",
        "--no-cache",
        "--output-format",
        "concise",
        "workspace/articles/clean.nmk",
    ]));
    assert_eq!((code, stdout.as_str()), (0, "No findings in 1 file.\n"));
}

#[test]
fn missing_path_is_an_io_finding() {
    assert_cmd_snapshot!(workspace().args(["--output-format", "concise", "articles/missing.nmk"]));
}

#[test]
fn gitignored_and_hidden_files_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status();
    if !git.is_ok_and(|status| status.success()) {
        eprintln!("git is not available: skipped");
        return;
    }
    for (path, text) in [
        ("newsmark.toml", ""),
        (".gitignore", "generated/\n"),
        ("a.nmk", "{checked}\n"),
        ("generated/b.nmk", "{ignored by .gitignore}\n"),
        (".hidden/c.nmk", "{hidden}\n"),
    ] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let (_, stdout) =
        run(newsmark(dir.path()).args(["check", "--no-cache", "--output-format", "concise"]));
    assert_eq!(
        stdout,
        "a.nmk:1:1: warning[unsourced-claim] this claim has no source: add `| @source` before the closing `}`\nFound 1 finding in 1 file (1 warning).\n"
    );
    // Named explicitly, an ignored file is checked.
    let (_, stdout) = run(newsmark(dir.path()).args([
        "check",
        "--no-cache",
        "--output-format",
        "concise",
        "generated/b.nmk",
    ]));
    assert!(
        stdout.starts_with("generated/b.nmk:1:1: warning[unsourced-claim]"),
        "{stdout}"
    );
}

#[test]
fn no_config_means_the_current_folder_is_the_root() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("entities")).unwrap();
    std::fs::write(dir.path().join("entities/e.nmk"), "@a: A\n  kind: person\n").unwrap();
    std::fs::write(dir.path().join("x.nmk"), "{Claim | @a}\n").unwrap();
    let (code, stdout) = run(newsmark(dir.path()).args([
        "check",
        "--no-cache",
        "--output-format",
        "concise",
        "x.nmk",
    ]));
    assert_eq!((code, stdout.as_str()), (0, "No findings in 1 file.\n"));
}

#[test]
fn a_nested_newsmark_toml_is_a_workspace_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in [
        ("newsmark.toml", ""),
        ("entities.nmk", "@x: Outer X\n  kind: person\n"),
        ("a.nmk", "{Outer claim | @x}\n"),
        ("inner/newsmark.toml", ""),
        ("inner/entities.nmk", "@x: Inner X\n  kind: person\n"),
        ("inner/b.nmk", "{Inner claim | @x} and @y\n"),
    ] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    // Two workspaces: no duplicate @x, and @y is undefined in the inner one.
    let (code, stdout) =
        run(newsmark(dir.path()).args(["check", "--no-cache", "--output-format", "concise"]));
    assert_eq!(
        (code, stdout.as_str()),
        (
            1,
            "inner/b.nmk:1:24: error[undefined-entity] `@y` is not defined in any file of the workspace; did you mean `@x`?\nFound 1 finding in 1 file (1 error).\n"
        )
    );
    // Asking for the outer files only leaves the inner workspace out.
    let (code, stdout) = run(newsmark(dir.path()).args([
        "check",
        "--no-cache",
        "--output-format",
        "concise",
        "a.nmk",
    ]));
    assert_eq!((code, stdout.as_str()), (0, "No findings in 1 file.\n"));
}

/// Without a `newsmark.toml`, the root is the checked path, not the current
/// folder: sibling corpora checked one at a time give what each gives
/// alone (the other's definitions neither clash nor resolve).
#[test]
fn sibling_corpora_checked_one_at_a_time_give_what_each_gives_alone() {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in [
        ("corpus-a/entities.nmk", "@x: X of A\n  kind: person\n"),
        ("corpus-a/a.nmk", "{A claim | @x} and @only-b\n"),
        (
            "corpus-b/entities.nmk",
            "@x: X of B\n  kind: person\n\n@only-b: B\n  kind: org\n",
        ),
        ("corpus-b/b.nmk", "{B claim | @x} and @only-b\n"),
    ] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let concise = ["check", "--no-cache", "--output-format", "concise"];
    for corpus in ["corpus-a", "corpus-b"] {
        let alone = run(newsmark(&dir.path().join(corpus)).args(concise).arg("."));
        let from_above = run(newsmark(dir.path()).args(concise).arg(corpus));
        let alone_lines: Vec<String> = alone
            .1
            .lines()
            .map(|line| format!("{corpus}/{line}"))
            .collect();
        let from_above_lines: Vec<String> = from_above.1.lines().map(str::to_owned).collect();
        assert_eq!(alone.0, from_above.0, "{corpus}");
        // Findings name paths from where the command ran; the summary line is the same.
        assert_eq!(
            alone_lines[..alone_lines.len() - 1],
            from_above_lines[..from_above_lines.len() - 1],
            "{corpus}"
        );
    }
    let (code, stdout) = run(newsmark(dir.path()).args(concise).arg("corpus-a"));
    assert_eq!(
        (code, stdout.as_str()),
        (
            1,
            "corpus-a/a.nmk:1:20: error[undefined-entity] `@only-b` is not defined in any file of the workspace\nFound 1 finding in 1 file (1 error).\n"
        )
    );
}

/// Files named from a folder and from a folder inside it, with no
/// `newsmark.toml`, are one workspace, as a pre-commit hook names them.
#[test]
fn files_named_from_nested_folders_are_one_workspace() {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in [
        ("entities.nmk", "@x: X\n  kind: person\n"),
        ("a.nmk", "{A claim | @x}\n"),
        ("sub/b.nmk", "{B claim | @x}\n"),
    ] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    for args in [&["a.nmk", "sub/b.nmk"][..], &[".", "sub"], &["sub", "."]] {
        let (code, stdout) = run(newsmark(dir.path())
            .args(["check", "--no-cache", "--output-format", "concise"])
            .args(args));
        assert_eq!(code, 0, "{args:?}: {stdout}");
    }
}

/// Without a temporary file for what it parses, `check` says so and
/// reports the same findings, from memory.
#[test]
fn without_a_temporary_folder_parsed_files_stay_in_memory() {
    let concise = || {
        let mut command = workspace();
        command.args(["--output-format", "concise"]);
        command
    };
    let (code, expected) = run(&mut concise());
    let output = concise()
        .env("TMPDIR", fixture("workspace").join("no such folder"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(code));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("cannot create a temporary file (set TMPDIR to a writable folder)"),
        "{stderr}"
    );
    let (_, stderr) = {
        let output = concise().output().unwrap();
        (output.status, String::from_utf8(output.stderr).unwrap())
    };
    assert!(!stderr.contains("temporary file"), "{stderr}");
}
