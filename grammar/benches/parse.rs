//! Parse throughput on a generated, mark-dense corpus.
//!
//! `cargo bench -p tree-sitter-newsmark --bench parse` prints MB/s (divan's
//! bytes/s). The corpus mixes prose with a mark every ~100 bytes: mentions,
//! references, claims with one or two sources, headings, comments and
//! registry definitions, like real annotated news.

use tree_sitter::Parser;

fn main() {
    divan::main();
}

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() % items.len()]
    }
}

const WORDS: &[&str] = &[
    "the",
    "minister",
    "said",
    "talks",
    "in",
    "Pyongyang",
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
];
const IDS: &[&str] = &[
    "lavrov",
    "kim",
    "putin",
    "choe",
    "us",
    "kcna",
    "us.white-house",
    "russia",
];

fn prose(rng: &mut Rng, n_words: usize) -> String {
    (0..n_words)
        .map(|_| rng.pick(WORDS))
        .collect::<Vec<_>>()
        .join(" ")
}

/// About `size` bytes of annotated articles.
pub fn corpus(size: usize) -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut text = String::with_capacity(size + 1024);
    while text.len() < size {
        match rng.next() % 10 {
            0 => text.push_str(&format!("## {}\n\n", prose(&mut rng, 5))),
            1 => text.push_str(&format!(
                "@{}-{}: {}\n  kind: person\n  member-of: @{}\n\n",
                rng.pick(IDS),
                rng.next() % 1000,
                prose(&mut rng, 2),
                rng.pick(IDS)
            )),
            _ => {
                for _ in 0..6 {
                    let mark = match rng.next() % 4 {
                        0 => format!("[{}]@{}", prose(&mut rng, 2), rng.pick(IDS)),
                        1 => format!("@{}", rng.pick(IDS)),
                        2 => format!("{{{} | @{}}}", prose(&mut rng, 6), rng.pick(IDS)),
                        _ => format!(
                            "{{{} | @{}, @{}}} %% checked",
                            prose(&mut rng, 5),
                            rng.pick(IDS),
                            rng.pick(IDS)
                        ),
                    };
                    text.push_str(&format!(
                        "{} {mark} {}.\n",
                        prose(&mut rng, 8),
                        prose(&mut rng, 4)
                    ));
                }
                text.push('\n');
            }
        }
    }
    text
}

#[divan::bench(args = [100_000, 5_000_000])]
fn parse(bencher: divan::Bencher, size: usize) {
    let text = corpus(size);
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_newsmark::LANGUAGE.into())
        .unwrap();
    assert!(!parser.parse(&text, None).unwrap().root_node().has_error());
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench_local(|| parser.parse(&text, None).unwrap());
}
