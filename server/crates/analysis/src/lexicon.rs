//! Words that mean something to attribution, per language: the hedging
//! words of `unmarked-hedge`. An article picks its list with the front
//! matter's `language:` (a BCP 47 tag: `ru`, `en-GB`); an article that
//! names no language, or one without a list, is read with every list.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

/// A language's hedging words and how its words are delimited.
struct Language {
    tag: &'static str,
    hedges: &'static [&'static str],
    /// Words are separated by spaces and punctuation (not Chinese or
    /// Japanese, nor Korean, whose endings attach to the word).
    spaced: bool,
}

/// Each language's hedging words, in lower case. Multi-word entries are
/// fixed phrases.
const LANGUAGES: &[Language] = &[
    Language {
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
        spaced: true,
    },
    Language {
        tag: "ru",
        hedges: &[
            "якобы",
            "предположительно",
            "по слухам",
            "по имеющимся данным",
            "по некоторым данным",
            "по-видимому",
        ],
        spaced: true,
    },
    Language {
        tag: "uk",
        hedges: &[
            "нібито",
            "начебто",
            "імовірно",
            "ймовірно",
            "за деякими даними",
        ],
        spaced: true,
    },
    Language {
        tag: "de",
        hedges: &["angeblich", "mutmaßlich", "vermutlich", "berichten zufolge"],
        spaced: true,
    },
    Language {
        tag: "fr",
        hedges: &["prétendument", "apparemment", "supposément", "présumément"],
        spaced: true,
    },
    Language {
        tag: "es",
        hedges: &[
            "supuestamente",
            "presuntamente",
            "al parecer",
            "aparentemente",
        ],
        spaced: true,
    },
    Language {
        tag: "pt",
        hedges: &[
            "supostamente",
            "alegadamente",
            "presumivelmente",
            "aparentemente",
        ],
        spaced: true,
    },
    Language {
        tag: "ar",
        hedges: &["يزعم", "يُزعم", "على ما يبدو", "حسبما أفادت التقارير"],
        spaced: true,
    },
    Language {
        tag: "zh",
        hedges: &["据称", "据报道", "据悉", "据说", "疑似"],
        spaced: false,
    },
    Language {
        tag: "ja",
        hedges: &["とされる", "と伝えられ", "とみられる", "模様"],
        spaced: false,
    },
    Language {
        tag: "ko",
        hedges: &["알려졌", "전해졌", "추정된다", "것으로 보인다"],
        spaced: false,
    },
];

/// Finds hedging words of one language (or of all).
#[derive(Debug)]
pub struct HedgeFinder {
    automaton: AhoCorasick,
    /// For each pattern, whether its language separates words.
    spaced: Vec<bool>,
}

impl HedgeFinder {
    fn new(languages: &[&Language]) -> Self {
        let mut patterns = Vec::new();
        let mut spaced = Vec::new();
        for language in languages {
            for word in language.hedges {
                // As written, and capitalised at the start of a sentence.
                for form in [(*word).to_owned(), capitalised(word)] {
                    patterns.push(form);
                    spaced.push(language.spaced);
                }
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .expect("the hedge lists are small");
        Self { automaton, spaced }
    }

    /// The finder for an article's `language:` tag.
    pub fn for_language(tag: Option<&str>) -> &'static HedgeFinder {
        static EACH: LazyLock<Vec<HedgeFinder>> =
            LazyLock::new(|| LANGUAGES.iter().map(|l| HedgeFinder::new(&[l])).collect());
        static ALL: LazyLock<HedgeFinder> =
            LazyLock::new(|| HedgeFinder::new(&LANGUAGES.iter().collect::<Vec<_>>()));
        let primary = tag
            .and_then(|tag| tag.trim().split(['-', '_']).next())
            .map(str::to_ascii_lowercase);
        match LANGUAGES
            .iter()
            .position(|l| Some(l.tag) == primary.as_deref())
        {
            Some(index) => &EACH[index],
            None => &ALL,
        }
    }

    /// The hedging words in `text[range]`, whole words where the language
    /// has them.
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
        HedgeFinder::for_language(tag)
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
