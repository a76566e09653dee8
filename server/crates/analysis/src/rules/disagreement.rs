//! `disagreement`: annotators disagree here (`newsmark agree`).

pub(super) const DOC: &str = r#"Annotators disagree on an annotation: one of them has a mention, a claim, a source, a chain, a stance, a hedge or a quote kind that the other has differently or not at all. Found by `newsmark agree --format sarif|github`, in each annotator's file, never by `check` or the editor.

**Why it matters.** A corpus is only as trustworthy as its annotators' agreement; in a pull request, each disagreement shows inline where it is, for the annotators and the curator to settle.

**Example.** Alice wrote `[Washington]@us`, Bob `[Washington]@us.white-house`: alice's file says "bob: mention re-linked: @us → @us.white-house", bob's the same from alice's side.

**How to fix.** Agree on one annotation (the annotation guidelines decide), or merge the versions with `newsmark merge` and settle each conflict in the editor.

**How to silence.** It is not a check: leave out `--format sarif|github`, or compare fewer annotators."#;
