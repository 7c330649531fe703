//! Finding glossary terms in running text.
//!
//! Every name of every term (titles, synonyms and their simple plurals) is
//! filed under its first word. The text is read once, word by word, hashing
//! each word as it goes (with the word count, see [`Reader`]); only a word
//! that begins some name is looked up, and the names filed under it are
//! compared with the text there, longest first. A site's 2,000 terms cost
//! little more than its 20: most words begin no name, and a bit set of first
//! words small enough to stay in the processor's cache says so at once.
//!
//! When many names share a first word ("model card", "model weights", "model
//! evaluation" …), an Aho–Corasick automaton of all names (a DFA from the
//! `aho-corasick` crate) finds the longest one there with one anchored search.
//!
//! Matches are whole words; where names overlap the longest wins
//! ("open-source model" over "model"). Searching every byte of every page
//! with the automaton alone was slower, on the text of a 10,000-page site,
//! than this takes to find the names and count the words.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

use super::words::{Reader, first_word_hash};

/// A name found in text: bytes `start..end` name term number `term`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermMatch {
    pub start: usize,
    pub end: usize,
    pub term: usize,
}

/// One name of one term.
struct Name {
    term: usize,
    /// The name as written, with ASCII letters in lower case.
    folded: Box<[u8]>,
    /// Abbreviations (`LLM`, `EU`) match only as written, in capitals, so
    /// that a synonym such as `US` does not turn every "us" into a link.
    exact: Option<Box<[u8]>>,
}

impl Name {
    /// Whether the name is written at the start of `text`.
    fn starts(&self, text: &[u8]) -> bool {
        let Some(head) = text.get(..self.folded.len()) else { return false };
        match &self.exact {
            Some(exact) => head == &exact[..],
            None => head.eq_ignore_ascii_case(&self.folded),
        }
    }
}

/// Every name of every term, ready to search text with.
pub struct Matcher {
    names: Vec<Name>,
    /// All names, for first words that begin many ([`FEW_NAMES`]).
    automaton: AhoCorasick,
    /// Names by the hash of their first word, longest first.
    by_first_word: HashMap<u64, Vec<usize>, BuildHasherDefault<Prehashed>>,
    /// The same first words as a bit set over their hashes: a word whose
    /// bit is clear begins no name.
    first_words: Vec<u64>,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher").field("names", &self.names.len()).finish()
    }
}

impl Matcher {
    /// `names[t]` are the names of term `t`: its title, then its synonyms.
    /// A name must start with a letter or digit to be found in text.
    /// Returns `None` when there is nothing to look for.
    pub fn new(names: &[Vec<String>]) -> Option<Matcher> {
        let mut all: Vec<Name> = Vec::new();
        let mut by_first_word: HashMap<u64, Vec<usize>, BuildHasherDefault<Prehashed>> = HashMap::default();
        let mut first_words = vec![0u64; FIRST_WORD_BITS / 64];
        let mut seen = std::collections::HashSet::new();
        for (term, list) in names.iter().enumerate() {
            for name in list {
                let name = name.trim();
                for form in std::iter::once(name.to_string()).chain(plural(name)) {
                    let Some(hash) = first_word_hash(&form) else { continue };
                    // A name two terms share is reported elsewhere; the first keeps it.
                    if !seen.insert(form.to_lowercase()) {
                        continue;
                    }
                    let exact = is_abbreviation(name).then(|| form.as_bytes().into());
                    let folded = form.to_ascii_lowercase().into_bytes().into_boxed_slice();
                    let bit = first_word_bit(hash);
                    first_words[bit / 64] |= 1 << (bit % 64);
                    by_first_word.entry(hash).or_default().push(all.len());
                    all.push(Name { term, folded, exact });
                }
            }
        }
        if all.is_empty() {
            return None;
        }
        for filed in by_first_word.values_mut() {
            filed.sort_by_key(|&n| std::cmp::Reverse(all[n].folded.len()));
        }
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .start_kind(StartKind::Anchored)
            .build(all.iter().map(|n| &n.folded[..]))
            .ok()?;
        Some(Matcher { names: all, automaton, by_first_word, first_words })
    }

