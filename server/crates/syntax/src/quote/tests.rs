use super::*;

/// The kind and the quoted words of `text`, alone in its paragraph.
fn read(text: &str) -> (QuoteKind, Vec<&str>) {
    read_after("", text)
}

fn read_after<'t>(before: &str, text: &'t str) -> (QuoteKind, Vec<&'t str>) {
    let quotation = quotation(text, before);
    let words = quotation
        .fragments
        .iter()
        .map(|f| &text[f.clone()])
        .collect();
    (quotation.kind, words)
}

use QuoteKind::{Direct, None, Partial};

#[test]
fn every_pair_of_marks_quotes() {
    for text in [
        "\"unbreakable\"",
        "'unbreakable'",
        "“unbreakable”",
        "‘unbreakable’",
        "„unbreakable“",
        "‚unbreakable‘",
        "«unbreakable»",
        "»unbreakable«",
        "‹unbreakable›",
        "「unbreakable」",
        "『unbreakable』",
        "《unbreakable》",
        "〈unbreakable〉",
    ] {
        assert_eq!(read(text), (Direct, vec!["unbreakable"]), "{text}");
    }
}

#[test]
fn french_spacing_inside_guillemets() {
    assert_eq!(read("« Nous avançons »"), (Direct, vec!["Nous avançons"]));
}

#[test]
fn a_speech_tag_splits_a_quote_into_fragments() {
    assert_eq!(
        read("“strategic,” he said, “and historic”"),
        (Direct, vec!["strategic,", "and historic"])
    );
}

#[test]
fn british_punctuation_after_the_closing_mark_is_direct() {
    assert_eq!(read("\"strategic\"."), (Direct, vec!["strategic"]));
    assert_eq!(read("«стратегическое»."), (Direct, vec!["стратегическое"]));
}

#[test]
fn quoted_words_in_a_paraphrase_are_a_partial_quote() {
    assert_eq!(
        read("it will \"fully reconsider the nuclear issue\" soon"),
        (Partial, vec!["fully reconsider the nuclear issue"])
    );
    assert_eq!(
        read("“We will respond,” he said"),
        (Partial, vec!["We will respond,"])
    );
}

#[test]
fn apostrophes_are_not_quotation_marks() {
    for text in [
        "Korea's leader said it's fine",
        "Korea’s leader said it’s fine",
        "the ministers' meeting went on",
        "the ministers’ meeting went on",
    ] {
        assert_eq!(read(text), (None, vec![]), "{text}");
    }
}

#[test]
fn nested_quotes_are_one_fragment() {
    assert_eq!(
        read("“He said ‘no’ and left”"),
        (Direct, vec!["He said ‘no’ and left"])
    );
    assert_eq!(
        read("«Он сказал „нет“ и ушёл»"),
        (Direct, vec!["Он сказал „нет“ и ушёл"])
    );
}

#[test]
fn a_split_quote_is_two_halves_of_one_quotation() {
    let first = quotation("«Нельзя отложить то,", "");
    let second = quotation("о чём не договаривались»", "— сказал он —");
    assert_eq!((first.kind, first.left_open), (Direct, Some('«')));
    assert_eq!((second.kind, second.continues), (Direct, true));
    assert!(first.continued_by(&second));
    assert!(!second.continued_by(&first));
    let german = quotation("Wir schaffen das“", "");
    assert!(quotation("„Das Land ist stark,", "").continued_by(&german));
}

#[test]
fn a_closing_mark_before_punctuation_ends_the_second_half() {
    for (text, words) in [
        ("о чём не договаривались».", "о чём не договаривались"),
        ("nicht verhandelt“, sagte er", "nicht verhandelt"),
        ("and historic\", he added", "and historic"),
    ] {
        let second = quotation(text, "");
        assert!(second.continues, "{text}");
        assert_eq!(second.left_open, Option::None, "{text}");
        assert_eq!(&text[second.fragments[0].clone()], words, "{text}");
    }
    assert_eq!(
        read("о чём не договаривались»."),
        (Direct, vec!["о чём не договаривались"])
    );
}

