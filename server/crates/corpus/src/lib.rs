//! Synthetic annotated corpora for benchmarks: a registry of entities and
//! articles with a mark every ~100 bytes (mentions, references, claims with
//! one or two sources, some unsourced claims, some untagged names), so
//! every rule and feature has work to do. Deterministic for a given seed.
//!
//! The Newsmark 2 constructs come at rates meant to look like annotated
//! wire copy, most claims staying plain (per 10,000-article corpus, per
//! article): one sourced claim in nine names its source through a conduit
//! (`@a via @b`; one chain in five is longer), one in twelve of the plain
//! ones carries a label (`}#talks-3`, ~1.8 an article) and one in thirty,
//! once the file has labels, takes a stance on an earlier one (`denies`,
//! `confirms`, `disputes`; ~0.4 an article); ~5% of claims are hedged
//! (`~[reportedly]`); one sourced claim in twenty-five holds a quoted
//! fragment and one in fifty is a direct quote; one mention in twenty names
//! two entities (`[the two sides]@a+@b`); one paragraph in sixty holds a
//! split Russian quote (`{«… | @a} — сказал он — {…» | @a}`). Of the
//! registry's entities, one in twenty has a Cyrillic id and name, one in
//! twenty a Hangul one, and one in twenty is an anonymous source defined
//! without a display name (`@src-17:`, `kind: anonymous`). Each quotation
//! has one speaker throughout the corpus, so that none is attributed to two
//! sources (`conflicting-attribution`): the findings are the same kinds as
//! in version 1 corpora.

use std::fmt::Write as _;
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub articles: usize,
    /// Target size of one article in bytes.
    pub article_bytes: usize,
    pub entities: usize,
    /// Entities per registry file.
    pub entities_per_registry: usize,
    pub seed: u64,
}

impl Spec {
    /// The corpus of the performance targets: 10,000 articles of ~6 KB
    /// (~60 MB) and a registry of 2,000 entities.
    pub const LARGE: Spec = Spec {
        articles: 10_000,
        article_bytes: 6_000,
        entities: 2_000,
        entities_per_registry: 200,
        seed: 7,
    };
}

/// A small deterministic generator (xorshift64*), so corpora are reproducible.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "the",
    "minister",
    "said",
    "talks",
    "in",
    "the",
    "capital",
    "were",
    "productive",
    "and",
    "both",
    "sides",
    "agreed",
    "to",
    "expand",
    "cooperation",
    "on",
    "energy",
    "trade",
    "security",
    "after",
    "a",
    "meeting",
    "that",
    "lasted",
    "several",
    "hours",
    "officials",
    "reported",
    "new",
    "plans",
];
const GIVEN: &[&str] = &[
    "Anna", "Boris", "Choe", "Dmitri", "Elena", "Hyun", "Ivan", "Jin", "Kim", "Lena", "Min", "Olga",
];
const FAMILY: &[&str] = &[
    "Lee", "Park", "Ivanova", "Petrov", "Song", "Sokolov", "Han", "Volkova", "Jang", "Orlov",
    "Yoon",
];
const GIVEN_RU: &[&str] = &[
    "Анна",
    "Борис",
    "Дмитрий",
    "Елена",
    "Иван",
    "Мария",
    "Ольга",
];
const FAMILY_RU: &[&str] = &[
    "Захарова",
    "Иванов",
    "Лавров",
    "Петрова",
    "Рябков",
    "Соколов",
];
const FAMILY_KO: &[&str] = &["김", "박", "이", "최", "정"];
const GIVEN_KO: &[&str] = &["민준", "서연", "지훈", "수빈", "영호"];
/// What an anonymous source stands for (its `note`, and a mention's words).
const ANONYMOUS: &[&str] = &[
    "a senior official",
    "a diplomatic source",
    "two people familiar with the talks",
    "a defence ministry spokesman",
];
const KINDS: &[&str] = &["person", "org", "country", "outlet", "group", "place"];
const GROUPS: &[&str] = &["the two ministers", "both delegations", "the two sides"];
const HEDGES: &[&str] = &["reportedly", "allegedly", "apparently", "purportedly"];
const TOPICS: &[&str] = &["talks", "munitions", "visit", "deal", "sanctions"];
const STANCES: &[&str] = &["denies", "denies", "confirms", "disputes"];
// Quotations are made of two halves, one from each list, so that there are
// a few dozen of each kind, each said by one speaker (see `Article::speaker`).
/// Verbatim fragments of paraphrases (`{it will "a new chapter" … | @x}`).
const FRAGMENTS: [&[&str]; 2] = [
    &[
        "an unbreakable",
        "a serious",
        "a new",
        "a historic",
        "a strategic",
        "a dangerous",
    ],
    &[
        "friendship",
        "provocation",
        "chapter",
        "partnership",
        "turning point",
        "mistake",
    ],
];
/// Direct quotes (`{“…” | @x}`).
const QUOTES: [&[&str]; 2] = [
    &[
        "We are",
        "Our side is",
        "The government is",
        "Moscow is",
        "Seoul is",
    ],
    &[
        "ready to expand cooperation",
        "open to dialogue",
        "deeply concerned",
        "not afraid of pressure",
        "committed to peace",
    ],
];
/// Russian quotes split by a speech tag (`{«… | @x} — сказал он — {…» | @x}`).
/// Whole pairs: each half alone is said by one speaker too.
const SPLIT_QUOTES: &[[&str; 2]] = &[
    ["Нельзя отложить то,", "о чём не договаривались"],
    ["Мы готовы к диалогу,", "но не на таких условиях"],
    ["Переговоры прошли конструктивно,", "хотя и непросто"],
    ["Решение ещё не принято,", "и спешить мы не будем"],
    ["Это серьёзная ошибка,", "и все это понимают"],
    ["Мы продолжим работу,", "что бы ни говорили в Вашингтоне"],
    ["Санкции не работают,", "это признают даже на Западе"],
    ["Визит состоится в срок,", "как и договаривались"],
];
const SPEECH_TAGS: &[&str] = &["сказал он", "заявила она", "подчеркнул министр"];