    /// The whole-word mentions in `text`, left to right, never overlapping;
    /// where several names start at one place the longest wins.
    pub fn find(&self, text: &str) -> Vec<TermMatch> {
        let mut found = Vec::new();
        self.find_into(text, &mut found);
        found
    }

    /// [`Matcher::find`] into `found` (cleared first, so one buffer serves a
    /// whole page); returns the number of words in `text` for the word count,
    /// from the same reading of it.
    pub fn find_into(&self, text: &str, found: &mut Vec<TermMatch>) -> usize {
        found.clear();
        let mut reader = Reader::new(text);
        while let Some((start, _, hash)) = reader.next_word() {
            let bit = first_word_bit(hash);
            if self.first_words[bit / 64] & (1 << (bit % 64)) == 0 {
                continue;
            }
            let Some(filed) = self.by_first_word.get(&hash) else { continue };
            if let Some(name) = self.longest_at(text, start, filed) {
                let end = start + name.folded.len();
                found.push(TermMatch { start, end, term: name.term });
                reader.skip_to(end);
            }
        }
        reader.finish()
    }

    /// The longest of the names `filed` under the word at `start` that is
    /// written there as a whole word.
    fn longest_at(&self, text: &str, start: usize, filed: &[usize]) -> Option<&Name> {
        let fits = |name: &Name| {
            let end = start + name.folded.len();
            name.starts(&text.as_bytes()[start..]) && text.is_char_boundary(end) && is_boundary(text, start, end)
        };
        if filed.len() > FEW_NAMES {
            let input = Input::new(text).range(start..).anchored(Anchored::Yes);
            let name = &self.names[self.automaton.find(input)?.pattern().as_usize()];
            // The automaton's longest may not end a word, or be in the wrong
            // case; then a shorter name may still fit.
            if fits(name) {
                return Some(name);
            }
        }
        filed.iter().map(|&n| &self.names[n]).find(|name| fits(name))
    }
}

/// Up to this many names under one first word are compared with the text
/// one by one; more go to the automaton.
const FEW_NAMES: usize = 4;

/// Bits in [`Matcher::first_words`]: 8 KiB. With 2,000 terms about one word
/// in twelve that begins no name gets past it, to fail at the lookup.
const FIRST_WORD_BITS: usize = 1 << 16;

fn first_word_bit(hash: u64) -> usize {
    (hash >> 48) as usize
}

/// A hasher for keys that are hashes already.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Whether `start..end` of `text` is a whole word: the characters either side
/// are not part of a word (letters, digits, `-` and `_`), so "model" is not
/// found in "modelling" nor in "open-model".
fn is_boundary(text: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(word) && !after.is_some_and(word)
}

