//! Words that mean something to attribution, per language: hedging words
//! (`unmarked-hedge`), attribution cues ("said", "по словам") and conduit
//! cues ("carried by", "передаёт") for the "Attribute to" quick fixes.
//!
//! An article picks its lists with the front matter's `language:` (a BCP 47
//! tag: `ru`, `en-GB`), else with `language` in `newsmark.toml`; an article
//! in no language, or in one without lists, is read with every list.
//! `newsmark.toml` adds words under `[cues.<tag>]` (docs/configuration.md).

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// The three lists a language has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// Words that distance the writer from a claim: "allegedly", "якобы".
    Hedges,
    /// Words that introduce who said something: "said", "по словам".
    Attribution,
    /// Words before who carried someone's words: "carried by", "передаёт".
    Conduits,
}

/// A language's words, in lower case; multi-word entries are fixed phrases.
struct Builtin {
    tag: &'static str,
    hedges: &'static [&'static str],
    attribution: &'static [&'static str],
    conduits: &'static [&'static str],
}

/// Languages whose words are not delimited by spaces and punctuation:
/// Chinese and Japanese, and Korean, whose endings attach to the word.
const UNSPACED: &[&str] = &["zh", "ja", "ko"];

const BUILTIN: &[Builtin] = &[
    Builtin {
        tag: "en",
        hedges: &[
            "allegedly",
            "reportedly",
            "purportedly",
            "supposedly",
            "apparently",
            "reputedly",
            "ostensibly",
        ],
        attribution: &[
            "said",
            "says",
            "according to",
            "reported",
            "reports",
            "told",
            "claimed",
            "claims",
            "announced",
            "stated",
            "added",
            "noted",
            "confirmed",
            "denied",
            "warned",
            "insisted",
            "conveyed",
            "wrote",
            "tweeted",
            "posted",
            "quoted",
            "cited",
            "alleged",
            "declared",
        ],
        conduits: &[
            "carried by",
            "quoted by",
            "cited by",
            "published by",
            "relayed by",
        ],
    },
    Builtin {
        tag: "ru",
        hedges: &[
            "якобы",
            "предположительно",
            "по слухам",
            "по имеющимся данным",
            "по некоторым данным",
            "по-видимому",
        ],
        attribution: &[
            "по словам",
            "по данным",
            "согласно",
            "заявил",
            "заявила",
            "заявили",
            "заявляет",
            "сказал",
            "сказала",
            "сказали",
            "сообщил",
            "сообщила",
            "сообщили",
            "сообщает",
            "отметил",
            "отметила",
            "подчеркнул",
            "подчеркнула",
            "добавил",
            "добавила",
            "написал",
            "написала",
            "утверждает",
            "утверждал",
            "признал",
            "признала",
            "опроверг",
            "опровергла",
            "уточнил",
            "уточнила",
            "пояснил",
            "пояснила",
            "предупредил",
            "предупредила",
            "считает",
            "говорит",
        ],
        conduits: &["передает", "передаёт", "пишет", "цитирует", "со ссылкой на"],
    },
    Builtin {
        tag: "uk",
        hedges: &[
            "нібито",
            "начебто",
            "імовірно",
            "ймовірно",
            "за деякими даними",
        ],
        attribution: &[
            "за словами",
            "за даними",
            "згідно з",
            "заявив",
            "заявила",
            "заявили",
            "заявляє",
            "сказав",
            "сказала",
            "сказали",
            "повідомив",
            "повідомила",
            "повідомили",
            "зазначив",
            "зазначила",
            "наголосив",
            "наголосила",
            "додав",
            "додала",
            "написав",
            "написала",
            "підкреслив",
            "підкреслила",
            "стверджує",
            "вважає",
            "визнав",
            "заперечив",
        ],
        conduits: &["передає", "пише", "цитує", "з посиланням на"],
    },
    Builtin {
        tag: "de",
        hedges: &["angeblich", "mutmaßlich", "vermutlich", "berichten zufolge"],
        attribution: &[
            "sagte",
            "sagt",
            "erklärte",
            "erklärt",
            "laut",
            "zufolge",
            "betonte",
            "berichtete",
            "behauptete",
            "schrieb",
            "bestätigte",
            "dementierte",
            "warnte",
            "teilte mit",
            "fügte hinzu",
        ],
        conduits: &["zitiert von", "verbreitet von", "veröffentlicht von"],
    },
    Builtin {
        tag: "fr",
        hedges: &["prétendument", "apparemment", "supposément", "présumément"],
        attribution: &[
            "selon",
            "d'après",
            "d’après",
            "a déclaré",
            "a dit",
            "déclaré",
            "affirmé",
            "indiqué",
            "précisé",
            "ajouté",
            "souligné",
            "annoncé",
            "assuré",
            "estimé",
            "écrit",
            "confirmé",
            "démenti",
            "averti",
            "déclare",
            "affirme",
        ],
        conduits: &[
            "rapporté par",
            "relayé par",
            "cité par",
            "publié par",
            "diffusé par",
        ],
    },
    Builtin {
        tag: "es",
        hedges: &[
            "supuestamente",
            "presuntamente",
            "al parecer",
            "aparentemente",
        ],
        attribution: &[
            "según",
            "de acuerdo con",
            "dijo",
            "afirmó",
            "declaró",
            "aseguró",
            "señaló",
            "indicó",
            "añadió",
            "explicó",
            "anunció",
            "confirmó",
            "negó",
            "advirtió",
            "escribió",
            "sostuvo",
        ],
        conduits: &[
            "citado por",
            "difundido por",
            "publicado por",
            "recogido por",
        ],
    },
    Builtin {
        tag: "pt",
        hedges: &[
            "supostamente",
            "alegadamente",
            "presumivelmente",
            "aparentemente",
        ],
        attribution: &[
            "segundo",
            "de acordo com",
            "conforme",
            "disse",
            "afirmou",
            "declarou",
            "informou",
            "anunciou",
            "acrescentou",
            "explicou",
            "confirmou",
            "negou",
            "alertou",
            "escreveu",
            "destacou",
        ],
        conduits: &[
            "citado por",
            "divulgado por",
            "publicado por",
            "veiculado por",
        ],
    },
    Builtin {
        tag: "ar",
        hedges: &["يزعم", "يُزعم", "على ما يبدو", "حسبما أفادت التقارير"],
        attribution: &[
            "قال",
            "قالت",
            "وقال",
            "وقالت",
            "صرح",
            "صرّح",
            "أعلن",
            "أعلنت",
            "أكد",
            "أكدت",
            "وأكد",
            "أضاف",
            "أضافت",
            "وأضاف",
            "نفى",
            "نفت",
            "ذكر",
            "ذكرت",
            "بحسب",
            "حسب",
            "وفقا",
            "وفقاً",
        ],
        conduits: &[],
    },
    Builtin {
        tag: "zh",
        hedges: &["据称", "据报道", "据悉", "据说", "疑似"],
        attribution: &[
            "表示", "说", "称", "指出", "根据", "据", "宣布", "强调", "声称", "透露", "报道",
            "承认", "否认", "警告",
        ],
        conduits: &[],
    },
    Builtin {
        tag: "ja",
        hedges: &["とされる", "と伝えられ", "とみられる", "模様"],
        attribution: &[
            "によると",
            "によれば",
            "と述べた",
            "と語った",
            "と発表した",
            "と明らかにした",
            "と強調した",
            "と主張した",
            "と説明した",
            "と話した",
            "と報じた",
            "と指摘した",
            "と否定した",
        ],
        conduits: &[],
    },
    Builtin {
        tag: "ko",
        hedges: &["알려졌", "전해졌", "추정된다", "것으로 보인다"],
        attribution: &[
            "따르면",
            "말했다",
            "밝혔다",
            "전했다",
            "주장했다",
            "강조했다",
            "덧붙였다",
            "발표했다",
            "보도했다",
            "지적했다",
            "설명했다",
            "부인했다",
        ],
        conduits: &[],
    },
];

