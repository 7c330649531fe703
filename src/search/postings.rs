//! Postings: for every word, the pages it is on and how much it weighs on
//! each. This is most of the work of indexing (every word of every page
//! passes through it), so words are cut and hashed in one pass over each
//! page's lower-cased text, and counted by their 64-bit hash in maps that
//! do no hashing of their own. Two different words sharing a hash, among
//! the hundred thousand or so a large site has, is about as likely as a
//! one in a billion draw; the word kept for a hash is the first one read.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use super::text::{self, MAX_WORD};
use super::{Record, TermWords};

/// Page ids, ascending, each with a weight from 1 to 31.
pub type Postings = Vec<(u32, u8)>;

/// Weights by where a word is; the body adds one more for each doubling of
/// how often the word is in it, so long pages do not drown short ones.
const IN_NAME: u32 = 12;
const IN_TITLE: u32 = 8;
const IN_DESCRIPTION: u32 = 3;
const IN_KEYWORDS: u32 = 2;

/// How many pages one parallel job reads.
const RUN: usize = 256;

/// Keys that are hashes already: the map uses them as they are.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys")
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type ByHash<V> = HashMap<u64, V, BuildHasherDefault<Prehashed>>;

/// The Fx step (as in rustc): a rotate and a multiply per eight bytes.
fn mix(hash: u64, word: u64) -> u64 {
    (hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

/// The hash of a word's lower case, eight bytes at a time (words are short,
/// and a hash step per byte would be most of the cost of reading them).
/// ASCII is lowered eight bytes at once; other words are lowered first.
fn lower_hash(word: &str) -> u64 {
    if !word.is_ascii() {
        return ascii_hash(word.to_lowercase().as_bytes());
    }
    ascii_hash(word.as_bytes())
}

/// The hash of ASCII-lowered bytes (bytes above ASCII pass as they are).
fn ascii_hash(bytes: &[u8]) -> u64 {
    let mut hash = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        hash = mix(hash, lower_ascii(u64::from_le_bytes(chunk.try_into().unwrap_or_default())));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let last = rest.iter().rev().fold(0u64, |n, &b| (n << 8) | u64::from(b));
        hash = mix(hash, lower_ascii(last));
    }
    hash
}

/// Eight bytes with `A`–`Z` made `a`–`z`: a byte is a capital when adding
/// `0x80 - b'A'` sets its top bit and adding `0x7f - b'Z'` does not.
fn lower_ascii(eight: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const TOPS: u64 = 0x8080_8080_8080_8080;
    let low = eight & !TOPS;
    let from_a = low + ONES * u64::from(0x80 - b'A');
    let past_z = low + ONES * u64::from(0x7f - b'Z');
    let capital = from_a & !past_z & !eight & TOPS;
    eight | (capital >> 2)
}

/// A page's fields, each with the weight a word in it gets (0 for the
/// body, where words are counted instead).
fn fields<'a>(record: &Record<'a>) -> Vec<(&'a str, u32)> {
    let mut fields = Vec::with_capacity(record.names.len() + record.keywords.len() + 3);
    fields.extend(record.names.iter().map(|name| (*name, IN_NAME)));
    fields.push((record.title, IN_TITLE));
    fields.push((record.description, IN_DESCRIPTION));
    fields.extend(record.keywords.iter().map(|words| (*words, IN_KEYWORDS)));
    fields.push((record.text, 0));
    fields
}

/// Byte classes for cutting words: [`GAP`] (ASCII that is not a letter or
/// digit), [`WORD`] (ASCII letters and digits), [`WIDE`] (part of a
/// character beyond ASCII, which needs a closer look).
const CLASS: [u8; 256] = {
    let mut table = [WIDE; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = if (b as u8).is_ascii_alphanumeric() { WORD } else { GAP };
        b += 1;
    }
    table
};
const GAP: u8 = 0;
const WORD: u8 = 1;
const WIDE: u8 = 2;

/// The words of `text`, as [`text::words`] cuts them, each with the hash of
/// its lower case. ASCII, which most text is, is classed by table, a run at
/// a time; a character beyond ASCII is decoded where one starts, so the scan
/// always stands on a character boundary.
pub(super) fn words(text: &str) -> impl Iterator<Item = (&str, u64)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    // Moves `at` to the next byte that is not of `class`, deciding wide
    // characters by whether they are letters or digits; false at the end.
    let skip = move |at: &mut usize, in_word: bool| -> bool {
        let class = if in_word { WORD } else { GAP };
        loop {
            match bytes[*at..].iter().position(|&b| CLASS[usize::from(b)] != class) {
                None => {
                    *at = bytes.len();
                    return false;
                }
                Some(n) => *at += n,
            }
            if CLASS[usize::from(bytes[*at])] != WIDE {
                return true;
            }
            let c = text[*at..].chars().next().unwrap_or(' ');
            if c.is_alphanumeric() != in_word {
                return true;
            }
            *at += c.len_utf8();
        }
    };
    std::iter::from_fn(move || {
        loop {
            if !skip(&mut at, false) {
                return None;
            }
            let start = at;
            skip(&mut at, true);
            if at - start <= MAX_WORD {
                let word = &text[start..at];
                return Some((word, lower_hash(word)));
            }
        }
    })
}

/// A word in lower case, borrowed when it is already.
pub(super) fn lowered(word: &str) -> Cow<'_, str> {
    if word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(word.to_lowercase())
    }
}

/// A page's weight for a word: where it is, and how often in the body.
fn weight(field: u32, count: u32) -> u8 {
    let body = if count == 0 { 0 } else { 1 + count.ilog2() };
    (field + body).clamp(1, 31) as u8
}