/// Names written in capitals, like `LLM` or `EU`.
fn is_abbreviation(name: &str) -> bool {
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

/// The simple English plural of a name's last word: `benchmark` →
/// `benchmarks`, `policy` → `policies`, `bias` → `biases`, `LLM` → `LLMs`.
/// Words that already look plural (`weights`) get none.
pub fn plural(name: &str) -> Option<String> {
    let last = name.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    if last.is_empty() || !last.chars().all(char::is_alphanumeric) || last.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let lower = last.to_lowercase();
    if is_abbreviation(last) {
        return Some(format!("{name}s"));
    }
    let vowel = |c: char| "aeiou".contains(c);
    if lower.ends_with('y') && lower.len() > 1 && !lower[..lower.len() - 1].ends_with(vowel) {
        return Some(format!("{}ies", &name[..name.len() - 1]));
    }
    if ["ss", "us", "is", "as", "x", "z", "ch", "sh"].iter().any(|e| lower.ends_with(e)) {
        return Some(format!("{name}es"));
    }
    if lower.ends_with('s') {
        return None;
    }
    Some(format!("{name}s"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&[&str]]) -> Matcher {
        let owned: Vec<Vec<String>> = list.iter().map(|l| l.iter().map(|s| s.to_string()).collect()).collect();
        Matcher::new(&owned).unwrap()
    }

    fn found<'t>(m: &Matcher, text: &'t str) -> Vec<(&'t str, usize)> {
        m.find(text).into_iter().map(|f| (&text[f.start..f.end], f.term)).collect()
    }

    #[test]
    fn plurals_are_simple_english() {
        assert_eq!(plural("benchmark").as_deref(), Some("benchmarks"));
        assert_eq!(plural("frontier model").as_deref(), Some("frontier models"));
        assert_eq!(plural("policy").as_deref(), Some("policies"));
        assert_eq!(plural("key").as_deref(), Some("keys"));
        assert_eq!(plural("bias").as_deref(), Some("biases"));
        assert_eq!(plural("model weights"), None);
        assert_eq!(plural("LLM").as_deref(), Some("LLMs"));
        assert_eq!(plural("ISO/IEC 22989"), None);
    }

    #[test]
    fn any_case_whole_words_and_plurals() {
        let m = names(&[&["benchmark"], &["red teaming", "red-teaming"]]);
        assert_eq!(found(&m, "Benchmarks and BENCHMARK, not benchmarking."), [("Benchmarks", 0), ("BENCHMARK", 0)]);
        assert_eq!(found(&m, "Red teaming and red-teaming."), [("Red teaming", 1), ("red-teaming", 1)]);
        assert_eq!(found(&m, "pre-benchmark"), []);
    }

    #[test]
    fn the_longest_name_wins() {
        let m = names(&[&["model"], &["open-source model"], &["AI"], &["AI Act"]]);
        assert_eq!(found(&m, "An open-source model is a model."), [("open-source model", 1), ("model", 0)]);
        // The longer name is not a whole word here, so the shorter one is found.
        assert_eq!(found(&m, "The AI Actor and the AI Act."), [("AI", 2), ("AI Act", 3)]);
    }

    #[test]
    fn abbreviations_match_only_in_capitals() {
        let m = names(&[&["large language model", "LLM"], &["United States", "US"]]);
        assert_eq!(found(&m, "Let us ask the US about LLMs, not llms."), [("US", 1), ("LLMs", 0)]);
    }

    #[test]
    fn finding_counts_words_as_the_word_count_does() {
        let m = names(&[&["model"], &["open-source model"], &["AI Act"]]);
        for text in ["An open-source model, a model and modelling; the AI  Act.", "AI Act’s — “model”", ""] {
            assert_eq!(m.find_into(text, &mut Vec::new()), crate::markdown::words::count_words(text), "{text}");
        }
    }

    #[test]
    fn names_filed_under_one_word_are_told_apart() {
        let m = names(&[&["model"], &["model card"], &["model cards policy"], &["AI"], &["AI Act"]]);
        assert_eq!(
            found(&m, "A model card, model cards, a model, model-cards, AI-Act, AI Act."),
            [("model card", 1), ("model cards", 1), ("model", 0), ("AI Act", 4)]
        );
        assert_eq!(found(&m, "«modèle» model_x x-model models"), [("models", 0)]);
        assert_eq!(found(&m, ""), []);
        // Many names under one word go through the automaton.
        let many: Vec<Vec<String>> = (1..=20).map(|n| vec![format!("Alignment {n}")]).collect();
        let m = Matcher::new(&many).unwrap();
        assert_eq!(
            found(&m, "alignment 1, Alignment 12, alignment 123, alignment 20s"),
            [("alignment 1", 0), ("Alignment 12", 11),]
        );
        let m = names(&[&["AI"], &["AI Act"], &["AI Acts"], &["AI Actor x"], &["AI Acting"], &["AI Actions"]]);
        assert_eq!(found(&m, "The AI Actor, AI Acting."), [("AI", 0), ("AI Acting", 4)]);
    }

    #[test]
    fn non_ascii_text_around_names_is_safe() {
        let m = names(&[&["modèle"], &["model"]]);
        assert_eq!(found(&m, "« model » — modèle, modèles"), [("model", 1), ("modèle", 0), ("modèles", 0)]);
    }
}
