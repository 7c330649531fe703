//! Postings: for every word, the pages it is on and how much it weighs on
//! each. This is most of the work of indexing, so it borrows words from each
//! page's lower-cased text instead of copying them, and counts them in hash
//! maps with a fast hash rather than in sorted trees.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use super::Record;
use super::text::{self, MAX_WORD};

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

/// The Fx hash (as in rustc): a multiply and a rotate per byte, plenty for
/// short words that no one chooses to collide.
#[derive(Default)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// A page's fields in lower case, each with the weight a word in it gets
/// (0 for the body, where words are counted instead).
fn lowered(record: &Record) -> [(String, u32); 5] {
    [
        (record.names.join(" ").to_lowercase(), IN_NAME),
        (record.title.to_lowercase(), IN_TITLE),
        (record.description.to_lowercase(), IN_DESCRIPTION),
        (record.keywords.to_lowercase(), IN_KEYWORDS),
        (record.text.to_lowercase(), 0),
    ]
}

/// The words of lower-cased text, as [`text::words`] cuts them. ASCII,
/// which most text is, is classed byte by byte without decoding; the scan
/// always stands on a character boundary.
fn words(lower: &str) -> impl Iterator<Item = &str> {
    let bytes = lower.as_bytes();
    let mut at = 0;
    // The length of the character at `at`, and whether it is in a word.
    let class = move |at: usize| -> (usize, bool) {
        let b = bytes[at];
        if b.is_ascii() {
            (1, b.is_ascii_alphanumeric())
        } else {
            lower[at..].chars().next().map_or((1, false), |c| (c.len_utf8(), c.is_alphanumeric()))
        }
    };
    std::iter::from_fn(move || {
        loop {
            while at < bytes.len() {
                let (len, in_word) = class(at);
                if in_word {
                    break;
                }
                at += len;
            }
            if at >= bytes.len() {
                return None;
            }
            let start = at;
            while at < bytes.len() {
                let (len, in_word) = class(at);
                if !in_word {
                    break;
                }
                at += len;
            }
            if at - start <= MAX_WORD {
                return Some(&lower[start..at]);
            }
        }
    })
}

/// A page's weight for a word: where it is, and how often in the body.
fn weight(field: u32, count: u32) -> u8 {
    let body = if count == 0 { 0 } else { 1 + count.ilog2() };
    (field + body).clamp(1, 31) as u8
}

/// A word's postings while a run of pages is read: id, the weight of the
/// best field it is in, and how often it is in the body.
type Counting = Vec<(u32, u32, u32)>;

/// Adds page `id`'s words to a run's postings: one lookup per word read.
fn count<'t>(run: &mut FxMap<&'t str, Counting>, id: u32, fields: &'t [(String, u32); 5]) {
    for (field, weight) in fields {
        for word in words(field) {
            let list = run.entry(word).or_default();
            let entry = match list.last_mut() {
                Some(last) if last.0 == id => last,
                _ => {
                    list.push((id, 0, 0));
                    list.last_mut().expect("just pushed")
                }
            };
            if *weight == 0 {
                entry.2 += 1;
            } else {
                entry.1 = entry.1.max(*weight);
            }
        }
    }
}

/// Every word's postings and every glossary name's terms. Pages are read in
/// parallel in runs of consecutive ids, so each run's postings are already
/// in order and runs join by appending.
pub fn build(records: &[Record]) -> (BTreeMap<String, Postings>, BTreeMap<String, Vec<u32>>) {
    let fields: Vec<[(String, u32); 5]> = records.par_iter().map(lowered).collect();
    let runs: Vec<FxMap<&str, Postings>> = fields
        .par_chunks(RUN)
        .enumerate()
        .map(|(run, chunk)| {
            let mut counts: FxMap<&str, Counting> = FxMap::default();
            for (i, page) in chunk.iter().enumerate() {
                count(&mut counts, (run * RUN + i) as u32, page);
            }
            counts
                .into_iter()
                .map(|(word, list)| (word, list.into_iter().map(|(id, f, n)| (id, weight(f, n))).collect()))
                .collect()
        })
        .collect();
    let mut all: FxMap<&str, Postings> = FxMap::default();
    for run in runs {
        for (word, list) in run {
            all.entry(word).or_default().extend(list);
        }
    }
    let words = all.into_iter().map(|(word, list)| (word.to_string(), list)).collect();
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
        let text = "the eu ai act’s art. 5 — évaluation, open-weights ünïcödé";
        assert_eq!(words(text).collect::<Vec<_>>(), text::words(text).collect::<Vec<_>>());
        let long = "a".repeat(MAX_WORD + 1);
        let text = format!("x {long} y");
        assert_eq!(words(&text).collect::<Vec<_>>(), ["x", "y"]);
    }

    #[test]
    fn names_outweigh_titles_outweigh_the_body() {
        let record = Record {
            title: "Open weights",
            names: vec!["Open weights".into(), "LLM".into()],
            text: "weights weights weights weights model",
            ..Record::default()
        };
        let fields = lowered(&record);
        let mut run = FxMap::default();
        count(&mut run, 7, &fields);
        let w = |word: &str| weight(run[word][0].1, run[word][0].2);
        assert_eq!(run["llm"][0].0, 7);
        assert_eq!(w("llm"), 12);
        assert_eq!(w("weights"), 12 + 3, "a name, and four times in the body");
        assert_eq!(w("model"), 1);
    }

    #[test]
    fn postings_are_in_id_order_and_names_find_their_terms() {
        let titles: Vec<String> = (0..600).map(|i| format!("Page {i}")).collect();
        let page = |title: &'static str, names: &[&str]| Record {
            title,
            names: names.iter().map(|n| n.to_string()).collect(),
            ..Record::default()
        };
        let mut records: Vec<Record> = titles.iter().map(|t| Record { title: t, ..Record::default() }).collect();
        records.push(page("Large language model", &["Large language model", "LLM"]));
        let (words, names) = build(&records);
        let ids: Vec<u32> = words["page"].iter().map(|p| p.0).collect();
        assert_eq!(ids, (0..600).collect::<Vec<u32>>());
        assert_eq!(names["llm"], [600]);
        assert_eq!(names["large language model"], [600]);
    }
}
