//! Syntax errors: each kind of broken markup gets a message that says what
//! to do, on the range that needs fixing.

use newsmark_syntax::SyntaxTree;

/// (error text, start of message) for each error in `text`.
fn errors(text: &str) -> Vec<(String, String)> {
    SyntaxTree::parse(text)
        .errors()
        .into_iter()
        .map(|e| {
            (
                text[e.range].to_owned(),
                e.message.chars().take(24).collect(),
            )
        })
        .collect()
}

#[test]
fn unclosed_claim_points_at_its_brace() {
    assert_eq!(
        errors("Reports said {North Korea supplied munitions\n\nNext.\n"),
        [("{".into(), "unclosed `{`: close the ".into())]
    );
}

#[test]
fn nested_unclosed_claims_point_at_the_outer_brace() {
    assert_eq!(
        errors("Sixth {a {b nested\n\nNext.\n"),
        [("{".into(), "unclosed `{`: close the ".into())]
    );
}

#[test]
fn unclosed_bracket() {
    assert_eq!(
        errors("He met [Sergey Lavrov in Pyongyang.\n\nNext.\n"),
        [("[".into(), "unclosed `[`: close it w".into())]
    );
}

#[test]
fn bar_without_source() {
    let found = errors("{Munitions were supplied |}\n");
    assert_eq!(found.len(), 1);
    assert!(found[0].1.starts_with("`|` must be followed"), "{found:?}");
}

#[test]
fn mistakes_in_a_list_of_sources_say_what_they_are() {
    for (text, at, message) in [
        (
            "{Shipped | @lavrov @rubio}\n",
            "@rubio",
            newsmark_syntax::MISSING_COMMA,
        ),
        (
            "{Shipped | @lavrov,}\n",
            ",",
            newsmark_syntax::TRAILING_COMMA,
        ),
        (
            "{Shipped | @lavrov | @rubio}\n",
            "| @rubi",
            newsmark_syntax::SECOND_BAR,
        ),
    ] {
        let tree = SyntaxTree::parse(text);
        let found = tree.errors();
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        assert_eq!(found[0].message, message, "{text:?}");
        assert!(
            text[found[0].range.clone()].starts_with(at),
            "{text:?}: {found:?}"
        );
    }
    // Look-alikes with no plain repair keep the general messages.
    let special = [
        newsmark_syntax::MISSING_COMMA,
        newsmark_syntax::TRAILING_COMMA,
        newsmark_syntax::SECOND_BAR,
    ];
    for text in [
        "{Shipped | @lavrov @}\n",
        "{Shipped | @lavrov, rubio}\n",
        "{Shipped | @lavrov |}\n",
    ] {
        let tree = SyntaxTree::parse(text);
        let found = tree.errors();
        assert!(!found.is_empty(), "{text:?}");
        assert!(
            !found.iter().any(|e| special.contains(&e.message.as_str())),
            "{text:?}: {found:?}"
        );
    }
}

#[test]
fn stray_closers() {
    assert_eq!(
        errors("A stray } brace.\n"),
        [("}".into(), "stray `}`: no claim is o".into())]
    );
    assert_eq!(
        errors("A stray ] bracket.\n"),
        [("]".into(), "stray `]`: no bracket is".into())]
    );
}

#[test]
fn bad_ids() {
    for text in ["Said @-lavrov today.\n", "Meet me @ noon.\n"] {
        let found = errors(text);
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        assert!(found[0].0.starts_with('@'), "{found:?}");
        assert!(found[0].1.starts_with("`@` must be followed"), "{found:?}");
    }
}

#[test]
fn a_definition_may_leave_out_its_display_name() {
    // Numbered anonymous sources: the id stands for the name.
    assert_eq!(errors("@src-1:\n  kind: anonymous\n\n@src-2:\n"), []);
}

#[test]
fn bad_property_line() {
    let found = errors("@lavrov: Sergey Lavrov\n  - not a property\n");
    assert_eq!(found.len(), 1);
    assert!(found[0].1.starts_with("expected a property"), "{found:?}");
}

