//! `newsmark import`: round trips through the brat, Label Studio, doccano
//! and INCEpTION exports on the examples, the fixtures (Hangul, emoji,
//! CRLF, lone CR) and random documents; a hand-written brat sample using
//! every brat feature, each mapped or reported; and bad or hostile input
//! of each format, reported with its file and line.

use std::fs;
use std::path::{Path, PathBuf};

use insta::assert_snapshot;
use newsmark_analysis::export::{ClaimSpan, MentionSpan, PlainDocument, Span};
use newsmark_analysis::markup_writer::write_article;
use newsmark_syntax::StanceKind;
use proptest::prelude::*;

use crate::support::{copy_dir, examples, fixture, newsmark, run};

// The markup writer's random documents (the types above are theirs).
#[path = "../../server/crates/analysis/src/markup_writer/random_documents.rs"]
mod random_documents;

/// Every file below `dir`, by relative path, with its text.
fn files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let text = fs::read_to_string(&path).unwrap();
                found.push((path.strip_prefix(dir).unwrap().to_owned(), text));
            }
        }
    }
    found.sort();
    found
}

/// A format that Newsmark both exports and imports.
#[derive(Debug, Clone, Copy)]
enum Format {
    Brat,
    LabelStudio,
    Doccano,
    Inception,
}

const FORMATS: [Format; 4] = [
    Format::Brat,
    Format::LabelStudio,
    Format::Doccano,
    Format::Inception,
];

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Brat => "brat",
            Format::LabelStudio => "label-studio",
            Format::Doccano => "doccano",
            Format::Inception => "inception",
        }
    }

    /// Where an export named `name` goes in `dir`: a folder, or doccano's
    /// JSONL file.
    fn output(self, dir: &Path, name: &str) -> PathBuf {
        match self {
            Format::Doccano => dir.join(format!("{name}.jsonl")),
            Format::Brat | Format::LabelStudio | Format::Inception => dir.join(name),
        }
    }
}

fn export(corpus: &Path, format: Format, out: &Path, extra: &[&str]) {
    let (code, _) = run(newsmark(corpus)
        .args(["export", ".", "--format", format.name(), "--out"])
        .arg(out)
        .args(extra));
    assert_eq!(code, 0, "{format:?} export of {}", corpus.display());
}

/// Imports `input` into `out`; the exit code and the report.
fn import(input: &Path, format: Format, out: &Path) -> (i32, String) {
    run(newsmark(input.parent().unwrap())
        .args(["import", "--from", format.name()])
        .arg(input)
        .arg("--out")
        .arg(out))
}

/// The files of an export: a folder's, or one file.
fn output_files(path: &Path) -> Vec<(PathBuf, String)> {
    if path.is_dir() {
        files(path)
    } else {
        vec![(PathBuf::new(), fs::read_to_string(path).unwrap())]
    }
}

/// export → import → export gives the same files, and import → export →
/// import the same articles and registry.
fn assert_round_trips(corpus: &Path, format: Format) {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    let (first, second) = (
        format.output(dir.path(), "a"),
        format.output(dir.path(), "b"),
    );
    export(corpus, format, &first, &[]);
    let (code, report) = import(&first, format, &path("nmk"));
    assert!(!report.contains("not imported"), "{format:?}: {report}");
    assert!(
        code == 0 || report.contains("warning"),
        "{format:?}: {report}"
    );
    export(&path("nmk"), format, &second, &[]);
    assert_eq!(
        output_files(&first),
        output_files(&second),
        "{format:?}: {}",
        corpus.display()
    );
    import(&second, format, &path("nmk2"));
    assert_eq!(
        files(&path("nmk")),
        files(&path("nmk2")),
        "{format:?}: {}",
        corpus.display()
    );
}

#[test]
fn round_trips_on_the_examples() {
    for format in FORMATS {
        assert_round_trips(&examples(), format);
    }
}

#[test]
fn round_trips_on_the_fixtures() {
    let fixtures = fixture("workspace").join("../..");
    // CRLF and Hangul; Hangul and emoji; Newsmark 2; annotators' copies
    // (lone CR line ends in kirby-containers.nmk).
    for corpus in [
        "workspace",
        "cli/workspace",
        "newsmark-2",
        "annotators/alice",
        "annotators/bob",
        "v1-examples",
    ] {
        for format in FORMATS {
            assert_round_trips(&fixtures.join(corpus), format);
        }
    }
}

/// `document` without what `newsmark check` rejects as errors and no
/// export keeps: a label given twice (the later claims lose it), a
/// stance on a label no claim has.
fn well_formed(mut document: PlainDocument) -> PlainDocument {
    let mut labels = Vec::new();
    for claim in &mut document.claims {
        match &claim.label {
            Some(label) if labels.contains(label) => claim.label = None,
            Some(label) => labels.push(label.clone()),
            None => {}
        }
    }
    for claim in &mut document.claims {
        claim.stances.retain(|(_, label)| labels.contains(label));
    }
    document
}