#[test]
fn a_run_of_opening_marks_costs_its_length() {
    let text = format!("{}x", "«".repeat(200_000));
    let started = std::time::Instant::now();
    let quotation = quotation(&text, "");
    assert_eq!(quotation.left_open, Some('«'));
    // Quadratic, it took seconds; linear, a few milliseconds.
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
}

#[test]
fn a_quote_over_paragraphs_reopens_each_paragraph() {
    let first = quotation("“We have agreed on the schedule.", "");
    let middle = quotation("“The details will follow.", "");
    let last = quotation("“Nothing was signed.”", "");
    assert!(first.continued_by(&middle));
    assert!(middle.continued_by(&last));
    assert!(!last.continued_by(&first));
    assert_eq!(last.kind, Direct);
    // A new quotation with another mark does not carry the old one on.
    assert!(!first.continued_by(&quotation("«Нет»", "")));
}

#[test]
fn a_dialogue_dash_opens_speech_and_spaced_dashes_alternate_with_the_narrator() {
    assert_eq!(
        read(
            "— Нельзя отложить то, о чём не договаривались, — сказал Рябков. — Встреча требует подготовки."
        ),
        (
            Direct,
            vec![
                "Нельзя отложить то, о чём не договаривались,",
                "Встреча требует подготовки."
            ]
        )
    );
    // The claim starts after the dash.
    assert_eq!(
        read_after("— ", "Встреча требует подготовки"),
        (Direct, vec!["Встреча требует подготовки"])
    );
    assert_eq!(read("– Vi kommer, – sa han"), (Partial, vec!["Vi kommer,"]));
    // Not at the start of the paragraph: an ordinary dash.
    assert_eq!(
        read_after("Он заявил ", "— встреча требует подготовки"),
        (None, vec![])
    );
    // A hyphenated word is not a dash.
    assert_eq!(read("Kim-Putin talks"), (None, vec![]));
}

#[test]
fn an_unclosed_mark_in_a_sentence_quotes_to_the_end() {
    let half = quotation("it will \"fully reconsider", "");
    assert_eq!(half.kind, Partial);
    assert_eq!(half.left_open, Some('"'));
}

#[test]
fn empty_and_markless_texts_quote_nothing() {
    for text in ["", "  ", "\"\"", "plain words", "\"", "«»"] {
        assert_eq!(read(text).0, None, "{text:?}");
    }
}

#[test]
fn hangul_emoji_and_line_breaks_keep_byte_ranges() {
    let text = "「북한은 🚀 발사를\r\n계속할 것」";
    let quotation = quotation(text, "");
    assert_eq!(quotation.kind, Direct);
    assert_eq!(
        &text[quotation.fragments[0].clone()],
        "북한은 🚀 발사를\r\n계속할 것"
    );
}

/// The seed article (`shared/seeds/lavrov-pyongyang.txt`): one paragraph
/// holds two quoted fragments; the possessives elsewhere quote nothing.
#[test]
fn the_seed_article() {
    let quoted = "At a subsequent reception, North Korean Foreign Minister Choe Son Hui conveyed that the two nations were cultivating an \"unbreakable comradely relationship\" under the \"strategic\" guidance of Kim and Putin, according to the North's official Korean Central News Agency.";
    assert_eq!(
        read(quoted),
        (
            Partial,
            vec!["unbreakable comradely relationship", "strategic"]
        )
    );
    let possessives = "Lavrov, in his address, expressed Russia's profound appreciation for North Korea's unwavering and principled support in its conflict with Ukraine, as well as North Korea's decision to recognize the independence of Russian-backed separatist regions in eastern Ukraine, according to statements from Russia's Foreign Ministry.";
    assert_eq!(read(possessives), (None, vec![]));
}
