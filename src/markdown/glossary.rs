//! Finding glossary terms in running text.
//!
//! Every name of every term (titles, synonyms and their simple plurals) is
//! filed in a trie of words: a name is the path of its words' hashes from the
//! root. The text is read once, word by word (with the word count, see
//! [`Reader`]); a word that begins some name is followed down the trie as far
//! as the text's next words allow, and the longest name found there that is
//! written in the text as a whole word wins ("open-source model" over
//! "model"). Most words begin no name, and a bit set over the first two bytes
//! and the length of first words, small enough to stay in the processor's cache,
//! says so before the word is even hashed.
//!
//! So a site's 2,000 terms cost little more than its 20. On the 47 MB of
//! text of a generated 10,000-page site with 2,000 terms, finding every name
//! and counting the words took 148 ms on one core; the `aho-corasick`
//! crate's DFA took 110 ms to find the names alone, before any check for
//! whole words, with the words still to count.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::words::{Reader, hash_bytes, lead_byte, name_words};

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

/// A node of the trie: the names whose last word ends here, and where each
/// next word leads.
#[derive(Default)]
struct Node {
    names: Vec<usize>,
    next: HashMap<u64, usize, BuildHasherDefault<Prehashed>>,
}

/// Every name of every term, ready to search text with.
pub struct Matcher {
    names: Vec<Name>,
    /// The trie; node 0 is the root, whose words begin names.
    nodes: Vec<Node>,
    /// A bit set over the first two bytes and the length of every first
    /// word (see [`lead_bit`]): a word whose bit is clear begins no name.
    leads: Vec<u64>,
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
        let mut matcher = Matcher { names: Vec::new(), nodes: vec![Node::default()], leads: vec![0; LEAD_BITS / 64] };
        let mut seen = std::collections::HashSet::new();
        for (term, list) in names.iter().enumerate() {
            for name in list {
                let name = name.trim();
                for form in std::iter::once(name.to_string()).chain(plural(name)) {
                    let Some(words) = name_words(&form) else { continue };
                    // A name two terms share is reported elsewhere; the first keeps it.
                    if !seen.insert(form.to_lowercase()) {
                        continue;
                    }
                    let (first_start, first_end, _) = words[0];
                    let first = &form[first_start..first_end];
                    let bit = lead_bit(first.as_bytes());
                    matcher.leads[bit / 64] |= 1 << (bit % 64);
                    let mut node = 0;
                    for &(_, _, word) in &words {
                        node = match matcher.nodes[node].next.get(&word) {
                            Some(&n) => n,
                            None => {
                                matcher.nodes.push(Node::default());
                                let n = matcher.nodes.len() - 1;
                                matcher.nodes[node].next.insert(word, n);
                                n
                            }
                        };
                    }
                    matcher.nodes[node].names.push(matcher.names.len());
                    let exact = is_abbreviation(name).then(|| form.as_bytes().into());
                    let folded = form.to_ascii_lowercase().into_bytes().into_boxed_slice();
                    matcher.names.push(Name { term, folded, exact });
                }
            }
        }
        (!matcher.names.is_empty()).then_some(matcher)
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
        let bytes = text.as_bytes();
        while let Some((start, end)) = reader.next_word() {
            let word = &bytes[start..end];
            let bit = lead_bit(word);
            if self.leads[bit / 64] & (1 << (bit % 64)) == 0 {
                continue;
            }
            let Some(&node) = self.nodes[0].next.get(&hash_bytes(word)) else { continue };
            if let Some(name) = self.longest_at(text, start, end, node) {
                let end = start + name.folded.len();
                found.push(TermMatch { start, end, term: name.term });
                reader.skip_to(end);
            }
        }
        reader.finish()
    }

    /// The longest name written as a whole word at `start`, whose first word
    /// (ending at `first_end`) led to trie node `node`.
    fn longest_at(&self, text: &str, start: usize, first_end: usize, mut node: usize) -> Option<&Name> {
        let fits = |name: &&Name| {
            let end = start + name.folded.len();
            name.starts(&text.as_bytes()[start..]) && text.is_char_boundary(end) && is_boundary(text, start, end)
        };
        let mut best = None;
        let mut ahead = Reader::at(text, first_end);
        loop {
            let here = &self.nodes[node];
            if let Some(name) = here.names.iter().map(|&n| &self.names[n]).find(fits) {
                best = Some(name);
            }
            if here.next.is_empty() {
                break;
            }
            let Some((s, e)) = ahead.next_word() else { break };
            let Some(&n) = here.next.get(&hash_bytes(&text.as_bytes()[s..e])) else { break };
            node = n;
        }
        best
    }
}

/// Bits in [`Matcher::leads`]: 16 KiB, small enough to stay in the
/// processor's nearest cache.
const LEAD_BITS: usize = 1 << 17;

/// A word's bit in [`Matcher::leads`]: six bits of each of its first two
/// bytes (in lower case) and five of its length.
#[inline]
fn lead_bit(word: &[u8]) -> usize {
    let first = usize::from(lead_byte(word)) & 0x3f;
    let second = usize::from(word.get(1).map_or(0, |&b| lead_byte(&[b]))) & 0x3f;
    (first << 11) | (second << 5) | word.len().min(31)
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
