//! Synthetic annotated corpora for benchmarks: a registry of entities and
//! articles with a mark every ~100 bytes (mentions, references, claims with
//! one or two sources, some unsourced claims, some untagged names), so
//! every rule and feature has work to do. Deterministic for a given seed.

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
const KINDS: &[&str] = &["person", "org", "country", "outlet", "group", "place"];

/// One entity of the registry.
#[derive(Debug, Clone)]
pub struct Entity {
    pub id: String,
    pub name: String,
}

pub fn entities(spec: &Spec) -> Vec<Entity> {
    let mut rng = Rng::new(spec.seed);
    (0..spec.entities)
        .map(|i| {
            let name = format!("{} {} {}", rng.pick(GIVEN), rng.pick(FAMILY), i);
            Entity {
                id: format!("e{i}"),
                name,
            }
        })
        .collect()
}

/// One registry file holding `entities`.
pub fn registry(entities: &[Entity], rng: &mut Rng) -> String {
    let mut text = String::from("%% Generated registry\n\n");
    for entity in entities {
        let _ = writeln!(
            text,
            "@{}: {}\n  kind: {}\n  aliases: {}\n",
            entity.id,
            entity.name,
            rng.pick(KINDS),
            entity.name.replace(' ', "-")
        );
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
    article_with(index, entities, bytes, rng, true)
}

/// One fully annotated article: every claim sourced, every name tagged,
/// as a finished annotation looks (the rules find nothing in it).
pub fn clean_article(index: usize, entities: &[Entity], bytes: usize, rng: &mut Rng) -> String {
    article_with(index, entities, bytes, rng, false)
}

fn article_with(
    index: usize,
    entities: &[Entity],
    bytes: usize,
    rng: &mut Rng,
    findings: bool,
) -> String {
    let mut text = format!(
        "---\ntitle: Generated article {index}\ndate: 2023-10-18\n---\n\n# Report {index}\n\n"
    );
    while text.len() < bytes {
        for _ in 0..4 {
            let entity = rng.pick(entities);
            let other = rng.pick(entities);
            let mark = match rng.below(10) {
                0..=2 => format!("[{}]@{}", entity.name, entity.id),
                3..=4 => format!("@{}", entity.id),
                5..=7 => format!("{{{} | @{}}}", prose(rng, 6), entity.id),
                8 => format!("{{{} | @{}, @{}}}", prose(rng, 5), entity.id, other.id),
                _ if findings => format!("{{{}}}", prose(rng, 5)),
                _ => format!("{{{} | @{}}}", prose(rng, 5), entity.id),
            };
            let _ = writeln!(text, "{} {mark} {}.", prose(rng, 8), prose(rng, 3));
        }
        // An untagged name now and then.
        if rng.below(3) == 0 {
            let entity = rng.pick(entities);
            if findings {
                let _ = writeln!(text, "Later {} spoke.", entity.name);
            } else {
                let _ = writeln!(text, "Later [{}]@{} spoke.", entity.name, entity.id);
            }
        }
        text.push('\n');
    }
    text
}

/// Writes the corpus under `dir`: `entities/registry-N.nmk` and
/// `articles/NNNN/article-N.nmk` (100 articles per folder), plus an empty
/// `newsmark.toml`. Returns the total size in bytes.
pub fn write(dir: &Path, spec: &Spec) -> std::io::Result<u64> {
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
        total += text.len() as u64;
        std::fs::write(folder.join(format!("article-{index}.nmk")), text)?;
    }
    Ok(total)
}
