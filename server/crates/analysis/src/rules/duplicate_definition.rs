//! `duplicate-definition`: the same id defined twice.

use super::{Code, Context, Diagnostic, MAX_RELATED, Related};

pub(super) const DOC: &str = r#"The same id is defined more than once, in one file or in two.

**Why it matters.** A reference must name exactly one entity. With two definitions, hover and exports pick the first (in path order) and the other is silently ignored.

**Example.**

```newsmark
@kim: Kim Jong Un
  kind: person

@kim: Kim Yo Jong
  kind: person
```

**How to fix.** Give each entity its own id (`@kim-yo-jong`) and update the references, or delete the copy. Each report points at the other definitions.

**How to silence.** `%% ignore: duplicate-definition` on the definition's line."#;

pub(super) fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let summary = ctx.summary();
    for (index, definition) in summary.definitions.iter().enumerate() {
        // The versions of a conflict are alternatives: one will stay.
        let all: Vec<_> = (ctx.ws.definitions_of(&definition.id).iter())
            .filter(|r| {
                let start = ctx.ws.definition(**r).id_range.start;
                r.file != ctx.file || !summary.are_alternatives(definition.id_range.start, start)
            })
            .collect();
        if all.len() < 2 {
            continue;
        }
        let others: Vec<Related> = all
            .iter()
            .filter(|r| !(r.file == ctx.file && r.index as usize == index))
            .take(MAX_RELATED)
            .map(|&&r| Related {
                file: r.file,
                range: ctx.ws.definition(r).id_range.clone(),
                message: format!("`@{}` is also defined here", definition.id),
            })
            .collect();
        let mut diagnostic = Diagnostic::new(
            Code::DuplicateDefinition,
            definition.id_range.clone(),
            format!(
                "`@{}` is defined {} times; every id must be defined once",
                definition.id,
                all.len()
            ),
        );
        diagnostic.related = others;
        out.push(diagnostic);
    }
}
