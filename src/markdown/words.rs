//! Reading text word by word.
//!
//! Two notions of a word meet here. For counting (word count, reading
//! time), a word is a run of characters between spaces with at least one
//! letter or digit in it, so "e.g." and "don’t" are one word each. For
//! finding glossary terms, a word is a run of letters, digits, `-` and `_`
//! in any script, so "AI" is found in "AI’s" but "model" not in "open-model".
//! [`Reader`] walks text once and serves both, since every byte of every
//! page goes through it.

/// ASCII byte classes: [`SPACE`], [`OTHER`], or a word byte in lower case.
const CLASS: [u8; 128] = {
    let mut table = [OTHER; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' {
            table[b] = c.to_ascii_lowercase();
        } else if (c as char).is_whitespace() {
            table[b] = SPACE;
        }
        b += 1;
    }
    table
};
const OTHER: u8 = 0;
const SPACE: u8 = 1;

/// Every byte's part in a term word: [`ALNUM`] and [`WORD`] (`-`, `_`) are
/// in one; any other byte (spaces, punctuation, and all non-ASCII bytes,
/// which need a closer look) ends it.
const KIND: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = ALNUM;
        } else if c == b'-' || c == b'_' {
            table[b] = WORD;
        }
        b += 1;
    }
    table
};
const WORD: u8 = 1;
const ALNUM: u8 = 2;

/// Walks text, handing out term words with a hash of each, and counting
/// words for the word count as it goes.
pub struct Reader<'t> {
    text: &'t str,
    at: usize,
    /// Words counted so far.
    pub words: usize,
    /// Whether the run of characters since the last space has been counted.
    counted: bool,
}

impl<'t> Reader<'t> {
    pub fn new(text: &'t str) -> Self {
        Reader { text, at: 0, words: 0, counted: false }
    }

    /// A reader that starts at byte `at` (a character boundary), for looking
    /// ahead; its word count starts from nothing.
    pub fn at(text: &'t str, at: usize) -> Self {
        Reader { text, at, words: 0, counted: true }
    }

    /// The next term word: its start and end.
    #[inline(always)]
    pub fn next_word(&mut self) -> Option<(usize, usize)> {
        // Locals, not fields, in the loops: this runs on every byte of every page.
        let text = self.text;
        let bytes = text.as_bytes();
        let mut at = self.at;
        let mut counted = self.counted;
        // Skip to the start of a word.
        let start = loop {
            let Some(&b) = bytes.get(at) else {
                self.at = at;
                self.counted = counted;
                return None;
            };
            if b < 0x80 {
                match CLASS[b as usize] {
                    SPACE => counted = false,
                    OTHER => {}
                    _ => break at,
                }
                at += 1;
            } else {
                let c = text[at..].chars().next().unwrap_or(' ');
                if c.is_alphanumeric() {
                    break at;
                }
                if c.is_whitespace() {
                    counted = false;
                }
                at += c.len_utf8();
            }
        };
        // The word: ASCII bytes a table lookup each; whether it has a letter
        // or digit is noted as it goes, and counted once it ends.
        let mut alnum = false;
        loop {
            let rest = &bytes[at..];
            let run = rest.iter().position(|&b| KIND[b as usize] < WORD).unwrap_or(rest.len());
            alnum |= rest[..run].iter().any(|&b| KIND[b as usize] == ALNUM);
            at += run;
            match text[at..].chars().next() {
                Some(c) if !c.is_ascii() && c.is_alphanumeric() => {
                    alnum = true;
                    at += c.len_utf8();
                }
                _ => break,
            }
        }
        let mut words = self.words;
        if alnum && !counted {
            words += 1;
            counted = true;
        }
        self.at = at;
        self.counted = counted;
        self.words = words;
        Some((start, at))
    }

