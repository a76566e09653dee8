//! `disagreement`: annotators disagree here (`newsmark agree`).

pub(super) const DOC: &str = r#"Annotators disagree on an annotation: one of them has a mention, a claim, a source, a chain, a stance, a hedge or a quote kind that the other has differently or not at all. Found by `newsmark agree --format sarif|github`, in each annotator's file, and shown as hints in the editor when `newsmark.toml` sets `compare-with`; never by `check`.

**Why it matters.** A corpus is only as trustworthy as its annotators' agreement; in a pull request, each disagreement shows inline where it is, for the annotators and the curator to settle.

**Example.** Alice wrote `[Washington]@us`, Bob `[Washington]@us.white-house`: both files say "mention re-linked: @us in alice, @us.white-house in bob", each at its own place.

**How to fix.** Agree on one annotation (the annotation guidelines decide), or merge the versions with `newsmark merge` and settle each conflict in the editor.

**How to silence.** It is not a check: leave out `--format sarif|github`, compare fewer annotators, or remove `compare-with`."#;
