//! Strict TOML: turning `toml` errors into located, helpful diagnostics.
//!
//! Config and front matter both deserialize with `deny_unknown_fields`; serde
//! words an unknown key as "unknown field `x`, expected one of `a`, `b`". This
//! module reads that back into a [`Problem::UnknownKey`] with a "did you mean",
//! and maps the error's byte span into the file it came from.

use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, Location, Problem, suggest};

/// Parses `text` (found at byte `offset` of `source`, the contents of `file`)
/// into `T`, or returns the diagnostic for why not.
pub fn parse<T: DeserializeOwned>(
    file: &std::path::Path,
    source: &str,
    offset: usize,
    text: &str,
) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|err| {
        let span = err.span().unwrap_or(0..0);
        let span = trim_span(text, span);
        let loc = Location::at(file, source, offset + span.start, span.len());
        Diagnostic::error(problem_of(&err), loc)
    })
}

/// Narrows a span that covers a whole `key = value` line to the key, where the
/// error is about the key.
fn trim_span(text: &str, span: Range<usize>) -> Range<usize> {
    let end = span.end.min(text.len());
    let start = span.start.min(end);
    match text.get(start..end) {
        Some(s) if s.ends_with('\n') => start..end - 1,
        _ => start..end,
    }
}

fn problem_of(err: &toml::de::Error) -> Problem {
    let message = err.message();
    if let Some((key, expected)) = unknown_field(message) {
        let suggestion = suggest(&key, expected.iter().map(String::as_str));
        return Problem::UnknownKey { key, suggestion };
    }
    if let Some(key) = message.strip_prefix("missing field `").and_then(|r| r.strip_suffix('`')) {
        return Problem::MissingKey(key.to_string());
    }
    Problem::Toml(message.trim_end().to_string())
}

/// Reads serde's "unknown field `x`, expected one of `a`, `b`" message.
fn unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, rest) = rest.split_once('`')?;
    let expected = rest.split('`').skip(1).step_by(2).map(str::to_string).collect();
    Some((key.to_string(), expected))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        title: String,
        timezone: Option<String>,
    }

    #[test]
    fn unknown_key_points_at_its_line_in_the_file() {
        let source = "+++\ntitle = \"x\"\ntimezon = \"UTC\"\n+++\n";
        let err = parse::<Sample>("a.md".as_ref(), source, 4, &source[4..31]).unwrap_err();
        assert_eq!(err.problem, Problem::UnknownKey { key: "timezon".into(), suggestion: Some("timezone".into()) });
        let loc = err.location.unwrap();
        assert_eq!((loc.line, loc.column), (3, 1));
    }

    #[test]
    fn missing_and_malformed_values_are_named() {
        let err = parse::<Sample>("a.md".as_ref(), "timezone = \"x\"\n", 0, "timezone = \"x\"\n").unwrap_err();
        assert_eq!(err.problem, Problem::MissingKey("title".into()));
        let err = parse::<Sample>("a.md".as_ref(), "title = \n", 0, "title = \n").unwrap_err();
        assert!(matches!(err.problem, Problem::Toml(_)));
        assert_eq!(err.location.unwrap().line, 1);
    }
}