proptest! {
    // Each case runs the binary eight times: enough cases to meet every
    // kind of part, few enough to keep the suite fast.
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// Random documents, written as articles, exported to every format
    /// that Newsmark also reads and imported back: the same articles (so
    /// a second export is the first's, and a second import the first's).
    #[test]
    fn random_documents_round_trip(
        documents in prop::collection::vec(random_documents::documents().prop_map(well_formed), 1..4)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        fs::create_dir_all(&corpus).unwrap();
        let mut articles = Vec::new();
        for (n, document) in documents.iter().enumerate() {
            let written = write_article(&[], document);
            prop_assert_eq!(&written.not_written, &Vec::new(), "{}", written.source);
            let path = PathBuf::from(format!("a{n}.nmk"));
            fs::write(corpus.join(&path), &written.source).unwrap();
            articles.push((path, written.source));
        }
        for format in FORMATS {
            let exported = format.output(dir.path(), format.name());
            export(&corpus, format, &exported, &[]);
            let out = dir.path().join(format!("{}-nmk", format.name()));
            let (_, report) = import(&exported, format, &out);
            prop_assert!(!report.contains("not imported"), "{:?}: {}", format, report);
            let back: Vec<(PathBuf, String)> = (files(&out).into_iter())
                .filter(|(path, _)| !["entities.nmk", "newsmark.toml"].contains(&path.to_str().unwrap()))
                .collect();
            prop_assert_eq!(&back, &articles, "{:?}", format);
        }
    }
}

/// A CRLF text with Hangul and an emoji (brat counts code points, the
/// `\r\n` as two), annotated with every kind of brat line, some broken,
/// and no `annotation.conf`.
const SAMPLE_TXT: &str = "Seoul said 북한이 allegedly sent shells 🚀 to Russia.\r\n\r\n\"We deny it,\" Zakharova said. Захарова added [sic] 100%% more.\r\n";

const SAMPLE_ANN: &str = "\
T1\tcountry 0 5\tSeoul
T2\tClaim 11 48\t북한이 allegedly sent shells 🚀 to Russia
T3\tHedgeCue 15 24\tallegedly
T4\tcountry 11 13\t북한
T5\tcountry 42 48\tRussia
N1\tReference T5 Wikidata:Q159\tRussia
R1\tAttributedTo Arg1:T2 Arg2:T1
A1\tHedged T2
T6\tperson 67 76\tZakharova
T7\tClaim 53 66\t\"We deny it,\"
T8\tQuoted 54 65\tWe deny it,
A2\tQuote T7 direct
R2\tAttributedTo Arg1:T7 Arg2:T6
R3\tDenies Arg1:T7 Arg2:T2
T9\tClaim 67 81;83 97\tZakharova said Захарова added
R4\tAttributedTo Arg1:T9 Arg2:T6
T10\tperson 42 49\tRussia.
T11\tperson 83 91\tЗахарова
N2\tReference T11 GeoNames:123\tZakharova
T12\tAttack 25 29\tsent
E1\tAttack:T12 Target:T5
A3\tCertainty T2 High
#1\tAnnotatorNotes T1\tchecked against KCNA
R5\tLocated Arg1:T1 Arg2:T5
*\tEquiv T1 T6
T13\tcountry 0 5\tSeul
T14\tperson 0 99\tbeyond
this is not a brat line
*\tEquiv T1
E2
E3\tAttack:T99 Target
";

fn sample(dir: &Path) -> PathBuf {
    let brat = dir.join("sample");
    fs::create_dir_all(brat.join("news")).unwrap();
    fs::write(brat.join("news/doc.txt"), SAMPLE_TXT).unwrap();
    fs::write(brat.join("news/doc.ann"), SAMPLE_ANN).unwrap();
    brat
}

#[test]
fn every_brat_feature_is_mapped_or_reported() {
    let dir = tempfile::tempdir().unwrap();
    let brat = sample(dir.path());
    let (code, report) = import(&brat, Format::Brat, Path::new("out"));
    assert_eq!(code, 1, "something was not representable");
    assert_snapshot!("brat_sample_report", report);
    let out = dir.path().join("out");
    assert_snapshot!(
        "brat_sample_article",
        fs::read_to_string(out.join("news/doc.nmk")).unwrap()
    );
    assert_snapshot!(
        "brat_sample_registry",
        fs::read_to_string(out.join("entities.nmk")).unwrap()
    );
    assert_eq!(
        fs::read_to_string(out.join("newsmark.toml")).unwrap(),
        "# Written by `newsmark import`.\nregistry = \"entities.nmk\"\n"
    );
    // The CRLF text is laid out as an export lays it out.
    export(&out, Format::Brat, &dir.path().join("again"), &[]);
    let text = fs::read_to_string(dir.path().join("again/news/doc.txt")).unwrap();
    assert_eq!(
        text,
        SAMPLE_TXT.replace("\r\n\r\n", "\n\n").replace("\r\n", "\n")
    );
}