#[test]
fn unclosed_front_matter() {
    let found = errors("---\ntitle: Never closed\n\nText.\n");
    assert_eq!(found.len(), 1);
    assert!(found[0].1.starts_with("front matter is not c"), "{found:?}");
}

#[test]
fn valid_text_has_no_errors() {
    let text =
        "---\ntitle: T\n---\n\n# H\n\n@a: A\n  kind: person\n\n[A]@a said {x | @a}. \\{ %% c\n";
    assert!(SyntaxTree::parse(text).errors().is_empty());
}

#[test]
fn a_parse_past_its_deadline_reports_a_syntax_error() {
    let text = "{a | @b} ".repeat(200_000);
    let tree = SyntaxTree::parse_with(text, None, std::time::Duration::ZERO);
    assert!(tree.was_cut_short());
    let errors = tree.errors();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].message.starts_with("parsing stopped after"),
        "{}",
        errors[0].message
    );
    assert_eq!(tree.document().blocks().count(), 0);
}

#[test]
fn a_text_over_the_size_limit_is_not_parsed() {
    let text = "{a | @b}\n".repeat(newsmark_syntax::MAX_PARSED_BYTES / 9 + 1);
    let started = std::time::Instant::now();
    let tree = SyntaxTree::parse(text.as_str());
    // Not even started: a parse this size takes seconds.
    assert!(started.elapsed() < std::time::Duration::from_millis(500));
    assert!(tree.was_cut_short());
    let errors = tree.errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].message,
        format!(
            "the file is too large to check: {} bytes, and files over 16 MB are not parsed",
            text.len()
        )
    );
    assert_eq!(tree.document().blocks().count(), 0);
}

#[test]
fn a_file_that_is_one_error_still_reports_it() {
    let text = "{".repeat(100_000);
    let tree = SyntaxTree::parse(text.as_str());
    let errors = tree.errors();
    assert!(
        !errors.is_empty(),
        "{}",
        &tree.to_sexp()[..60.min(tree.to_sexp().len())]
    );
    assert!(
        errors[0].message.starts_with("unclosed `{`"),
        "{}",
        errors[0].message
    );
}

#[test]
fn half_typed_newsmark_2_marks_say_what_is_missing() {
    let full = |text: &str| -> Vec<(String, String)> {
        (SyntaxTree::parse(text).errors().into_iter())
            .map(|e| (text[e.range].to_owned(), e.message))
            .collect()
    };
    let chain = full("{Shipped | @jon via}\n");
    assert_eq!(chain.len(), 1, "{chain:?}");
    assert_eq!(chain[0].0, "via");
    assert!(
        chain[0]
            .1
            .starts_with("`via` must be followed by who carried the words"),
        "{chain:?}"
    );

    let conduit = full("{Shipped | @jon via @}\n");
    assert_eq!(conduit.len(), 1, "{conduit:?}");
    assert!(
        conduit[0]
            .1
            .starts_with("`@` must be followed by an entity id (letters of one script"),
        "{conduit:?}"
    );

    let stance = full("{False | @seoul denies}\n");
    assert_eq!(stance.len(), 1, "{stance:?}");
    assert!(
        stance[0]
            .1
            .starts_with("`denies` must be followed by the label of a claim"),
        "{stance:?}"
    );

    let bare_hash = full("{False | @seoul denies #}\n");
    assert_eq!(bare_hash.len(), 1, "{bare_hash:?}");
    assert_eq!(bare_hash[0].0, "#");
    assert!(
        bare_hash[0]
            .1
            .starts_with("`#` must be followed by a claim label"),
        "{bare_hash:?}"
    );

    // Version 1 text stays text: a `#` or `+` that starts no mark.
    assert_eq!(full("{Shipped}# and more. [C]@c++ and [Two]@a+ met.\n"), []);

    let plus = full("[The two]@lavrov+@ met.\n");
    assert_eq!(plus.len(), 1, "{plus:?}");
    assert_eq!(plus[0].0, "+@");
    assert!(
        plus[0]
            .1
            .starts_with("`+@` after a mention must be followed by another entity id"),
        "{plus:?}"
    );
}
