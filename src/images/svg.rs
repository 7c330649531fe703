//! The size an SVG file declares, read from its root `<svg>` tag alone.
//!
//! A browser sizes an SVG image from the root element's `width` and
//! `height`, or, where those are missing or relative (`100%`, `2em`), from
//! the proportions of its `viewBox`. That tag is all this reads: what comes
//! before it (an XML declaration, comments, a doctype with its internal
//! subset, processing instructions) is skipped, and nothing after it is
//! looked at, so no XML library is needed and a large drawing costs only
//! its first bytes.

use super::Size;

/// Why no size came from an SVG text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SvgError {
    /// The text ends before the root tag does: read more of the file.
    Incomplete,
    /// The text is not an SVG document; the reason, in words.
    Invalid(String),
}

/// The size the root element of `text` declares, in CSS pixels rounded to
/// whole ones; `None` when it declares none (a browser then picks one).
pub fn size(text: &[u8]) -> Result<Option<Size>, SvgError> {
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    let tag = root_tag(text)?;
    let (mut width, mut height, mut view_box) = (None, None, None);
    for (name, value) in attributes(tag)? {
        match name {
            b"width" => width = length(value),
            b"height" => height = length(value),
            b"viewBox" => view_box = view_box_size(value),
            _ => {}
        }
    }
    let (w, h) = match (width, height, view_box) {
        (Some(w), Some(h), _) => (w, h),
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (None, None, Some((vw, vh))) => (vw, vh),
        _ => return Ok(None),
    };
    let whole = |v: f64| v.round().clamp(1.0, f64::from(u32::MAX)) as u32;
    Ok(Some(Size { width: whole(w), height: whole(h) }))
}

/// The root element's start tag, from its name to its `>`, after the
/// prolog (declaration, comments, processing instructions, doctype).
fn root_tag(text: &[u8]) -> Result<&[u8], SvgError> {
    let mut rest = text;
    loop {
        rest = rest.trim_ascii_start();
        if rest.is_empty() {
            return Err(if text.trim_ascii().is_empty() {
                SvgError::Invalid("the file is empty".into())
            } else {
                SvgError::Incomplete
            });
        }
        if let Some(after) = rest.strip_prefix(b"<?") {
            rest = skip_past(after, b"?>")?;
        } else if let Some(after) = rest.strip_prefix(b"<!--") {
            rest = skip_past(after, b"-->")?;
        } else if let Some(after) = rest.strip_prefix(b"<!DOCTYPE") {
            rest = skip_doctype(after)?;
        } else if let Some(after) = rest.strip_prefix(b"<") {
            let name_len =
                after.iter().position(|b| b.is_ascii_whitespace() || b"/>".contains(b)).unwrap_or(after.len());
            let name = &after[..name_len];
            // `svg`, or `svg:svg` and the like with a namespace prefix.
            let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
            if local != b"svg" {
                let shown = String::from_utf8_lossy(&name[..name.len().min(40)]).into_owned();
                return Err(SvgError::Invalid(format!("its root element is <{shown}>, not <svg>")));
            }
            let end = tag_end(&after[name_len..]).ok_or(SvgError::Incomplete)?;
            return Ok(&after[name_len..name_len + end]);
        } else {
            return Err(SvgError::Invalid("it does not start with an <svg> element".into()));
        }
    }
}

/// `text` after the first `end` in it.
fn skip_past<'t>(text: &'t [u8], end: &[u8]) -> Result<&'t [u8], SvgError> {
    let at = text.windows(end.len()).position(|w| w == end).ok_or(SvgError::Incomplete)?;
    Ok(&text[at + end.len()..])
}

/// `text` after a doctype's closing `>`, past any internal subset
/// (`[ <!ENTITY …> ]`) and quoted system or public ids.
fn skip_doctype(text: &[u8]) -> Result<&[u8], SvgError> {
    let (mut depth, mut quote) = (0usize, None);
    for (i, &b) in text.iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'[') => depth += 1,
            (None, b']') => depth = depth.saturating_sub(1),
            (None, b'>') if depth == 0 => return Ok(&text[i + 1..]),
            _ => {}
        }
    }
    Err(SvgError::Incomplete)
}

/// Where a start tag's attributes end (its `>`), quotes respected.
fn tag_end(tag: &[u8]) -> Option<usize> {
    let mut quote = None;
    for (i, &b) in tag.iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// An attribute's name and its value, unquoted.
type Attribute<'t> = (&'t [u8], &'t [u8]);

/// The `name="value"` pairs of a start tag's attributes.
fn attributes(mut tag: &[u8]) -> Result<Vec<Attribute<'_>>, SvgError> {
    let mut out = Vec::new();
    loop {
        tag = tag.trim_ascii_start();
        if tag.is_empty() || tag == b"/" {
            return Ok(out);
        }
        let name_len = tag.iter().position(|b| b.is_ascii_whitespace() || *b == b'=').unwrap_or(tag.len());
        let (name, rest) = tag.split_at(name_len);
        let rest = rest.trim_ascii_start();
        let Some(rest) = rest.strip_prefix(b"=") else {
            return Err(bad_attribute(name));
        };
        let rest = rest.trim_ascii_start();
        let Some((&quote, rest)) = rest.split_first().filter(|(q, _)| matches!(q, b'"' | b'\'')) else {
            return Err(bad_attribute(name));
        };
        let close = rest.iter().position(|&b| b == quote).ok_or_else(|| bad_attribute(name))?;
        out.push((name, &rest[..close]));
        tag = &rest[close + 1..];
    }
}

