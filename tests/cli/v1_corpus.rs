//! A version 1 corpus under Newsmark 2: `tests/fixtures/v1-examples/` is
//! `examples/` as it was before the Newsmark 2 marks were added to it
//! (copied from the commit before issue 18's re-annotation, `.gitattributes`
//! included, so its CRLF article keeps its line endings). `newsmark check`
//! must report exactly what the version 1 release reported on it.

use std::path::{Path, PathBuf};

use crate::support::{newsmark, run};

fn v1_examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/v1-examples")
}

/// Recorded with the version 1 binary, built at commit 765018c (the last
/// commit before the Newsmark 2 work), by running
/// `newsmark check --no-cache --output-format json` in the fixture folder
/// (exit status 1). Not a snapshot on purpose: accepting new snapshots must
/// not change it. Only a new recording with that binary may.
const V1_FINDINGS: &str = r#"[
  {"path":"articles/kim-putin-vostochny.nmk","line":28,"column":10,"end_line":29,"end_column":5,"severity":"warning","code":"unsourced-claim","message":"this claim has no source: add `| @source` before the closing `}`"},
  {"path":"articles/lavrov-pyongyang.nmk","line":8,"column":26,"end_line":8,"end_column":42,"severity":"hint","code":"untagged-mention","message":"`Associated Press` names `@ap` (Associated Press) but is not tagged: write `[Associated Press]@ap`"},
  {"path":"articles/lavrov-pyongyang.nmk","line":44,"column":1,"end_line":46,"end_column":30,"severity":"warning","code":"unsourced-claim","message":"this claim has no source: add `| @source` before the closing `}`"},
  {"path":"articles/lavrov-pyongyang.nmk","line":70,"column":1,"end_line":73,"end_column":79,"severity":"warning","code":"unsourced-claim","message":"this claim has no source: add `| @source` before the closing `}`"},
  {"path":"articles/lavrov-pyongyang.nmk","line":78,"column":7,"end_line":79,"end_column":27,"severity":"warning","code":"unsourced-claim","message":"this claim has no source: add `| @source` before the closing `}`"},
  {"path":"articles/putin-pyongyang-2024.nmk","line":11,"column":1,"end_line":12,"end_column":6,"severity":"warning","code":"unsourced-claim","message":"this claim has no source: add `| @source` before the closing `}`"}
]
"#;

/// Recorded findings that later versions drop on purpose, each with why.
const DROPPED_ON_PURPOSE: &[(&str, &str)] = &[(
    r#""line":8,"column":26,"end_line":8,"end_column":42,"severity":"hint","code":"untagged-mention""#,
    "front matter is metadata: untagged mentions are not looked for there (the 'any language' issue)",
)];

#[test]
fn a_v1_corpus_gives_the_findings_the_v1_release_gave() {
    let (code, stdout) =
        run(newsmark(&v1_examples()).args(["check", "--no-cache", "--output-format", "json"]));
    assert_eq!(code, 1);
    let mut expected: Vec<&str> = V1_FINDINGS.lines().collect();
    for (finding, why) in DROPPED_ON_PURPOSE {
        let before = expected.len();
        expected.retain(|line| !line.contains(finding));
        assert_eq!(
            expected.len(),
            before - 1,
            "{finding} ({why}) is recorded once"
        );
    }
    assert_eq!(stdout, expected.join("\n") + "\n");
}

#[test]
fn the_v1_fixture_keeps_its_crlf_article() {
    let text = std::fs::read(v1_examples().join("articles/kirby-containers.nmk")).unwrap();
    let lines = text.split(|&b| b == b'\n').count() - 1;
    let crlf = text.windows(2).filter(|w| w == b"\r\n").count();
    assert!(
        lines > 40 && crlf == lines,
        "{crlf} of {lines} lines end in CRLF"
    );
}
