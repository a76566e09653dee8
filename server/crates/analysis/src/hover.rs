//! Hover: an entity card on any reference, mention, source or definition;
//! the sources of a claim (with their conduits), its label, hedges and
//! stances, on the claim or on a `#label`; the documentation of a code in
//! `%% ignore:`.

use std::cmp::Reverse;
use std::fmt::Write as _;
use std::ops::Range;

use crate::code::Code;
use crate::lexicon::capitalised;
use crate::markdown;
use crate::summary::{Conflict, FileSummary};
use crate::workspace::{DefinitionRef, FileId, UsageCounts, Workspace};
use newsmark_syntax::{QuoteKind, StanceKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// The construct the hover is about.
    pub range: Range<usize>,
    pub markdown: String,
}

/// How many files an entity card lists.
const LISTED_FILES: usize = 5;

pub fn hover(ws: &Workspace, file: FileId, offset: usize) -> Option<Hover> {
    let summary = ws.summary(file);
    if let Some(conflict) = summary.conflicts.iter().find(|c| c.is_on_marker(offset)) {
        return Some(Hover {
            range: conflict.opening(),
            markdown: conflict_card(&ws.text(file), conflict),
        });
    }
    if let Some((_, usage)) = summary.usage_at(offset) {
        return Some(Hover {
            range: usage.range(),
            markdown: entity_card(ws, &usage.id),
        });
    }
    if let Some((_, definition)) = summary.definition_at(offset) {
        return Some(Hover {
            range: definition.id_range.clone(),
            markdown: entity_card(ws, &definition.id),
        });
    }
    for directive in &summary.directives {
        for (name, range) in &directive.codes {
            if range.start <= offset && offset <= range.end {
                let markdown = match Code::from_name(name) {
                    Some(code) => format!(
                        "**`{}`** ({} by default)\n\n{}",
                        code.as_str(),
                        code.default_severity().as_str(),
                        code.doc()
                    ),
                    None => format!(
                        "{} is not a Newsmark diagnostic code.",
                        markdown::code(name)
                    ),
                };
                return Some(Hover {
                    range: range.clone(),
                    markdown,
                });
            }
        }
    }
    if let Some((label, range)) = summary.label_at(offset) {
        let markdown = match summary.labelled(label).next() {
            Some(claim) => claim_card(ws, file, claim),
            None => format!("No claim of this file is labelled {}.", label_code(label)),
        };
        return Some(Hover {
            range: range.start - 1..range.end,
            markdown,
        });
    }
    let (index, claim) = summary.claim_at(offset)?;
    Some(Hover {
        range: claim.range(),
        markdown: claim_card(ws, file, index),
    })
}

/// The Markdown card for an entity id, used by hover and completion.
pub fn entity_card(ws: &Workspace, id: &str) -> String {
    let Some((reference, definition)) = ws.entity(id) else {
        return format!(
            "**{}** is not defined in any file of this workspace.",
            at_id(id)
        );
    };
    let mut card = String::new();
    let kind = definition
        .kind()
        .map(|k| format!(" · {}", markdown::text(k)))
        .unwrap_or_default();
    let _ = writeln!(
        card,
        "**{}**{kind} · {}",
        markdown::text(definition.display_name()),
        at_id(id)
    );
    let mut lines = Vec::new();
    if let Some(role) = definition.property("role") {
        lines.push(markdown::text(&role.value));
    }
    let groups = member_of(ws, reference);
    if !groups.is_empty() {
        lines.push(format!("Member of: {}", groups.join(", ")));
    }
    let aliases: Vec<String> = definition.aliases().map(markdown::text).collect();
    if !aliases.is_empty() {
        lines.push(format!("Also known as: {}", aliases.join(", ")));
    }
    // Every other property as written: `note`, `x-…` and the rest.
    const ON_THE_CARD: [&str; 6] = ["kind", "role", "member-of", "aliases", "url", "wikidata"];
    for property in (definition.properties.iter()).filter(|p| !ON_THE_CARD.contains(&&*p.key)) {
        lines.push(format!(
            "{}: {}",
            markdown::code(&property.key),
            markdown::text(&property.value)
        ));
    }
    let mut links = Vec::new();
    if let Some(url) = definition.property("url") {
        links.push(markdown::link(link_text(&url.value), &url.value));
    }
    if let Some(wikidata) = definition.property("wikidata") {
        links.push(markdown::wikidata_link(&wikidata.value));
    }
    if !links.is_empty() {
        lines.push(links.join(" · "));
    }
    if !lines.is_empty() {
        let _ = writeln!(card, "\n{}", lines.join("  \n"));
    }
    let line = ws
        .summary(reference.file)
        .lines
        .line(definition.id_range.start)
        + 1;
    let _ = writeln!(
        card,
        "\nDefined in {}, line {line}",
        markdown::code(ws.display_path(reference.file))
    );
    let duplicates = ws.definitions_of(id).len();
    if duplicates > 1 {
        let _ = writeln!(
            card,
            " (and {} more times: see the `duplicate-definition` errors)",
            duplicates - 1
        );
    }
    card.push_str(&usage_summary(ws, id));
    card
}