    /// Moves on to byte `end`, counting the words on the way.
    pub fn skip_to(&mut self, end: usize) {
        if end <= self.at {
            return;
        }
        for c in self.text[self.at..end].chars() {
            if c.is_whitespace() {
                self.counted = false;
            } else if !self.counted && c.is_alphanumeric() {
                self.words += 1;
                self.counted = true;
            }
        }
        self.at = end;
    }

    /// Counts the rest of the text.
    pub fn finish(mut self) -> usize {
        self.skip_to(self.text.len());
        self.words
    }
}

/// A hash of a term word (as [`Reader::next_word`] finds them), with ASCII
/// letters in lower case, so that "Model" and "MODEL" hash alike.
#[inline]
pub fn hash(word: &str) -> u64 {
    hash_bytes(word.as_bytes())
}

/// [`hash`] of a word's bytes.
#[inline]
pub fn hash_bytes(word: &[u8]) -> u64 {
    let mut hash = 0u64;
    for &b in word {
        hash = mix(hash, if b < 0x80 { CLASS[b as usize] } else { b });
    }
    finish(hash)
}

/// A term word's first byte as [`hash`] sees it.
#[inline]
pub fn lead_byte(word: &[u8]) -> u8 {
    match word.first() {
        Some(&b) if b < 0x80 => CLASS[b as usize],
        Some(&b) => b,
        None => 0,
    }
}

/// The words of a name, each with its hash; `None` when the name does not
/// start with a word character (it could not be found in text).
pub fn name_words(name: &str) -> Option<Vec<(usize, usize, u64)>> {
    let mut reader = Reader::new(name);
    let mut words = Vec::new();
    while let Some((start, end)) = reader.next_word() {
        words.push((start, end, hash(&name[start..end])));
    }
    (words.first()?.0 == 0).then_some(words)
}

/// Words for the word count: runs between spaces with a letter or digit.
pub fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return Reader::new(text).finish();
    }
    // The usual all-ASCII text: split at spaces, and a token is a word if it
    // has a letter or digit (almost always its first byte, so `any` stops there).
    text.as_bytes()
        .split(|&b| CLASS[b as usize] == SPACE)
        .filter(|token| token.iter().any(u8::is_ascii_alphanumeric))
        .count()
}

/// One step of a quick hash of a word, byte by byte: a rotate and an xor,
/// so that the chain of steps costs little; [`finish`] then spreads the bits.
fn mix(hash: u64, b: u8) -> u64 {
    hash.rotate_left(5) ^ u64::from(b)
}

/// The last step of a word's hash (FxHash's multiply), once per word.
fn finish(hash: u64) -> u64 {
    hash.wrapping_mul(0x517c_c1b7_2722_0a95)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain_count(text: &str) -> usize {
        text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
    }

    #[test]
    fn counting_matches_the_plain_definition() {
        for text in [
            "One, two – three ... 4 !",
            "Übersicht und – Régime; e.g. don’t stop",
            "AI-generated,model_x --- __ x\u{b}y\u{a0}z",
            "",
            "   ",
            "«modèle» modèles",
        ] {
            assert_eq!(count_words(text), plain_count(text), "{text:?}");
            let mut r = Reader::new(text);
            r.next_word();
            assert_eq!(r.finish(), plain_count(text), "{text:?}");
        }
    }

    #[test]
    fn term_words_hash_the_same_in_any_ascii_case() {
        let text = "The AI-Act, the ai-act’s …";
        let mut r = Reader::new(text);
        let words: Vec<_> = std::iter::from_fn(|| r.next_word()).map(|(s, e)| &text[s..e]).collect();
        assert_eq!(words, ["The", "AI-Act", "the", "ai-act", "s"]);
        assert_eq!(hash(words[1]), hash(words[3]));
        assert_ne!(hash(words[0]), hash(words[1]));
        let name = name_words("AI-Act model").unwrap();
        assert_eq!(name.iter().map(|w| w.2).collect::<Vec<_>>(), [hash("ai-act"), hash("MODEL")]);
        assert_eq!(name_words("“quoted”"), None);
    }
}
