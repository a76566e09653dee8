//! The typed view over real parses: every construct and its ranges.

use newsmark_syntax::{Block, QuoteKind, Syntax, SyntaxTree, WalkEvent};

fn slice(text: &str, range: std::ops::Range<usize>) -> &str {
    &text[range]
}

#[test]
fn definition_exposes_id_name_and_properties() {
    let text = "@lavrov: Sergey Lavrov  \n  kind: person\n  member-of: @russia, @china\n";
    let tree = SyntaxTree::parse(text);
    let definition = tree.document().definitions().next().unwrap();
    assert_eq!(definition.id().unwrap().as_str(), "lavrov");
    assert_eq!(slice(text, definition.header_id_range()), "@lavrov");
    assert_eq!(definition.name(), Some("Sergey Lavrov"));
    let properties: Vec<(&str, &str)> = definition
        .properties()
        .map(|p| (p.key(), p.value()))
        .collect();
    assert_eq!(
        properties,
        [("kind", "person"), ("member-of", "@russia, @china")]
    );
    assert_eq!(slice(text, definition.trimmed_range()), text.trim_end());
}

#[test]
fn front_matter_properties_and_heading_levels() {
    let text = "---\ntitle: Lavrov in Pyongyang\noutlet: @kcna\n---\n\n### Background\n";
    let tree = SyntaxTree::parse(text);
    let document = tree.document();
    let front_matter = document.front_matter().unwrap();
    assert!(front_matter.is_closed());
    let keys: Vec<&str> = front_matter.properties().map(|p| p.key()).collect();
    assert_eq!(keys, ["title", "outlet"]);
    let Some(Block::Heading(heading)) = document.blocks().next() else {
        panic!("a heading")
    };
    assert_eq!(heading.level(), 3);
    assert_eq!(heading.title(), "Background");
    assert_eq!(slice(text, heading.line_range()), "### Background");
}

#[test]
fn mention_surface_and_target() {
    let text = "He met [Sergey Lavrov]@lavrov. []@kim";
    let tree = SyntaxTree::parse(text);
    let mentions: Vec<_> = tree
        .walk()
        .filter_map(|event| match event {
            WalkEvent::Enter(Syntax::Mention(m)) => Some(m),
            _ => None,
        })
        .collect();
    assert_eq!(mentions.len(), 2);
    assert_eq!(mentions[0].surface(), "Sergey Lavrov");
    assert_eq!(slice(text, mentions[0].target_range()), "@lavrov");
    assert_eq!(mentions[1].surface(), "");
    assert_eq!(mentions[1].id().unwrap().as_str(), "kim");
}

#[test]
fn claim_text_sources_and_quotes() {
    let text = "{ “strategic” guidance | @choe,\n  @kcna } {unsourced} {}";
    let tree = SyntaxTree::parse(text);
    let claims: Vec<_> = tree
        .walk()
        .filter_map(|event| match event {
            WalkEvent::Enter(Syntax::Claim(c)) => Some(c),
            _ => None,
        })
        .collect();
    assert_eq!(claims[0].trimmed_text(), "“strategic” guidance");
    assert_eq!(claims[0].quotation("").kind, QuoteKind::Partial);
    let sources: Vec<&str> = claims[0]
        .sources()
        .map(|s| s.id().unwrap().as_str())
        .collect();
    assert_eq!(sources, ["choe", "kcna"]);
    assert!(claims[0].has_source_bar() && claims[0].is_closed());
    assert!(!claims[1].has_source_bar());
    assert_eq!(claims[2].trimmed_text(), "");
    let quote = SyntaxTree::parse("{ \"unbreakable\" | @choe}");
    let is_quote = quote
        .walk()
        .any(|e| matches!(e, WalkEvent::Enter(Syntax::Claim(c)) if c.quotation("").kind == QuoteKind::Direct));
    assert!(is_quote);
}