/// The hand-written brat sample (tests/fixtures/brat-sample): a news
/// attribution project with its annotation.conf, an English text (CRLF,
/// with Hangul and an emoji) and a Russian one, using every kind of brat
/// line: spans (one discontinuous), relations, events (speech, a denial,
/// one the mapping does not name), binary and valued attributes, legacy
/// modifiers, notes, normalisations and equivalences. What Newsmark
/// cannot hold is reported line by line; the rest round-trips through
/// `newsmark export --format brat`.
#[test]
fn a_brat_attribution_project_imports_through_its_conf() {
    let dir = tempfile::tempdir().unwrap();
    let sample = dir.path().join("brat-sample");
    copy_dir(&fixture("../brat-sample"), &sample);
    let txt = fs::read_to_string(sample.join("en/kcna-launchers.txt")).unwrap();
    assert_eq!(txt.matches("\r\n").count(), 7, "the fixture keeps its CRLF");
    let (code, report) = import(&sample, Format::Brat, Path::new("out"));
    assert_eq!(code, 1, "something was not representable: {report}");
    assert_snapshot!("brat_project_report", report);
    let out = dir.path().join("out");
    assert_snapshot!(
        "brat_project_article_en",
        fs::read_to_string(out.join("en/kcna-launchers.nmk")).unwrap()
    );
    assert_snapshot!(
        "brat_project_article_ru",
        fs::read_to_string(out.join("ru/zakharova.nmk")).unwrap()
    );
    assert_snapshot!(
        "brat_project_registry",
        fs::read_to_string(out.join("entities.nmk")).unwrap()
    );
    // What was imported comes back the same through a brat export.
    export(&out, Format::Brat, &dir.path().join("again"), &[]);
    let (_, report) = import(&dir.path().join("again"), Format::Brat, Path::new("back"));
    assert!(!report.contains("not imported"), "{report}");
    assert_eq!(files(&out), files(&dir.path().join("back")));
}

/// brat equivalences (`*`): mentions of one entity get one id, across
/// `*` lines that share a mention and with a mention of the same
/// Wikidata id; a member whose given id or Wikidata id is not the
/// others' is left out, and reported.
#[test]
fn equivalent_mentions_get_one_entity() {
    let dir = tempfile::tempdir().unwrap();
    let brat = dir.path().join("brat");
    fs::create_dir_all(&brat).unwrap();
    fs::write(
        brat.join("d.txt"),
        "Kim met aides. Kim Jong Un spoke. He left, the leader said. Choe and Ri came. Seoul said so. South Korea agreed.\n",
    )
    .unwrap();
    fs::write(
        brat.join("d.ann"),
        "T1\tperson 0 3\tKim\nT2\tperson 15 26\tKim Jong Un\nT3\tperson 34 36\tHe\nN1\tReference T2 Wikidata:Q1\tKim Jong Un\nN2\tReference T3 Wikidata:Q1\tKim Jong Un\n*\tEquiv T1 T3\nT9\tperson 43 53\tthe leader\n*\tEquiv T3 T9\nT4\tperson 60 64\tChoe\nT5\tperson 69 71\tRi\n#1\tAnnotatorNotes T4\t@choe\n#2\tAnnotatorNotes T5\t@ri\n*\tEquiv T4 T5\nT6\tcountry 78 83\tSeoul\nT7\tcountry 93 104\tSouth Korea\nN3\tReference T6 Wikidata:Q8684\tSeoul\nN4\tReference T7 Wikidata:Q884\tSouth Korea\n*\tEquiv T6 T7\n",
    )
    .unwrap();
    let (code, report) = import(&brat, Format::Brat, &dir.path().join("out"));
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        report
            .lines()
            .filter(|l| l.contains("not imported"))
            .collect::<Vec<_>>(),
        [
            "brat/d.ann:13: not imported: equivalence Equiv T4 T5: T5 is @ri, not @choe: left out of it",
            "brat/d.ann:18: not imported: equivalence Equiv T6 T7: T7 is Wikidata Q884, not Q8684: left out of it",
        ]
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("out/d.nmk")).unwrap(),
        "[Kim]@kim met aides. [Kim Jong Un]@kim spoke. [He]@kim left, [the leader]@kim said. [Choe]@choe and [Ri]@ri came. [Seoul]@seoul said so. [South Korea]@south-korea agreed.\n"
    );
    let registry = fs::read_to_string(dir.path().join("out/entities.nmk")).unwrap();
    assert!(
        registry.contains("@kim: Kim\n  kind: person\n  wikidata: Q1\n"),
        "{registry}"
    );
}

