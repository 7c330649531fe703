//! A page's words as readers see them: its rendered body with the markup
//! taken out, and words cut the way the search page's script cuts a query.
//!
//! The body is read from the HTML the build already made, so the index
//! holds what the page shows: term definitions in tooltips, footnote
//! markers and back links, and code blocks are left out, since a reader who
//! searches for a word does not mean those.

/// The plain text of rendered HTML, with block ends as spaces.
pub fn from_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    // The element whose content is skipped, and how deep inside it we are.
    let mut skipping: Option<(&str, usize)> = None;
    while let Some(lt) = rest.find('<') {
        if skipping.is_none() {
            push_text(&mut out, &rest[..lt]);
        }
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        let closing = tag.starts_with('/');
        let name = tag_name(tag.trim_start_matches('/'));
        if let Some((open, depth)) = skipping {
            if name.eq_ignore_ascii_case(open) {
                let depth = match (closing, tag.ends_with('/')) {
                    (true, _) => depth - 1,
                    (false, true) => depth,
                    (false, false) => depth + 1,
                };
                skipping = (depth > 0).then_some((open, depth));
            }
        } else if !closing && skipped(name, tag) {
            skipping = Some((name, 1));
        } else if !out.ends_with(' ') && !is_inline(name) {
            out.push(' ');
        }
    }
    if skipping.is_none() {
        push_text(&mut out, rest);
    }
    out.trim().to_string()
}

fn tag_name(tag: &str) -> &str {
    let end = tag.find(|c: char| c.is_ascii_whitespace() || c == '/').unwrap_or(tag.len());
    &tag[..end]
}

/// Elements whose content is not part of what the page says in words.
fn skipped(name: &str, tag: &str) -> bool {
    match name {
        "pre" | "script" | "style" | "template" => true,
        "span" => tag.contains("class=\"tip\""),
        "sup" => tag.contains("class=\"footnote-ref\""),
        "a" => tag.contains("class=\"footnote-back\""),
        _ => false,
    }
}

/// Elements that run inside a line of text, so no space is put at their ends.
fn is_inline(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "a" | "abbr"
            | "b"
            | "cite"
            | "code"
            | "del"
            | "em"
            | "i"
            | "ins"
            | "kbd"
            | "mark"
            | "q"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "u"
            | "var"
    )
}

/// Appends text from between tags, with its character references decoded
/// and runs of white space made one space.
fn push_text(out: &mut String, text: &str) {
    let mut rest = text;
    while !rest.is_empty() {
        let (chunk, decoded, next) = match rest.find('&') {
            Some(amp) => {
                let (c, len) = entity(&rest[amp..]);
                (&rest[..amp], c, &rest[amp + len..])
            }
            None => (rest, None, ""),
        };
        for c in chunk.chars().chain(decoded) {
            if c.is_whitespace() {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            } else {
                out.push(c);
            }
        }
        rest = next;
    }
}

/// The character a reference at the start of `s` stands for, and its length;
/// an `&` that starts no known reference stands for itself.
fn entity(s: &str) -> (Option<char>, usize) {
    let Some(semi) = s[..s.len().min(12)].find(';') else {
        return (Some('&'), 1);
    };
    let name = &s[1..semi];
    let c = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => name.strip_prefix('#').and_then(|d| d.parse().ok()),
            };
            code.and_then(char::from_u32)
        }
    };
    match c {
        Some(c) => (Some(c), semi + 1),
        None => (Some('&'), 1),
    }
}

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
    fn markup_goes_and_blocks_are_spaced() {
        let html = "<h2 id=\"a\">Risks</h2>\n<p>Open <em>weights</em> &amp; <a href=\"/x/\">models</a>.</p><p>Next</p>";
        assert_eq!(from_html(html), "Risks Open weights & models. Next");
    }

    #[test]
    fn tooltips_footnote_marks_and_code_are_left_out() {
        let html = "<p><a class=\"gloss\" href=\"/g/llm/\">LLM</a><span class=\"tip\" id=\"tip-llm\" \
                    role=\"tooltip\">A model of text.</span> text<sup class=\"footnote-ref\"><a href=\"#fn-1\">1</a>\
                    </sup></p><pre class=\"code\"><code><span class=\"hl\">let</span> x</code></pre>\
                    <p>Note <a href=\"#fnref-1\" class=\"footnote-back\">↩</a></p>";
        assert_eq!(from_html(html), "LLM text Note");
    }

    #[test]
    fn references_are_decoded_and_bad_ones_kept() {
        assert_eq!(from_html("<p>a&#39;b &#x201C;c&#x201D; &bogus; &</p>"), "a'b “c” &bogus; &");
        assert_eq!(from_html("unclosed <p"), "unclosed");
    }

    #[test]
    fn words_are_lower_case_letters_and_digits_in_any_script() {
        let w: Vec<String> = words("The EU AI Act’s Art. 5 — Évaluation, open-weights").collect();
        assert_eq!(w, ["the", "eu", "ai", "act", "s", "art", "5", "évaluation", "open", "weights"]);
        assert_eq!(name_key("Large  language-model"), "large language model");
    }
}