/// Words a `newsmark.toml` adds to a language (or a new language's words).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words {
    pub hedges: Vec<String>,
    pub attribution: Vec<String>,
    pub conduits: Vec<String>,
}

/// Every language's word lists, built into finders, and the language of
/// articles that name none. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Lexicon(Arc<Lists>);

#[derive(Debug)]
struct Lists {
    /// By primary language subtag, in lower case.
    languages: BTreeMap<String, Finders>,
    /// Every language's words together.
    all: Finders,
    default_language: Option<String>,
    /// What `newsmark.toml` added, for [`Lexicon::fingerprint`].
    added: BTreeMap<String, Words>,
}

#[derive(Debug)]
struct Finders {
    hedges: WordFinder,
    attribution: WordFinder,
    conduits: WordFinder,
}

impl Default for Lexicon {
    /// The built-in lists, for every article.
    fn default() -> Self {
        static BUILT_IN: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::new(None, BTreeMap::new()));
        BUILT_IN.clone()
    }
}

impl Lexicon {
    /// The built-in lists with `added` words (by language tag), read in
    /// `default_language` when an article names none.
    pub fn new(default_language: Option<&str>, added: BTreeMap<String, Words>) -> Self {
        let mut words: BTreeMap<String, (bool, Words)> = BTreeMap::new();
        for builtin in BUILTIN {
            let owned = |list: &[&str]| list.iter().map(|w| (*w).to_owned()).collect();
            let lists = Words {
                hedges: owned(builtin.hedges),
                attribution: owned(builtin.attribution),
                conduits: owned(builtin.conduits),
            };
            words.insert(builtin.tag.to_owned(), (spaced(builtin.tag), lists));
        }
        for (tag, more) in &added {
            let tag = primary_subtag(tag);
            let (_, lists) = words
                .entry(tag.clone())
                .or_insert_with(|| (spaced(&tag), Words::default()));
            lists.hedges.extend(more.hedges.iter().cloned());
            lists.attribution.extend(more.attribution.iter().cloned());
            lists.conduits.extend(more.conduits.iter().cloned());
        }
        let everything: Vec<(bool, &Words)> = words.values().map(|(s, w)| (*s, w)).collect();
        let all = Finders::new(&everything);
        let languages = words
            .iter()
            .map(|(tag, (spaced, lists))| (tag.clone(), Finders::new(&[(*spaced, lists)])))
            .collect();
        Lexicon(Arc::new(Lists {
            languages,
            all,
            default_language: default_language.map(primary_subtag),
            added,
        }))
    }

