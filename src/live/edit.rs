//! What an edit did: how it went, and (with `PAMPHLET_TIMINGS` set) how
//! long each of its steps took.

use super::targets::Targets;

/// How an edit went, when it did not fail.
#[derive(Debug, PartialEq, Eq)]
pub enum Edit {
    Done,
    /// The edit changes the site's shape (a URL, a kind, a term's names):
    /// only a whole build is right.
    Whole,
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
