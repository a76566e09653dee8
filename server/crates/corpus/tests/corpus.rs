//! What the generator promises: the same corpus for the same seed, marks
//! that pair up, ids that the registry defines, stances on labels of the
//! same file, and the Newsmark 2 constructs at their rates. (That the
//! output parses, and which findings `newsmark check` gives on it, is
//! checked with the linter itself: docs/performance.md.)

use std::collections::HashSet;

use newsmark_corpus::{Entity, Rng, Spec, article, clean_article, entities, registry};

const SPEC: Spec = Spec {
    articles: 0,
    article_bytes: 6_000,
    entities: 200,
    entities_per_registry: 200,
    seed: 3,
};

fn articles(findings: bool) -> (Vec<Entity>, String, Vec<String>) {
    let entities = entities(&SPEC);
    let mut rng = Rng::new(5);
    let registry = registry(&entities, &mut rng);
    let texts = (0..200)
        .map(|index| {
            if findings {
                article(index, &entities, SPEC.article_bytes, &mut rng)
            } else {
                clean_article(index, &entities, SPEC.article_bytes, &mut rng)
            }
        })
        .collect();
    (entities, registry, texts)
}

/// The ids after each `@` of `text` (letters, digits, `_`, and `.` or `-`
/// inside), and after each `#` of a label or stance.
fn ids(text: &str, sigil: char) -> Vec<&str> {
    text.match_indices(sigil)
        .map(|(at, _)| {
            let rest = &text[at + 1..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || "_.-".contains(c)))
                .unwrap_or(rest.len());
            rest[..end].trim_end_matches(['.', '-'])
        })
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_corpus() {
    let (first, second) = (articles(true), articles(true));
    assert_eq!((first.1, first.2), (second.1, second.2));
    let entities = entities(&SPEC);
    assert_ne!(
        article(0, &entities, 6_000, &mut Rng::new(5)),
        article(0, &entities, 6_000, &mut Rng::new(6))
    );
}

#[test]
fn marks_pair_up_and_name_defined_ids() {
    let (entities, registry, texts) = articles(true);
    let defined: HashSet<&str> = entities.iter().map(|e| e.id.as_str()).collect();
    assert!(registry.contains("@src-17:\n  kind: anonymous\n"));
    for text in &texts {
        for paragraph in text.split("\n\n") {
            let count = |c| paragraph.matches(c).count();
            assert_eq!(count('{'), count('}'), "{paragraph}");
            assert_eq!(count('['), count(']'), "{paragraph}");
        }
        for id in ids(text, '@') {
            assert!(defined.contains(id), "@{id} is not defined");
        }
        // Labels are unique, and each stance names an earlier one.
        let mut labels = HashSet::new();
        for (at, _) in text.match_indices('#') {
            let name = ids(&text[at..], '#')[0];
            if text[..at].ends_with('}') {
                assert!(labels.insert(name), "#{name} twice");
            } else if [" denies ", " confirms ", " disputes "]
                .iter()
                .any(|stance| text[..at].ends_with(stance))
            {
                assert!(
                    labels.contains(name),
                    "a stance on #{name}, no such label yet"
                );
            }
        }
        // The benchmarks slice a large article in its middle.
        assert!(text.is_char_boundary(text.len() / 2));
    }
}

#[test]
fn clean_articles_have_every_claim_sourced() {
    let (_, _, texts) = articles(false);
    for text in &texts {
        for claim in text.split('{').skip(1) {
            assert!(claim.split('}').next().unwrap().contains(" | @"), "{claim}");
        }
    }
}

#[test]
fn newsmark_2_constructs_come_at_their_rates() {
    let (entities, registry, texts) = articles(true);
    let all = texts.concat();
    let per_article = |pattern: &str| all.matches(pattern).count() as f64 / texts.len() as f64;
    let sourced = per_article(" | @");
    let rates = [
        ("via", per_article(" via @") / sourced, 0.08..0.2),
        ("label", per_article("}#"), 1.0..3.0),
        (
            "stance",
            per_article(" denies #") + per_article(" confirms #") + per_article(" disputes #"),
            0.15..0.8,
        ),
        ("hedge", per_article("~[") / per_article("{"), 0.03..0.08),
        ("partial quote", per_article(" \"") / sourced, 0.02..0.06),
        ("direct quote", per_article("{“") / sourced, 0.01..0.04),
        ("several entities", per_article("+@"), 0.4..1.5),
        ("split quote", per_article("} — "), 0.1..0.5),
        (
            "bytes",
            all.len() as f64 / texts.len() as f64,
            6_000.0..6_500.0,
        ),
    ];
    for (what, rate, expected) in rates {
        assert!(
            expected.contains(&rate),
            "{what}: {rate:.3} per article or claim"
        );
    }
    for script in [
        |c: char| ('а'..='я').contains(&c),
        |c: char| ('가'..='힣').contains(&c),
    ] {
        let ids = entities.iter().filter(|e| e.id.starts_with(script)).count();
        assert_eq!(ids, entities.len() / 20);
    }
    assert_eq!(
        registry.matches("kind: anonymous").count(),
        entities.len() / 20
    );
}

/// The second annotator of `newsmark agree`'s benchmark changes a word in
/// about one article in ten, re-links a mention in one in thirty-three and
/// drops a claim's sources in one in fifty, and leaves the rest as it was.
#[test]
fn a_second_annotator_changes_a_few_articles_in_each_way() {
    let (entities, _, texts) = articles(true);
    let (mut words, mut links, mut sources, mut same) = (0, 0, 0, 0);
    for (index, text) in texts.iter().enumerate() {
        let second = newsmark_corpus::second_annotator(index, text, &entities, SPEC.seed);
        let sourced = |t: &str| t.matches(" | @").count();
        words +=
            usize::from(second.matches("diplomats").count() > text.matches("diplomats").count());
        sources += usize::from(sourced(&second) + 1 == sourced(text));
        links +=
            usize::from(sourced(&second) == sourced(text) && ids(&second, '@') != ids(text, '@'));
        same += usize::from(second == *text);
    }
    assert!(
        (8..=40).contains(&words),
        "{words} of 200 with a word changed"
    );
    assert!((1..=15).contains(&links), "{links} of 200 re-linked");
    assert!(
        (1..=10).contains(&sources),
        "{sources} of 200 with sources dropped"
    );
    assert!(same >= 140, "{same} of 200 unchanged");
}