fn usage_summary(ws: &Workspace, id: &str) -> String {
    let files = ws.file_counts(id);
    let mentions: u32 = files.iter().map(|(_, c)| c.mentions).sum();
    let sourced: u32 = files.iter().map(|(_, c)| c.sourced_claims).sum();
    let mut text = format!(
        "\n{} · {} sourced to it, in {}\n",
        plural(mentions, "mention"),
        plural(sourced, "claim"),
        plural(files.len() as u32, "file")
    );
    // The busiest files, ties in path order: picked from thousands, then
    // only the few listed are sorted.
    let mut busiest: Vec<_> = (files.iter())
        .map(|&(file, counts)| (Reverse(counts.total()), ws.path(file), file, counts))
        .collect();
    fn order<'a>(
        &(total, path, ..): &(Reverse<u32>, &'a str, FileId, UsageCounts),
    ) -> (Reverse<u32>, &'a str) {
        (total, path)
    }
    if busiest.len() > LISTED_FILES {
        busiest.select_nth_unstable_by_key(LISTED_FILES - 1, order);
        busiest.truncate(LISTED_FILES);
    }
    busiest.sort_unstable_by_key(order);
    for (_, _, file, counts) in busiest {
        let _ = writeln!(
            text,
            "- {}: {}, {}",
            markdown::code(ws.display_path(file)),
            plural(counts.mentions, "mention"),
            plural(counts.sourced_claims, "claim")
        );
    }
    if files.len() > LISTED_FILES {
        let _ = writeln!(
            text,
            "- and {} more",
            plural((files.len() - LISTED_FILES) as u32, "file")
        );
    }
    text
}

/// `member-of` values resolved to names.
fn member_of(ws: &Workspace, reference: DefinitionRef) -> Vec<String> {
    (ws.summary(reference.file))
        .property_uses(reference.index, "member-of")
        .map(|u| match ws.entity(&u.id) {
            Some((_, group)) => format!(
                "{} ({})",
                markdown::text(group.display_name()),
                at_id(&u.id)
            ),
            None => format!("{} (not defined)", at_id(&u.id)),
        })
        .collect()
}

fn claim_card(ws: &Workspace, file: FileId, index: u32) -> String {
    let summary = ws.summary(file);
    let quote = match summary.claims[index as usize].quote().kind {
        QuoteKind::Direct => "Direct quote",
        QuoteKind::Partial => "Partial quote",
        QuoteKind::None => "Claim",
    };
    let mut card = if summary.sources(index).next().is_none() {
        format!(
            "**Unsourced {}**\n\nNobody is on record for it: add `| @source` before the closing `}}`.",
            quote.to_lowercase()
        )
    } else {
        let sources: Vec<String> = (summary.chains(index).into_iter())
            .map(|(source, conduits)| {
                let via: String = (conduits.iter())
                    .map(|conduit| format!(", via {}", entity_line(ws, &conduit.id)))
                    .collect();
                format!("- {}{via}", entity_line(ws, &source.id))
            })
            .collect();
        format!("**{quote}** attributed to:\n\n{}\n", sources.join("\n"))
    };
    let mut details = quote_details(&ws.text(file), summary, index);
    details.extend(claim_details(summary, index));
    if !details.is_empty() {
        card.truncate(card.trim_end().len());
        card.push_str("\n\n");
        card.push_str(&details.join("\n"));
        card.push('\n');
    }
    card
}

/// An entity as a hover names it: its display name, id and kind.
fn entity_line(ws: &Workspace, id: &str) -> String {
    match ws.entity(id) {
        Some((_, definition)) => {
            let kind = definition
                .kind()
                .map(|k| format!(", {}", markdown::text(k)))
                .unwrap_or_default();
            format!(
                "{} ({}{kind})",
                markdown::text(definition.display_name()),
                at_id(id)
            )
        }
        None => format!("{} (not defined)", at_id(id)),
    }
}

