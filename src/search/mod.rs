//! Search: the static index the search page queries, made from what the
//! build already knows (titles, kinds, term names, each page's text).
//!
//! The index must answer from static files on any host, and stay small per
//! query at tens of thousands of pages, so it is split three ways, one
//! folder per language (`search/LANG/`):
//!
//! - `index.json`, the manifest: how many pages, the first key of each
//!   shard, and the id ranges of each kind (and, for tools, category and
//!   status). Pages are numbered in that order, so a filter is a few ranges.
//! - `shards/N.json`: the sorted keys cut into runs of about 16 KB. Each
//!   word maps to its postings (page ids with a weight that counts where the
//!   word is: a term's name, the title, the description, the body); each
//!   glossary name (a term's title or synonym, words joined by spaces) maps
//!   to its term, for exact matches. A query loads the shard each word falls
//!   in, and for its last word, read as a prefix, the shards that prefix spans.
//! - `docs/ID.json`: one page's title, path, kind, description and text, for
//!   the result list and its snippets; loaded only for the results shown.
//!
//! Words are cut by [`text::words`]; `/js/search.js` cuts queries the same way.

mod encode;
pub mod text;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

/// One page, as the index needs it.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// The URL path (with `base_url`'s path in front).
    pub path: String,
    pub title: String,
    pub kind: &'static str,
    /// Tools: their category and status; empty for other kinds.
    pub category: String,
    pub status: String,
    /// The description, else the summary or short definition.
    pub description: String,
    /// Terms: the title and synonyms, which find the term exactly.
    pub names: Vec<String>,
    /// Other words that find the page but are not shown: an explainer's
    /// summary and takeaways, and every name of each glossary term the
    /// page uses, so that "LLM" finds pages that say "large language model".
    pub keywords: String,
    /// The body as plain text ([`text::from_html`]).
    pub text: String,
}

/// How far into a page's text snippets can come from; the rest is indexed
/// but not sent to readers.
const TEXT_KEPT: usize = 6_000;
/// The size shards are cut to.
const SHARD_BYTES: usize = 16_000;
/// Weights by where a word is. A posting's weight is at most 31.
const IN_NAME: u32 = 12;
const IN_TITLE: u32 = 8;
const IN_DESCRIPTION: u32 = 3;
const IN_KEYWORDS: u32 = 2;

/// The manifest, `index.json`.
#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    language: &'a str,
    /// A fingerprint of this build of the index, asked for with each file.
    build: String,
    pages: usize,
    /// The first key of each shard; shard `i` holds keys from `shards[i]`
    /// up to `shards[i + 1]`.
    shards: Vec<String>,
    /// `[kind, category, status, first id]`: pages are numbered in groups.
    groups: Vec<(&'a str, &'a str, &'a str, u32)>,
}

/// A result's page, `docs/ID.json`.
#[derive(Serialize)]
struct DocFile<'a> {
    title: &'a str,
    path: &'a str,
    kind: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    category: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    status: &'a str,
    description: &'a str,
    /// Terms: their other names, shown with the result.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    synonyms: &'a [String],
    text: &'a str,
}

/// One shard: words to postings, glossary names to term ids.
#[derive(Serialize, Default)]
struct Shard {
    words: BTreeMap<String, String>,
    names: BTreeMap<String, String>,
}

/// The order kinds are numbered in, which is also the order of the groups.
const KIND_ORDER: [&str; 5] = ["term", "explainer", "tool", "event", "page"];

/// The index of one language's pages: files relative to the output folder.
pub fn index(language: &str, mut records: Vec<Record>) -> Vec<(PathBuf, Vec<u8>)> {
    let rank = |kind: &str| KIND_ORDER.iter().position(|k| *k == kind).unwrap_or(KIND_ORDER.len());
    records.par_sort_by(|a, b| {
        (rank(a.kind), &a.category, &a.status, &a.path).cmp(&(rank(b.kind), &b.category, &b.status, &b.path))
    });
    let dir = PathBuf::from("search").join(language);
    let (words, names) = postings(&records);
    let (shard_keys, mut files) = shards(&dir, words, names);
    let build = encode::fingerprint(files.iter().map(|(_, bytes)| bytes.as_slice()));
    let docs: Vec<(PathBuf, Vec<u8>)> =
        records.par_iter().enumerate().map(|(id, r)| (dir.join(format!("docs/{id}.json")), doc_file(r))).collect();
    let manifest =
        Manifest { version: 1, language, build, pages: records.len(), shards: shard_keys, groups: groups(&records) };
    files.push((dir.join("index.json"), serde_json::to_vec(&manifest).unwrap_or_default()));
    files.extend(docs);
    files
}

fn doc_file(r: &Record) -> Vec<u8> {
    let mut end = r.text.len().min(TEXT_KEPT);
    while !r.text.is_char_boundary(end) {
        end -= 1;
    }
    let doc = DocFile {
        title: &r.title,
        path: &r.path,
        kind: r.kind,
        category: &r.category,
        status: &r.status,
        description: &r.description,
        synonyms: r.names.get(1..).unwrap_or_default(),
        text: &r.text[..end],
    };
    serde_json::to_vec(&doc).unwrap_or_default()
}

