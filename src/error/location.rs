//! Where a problem is: a file, a line and column in it, and the line itself.
//!
//! A page can have a problem on every line (an image without alt text
//! 90,000 times over), and so as many locations to find. [`Location::at`]
//! reads the text from its start to find one; [`Locator`] indexes the lines
//! of a text once, when the first location is asked for, and finds each of
//! them in a few steps, so such a page is reported in a fraction of a second
//! rather than the 15 s of reading the text again for every problem.
//!
//! The line is shown whole as long as it is short ([`WHOLE_LINE`] bytes), as
//! most lines of Markdown are; of a longer line (a paragraph written on one
//! line, a generated table row) only the part around the problem is shown,
//! between `…` marks, so that 20,000 problems on one 1 MB line print 20,000
//! short snippets rather than 20 GB.

use std::cell::OnceCell;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Lines up to this many bytes are shown whole.
const WHOLE_LINE: usize = 300;
/// Of a longer line: how many characters are shown before the problem,
/// and how many from its start on.
const BEFORE: usize = 60;
const FROM: usize = 180;

/// Where a problem is: a file relative to the site root, and a position in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    pub file: PathBuf,
    /// 1-based line, 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters, 0 when unknown.
    pub column: usize,
    /// The source line with the problem marked.
    pub snippet: Option<Snippet>,
}

/// A source line as a diagnostic shows it, with a span marked under it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Snippet {
    /// The line, or the part of a long line around the span.
    pub text: String,
    /// Characters of `text` before the span.
    pub before: usize,
    /// Characters of the span (at least one, so that the mark shows).
    pub marked: usize,
}

impl Location {
    /// A location naming only a file.
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location { file: file.into(), line: 0, column: 0, snippet: None }
    }

    /// A location at byte `offset` (marking `len` bytes) of `source`, the
    /// text of `file`. For many locations in one text, see [`Locator`].
    pub fn at(file: impl Into<PathBuf>, source: &str, offset: usize, len: usize) -> Self {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[offset..].find('\n').map_or(source.len(), |i| offset + i);
        let line = source[..offset].bytes().filter(|&b| b == b'\n').count() + 1;
        let column = source[line_start..offset].chars().count() + 1;
        let snippet = Snippet::new(source, line_start..line_end, offset, len);
        Location { file: file.into(), line, column, snippet: Some(snippet) }
    }
}

impl Snippet {
    /// Line `line` of `source`, with the span of `len` bytes at `offset` marked
    /// (up to the line's end).
    fn new(source: &str, line: Range<usize>, offset: usize, len: usize) -> Snippet {
        let end = floor_char_boundary(source, (offset + len).min(line.end)).max(offset);
        if line.len() <= WHOLE_LINE {
            let text = source[line.clone()].trim_end_matches('\r').to_string();
            let before = source[line.start..offset].chars().count();
            let marked = source[offset..end].chars().count().max(1);
            return Snippet { text, before, marked };
        }
        let from =
            source[line.start..offset].char_indices().rev().nth(BEFORE - 1).map_or(line.start, |(i, _)| line.start + i);
        let to = source[offset..line.end].char_indices().nth(FROM).map_or(line.end, |(i, _)| offset + i);
        let cut_before = from > line.start;
        let shown = source[from..to].trim_end_matches('\r');
        let mut text = String::with_capacity(shown.len() + 6);
        if cut_before {
            text.push('…');
        }
        text.push_str(shown);
        if !source[to..line.end].trim_end_matches('\r').is_empty() {
            text.push('…');
        }
        let before = usize::from(cut_before) + source[from..offset].chars().count();
        let marked = source[offset..end.min(to)].chars().count().max(1);
        Snippet { text, before, marked }
    }
}

/// Locations in one text, as many as needed, for the cost of one reading
/// of it (made when the first is asked for, so a locator that is never
/// asked costs nothing).
pub struct Locator<'s> {
    file: &'s Path,
    source: &'s str,
    index: OnceCell<Index>,
}

/// Where the lines of a text start, and how many characters come before
/// every [`CHUNK`]th byte (for columns on long lines).
struct Index {
    lines: Vec<usize>,
    chars: Vec<usize>,
}

const CHUNK: usize = 256;

impl<'s> Locator<'s> {
    pub fn new(file: &'s Path, source: &'s str) -> Self {
        Locator { file, source, index: OnceCell::new() }
    }

    /// The same as [`Location::at`] with the same arguments.
    pub fn at(&self, offset: usize, len: usize) -> Location {
        let source = self.source;
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let index = self.index.get_or_init(|| Index::new(source));
        // The first line starts at 0, so at least one line starts at or before `offset`.
        let line = index.lines.partition_point(|&start| start <= offset);
        let line_start = index.lines[line - 1];
        let line_end = index.lines.get(line).map_or(source.len(), |&next| next - 1);
        let column = index.chars_before(source, offset) - index.chars_before(source, line_start) + 1;
        let snippet = Snippet::new(source, line_start..line_end, offset, len);
        Location { file: self.file.to_path_buf(), line, column, snippet: Some(snippet) }
    }
}