/// A chain of 5,000 equivalences (`*\tEquiv Ti Ti+1`) gives its mentions
/// one entity, and in time: merging each line's group into the earlier
/// ones was once worse than quadratic (2,000 lines took 16 s).
#[test]
fn a_long_chain_of_equivalences_imports_in_time() {
    let dir = tempfile::tempdir().unwrap();
    let brat = dir.path().join("brat");
    fs::create_dir_all(&brat).unwrap();
    let n = 5_000;
    fs::write(brat.join("a.txt"), format!("{}\n", vec!["ab"; n].join(" "))).unwrap();
    let spans = (0..n).map(|i| format!("T{}\tperson {} {}\tab\n", i + 1, 3 * i, 3 * i + 2));
    let chain = (1..n).map(|i| format!("*\tEquiv T{i} T{}\n", i + 1));
    fs::write(brat.join("a.ann"), spans.chain(chain).collect::<String>()).unwrap();
    let started = std::time::Instant::now();
    let (code, report) = import(&brat, Format::Brat, &dir.path().join("out"));
    let took = started.elapsed();
    assert_eq!(code, 0, "{report}");
    assert!(took.as_secs() < 30, "took {took:?}");
    let article = fs::read_to_string(dir.path().join("out/a.nmk")).unwrap();
    assert_eq!(article, format!("{}\n", vec!["[ab]@ab"; n].join(" ")));
}

/// An event trigger is read like any span: a second `T` line with its
/// id, offsets beyond the text, or a text not the text at its offsets are
/// reported with their line, and the trigger kept is the first.
#[test]
fn a_bad_or_duplicate_event_trigger_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let brat = dir.path().join("brat");
    fs::create_dir_all(&brat).unwrap();
    fs::write(brat.join("a.txt"), "Kirby said the ships left.\n").unwrap();
    fs::write(
        brat.join("a.ann"),
        "T1\tperson 0 5\tKirby\nT2\tClaim 11 25\tthe ships left\nT3\tStatement 6 10\tsaid\nT3\tClaim 11 25\tthe ships left\nE1\tStatement:T3 Source:T1 Content:T2\nT4\tStatement 6 99\tsaid\nE2\tStatement:T4 Source:T1 Content:T2\nT5\tStatement 6 10\tsays\nE3\tStatement:T5 Source:T1 Content:T2\n",
    )
    .unwrap();
    let (code, report) = import(&brat, Format::Brat, &dir.path().join("out"));
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        report
            .lines()
            .filter(|l| l.contains("not imported"))
            .collect::<Vec<_>>(),
        [
            "brat/a.ann:4: not imported: T3 (Claim): another span has the same id",
            "brat/a.ann:5: not imported: E1 (Statement) trigger `said`: Newsmark has no mark for the words that report speech",
            "brat/a.ann:6: not imported: T4 (Statement): its offsets 6–99 are not within the text (27 characters)",
            "brat/a.ann:7: not imported: E2 (Statement): its trigger `T4` is no span that was read",
            "brat/a.ann:8: not imported: T5 (Statement): its text `says` is not the text at its offsets",
            "brat/a.ann:9: not imported: E3 (Statement): its trigger `T5` is no span that was read",
        ]
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("out/a.nmk")).unwrap(),
        "[Kirby]@kirby said {the ships left | @kirby}.\n"
    );
}

/// An entity type of the conf named like a default event type (`Quote`)
/// means what its parent means, as any type the mapping gives no span
/// class: `Quote` under `Claim` is a claim, its source kept.
#[test]
fn a_conf_entity_type_named_like_an_event_type_takes_its_parents_meaning() {
    let dir = tempfile::tempdir().unwrap();
    let brat = dir.path().join("brat");
    fs::create_dir_all(&brat).unwrap();
    fs::write(
        brat.join("annotation.conf"),
        "[entities]\nPerson\nClaim\n\tQuote\n\tStatement\n[relations]\nAttributedTo\tArg1:Claim|Quote|Statement, Arg2:Person\n[events]\n[attributes]\n",
    )
    .unwrap();
    fs::write(brat.join("a.txt"), "Kirby said we left. Ri said so.\n").unwrap();
    fs::write(
        brat.join("a.ann"),
        "T1\tPerson 0 5\tKirby\nT2\tQuote 11 18\twe left\nR1\tAttributedTo Arg1:T2 Arg2:T1\nT3\tPerson 20 22\tRi\nT4\tStatement 28 30\tso\nR2\tAttributedTo Arg1:T4 Arg2:T3\n",
    )
    .unwrap();
    let (code, report) = import(&brat, Format::Brat, &dir.path().join("out"));
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        fs::read_to_string(dir.path().join("out/a.nmk")).unwrap(),
        "[Kirby]@kirby said {we left | @kirby}. [Ri]@ri said {so | @ri}.\n"
    );
}

