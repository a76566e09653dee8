//! `newsmark check` fails on a conflict block left in an article.

use crate::support::{newsmark, run};

#[test]
fn check_fails_on_an_unresolved_conflict_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("visit.nmk"),
        "@us: United States\n  kind: country\n\n@cnn: CNN\n  kind: outlet\n\n\
         <<<<<<< alice\n{North Korea supplied munitions | @us}\n=======\n\
         {North Korea supplied munitions | @us via @cnn}\n>>>>>>> bob\n",
    )
    .unwrap();
    let (code, out) =
        run(newsmark(dir.path()).args(["check", "--output-format", "concise", "visit.nmk"]));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "visit.nmk:7:1: error[unresolved-conflict] unresolved conflict between alice and bob"
        ),
        "{out}"
    );
}
