//! The compact text form of the index's numbers, and its sorted, sharded
//! layout.
//!
//! Numbers are written as base-32 digits, each one character of a 64-letter
//! alphabet that JSON carries without escapes: the last digit of a number
//! from the first 32 letters, the others from the last 32. A list of small
//! numbers (doc-id gaps, weights) thus takes about one character each, a
//! third of what JSON numbers with commas would.

use std::cmp::Ordering;

const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Appends `n` to `out` in the compact form.
pub fn number(out: &mut String, n: u32) {
    let mut digits = [0u8; 7];
    let mut len = 0;
    let mut rest = n;
    loop {
        digits[len] = (rest % 32) as u8;
        len += 1;
        rest /= 32;
        if rest == 0 {
            break;
        }
    }
    for (i, &d) in digits[..len].iter().enumerate().rev() {
        let continued = if i > 0 { 32 } else { 0 };
        out.push(ALPHABET[usize::from(d + continued)] as char);
    }
}

/// Sorted ids as gaps from the one before (the first from 0).
pub fn ids(ids: &[u32]) -> String {
    let mut out = String::with_capacity(ids.len());
    let mut last = 0;
    for &id in ids {
        number(&mut out, id - last);
        last = id;
    }
    out
}

/// Postings (sorted ids with their weights) as gap, weight, gap, weight …
pub fn postings(postings: &[(u32, u8)]) -> String {
    let mut out = String::with_capacity(postings.len() * 2);
    let mut last = 0;
    for &(id, weight) in postings {
        number(&mut out, id - last);
        number(&mut out, u32::from(weight));
        last = id;
    }
    out
}

/// Keys in the order JavaScript compares strings (UTF-16 code units), so
/// that the search page's binary search agrees with the shard boundaries.
pub fn key_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Splits sorted entries (key and encoded size) into runs of about `target`
/// bytes; returns the index of each run's first entry. A run holds at least
/// one entry, so one very common word may make a shard larger than `target`.
pub fn runs(sizes: impl Iterator<Item = usize>, target: usize) -> Vec<usize> {
    let mut starts = vec![0];
    let mut filled = 0;
    for (i, size) in sizes.enumerate() {
        if filled > 0 && filled + size > target {
            starts.push(i);
            filled = 0;
        }
        filled += size;
    }
    starts
}

/// A short, stable fingerprint of the index (FNV-1a over 8-byte words), so
/// a browser never mixes shards of two builds from its cache.
pub fn fingerprint<'a>(parts: impl Iterator<Item = &'a [u8]>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut step = |word: u64| {
        hash ^= word;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    };
    for part in parts {
        let mut chunks = part.chunks_exact(8);
        for chunk in &mut chunks {
            step(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        }
        chunks.remainder().iter().for_each(|&b| step(u64::from(b)));
        step(part.len() as u64);
    }
    format!("{:08x}", hash >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(n: u32) -> String {
        let mut s = String::new();
        number(&mut s, n);
        s
    }

    #[test]
    fn small_numbers_take_one_character() {
        assert_eq!(one(0), "0");
        assert_eq!(one(31), "V");
        assert_eq!(one(32), "X0");
        assert_eq!(one(u32::MAX).len(), 7);
        assert_eq!(postings(&[(3, 1), (4, 31), (40, 2)]), "311VX42");
        assert_eq!(ids(&[2, 5]), "23");
    }

    #[test]
    fn runs_fill_to_the_target_and_keep_big_entries_whole() {
        assert_eq!(runs([4, 4, 4, 30, 1].into_iter(), 10), [0, 2, 3, 4]);
        assert_eq!(runs(std::iter::empty(), 10), [0]);
    }

    #[test]
    fn keys_sort_as_javascript_compares_them() {
        // U+FF21 sorts before U+1F600 in UTF-8 byte order but after it in UTF-16.
        assert_eq!(key_order("\u{FF21}", "\u{1F600}"), Ordering::Greater);
        assert_eq!(key_order("ab", "b"), Ordering::Less);
    }
}