/// One entity of the registry.
#[derive(Debug, Clone)]
pub struct Entity {
    pub id: String,
    /// The display name; for an anonymous source, which has none, what it
    /// stands for (its note, and the words of its mentions).
    pub name: String,
    pub anonymous: bool,
}

/// The registry: mostly Latin ids (`e17`); one entity in twenty with a
/// Cyrillic id and name, one in twenty Hangul, one in twenty an anonymous
/// source (`src-17`).
pub fn entities(spec: &Spec) -> Vec<Entity> {
    let mut rng = Rng::new(spec.seed);
    (0..spec.entities)
        .map(|i| {
            let (id, name) = match i % 20 {
                7 => {
                    let family = rng.pick(FAMILY_RU);
                    let name = format!("{} {family} {i}", rng.pick(GIVEN_RU));
                    (format!("{}-{i}", family.to_lowercase()), name)
                }
                13 => {
                    let name = format!("{}{}", rng.pick(FAMILY_KO), rng.pick(GIVEN_KO));
                    (format!("{name}-{i}"), format!("{name} {i}"))
                }
                17 => (format!("src-{i}"), rng.pick(ANONYMOUS).to_string()),
                _ => {
                    let name = format!("{} {} {}", rng.pick(GIVEN), rng.pick(FAMILY), i);
                    (format!("e{i}"), name)
                }
            };
            Entity {
                id,
                name,
                anonymous: i % 20 == 17,
            }
        })
        .collect()
}

/// One registry file holding `entities`.
pub fn registry(entities: &[Entity], rng: &mut Rng) -> String {
    let mut text = String::from("%% Generated registry\n\n");
    for entity in entities {
        let _ = if entity.anonymous {
            writeln!(
                text,
                "@{}:\n  kind: anonymous\n  note: {}\n",
                entity.id, entity.name
            )
        } else {
            writeln!(
                text,
                "@{}: {}\n  kind: {}\n  aliases: {}\n",
                entity.id,
                entity.name,
                rng.pick(KINDS),
                entity.name.replace(' ', "-")
            )
        };
    }
    text
}