/// The quoted words of the claim, and the other parts of its quotation.
fn quote_details(text: &str, summary: &FileSummary, index: u32) -> Vec<String> {
    let claim = &summary.claims[index as usize];
    let mut lines = Vec::new();
    // A direct quote of one piece is its own text: nothing to add.
    let quote = claim.quote();
    let whole = quote.kind == QuoteKind::Direct && quote.fragments.len() == 1;
    if !quote.fragments.is_empty() && !whole {
        let fragments: Vec<String> = (quote.fragments.iter())
            .map(|f| format!("“{}”", markdown::text(&text[f.clone()])))
            .collect();
        lines.push(format!("- Quoted words: {}", fragments.join(" … ")));
    }
    let continued = summary.continued_quotes();
    let line = |claim: u32| {
        summary
            .lines
            .line(summary.claims[claim as usize].range().start)
            + 1
    };
    if let Some(first) = continued[index as usize] {
        lines.push(format!(
            "- Carries on the quotation that opens on line {}",
            line(first)
        ));
    }
    let parts = (continued.iter())
        .filter(|&&first| first == Some(index))
        .count();
    if parts > 0 {
        lines.push(format!(
            "- One quotation with {} after it",
            plural(parts as u32, "claim")
        ));
    }
    lines
}

/// The claim's label, hedges and stances, and the stances other claims of
/// the file take on it, one line each.
fn claim_details(summary: &FileSummary, index: u32) -> Vec<String> {
    let mut lines = Vec::new();
    let labels: Vec<&str> = (summary.labels.iter())
        .filter(|l| l.claim == index)
        .map(|l| &*l.name)
        .collect();
    for label in &labels {
        lines.push(format!("- Label {}", label_code(label)));
    }
    let hedged = (summary.hedges.iter()).filter(|h| h.claim == index).count();
    if hedged > 0 {
        lines.push(format!("- Hedged ({})", plural(hedged as u32, "cue")));
    }
    for stance in summary.stances.iter().filter(|s| s.claim == index) {
        lines.push(format!(
            "- {} {}",
            capitalised(stance.kind.word()),
            label_code(&stance.label)
        ));
    }
    for stance in summary
        .stances
        .iter()
        .filter(|s| labels.contains(&&*s.label))
    {
        let by: Vec<String> = (summary.sources(stance.claim))
            .map(|source| at_id(&source.id))
            .collect();
        let by = if by.is_empty() {
            "an unsourced claim".to_owned()
        } else {
            by.join(", ")
        };
        lines.push(format!("- {} by {by}", stance_passive(stance.kind)));
    }
    lines
}

fn stance_passive(kind: StanceKind) -> &'static str {
    match kind {
        StanceKind::Denies => "Denied",
        StanceKind::Confirms => "Confirmed",
        StanceKind::Disputes => "Disputed",
    }
}

/// `#label` as inline code.
fn label_code(label: &str) -> String {
    markdown::code(&format!("#{label}"))
}

