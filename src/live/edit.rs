//! What an edit did: how it went, which fields of `site` it changed, and
//! (with `PAMPHLET_TIMINGS` set) how long each of its steps took.

use std::collections::HashSet;

use tera::Value;

use super::targets::Targets;

/// How an edit went, when it did not fail.
#[derive(Debug, PartialEq, Eq)]
pub enum Edit {
    Done,
    /// The edit changes the site's shape (a URL, a kind, a term's names):
    /// only a whole build is right.
    Whole,
}

/// The top-level fields of `site` that differ between two builds of it.
pub fn changed_fields(before: &Value, after: &Value) -> HashSet<String> {
    let (Some(a), Some(b)) = (before.as_map(), after.as_map()) else {
        return HashSet::from(["*".to_string()]);
    };
    let mut out: HashSet<String> = a.iter().filter(|(k, v)| b.get(k) != Some(v)).map(|(k, _)| k.to_string()).collect();
    out.extend(b.keys().filter(|k| a.get(k).is_none()).map(|k| k.to_string()));
    out
}

/// With `PAMPHLET_TIMINGS` set, prints how long each step of an edit took
/// and what it rendered.
pub fn timings(steps: &[(&str, std::time::Duration)], targets: &Targets) {
    if std::env::var_os("PAMPHLET_TIMINGS").is_some() {
        let steps: Vec<String> =
            steps.iter().map(|(what, d)| format!("{what} {:.1} ms", d.as_secs_f64() * 1e3)).collect();
        eprintln!("  {}: {targets:?}", steps.join(", "));
    }
}