/// Ids and words from the input are cut to the report's length wherever
/// a finding names them (events, their arguments, equivalence members,
/// spans, clashing entity ids); an equivalence member that is no mention
/// is named for what it is.
#[test]
fn findings_cut_long_ids_and_name_what_a_member_is() {
    let dir = tempfile::tempdir().unwrap();
    let brat = dir.path().join("brat");
    fs::create_dir_all(&brat).unwrap();
    fs::write(brat.join("a.txt"), "Kirby said the ships left. Kirby.\n").unwrap();
    let long = "x".repeat(5_000);
    fs::write(
        brat.join("a.ann"),
        format!(
            "T1\tperson 0 5\tKirby\nT2\tClaim 11 25\tthe ships left\nT3\tStatement 6 10\tsaid\nE{long}\tStatement:T3 Source:T1 Content:T2 Place:T{long}\nE{long}\tnothing\nT{long}\tperson 0 99\tKirby\nT4\tperson 27 32\tKirby\n#1\tAnnotatorNotes T1\t@kirby\n#2\tAnnotatorNotes T4\t@{long}\n*\tEquiv T1 T2 T3 T{long} T4\n"
        ),
    )
    .unwrap();
    let (code, report) = import(&brat, Format::Brat, &dir.path().join("out"));
    assert_eq!(code, 1, "{report}");
    let x = "x".repeat(59);
    assert_eq!(
        report
            .lines()
            .filter(|l| l.contains("not imported"))
            .collect::<Vec<_>>(),
        [
            format!(
                "brat/a.ann:4: not imported: E{x}… (Statement) Place:T{}…: the role has no Newsmark meaning in the mapping",
                &x[..53]
            ),
            format!(
                "brat/a.ann:4: not imported: E{x}… (Statement) trigger `said`: Newsmark has no mark for the words that report speech"
            ),
            format!("brat/a.ann:5: not imported: event E{x}…: no type and trigger"),
            format!(
                "brat/a.ann:6: not imported: T{x}… (person): its offsets 0–99 are not within the text (34 characters)"
            ),
            format!(
                "brat/a.ann:10: not imported: equivalence Equiv T1 T2 T3 T{}…: `T2` is a claim, no mention: left out of it",
                &x[..44]
            ),
            format!(
                "brat/a.ann:10: not imported: equivalence Equiv T1 T2 T3 T{}…: `T3` is an event trigger, no mention: left out of it",
                &x[..44]
            ),
            format!(
                "brat/a.ann:10: not imported: equivalence Equiv T1 T2 T3 T{}…: `T{x}…` is no span that was imported: left out of it",
                &x[..44]
            ),
            format!(
                "brat/a.ann:10: not imported: equivalence Equiv T1 T2 T3 T{}…: T4 is @{}x…, not @kirby: left out of it",
                &x[..44],
                x
            ),
        ]
    );
}

/// An `annotation.conf` that brat would not read, or only in part: each
/// line that cannot be read is reported, and each `.ann` line the conf
/// does not declare; the nearest conf above an `.ann` is the one used.
#[test]
fn a_bad_annotation_conf_is_reported_by_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(corpus.join("latin")).unwrap();
    fs::write(
        corpus.join("annotation.conf"),
        "stray line\n[entities]\nClaim\nperson\n[spans]\nWord\n[relations]\nAttributedTo\tArg1:Claim, Arg2:person\n[events]\nSay\tSpeaker:person, Content+:Claim\n[attributes]\nQuote\tArg:Claim, Value:direct|partial\nHedged\tArg:Claim\n",
    )
    .unwrap();
    fs::write(corpus.join("a.txt"), "Kirby said the ships left Guam.\n").unwrap();
    fs::write(
        corpus.join("a.ann"),
        "T1\tperson 0 5\tKirby\nT2\tClaim 11 30\tthe ships left Guam\nT3\tcountry 26 30\tGuam\nT4\tSay 6 10\tsaid\nE1\tSay:T4 Speaker:T1 Content:T2 Place:T3\nA1\tQuote T2\nA2\tHedged T2 yes\nA3\tNegation E1\nR1\tVia Arg1:T1 Arg2:T3\n*\tEquiv T1 T3\n",
    )
    .unwrap();
    // Not UTF-8: the .ann beside it is read without a conf.
    fs::write(corpus.join("latin/annotation.conf"), b"[entities]\n\xe9\n").unwrap();
    fs::write(corpus.join("latin/b.txt"), "Kirby.\n").unwrap();
    fs::write(corpus.join("latin/b.ann"), "T1\tperson 0 5\tKirby\n").unwrap();
    let (code, report) = import(&corpus, Format::Brat, &dir.path().join("out"));
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        report
            .lines()
            .filter(|l| l.contains("not imported"))
            .collect::<Vec<_>>(),
        [
            "corpus/a.ann:3: not imported: T3 (country): its type `country` is not declared in [entities] or [events] of annotation.conf",
            "corpus/a.ann:5: not imported: E1 (Say): its role `Place` is not declared for `Say` in annotation.conf",
            "corpus/a.ann:6: not imported: A1 (Quote T2): annotation.conf gives `Quote` the values direct|partial, and it has none",
            "corpus/a.ann:7: not imported: A2 (Hedged T2 yes): `yes` is not a value of `Hedged` in annotation.conf",
            "corpus/a.ann:8: not imported: A3 (Negation E1): its attribute `Negation` is not declared in [attributes] of annotation.conf",
            "corpus/a.ann:9: not imported: R1 (Via): its relation `Via` is not declared in [relations] of annotation.conf",
            "corpus/a.ann:10: not imported: equivalence Equiv T1 T3: its relation `Equiv` is not declared in [relations] of annotation.conf",
            "corpus/annotation.conf:1: not imported: line: `stray line` is outside every section",
            "corpus/annotation.conf:5: not imported: section: `[spans]` is no section brat reads here",
            "corpus/latin/annotation.conf: not imported: annotation.conf: it cannot be read, or is not UTF-8: the .ann files are not checked against it",
        ]
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("out/a.nmk")).unwrap(),
        "[Kirby]@kirby said {the ships left Guam}.\n"
    );
}

