//! "Did you mean …?": picks the closest known name to a misspelt one.

/// The candidate closest to `word`, if one is close enough to be a likely typo.
///
/// A candidate equal to `word` ignoring case always wins; otherwise the one with the smallest
/// Damerau–Levenshtein distance (case-insensitive) wins if that distance is at most a third of
/// the longer word's length (at least 1, at most 3). Ties go to the earlier candidate. Failing
/// that, the only candidate with a part (between `/`, spaces, `_` or `-`) equal to `word`
/// ignoring case wins: `Paris` suggests `Europe/Paris`, `Sales` suggests `Sales hours`.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    closest(word, &candidates).or_else(|| only_with_part(word, &candidates))
}

fn only_with_part<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    if lower.is_empty() {
        return None;
    }
    let mut matching = candidates.iter().filter(|candidate| {
        candidate
            .to_lowercase()
            .split(['/', ' ', '_', '-'])
            .any(|part| part == lower)
    });
    match (matching.next(), matching.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for &candidate in candidates {
        let candidate_lower = candidate.to_lowercase();
        if candidate_lower == lower {
            if candidate == word {
                continue;
            }
            return Some(candidate);
        }
        let distance = strsim::damerau_levenshtein(&lower, &candidate_lower);
        let longest = lower.chars().count().max(candidate_lower.chars().count());
        let limit = (longest / 3).clamp(1, 3);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn finds_close_names() {
        let fields = ["page_url", "page_title", "visit_history"];
        assert_eq!(did_you_mean("page_tile", fields), Some("page_title"));
        assert_eq!(did_you_mean("pageurl", fields), Some("page_url"));
        assert_eq!(did_you_mean("visits", fields), None);
        assert_eq!(
            did_you_mean("acme ios", ["Acme iOS", "Acme Android"]),
            Some("Acme iOS")
        );
        assert_eq!(did_you_mean("xyz", fields), None);
    }

    #[test]
    fn finds_names_by_a_part() {
        assert_eq!(
            did_you_mean("Paris", ["Europe/Paris", "America/New_York"]),
            Some("Europe/Paris")
        );
        assert_eq!(
            did_you_mean("sales", ["Sales hours", "Support hours"]),
            Some("Sales hours")
        );
        // Ambiguous parts suggest nothing.
        assert_eq!(
            did_you_mean("hours", ["Sales hours", "Support hours"]),
            None
        );
    }
}
