//! Finding glossary terms in running text.
//!
//! One Aho–Corasick automaton holds every name of every term (titles,
//! synonyms and their simple plurals), so a page's text is read once however
//! many terms the site defines. Matches are whole words; where names overlap
//! the longest wins ("open-source model" over "model").

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// A name found in text: bytes `start..end` name term number `term`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermMatch {
    pub start: usize,
    pub end: usize,
    pub term: usize,
}

struct Pattern {
    term: usize,
    /// Abbreviations (`LLM`, `EU`) match only in capitals, so that a synonym
    /// such as `US` does not turn every "us" into a link.
    exact_case: Option<String>,
}

/// Every name of every term, ready to search text with.
pub struct Matcher {
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher").field("patterns", &self.patterns.len()).finish()
    }
}

impl Matcher {
    /// `names[t]` are the names of term `t`: its title, then its synonyms.
    /// Returns `None` when there is nothing to look for.
    pub fn new(names: &[Vec<String>]) -> Option<Matcher> {
        let mut texts = Vec::new();
        let mut patterns = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (term, list) in names.iter().enumerate() {
            for name in list {
                let name = name.trim();
                if name.is_empty() {
                    continue;
                }
                for form in std::iter::once(name.to_string()).chain(plural(name)) {
                    // A name two terms share is reported elsewhere; the first keeps it.
                    if !seen.insert(form.to_lowercase()) {
                        continue;
                    }
                    let exact_case = is_abbreviation(name).then(|| form.clone());
                    texts.push(form);
                    patterns.push(Pattern { term, exact_case });
                }
            }
        }
        if texts.is_empty() {
            return None;
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&texts)
            .ok()?;
        Some(Matcher { automaton, patterns })
    }

    /// The whole-word mentions in `text`, left to right, never overlapping;
    /// where several names start at one place the longest wins.
    pub fn find(&self, text: &str) -> Vec<TermMatch> {
        let mut found: Vec<TermMatch> = Vec::new();
        for m in self.automaton.find_overlapping_iter(text) {
            let pattern = &self.patterns[m.pattern().as_usize()];
            let (start, end) = (m.start(), m.end());
            if !is_boundary(text, start, end) {
                continue;
            }
            if let Some(exact) = &pattern.exact_case
                && &text[start..end] != exact
            {
                continue;
            }
            found.push(TermMatch { start, end, term: pattern.term });
        }
        // Overlapping matches come in order of their end; keep the leftmost,
        // then the longest, then drop whatever overlaps what was kept.
        found.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        let mut kept: Vec<TermMatch> = Vec::with_capacity(found.len());
        for m in found {
            if kept.last().is_none_or(|k| m.start >= k.end) {
                kept.push(m);
            }
        }
        kept
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
    fn non_ascii_text_around_names_is_safe() {
        let m = names(&[&["modèle"], &["model"]]);
        assert_eq!(found(&m, "« model » — modèle, modèles"), [("model", 1), ("modèle", 0), ("modèles", 0)]);
    }
}