/// A symbolic link named `annotation.conf` is not followed: it is
/// reported, and the `.ann` files below it are read unchecked (not
/// against a conf further up, which brat would not use either).
#[test]
fn a_linked_annotation_conf_is_reported_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(corpus.join("linked")).unwrap();
    fs::write(corpus.join("annotation.conf"), "[entities]\nClaim\n").unwrap();
    fs::write(dir.path().join("outside.conf"), "[entities]\nperson\n").unwrap();
    std::os::unix::fs::symlink("../../outside.conf", corpus.join("linked/annotation.conf"))
        .unwrap();
    fs::write(corpus.join("linked/a.txt"), "Kirby left.\n").unwrap();
    fs::write(corpus.join("linked/a.ann"), "T1\tperson 0 5\tKirby\n").unwrap();
    let (code, report) = import(&corpus, Format::Brat, &dir.path().join("out"));
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        report
            .lines()
            .filter(|l| l.contains("not imported"))
            .collect::<Vec<_>>(),
        [
            "corpus/linked/annotation.conf: not imported: annotation.conf: it is a symbolic link, which is not followed: the .ann files are not checked against it"
        ]
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("out/linked/a.nmk")).unwrap(),
        "[Kirby]@kirby left.\n"
    );
}

/// Lines made of the pieces brat lines and confs are made of.
fn pieces(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pieces), 0..40).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any `.ann` with any `annotation.conf` imports without a crash:
    /// what cannot be read is reported.
    #[test]
    fn any_brat_lines_and_conf_import_without_a_crash(
        ann in pieces(&["T1", "T2", "T3", "E1", "E2", "R1", "A1", "M1", "N1", "#1", "*", "\t", " ", "\n", "\r\n", ":", ";", "0", "3", "5", "99", "Claim", "person", "Statement", "Source:T1", "Content:T2", "Target:T3", "Medium:T2", "Equiv", "Arg1:T1", "Arg2:T2", "Quote", "direct", "Wikidata:Q1", "AnnotatorNotes", "@x", "🚀", "Ж"]),
        conf in pieces(&["[entities]", "[events]", "[relations]", "[attributes]", "[x]", "\n", "\t", " ", "!", "-", "#", "<ENTITY>", "Claim", "person", "Statement", "Equiv", "Quote", "Source:person", ", ", "Value:direct|partial", "Arg:Claim", "|", ":", "?", "*"]),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let brat = dir.path().join("brat");
        fs::create_dir_all(&brat).unwrap();
        fs::write(brat.join("a.txt"), "Kirby said 🚀 the ships left.\r\n").unwrap();
        fs::write(brat.join("a.ann"), &ann).unwrap();
        fs::write(brat.join("annotation.conf"), &conf).unwrap();
        let (code, report) = import(&brat, Format::Brat, &dir.path().join("out"));
        prop_assert!(code == 0 || code == 1, "exit {}: {}\n{:?}\n{:?}", code, report, ann, conf);
    }
}

#[test]
fn an_import_is_replaced_only_with_force_and_never_over_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let brat = sample(dir.path());
    let import = |extra: &[&str], out: &str| {
        let output = newsmark(dir.path())
            .args(["import", "--from", "brat", "sample", "--out", out])
            .args(extra)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    assert_eq!(import(&[], "out").0, Some(1));
    let (code, stderr) = import(&[], "out");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("pass --force"), "{stderr}");
    assert_eq!(import(&["--force"], "out").0, Some(1));
    // Writing into the input folder would replace nothing of it either.
    fs::write(brat.join("news/doc.nmk"), "kept").unwrap();
    let (code, _) = import(&["--force"], "sample");
    assert_ne!(code, Some(0));
    assert_eq!(
        fs::read_to_string(brat.join("news/doc.txt")).unwrap(),
        SAMPLE_TXT
    );
}