#[test]
fn directive_codes_have_exact_ranges() {
    let text = "Text %% ignore: unsourced-claim,  untagged-mention\n";
    let tree = SyntaxTree::parse(text);
    let directive = tree
        .walk()
        .find_map(|event| match event {
            WalkEvent::Enter(Syntax::Directive(d)) => Some(d),
            _ => None,
        })
        .unwrap();
    let codes = directive.codes();
    assert_eq!(codes.len(), 2);
    assert_eq!(codes[0].0, "unsourced-claim");
    assert_eq!(slice(text, codes[1].1.clone()), "untagged-mention");
    assert_eq!(
        &text[directive.codes_start()..],
        "unsourced-claim,  untagged-mention\n"
    );
}

#[test]
fn walk_enters_and_leaves_in_text_order() {
    let text = "{[A]@a says {b | @c} | @d}";
    let tree = SyntaxTree::parse(text);
    let events: Vec<String> = tree
        .walk()
        .map(|event| match event {
            WalkEvent::Enter(s) => format!("+{}", &text[s.range()]),
            WalkEvent::Leave(s) => format!("-{}", &text[s.range()]),
        })
        .filter(|e| e.len() <= 8)
        .collect();
    assert_eq!(
        events,
        [
            "+[A]@a", "+A", "-A", "-[A]@a", "+b ", "-b ", "+@c", "-@c", "+@d", "-@d"
        ]
    );
}

#[test]
fn deep_nesting_walks_without_recursion() {
    let depth = 100_000;
    let text = format!("{}x{}", "{".repeat(depth), "}".repeat(depth));
    let tree = SyntaxTree::parse(text);
    let claims = tree
        .walk()
        .filter(|e| matches!(e, WalkEvent::Enter(Syntax::Claim(_))))
        .count();
    assert_eq!(claims, depth);
}

#[test]
fn hangul_emoji_and_crlf_ranges_are_byte_exact() {
    let text = "{최선희 외무상은 😀 | @choe}\r\n[김정은]@kim\r\n";
    let tree = SyntaxTree::parse(text);
    let mut seen = Vec::new();
    for event in tree.walk() {
        match event {
            WalkEvent::Enter(Syntax::Claim(c)) => seen.push(c.trimmed_text().to_owned()),
            WalkEvent::Enter(Syntax::Mention(m)) => seen.push(m.surface().to_owned()),
            _ => {}
        }
    }
    assert_eq!(seen, ["최선희 외무상은 😀", "김정은"]);
}

#[test]
fn a_directive_inside_a_broken_reference_is_walked() {
    // Recovery puts the directive inside the reference, beside a MISSING id.
    let tree = SyntaxTree::parse("x\n{claim}@%% ignore: unsourced-claim\n");
    let directives = tree
        .walk()
        .filter(|event| matches!(event, WalkEvent::Enter(Syntax::Directive(_))))
        .count();
    assert_eq!(directives, 1);
}

#[test]
fn unfinished_definitions_and_front_matter_are_recognised() {
    let unfinished = |text: &str| -> Vec<(String, bool)> {
        let tree = SyntaxTree::parse(text);
        tree.walk()
            .filter_map(|event| match event {
                WalkEvent::Enter(Syntax::Unfinished(u)) => {
                    Some((text[u.trimmed_range()].to_owned(), u.is_definition()))
                }
                _ => None,
            })
            .collect()
    };
    // A key typed on the last line, without its `:` yet.
    assert_eq!(
        unfinished("Intro\n\n@a: Alpha\n  ki"),
        [("@a: Alpha\n  ki".to_owned(), true)]
    );
    // Front matter before its closing `---`, up to the blank line.
    assert_eq!(
        unfinished("---\rtitle: T\rda\r\rProse\r"),
        [("---\rtitle: T\rda".to_owned(), false)]
    );
    // Only at the top of the file does `---` open front matter.
    assert!(unfinished("Intro\n\n---\ntitle: T\n").is_empty());
    assert!(unfinished("@a: Alpha\n  kind: person").is_empty());
}