fn bad_attribute(name: &[u8]) -> SvgError {
    let shown = String::from_utf8_lossy(&name[..name.len().min(40)]).into_owned();
    SvgError::Invalid(format!("attribute `{shown}` of its <svg> tag has no quoted value"))
}

/// A length in CSS pixels: a number, with `px` or an absolute unit. Relative
/// lengths (`%`, `em`) and what is not above zero give none.
fn length(value: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(value).ok()?.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c))).unwrap_or(text.len());
    // `1e3` is a number; `2em` is not `2e` and `m`.
    let split = if text[..split].ends_with(['e', 'E']) { split - 1 } else { split };
    let (number, unit) = text.split_at(split);
    let per_unit = match unit.trim() {
        "" | "px" => 1.0,
        "in" => 96.0,
        "cm" => 96.0 / 2.54,
        "mm" => 96.0 / 25.4,
        "pt" => 96.0 / 72.0,
        "pc" => 16.0,
        _ => return None,
    };
    let v = number.parse::<f64>().ok()? * per_unit;
    (v.is_finite() && v > 0.0).then_some(v)
}

/// The width and height of a `viewBox` (`min-x min-y width height`,
/// apart by spaces or commas), when both are above zero.
fn view_box_size(value: &[u8]) -> Option<(f64, f64)> {
    let text = std::str::from_utf8(value).ok()?;
    let numbers: Vec<f64> = text
        .split(|c: char| c.is_ascii_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match numbers[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite() => Some((w, h)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn px(text: &str) -> Option<(u32, u32)> {
        size(text.as_bytes()).unwrap().map(|s| (s.width, s.height))
    }

    fn invalid(text: &str) -> String {
        match size(text.as_bytes()) {
            Err(SvgError::Invalid(reason)) => reason,
            other => panic!("{text:?} gave {other:?}"),
        }
    }

    #[test]
    fn width_and_height_in_pixels_or_absolute_units() {
        assert_eq!(px(r#"<svg width="320" height="180"></svg>"#), Some((320, 180)));
        assert_eq!(px(r#"<svg height='40.6px' width='99.5px'/>"#), Some((100, 41)));
        assert_eq!(px(r#"<svg width="1in" height="2.54cm">"#), Some((96, 96)));
        assert_eq!(px(r#"<svg width="72pt" height="25.4mm">"#), Some((96, 96)));
        assert_eq!(px(r#"<svg width="1e2" height="5E1">"#), Some((100, 50)));
    }

    #[test]
    fn the_view_box_gives_what_width_and_height_leave_out() {
        assert_eq!(px(r#"<svg viewBox="0 0 640 360">"#), Some((640, 360)));
        assert_eq!(px(r#"<svg viewBox="-10,-10, 200,100" width="400">"#), Some((400, 200)));
        assert_eq!(px(r#"<svg height="50" viewBox="0 0 200 100">"#), Some((100, 50)));
        assert_eq!(px(r#"<svg width="100%" height="2em" viewBox="0 0 30 20">"#), Some((30, 20)));
    }

    #[test]
    fn no_size_where_none_is_declared() {
        assert_eq!(px(r#"<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#), None);
        assert_eq!(px(r#"<svg width="100%" height="100%">"#), None);
        assert_eq!(px(r#"<svg width="0" height="10" viewBox="0 0 0 10">"#), None);
        assert_eq!(px(r#"<svg viewBox="0 0 -5 10">"#), None);
        assert_eq!(px(r#"<svg viewBox="0 0 nope">"#), None);
        assert_eq!(px(r#"<svg width="-3" height="4">"#), None);
    }

    #[test]
    fn the_prolog_is_skipped() {
        let text = "\u{FEFF}<?xml version=\"1.0\"?>\n<!-- made by hand > -->\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x>y.dtd\" [\n  <!ENTITY w \"10\">\n]>\n<?xml-stylesheet href=\"a.css\"?>\n<svg\n  xmlns=\"http://www.w3.org/2000/svg\"\n  data-note=\"a > b\"\n  width=\"12\" height=\"34\">";
        assert_eq!(px(text), Some((12, 34)));
        assert_eq!(px(r#"<svg:svg xmlns:svg="http://www.w3.org/2000/svg" width="5" height="6"/>"#), Some((5, 6)));
    }

    #[test]
    fn what_is_not_svg_says_why() {
        assert_eq!(invalid(""), "the file is empty");
        assert_eq!(invalid("<html><body>"), "its root element is <html>, not <svg>");
        assert_eq!(invalid("\u{89}PNG\r\n"), "it does not start with an <svg> element");
        assert!(invalid("<svg width=10>").contains("`width`"));
        assert!(invalid("<svg width>").contains("`width`"));
    }

    #[test]
    fn a_text_cut_short_asks_for_more() {
        for cut in ["<svg width=\"10\"", "<?xml version=\"1.0\"", "<!-- comment", "<!DOCTYPE svg [", "<!-- a --> "] {
            assert_eq!(size(cut.as_bytes()), Err(SvgError::Incomplete), "{cut:?}");
        }
    }
}