#[test]
fn a_mapping_file_maps_other_label_sets() {
    let dir = tempfile::tempdir().unwrap();
    let brat = dir.path().join("corpus");
    fs::create_dir_all(&brat).unwrap();
    fs::write(brat.join("a.txt"), "Kirby said the ships left.\n").unwrap();
    fs::write(
        brat.join("a.ann"),
        "T1\tSpeaker 0 5\tKirby\nT2\tContent 11 25\tthe ships left\nT3\tCue 6 10\tsaid\nR1\tSaidBy Arg1:T2 Arg2:T1\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("mapping.toml"),
        "claims = [\"Content\"]\n[mentions]\nSpeaker = \"person\"\n[relations]\nSaidBy = \"source\"\n",
    )
    .unwrap();
    let (code, report) = run(newsmark(dir.path()).args([
        "import",
        "--from",
        "brat",
        "corpus",
        "--out",
        "out",
        "--mapping",
        "mapping.toml",
    ]));
    assert_eq!(code, 1, "{report}");
    assert_snapshot!("brat_mapping_report", report);
    assert_eq!(
        fs::read_to_string(dir.path().join("out/a.nmk")).unwrap(),
        "[Kirby]@kirby said {the ships left | @kirby}.\n"
    );
    // A bad mapping names the file and what is wrong.
    fs::write(dir.path().join("bad.toml"), "claims = 3\n").unwrap();
    let output = newsmark(dir.path())
        .args([
            "import",
            "--from",
            "brat",
            "corpus",
            "--out",
            "o2",
            "--mapping",
            "bad.toml",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("bad.toml") && stderr.contains("line 1"),
        "{stderr}"
    );
}

/// Events of another label set, read through a mapping file: the event
/// type's roles say which argument is the source and which the claim.
#[test]
fn a_mapping_file_maps_events() {
    let dir = tempfile::tempdir().unwrap();
    let brat = dir.path().join("corpus");
    fs::create_dir_all(&brat).unwrap();
    fs::write(brat.join("a.txt"), "Kirby said the ships left.\n").unwrap();
    fs::write(
        brat.join("a.ann"),
        "T1\tSpeaker 0 5\tKirby\nT2\tContent 11 25\tthe ships left\nT3\tCue 6 10\tsaid\nE1\tCue:T3 Who:T1 What:T2 When:T2\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("mapping.toml"),
        "claims = [\"Content\"]\n[mentions]\nSpeaker = \"person\"\n[events.Cue]\nsources = [\"Who\"]\nclaims = [\"What\"]\n",
    )
    .unwrap();
    let import = |mapping: &str| {
        run(newsmark(dir.path()).args([
            "import",
            "--from",
            "brat",
            "corpus",
            "--out",
            "out",
            "--force",
            "--mapping",
            mapping,
        ]))
    };
    let (code, report) = import("mapping.toml");
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        report
            .lines()
            .filter(|l| l.contains("not imported"))
            .collect::<Vec<_>>(),
        [
            "corpus/a.ann:4: not imported: E1 (Cue) When:T2: the role has no Newsmark meaning in the mapping",
            "corpus/a.ann:4: not imported: E1 (Cue) trigger `said`: Newsmark has no mark for the words that report speech",
        ]
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("out/a.nmk")).unwrap(),
        "[Kirby]@kirby said {the ships left | @kirby}.\n"
    );
    // A stance must be one.
    fs::write(
        dir.path().join("bad.toml"),
        "[events.Cue]\nstance = \"via\"\n",
    )
    .unwrap();
    let output = newsmark(dir.path())
        .args([
            "import",
            "--from",
            "brat",
            "corpus",
            "--out",
            "o2",
            "--mapping",
            "bad.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "newsmark: error: bad.toml: the stance of event `Cue` is none of `denies`, `confirms`, `disputes`\n"
    );
}

/// An INCEpTION document as its XML 1.1 export writes one (a CRLF text
/// with an emoji, two UTF-16 units, and a C0 control, which only XML 1.1
/// holds), with every way its marks can go wrong.
const XMI: &str = r#"<?xml version="1.1" encoding="UTF-8"?>
<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore" xmlns:type4="http:///de/tudarmstadt/ukp/dkpro/core/api/ner/type.ecore" xmlns:type5="http:///de/tudarmstadt/ukp/dkpro/core/api/segmentation/type.ecore" xmlns:custom="http:///webanno/custom.ecore" xmi:version="2.0">
  <cas:NULL xmi:id="0"/>
  <type5:Sentence xmi:id="2" sofa="1" begin="0" end="31"/>
  <type4:NamedEntity xmi:id="3" sofa="1" begin="0" end="5" value="person" identifier="http://www.wikidata.org/entity/Q6384938"/>
  <custom:Claim xmi:id="4" sofa="1" begin="14" end="28" label="ships"/>
  <custom:AttributedTo xmi:id="5" sofa="1" begin="0" end="5" Governor="4" Dependent="3"/>
  <type4:NamedEntity xmi:id="6" sofa="1" begin="34" end="38" value="org" identifier="urn:isni:1" entity="not an id!"/>
  <type4:NamedEntity xmi:id="7" sofa="1" begin="7" end="8" value="person"/>
  <type4:NamedEntity xmi:id="8" sofa="1" begin="40" end="400" value="person"/>
  <type4:NamedEntity xmi:id="9" sofa="1" begin="x" end="2" value="person"/>
  <type4:NamedEntity xmi:id="10" sofa="1" begin="0" end="5" value="LONGLONGLONGLONGLONGLONGLONGLONGLONGLONGLONGLONGLONGLONGLONGLONGLONGLONG"/>
  <custom:Claim xmi:id="11" sofa="1" begin="40" end="47" quote="maybe" sources="jon"/>
  <custom:Denies xmi:id="12" sofa="1" begin="14" end="28" Governor="999" Dependent="4"/>
  <custom:Confirms xmi:id="13" sofa="1" begin="14" end="28" Governor="11" Dependent="2"/>
  <custom:Sentiment xmi:id="14" sofa="1" begin="0" end="5" polarity="negative"/>
  <custom:Topic xmi:id="15" sofa="1" name="war"/>
  <custom:Claim xmi:id="16" sofa="1" begin="0" end="1" label="not in the view"/>
  <type4:NamedEntity xmi:id="17" sofa="1" begin="5" end="0" value="person"/>
  <cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text" sofaString="Kirby 😀 said the ships left&#1;.&#13;&#10;&#13;&#10;ISNI&#13;&#10;says so, OK."/>
  <cas:Sofa xmi:id="20" sofaNum="2" sofaID="gold" mimeType="text" sofaString="other"/>
  <cas:View sofa="1" members="2 3 4 5 6 7 8 9 10 11 12 13 14 15 17"/>