/// Where each kind, category and status starts among the sorted records.
fn groups(records: &[Record]) -> Vec<(&str, &str, &str, u32)> {
    let mut out: Vec<(&str, &str, &str, u32)> = Vec::new();
    for (id, r) in records.iter().enumerate() {
        let key = (r.kind, r.category.as_str(), r.status.as_str());
        if out.last().is_none_or(|g| (g.0, g.1, g.2) != key) {
            out.push((key.0, key.1, key.2, id as u32));
        }
    }
    out
}

type Postings = Vec<(u32, u8)>;

/// Every word's postings and every glossary name's terms, by id. Pages are
/// read in parallel, in runs of consecutive ids, so each run's postings are
/// already in order and runs join by appending.
fn postings(records: &[Record]) -> (BTreeMap<String, Postings>, BTreeMap<String, Vec<u32>>) {
    const RUN: usize = 256;
    let runs: Vec<BTreeMap<String, Postings>> = records
        .par_chunks(RUN)
        .enumerate()
        .map(|(run, chunk)| {
            let mut words: BTreeMap<String, Postings> = BTreeMap::new();
            for (i, record) in chunk.iter().enumerate() {
                let id = (run * RUN + i) as u32;
                for (word, weight) in weights(record) {
                    words.entry(word).or_default().push((id, weight));
                }
            }
            words
        })
        .collect();
    let mut words: BTreeMap<String, Postings> = BTreeMap::new();
    for run in runs {
        for (word, list) in run {
            words.entry(word).or_default().extend(list);
        }
    }
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

/// Each word of a page with its weight: where it appears, and how often in
/// the body (counted on a log scale, so long pages do not drown short ones).
fn weights(record: &Record) -> BTreeMap<String, u8> {
    let mut fields: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut mark = |text: &str, weight: u32| {
        for word in text::words(text) {
            let entry = fields.entry(word).or_default();
            entry.0 = entry.0.max(weight);
        }
    };
    for name in &record.names {
        mark(name, IN_NAME);
    }
    mark(&record.title, IN_TITLE);
    mark(&record.description, IN_DESCRIPTION);
    mark(&record.keywords, IN_KEYWORDS);
    for word in text::words(&record.text) {
        fields.entry(word).or_default().1 += 1;
    }
    fields
        .into_iter()
        .map(|(word, (field, count))| {
            let body = if count == 0 { 0 } else { 1 + count.ilog2() };
            (word, (field + body).clamp(1, 31) as u8)
        })
        .collect()
}

/// Cuts the sorted words and names into shards of about [`SHARD_BYTES`].
fn shards(
    dir: &std::path::Path,
    words: BTreeMap<String, Postings>,
    names: BTreeMap<String, Vec<u32>>,
) -> (Vec<String>, Vec<(PathBuf, Vec<u8>)>) {
    let mut keys: Vec<(String, Option<String>, Option<String>)> = Vec::with_capacity(words.len() + names.len());
    let mut names = names.into_iter().peekable();
    for (word, list) in words {
        while names.peek().is_some_and(|(n, _)| n < &word) {
            let (name, ids) = names.next().expect("peeked");
            keys.push((name, None, Some(encode::ids(&ids))));
        }
        let name = names.next_if(|(n, _)| *n == word).map(|(_, ids)| encode::ids(&ids));
        keys.push((word, Some(encode::postings(&list)), name));
    }
    keys.extend(names.map(|(name, ids)| (name, None, Some(encode::ids(&ids)))));
    keys.par_sort_by(|a, b| encode::key_order(&a.0, &b.0));
    let size = |k: &(String, Option<String>, Option<String>)| {
        k.0.len() + k.1.as_ref().map_or(0, String::len) + k.2.as_ref().map_or(0, String::len) + 8
    };
    let starts = encode::runs(keys.iter().map(size), SHARD_BYTES);
    let first_keys: Vec<String> = starts.iter().filter_map(|&i| keys.get(i).map(|k| k.0.clone())).collect();
    let mut shards: Vec<Shard> = starts.iter().map(|_| Shard::default()).collect();
    let mut shard = 0;
    for (i, (key, list, ids)) in keys.into_iter().enumerate() {
        if starts.get(shard + 1) == Some(&i) {
            shard += 1;
        }
        if let Some(list) = list {
            shards[shard].words.insert(key.clone(), list);
        }
        if let Some(ids) = ids {
            shards[shard].names.insert(key, ids);
        }
    }
    let files = shards
        .par_iter()
        .enumerate()
        .map(|(i, s)| (dir.join(format!("shards/{i}.json")), serde_json::to_vec(s).unwrap_or_default()))
        .collect();
    // The first shard starts at the smallest key there could be.
    (std::iter::once(String::new()).chain(first_keys.into_iter().skip(1)).collect(), files)
}