fn prose(rng: &mut Rng, words: usize) -> String {
    (0..words)
        .map(|_| *rng.pick(WORDS))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One article of about `bytes` bytes using ids from `entities`, with
/// findings for the rules: about one claim in ten unsourced, and an
/// untagged name in one paragraph in three.
pub fn article(index: usize, entities: &[Entity], bytes: usize, rng: &mut Rng) -> String {
    Article::new(entities, rng, true).write(index, bytes)
}

/// One fully annotated article: every claim sourced, every name tagged,
/// as a finished annotation looks (the rules find nothing in it).
pub fn clean_article(index: usize, entities: &[Entity], bytes: usize, rng: &mut Rng) -> String {
    Article::new(entities, rng, false).write(index, bytes)
}

/// The state of one article being written: its labels so far.
struct Article<'a> {
    entities: &'a [Entity],
    rng: &'a mut Rng,
    findings: bool,
    labels: Vec<String>,
}

impl<'a> Article<'a> {
    fn new(entities: &'a [Entity], rng: &'a mut Rng, findings: bool) -> Self {
        Self {
            entities,
            rng,
            findings,
            labels: Vec::new(),
        }
    }

    fn write(mut self, index: usize, bytes: usize) -> String {
        let mut text = format!(
            "---\ntitle: Generated article {index}\ndate: 2023-10-18\n---\n\n# Report {index}\n\n"
        );
        while text.len() < bytes {
            for _ in 0..4 {
                let mark = match self.rng.below(10) {
                    0..=2 => self.mention(),
                    3..=4 => format!("@{}", self.entity().id),
                    5..=8 => self.sourced_claim(),
                    _ if self.findings => format!("{{{}}}", prose(self.rng, 5)),
                    _ => self.sourced_claim(),
                };
                let (before, after) = (prose(self.rng, 8), prose(self.rng, 3));
                let _ = writeln!(text, "{before} {mark} {after}.");
            }
            // An untagged name now and then.
            if self.rng.below(3) == 0 {
                let entity = self.entity();
                if self.findings {
                    let _ = writeln!(text, "Later {} spoke.", entity.name);
                } else {
                    let _ = writeln!(text, "Later [{}]@{} spoke.", entity.name, entity.id);
                }
            }
            if self.rng.below(60) == 0 {
                let [first, rest] = *self.rng.pick(SPLIT_QUOTES);
                let tag = self.rng.pick(SPEECH_TAGS);
                let id = &self.speaker(&[first, rest]).id;
                let _ = writeln!(text, "{{«{first} | @{id}}} — {tag} — {{{rest}» | @{id}}}.");
            }
            text.push('\n');
        }
        // The benchmarks edit "the middle" of a large article by slicing
        // it at `len / 2`: keep that on a character boundary.
        while !text.is_char_boundary(text.len() / 2) {
            text.push('\n');
        }
        text
    }

    fn entity(&mut self) -> &'a Entity {
        self.rng.pick(self.entities)
    }

    /// Two words, one from each of `halves`.
    fn quote(&mut self, halves: [&[&'static str]; 2]) -> [&'static str; 2] {
        [*self.rng.pick(halves[0]), *self.rng.pick(halves[1])]
    }

    /// The one entity that says `quote`, everywhere in the corpus, so no
    /// two claims attribute the same words to different sources.
    fn speaker(&self, quote: &[&str]) -> &'a Entity {
        let bytes = quote.iter().flat_map(|part| part.bytes());
        let hash = bytes.fold(7usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize));
        &self.entities[hash % self.entities.len()]
    }

    /// `[words]@id`, or now and then `[the two sides]@a+@b`.
    fn mention(&mut self) -> String {
        let entity = self.entity();
        if self.rng.below(20) == 0 {
            let other = self.entity();
            format!("[{}]@{}+@{}", self.rng.pick(GROUPS), entity.id, other.id)
        } else {
            format!("[{}]@{}", entity.name, entity.id)
        }
    }

    /// A claim with one or two sources, most of them plain.
    fn sourced_claim(&mut self) -> String {
        let roll = self.rng.below(100);
        if roll < 2 {
            let [subject, rest] = self.quote(QUOTES);
            let id = &self.speaker(&[subject, rest]).id;
            return format!("{{“{subject} {rest}” | @{id}}}");
        }
        if roll < 6 {
            let [adjective, noun] = self.quote(FRAGMENTS);
            let (before, after) = (prose(self.rng, 3), prose(self.rng, 2));
            let id = &self.speaker(&[adjective, noun]).id;
            return format!("{{{before} \"{adjective} {noun}\" {after} | @{id}}}");
        }
        let two = self.rng.below(4) == 0;
        let mut text = prose(self.rng, if two { 5 } else { 6 });
        if self.rng.below(16) == 0 {
            let hedge = self.rng.pick(HEDGES);
            let _ = write!(text, " ~[{hedge}] {}", prose(self.rng, 2));
        }
        let mut sources = format!("@{}", self.entity().id);
        if self.rng.below(8) == 0 {
            for _ in 0..if self.rng.below(5) == 0 { 2 } else { 1 } {
                let _ = write!(sources, " via @{}", self.entity().id);
            }
        }
        if two {
            let _ = write!(sources, ", @{}", self.entity().id);
        }
        if !self.labels.is_empty() && self.rng.below(30) == 0 {
            let label = self.rng.pick(&self.labels);
            let _ = write!(sources, " {} #{label}", self.rng.pick(STANCES));
        }
        let mut claim = format!("{{{text} | {sources}}}");
        if self.rng.below(12) == 0 {
            let label = format!("{}-{}", self.rng.pick(TOPICS), self.labels.len() + 1);
            let _ = write!(claim, "#{label}");
            self.labels.push(label);
        }
        claim
    }
}

