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
//! - `docs/N.json`: four pages each (ids `4N` to `4N + 3`): title, path,
//!   kind, description, other names (terms) and the start of the text, for
//!   the result list and its snippets; loaded only for the results shown.
//!   A file per page would cost a build as much again as the postings; four
//!   keep the files few and a page of ten results under 150 KB.
//!
//! Words are cut by [`text::words`]; `/js/search.js` cuts queries the same way.

mod encode;
mod postings;
pub mod text;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

/// One page, as the index needs it.
#[derive(Debug, Clone, Default)]
pub struct Record<'a> {
    /// The URL path (with `base_url`'s path in front).
    pub path: String,
    pub title: &'a str,
    pub kind: &'static str,
    /// Tools: their category and status; empty for other kinds.
    pub category: String,
    pub status: String,
    /// The description, else the summary or short definition.
    pub description: &'a str,
    /// Terms: the title and synonyms, which find the term exactly.
    pub names: Vec<&'a str>,
    /// Other words that find the page but are not shown: an explainer's
    /// summary and takeaways.
    pub keywords: Vec<&'a str>,
    /// The words of every name of each glossary term the page uses (see
    /// [`TermWords`]), so that "LLM" finds pages that say "large language model".
    pub term_words: Vec<&'a TermWords>,
    /// The body as plain text (as the first Markdown pass keeps it).
    pub text: &'a str,
}

/// The words of a glossary term's names, cut and hashed once for every
/// page that uses the term.
#[derive(Debug, Clone, Default)]
pub struct TermWords(Vec<(String, u64)>);

impl TermWords {
    pub fn new(names: &[&str]) -> TermWords {
        let mut words: Vec<(String, u64)> = Vec::new();
        for name in names {
            for (word, hash) in postings::words(name) {
                if !words.iter().any(|(_, h)| *h == hash) {
                    words.push((postings::lowered(word).into_owned(), hash));
                }
            }
        }
        TermWords(words)
    }
}

/// How far into a page's text snippets can come from; the rest is indexed
/// but not sent to readers.
const TEXT_KEPT: usize = 3_000;
/// The size shards are cut to.
const SHARD_BYTES: usize = 16_000;

/// The manifest, `index.json`.
#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    language: &'a str,
    /// A fingerprint of this build of the index, asked for with each file.
    build: String,
    pages: usize,
    /// Page `id` is entry `id % docs_per_file` of `docs/{id / docs_per_file}.json`.
    docs_per_file: usize,
    /// The first key of each shard; shard `i` holds keys from `shards[i]`
    /// up to `shards[i + 1]`.
    shards: Vec<String>,
    /// `[kind, category, status, first id]`: pages are numbered in groups.
    groups: Vec<(&'a str, &'a str, &'a str, u32)>,
}

/// How many pages share a `docs/N.json`.
const DOCS_PER_FILE: usize = 4;

/// A result's page, in `docs/N.json`.
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
    #[serde(skip_serializing_if = "<[&str]>::is_empty")]
    synonyms: &'a [&'a str],
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

/// Where the index's files go: each file (relative to the output folder)
/// is handed over as soon as it is made, so the index never holds all of
/// its files at once. Called from several threads.
pub type Write<'w> = dyn Fn(PathBuf, Vec<u8>) + Sync + 'w;

/// The index of one language's pages, handed to `write` file by file;
/// returns how many files it wrote.
pub fn index(language: &str, mut records: Vec<Record>, write: &Write) -> usize {
    let rank = |kind: &str| KIND_ORDER.iter().position(|k| *k == kind).unwrap_or(KIND_ORDER.len());
    records.par_sort_by(|a, b| {
        (rank(a.kind), &a.category, &a.status, &a.path).cmp(&(rank(b.kind), &b.category, &b.status, &b.path))
    });
    let dir = PathBuf::from("search").join(language);
    // Each file's fingerprint is taken before it goes; the manifest's is
    // made from them all, in order: shards, then docs.
    let send = |path: PathBuf, bytes: Vec<u8>| {
        let print = encode::fingerprint(std::iter::once(bytes.as_slice()));
        write(path, bytes);
        print
    };
    let (words, names) = postings::build(&records);
    let (shard_keys, mut prints) = shards(&dir, words, names, &send);
    prints.par_extend(
        records
            .par_chunks(DOCS_PER_FILE)
            .enumerate()
            .map(|(n, chunk)| send(dir.join(format!("docs/{n}.json")), doc_file(chunk))),
    );
    let build = encode::fingerprint(prints.iter().map(String::as_bytes));
    let manifest = Manifest {
        version: 1,
        language,
        build,
        pages: records.len(),
        docs_per_file: DOCS_PER_FILE,
        shards: shard_keys,
        groups: groups(&records),
    };
    write(dir.join("index.json"), serde_json::to_vec(&manifest).unwrap_or_default());
    prints.len() + 1
}

fn doc_file(records: &[Record]) -> Vec<u8> {
    let docs: Vec<DocFile> = records
        .iter()
        .map(|r| {
            let mut end = r.text.len().min(TEXT_KEPT);
            while !r.text.is_char_boundary(end) {
                end -= 1;
            }
            DocFile {
                title: r.title,
                path: &r.path,
                kind: r.kind,
                category: &r.category,
                status: &r.status,
                description: r.description,
                synonyms: r.names.get(1..).unwrap_or_default(),
                text: &r.text[..end],
            }
        })
        .collect();
    serde_json::to_vec(&docs).unwrap_or_default()
}

/// Where each kind, category and status starts among the sorted records.
fn groups<'a>(records: &'a [Record]) -> Vec<(&'a str, &'a str, &'a str, u32)> {
    let mut out: Vec<(&str, &str, &str, u32)> = Vec::new();
    for (id, r) in records.iter().enumerate() {
        let key = (r.kind, r.category.as_str(), r.status.as_str());
        if out.last().is_none_or(|g| (g.0, g.1, g.2) != key) {
            out.push((key.0, key.1, key.2, id as u32));
        }
    }
    out
}

/// Cuts the sorted words and names into shards of about [`SHARD_BYTES`],
/// and sends each; returns the shards' first keys and their fingerprints.
fn shards(
    dir: &std::path::Path,
    words: BTreeMap<String, postings::Postings>,
    names: BTreeMap<String, Vec<u32>>,
    send: &(dyn Fn(PathBuf, Vec<u8>) -> String + Sync),
) -> (Vec<String>, Vec<String>) {
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
    let prints = shards
        .into_par_iter()
        .enumerate()
        .map(|(i, s)| send(dir.join(format!("shards/{i}.json")), serde_json::to_vec(&s).unwrap_or_default()))
        .collect();
    // The first shard starts at the smallest key there could be.
    (std::iter::once(String::new()).chain(first_keys.into_iter().skip(1)).collect(), prints)
}