/// A word on one page while a run is read: the page id, the weight of the
/// best field the word is in, and how often it is in the body.
type Seen = (u32, u32, u32);

/// A run's words while its pages are read, each with the pages it is on.
#[derive(Default)]
struct Run<'t> {
    slots: ByHash<usize>,
    words: Vec<(Cow<'t, str>, Vec<Seen>)>,
}

impl<'t> Run<'t> {
    /// Adds page `id`'s words: one lookup per word read.
    fn count(&mut self, id: u32, fields: &[(&'t str, u32)], terms: &[&'t TermWords]) {
        for &(field, weight) in fields {
            for (word, hash) in words(field) {
                self.add(id, hash, || lowered(word), weight);
            }
        }
        for term in terms {
            for (word, hash) in &term.0 {
                self.add(id, *hash, || Cow::Borrowed(word.as_str()), IN_KEYWORDS);
            }
        }
    }

    fn add(&mut self, id: u32, hash: u64, word: impl FnOnce() -> Cow<'t, str>, weight: u32) {
        let next = self.words.len();
        let slot = *self.slots.entry(hash).or_insert(next);
        if slot == next {
            self.words.push((word(), Vec::new()));
        }
        let list = &mut self.words[slot].1;
        let entry = match list.last_mut() {
            Some(last) if last.0 == id => last,
            _ => {
                list.push((id, 0, 0));
                list.last_mut().expect("just pushed")
            }
        };
        if weight == 0 {
            entry.2 += 1;
        } else {
            entry.1 = entry.1.max(weight);
        }
    }
}

/// Every word's postings and every glossary name's terms. Pages are read in
/// parallel in runs of consecutive ids, so each run's postings are already
/// in order and runs join by appending.
pub fn build(records: &[Record]) -> (BTreeMap<String, Postings>, BTreeMap<String, Vec<u32>>) {
    let runs: Vec<Run> = records
        .par_chunks(RUN)
        .enumerate()
        .map(|(n, chunk)| {
            let mut run = Run::default();
            for (i, record) in chunk.iter().enumerate() {
                run.count((n * RUN + i) as u32, &fields(record), &record.term_words);
            }
            run
        })
        .collect();
    let mut slots: ByHash<usize> = ByHash::default();
    let mut all: Vec<(String, Postings)> = Vec::new();
    for run in runs {
        for (hash, slot) in run.slots {
            let (word, list) = &run.words[slot];
            let at = *slots.entry(hash).or_insert_with(|| {
                all.push((word.to_string(), Vec::new()));
                all.len() - 1
            });
            all[at].1.extend(list.iter().map(|&(id, field, count)| (id, weight(field, count))));
        }
    }
    let words = all.into_iter().collect();
    let mut names: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (id, record) in records.iter().enumerate() {
        for name in &record.names {
            let ids = names.entry(text::name_key(name)).or_default();
            if ids.last() != Some(&(id as u32)) {
                ids.push(id as u32);
            }
        }
    }
    names.remove("");
    (words, names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_cut_as_text_words_cuts_them() {
        let text = "The EU AI Act’s Art. 5 — Évaluation, open-weights ÜNÏCÖDÉ";
        let cut: Vec<String> = words(text).map(|(w, _)| lowered(w).into_owned()).collect();
        assert_eq!(cut, text::words(text).collect::<Vec<_>>());
        let hashes: Vec<u64> = words("Évaluation évaluation EU eu").map(|(_, h)| h).collect();
        assert!(hashes[0] == hashes[1] && hashes[2] == hashes[3]);
        let every: Vec<u8> = (0..128).collect();
        for chunk in every.chunks(8) {
            let eight = u64::from_le_bytes(chunk.try_into().unwrap());
            let lowered: Vec<u8> = chunk.iter().map(u8::to_ascii_lowercase).collect();
            assert_eq!(lower_ascii(eight), u64::from_le_bytes(lowered.try_into().unwrap()));
        }
        let long = "a".repeat(MAX_WORD + 1);
        let text = format!("x {long} y");
        assert_eq!(words(&text).map(|(w, _)| w).collect::<Vec<_>>(), ["x", "y"]);
        let hashes: Vec<u64> = words("model models model").map(|(_, h)| h).collect();
        assert!(hashes[0] == hashes[2] && hashes[0] != hashes[1]);
    }

    #[test]
    fn names_outweigh_titles_outweigh_the_body() {
        let record = Record {
            title: "Open weights",
            names: vec!["Open weights", "LLM"],
            text: "weights weights weights weights model",
            ..Record::default()
        };
        let fields = fields(&record);
        let mut run = Run::default();
        run.count(7, &fields, &[]);
        let w = |word: &str| {
            let (_, list) = run.words.iter().find(|(w, _)| *w == word).unwrap();
            assert_eq!(list[0].0, 7);
            weight(list[0].1, list[0].2)
        };
        assert_eq!(w("llm"), 12);
        assert_eq!(w("weights"), 12 + 3, "a name, and four times in the body");
        assert_eq!(w("model"), 1);
    }

    #[test]
    fn postings_are_in_id_order_and_names_find_their_terms() {
        let titles: Vec<String> = (0..600).map(|i| format!("Page {i}")).collect();
        let mut records: Vec<Record> = titles.iter().map(|t| Record { title: t, ..Record::default() }).collect();
        records.push(Record {
            title: "Large language model",
            names: vec!["Large language model", "LLM"],
            ..Record::default()
        });
        let (words, names) = build(&records);
        let ids: Vec<u32> = words["page"].iter().map(|p| p.0).collect();
        assert_eq!(ids, (0..600).collect::<Vec<u32>>());
        assert_eq!(names["llm"], [600]);
        assert_eq!(names["large language model"], [600]);
    }
}
