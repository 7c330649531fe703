//! Code highlighting. The only module that knows syntect, so that the engine
//! can be swapped without touching the rest of the Markdown path.
//!
//! Code is marked up with CSS classes (`hl-…`), never inline colours, and
//! [`stylesheet`] writes one stylesheet with a light and a dark scheme, so a
//! page's colours follow the reader's `prefers-color-scheme`. The bundled
//! syntect themes have colours (comments, numbers) below WCAG's 4.5:1 for
//! text, so every colour is darkened or lightened until it reaches that.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use syntect::highlighting::{Color, Theme, ThemeSet};
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
/// The light and dark variants of one scheme: the same scopes, so neither
/// leaves a token unstyled that the other colours, and a small stylesheet
/// (InspiredGitHub alone is five times the size).
const LIGHT_THEME: &str = "base16-ocean.light";
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

/// The contrast every highlighted colour keeps with its background (WCAG
/// 1.4.3 asks 4.5:1; a little more covers rounding in the browser).
const MIN_CONTRAST: f64 = 4.6;

/// The stylesheet for highlighted code: light by default, dark when the
/// reader's system asks for it; never a mix of the two. Each theme also colours the code blocks
/// themselves (`pre.code`), so its colours are judged against its own
/// background.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        let theme = readable(themes.themes[name].clone());
        let css = css_for_theme_with_class_style(&theme, CLASS_STYLE).unwrap_or_default();
        compact(&css.replacen(".hl-code {", "pre.code, .hl-code {", 1))
    };
    format!(
        "/* Code highlighting for pamphlet sites: light, then dark. Each scheme sits in its\n   own query so that no colour of one leaks into the other. */\n\
         @media not all and (prefers-color-scheme: dark) {{\n{}\n}}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        css(LIGHT_THEME),
        css(DARK_THEME)
    )
}

/// syntect's CSS without its comments and line breaks: half the size, and
/// every page that shows code loads it.
fn compact(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("*/").map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    let mut lines = String::with_capacity(out.len());
    for line in out.lines().map(str::trim).filter(|l| !l.is_empty()) {
        lines.push_str(line);
        lines.push(if line.ends_with('}') { '\n' } else { ' ' });
    }
    lines.replace(" {", "{").replace("{ ", "{").replace("; ", ";").replace(": ", ":")
}

/// `theme` with every foreground moved, if need be, to [`MIN_CONTRAST`]
/// against the background it is drawn on.
fn readable(mut theme: Theme) -> Theme {
    let white = Color { r: 255, g: 255, b: 255, a: 255 };
    let background = theme.settings.background.unwrap_or(white);
    theme.settings.background = Some(background);
    let text = theme.settings.foreground.unwrap_or(Color { r: 0, g: 0, b: 0, a: 255 });
    theme.settings.foreground = Some(with_contrast(text, background));
    for item in &mut theme.scopes {
        if let Some(fg) = item.style.foreground {
            item.style.foreground = Some(with_contrast(fg, item.style.background.unwrap_or(background)));
        }
    }
    theme
}

fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `fg`, or the first step from it toward black (on light backgrounds) or
/// white (on dark ones) that has enough contrast with `bg`.
fn with_contrast(fg: Color, bg: Color) -> Color {
    let target = if luminance(bg) > 0.18 { 0.0 } else { 255.0 };
    let mut out = Color { a: 255, ..fg };
    for step in 0..=20 {
        let t = f64::from(step) / 20.0;
        let mix = |v: u8| (f64::from(v) + (target - f64::from(v)) * t).round() as u8;
        out = Color { r: mix(fg.r), g: mix(fg.g), b: mix(fg.b), a: 255 };
        if contrast(out, bg) >= MIN_CONTRAST {
            break;
        }
    }
    out
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
    fn every_highlight_colour_is_readable_on_its_background() {
        let themes = ThemeSet::load_defaults();
        for name in [LIGHT_THEME, DARK_THEME] {
            let theme = readable(themes.themes[name].clone());
            let bg = theme.settings.background.unwrap();
            assert!(contrast(theme.settings.foreground.unwrap(), bg) >= 4.5, "{name}");
            for item in &theme.scopes {
                if let Some(fg) = item.style.foreground {
                    let on = item.style.background.unwrap_or(bg);
                    assert!(contrast(fg, on) >= 4.5, "{name}: {:?} on {:?} is {:.2}:1", fg, on, contrast(fg, on));
                }
            }
        }
    }

    #[test]
    fn stylesheet_has_both_schemes() {
        let css = stylesheet();
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}