/// Writes the corpus under `dir`: `entities/registry-N.nmk` and
/// `articles/NNNN/article-N.nmk` (100 articles per folder), plus an empty
/// `newsmark.toml`. Returns the total size in bytes.
pub fn write(dir: &Path, spec: &Spec) -> std::io::Result<u64> {
    write_with(dir, spec, |_, text, _| text)
}

/// Writes the same corpus as a second annotator would have annotated it
/// (see [`second_annotator`]): the other half of the `newsmark agree`
/// benchmark.
pub fn write_second_annotator(dir: &Path, spec: &Spec) -> std::io::Result<u64> {
    write_with(dir, spec, |index, text, entities| {
        second_annotator(index, &text, entities, spec.seed)
    })
}

fn write_with(
    dir: &Path,
    spec: &Spec,
    mut version: impl FnMut(usize, String, &[Entity]) -> String,
) -> std::io::Result<u64> {
    let entities = entities(spec);
    let mut rng = Rng::new(spec.seed ^ 0xA5A5);
    let mut total = 0;
    std::fs::create_dir_all(dir.join("entities"))?;
    std::fs::write(dir.join("newsmark.toml"), "# generated corpus\n")?;
    for (n, chunk) in entities
        .chunks(spec.entities_per_registry.max(1))
        .enumerate()
    {
        let text = registry(chunk, &mut rng);
        total += text.len() as u64;
        std::fs::write(dir.join(format!("entities/registry-{n}.nmk")), text)?;
    }
    for index in 0..spec.articles {
        let folder = dir.join(format!("articles/{:04}", index / 100));
        std::fs::create_dir_all(&folder)?;
        let text = article(index, &entities, spec.article_bytes, &mut rng);
        let text = version(index, text, &entities);
        total += text.len() as u64;
        std::fs::write(folder.join(format!("article-{index}.nmk")), text)?;
    }
    Ok(total)
}

/// Article `index` as a second annotator leaves it: in one article in ten
/// a word of the text changed (the first "officials" becomes "diplomats",
/// so the plain texts differ and must be aligned), in one in thirty-three
/// the first mention linked to another entity, in one in fifty the first
/// claim's sources dropped (with what follows them inside the claim). The rest is byte-identical, as most of a real
/// second annotation is.
pub fn second_annotator(index: usize, text: &str, entities: &[Entity], seed: u64) -> String {
    let mut rng = Rng::new(seed ^ (index as u64).wrapping_mul(0x100_0000_01B3));
    let mut text = text.to_owned();
    if rng.below(100) < 10 {
        text = text.replacen("officials", "diplomats", 1);
    }
    if rng.below(100) < 3
        && let Some(at) = text.find("]@")
    {
        let start = at + 2;
        let end = start
            + text[start..]
                .find(|c: char| !is_id_char(c))
                .unwrap_or(text.len() - start);
        let other = &rng.pick(entities).id;
        text.replace_range(start..end, other);
    }
    if rng.below(100) < 2
        && let Some(bar) = text.find(" | @")
        && let Some(close) = text[bar..].find('}')
    {
        text.replace_range(bar..bar + close, "");
    }
    text
}

/// Whether `c` continues an entity id of this corpus (Latin, Cyrillic or
/// Hangul letters, digits, `-`).
fn is_id_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}
