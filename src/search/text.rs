//! Words as the index knows them, cut the way the search page's script cuts
//! a query.

/// Longest word the index keeps: longer runs are hashes, URLs or noise.
pub const MAX_WORD: usize = 40;

/// The words of `text` in lower case: runs of letters and digits (in any
/// script). The search page's script cuts queries the same way.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty() && w.len() <= MAX_WORD).map(str::to_lowercase)
}

/// A name (a term's title or synonym) as the index keys it: its words,
/// joined by single spaces.
pub fn name_key(name: &str) -> String {
    words(name).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_case_letters_and_digits_in_any_script() {
        let w: Vec<String> = words("The EU AI Act’s Art. 5 — Évaluation, open-weights").collect();
        assert_eq!(w, ["the", "eu", "ai", "act", "s", "art", "5", "évaluation", "open", "weights"]);
        assert_eq!(name_key("Large  language-model"), "large language model");
    }
}