fn plural(n: u32, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn link_text(url: &str) -> &str {
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    without_scheme.split('/').next().unwrap_or(url)
}

/// `@id` as inline code.
fn at_id(id: &str) -> String {
    markdown::code(&format!("@{id}"))
}

/// Who wrote what in a conflict: each version's name and its lines.
fn conflict_card(text: &str, conflict: &Conflict) -> String {
    let names = conflict.version_names();
    let mut card = format!("**Unresolved conflict** between {} versions", names.len());
    for (name, version) in names.iter().zip(&conflict.versions) {
        let content = &text[version.content.clone()];
        let shown = if content.trim().is_empty() {
            "*(nothing)*".to_owned()
        } else {
            markdown::code_block(content)
        };
        card.push_str(&format!("\n\n**{}**:\n\n{shown}", markdown::text(name)));
    }
    card
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::fixture;

    fn check(text: &str, expected: Expect) {
        let fixture = fixture::parse(text);
        let (file, offset) = fixture.cursor();
        let found = hover(&fixture.ws, file, offset).expect("a hover");
        let shown = &fixture.ws.text(file)[found.range.clone()];
        expected.assert_eq(&format!("[{shown}]\n{}", found.markdown));
    }

    const REGISTRY: &str = "//- entities/people.nmk
@lavrov: Sergey Lavrov
  kind: person
  role: Foreign Minister of Russia
  member-of: @russia, @russia.mfa
  aliases: Lavrov, Sergei Lavrov
  url: https://en.wikipedia.org/wiki/Sergey_Lavrov
  wikidata: Q7747
  note: Minister since 2004
  x-telegram: @MID_Russia [t](command:x)

@russia: Russia
  kind: country
";

    #[test]
    fn the_busiest_files_are_listed_first_ties_in_path_order() {
        // Files named against the order they are added in, and ties at
        // the fifth place: the listed five are picked from all of them.
        let uses = [
            ("h", 1),
            ("g", 3),
            ("f", 1),
            ("e", 2),
            ("d", 1),
            ("c", 3),
            ("b", 1),
            ("a", 1),
        ];
        let articles: String = (uses.iter())
            .map(|(name, n)| format!("//- articles/{name}.nmk\n{}\n", "@lavrov ".repeat(*n)))
            .collect();
        let fixture = fixture::parse(&format!(
            "{REGISTRY}{articles}//- articles/z.nmk\n@lav$0rov\n"
        ));
        let (file, offset) = fixture.cursor();
        let markdown = hover(&fixture.ws, file, offset).unwrap().markdown;
        let listed: Vec<&str> = markdown.lines().filter(|l| l.starts_with("- ")).collect();
        assert_eq!(
            listed,
            [
                "- `articles/c.nmk`: 0 mentions, 0 claims",
                "- `articles/g.nmk`: 0 mentions, 0 claims",
                "- `articles/e.nmk`: 0 mentions, 0 claims",
                "- `articles/a.nmk`: 0 mentions, 0 claims",
                "- `articles/b.nmk`: 0 mentions, 0 claims",
                "- and 4 files more",
            ]
        );
    }

    #[test]
    fn mention_shows_the_entity_card_with_counts() {
        check(
            &format!(
                "{REGISTRY}//- articles/a.nmk\n[The minister]@lav$0rov said {{x | @lavrov}} and {{y | @lavrov}}.\n//- articles/b.nmk\n[Lavrov]@lavrov\n"
            ),
            expect![[r#"
                [[The minister]@lavrov]
                **Sergey Lavrov** · person · `@lavrov`

                Foreign Minister of Russia  
                Member of: Russia (`@russia`), `@russia.mfa` (not defined)  
                Also known as: Lavrov, Sergei Lavrov  
                `note`: Minister since 2004  
                `x-telegram`: @MID\_Russia \[t\]\(command:x\)  
                [en.wikipedia.org](https://en.wikipedia.org/wiki/Sergey_Lavrov) · [Wikidata Q7747](https://www.wikidata.org/wiki/Q7747)

                Defined in `entities/people.nmk`, line 1

                2 mentions · 2 claims sourced to it, in 2 files
                - `articles/a.nmk`: 1 mention, 2 claims
                - `articles/b.nmk`: 1 mention, 0 claims
            "#]],
        );
    }

    #[test]
    fn definition_and_source_hover_the_same_card() {
        let text = format!("{REGISTRY}//- a.nmk\n{{x | @rus$0sia}}\n");
        let fixture = fixture::parse(&text);
        let (file, offset) = fixture.cursor();
        let on_source = hover(&fixture.ws, file, offset).unwrap();
        let registry = fixture.file("entities/people.nmk");
        let definition_offset = fixture.ws.text(registry).find("@russia:").unwrap() + 2;
        let on_definition = hover(&fixture.ws, registry, definition_offset).unwrap();
        assert_eq!(on_source.markdown, on_definition.markdown);
        assert!(
            on_source
                .markdown
                .starts_with("**Russia** · country · `@russia`")
        );
    }

    #[test]
    fn claim_shows_its_sources_or_that_it_is_unsourced() {
        check(
            &format!("{REGISTRY}//- a.nmk\n{{\"unbreakable$0 ties\" | @lavrov, @kcna}}\n"),
            expect![[r#"
                [{"unbreakable ties" | @lavrov, @kcna}]
                **Direct quote** attributed to:

                - Sergey Lavrov (`@lavrov`, person)
                - `@kcna` (not defined)
            "#]],
        );
        check(
            "//- a.nmk\n{Munitions were $0supplied}\n",
            expect![[r#"
                [{Munitions were supplied}]
                **Unsourced claim**

                Nobody is on record for it: add `| @source` before the closing `}`."#]],
        );
    }

    #[test]
    fn claim_shows_chains_label_hedges_and_stances() {
        let article = "//- a.nmk\n{Munitions ~[allegedly] were sh$0ipped | @lavrov via @kcna, @us}#munitions {No | @seoul denies #munitions}\n";
        check(
            &format!("{REGISTRY}{article}"),
            expect![[r#"
                [{Munitions ~[allegedly] were shipped | @lavrov via @kcna, @us}#munitions]
                **Claim** attributed to:

                - Sergey Lavrov (`@lavrov`, person), via `@kcna` (not defined)
                - `@us` (not defined)

                - Label `#munitions`
                - Hedged (1 cue)
                - Denied by `@seoul`
            "#]],
        );
        check(
            &format!(
                "{REGISTRY}//- a.nmk\n{{A | @x}}#munitions {{No | @seoul denies #muni$0tions}}\n"
            ),
            expect![[r#"
                [#munitions]
                **Claim** attributed to:

                - `@x` (not defined)

                - Label `#munitions`
                - Denied by `@seoul`
            "#]],
        );
    }

    #[test]
    fn code_in_an_ignore_directive_shows_the_rule_doc() {
        let fixture = fixture::parse("//- a.nmk\n{x} %% ignore: unsourced-cl$0aim\n");
        let (file, offset) = fixture.cursor();
        let found = hover(&fixture.ws, file, offset).unwrap();
        assert!(
            found.markdown.starts_with(
                "**`unsourced-claim`** (warning by default)\n\nA claim with no source"
            )
        );
    }

    #[test]
    fn hostile_registry_content_renders_inert() {
        let registry = "//- entities/x`)[x](command:foo).nmk
@evil: )[x](command:foo) <img src=x onerror=alert(1)>
  kind: **person**](command:k)
  role: # heading
  aliases: ![i](file:///etc/passwd), a&amp;b
  url: javascript:alert(1)
  wikidata: Q1) [x](command:y
  member-of: @evil2

@evil2: `code` [g](command:g)
  url: https://example.org/a)[x](command:foo)
  wikidata: Q0
";
        check(
            &format!("{registry}//- articles/a.nmk\n{{x | @ev$0il}}\n"),
            expect![[r#"
                [@evil]
                **\)\[x\]\(command:foo\) \<img src=x onerror=alert\(1\)\>** · \*\*person\*\*\]\(command:k\) · `@evil`

                \# heading  
                Member of: \`code\` \[g\]\(command:g\) (`@evil2`)  
                Also known as: \!\[i\]\(file:///etc/passwd\), a\&amp;b  
                javascript:alert\(1\) · Wikidata Q1\) \[x\]\(command:y

                Defined in ``entities/x`)[x](command:foo).nmk``, line 1

                0 mentions · 1 claim sourced to it, in 1 file
                - `articles/a.nmk`: 0 mentions, 1 claim
            "#]],
        );
        check(
            &format!("{registry}//- articles/a.nmk\n{{x | @ev$0il2}}\n"),
            expect![[r#"
                [@evil2]
                **\`code\` \[g\]\(command:g\)** · `@evil2`

                [example.org](https://example.org/a%29[x]%28command:foo%29) · Wikidata Q0

                Defined in ``entities/x`)[x](command:foo).nmk``, line 9

                0 mentions · 1 claim sourced to it, in 2 files
                - `articles/a.nmk`: 0 mentions, 1 claim
                - ``entities/x`)[x](command:foo).nmk``: 0 mentions, 0 claims
            "#]],
        );
        check(
            &format!("{registry}//- articles/a.nmk\n{{x$0 | @evil, @evil2}}\n"),
            expect![[r#"
                [{x | @evil, @evil2}]
                **Claim** attributed to:

                - \)\[x\]\(command:foo\) \<img src=x onerror=alert\(1\)\> (`@evil`, \*\*person\*\*\]\(command:k\))
                - \`code\` \[g\]\(command:g\) (`@evil2`)
            "#]],
        );
        check(
            "//- a.nmk\n{x} %% ignore: x`y$0\n",
            expect![[r#"
                [x`y]
                ``x`y`` is not a Newsmark diagnostic code."#]],
        );
    }

    #[test]
    fn undefined_id_says_so() {
        check(
            "//- a.nmk\nMet @no$0body.\n",
            expect![[r#"
            [@nobody]
            **`@nobody`** is not defined in any file of this workspace."#]],
        );
    }

    #[test]
    fn a_conflict_marker_shows_who_wrote_what() {
        check(
            "//- a.nmk\n<<<<<<< <script>x</script>\n{Shipped | @us}\n======= ``bob`` *\n```\nfenced\n=======\n>>>>>>> $0carol\n",
            expect![[r#"
                [<<<<<<< <script>x</script>]
                **Unresolved conflict** between 3 versions

                **\<script\>x\</script\>**:

                ```newsmark
                {Shipped | @us}
                ```

                **\`\`bob\`\` \***:

                ````newsmark
                ```
                fenced
                ````

                **carol**:

                *(nothing)*"#]],
        );
    }
}