    /// The finder of `list` for an article whose front matter gives
    /// `language` (or none).
    pub fn finder(&self, language: Option<&str>, list: List) -> &WordFinder {
        let lists = &self.0;
        let tag = language
            .map(primary_subtag)
            .or_else(|| lists.default_language.clone());
        let finders = tag
            .and_then(|tag| lists.languages.get(&tag))
            .unwrap_or(&lists.all);
        match list {
            List::Hedges => &finders.hedges,
            List::Attribution => &finders.attribution,
            List::Conduits => &finders.conduits,
        }
    }

    /// A stable digest of what `newsmark.toml` changed, for caches.
    pub fn fingerprint(&self) -> String {
        format!("{:?} {:?}", self.0.default_language, self.0.added)
    }
}

/// `en` for `en-GB`, `zh` for `zh_Hant`, in lower case.
fn primary_subtag(tag: &str) -> String {
    let tag = tag.trim();
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase()
}

fn spaced(tag: &str) -> bool {
    !UNSPACED.contains(&tag)
}

impl Finders {
    fn new(languages: &[(bool, &Words)]) -> Self {
        let of = |pick: fn(&Words) -> &Vec<String>| {
            WordFinder::new(
                languages
                    .iter()
                    .map(|(spaced, words)| (*spaced, pick(words))),
            )
        };
        Finders {
            hedges: of(|w| &w.hedges),
            attribution: of(|w| &w.attribution),
            conduits: of(|w| &w.conduits),
        }
    }
}