impl Index {
    fn new(source: &str) -> Index {
        let bytes = source.as_bytes();
        let mut lines = vec![0];
        lines.extend(bytes.iter().enumerate().filter(|&(_, &b)| b == b'\n').map(|(i, _)| i + 1));
        let mut chars = Vec::with_capacity(bytes.len() / CHUNK + 1);
        let mut total = 0;
        chars.push(0);
        for chunk in bytes.chunks(CHUNK) {
            total += char_starts(chunk);
            chars.push(total);
        }
        Index { lines, chars }
    }

    /// Characters in `source[..at]` (`at` on a character boundary).
    fn chars_before(&self, source: &str, at: usize) -> usize {
        let chunk = at / CHUNK;
        self.chars[chunk] + char_starts(&source.as_bytes()[chunk * CHUNK..at])
    }
}

/// Bytes that start a character (any but UTF-8's continuation bytes).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_characters() {
        let src = "+++\ntitle = \"é\"\nzone = \"x\"\n+++\n";
        let off = src.find("\"x\"").unwrap();
        let loc = Location::at("a.md", src, off, 3);
        assert_eq!((loc.line, loc.column), (3, 8));
        let snippet = Snippet { text: "zone = \"x\"".to_string(), before: 7, marked: 3 };
        assert_eq!(loc.snippet, Some(snippet));
    }

    #[test]
    fn location_inside_a_multibyte_character_does_not_panic() {
        let src = "ééé";
        let loc = Location::at("a.md", src, 1, 1);
        assert_eq!(loc.column, 1);
        assert_eq!(Locator::new(Path::new("a.md"), src).at(1, 1), loc);
    }

    #[test]
    fn a_locator_finds_what_location_at_finds() {
        let long = format!("{}é{}\r\n", "word ".repeat(200), "ü".repeat(300));
        let src = format!("a\r\nbé\n\n{long}ç{long}\nend");
        let locator = Locator::new(Path::new("a.md"), &src);
        for offset in (0..src.len() + 2).filter(|&o| o > src.len() || src.is_char_boundary(o)) {
            for len in [0, 1, 5, 400] {
                assert_eq!(locator.at(offset, len), Location::at("a.md", &src, offset, len), "{offset} {len}");
            }
        }
    }

    /// A location used to be found by reading the text from its start, and
    /// shown with its whole line: 20,000 problems in a 1 MB page read 10 GB,
    /// and on a 1 MB line copied 20 GB.
    #[test]
    fn twenty_thousand_locations_in_a_1_mb_page_are_found_at_once() {
        let lines = "![](x.png) and a few more words on the line, to make it longer\n".repeat(16_000);
        let one_line = "[a](#nope) ".repeat(100_000);
        let start = std::time::Instant::now();
        for text in [&lines, &one_line] {
            let locator = Locator::new(Path::new("a.md"), text);
            let step = text.len() / 20_000;
            for k in 0..20_000 {
                let loc = locator.at(k * step, 10);
                assert!(loc.snippet.is_some_and(|s| s.text.len() <= 3 * (BEFORE + FROM)), "{k}");
            }
            let last = locator.at(text.len() - 1, 1);
            assert_eq!(last.line, text.matches('\n').count() + usize::from(!text.ends_with('\n')));
        }
        let took = start.elapsed();
        assert!(took < std::time::Duration::from_secs(5), "40,000 locations took {took:?}");
    }

    #[test]
    fn long_lines_are_shown_around_the_problem() {
        let src = format!("{}[bad](#x){}\n", "a".repeat(1_000), "b".repeat(1_000));
        let loc = Location::at("a.md", &src, 1_000, 9);
        assert_eq!(loc.column, 1_001);
        let snippet = loc.snippet.unwrap();
        assert_eq!(snippet.text, format!("…{}[bad](#x){}…", "a".repeat(BEFORE), "b".repeat(FROM - 9)));
        assert_eq!((snippet.before, snippet.marked), (BEFORE + 1, 9));
        // At the line's start or end, nothing is cut there.
        let at_start = Location::at("a.md", &src, 0, 1).snippet.unwrap();
        assert!(!at_start.text.starts_with('…') && at_start.text.ends_with('…'));
        let at_end = Location::at("a.md", &src, src.len() - 2, 1).snippet.unwrap();
        assert!(at_end.text.starts_with('…') && !at_end.text.ends_with('…'));
    }
}