</xmi:XMI>
"#;

#[test]
fn xmi_that_is_hostile_or_broken_is_reported_by_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let xmi = dir.path().join("xmi");
    fs::create_dir_all(xmi.join("news")).unwrap();
    fs::write(xmi.join("news/doc.xmi"), XMI).unwrap();
    fs::write(xmi.join("TypeSystem.xml"), "<typeSystemDescription/>").unwrap();
    fs::write(
        xmi.join("broken.xmi"),
        "<?xml version=\"1.0\"?>\n<xmi:XMI xmlns:xmi=\"http://www.omg.org/XMI\">\n<c:Claim xmlns:c=\"http:///webanno/custom.ecore\" xmi:id=\"1\"></c:Clam>\n</xmi:XMI>\n",
    )
    .unwrap();
    fs::write(xmi.join("latin1.xmi"), b"<?xml version=\"1.0\"?>\n\xe9\n").unwrap();
    fs::write(
        xmi.join("nosofa.xmi"),
        "<xmi:XMI xmlns:xmi=\"http://www.omg.org/XMI\" xmi:version=\"2.0\"/>\n",
    )
    .unwrap();
    let (code, report) = import(&xmi, Format::Inception, &dir.path().join("out"));
    assert_eq!(code, 1, "{report}");
    assert_snapshot!("inception_hostile_report", report);
    let article = fs::read_to_string(dir.path().join("out/news/doc.nmk")).unwrap();
    assert!(
        article.contains("#ships\u{1}."),
        "the C0 control is kept: {article:?}"
    );
    assert_snapshot!("inception_hostile_article", article);
    assert_snapshot!(
        "inception_hostile_registry",
        fs::read_to_string(dir.path().join("out/entities.nmk")).unwrap()
    );
    // The inputs, type system included, are never written over.
    let (code, _) = run(newsmark(dir.path()).args([
        "import",
        "--from",
        "inception",
        "xmi",
        "--out",
        "xmi",
        "--force",
    ]));
    assert_ne!(code, 0);
    assert_eq!(fs::read_to_string(xmi.join("news/doc.xmi")).unwrap(), XMI);
}

/// INCEpTION's own layers, read through a mapping file: the named entity
/// layer's tags, and its "Basic annotation" span and relation layers,
/// whose labels are their `label` feature.
#[test]
fn a_mapping_file_maps_inception_layers() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("xmi")).unwrap();
    fs::write(
        dir.path().join("xmi/a.xmi"),
        r#"<?xml version="1.0" encoding="UTF-8"?><xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore" xmlns:type="http:///de/tudarmstadt/ukp/dkpro/core/api/ner/type.ecore" xmlns:custom="http:///custom.ecore" xmi:version="2.0"><cas:NULL xmi:id="0"/><type:NamedEntity xmi:id="2" sofa="1" begin="0" end="5" value="PER"/><custom:Span xmi:id="3" sofa="1" begin="11" end="25" label="Content"/><custom:Relation xmi:id="4" sofa="1" begin="0" end="5" Governor="3" Dependent="2" label="SaidBy"/><cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text" sofaString="Kirby said the ships left."/><cas:View sofa="1" members="2 3 4"/></xmi:XMI>"#,
    )
    .unwrap();
    fs::write(
        dir.path().join("mapping.toml"),
        "claims = [\"Content\"]\n[mentions]\nPER = \"person\"\n[relations]\nSaidBy = \"source\"\n",
    )
    .unwrap();
    let (code, report) = run(newsmark(dir.path()).args([
        "import",
        "--from",
        "inception",
        "xmi",
        "--out",
        "out",
        "--mapping",
        "mapping.toml",
    ]));
    assert!(code == 0 && !report.contains("not imported"), "{report}");
    assert_eq!(
        fs::read_to_string(dir.path().join("out/a.nmk")).unwrap(),
        "[Kirby]@kirby said {the ships left | @kirby}.\n"
    );
    assert!(
        fs::read_to_string(dir.path().join("out/entities.nmk"))
            .unwrap()
            .contains("@kirby: Kirby\n  kind: person\n")
    );
}