/// The most bytes of words (all forms) that a [`WordFinder`] searches
/// for with a DFA.
const MAX_DFA_PATTERN_BYTES: usize = 4 * 1024;

/// Finds the words of one list, in one language or in all.
#[derive(Debug)]
pub struct WordFinder {
    /// Tells finders apart, so that words found with another one (of an
    /// older `newsmark.toml`) are never reused.
    id: u64,
    automaton: AhoCorasick,
    /// For each pattern, whether its language separates words.
    spaced: Vec<bool>,
}

impl WordFinder {
    fn new<'a>(lists: impl Iterator<Item = (bool, &'a Vec<String>)>) -> Self {
        let mut patterns: Vec<String> = Vec::new();
        let mut spaced = Vec::new();
        for (language_spaced, words) in lists {
            for word in words {
                // As written, capitalised at the start of a sentence, and
                // in capitals in a headline.
                for form in [word.clone(), capitalised(word), word.to_uppercase()] {
                    patterns.push(form);
                    spaced.push(language_spaced);
                }
            }
        }
        // A DFA searches several times faster than the NFA that the
        // library picks for more than 100 patterns (every language's
        // list, for an article with none), at a size that grows with the
        // patterns: only for short lists (the built-in hedges of every
        // language, 153 patterns, take 1.5 MB; their attribution words,
        // 642 patterns, would take 3.2 MB).
        let bytes: usize = patterns.iter().map(String::len).sum();
        let kind = (bytes <= MAX_DFA_PATTERN_BYTES).then_some(AhoCorasickKind::DFA);
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(kind)
            .build(&patterns)
            .expect("word lists are limited in size (config::MAX_CUE_WORDS)");
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        Self {
            id,
            automaton,
            spaced,
        }
    }

    pub fn id(&self) -> u64 {
        self.id
    }

    /// The words in `text[range]`, whole words where the language has
    /// them, in text order.
    pub fn find(&self, text: &str, range: Range<usize>) -> Vec<Range<usize>> {
        let slice = &text[range.clone()];
        self.automaton
            .find_iter(slice)
            .filter(|hit| {
                !self.spaced[hit.pattern().as_usize()]
                    || (!slice[..hit.start()]
                        .chars()
                        .next_back()
                        .is_some_and(is_word_char)
                        && !slice[hit.end()..].chars().next().is_some_and(is_word_char))
            })
            .map(|hit| range.start + hit.start()..range.start + hit.end())
            .collect()
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '\u{301}'
}

/// Whether `c` ends a sentence: `.`, `!`, `?`, `…` and their Chinese,
/// Japanese and Arabic forms.
pub(crate) fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？' | '؟')
}

/// `word` with its first letter in upper case.
pub(crate) fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(tag: Option<&str>, text: &str) -> Vec<String> {
        Lexicon::default()
            .finder(tag, List::Hedges)
            .find(text, 0..text.len())
            .into_iter()
            .map(|w| text[w].to_owned())
            .collect()
    }

    #[test]
    fn whole_words_in_any_case_at_a_sentence_start() {
        assert_eq!(
            words(
                Some("en"),
                "Reportedly it was allegedly sold, not unreportedly."
            ),
            ["Reportedly", "allegedly"]
        );
        assert_eq!(
            words(Some("ru-RU"), "Он якобы уехал. Якобы!"),
            ["якобы", "Якобы"]
        );
    }

    #[test]
    fn the_language_picks_the_list_and_none_means_all() {
        assert!(words(Some("en"), "он якобы уехал").is_empty());
        assert_eq!(
            words(None, "он якобы уехал, reportedly"),
            ["якобы", "reportedly"]
        );
        assert_eq!(words(Some("xx"), "据称"), ["据称"]);
    }

    #[test]
    fn words_attach_in_chinese_japanese_and_korean() {
        assert_eq!(words(Some("zh"), "朝鲜据称向俄罗斯提供了弹药"), ["据称"]);
        assert_eq!(words(Some("ko"), "공급한 것으로 알려졌다"), ["알려졌"]);
    }
}
