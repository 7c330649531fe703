//! Code highlighting. The only module that knows syntect, so that the engine
//! can be swapped without touching the rest of the Markdown path.
//!
//! Code is marked up with CSS classes (`hl-…`), never inline colours, and
//! [`stylesheet`] writes one stylesheet with a light and a dark scheme, so a
//! page's colours follow the reader's `prefers-color-scheme`.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
const LIGHT_THEME: &str = "InspiredGitHub";
const DARK_THEME: &str = "base16-ocean.dark";

/// Languages shown plain without a warning: they name plain text.
const PLAIN: &[&str] = &["text", "txt", "plain", "plaintext", "none"];

/// Highlights code blocks. Loading syntect's grammars takes tens of
/// milliseconds, so they load on the first code block, once per build.
/// Highlighting is by far the most expensive part of rendering Markdown, and
/// sites repeat snippets (install lines, a licence header, a sample config on
/// every translation), so each distinct block is highlighted once per build.
#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    done: Mutex<HashMap<(String, String), Result<String, String>>>,
}

impl Highlighter {
    /// The inner HTML of `<code>` for `code` in `lang`: `Ok` with highlighted
    /// markup, `Err` with plain escaped text when the language is unknown
    /// (the caller warns) or plain text was asked for.
    pub fn highlight(&self, lang: &str, code: &str) -> Result<String, String> {
        let key = (lang.to_string(), code.to_string());
        if let Some(done) = self.done.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return done.clone();
        }
        let result = self.highlight_uncached(lang, code);
        self.done.lock().unwrap_or_else(|e| e.into_inner()).insert(key, result.clone());
        result
    }

    fn highlight_uncached(&self, lang: &str, code: &str) -> Result<String, String> {
        if PLAIN.contains(&lang.to_ascii_lowercase().as_str()) {
            return Ok(escape(code));
        }
        let set = self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines);
        let Some(syntax) = set.find_syntax_by_token(lang) else {
            return Err(escape(code));
        };
        let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            if generator.parse_html_for_line_which_includes_newline(line).is_err() {
                return Ok(escape(code));
            }
        }
        Ok(generator.finalize())
    }
}

fn escape(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 8);
    pulldown_cmark_escape::escape_html_body_text(&mut out, code).expect("writing to a String");
    out
}

/// The stylesheet for highlighted code: light by default, dark when the
/// reader's system asks for it.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| css_for_theme_with_class_style(&themes.themes[name], CLASS_STYLE).unwrap_or_default();
    format!(
        "/* Code highlighting for pamphlet sites: light, then dark. */\n{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        css(LIGHT_THEME),
        css(DARK_THEME)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes() {
        let html = Highlighter::default().highlight("rust", "fn main() {}\n").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
    }

    #[test]
    fn repeated_blocks_give_the_same_markup() {
        let h = Highlighter::default();
        let first = h.highlight("python", "x = 1\n").unwrap();
        assert_eq!(h.highlight("python", "x = 1\n").unwrap(), first);
        assert_ne!(h.highlight("rust", "x = 1\n").unwrap(), first);
    }

    #[test]
    fn unknown_languages_fall_back_to_escaped_text() {
        let err = Highlighter::default().highlight("klingon", "a < b\n").unwrap_err();
        assert_eq!(err, "a &lt; b\n");
        assert_eq!(Highlighter::default().highlight("text", "<x>").unwrap(), "&lt;x&gt;");
    }

    #[test]
    fn stylesheet_has_both_schemes() {
        let css = stylesheet();
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}
